/*
 * report_markdown.c — the clause report, as Markdown (`--format markdown`)
 * and as one self-contained HTML page (`--format html`: inline CSS, no
 * script, a Content-Security-Policy that forbids loading anything).  Both
 * come from one document walk written through a small emitter, so they say
 * the same thing.  Fields: docs/report-format.md "Markdown and HTML".
 *
 * Per clause of rules/clauses.yaml (numeric order): "evidence against it"
 * with the findings that bear on it, "no evidence found by N rules" with
 * the rules, or "not checked".  A report states evidence; it never says a
 * clause is met (no "compliant", no "pass").  Then the findings of rules
 * without clauses, the ELF hardening table (facts) and the summary.
 *
 * Every string from the scan is escaped for the format (Markdown: backslash
 * escapes, no raw HTML; HTML: character references) after cleaning to valid
 * UTF-8 without control characters.
 */
#include <stdlib.h>
#include <string.h>

#include "report_util.h"

/* --- the emitter --- */

struct doc {
	struct iotb_strbuf sb;
	bool html;
};

/* Text from the scan or the catalogue, escaped for the format. */
static void text(struct doc *d, const char *s)
{
	char *clean;
	const char *p;

	if (d->html) {
		iotb_report_add_xml(&d->sb, s);
		return;
	}
	clean = iotb_report_clean(s, "");
	for (p = clean; *p; p++) {
		if (strchr("\\`*_[]<>|~&#!", *p))
			iotb_strbuf_addf(&d->sb, "\\%c", *p);
		else
			iotb_strbuf_add(&d->sb, p, 1);
	}
	free(clean);
}

/* Markup: md when writing Markdown, html when writing HTML (not escaped). */
static void mark(struct doc *d, const char *md, const char *html)
{
	iotb_strbuf_adds(&d->sb, d->html ? html : md);
}

static void heading(struct doc *d, int level, const char *s)
{
	if (d->html) {
		iotb_strbuf_addf(&d->sb, "<h%d>", level);
		text(d, s);
		iotb_strbuf_addf(&d->sb, "</h%d>\n", level);
	} else {
		iotb_strbuf_addf(&d->sb, "%.*s ", level, "######");
		text(d, s);
		iotb_strbuf_adds(&d->sb, "\n\n");
	}
}

static void count(struct doc *d, unsigned long n, const char *one, const char *many)
{
	iotb_report_add_count(&d->sb, n, one, many);
}

/* A table from a grid whose row 0 is the header. */
static void table(struct doc *d, const struct iotb_report_grid *g)
{
	size_t r, c;

	mark(d, "", "<table>\n");
	for (r = 0; r < g->nrows; r++) {
		mark(d, "|", "<tr>");
		for (c = 0; c < g->ncols; c++) {
			mark(d, " ", r ? "<td>" : "<th>");
			text(d, iotb_report_grid_cell(g, r, c));
			mark(d, " |", r ? "</td>" : "</th>");
		}
		mark(d, "\n", "</tr>\n");
		if (r == 0 && !d->html) {
			iotb_strbuf_adds(&d->sb, "|");
			for (c = 0; c < g->ncols; c++)
				iotb_strbuf_adds(&d->sb, "---|");
			iotb_strbuf_adds(&d->sb, "\n");
		}
	}
	mark(d, "\n", "</table>\n");
}

/* --- the content --- */

static const char *kind_name(const struct iotb_clause *cl)
{
	return cl->kind == IOTB_CLAUSE_REQUIREMENT ? "requirement" : "recommendation";
}

static void rule_list(struct doc *d, const struct iotb_strvec *ids)
{
	size_t i;

	for (i = 0; i < ids->n; i++) {
		iotb_strbuf_adds(&d->sb, i ? ", " : "");
		text(d, ids->v[i]);
	}
}

/* "evidence against it: 2 findings (1 error, 1 warning, 0 notes)",
 * "no evidence found by 2 rules", "not checked". */
static void status_text(struct doc *d, const struct iotb_clause_summary *s)
{
	const char *status = iotb_clause_status(s);
	unsigned long total = s->errors + s->warnings + s->notes;

	if (!strcmp(status, "evidence")) {
		iotb_strbuf_adds(&d->sb, "evidence against it: ");
		count(d, total, "finding", "findings");
		iotb_strbuf_adds(&d->sb, " (");
		count(d, s->errors, "error", "errors");
		iotb_strbuf_adds(&d->sb, ", ");
		count(d, s->warnings, "warning", "warnings");
		iotb_strbuf_adds(&d->sb, ", ");
		count(d, s->notes, "note", "notes");
		iotb_strbuf_adds(&d->sb, ")");
	} else if (!strcmp(status, "no-evidence")) {
		iotb_strbuf_adds(&d->sb, "no evidence found by ");
		count(d, s->rules_ran.n, "rule", "rules");
	} else {
		iotb_strbuf_adds(&d->sb, "not checked");
	}
}

