/*
 * finding.c — the result set: findings, artifacts, skipped-kind counts,
 * evidence masking, fingerprints and the deterministic sort (DESIGN.md
 * "The finding and the facts").
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "finding.h"
#include "suppress.h"

/* --- locations --- */

void iotb_location_release(struct iotb_location *loc)
{
	free(loc->path);
	free(loc->section);
	free(loc->symbol);
	free(loc->field);
	free(loc->message);
	memset(loc, 0, sizeof(*loc));
}

void iotb_location_copy(struct iotb_location *dst, const struct iotb_location *src)
{
	*dst = *src;
	dst->path = iotb_xstrdup(src->path);
	dst->section = iotb_xstrdup(src->section);
	dst->symbol = iotb_xstrdup(src->symbol);
	dst->field = iotb_xstrdup(src->field);
	dst->message = iotb_xstrdup(src->message);
}

/* --- result set --- */

void iotb_results_init(struct iotb_results *res)
{
	memset(res, 0, sizeof(*res));
	iotb_strvec_init(&res->engines_ran);
}

static void finding_release(struct iotb_finding *f)
{
	size_t i;

	iotb_location_release(&f->loc);
	free(f->message);
	free(f->evidence);
	free(f->function);
	free(f->snippet);
	for (i = 0; i < f->nrelated; i++)
		iotb_location_release(&f->related[i]);
	free(f->related);
	for (i = 0; i < f->nflow; i++)
		iotb_location_release(&f->flow[i]);
	free(f->flow);
	json_decref(f->properties);
	free(f->suppressed_by);
}

static void artifact_release(struct iotb_artifact *a)
{
	free(a->path);
	free(a->kind);
	free(a->engine);
	json_decref(a->facts);
}

void iotb_results_release(struct iotb_results *res)
{
	size_t i;

	for (i = 0; i < res->nfindings; i++)
		finding_release(&res->findings[i]);
	free(res->findings);
	for (i = 0; i < res->nartifacts; i++)
		artifact_release(&res->artifacts[i]);
	free(res->artifacts);
	for (i = 0; i < res->nskipped; i++)
		free(res->skipped[i].kind);
	free(res->skipped);
	for (i = 0; i < res->ninline; i++)
		iotb_inline_supp_release(&res->inline_supps[i]);
	free(res->inline_supps);
	iotb_strvec_release(&res->engines_ran);
	free(res->source_root);
	iotb_results_init(res);
}

static struct iotb_finding *new_finding(struct iotb_results *res)
{
	struct iotb_finding *f;

	if (res->nfindings == res->afindings) {
		res->afindings = res->afindings ? res->afindings * 2 : 16;
		res->findings = iotb_xrealloc(res->findings,
					      res->afindings * sizeof(*res->findings));
	}
	f = &res->findings[res->nfindings++];
	memset(f, 0, sizeof(*f));
	return f;
}

struct iotb_finding *iotb_results_add(struct iotb_results *res,
				      const struct iotb_rule *rule, const char *path,
				      unsigned line, unsigned col, const char *fmt, ...)
{
	struct iotb_finding *f = new_finding(res);
	struct iotb_strbuf sb;
	va_list ap;

	f->rule = rule;
	f->severity = rule->severity;
	f->loc.path = iotb_xstrdup(path);
	f->loc.line = line;
	f->loc.col = col;
	iotb_strbuf_init(&sb);
	va_start(ap, fmt);
	iotb_strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	f->message = iotb_strbuf_detach(&sb);
	return f;
}

struct iotb_artifact *iotb_results_add_artifact(struct iotb_results *res,
						const char *path, const char *kind)
{
	struct iotb_artifact *a;

	if (res->nartifacts == res->aartifacts) {
		res->aartifacts = res->aartifacts ? res->aartifacts * 2 : 16;
		res->artifacts = iotb_xrealloc(res->artifacts,
					       res->aartifacts * sizeof(*res->artifacts));
	}
	a = &res->artifacts[res->nartifacts++];
	memset(a, 0, sizeof(*a));
	a->path = iotb_xstrdup(path);
	a->kind = iotb_xstrdup(kind);
	return a;
}

