/*
 * iotb_util.h — the project's one error idiom, allocation helpers, a growable
 * string buffer, a string vector, glob matching and small path helpers.
 *
 * Error idiom (see docs/CONVENTIONS-LOCAL.md and shared CONVENTIONS.md):
 * a fallible function returns 0 on success and -1 on failure (constructors:
 * a pointer or NULL) after recording one message with iotb_fail().  The
 * message is lowercase, problem first, subject in quotes:
 *     return iotb_fail("cannot open '%s': %s", path, strerror(errno));
 * The caller either propagates -1 or reads iotb_last_error() and reports it.
 * Workers are processes, so one message buffer per process is enough.
 */
#ifndef IOTB_UTIL_H
#define IOTB_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define IOTB_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define IOTB_PRINTF(a, b)
#endif

/* Record a formatted error message (replacing the previous one); returns -1. */
int iotb_fail(const char *fmt, ...) IOTB_PRINTF(1, 2);
/* Same, but prefixes "FILE:LINE:COL: " (line/col 1-based; 0 omits them). */
int iotb_fail_at(const char *file, unsigned line, unsigned col,
                 const char *fmt, ...) IOTB_PRINTF(4, 5);
/* The last recorded message (borrowed; valid until the next iotb_fail*). */
const char *iotb_last_error(void);
/* Forget the last error (tests use it to tell one failure from the next). */
void iotb_clear_error(void);

/* Allocation that cannot fail: on exhaustion prints and aborts (an OOM in a
 * worker becomes a scan.not-analysed finding in the parent). */
void *iotb_xmalloc(size_t n);
void *iotb_xcalloc(size_t n, size_t size);
void *iotb_xrealloc(void *p, size_t n);
char *iotb_xstrdup(const char *s);           /* NULL in, NULL out */
char *iotb_xstrndup(const char *s, size_t n);
char *iotb_xasprintf(const char *fmt, ...) IOTB_PRINTF(1, 2);

/* Growable NUL-terminated byte buffer; .buf is owned, never NULL after init. */
struct iotb_strbuf {
	char *buf;
	size_t len;
	size_t alloc;
};
void iotb_strbuf_init(struct iotb_strbuf *sb);
void iotb_strbuf_release(struct iotb_strbuf *sb);
void iotb_strbuf_add(struct iotb_strbuf *sb, const void *data, size_t n);
void iotb_strbuf_adds(struct iotb_strbuf *sb, const char *s);
void iotb_strbuf_addf(struct iotb_strbuf *sb, const char *fmt, ...) IOTB_PRINTF(2, 3);
void iotb_strbuf_vaddf(struct iotb_strbuf *sb, const char *fmt, va_list ap);
/* Hand the buffer to the caller (who frees it); sb is left empty and owns
 * nothing (adding to it again allocates anew; releasing it is a no-op). */
char *iotb_strbuf_detach(struct iotb_strbuf *sb);

/* Vector of owned strings. */
struct iotb_strvec {
	char **v;
	size_t n;
	size_t alloc;
};
void iotb_strvec_init(struct iotb_strvec *sv);
void iotb_strvec_release(struct iotb_strvec *sv);
void iotb_strvec_push(struct iotb_strvec *sv, const char *s); /* copies s */
bool iotb_strvec_contains(const struct iotb_strvec *sv, const char *s);

/*
 * Glob match of a '/'-separated path: '*' and '?' never cross '/', '**'
 * matches any number of whole path segments (including none), '[...]'
 * classes as in fnmatch(3).  A pattern without '/' matches the basename
 * (gitignore style).  Returns true on match.
 */
bool iotb_glob_match(const char *pattern, const char *path);
/* Syntax check for a glob: 0, or -1 with a message naming the problem. */
int iotb_glob_check(const char *pattern);

/* Read a whole regular file (at most max_bytes) into *out (owned, NUL-
 * terminated), *len its size.  0 or -1 with "cannot read 'path': ...". */
int iotb_read_file(const char *path, size_t max_bytes, char **out, size_t *len);
/* Write data to path atomically (temp file in the same dir + rename). */
int iotb_write_file_atomic(const char *path, const void *data, size_t len);

/* Lowercase hex SHA-256 of data into out[65] (OpenSSL EVP, FIPS 180-4). */
void iotb_sha256_hex(const void *data, size_t len, char out[65]);
/* Lowercase hex HMAC-SHA-256 (RFC 2104) of data keyed with key into out[65]. */
void iotb_hmac_sha256_hex(const void *key, size_t keylen, const void *data,
                          size_t len, char out[65]);

/* Is s valid UTF-8 (RFC 3629: no overlongs, no surrogates)? */
bool iotb_is_utf8(const char *s, size_t len);
/* Copy of s with every invalid UTF-8 byte replaced by "\xNN" (owned). */
char *iotb_utf8_sanitize(const char *s, size_t len);

/* Join a and b with exactly one '/' (owned). */
char *iotb_path_join(const char *a, const char *b);
/* Lexically normalised absolute path of path against base (NULL or "":
 * the cwd; a relative base is itself taken from the cwd): "." and ".."
 * folded, repeated slashes removed, no symlinks resolved.  Owned. */
char *iotb_path_absolute(const char *base, const char *path);
/* path relative to root if it lies inside root (both made absolute, no
 * symlink resolution), else a copy of path.  Owned. */
char *iotb_path_relative(const char *root, const char *path);
/* The git work-tree top containing dir (no git executed: looks for a .git
 * entry upwards), or NULL.  Owned. */
char *iotb_find_worktree_top(const char *dir);

#endif
