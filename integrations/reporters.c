/*
 * reporters.c — the reporter table (reporters.def) and what every report
 * shares: clause ordering, the per-clause summary (which rules ran for a
 * clause, findings against it by severity) and path → URI encoding.
 */
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "report.h"

static const struct iotb_reporter *const reporters[] = {
#define IOTB_REPORTER(name) &iotb_reporter_##name,
#include "reporters.def"
#undef IOTB_REPORTER
	NULL,
};

/* ", text, json" — iotb_reporter_names() skips the leading ", ". */
static const char reporter_names[] =
#define IOTB_REPORTER(name) ", " #name
#include "reporters.def"
#undef IOTB_REPORTER
	;

const struct iotb_reporter *iotb_reporter_find(const char *name)
{
	const struct iotb_reporter *const *r;

	for (r = reporters; name && *r; r++)
		if (!strcmp((*r)->name, name))
			return *r;
	return NULL;
}

const char *iotb_reporter_names(void)
{
	return reporter_names + 2;
}

/* Parse one run of decimal digits at *s (advancing); -1 when none. */
static long take_number(const char **s)
{
	long v = 0;
	int digits = 0;

	while (**s >= '0' && **s <= '9') {
		if (v < 100000000L)
			v = v * 10 + (**s - '0');
		(*s)++;
		digits++;
	}
	return digits ? v : -1;
}

int iotb_clause_id_cmp(const char *a, const char *b)
{
	for (;;) {
		long na = take_number(&a), nb = take_number(&b);

		if (na != nb)
			return na < nb ? -1 : 1;
		if (*a == '.' && *b == '.') {
			a++;
			b++;
			continue;
		}
		/* One id ends its numbers before the other: shorter first. */
		if (*a == '.')
			return 1;
		if (*b == '.')
			return -1;
		return strcmp(a, b);
	}
}

static bool rule_names_clause(const struct iotb_rule *rule, const char *clause)
{
	size_t i;

	for (i = 0; i < rule->nclauses; i++)
		if (!strcmp(rule->clauses[i], clause))
			return true;
	return false;
}

static bool rule_ran(const struct iotb_report_ctx *ctx, const struct iotb_rule *rule)
{
	const struct iotb_engine *engine;

	if (!rule->enabled)
		return false;
	if (!strcmp(rule->area, "scan"))
		return true;
	engine = iotb_engine_for_area(rule->area);
	return engine && iotb_strvec_contains(&ctx->res->engines_ran, engine->name);
}

int iotb_clause_rules_ran(const struct iotb_report_ctx *ctx, const char *clause,
                          struct iotb_strvec *rule_ids)
{
	size_t i;
	int n = 0;

	for (i = 0; i < ctx->cat->nrules; i++) {
		const struct iotb_rule *rule = &ctx->cat->rules[i];

		if (!rule_names_clause(rule, clause) || !rule_ran(ctx, rule))
			continue;
		if (rule_ids)
			iotb_strvec_push(rule_ids, rule->id);
		n++;
	}
	return n;
}

static void count_finding(struct iotb_clause_summary *s, enum iotb_severity sev)
{
	if (sev == IOTB_SEV_ERROR)
		s->errors++;
	else if (sev == IOTB_SEV_WARNING)
		s->warnings++;
	else
		s->notes++;
}

static int cmp_summary(const void *pa, const void *pb)
{
	const struct iotb_clause_summary *a = pa, *b = pb;

	return iotb_clause_id_cmp(a->clause->id, b->clause->id);
}

struct iotb_clause_summary *iotb_clause_summaries(const struct iotb_report_ctx *ctx,
                                                  size_t *n)
{
	const struct iotb_catalogue *cat = ctx->cat;
	struct iotb_clause_summary *sums;
	size_t i, k;

	sums = iotb_xcalloc(cat->nclauses ? cat->nclauses : 1, sizeof(*sums));
	for (i = 0; i < cat->nclauses; i++) {
		sums[i].clause = &cat->clauses[i];
		iotb_strvec_init(&sums[i].rules_ran);
		iotb_clause_rules_ran(ctx, cat->clauses[i].id, &sums[i].rules_ran);
	}
	qsort(sums, cat->nclauses, sizeof(*sums), cmp_summary);

	for (i = 0; i < ctx->res->nfindings; i++) {
		const struct iotb_finding *f = &ctx->res->findings[i];

		if (f->suppressed_by || !f->rule)
			continue;
		for (k = 0; k < cat->nclauses; k++)
			if (rule_names_clause(f->rule, sums[k].clause->id))
				count_finding(&sums[k], f->severity);
	}
	*n = cat->nclauses;
	return sums;
}

void iotb_clause_summaries_free(struct iotb_clause_summary *s, size_t n)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < n; i++)
		iotb_strvec_release(&s[i].rules_ran);
	free(s);
}

const char *iotb_clause_status(const struct iotb_clause_summary *s)
{
	if (s->errors + s->warnings + s->notes > 0)
		return "evidence";
	if (s->rules_ran.n > 0)
		return "no-evidence";
	return "not-checked";
}

/* RFC 3986 section 2.3 */
static bool is_uri_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	       c == '~';
}

char *iotb_uri_encode_path(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	struct iotb_strbuf sb;
	const unsigned char *p;

	iotb_strbuf_init(&sb);
	for (p = (const unsigned char *)path; *p; p++) {
		if (is_uri_unreserved(*p) || *p == '/') {
			iotb_strbuf_add(&sb, p, 1);
		} else {
			char esc[3] = { '%', hex[*p >> 4], hex[*p & 15] };

			iotb_strbuf_add(&sb, esc, 3);
		}
	}
	return iotb_strbuf_detach(&sb);
}

void iotb_report_count(const struct iotb_results *res, struct iotb_report_counts *c)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < res->nfindings; i++) {
		const struct iotb_finding *f = &res->findings[i];

		if (f->suppressed_by)
			c->suppressed++;
		else if (f->severity == IOTB_SEV_ERROR)
			c->errors++;
		else if (f->severity == IOTB_SEV_WARNING)
			c->warnings++;
		else
			c->notes++;
	}
}
