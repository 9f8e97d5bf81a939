/*
 * util.c — error recording, allocation, strbuf/strvec, glob matching,
 * whole-file I/O, SHA-256/HMAC (OpenSSL), UTF-8 checks and path helpers.
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "iotb_util.h"

static char last_error[2048];

static void record_error(const char *prefix, const char *fmt, va_list ap)
{
	size_t n = 0;

	if (prefix)
		n = (size_t)snprintf(last_error, sizeof(last_error), "%s", prefix);
	if (n < sizeof(last_error))
		vsnprintf(last_error + n, sizeof(last_error) - n, fmt, ap);
}

int iotb_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record_error(NULL, fmt, ap);
	va_end(ap);
	return -1;
}

int iotb_fail_at(const char *file, unsigned line, unsigned col, const char *fmt, ...)
{
	char prefix[1024];
	va_list ap;

	if (line && col)
		snprintf(prefix, sizeof(prefix), "%s:%u:%u: ", file, line, col);
	else if (line)
		snprintf(prefix, sizeof(prefix), "%s:%u: ", file, line);
	else
		snprintf(prefix, sizeof(prefix), "%s: ", file);
	va_start(ap, fmt);
	record_error(prefix, fmt, ap);
	va_end(ap);
	return -1;
}

const char *iotb_last_error(void)
{
	return last_error[0] ? last_error : "unknown error";
}

void iotb_clear_error(void)
{
	last_error[0] = '\0';
}

static void *die_oom(size_t n)
{
	fprintf(stderr, "iotb: fatal: out of memory allocating %zu bytes\n", n);
	abort();
}

void *iotb_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	return p ? p : die_oom(n);
}

void *iotb_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	return p ? p : die_oom(n * size);
}

void *iotb_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	return q ? q : die_oom(n);
}

char *iotb_xstrdup(const char *s)
{
	return s ? iotb_xstrndup(s, strlen(s)) : NULL;
}

char *iotb_xstrndup(const char *s, size_t n)
{
	char *p = iotb_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *iotb_xasprintf(const char *fmt, ...)
{
	struct iotb_strbuf sb;
	va_list ap;

	iotb_strbuf_init(&sb);
	va_start(ap, fmt);
	iotb_strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	return iotb_strbuf_detach(&sb);
}

/* --- strbuf --- */

void iotb_strbuf_init(struct iotb_strbuf *sb)
{
	sb->alloc = 64;
	sb->len = 0;
	sb->buf = iotb_xmalloc(sb->alloc);
	sb->buf[0] = '\0';
}

void iotb_strbuf_release(struct iotb_strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->alloc = 0;
}

static void strbuf_grow(struct iotb_strbuf *sb, size_t extra)
{
	if (sb->len + extra + 1 <= sb->alloc)
		return;
	if (!sb->alloc)
		sb->alloc = 64;
	while (sb->len + extra + 1 > sb->alloc)
		sb->alloc *= 2;
	sb->buf = iotb_xrealloc(sb->buf, sb->alloc);
}

void iotb_strbuf_add(struct iotb_strbuf *sb, const void *data, size_t n)
{
	strbuf_grow(sb, n);
	memcpy(sb->buf + sb->len, data, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void iotb_strbuf_adds(struct iotb_strbuf *sb, const char *s)
{
	iotb_strbuf_add(sb, s, strlen(s));
}

void iotb_strbuf_vaddf(struct iotb_strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	strbuf_grow(sb, 0);
	va_copy(cp, ap);
	n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	if ((size_t)n >= sb->alloc - sb->len) {
		strbuf_grow(sb, (size_t)n);
		vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, ap);
	}
	sb->len += (size_t)n;
}

void iotb_strbuf_addf(struct iotb_strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	iotb_strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

char *iotb_strbuf_detach(struct iotb_strbuf *sb)
{
	char *s = sb->buf;

	sb->buf = NULL;
	sb->len = sb->alloc = 0;
	return s;
}

/* --- strvec --- */

void iotb_strvec_init(struct iotb_strvec *sv)
{
	sv->v = NULL;
	sv->n = sv->alloc = 0;
}

void iotb_strvec_release(struct iotb_strvec *sv)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	iotb_strvec_init(sv);
}

void iotb_strvec_push(struct iotb_strvec *sv, const char *s)
{
	if (sv->n == sv->alloc) {
		sv->alloc = sv->alloc ? sv->alloc * 2 : 8;
		sv->v = iotb_xrealloc(sv->v, sv->alloc * sizeof(*sv->v));
	}
	sv->v[sv->n++] = iotb_xstrdup(s);
}

bool iotb_strvec_contains(const struct iotb_strvec *sv, const char *s)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		if (!strcmp(sv->v[i], s))
			return true;
	return false;
}

