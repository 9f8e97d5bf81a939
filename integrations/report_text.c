/*
 * report_text.c — the text report: one compiler-style line per unsuppressed
 * finding (DESIGN.md "Location"), its evidence, related locations and code
 * flow on indented lines, then a summary and the per-clause summary.
 *
 *   src/a.c:3:5: warning: message [rule] [27402 5.2.6.1.4] [CWE-798]
 *   bin/x: warning: message [rule] [.rodata+0x1f30 sym foo] [27402 …]
 *
 * Every byte printed is valid UTF-8 with no control characters (file names
 * may hold any bytes), and nothing depends on time or scan order.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_util.h"

/* Append s made printable: invalid UTF-8 and control bytes as \xNN. */
static void add_clean(struct iotb_strbuf *sb, const char *s)
{
	char *utf8 = iotb_utf8_sanitize(s, strlen(s));
	const unsigned char *p;

	for (p = (const unsigned char *)utf8; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			iotb_strbuf_addf(sb, "\\x%02X", *p);
		else
			iotb_strbuf_add(sb, p, 1);
	}
	free(utf8);
}

static void add_rule_refs(struct iotb_strbuf *sb, const struct iotb_rule *rule)
{
	size_t i;

	if (rule->nclauses) {
		iotb_strbuf_adds(sb, " [27402 ");
		for (i = 0; i < rule->nclauses; i++)
			iotb_strbuf_addf(sb, "%s%s", i ? "," : "", rule->clauses[i]);
		iotb_strbuf_adds(sb, "]");
	}
	if (rule->ncwes) {
		iotb_strbuf_adds(sb, " [");
		for (i = 0; i < rule->ncwes; i++)
			iotb_strbuf_addf(sb, "%sCWE-%d", i ? "," : "", rule->cwes[i]);
		iotb_strbuf_adds(sb, "]");
	}
}

/* "    LABEL: path:line:col: message" for a related location / flow step. */
static void add_step(struct iotb_strbuf *sb, const char *label,
                     const struct iotb_location *loc)
{
	iotb_strbuf_addf(sb, "    %s: ", label);
	iotb_report_add_place(sb, loc);
	if (loc->message) {
		iotb_strbuf_adds(sb, ": ");
		add_clean(sb, loc->message);
	}
	iotb_strbuf_adds(sb, "\n");
}

static void add_finding(struct iotb_strbuf *sb, const struct iotb_finding *f)
{
	size_t i;

	iotb_report_add_position(sb, &f->loc);
	iotb_strbuf_addf(sb, ": %s: ", iotb_severity_name(f->severity));
	add_clean(sb, f->message ? f->message : "");
	iotb_strbuf_adds(sb, " [");
	add_clean(sb, f->rule->id);
	iotb_strbuf_adds(sb, "]");
	iotb_report_add_binary_place(sb, &f->loc);
	add_rule_refs(sb, f->rule);
	iotb_strbuf_adds(sb, "\n");

	if (f->evidence) {
		iotb_strbuf_adds(sb, "    evidence: ");
		add_clean(sb, f->evidence);
		iotb_strbuf_adds(sb, "\n");
	}
	for (i = 0; i < f->nrelated; i++)
		add_step(sb, "related", &f->related[i]);
	for (i = 0; i < f->nflow; i++) {
		char label[32];

		snprintf(label, sizeof(label), "flow %zu", i + 1);
		add_step(sb, label, &f->flow[i]);
	}
}

