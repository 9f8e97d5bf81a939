/*
 * secrets_text.c — hard-coded credentials in the printable strings of a
 * byte buffer (the data sections of an ELF image): `NAME=VALUE` /
 * `NAME:VALUE` assignments whose NAME matches the rule's `names` list
 * (lowercased first) and whose VALUE looks like a real value (long enough,
 * no format directive or template, not a placeholder, not a path, not a
 * UUID), user:password@ in URLs, and tokens of known formats (`tokens`
 * regexes).  Prose such as "passwd: unknown user" is not an assignment: a
 * colon must be followed directly by the value, and a value must end the
 * string, its line or its field.  Clause 5.2.6.1.4, CWE-798/259.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <pcre2.h>
#include <stdio.h>
#include <string.h>

#include "elfcheck.h"
#include "iotb_util.h"

#define MAX_NAME 63
#define MIN_STRING 6

struct scan {
	const unsigned char *buf;
	const struct iotb_cred_params *p;
	iotb_cred_cb cb;
	void *arg;
	size_t count;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
};

static bool is_printable(unsigned char c)
{
	return (c >= 0x20 && c < 0x7f) || c == '\t' || c == '\n' || c == '\r';
}

static bool is_name_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '-' || c == '.';
}

/* Characters that end an unquoted value. */
static bool is_value_end(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '&' || c == ';' ||
	       c == ',' || c == '"' || c == '\'';
}

static bool matches_any(const struct iotb_param *p, const char *s)
{
	if (!p || p->type != IOTB_PARAM_LIST)
		return false;
	for (size_t i = 0; i < p->nspecs; i++)
		if (iotb_funcspec_matches(&p->specs[i], s))
			return true;
	return false;
}

static void lower_copy(char *dst, const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = (char)tolower(s[i]);
	dst[n] = '\0';
}

/* 8-4-4-4-12 hexadecimal digits. */
static bool is_uuid(const unsigned char *v, size_t n)
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

	if (n != sizeof(shape) - 1)
		return false;
	for (size_t i = 0; i < n; i++)
		if (shape[i] == '-' ? v[i] != '-' : !isxdigit(v[i]))
			return false;
	return true;
}

/* A metavariable of a usage text: PASSWORD, BIND_DN. */
static bool is_metavariable(const unsigned char *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isupper(v[i]) && v[i] != '_')
			return false;
	return true;
}

static bool is_placeholder(const struct scan *s, const unsigned char *v, size_t n)
{
	char low[MAX_NAME + 1];
	size_t i;

	for (i = 1; i < n && v[i] == v[0]; i++)
		;
	if (i == n || is_metavariable(v, n))     /* "xxxx", "****", "PASSWORD" */
		return true;
	if (n > MAX_NAME)
		return false;
	lower_copy(low, v, n);
	return matches_any(s->p->placeholders, low);
}

/* Does v[0..n) look like a real value rather than a template or prose? */
static bool is_real_value(const struct scan *s, const unsigned char *v, size_t n)
{
	bool alnum = false;

	if (n < s->p->min_value_length || v[0] == '/')
		return false;
	for (size_t i = 0; i < n; i++) {
		if (strchr("%$<>{}()[]\\`", v[i]))
			return false;
		alnum |= isalnum(v[i]) != 0;
	}
	return alnum && !is_uuid(v, n) && !is_placeholder(s, v, n);
}

static void report(struct scan *s, const char *kind, const char *name, size_t at,
                   size_t value_at, size_t value_len, const char *note)
{
	struct iotb_cred_hit hit = { kind, at, value_at, value_len, "", note };

	snprintf(hit.name, sizeof(hit.name), "%s", name);
	s->cb(&hit, s->arg);
	s->count++;
}

/* The value after the separator at str[sep] (n bytes in the string):
 * its start and length, or false. */
static bool value_after(const unsigned char *str, size_t n, size_t sep, size_t *vs, size_t *vl)
{
	size_t i = sep + 1, start;
	unsigned char quote = 0;

	if (str[sep] == '=')
		while (i < n && str[i] == ' ')
			i++;
	if (i < n && (str[i] == '"' || str[i] == '\''))
		quote = str[i++];
	if (!quote && (i > sep + 1 || (sep > 0 && str[sep - 1] == ' ')))
		return false;                /* code: "x = y" needs a quoted literal */
	for (start = i; i < n && (quote ? str[i] != quote : !is_value_end(str[i])); i++)
		if (!quote && str[sep] == ':' && str[i] == ':')
			return false;        /* a colon-separated list, not a value */
	if (quote && i >= n)
		return false;
	*vs = start, *vl = i - start;
	if (quote)
		i++;
	while (i < n && (str[i] == ' ' || str[i] == '\t'))
		i++;
	/* the value ends its string, line or field — not a word in prose */
	if (i >= n || str[i] == '\n' || str[i] == '\r' || str[i] == '&' || str[i] == ';' ||
	    str[i] == ',')
		return true;
	while (i < n && is_name_char(str[i]))      /* or another NAME= follows */
		i++;
	return i < n && str[i] == '=';
}