void iotb_results_add_skipped(struct iotb_results *res, const char *kind, unsigned long n)
{
	size_t i;

	for (i = 0; i < res->nskipped; i++) {
		if (!strcmp(res->skipped[i].kind, kind)) {
			res->skipped[i].count += n;
			return;
		}
	}
	res->skipped = iotb_xrealloc(res->skipped, (res->nskipped + 1) * sizeof(*res->skipped));
	res->skipped[res->nskipped].kind = iotb_xstrdup(kind);
	res->skipped[res->nskipped].count = n;
	res->nskipped++;
}

void iotb_results_count_skipped(struct iotb_results *res, const char *kind)
{
	iotb_results_add_skipped(res, kind, 1);
}

void iotb_results_absorb(struct iotb_results *dst, struct iotb_results *src)
{
	size_t i;

	for (i = 0; i < src->nfindings; i++)
		*new_finding(dst) = src->findings[i];
	src->nfindings = 0;
	for (i = 0; i < src->nartifacts; i++) {
		struct iotb_artifact *a = iotb_results_add_artifact(dst, "", "");

		free(a->path);
		free(a->kind);
		*a = src->artifacts[i];
	}
	src->nartifacts = 0;
	for (i = 0; i < src->nskipped; i++)
		iotb_results_add_skipped(dst, src->skipped[i].kind, src->skipped[i].count);
	for (i = 0; i < src->ninline; i++) {
		if (dst->ninline == dst->ainline) {
			dst->ainline = dst->ainline ? dst->ainline * 2 : 8;
			dst->inline_supps = iotb_xrealloc(dst->inline_supps,
							  dst->ainline * sizeof(*dst->inline_supps));
		}
		dst->inline_supps[dst->ninline++] = src->inline_supps[i];
	}
	src->ninline = 0;
	for (i = 0; i < src->engines_ran.n; i++)
		if (!iotb_strvec_contains(&dst->engines_ran, src->engines_ran.v[i]))
			iotb_strvec_push(&dst->engines_ran, src->engines_ran.v[i]);
	dst->files_seen += src->files_seen;
	iotb_results_release(src);
}

static void add_step(struct iotb_location **v, size_t *n, const char *path,
		     unsigned line, unsigned col, const char *message)
{
	struct iotb_location *loc;

	*v = iotb_xrealloc(*v, (*n + 1) * sizeof(**v));
	loc = &(*v)[(*n)++];
	memset(loc, 0, sizeof(*loc));
	loc->path = iotb_xstrdup(path);
	loc->line = line;
	loc->col = col;
	loc->message = iotb_xstrdup(message);
}

void iotb_finding_add_related(struct iotb_finding *f, const char *path,
			      unsigned line, unsigned col, const char *message)
{
	add_step(&f->related, &f->nrelated, path, line, col, message);
}

void iotb_finding_add_flow(struct iotb_finding *f, const char *path,
			   unsigned line, unsigned col, const char *message)
{
	add_step(&f->flow, &f->nflow, path, line, col, message);
}

/* --- masking --- */

static unsigned char *project_key;
static size_t project_keylen;

void iotb_set_project_key(const void *key, size_t keylen)
{
	free(project_key);
	project_key = NULL;
	project_keylen = 0;
	if (key && keylen) {
		project_key = iotb_xmalloc(keylen);
		memcpy(project_key, key, keylen);
		project_keylen = keylen;
	}
}

char *iotb_mask_secret(const char *secret, size_t len, const void *key, size_t keylen)
{
	char hmac[65];
	char *head, *tail, *res;

	if (len >= 12) {
		head = iotb_utf8_sanitize(secret, 2);
		tail = iotb_utf8_sanitize(secret + len - 2, 2);
		res = iotb_xasprintf("%s…%s (%zu chars)", head, tail, len);
		free(head);
		free(tail);
		return res;
	}
	if (!key || !keylen)
		return iotb_xasprintf("<%zu chars>", len);
	iotb_hmac_sha256_hex(key, keylen, secret, len, hmac);
	return iotb_xasprintf("<%zu chars, hmac-sha256:%.16s>", len, hmac);
}

