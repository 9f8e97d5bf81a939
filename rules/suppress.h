/*
 * suppress.h — inline and config suppressions (DESIGN.md, Core issue).
 *
 * Inline: a comment `iotb:ignore[RULE[,RULE…]] reason` on the finding's
 * line or the line above it.  RULE is a rule id or an area.  Without a
 * reason it suppresses nothing and is itself a
 * scan.suppression-without-reason finding.  Config suppressions
 * (config.h) match by rule, path glob and/or fingerprint and always carry a
 * reason.  A suppression that matched nothing in this scan is a
 * scan.unused-suppression finding at the comment or config entry.
 *
 * Ownership: the inline list is owned by the results (finding.h).
 */
#ifndef IOTB_SUPPRESS_H
#define IOTB_SUPPRESS_H

#include "config.h"
#include "finding.h"

/*
 * Scan text (a source file the engines analysed) for `iotb:ignore[`
 * markers and record them in res->inline_supps with path/line/col.
 * Malformed markers (no closing bracket, empty rule list) are recorded with
 * their problem so iotb_suppress_apply reports them.
 */
void iotb_suppress_scan_text(struct iotb_results *res, const char *path,
                             const char *text, size_t len);

/* Free what an inline marker owns (called by iotb_results_release). */
void iotb_inline_supp_release(struct iotb_inline_supp *s);

/*
 * Mark suppressed findings (f->suppressed_by = reason), then append
 * scan.suppression-without-reason and scan.unused-suppression findings
 * (when those rules are enabled).  cfg may be NULL.  Call before
 * iotb_results_finish() so new findings get fingerprints too.  0 or -1.
 */
int iotb_suppress_apply(struct iotb_results *res, const struct iotb_catalogue *cat,
                        struct iotb_config *cfg);

/* Exit status for the threshold: 1 when an unsuppressed finding's severity
 * is >= fail_on (enum iotb_severity; IOTB_SEV_NEVER never fails), else 0. */
int iotb_threshold_status(const struct iotb_results *res, int fail_on);

#endif
