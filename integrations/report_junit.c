/*
 * report_junit.c — JUnit XML, written by our own writer (CUnit's XML
 * output in Debian's 2.1-3 aborts and writes malformed XML).  Schema we
 * keep to: tests/schemas/junit.xsd; fields: docs/report-format.md "JUnit".
 *
 * One <testsuite> per file (sorted by path), one <testcase> per (rule,
 * file) checked (sorted by rule id): classname is the file's path, name the
 * rule id.  A case fails when findings of that rule at that file are
 * shown (not suppressed); the <failure> lists them.  Cases that found
 * nothing are included.  "Checked" means: the file's engine analysed it
 * and the rule is enabled and belongs to that engine, or the rule has a
 * finding there (scan.* rules and files without an artifact).  Suppressed
 * and baselined findings only appear in the case's <system-out>.
 *
 * Every string is cleaned to valid UTF-8 without the control characters
 * XML 1.0 forbids (shown as \xNN) and escaped; no time stamps, so the
 * output does not depend on time or -j.
 */
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "engine.h"
#include "report_util.h"

/* One test case: a rule at a file, with its findings (borrowed). */
struct jcase {
	const char *path;
	const struct iotb_rule *rule;
	const struct iotb_finding **findings;
	size_t n;
};

struct jcases {
	struct jcase *v;
	size_t n;
};

/* What cases are made of: (path, rule) pairs, with a finding or none. */
struct jitem {
	const char *path;
	const struct iotb_rule *rule;
	const struct iotb_finding *finding;   /* NULL: the pair was checked */
	size_t order;                         /* finding order, for stability */
};

struct jitems {
	struct jitem *v;
	size_t n, alloc;
};

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static void item_add(struct jitems *it, const char *path, const struct iotb_rule *rule,
                     const struct iotb_finding *f, size_t order)
{
	if (it->n == it->alloc) {
		it->alloc = it->alloc ? it->alloc * 2 : 64;
		it->v = iotb_xrealloc(it->v, it->alloc * sizeof(*it->v));
	}
	it->v[it->n++] = (struct jitem){ path ? path : "", rule, f, order };
}

static bool engine_emits(const struct iotb_engine *e, const char *area)
{
	const char *const *a;

	for (a = e->areas; a && *a; a++)
		if (!strcmp(*a, area))
			return true;
	return false;
}

/* Pairs for every enabled rule of the engine that analysed each artifact. */
static void add_artifact_items(struct jitems *it, const struct iotb_report_ctx *ctx)
{
	size_t i, k;

	for (i = 0; i < ctx->res->nartifacts; i++) {
		const struct iotb_artifact *a = &ctx->res->artifacts[i];
		const struct iotb_engine *const *e;

		if (!a->engine)
			continue;
		for (e = iotb_engines; *e; e++) {
			if (strcmp((*e)->name, a->engine))
				continue;
			for (k = 0; k < ctx->cat->nrules; k++) {
				const struct iotb_rule *r = &ctx->cat->rules[k];

				if (r->enabled && engine_emits(*e, r->area))
					item_add(it, a->path, r, NULL, 0);
			}
		}
	}
}

/* By path, rule id, then checked-only pairs before findings in order. */
static int cmp_item(const void *pa, const void *pb)
{
	const struct jitem *a = pa, *b = pb;
	int c = cmp_str(a->path, b->path);

	if (c || (c = strcmp(a->rule->id, b->rule->id)))
		return c;
	if (!a->finding != !b->finding)
		return a->finding ? 1 : -1;
	return a->order < b->order ? -1 : a->order > b->order;
}

static bool same_case(const struct jitem *a, const struct jitem *b)
{
	return a->rule == b->rule && !cmp_str(a->path, b->path);
}