void iotb_finding_set_secret(struct iotb_finding *f, const char *secret, size_t len)
{
	free(f->evidence);
	f->evidence = iotb_mask_secret(secret, len, project_key, project_keylen);
}

/* --- fingerprints and order --- */

char *iotb_normalise_snippet(const char *s)
{
	struct iotb_strbuf sb;
	bool space = false;

	iotb_strbuf_init(&sb);
	for (; s && *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\v' ||
		    *s == '\f') {
			space = sb.len > 0;
			continue;
		}
		if (space)
			iotb_strbuf_add(&sb, " ", 1);
		space = false;
		iotb_strbuf_add(&sb, s, 1);
	}
	return iotb_strbuf_detach(&sb);
}

/* The text of line (1-based) of a file, cached for consecutive calls. */
struct line_cache {
	char *path;
	char *text;
	size_t len;
};

static char *source_line(struct line_cache *lc, const char *path, unsigned line)
{
	const char *p, *end;
	unsigned n = 1;

	if (!lc->path || strcmp(lc->path, path)) {
		free(lc->path);
		free(lc->text);
		lc->path = iotb_xstrdup(path);
		if (iotb_read_file(path, 64u << 20, &lc->text, &lc->len) < 0)
			lc->text = NULL;
	}
	if (!lc->text)
		return NULL;
	for (p = lc->text; n < line && (p = memchr(p, '\n', lc->len - (size_t)(p - lc->text)));
	     n++)
		p++;
	if (!p)
		return NULL;
	end = memchr(p, '\n', lc->len - (size_t)(p - lc->text));
	return iotb_xstrndup(p, end ? (size_t)(end - p) : lc->len - (size_t)(p - lc->text));
}

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int cmp_uint(unsigned long long a, unsigned long long b)
{
	return a < b ? -1 : a > b;
}

/* Order of findings in every report: path, line, col, rule, fingerprint. */
static int cmp_finding(const void *pa, const void *pb)
{
	const struct iotb_finding *a = pa, *b = pb;
	int c;

	if ((c = cmp_str(a->loc.path, b->loc.path)) ||
	    (c = cmp_uint(a->loc.line, b->loc.line)) ||
	    (c = cmp_uint(a->loc.col, b->loc.col)) ||
	    (c = cmp_str(a->rule->id, b->rule->id)) ||
	    (c = strcmp(a->fingerprint, b->fingerprint)))
		return c;
	return cmp_uint(a->loc.offset, b->loc.offset);
}

/* Position order used for occurrence indexes within one fingerprint key. */
static int cmp_position(const struct iotb_finding *a, const struct iotb_finding *b)
{
	int c;

	if ((c = cmp_uint(a->loc.line, b->loc.line)) || (c = cmp_uint(a->loc.col, b->loc.col)) ||
	    (c = cmp_uint(a->loc.offset, b->loc.offset)))
		return c;
	return cmp_str(a->message, b->message);
}

/* qsort that accepts an empty (NULL) array. */
static void sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

struct fp_entry {
	struct iotb_finding *f;
	char *key;
};

static int cmp_fp_entry(const void *pa, const void *pb)
{
	const struct fp_entry *a = pa, *b = pb;
	int c = strcmp(a->key, b->key);

	return c ? c : cmp_position(a->f, b->f);
}

static int cmp_by_path(const void *pa, const void *pb)
{
	const struct fp_entry *a = pa, *b = pb;

	return cmp_str(a->f->loc.path, b->f->loc.path);
}

/* rule \0 repo-relative path \0 function \0 normalised snippet */
static char *fingerprint_key(const struct iotb_results *res, struct iotb_finding *f,
			     struct line_cache *lc)
{
	char *rel = iotb_path_relative(res->source_root ? res->source_root : ".",
				       f->loc.path ? f->loc.path : "");
	char *raw = NULL, *snippet, *key;