/* An assignment with its separator (':' or '=') at str[sep]. */
static void check_assignment(struct scan *s, const unsigned char *str, size_t n, size_t sep,
                             size_t base)
{
	size_t end = sep, start, vs, vl;
	char name[MAX_NAME + 1];

	if (str[sep] == ':' && (sep + 1 >= n || str[sep + 1] == ' ' || str[sep + 1] == '/'))
		return;
	while (str[sep] == '=' && end > 0 && str[end - 1] == ' ')
		end--;
	for (start = end; start > 0 && is_name_char(str[start - 1]) && end - start < MAX_NAME; )
		start--;
	if (start == end || (start > 0 && !strchr(" \t\r\n&;,?'\"{(", str[start - 1])))
		return;
	if (!value_after(str, n, sep, &vs, &vl) || !is_real_value(s, str + vs, vl))
		return;
	lower_copy(name, str + start, end - start);
	if (matches_any(s->p->names, name))
		report(s, "assignment", name, base + start, base + vs, vl, NULL);
}

/* scheme://user:password@host */
static void check_url(struct scan *s, const unsigned char *str, size_t n, size_t colons,
                      size_t base)
{
	size_t i = colons + 3, user = i, pw = 0;

	for (; i < n && str[i] != '/' && str[i] != '@' && !is_value_end(str[i]); i++)
		if (str[i] == ':' && !pw)
			pw = i + 1;
	if (i >= n || str[i] != '@' || !pw || pw == user + 1)
		return;
	if (is_real_value(s, str + pw, i - pw))
		report(s, "url", "URL user:password", base + user, base + pw, i - pw, NULL);
}

/* JIT-compile a token regex once per process (a no-op where PCRE2 has no
 * JIT); matching falls back to the interpreter if this fails. */
static void jit(void *code)
{
	size_t size = 0;

	if (pcre2_pattern_info(code, PCRE2_INFO_JITSIZE, &size) == 0 && size == 0)
		pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
}

/* Token regexes run once over the whole buffer (not string by string):
 * PCRE2's start-of-match optimisation then skips most of it. */
static void check_tokens(struct scan *s, const unsigned char *buf, size_t n)
{
	const struct iotb_param *t = s->p->tokens;

	if (!t || t->type != IOTB_PARAM_LIST)
		return;
	for (size_t k = 0; k < t->nspecs; k++) {
		const struct iotb_funcspec *spec = &t->specs[k];
		PCRE2_SIZE at = 0, *ov;

		if (spec->kind != IOTB_MATCH_REGEX || !spec->regex)
			continue;
		jit(spec->regex);
		while (at < n && pcre2_match(spec->regex, buf, n, at, 0, s->md, s->mctx) >= 0) {
			ov = pcre2_get_ovector_pointer(s->md);
			if (ov[1] <= ov[0])
				break;
			report(s, "token", spec->note ? spec->note : spec->pattern, ov[0], ov[0],
			       ov[1] - ov[0], spec->note);
			at = ov[1];
		}
	}
}

/* The next '=' or ':' at or after i, or n. */
static size_t next_separator(const unsigned char *buf, size_t n, size_t i)
{
	const unsigned char *eq = memchr(buf + i, '=', n - i), *co = memchr(buf + i, ':', n - i);

	if (!eq && !co)
		return n;
	if (!eq || (co && co < eq))
		return (size_t)(co - buf);
	return (size_t)(eq - buf);
}

/* The printable string around buf[at]: [*start, *end). */
static void string_bounds(const unsigned char *buf, size_t n, size_t at, size_t *start,
                          size_t *end)
{
	for (*start = at; *start > 0 && is_printable(buf[*start - 1]); (*start)--)
		;
	for (*end = at; *end < n && is_printable(buf[*end]); (*end)++)
		;
}

/* Only strings holding '=' or ':' can hold an assignment or a URL: the
 * scan jumps from separator to separator. */
static void scan_separators(struct scan *s, const unsigned char *buf, size_t n)
{
	size_t i = 0, start = 0, end = 0;

	while ((i = next_separator(buf, n, i)) < n) {
		if (i >= end)
			string_bounds(buf, n, i, &start, &end);
		if (end - start >= MIN_STRING) {
			const unsigned char *str = buf + start;

			check_assignment(s, str, end - start, i - start, start);
			if (buf[i] == ':' && i + 2 < end && buf[i + 1] == '/' && buf[i + 2] == '/')
				check_url(s, str, end - start, i - start, start);
		}
		i++;
	}
}

size_t iotb_find_credentials(const unsigned char *buf, size_t n,
                             const struct iotb_cred_params *p, iotb_cred_cb cb, void *arg)
{
	struct scan s = { buf, p, cb, arg, 0, NULL, NULL };

	s.md = pcre2_match_data_create(4, NULL);
	s.mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(s.mctx, 100000);
	scan_separators(&s, buf, n);
	check_tokens(&s, buf, n);
	pcre2_match_context_free(s.mctx);
	pcre2_match_data_free(s.md);
	return s.count;
}