static void build_cases(struct jcases *cs, const struct iotb_report_ctx *ctx)
{
	struct jitems it = { NULL, 0, 0 };
	size_t i, k, start;

	memset(cs, 0, sizeof(*cs));
	add_artifact_items(&it, ctx);
	for (i = 0; i < ctx->res->nfindings; i++) {
		const struct iotb_finding *f = &ctx->res->findings[i];

		if (f->rule)
			item_add(&it, f->loc.path, f->rule, f, i);
	}
	if (it.n > 1)
		qsort(it.v, it.n, sizeof(*it.v), cmp_item);
	cs->v = iotb_xcalloc(it.n ? it.n : 1, sizeof(*cs->v));
	for (start = 0; start < it.n; start = i) {
		struct jcase *c = &cs->v[cs->n++];

		for (i = start; i < it.n && same_case(&it.v[i], &it.v[start]); i++)
			;
		c->path = it.v[start].path;
		c->rule = it.v[start].rule;
		c->findings = iotb_xcalloc(i - start, sizeof(*c->findings));
		for (k = start; k < i; k++)
			if (it.v[k].finding)
				c->findings[c->n++] = it.v[k].finding;
	}
	free(it.v);
}

static void release_cases(struct jcases *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++)
		free(cs->v[i].findings);
	free(cs->v);
}

/* Shown findings of a case, and the highest severity among them. */
static size_t case_failures(const struct jcase *c, enum iotb_severity *worst)
{
	size_t i, n = 0;

	*worst = IOTB_SEV_NOTE;
	for (i = 0; i < c->n; i++) {
		if (!iotb_report_is_shown(c->findings[i]))
			continue;
		n++;
		if (c->findings[i]->severity > *worst)
			*worst = c->findings[i]->severity;
	}
	return n;
}

static void add_finding_line(struct iotb_strbuf *sb, const struct iotb_finding *f)
{
	struct iotb_strbuf line;
	size_t i;

	iotb_strbuf_init(&line);
	iotb_report_add_place(&line, &f->loc);
	iotb_strbuf_addf(&line, ": %s: ", iotb_severity_name(f->severity));
	iotb_strbuf_adds(&line, f->message ? f->message : "");
	iotb_strbuf_addf(&line, " [%s]", f->rule->id);
	if (f->evidence)
		iotb_strbuf_addf(&line, "\n    evidence: %s", f->evidence);
	for (i = 0; i < f->nrelated; i++) {
		iotb_strbuf_adds(&line, "\n    related: ");
		iotb_report_add_place(&line, &f->related[i]);
		if (f->related[i].message)
			iotb_strbuf_addf(&line, ": %s", f->related[i].message);
	}
	for (i = 0; i < f->nflow; i++) {
		iotb_strbuf_addf(&line, "\n    flow %zu: ", i + 1);
		iotb_report_add_place(&line, &f->flow[i]);
		if (f->flow[i].message)
			iotb_strbuf_addf(&line, ": %s", f->flow[i].message);
	}
	iotb_strbuf_adds(&line, "\n");
	iotb_report_add_xml(sb, line.buf);
	iotb_strbuf_release(&line);
}

static void add_failure(struct iotb_strbuf *sb, const struct jcase *c, size_t nfail,
                        enum iotb_severity worst)
{
	size_t i;

	iotb_strbuf_adds(sb, "      <failure message=\"");
	iotb_report_add_count(sb, nfail, "finding", "findings");
	iotb_strbuf_addf(sb, " of %s\" type=\"%s\">", c->rule->id, iotb_severity_name(worst));
	for (i = 0; i < c->n; i++)
		if (iotb_report_is_shown(c->findings[i]))
			add_finding_line(sb, c->findings[i]);
	iotb_strbuf_adds(sb, "</failure>\n");
}