static void add_summary(struct doc *d, const struct iotb_report_ctx *ctx)
{
	const struct iotb_results *res = ctx->res;
	struct iotb_report_tally t;
	size_t i;

	iotb_report_tally(ctx, &t);
	heading(d, 2, "Summary");
	mark(d, "", "<ul>\n");
	mark(d, "- ", "<li>");
	count(d, res->files_seen, "file", "files");
	iotb_strbuf_adds(&d->sb, " seen; findings shown: ");
	count(d, t.errors, "error", "errors");
	iotb_strbuf_adds(&d->sb, ", ");
	count(d, t.warnings, "warning", "warnings");
	iotb_strbuf_adds(&d->sb, ", ");
	count(d, t.notes, "note", "notes");
	iotb_strbuf_addf(&d->sb, "; %lu suppressed", t.suppressed);
	mark(d, "\n", "</li>\n");
	if (ctx->baseline) {
		mark(d, "- ", "<li>");
		iotb_strbuf_adds(&d->sb, "baseline: ");
		count(d, t.baselined, "finding", "findings");
		iotb_strbuf_addf(&d->sb, " accepted in it and not shown, %lu of its entries not "
		                 "found in this scan", t.absent);
		mark(d, "\n", "</li>\n");
	}
	mark(d, "- ", "<li>");
	iotb_strbuf_addf(&d->sb, "fail threshold: %s; exit status: %d",
	                 ctx->fail_on == IOTB_SEV_NEVER
	                 ? "never" : iotb_severity_name((enum iotb_severity)ctx->fail_on),
	                 ctx->exit_status);
	mark(d, "\n", "</li>\n");
	mark(d, "- ", "<li>");
	iotb_strbuf_adds(&d->sb, "files not analysed, by kind:");
	if (!res->nskipped)
		iotb_strbuf_adds(&d->sb, " none");
	for (i = 0; i < res->nskipped; i++) {
		iotb_strbuf_adds(&d->sb, i ? ", " : " ");
		text(d, res->skipped[i].kind);
		iotb_strbuf_addf(&d->sb, " %lu", res->skipped[i].count);
	}
	mark(d, "\n", "</li>\n");
	mark(d, "\n", "</ul>\n");
}

static void add_clause_table(struct doc *d, const struct iotb_clause_summary *sums, size_t n)
{
	size_t i;

	heading(d, 2, "Clauses");
	mark(d, "| Clause | Kind | Summary (own words) | What this scan found |\n|---|---|---|---|\n",
	     "<table>\n<tr><th>Clause</th><th>Kind</th><th>Summary (own words)</th>"
	     "<th>What this scan found</th></tr>\n");
	for (i = 0; i < n; i++) {
		const struct iotb_clause *cl = sums[i].clause;

		mark(d, "| ", "<tr><td>");
		text(d, cl->id);
		mark(d, " | ", "</td><td>");
		text(d, kind_name(cl));
		mark(d, " | ", "</td><td>");
		text(d, cl->title ? cl->title : "");
		mark(d, " | ", "");
		if (d->html)
			iotb_strbuf_addf(&d->sb, "</td><td class=\"%s\">", iotb_clause_status(&sums[i]));
		status_text(d, &sums[i]);
		mark(d, " |\n", "</td></tr>\n");
	}
	mark(d, "\n", "</table>\n");
}

/* One finding as a list item: place, severity, message, rule, evidence. */
static void finding_item(struct doc *d, const struct iotb_finding *f)
{
	struct iotb_strbuf place;

	iotb_strbuf_init(&place);
	iotb_report_add_place(&place, &f->loc);
	mark(d, "- ", "<li>");
	mark(d, "", "<span class=\"place\">");
	text(d, place.buf);
	mark(d, ": ", "</span>: ");
	if (d->html)
		iotb_strbuf_addf(&d->sb, "<span class=\"%s\">%s</span>: ",
		                 iotb_severity_name(f->severity), iotb_severity_name(f->severity));
	else
		iotb_strbuf_addf(&d->sb, "**%s**: ", iotb_severity_name(f->severity));
	text(d, f->message ? f->message : "");
	text(d, " [");
	text(d, f->rule->id);
	text(d, "]");
	if (f->evidence) {
		iotb_strbuf_adds(&d->sb, " (evidence: ");
		text(d, f->evidence);
		iotb_strbuf_adds(&d->sb, ")");
	}
	mark(d, "\n", "</li>\n");
	iotb_strbuf_release(&place);
}

static bool rule_names(const struct iotb_rule *rule, const char *clause)
{
	size_t i;

	for (i = 0; i < rule->nclauses; i++)
		if (!strcmp(rule->clauses[i], clause))
			return true;
	return false;
}

