/*
 * report.h — report writers.  Reporters know nothing about C or ELF: they
 * read a finished result set (sorted, fingerprinted, suppressions applied),
 * the catalogue and the config.  One table: integrations/reporters.def.
 */
#ifndef IOTB_REPORT_H
#define IOTB_REPORT_H

#include <stdio.h>

#include "catalogue.h"
#include "config.h"
#include "finding.h"

struct iotb_baseline;

struct iotb_report_ctx {
	const struct iotb_results *res;
	const struct iotb_catalogue *cat;
	const struct iotb_config *cfg;   /* may be NULL */
	int fail_on;                     /* effective threshold */
	int exit_status;                 /* what iotb will exit with (0/1) */
	const char *command_line;        /* for invocations; may be NULL */
	/* The baseline applied (iotb_baseline_apply) or NULL (rules/baseline.h):
	 * SARIF baselineState, absent entries, baselined counts. */
	const struct iotb_baseline *baseline;
};

struct iotb_reporter {
	const char *name;                /* "text", "json", … */
	/* Write the report to out. 0 or -1 with iotb_fail(). */
	int (*write)(FILE *out, const struct iotb_report_ctx *ctx);
};

/* The reporter called name, or NULL. */
const struct iotb_reporter *iotb_reporter_find(const char *name);
/* Comma-separated list of reporter names (static string). */
const char *iotb_reporter_names(void);

/* Does clause id have rules that ran in this scan (enabled, and their
 * engine analysed at least one input, or scan.* rules)?  Returns how many;
 * their ids are appended to rule_ids (may be NULL) in catalogue order. */
int iotb_clause_rules_ran(const struct iotb_report_ctx *ctx, const char *clause,
                          struct iotb_strvec *rule_ids);

/* Each reporter in integrations/reporters.def is defined in its own file
 * as `const struct iotb_reporter iotb_reporter_<name>`. */
#define IOTB_REPORTER(name) extern const struct iotb_reporter iotb_reporter_##name;
#include "reporters.def"
#undef IOTB_REPORTER

/* Findings of a result set by severity (unsuppressed ones) and the
 * number of suppressed ones. */
struct iotb_report_counts {
	unsigned long errors, warnings, notes, suppressed;
};
void iotb_report_count(const struct iotb_results *res, struct iotb_report_counts *c);

/*
 * Order of clause ids: numeric, component by component ("5.2.9" before
 * "5.2.10", "5.2.2" before "5.2.2.1"), then the letter suffix ("5.1.1.1.5"
 * before "5.1.1.1.5 f").  strcmp-style result.
 */
int iotb_clause_id_cmp(const char *a, const char *b);

/* What a report says about one clause of the catalogue. */
struct iotb_clause_summary {
	const struct iotb_clause *clause;   /* borrowed from the catalogue */
	unsigned long errors, warnings, notes;  /* unsuppressed findings of
	                                         * rules naming the clause */
	struct iotb_strvec rules_ran;       /* ids, as iotb_clause_rules_ran */
};

/*
 * One summary per clause of ctx->cat, sorted with iotb_clause_id_cmp.
 * Owned array of *n entries; free with iotb_clause_summaries_free().
 */
struct iotb_clause_summary *iotb_clause_summaries(const struct iotb_report_ctx *ctx,
                                                  size_t *n);
void iotb_clause_summaries_free(struct iotb_clause_summary *s, size_t n);
/* "evidence" (findings bear on it), "no-evidence" (rules ran, found
 * nothing) or "not-checked" (no rule for it ran).  Never a verdict that
 * the clause is met.  Static string. */
const char *iotb_clause_status(const struct iotb_clause_summary *s);

/* iotb_uri_encode_path() (declared in finding.h) is defined in
 * reporters.c. */

/* JSON report schema version (docs/report.schema.json). */
#define IOTB_REPORT_SCHEMA_VERSION "1.0.0"

#endif