/* --- glob --- */

/* Split s at '/' into non-empty segments (copies). */
static void split_segments(const char *s, struct iotb_strvec *out)
{
	char *copy = iotb_xstrdup(s), *tok, *save = NULL;

	for (tok = strtok_r(copy, "/", &save); tok; tok = strtok_r(NULL, "/", &save))
		iotb_strvec_push(out, tok);
	free(copy);
}

/*
 * Segment-wise match by dynamic programming, so patterns with many "**"
 * stay O(pattern segments × path segments) fnmatch calls:
 * row[j] tells whether pattern segments i.. match path segments j..;
 * "**" matches zero or more whole segments.
 */
static bool glob_segments(const char *pattern, const char *path)
{
	struct iotb_strvec pat, seg;
	bool *row, *next, ok;
	size_t i, j;

	iotb_strvec_init(&pat);
	iotb_strvec_init(&seg);
	split_segments(pattern, &pat);
	split_segments(path, &seg);
	row = iotb_xcalloc(seg.n + 1, sizeof(*row));
	next = iotb_xcalloc(seg.n + 1, sizeof(*next));
	next[seg.n] = true;   /* no pattern left matches only no path left */
	for (i = pat.n; i-- > 0;) {
		bool any = !strcmp(pat.v[i], "**");

		for (j = seg.n + 1; j-- > 0;) {
			if (any)
				row[j] = next[j] || (j < seg.n && row[j + 1]);
			else
				row[j] = j < seg.n && next[j + 1] &&
					 fnmatch(pat.v[i], seg.v[j], FNM_PERIOD) == 0;
		}
		memcpy(next, row, (seg.n + 1) * sizeof(*row));
	}
	ok = next[0];
	free(row);
	free(next);
	iotb_strvec_release(&pat);
	iotb_strvec_release(&seg);
	return ok;
}

bool iotb_glob_match(const char *pattern, const char *path)
{
	const char *base;

	while (path[0] == '.' && path[1] == '/')
		path += 2;
	if (!strchr(pattern, '/')) {
		base = strrchr(path, '/');
		return fnmatch(pattern, base ? base + 1 : path, FNM_PERIOD) == 0;
	}
	return glob_segments(pattern, path);
}

int iotb_glob_check(const char *pattern)
{
	const char *p;
	int depth = 0;

	if (!*pattern)
		return iotb_fail("empty glob");
	for (p = pattern; *p; p++) {
		if (*p == '\\' && p[1])
			p++;
		else if (*p == '[')
			depth++;
		else if (*p == ']' && depth)
			depth--;
	}
	if (depth)
		return iotb_fail("unterminated '[' in glob '%s'", pattern);
	if (strstr(pattern, "***"))
		return iotb_fail("'***' in glob '%s' (use '**' for any directories)", pattern);
	return 0;
}

/* --- files --- */