static const char *plural(unsigned long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void add_totals(struct iotb_strbuf *sb, const struct iotb_results *res)
{
	struct iotb_report_counts c;
	unsigned long total;
	size_t i;

	iotb_report_count(res, &c);
	total = c.errors + c.warnings + c.notes;
	iotb_strbuf_addf(sb, "summary: %lu %s seen, %lu %s (%lu %s, %lu %s, %lu %s), "
	                 "%lu suppressed\n",
	                 res->files_seen, plural(res->files_seen, "file", "files"),
	                 total, plural(total, "finding", "findings"),
	                 c.errors, plural(c.errors, "error", "errors"),
	                 c.warnings, plural(c.warnings, "warning", "warnings"),
	                 c.notes, plural(c.notes, "note", "notes"), c.suppressed);
	iotb_strbuf_adds(sb, "skipped, by kind:");
	if (!res->nskipped)
		iotb_strbuf_adds(sb, " none");
	for (i = 0; i < res->nskipped; i++) {
		iotb_strbuf_adds(sb, i ? ", " : " ");
		add_clean(sb, res->skipped[i].kind);
		iotb_strbuf_addf(sb, " %lu", res->skipped[i].count);
	}
	iotb_strbuf_adds(sb, "\n");
}

static void add_rule_list(struct iotb_strbuf *sb, const struct iotb_strvec *ids)
{
	size_t i;

	for (i = 0; i < ids->n; i++)
		iotb_strbuf_addf(sb, "%s%s", i ? ", " : "", ids->v[i]);
}

/*
 *   5.2.6.1.4 (requirement) Title
 *       evidence against it: 2 findings (1 error, 1 warning, 0 notes); rules ran: a.b, c.d
 *       no evidence found by 2 rules: a.b, c.d
 * Clauses no rule checked are listed together afterwards (add_clauses).
 */
static void add_clause(struct iotb_strbuf *sb, const struct iotb_clause_summary *s)
{
	const struct iotb_clause *cl = s->clause;
	unsigned long total = s->errors + s->warnings + s->notes;
	const char *status = iotb_clause_status(s);

	iotb_strbuf_addf(sb, "  %s (%s) ", cl->id,
	                 cl->kind == IOTB_CLAUSE_REQUIREMENT ? "requirement"
	                                                     : "recommendation");
	add_clean(sb, cl->title ? cl->title : "");
	iotb_strbuf_adds(sb, "\n      ");
	if (!strcmp(status, "evidence")) {
		iotb_strbuf_addf(sb, "evidence against it: %lu %s (%lu %s, %lu %s, %lu %s)",
		                 total, plural(total, "finding", "findings"),
		                 s->errors, plural(s->errors, "error", "errors"),
		                 s->warnings, plural(s->warnings, "warning", "warnings"),
		                 s->notes, plural(s->notes, "note", "notes"));
		if (s->rules_ran.n) {
			iotb_strbuf_adds(sb, "; rules ran: ");
			add_rule_list(sb, &s->rules_ran);
		}
	} else {
		iotb_strbuf_addf(sb, "no evidence found by %zu %s: ", s->rules_ran.n,
		                 plural(s->rules_ran.n, "rule", "rules"));
		add_rule_list(sb, &s->rules_ran);
	}
	iotb_strbuf_adds(sb, "\n");
}

static void add_clauses(struct iotb_strbuf *sb, const struct iotb_report_ctx *ctx)
{
	struct iotb_clause_summary *sums;
	size_t n, i, unchecked;

	sums = iotb_clause_summaries(ctx, &n);
	iotb_strbuf_adds(sb, "clauses (ISO/IEC 27402; evidence found, not a certification):\n");
	for (i = 0; i < n; i++)
		if (strcmp(iotb_clause_status(&sums[i]), "not-checked"))
			add_clause(sb, &sums[i]);
	for (i = 0, unchecked = 0; i < n; i++) {
		if (strcmp(iotb_clause_status(&sums[i]), "not-checked"))
			continue;
		iotb_strbuf_adds(sb, unchecked++ ? ", " : "  not checked by any rule that ran: ");
		iotb_strbuf_adds(sb, sums[i].clause->id);
	}
	if (unchecked)
		iotb_strbuf_adds(sb, "\n");
	iotb_clause_summaries_free(sums, n);
}

static int write_text(FILE *out, const struct iotb_report_ctx *ctx)
{
	const struct iotb_results *res = ctx->res;
	struct iotb_strbuf sb;
	bool any = false;
	size_t i;
	int rc = 0;

	iotb_strbuf_init(&sb);
	for (i = 0; i < res->nfindings; i++) {
		if (res->findings[i].suppressed_by || !res->findings[i].rule)
			continue;
		add_finding(&sb, &res->findings[i]);
		any = true;
	}
	if (any)
		iotb_strbuf_adds(&sb, "\n");
	add_totals(&sb, res);
	if (ctx->cfg && ctx->cfg->path) {
		iotb_strbuf_adds(&sb, "config: ");
		add_clean(&sb, ctx->cfg->path);
		iotb_strbuf_adds(&sb, "\n");
	}
	add_clauses(&sb, ctx);

	if (fwrite(sb.buf, 1, sb.len, out) != sb.len || fflush(out) != 0)
		rc = iotb_fail("cannot write the text report: %s", strerror(errno));
	iotb_strbuf_release(&sb);
	return rc;
}

const struct iotb_reporter iotb_reporter_text = {
	.name = "text",
	.write = write_text,
};