static void add_clause_section(struct doc *d, const struct iotb_report_ctx *ctx,
                               const struct iotb_clause_summary *s)
{
	const struct iotb_clause *cl = s->clause;
	struct iotb_strbuf title;
	size_t i;

	iotb_strbuf_init(&title);
	iotb_strbuf_addf(&title, "%s (%s): %s", cl->id, kind_name(cl), cl->title ? cl->title : "");
	heading(d, 3, title.buf);
	iotb_strbuf_release(&title);
	mark(d, "", "<p>");
	status_text(d, s);
	if (s->rules_ran.n) {
		iotb_strbuf_adds(&d->sb, strcmp(iotb_clause_status(s), "evidence") ? ": " :
		                 "; rules that ran for it: ");
		rule_list(d, &s->rules_ran);
	}
	mark(d, "\n\n", "</p>\n");
	if (strcmp(iotb_clause_status(s), "evidence"))
		return;
	mark(d, "", "<ul>\n");
	for (i = 0; i < ctx->res->nfindings; i++) {
		const struct iotb_finding *f = &ctx->res->findings[i];

		if (iotb_report_is_shown(f) && rule_names(f->rule, cl->id))
			finding_item(d, f);
	}
	mark(d, "\n", "</ul>\n");
}

static void add_unmapped(struct doc *d, const struct iotb_report_ctx *ctx)
{
	size_t i, n = 0;

	for (i = 0; i < ctx->res->nfindings; i++) {
		const struct iotb_finding *f = &ctx->res->findings[i];

		if (!iotb_report_is_shown(f) || f->rule->nclauses)
			continue;
		if (!n++) {
			heading(d, 2, "Findings of rules without a clause (tool health)");
			mark(d, "", "<ul>\n");
		}
		finding_item(d, f);
	}
	if (n)
		mark(d, "\n", "</ul>\n");
}

static void add_hardening(struct doc *d, const struct iotb_results *res)
{
	struct iotb_report_grid g;

	if (iotb_report_hardening_grid(res, &g)) {
		heading(d, 2, "Hardening of ELF binaries (facts)");
		table(d, &g);
	}
	iotb_report_grid_release(&g);
}

static const char html_head[] =
	"<!DOCTYPE html>\n"
	"<html lang=\"en\">\n"
	"<head>\n"
	"<meta charset=\"utf-8\">\n"
	"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	"style-src 'unsafe-inline'\">\n"
	"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	"<title>iotbaseline clause report</title>\n"
	"<style>\n"
	"body{font-family:system-ui,sans-serif;margin:2em auto;max-width:80em;"
	"padding:0 1em;color:#1b1b1b;line-height:1.4}\n"
	"table{border-collapse:collapse;margin:1em 0}\n"
	"th,td{border:1px solid #bbb;padding:.25em .5em;text-align:left;vertical-align:top}\n"
	"th{background:#eee}\n"
	"td.evidence{background:#fde2e1}\n"
	"td.no-evidence{background:#e6f4ea}\n"
	"td.not-checked{background:#f1f1f1;color:#555}\n"
	".error{color:#a50e0e;font-weight:bold}\n"
	".warning{color:#8a4b00;font-weight:bold}\n"
	".note{color:#174ea6;font-weight:bold}\n"
	".place{font-family:monospace}\n"
	"</style>\n"
	"</head>\n"
	"<body>\n";

static char *clause_report(const struct iotb_report_ctx *ctx, bool html)
{
	struct doc d = { .html = html };
	struct iotb_clause_summary *sums;
	size_t n, i;

	iotb_strbuf_init(&d.sb);
	mark(&d, "", html_head);
	heading(&d, 1, "iotbaseline clause report (ISO/IEC 27402)");
	mark(&d, "", "<p>");
	iotb_strbuf_adds(&d.sb, "What automated rules found in this scan, clause by clause. "
	                 "It is evidence for a review, not a certification: a clause without "
	                 "evidence against it may still be unmet, and a clause nothing checked "
	                 "says nothing either way. Clause summaries are our own words, not the "
	                 "text of the standard.");
	mark(&d, "\n\n", "</p>\n");
	add_summary(&d, ctx);
	sums = iotb_clause_summaries(ctx, &n);
	add_clause_table(&d, sums, n);
	heading(&d, 2, "Clause by clause");
	for (i = 0; i < n; i++)
		add_clause_section(&d, ctx, &sums[i]);
	iotb_clause_summaries_free(sums, n);
	add_unmapped(&d, ctx);
	add_hardening(&d, ctx->res);
	mark(&d, "", "</body>\n</html>\n");
	return iotb_strbuf_detach(&d.sb);
}

static int write_markdown(FILE *out, const struct iotb_report_ctx *ctx)
{
	char *text_out = clause_report(ctx, false);
	int rc = iotb_report_emit(out, text_out, strlen(text_out), "Markdown");

	free(text_out);
	return rc;
}

static int write_html(FILE *out, const struct iotb_report_ctx *ctx)
{
	char *text_out = clause_report(ctx, true);
	int rc = iotb_report_emit(out, text_out, strlen(text_out), "HTML");

	free(text_out);
	return rc;
}

const struct iotb_reporter iotb_reporter_markdown = {
	.name = "markdown",
	.write = write_markdown,
};

const struct iotb_reporter iotb_reporter_html = {
	.name = "html",
	.write = write_html,
};
