/*
 * Logging of the router's web admin (sample input): request text reaching
 * printf-like functions.  Bad lines carry `expect:`; every other call is a
 * look-alike that must not be reported.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#define GREETING "fw-web ready\n"
#define DBG(...) printf(__VA_ARGS__)
#define LOG_REQ(fmt, ...) log_msg(LOG_INFO, fmt, __VA_ARGS__)
#define MSG_DEBUG 2

struct request {
	const char *path;
	const char *query;
	const char *user;
	int code;
};

struct log_ops {
	int (*log)(const char *, ...);
};

void log_msg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void wpa_printf(int level, const char *fmt, ...);
int quiet_print(const char *text, ...);

static char last_error[128];
static const struct log_ops console = { .log = printf };

/* A wrapper declared with the format attribute: its callers are checked. */
void log_msg(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (level <= LOG_INFO)
		vprintf(fmt, ap);
	va_end(ap);
}

/* A wrapper without the attribute: nobody checks its callers. */
void debug_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);   /* expect: format.non-literal */
	va_end(ap);
}

void log_request(struct request *r, const char *note)
{
	char out[64];
	char copy[64];
	int (*print)(const char *, ...) = printf;

	printf(note);   /* expect: format.non-literal */
	syslog(LOG_WARNING, r->query);   /* expect: format.non-literal */
	fprintf(stderr, r->path);   /* expect: format.non-literal */
	snprintf(out, sizeof(out), r->user);   /* expect: format.non-literal */
	log_msg(LOG_INFO, r->query);   /* expect: format.non-literal */
	DBG(r->user);   /* expect: format.non-literal */
	print(r->query);   /* expect: format.non-literal */
	console.log(note);   /* expect: format.non-literal */
	wpa_printf(MSG_DEBUG, r->path);   /* expect: format.non-literal */
	printf(last_error);   /* expect: format.non-literal */
	strncpy(copy, r->query, sizeof(copy) - 1);
	copy[sizeof(copy) - 1] = '\0';
	printf(copy);   /* expect: format.non-literal */
	LOG_REQ(note, r->code);   /* expect: format.non-literal */
}

/* --- look-alikes: none of these is reported --- */

void log_safely(struct request *r, int verbose)
{
	static const char line_fmt[] = "%s %s\n";
	const char *const code_fmt = "code %d\n";
	const char *state = "idle\n";
	char m[16];
	char hello[] = "hello\n";
	int (*quiet)(const char *, ...) = quiet_print;

	printf("%s\n", r->query);
	printf(GREETING);
	printf("request " "from %s\n", r->user);
	printf(line_fmt, r->path, r->query);
	printf(code_fmt, r->code);
	printf(verbose ? "verbose\n" : "quiet\n");
	snprintf(m, sizeof m, "READY");
	printf(m);
	printf(hello);
	if (verbose)
		state = "busy\n";
	printf(state);
	syslog(LOG_INFO, "%s", r->path);
	log_msg(LOG_DEBUG, "%d", r->code);
	LOG_REQ("path %s", r->path);
	DBG("%s\n", r->user);
	console.log("%s\n", r->query);
	quiet(r->query);
	puts(r->query);
	fputs(r->path, stderr);
	wpa_printf(MSG_DEBUG, "%s", r->query);
}