	if (!f->snippet && f->loc.line && !f->loc.has_offset)
		raw = source_line(lc, f->loc.path, f->loc.line);
	if (!f->snippet && !raw)
		raw = iotb_xasprintf("%s|%s|%s", f->loc.section ? f->loc.section : "",
				     f->loc.symbol ? f->loc.symbol : "",
				     f->evidence ? f->evidence : f->message);
	snippet = iotb_normalise_snippet(f->snippet ? f->snippet : raw);
	key = iotb_xasprintf("%s%c%s%c%s%c%s", f->rule->id, 0x1f, rel, 0x1f,
			     f->function ? f->function : "", 0x1f, snippet);
	free(rel);
	free(raw);
	free(snippet);
	return key;
}

void iotb_results_fingerprint(struct iotb_results *res)
{
	struct fp_entry *e = iotb_xcalloc(res->nfindings, sizeof(*e));
	struct line_cache lc = { NULL, NULL, 0 };
	size_t i, occurrence = 0;

	for (i = 0; i < res->nfindings; i++)
		e[i].f = &res->findings[i];
	sort(e, res->nfindings, sizeof(*e), cmp_by_path);
	for (i = 0; i < res->nfindings; i++)
		e[i].key = fingerprint_key(res, e[i].f, &lc);
	sort(e, res->nfindings, sizeof(*e), cmp_fp_entry);
	for (i = 0; i < res->nfindings; i++) {
		char *material;

		occurrence = i && !strcmp(e[i].key, e[i - 1].key) ? occurrence + 1 : 0;
		material = iotb_xasprintf("%s%c%zu", e[i].key, 0x1f, occurrence);
		iotb_sha256_hex(material, strlen(material), e[i].f->fingerprint);
		free(material);
	}
	for (i = 0; i < res->nfindings; i++)
		free(e[i].key);
	free(lc.path);
	free(lc.text);
	free(e);
}

static int cmp_artifact(const void *pa, const void *pb)
{
	const struct iotb_artifact *a = pa, *b = pb;

	return cmp_str(a->path, b->path);
}

static int cmp_kind(const void *pa, const void *pb)
{
	const struct iotb_kind_count *a = pa, *b = pb;

	return strcmp(a->kind, b->kind);
}

static int cmp_cstr(const void *pa, const void *pb)
{
	return strcmp(*(char *const *)pa, *(char *const *)pb);
}

/* Same place, rule, message and evidence: the same finding. */
static int cmp_identity(const void *pa, const void *pb)
{
	const struct iotb_finding *a = pa, *b = pb;
	int c;

	if ((c = cmp_str(a->loc.path, b->loc.path)) ||
	    (c = cmp_uint(a->loc.line, b->loc.line)) ||
	    (c = cmp_uint(a->loc.col, b->loc.col)) ||
	    (c = cmp_uint(a->loc.offset, b->loc.offset)) ||
	    (c = cmp_str(a->rule->id, b->rule->id)) ||
	    (c = cmp_str(a->message, b->message)))
		return c;
	return cmp_str(a->evidence, b->evidence);
}

/*
 * Drop findings identical to another (a header seen from several TUs
 * analysed by different workers reports the same finding each time).
 */
static void drop_duplicates(struct iotb_results *res)
{
	size_t i, kept = 0;

	sort(res->findings, res->nfindings, sizeof(*res->findings), cmp_identity);
	for (i = 0; i < res->nfindings; i++) {
		if (kept && !cmp_identity(&res->findings[kept - 1], &res->findings[i])) {
			finding_release(&res->findings[i]);
			continue;
		}
		res->findings[kept++] = res->findings[i];
	}
	res->nfindings = kept;
}

void iotb_results_finish(struct iotb_results *res)
{
	drop_duplicates(res);
	iotb_results_fingerprint(res);
	sort(res->findings, res->nfindings, sizeof(*res->findings), cmp_finding);
	sort(res->artifacts, res->nartifacts, sizeof(*res->artifacts), cmp_artifact);
	sort(res->skipped, res->nskipped, sizeof(*res->skipped), cmp_kind);
	sort(res->engines_ran.v, res->engines_ran.n, sizeof(char *), cmp_cstr);
}
