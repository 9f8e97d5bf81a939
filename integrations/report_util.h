/*
 * report_util.h — private helpers of the SARIF, JUnit, Code Quality, table,
 * Markdown and HTML writers: cleaned strings (valid UTF-8, no control
 * characters), XML/HTML escaping, repository-relative paths, location
 * text, the tallies every report prints, and the one write-and-check step.
 * Not part of the reporter interface (report.h).
 */
#ifndef IOTB_REPORT_UTIL_H
#define IOTB_REPORT_UTIL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "report.h"

/* s as valid UTF-8 (invalid bytes as \xNN) with control characters other
 * than those in keep (e.g. "\n\t", may be "") shown as \xNN too.  NULL is
 * taken as "".  Owned. */
char *iotb_report_clean(const char *s, const char *keep);
/* A JSON string of s, valid UTF-8 (invalid bytes as \xNN).  New reference. */
json_t *iotb_report_jstr(const char *s);

/* Append s cleaned (keeping "\n" and "\t") and escaped for XML 1.0 and
 * HTML text and attribute values: & < > " ' as character references. */
void iotb_report_add_xml(struct iotb_strbuf *sb, const char *s);

/* path relative to res->source_root (else the current directory) when it
 * lies inside it, else path unchanged (DESIGN.md: repository-relative
 * paths).  Owned. */
char *iotb_report_rel_path(const struct iotb_results *res, const char *path);

/* Append "path", "path:line" or "path:line:col" (path as given), then for
 * binary and image locations " [.rodata+0x1f30 sym foo field f]" — the
 * text report's form — all cleaned. */
void iotb_report_add_place(struct iotb_strbuf *sb, const struct iotb_location *loc);
/* The two halves of iotb_report_add_place: "path[:line[:col]]", and the
 * " [section+0xoff sym s field f]" of binary and image locations (nothing
 * for source lines). */
void iotb_report_add_position(struct iotb_strbuf *sb, const struct iotb_location *loc);
void iotb_report_add_binary_place(struct iotb_strbuf *sb, const struct iotb_location *loc);
/* Does loc name a place in a binary or image rather than a source line? */
bool iotb_report_is_binary_place(const struct iotb_location *loc);

/* What every report counts: unsuppressed findings by severity,
 * suppressed ones (config or inline), baselined ones, and baseline entries
 * absent from this scan. */
struct iotb_report_tally {
	unsigned long errors, warnings, notes;
	unsigned long suppressed, baselined, absent;
};
void iotb_report_tally(const struct iotb_report_ctx *ctx, struct iotb_report_tally *t);
/* Append "1 error", "2 errors"… for n things named one/many. */
void iotb_report_add_count(struct iotb_strbuf *sb, unsigned long n, const char *one,
                           const char *many);

/* Is f shown in reports (it has a rule and is not suppressed)? */
bool iotb_report_is_shown(const struct iotb_finding *f);

/* Write data to out and flush.  0, or -1 with
 * "cannot write the <what> report: <strerror>". */
int iotb_report_emit(FILE *out, const char *data, size_t len, const char *what);

/* A grid of cleaned cells (rows × ncols, row 0 the header), owned. */
struct iotb_report_grid {
	size_t ncols, nrows, alloc;
	char **cells;
};
void iotb_report_grid_init(struct iotb_report_grid *g, size_t ncols);
void iotb_report_grid_release(struct iotb_report_grid *g);
/* Append a row of ncols values (cleaned copies; NULL shows as ""). */
void iotb_report_grid_add(struct iotb_report_grid *g, const char *const *values);
/* The cell at row r, column c (borrowed). */
const char *iotb_report_grid_cell(const struct iotb_report_grid *g, size_t r, size_t c);

/* The hardening table (report_table.c): a header row, then one row per
 * ELF artifact with facts.  Returns the number of binaries (rows - 1). */
size_t iotb_report_hardening_grid(const struct iotb_results *res,
                                  struct iotb_report_grid *g);

/* Trimmed copy of s (leading and trailing white space removed). Owned. */
char *iotb_report_trim(const char *s);

#endif
