/*
 * walk.h — the one libclang traversal per translation unit: parse with
 * KeepGoing and the detailed preprocessing record, recover from flags
 * libclang rejects, then visit the AST once and dispatch events to the
 * checkers of analyzers/checkers.def (checker.h).
 *
 * One struct iotb_walk lives for one engine run (one input: a source file
 * or a whole compile database); it owns the checkers' state, the set of
 * findings already reported (so a header seen from many TUs reports once)
 * and what it learned about each compiler's flags.
 */
#ifndef IOTB_WALK_H
#define IOTB_WALK_H

#include <clang-c/Index.h>
#include <jansson.h>

#include "checker.h"
#include "frontend.h"

struct iotb_walk;

/*
 * A walker reporting into ctx, with every checker whose rules are not all
 * disabled initialised.  NULL with iotb_fail() when a checker rejects its
 * parameters.
 */
struct iotb_walk *iotb_walk_new(struct iotb_engine_ctx *ctx);
void iotb_walk_free(struct iotb_walk *w);

enum iotb_tu_outcome {
	IOTB_TU_PARSED,      /* no errors */
	IOTB_TU_PARTIAL,     /* errors: analysed as far as it parsed */
	IOTB_TU_FAILED,      /* libclang produced no AST: not analysed */
};

struct iotb_tu_result {
	enum iotb_tu_outcome outcome;
	unsigned errors;     /* error diagnostics (set-up ones excluded) */
	char *message;       /* PARTIAL: "partial AST, N errors; first: …";
	                        FAILED: why.  Owned. */
};

void iotb_tu_result_release(struct iotb_tu_result *r);

/*
 * Parse ta's translation unit with idx and run the checkers over it.
 * Flags libclang rejects ("unknown argument", an unknown CPU, or no AST at
 * all) are dropped and remembered for ta->compiler, so later TUs of that
 * compiler skip them; iotb_walk_finish() reports them once per compiler.
 * Findings go to the engine context; the outcome to *r.
 */
void iotb_walk_tu(struct iotb_walk *w, CXIndex idx, const struct iotb_tu_args *ta,
                  struct iotb_tu_result *r);

/*
 * Report set-up problems (flags libclang rejected, per compiler) as
 * scan.parse-error notes at path, once each.  Call once at the end.
 */
void iotb_walk_finish(struct iotb_walk *w, const char *path);

/* Counts for the artifact's facts: {"translation_units", "parsed",
 * "partial", "not_analysed", "errors", "rejected_flags": {compiler: […]},
 * "rejected_messages": {compiler: […]}}.
 * New reference. */
json_t *iotb_walk_facts(const struct iotb_walk *w);

/* Add a sub-worker's facts (iotb_walk_facts of another walker) to w's
 * counts and per-compiler set-up problems. */
void iotb_walk_absorb_facts(struct iotb_walk *w, const json_t *facts);

/* The path findings show for a file libclang names, lexically normalised:
 * a relative name stays relative; an absolute one is made relative to the
 * current directory when relative is set and it lies inside.  Owned. */
char *iotb_walk_display_path(const char *file, bool relative);

/* Name absolute files relative to the current directory (when the input
 * was named relatively; the default is false). */
void iotb_walk_set_relative_paths(struct iotb_walk *w, bool relative);

/* The working directory of the TUs walked next (a compile command's
 * "directory"; NULL: the current directory): libclang names headers found
 * through relative -I paths relative to it.  Copied. */
void iotb_walk_set_directory(struct iotb_walk *w, const char *directory);

/* Remember a finding key (rule, path, line, col, message) as reported;
 * false when it already was (used when merging sub-workers' results). */
bool iotb_walk_note_reported(struct iotb_walk *w, const char *key);

/* The key iotb_walk_note_reported uses for f.  Owned. */
char *iotb_walk_finding_key(const struct iotb_finding *f);

/*
 * TEST ONLY (tests/test_analyzers.c): while c is set, every walker also
 * runs c after the checkers of checkers.def (its rule ids must exist in
 * the catalogue).  NULL removes it.  c is borrowed.
 */
void iotb_walk_set_test_checker(const struct iotb_checker *c);

#endif