/* Suppressed and baselined findings, for people reading the case. */
static void add_system_out(struct iotb_strbuf *sb, const struct jcase *c)
{
	bool any = false;
	size_t i;

	for (i = 0; i < c->n; i++) {
		const struct iotb_finding *f = c->findings[i];
		struct iotb_strbuf line;

		if (iotb_report_is_shown(f))
			continue;
		if (!any)
			iotb_strbuf_adds(sb, "      <system-out>");
		any = true;
		iotb_strbuf_init(&line);
		iotb_strbuf_adds(&line, iotb_finding_is_baselined(f) ? "baselined: " : "suppressed: ");
		iotb_report_add_place(&line, &f->loc);
		iotb_strbuf_addf(&line, ": %s", f->message ? f->message : "");
		if (!iotb_finding_is_baselined(f))
			iotb_strbuf_addf(&line, " (reason: %s)", f->suppressed_by);
		iotb_strbuf_adds(&line, "\n");
		iotb_report_add_xml(sb, line.buf);
		iotb_strbuf_release(&line);
	}
	if (any)
		iotb_strbuf_adds(sb, "</system-out>\n");
}

static void add_case(struct iotb_strbuf *sb, const struct jcase *c)
{
	enum iotb_severity worst;
	size_t nfail = case_failures(c, &worst);

	iotb_strbuf_adds(sb, "    <testcase classname=\"");
	iotb_report_add_xml(sb, c->path);
	iotb_strbuf_adds(sb, "\" name=\"");
	iotb_report_add_xml(sb, c->rule->id);
	iotb_strbuf_adds(sb, "\" time=\"0\"");
	if (!nfail && c->n == 0) {
		iotb_strbuf_adds(sb, "/>\n");
		return;
	}
	iotb_strbuf_adds(sb, ">\n");
	if (nfail)
		add_failure(sb, c, nfail, worst);
	add_system_out(sb, c);
	iotb_strbuf_adds(sb, "    </testcase>\n");
}

/* The suite of cases [from, to) (one path). */
static void add_suite(struct iotb_strbuf *sb, const struct jcases *cs, size_t from, size_t to,
                      size_t id)
{
	enum iotb_severity worst;
	size_t i, failures = 0;

	for (i = from; i < to; i++)
		failures += case_failures(&cs->v[i], &worst) ? 1 : 0;
	iotb_strbuf_adds(sb, "  <testsuite name=\"");
	iotb_report_add_xml(sb, cs->v[from].path);
	iotb_strbuf_addf(sb, "\" id=\"%zu\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
	                 "skipped=\"0\" time=\"0\">\n", id, to - from, failures);
	for (i = from; i < to; i++)
		add_case(sb, &cs->v[i]);
	iotb_strbuf_adds(sb, "  </testsuite>\n");
}

static int write_junit(FILE *out, const struct iotb_report_ctx *ctx)
{
	struct iotb_strbuf sb;
	struct jcases cs;
	enum iotb_severity worst;
	size_t i, start, failures = 0, suites = 0;
	int rc;

	build_cases(&cs, ctx);
	for (i = 0; i < cs.n; i++)
		failures += case_failures(&cs.v[i], &worst) ? 1 : 0;
	iotb_strbuf_init(&sb);
	iotb_strbuf_adds(&sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	iotb_strbuf_addf(&sb, "<testsuites name=\"iotbaseline\" tests=\"%zu\" failures=\"%zu\" "
	                 "errors=\"0\" skipped=\"0\" time=\"0\">\n", cs.n, failures);
	for (start = 0; start < cs.n; start = i) {
		for (i = start; i < cs.n && !cmp_str(cs.v[i].path, cs.v[start].path); i++)
			;
		add_suite(&sb, &cs, start, i, suites++);
	}
	iotb_strbuf_adds(&sb, "</testsuites>\n");
	rc = iotb_report_emit(out, sb.buf, sb.len, "JUnit");
	iotb_strbuf_release(&sb);
	release_cases(&cs);
	return rc;
}

const struct iotb_reporter iotb_reporter_junit = {
	.name = "junit",
	.write = write_junit,
};
