/* expect-none: the handler formats with a literal into a sized buffer */
/*
 * Web admin handlers of a small router firmware (sample input).
 */
#include <stdio.h>
#include <string.h>

struct request {
	const char *path;
	const char *query;
	int authenticated;
};

int handle_status(struct request *r, char *out, size_t outlen)
{
	snprintf(out, outlen, "{\"path\":\"%s\"}", r->path);
	return 0;
}
