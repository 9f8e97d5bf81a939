/*
 * CGI helpers of the router's web admin (sample input): copies of request
 * fields into fixed buffers.  Bad lines carry `expect:`; every other copy
 * here is a look-alike that must not be reported.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define HOSTNAME_MAX 32
#define DEFAULT_HOST "router"
#define BANNER "fw-" "web" " admin"
#define LOGF(b, ...) sprintf((b), __VA_ARGS__)
#define COPY_FIELD(d, s) strcpy((d), (s))

char *gets(char *s);   /* legacy declaration: glibc no longer declares it */

struct request {
	const char *path;
	const char *query;
	const char *user;
	char host[HOSTNAME_MAX];
};

struct copy_ops {
	char *(*copy)(char *, const char *);
	int (*print)(char *, const char *, ...);
};

/* the project's own bounded helpers, named like libc's */
size_t StrCat(char *d, size_t cap, const char *s)
{
	size_t n = strlen(d), i = 0;

	while (n + 1 < cap && s[i])
		d[n++] = s[i++];
	d[n] = '\0';
	return n;
}

static char *bounded_copy(char *d, const char *s)
{
	d[0] = '\0';
	StrCat(d, HOSTNAME_MAX, s);
	return d;
}

static const struct copy_ops unsafe_ops = { .copy = strcpy, .print = sprintf };
static const struct copy_ops safe_ops = { bounded_copy, NULL };

void read_console(void)
{
	char line[80];

	gets(line);   /* expect: strings.gets */
}

void set_hostname(struct request *r, const char *value)
{
	char name[HOSTNAME_MAX];
	char label[8];

	strcpy(name, value);   /* expect: strings.unsafe-copy */
	strcpy(r->host, r->query);   /* expect: strings.unsafe-copy */
	strcat(name, ".lan");   /* expect: strings.unsafe-copy */
	strcpy(label, "too long for it");   /* expect: strings.unsafe-copy */
	COPY_FIELD(name, r->user);   /* expect: strings.unsafe-copy */
	stpcpy(name, value);   /* expect: strings.unsafe-copy */
	snprintf(r->host, sizeof(r->host), "%s", name);
}

void log_request(struct request *r)
{
	char line[64];
	char code[4];

	LOGF(line, "%s %s", r->path, r->query);   /* expect: strings.unsafe-copy */
	sprintf(line, "user=%s", r->user);   /* expect: strings.unsafe-copy */
	sprintf(code, "%d", r->path[0]);   /* expect: strings.unsafe-copy */
	sprintf(line, "%f", 1.5);   /* expect: strings.unsafe-copy */
}

void vlog(char *out, const char *fmt, va_list ap)
{
	vsprintf(out, fmt, ap);   /* expect: strings.unsafe-copy, format.non-literal */
}

void dispatch(struct request *r)
{
	char buf[HOSTNAME_MAX];
	char *(*cp)(char *, const char *) = strcpy;

	cp(buf, r->query);   /* expect: strings.unsafe-copy */
	unsafe_ops.copy(buf, r->user);   /* expect: strings.unsafe-copy */
	cp = bounded_copy;
	cp(buf, r->query);
	safe_ops.copy(buf, r->path);
}

/* --- look-alikes: none of these is reported --- */

void safe_copies(struct request *r)
{
	char name[HOSTNAME_MAX];
	char small[8];
	char title[sizeof(BANNER)];
	static const char fallback[] = "fallback";
	const char *const unknown = "unknown";
	char line[64];
	char code[12];

	strcpy(name, DEFAULT_HOST);
	strcpy(title, BANNER);
	strcpy(small, "1234567");
	strcpy(name, fallback);
	strcpy(name, unknown);
	strcpy(small, r->path ? "on" : "off");
	strcat(name, "");
	StrCat(name, sizeof(name), r->query);
	sprintf(code, "%d", r->path[0]);
	sprintf(line, "%.20s/%.20s", r->path, r->query);
	sprintf(line, "%s-%u", DEFAULT_HOST, 7u);
	sprintf(small, "%c%c", 'o', 'k');
	snprintf(line, sizeof(line), "%s", r->query);
	strncpy(small, "hello", sizeof(small));
	COPY_FIELD(name, DEFAULT_HOST);
	memcpy(name, "abc", 4);
}
