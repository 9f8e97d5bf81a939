/*
 * analyzers.h — the source engine's public face: the engine descriptor the
 * walker dispatches C sources and compile databases to, and the options
 * `iotb scan` (and later `iotb-cc`) set before a scan.
 *
 * The walker forks one worker per input after the options are set, so the
 * options are process-global and inherited by every worker.
 */
#ifndef IOTB_ANALYZERS_H
#define IOTB_ANALYZERS_H

#include <stdbool.h>

#include "engine.h"

/* "analyzers": kinds c-source, cxx-source (reported as not analysed) and
 * compile-db; areas: those of analyzers/checkers.def. */
extern const struct iotb_engine iotb_engine_analyzers;

/* When a compiler named in a compile command may be run to ask for its
 * target, sysroot and include directories (DESIGN.md "Scanning untrusted
 * input"). */
enum iotb_query_mode {
	IOTB_QUERY_DEFAULT = 0, /* compilers found on PATH, outside the scanned roots */
	IOTB_QUERY_ALLOW_LIST,  /* only drivers matching query_drivers */
	IOTB_QUERY_NEVER,       /* never run a compiler */
	IOTB_QUERY_ALWAYS,      /* iotb-cc: the wrapped compiler runs anyway */
};

struct iotb_analyzers_options {
	enum iotb_query_mode query;
	/* IOTB_QUERY_ALLOW_LIST: globs (iotb_glob_match) matched against the
	 * driver's absolute path and its real path; NULL-terminated. */
	const char *const *query_drivers;
	/* Infer --target from a cross compiler's name when it is not queried
	 * (default true; tests turn it off to prove the query matters). */
	bool no_name_inference;
	/* Translation units of one compile database parsed at once (forked
	 * sub-workers inside the database's worker); 0 or 1 = sequential. */
	unsigned jobs;
	/* Extra clang arguments for plain source files (-I, -D, --target),
	 * NULL-terminated; they are not added to compile-database commands. */
	const char *const *extra_args;
	/* Driver query cache directory; NULL = $IOTB_CACHE_DIR, else
	 * $XDG_CACHE_HOME/iotbaseline, else $HOME/.cache/iotbaseline.  An empty
	 * string disables the cache. */
	const char *cache_dir;
};

/* Set the options for the following scans (copied; NULL restores the
 * defaults). */
void iotb_analyzers_set_options(const struct iotb_analyzers_options *opt);

/* The options in force (borrowed, never NULL). */
const struct iotb_analyzers_options *iotb_analyzers_options(void);

/*
 * Parse a --query-driver value as `iotb scan` takes it: a comma-separated
 * list of globs added to list ("" or "none" means never query, reported by
 * *never = true).  Entries are copied.
 */
void iotb_analyzers_parse_query_driver(const char *value, struct iotb_strvec *list,
                                       bool *never);

#endif
