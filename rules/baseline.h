/*
 * baseline.h — baselines: a versioned JSON file of the fingerprints of the
 * findings a project has accepted for now, so that a scan reports only new
 * ones (`iotb baseline write FILE`, `iotb scan --baseline FILE`).
 *
 * File format (docs/report-format.md "Baselines"), written sorted like the
 * findings, two-space indented, final newline:
 *   {"baseline_version": 1, "tool": "iotbaseline",
 *    "findings": [{"fingerprint": "<64 hex>", "rule": "elf.no-canary",
 *                  "path": "bin/httpd", "line": 12, "message": "…"}, …]}
 * Only "fingerprint" is used for matching; rule, path (repository-relative,
 * valid UTF-8), line and message describe the entry for people and for
 * SARIF "absent" results.  Fingerprints never include line numbers
 * (DESIGN.md "Fingerprint"), so a baseline survives code moving around.
 *
 * Ownership: struct iotb_baseline owns its entries and their strings.
 */
#ifndef IOTB_BASELINE_H
#define IOTB_BASELINE_H

#include <jansson.h>
#include <stdbool.h>

#include "finding.h"

/* Version this iotb writes and reads. */
#define IOTB_BASELINE_VERSION 1
/* f->suppressed_by of a finding the baseline accepted. */
#define IOTB_BASELINE_REASON "baseline"

struct iotb_baseline_entry {
	char fingerprint[65];   /* lowercase hex SHA-256 */
	char *rule;             /* may be NULL */
	char *path;             /* repository-relative; may be NULL */
	unsigned line;          /* 0 = unknown */
	char *message;          /* may be NULL */
	bool present;           /* set by iotb_baseline_apply: seen in this scan */
};

struct iotb_baseline {
	char *path;                            /* file read, for messages */
	struct iotb_baseline_entry *entries;   /* sorted by fingerprint, unique */
	size_t n;
};

void iotb_baseline_init(struct iotb_baseline *bl);
void iotb_baseline_release(struct iotb_baseline *bl);

/*
 * Read a baseline file into bl (initialised; previous entries are kept).
 * 0, or -1 with one of:
 *   cannot read 'F': <strerror>
 *   F:LINE:COL: invalid JSON in baseline: <parser message>
 *   'F' is not an iotb baseline (no "baseline_version")
 *   unsupported baseline version N in 'F' (this iotb reads version 1)
 *   'F': "findings" is not an array
 *   'F': findings[I] is not an object
 *   'F': findings[I]: "fingerprint" is not 64 lowercase hex digits
 *   'F': findings[I]: "KEY" is not a string | "line" is not a positive integer
 */
int iotb_baseline_load(struct iotb_baseline *bl, const char *path);
/* The same from text in memory; name is used in messages as F. */
int iotb_baseline_parse(struct iotb_baseline *bl, const char *text, size_t len,
                        const char *name);

/* The entry with this fingerprint, or NULL. */
const struct iotb_baseline_entry *iotb_baseline_find(const struct iotb_baseline *bl,
                                                     const char *fingerprint);

/*
 * Match a finished result set (iotb_results_finish: fingerprints set)
 * against bl: every entry whose fingerprint a finding has is marked
 * present, and each such finding not already suppressed gets
 * suppressed_by = IOTB_BASELINE_REASON (so it is counted, not printed, and
 * never reaches the fail threshold).  Returns how many findings it marked.
 */
unsigned long iotb_baseline_apply(struct iotb_baseline *bl, struct iotb_results *res);

/* Entries of bl no finding matched in the last iotb_baseline_apply(). */
size_t iotb_baseline_absent_count(const struct iotb_baseline *bl);

/* Was f accepted by a baseline (suppressed with IOTB_BASELINE_REASON)? */
bool iotb_finding_is_baselined(const struct iotb_finding *f);

/*
 * SARIF baselineState of f against bl: "unchanged" when its fingerprint is
 * in bl, else "new".  Static string.
 */
const char *iotb_baseline_state(const struct iotb_baseline *bl,
                                const struct iotb_finding *f);

/*
 * The baseline of a finished result set (new reference): every finding
 * that is not suppressed, or suppressed only by a baseline; paths relative
 * to res->source_root.  Config and inline suppressions are not copied (they
 * carry their own reasons).
 */
json_t *iotb_baseline_to_json(const struct iotb_results *res);
/* Write iotb_baseline_to_json(res) to path atomically
 * (iotb_write_file_atomic).  *count (may be NULL) gets the number of
 * entries.  0 or -1 with that function's message ("cannot create a
 * temporary file beside 'F': …", "cannot write 'F': …"). */
int iotb_baseline_write(const struct iotb_results *res, const char *path,
                        size_t *count);

#endif
