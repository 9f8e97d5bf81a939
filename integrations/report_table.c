/*
 * report_table.c — `--format table`: a checksec-like hardening table, one
 * row per ELF binary, read only from the artifacts' facts (elfcheck's
 * verdicts: present / absent / partial / unknown / n/a), then a table of the
 * findings shown and a one-line summary.  Fields: docs/report-format.md
 * "Table".
 *
 *   FILE      ARCH    TYPE  RELRO    CANARY   NX       PIE  FORTIFY      CFI     RPATH  RUNPATH  STRIPPED
 *   bin/true  x86-64  DYN   partial  present  present  pie  present 2/4  absent  -      -        yes
 *
 * Columns are padded to their widest cell (counted in characters); cells
 * are valid UTF-8 without control characters.  A fact that is missing
 * (malformed ELF, older facts) shows as "?".
 */
#include <stdlib.h>
#include <string.h>

#include "report_util.h"

#define HARDENING_COLS 12
#define MAX_COLS 12

/* Characters (UTF-8 code points) in s. */
static size_t text_width(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static void table_print(struct iotb_strbuf *sb, const struct iotb_report_grid *t)
{
	size_t width[MAX_COLS] = { 0 }, r, c;

	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols && c < MAX_COLS; c++) {
			size_t w = text_width(iotb_report_grid_cell(t, r, c));

			if (w > width[c])
				width[c] = w;
		}
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols && c < MAX_COLS; c++) {
			const char *cell = iotb_report_grid_cell(t, r, c);

			iotb_strbuf_adds(sb, cell);
			if (c + 1 < t->ncols)
				iotb_strbuf_addf(sb, "%*s", (int)(width[c] - text_width(cell) + 2), "");
		}
		iotb_strbuf_adds(sb, "\n");
	}
}

/* --- the hardening table --- */

static const char *short_verdict(const char *v)
{
	if (!v)
		return "?";
	return strcmp(v, "not-applicable") ? v : "n/a";
}

/* facts[key].verdict, or "?" */
static const char *verdict_of(const json_t *facts, const char *key)
{
	return short_verdict(json_string_value(json_object_get(json_object_get(facts, key),
	                                                       "verdict")));
}

/* facts[key][detail] when it is a string, else the verdict. */
static const char *detail_or_verdict(const json_t *facts, const char *key, const char *detail)
{
	const char *d = json_string_value(json_object_get(json_object_get(facts, key), detail));

	return d ? d : verdict_of(facts, key);
}

static char *fortify_cell(const json_t *facts)
{
	const json_t *o = json_object_get(facts, "fortify");
	const json_t *done = json_object_get(o, "fortified"), *all = json_object_get(o, "fortifiable");

	if (json_is_integer(done) && json_is_integer(all))
		return iotb_xasprintf("%s %lld/%lld", verdict_of(facts, "fortify"),
		                      (long long)json_integer_value(done),
		                      (long long)json_integer_value(all));
	return iotb_xstrdup(verdict_of(facts, "fortify"));
}

/* NX: the problem ("exec-stack", "no-gnu-stack") when there is one. */
static const char *nx_cell(const json_t *facts)
{
	const char *problem = json_string_value(json_object_get(json_object_get(facts, "nx"),
	                                                        "problem"));

	return problem ? problem : verdict_of(facts, "nx");
}

static const char *string_fact(const json_t *facts, const char *key)
{
	const json_t *v = json_object_get(facts, key);

	if (json_is_null(v))
		return "-";
	return json_is_string(v) ? json_string_value(v) : "?";
}

static const char *bool_fact(const json_t *facts, const char *key)
{
	const json_t *v = json_object_get(facts, key);

	return json_is_boolean(v) ? (json_is_true(v) ? "yes" : "no") : "?";
}

static bool is_elf_with_facts(const struct iotb_artifact *a)
{
	return a->facts && a->kind && !strcmp(a->kind, "elf");
}

/* One binary's row, in the order of the header. */
static void add_hardening_row(struct iotb_report_grid *g, const struct iotb_artifact *a)
{
	const json_t *fx = a->facts;
	char *fortify = fortify_cell(fx);
	const char *row[HARDENING_COLS] = {
		a->path, string_fact(fx, "machine"), string_fact(fx, "type"),
		detail_or_verdict(fx, "relro", "level"), verdict_of(fx, "canary"),
		nx_cell(fx), detail_or_verdict(fx, "pie", "class"), fortify,
		verdict_of(fx, "cfi"), string_fact(fx, "rpath"),
		string_fact(fx, "runpath"), bool_fact(fx, "stripped"),
	};

	iotb_report_grid_add(g, row);
	free(fortify);
}

