/*
 * test_helpers.h — shared fixtures for the CUnit suites.
 */
#ifndef IOTB_TEST_HELPERS_H
#define IOTB_TEST_HELPERS_H

#include <CUnit/CUnit.h>
#include <stdbool.h>
#include <stddef.h>

#include "catalogue.h"
#include "finding.h"

/* A fresh empty directory under the build tree for this test (owned path);
 * removed and re-created on each call with the same name. */
char *th_tmpdir(const char *name);
/* Write text to dir/name (creating parent dirs); returns the owned path. */
char *th_write(const char *dir, const char *name, const char *text);
/* The project's rule catalogue (loaded once, shared; never freed by tests). */
struct iotb_catalogue *th_catalogue(void);
/* A catalogue loaded from rule files written into th_tmpdir(name): clauses
 * for clauses.yaml, scan for scan.yaml, rules for fixture.yaml.  Aborts
 * with the loader's message when it does not load.  Owned by the caller. */
struct iotb_catalogue *th_fixture_catalogue(const char *name, const char *clauses,
                                            const char *scan, const char *rules);
/* The rule id of cat; aborts when missing (a broken fixture). */
const struct iotb_rule *th_rule(const struct iotb_catalogue *cat, const char *id);
/* Does haystack contain needle? (NULL-safe) */
bool th_contains(const char *haystack, const char *needle);
/* Read a whole file into an owned string (NULL on failure). */
char *th_slurp(const char *path);

/* Is got equal to want (both non-NULL)?  Prints both when not. */
bool th_str_eq(const char *got, const char *want);
#define TH_ASSERT_STR(got, want) \
	CU_assertImplementation(th_str_eq((got), (want)), __LINE__, \
				"TH_ASSERT_STR(" #got ", " #want ")", __FILE__, "", CU_FALSE)

/* The finding of rule at line (any column) in res, or NULL; its message. */
const struct iotb_finding *th_finding(const struct iotb_results *res, const char *rule,
                                      unsigned line);
const char *th_message(const struct iotb_results *res, const char *rule, unsigned line);
/* How many findings have a rule id starting with prefix ("crypto.", …). */
size_t th_count_prefix(const struct iotb_results *res, const char *prefix);

/* Register a suite: CU_add_suite + each (name, fn) until a NULL name. */
struct th_test { const char *name; void (*fn)(void); };
void th_add_suite(const char *name, const struct th_test *tests);

/* Request exit code 77 (skipped) when the suite has nothing it can run. */
void th_skip_suite(const char *why);

#endif