int iotb_read_file(const char *path, size_t max_bytes, char **out, size_t *len)
{
	struct iotb_strbuf sb;
	char chunk[65536];
	struct stat st;
	ssize_t n;
	/* O_NONBLOCK: a FIFO named as a config or rule file must not hang us. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);

	*out = NULL;
	*len = 0;
	if (fd < 0)
		return iotb_fail("cannot read '%s': %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return iotb_fail("cannot read '%s': not a regular file", path);
	}
	iotb_strbuf_init(&sb);
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || sb.len + (size_t)n > max_bytes) {
			int err = n < 0 ? errno : EFBIG;

			close(fd);
			iotb_strbuf_release(&sb);
			return iotb_fail("cannot read '%s': %s", path, strerror(err));
		}
		iotb_strbuf_add(&sb, chunk, (size_t)n);
	}
	close(fd);
	*len = sb.len;
	*out = iotb_strbuf_detach(&sb);
	return 0;
}

int iotb_write_file_atomic(const char *path, const void *data, size_t len)
{
	char *tmp = iotb_xasprintf("%s.tmp.XXXXXX", path);
	const char *p = data;
	int fd = mkstemp(tmp), ret = -1;

	if (fd < 0) {
		iotb_fail("cannot create a temporary file beside '%s': %s", path,
			  strerror(errno));
		goto out;
	}
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			iotb_fail("cannot write '%s': %s", tmp, strerror(errno));
			close(fd);
			unlink(tmp);
			goto out;
		}
		p += n;
		len -= (size_t)n;
	}
	fchmod(fd, 0644);
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		iotb_fail("cannot write '%s': %s", path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	ret = 0;
out:
	free(tmp);
	return ret;
}

/* --- hashes --- */

static void to_hex(const unsigned char *md, unsigned len, char *out)
{
	static const char hex[] = "0123456789abcdef";
	unsigned i;

	for (i = 0; i < len; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[2 * len] = '\0';
}

void iotb_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;

	EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
	to_hex(md, mdlen, out);
}

void iotb_hmac_sha256_hex(const void *key, size_t keylen, const void *data,
			  size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;

	HMAC(EVP_sha256(), key, (int)keylen, data, len, md, &mdlen);
	to_hex(md, mdlen, out);
}

/* --- UTF-8 --- */

/* Length of the valid UTF-8 sequence at s (RFC 3629), 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t left)
{
	size_t n, i;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n > left)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

bool iotb_is_utf8(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;

	while (i < len) {
		n = utf8_seq(p + i, len - i);
		if (!n)
			return false;
		i += n;
	}
	return true;
}

char *iotb_utf8_sanitize(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	struct iotb_strbuf sb;
	size_t i = 0, n;

	iotb_strbuf_init(&sb);
	while (i < len) {
		n = utf8_seq(p + i, len - i);
		if (n && p[i]) {
			iotb_strbuf_add(&sb, p + i, n);
			i += n;
		} else {
			iotb_strbuf_addf(&sb, "\\x%02X", p[i]);
			i++;
		}
	}
	return iotb_strbuf_detach(&sb);
}

/* --- paths --- */

char *iotb_path_join(const char *a, const char *b)
{
	size_t la = strlen(a);

	while (la > 1 && a[la - 1] == '/')
		la--;
	while (*b == '/')
		b++;
	if (!la)
		return iotb_xstrdup(b);
	return iotb_xasprintf("%.*s/%s", (int)la, a, b);
}

char *iotb_path_absolute(const char *base, const char *path)
{
	struct iotb_strbuf sb;
	char cwd[PATH_MAX];
	char *joined, *tok, *save = NULL;

	if (path[0] == '/')
		joined = iotb_xstrdup(path);
	else if (base && *base)
		joined = iotb_path_join(base, path);
	else
		joined = iotb_path_join(getcwd(cwd, sizeof(cwd)) ? cwd : "/", path);
	if (joined[0] != '/') {   /* a relative base: anchor it at the cwd too */
		char *abs = iotb_path_join(getcwd(cwd, sizeof(cwd)) ? cwd : "/", joined);

		free(joined);
		joined = abs;
	}
	iotb_strbuf_init(&sb);
	for (tok = strtok_r(joined, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (!strcmp(tok, "."))
			continue;
		if (!strcmp(tok, "..")) {
			char *slash = strrchr(sb.buf, '/');

			sb.len = slash ? (size_t)(slash - sb.buf) : 0;
			sb.buf[sb.len] = '\0';
			continue;
		}
		iotb_strbuf_addf(&sb, "/%s", tok);
	}
	if (!sb.len)
		iotb_strbuf_adds(&sb, "/");
	free(joined);
	return iotb_strbuf_detach(&sb);
}

char *iotb_path_relative(const char *root, const char *path)
{
	char *aroot = iotb_path_absolute(NULL, root), *apath = iotb_path_absolute(NULL, path), *res;
	size_t lr = strlen(aroot);

	if (lr == 1)
		res = iotb_xstrdup(apath + 1);
	else if (!strncmp(apath, aroot, lr) && apath[lr] == '/')
		res = iotb_xstrdup(apath + lr + 1);
	else if (!strcmp(apath, aroot))
		res = iotb_xstrdup(".");
	else
		res = iotb_xstrdup(path);
	free(aroot);
	free(apath);
	return res;
}

char *iotb_find_worktree_top(const char *dir)
{
	char *cur = iotb_path_absolute(NULL, dir);
	struct stat st;

	for (;;) {
		char *git = iotb_path_join(cur, ".git");
		bool found = lstat(git, &st) == 0;
		char *slash;

		free(git);
		if (found)
			return cur;
		slash = strrchr(cur, '/');
		if (!slash || slash == cur) {
			free(cur);
			return NULL;
		}
		*slash = '\0';
	}
}