size_t iotb_report_hardening_grid(const struct iotb_results *res,
                                  struct iotb_report_grid *g)
{
	static const char *const head[HARDENING_COLS] = {
		"FILE", "ARCH", "TYPE", "RELRO", "CANARY", "NX", "PIE", "FORTIFY", "CFI",
		"RPATH", "RUNPATH", "STRIPPED",
	};
	size_t i, rows = 0;

	iotb_report_grid_init(g, HARDENING_COLS);
	iotb_report_grid_add(g, head);
	for (i = 0; i < res->nartifacts; i++) {
		if (!is_elf_with_facts(&res->artifacts[i]))
			continue;
		add_hardening_row(g, &res->artifacts[i]);
		rows++;
	}
	return rows;
}

static void add_hardening(struct iotb_strbuf *sb, const struct iotb_results *res)
{
	struct iotb_report_grid g;

	iotb_strbuf_adds(sb, "Hardening of ELF binaries (facts; iotb rules --explain elf.*):\n");
	if (iotb_report_hardening_grid(res, &g))
		table_print(sb, &g);
	else
		iotb_strbuf_adds(sb, "no ELF binary analysed in this scan\n");
	iotb_report_grid_release(&g);
}

/* --- the findings table --- */

static void add_finding_row(struct iotb_report_grid *t, const struct iotb_finding *f)
{
	struct iotb_strbuf place, msg;
	const char *row[4];

	iotb_strbuf_init(&place);
	iotb_strbuf_init(&msg);
	iotb_report_add_place(&place, &f->loc);
	iotb_strbuf_adds(&msg, f->message ? f->message : "");
	if (f->evidence)
		iotb_strbuf_addf(&msg, " (evidence: %s)", f->evidence);
	row[0] = place.buf;
	row[1] = iotb_severity_name(f->severity);
	row[2] = f->rule->id;
	row[3] = msg.buf;
	iotb_report_grid_add(t, row);
	iotb_strbuf_release(&place);
	iotb_strbuf_release(&msg);
}

static void add_findings(struct iotb_strbuf *sb, const struct iotb_results *res)
{
	static const char *const head[] = { "LOCATION", "SEVERITY", "RULE", "MESSAGE" };
	struct iotb_report_grid t;
	size_t i;

	iotb_report_grid_init(&t, 4);
	iotb_report_grid_add(&t, head);
	for (i = 0; i < res->nfindings; i++)
		if (iotb_report_is_shown(&res->findings[i]))
			add_finding_row(&t, &res->findings[i]);
	iotb_strbuf_adds(sb, "\nFindings:\n");
	if (t.nrows > 1)
		table_print(sb, &t);
	else
		iotb_strbuf_adds(sb, "none shown\n");
	iotb_report_grid_release(&t);
}

static void add_summary(struct iotb_strbuf *sb, const struct iotb_report_ctx *ctx)
{
	struct iotb_report_tally t;

	iotb_report_tally(ctx, &t);
	iotb_strbuf_adds(sb, "\nsummary: ");
	iotb_report_add_count(sb, ctx->res->files_seen, "file", "files");
	iotb_strbuf_adds(sb, " seen, ");
	iotb_report_add_count(sb, t.errors, "error", "errors");
	iotb_strbuf_adds(sb, ", ");
	iotb_report_add_count(sb, t.warnings, "warning", "warnings");
	iotb_strbuf_adds(sb, ", ");
	iotb_report_add_count(sb, t.notes, "note", "notes");
	iotb_strbuf_addf(sb, ", %lu suppressed", t.suppressed);
	if (ctx->baseline)
		iotb_strbuf_addf(sb, ", %lu in the baseline, %lu baseline entries not found",
		                 t.baselined, t.absent);
	iotb_strbuf_adds(sb, "\n");
}

static int write_table(FILE *out, const struct iotb_report_ctx *ctx)
{
	struct iotb_strbuf sb;
	int rc;

	iotb_strbuf_init(&sb);
	add_hardening(&sb, ctx->res);
	add_findings(&sb, ctx->res);
	add_summary(&sb, ctx);
	rc = iotb_report_emit(out, sb.buf, sb.len, "table");
	iotb_strbuf_release(&sb);
	return rc;
}

const struct iotb_reporter iotb_reporter_table = {
	.name = "table",
	.write = write_table,
};
