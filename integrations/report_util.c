/*
 * report_util.c — helpers shared by the SARIF, JUnit, Code Quality, table,
 * Markdown and HTML writers (report_util.h): string cleaning and escaping,
 * repository-relative paths, location text, tallies, checked writes.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "baseline.h"
#include "report_util.h"

char *iotb_report_clean(const char *s, const char *keep)
{
	char *utf8 = iotb_utf8_sanitize(s ? s : "", s ? strlen(s) : 0);
	struct iotb_strbuf sb;
	const unsigned char *p;

	iotb_strbuf_init(&sb);
	for (p = (const unsigned char *)utf8; *p; p++) {
		if ((*p < 0x20 || *p == 0x7f) && !strchr(keep, *p))
			iotb_strbuf_addf(&sb, "\\x%02X", *p);
		else
			iotb_strbuf_add(&sb, p, 1);
	}
	free(utf8);
	return iotb_strbuf_detach(&sb);
}

json_t *iotb_report_jstr(const char *s)
{
	char *utf8 = iotb_utf8_sanitize(s ? s : "", s ? strlen(s) : 0);
	json_t *j = json_string(utf8);

	free(utf8);
	return j;
}

void iotb_report_add_xml(struct iotb_strbuf *sb, const char *s)
{
	char *clean = iotb_report_clean(s, "\n\t");
	const char *p;

	for (p = clean; *p; p++) {
		switch (*p) {
		case '&': iotb_strbuf_adds(sb, "&amp;"); break;
		case '<': iotb_strbuf_adds(sb, "&lt;"); break;
		case '>': iotb_strbuf_adds(sb, "&gt;"); break;
		case '"': iotb_strbuf_adds(sb, "&quot;"); break;
		case '\'': iotb_strbuf_adds(sb, "&#39;"); break;
		default: iotb_strbuf_add(sb, p, 1); break;
		}
	}
	free(clean);
}

char *iotb_report_rel_path(const struct iotb_results *res, const char *path)
{
	return iotb_path_relative(res->source_root ? res->source_root : ".", path ? path : "");
}

bool iotb_report_is_binary_place(const struct iotb_location *loc)
{
	return loc->line == 0 &&
	       (loc->section || loc->symbol || loc->has_offset || loc->field);
}

static void add_clean(struct iotb_strbuf *sb, const char *s)
{
	char *clean = iotb_report_clean(s, "");

	iotb_strbuf_adds(sb, clean);
	free(clean);
}

void iotb_report_add_position(struct iotb_strbuf *sb, const struct iotb_location *loc)
{
	add_clean(sb, loc->path ? loc->path : "");
	if (loc->line) {
		iotb_strbuf_addf(sb, ":%u", loc->line);
		if (loc->col)
			iotb_strbuf_addf(sb, ":%u", loc->col);
	}
}

void iotb_report_add_binary_place(struct iotb_strbuf *sb, const struct iotb_location *loc)
{
	const char *sep = "";

	if (!iotb_report_is_binary_place(loc))
		return;
	iotb_strbuf_adds(sb, " [");
	if (loc->section) {
		add_clean(sb, loc->section);
		sep = " ";
	}
	if (loc->has_offset) {
		iotb_strbuf_addf(sb, "%s0x%" PRIx64, loc->section ? "+" : "", loc->offset);
		sep = " ";
	}
	if (loc->symbol) {
		iotb_strbuf_addf(sb, "%ssym ", sep);
		add_clean(sb, loc->symbol);
		sep = " ";
	}
	if (loc->field) {
		iotb_strbuf_addf(sb, "%sfield ", sep);
		add_clean(sb, loc->field);
	}
	iotb_strbuf_adds(sb, "]");
}

void iotb_report_add_place(struct iotb_strbuf *sb, const struct iotb_location *loc)
{
	iotb_report_add_position(sb, loc);
	iotb_report_add_binary_place(sb, loc);
}

bool iotb_report_is_shown(const struct iotb_finding *f)
{
	return f->rule && !f->suppressed_by;
}

void iotb_report_tally(const struct iotb_report_ctx *ctx, struct iotb_report_tally *t)
{
	const struct iotb_results *res = ctx->res;
	size_t i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < res->nfindings; i++) {
		const struct iotb_finding *f = &res->findings[i];

		if (!f->rule)
			continue;
		if (f->suppressed_by && ctx->baseline && iotb_finding_is_baselined(f))
			t->baselined++;
		else if (f->suppressed_by)
			t->suppressed++;
		else if (f->severity == IOTB_SEV_ERROR)
			t->errors++;
		else if (f->severity == IOTB_SEV_WARNING)
			t->warnings++;
		else
			t->notes++;
	}
	t->absent = ctx->baseline ? iotb_baseline_absent_count(ctx->baseline) : 0;
}

void iotb_report_add_count(struct iotb_strbuf *sb, unsigned long n, const char *one,
                           const char *many)
{
	iotb_strbuf_addf(sb, "%lu %s", n, n == 1 ? one : many);
}

int iotb_report_emit(FILE *out, const char *data, size_t len, const char *what)
{
	if (fwrite(data, 1, len, out) != len || fflush(out) != 0)
		return iotb_fail("cannot write the %s report: %s", what, strerror(errno));
	return 0;
}

char *iotb_report_trim(const char *s)
{
	const char *end;

	if (!s)
		return iotb_xstrdup("");
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' ||
	                   end[-1] == '\r'))
		end--;
	return iotb_xstrndup(s, (size_t)(end - s));
}

void iotb_report_grid_init(struct iotb_report_grid *g, size_t ncols)
{
	memset(g, 0, sizeof(*g));
	g->ncols = ncols;
}

void iotb_report_grid_release(struct iotb_report_grid *g)
{
	size_t i;

	if (!g)
		return;
	for (i = 0; i < g->nrows * g->ncols; i++)
		free(g->cells[i]);
	free(g->cells);
	memset(g, 0, sizeof(*g));
}

void iotb_report_grid_add(struct iotb_report_grid *g, const char *const *values)
{
	size_t i;

	if (g->nrows == g->alloc) {
		g->alloc = g->alloc ? g->alloc * 2 : 16;
		g->cells = iotb_xrealloc(g->cells, g->alloc * g->ncols * sizeof(*g->cells));
	}
	for (i = 0; i < g->ncols; i++)
		g->cells[g->nrows * g->ncols + i] = iotb_report_clean(values[i], "");
	g->nrows++;
}

const char *iotb_report_grid_cell(const struct iotb_report_grid *g, size_t r, size_t c)
{
	return g->cells[r * g->ncols + c];
}
