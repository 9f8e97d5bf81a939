/*
 * catalogue.h — the clause and rule catalogue (rules/clauses.yaml and
 * rules/<area>.yaml), loaded with libyaml and validated with file:line:col
 * errors.
 *
 * Clause ids follow `N(.N)+( [a-z])?` as in shared/27402-MAP.md (ISO/IEC
 * 27402:2023 clause numbers; titles are our own words, never the standard's
 * text).  Rule ids are `area.name`; the area is the rule file's stem.
 *
 * Ownership: a struct iotb_catalogue owns every string, clause, rule and
 * parameter in it; lookups return borrowed pointers valid until
 * iotb_catalogue_free().
 */
#ifndef IOTB_CATALOGUE_H
#define IOTB_CATALOGUE_H

#include <stdbool.h>
#include <stddef.h>

#include "iotb_util.h"

/* Severities in increasing order; IOTB_SEV_NEVER is only a threshold. */
enum iotb_severity {
	IOTB_SEV_NOTE = 1,
	IOTB_SEV_WARNING = 2,
	IOTB_SEV_ERROR = 3,
	IOTB_SEV_NEVER = 4,
};
/* "note"/"warning"/"error" ("never" when allow_never); -1 if unknown. */
int iotb_severity_parse(const char *s, bool allow_never);
const char *iotb_severity_name(enum iotb_severity sev);

enum iotb_clause_kind {
	IOTB_CLAUSE_REQUIREMENT,     /* x.x.x.1 "shall" */
	IOTB_CLAUSE_RECOMMENDATION,  /* x.x.x.2 "should" */
};

struct iotb_clause {
	char *id;        /* "5.2.6.1.4", "5.1.1.1.5 f" */
	char *title;     /* own-words summary */
	enum iotb_clause_kind kind;
	char *section;   /* top-level section: "5.1" or "5.2" */
};

/* How a function spec names its functions. */
enum iotb_match_kind { IOTB_MATCH_NAME, IOTB_MATCH_GLOB, IOTB_MATCH_REGEX };

/* Success convention of a guard or verifier result (DESIGN.md). */
enum iotb_success {
	IOTB_SUCCESS_UNSET = 0,
	IOTB_SUCCESS_ZERO,
	IOTB_SUCCESS_NONZERO,
	IOTB_SUCCESS_NONNEG,
	IOTB_SUCCESS_NONNULL,
};

/* Argument roles: dst, src, size, fmt, cmd, … mapped to 0-based indexes. */
struct iotb_arg_role {
	char *role;
	int index;
};

/*
 * One matcher entry in a rule parameter list:
 *   - name: strcpy            (exact)      | a plain scalar "strcpy" is the same
 *   - glob: "*_strcpy"        (iotb_glob_match on the function name)
 *   - regex: "^nv(ram)?_set$" (PCRE2, compiled with match limits)
 *   args: {dst: 0, src: 1}    success: zero|nonzero|nonneg|nonnull
 *   note: free text shown in messages (optional)
 */
struct iotb_funcspec {
	enum iotb_match_kind kind;
	char *pattern;
	void *regex;                  /* pcre2_code_8 *, when kind == REGEX */
	struct iotb_arg_role *args;
	size_t nargs;
	enum iotb_success success;
	char *note;
	char *origin;                 /* "file:line:col" where it was declared */
};
/* Does spec match this identifier?  (regex: match limit hit = no match) */
bool iotb_funcspec_matches(const struct iotb_funcspec *spec, const char *name);
/*
 * How many regex matches hit PCRE2's match or depth limit since the last
 * call (they count as "no match"); *what (owned, NULL when none) names the
 * first: pattern, where it was declared, subject.  The walker turns hits
 * into a note on the input, so a limit never silently hides a match.
 */
unsigned long iotb_regex_limit_take(char **what);
/* Index of role in spec->args, or -1. */
int iotb_funcspec_arg(const struct iotb_funcspec *spec, const char *role);

enum iotb_param_type {
	IOTB_PARAM_SCALAR,   /* string, number or bool kept as its text */
	IOTB_PARAM_LIST,     /* list of matcher entries (struct iotb_funcspec) */
};

struct iotb_param {
	char *name;
	enum iotb_param_type type;
	char *scalar;                 /* IOTB_PARAM_SCALAR */
	struct iotb_funcspec *specs;  /* IOTB_PARAM_LIST */
	size_t nspecs;
};

struct iotb_rule {
	char *id;                     /* "strings.unsafe-copy" */
	char *area;                   /* "strings" */
	char *title;
	enum iotb_severity severity;  /* effective (after config overrides) */
	enum iotb_severity default_severity; /* as written in the rule file */
	char **clauses;               /* clause ids, primary first */
	size_t nclauses;
	int *cwes;                    /* CWE ids */
	size_t ncwes;
	char *description;
	char *remediation;
	double security_severity;     /* 0.0–10.0 for SARIF; derived if absent */
	struct iotb_param *params;
	size_t nparams;
	bool enabled;                 /* false when disabled by config */
	char *origin;                 /* "file:line:col" of the rule entry */
};

struct iotb_catalogue {
	struct iotb_clause *clauses;
	size_t nclauses;
	struct iotb_rule *rules;      /* sorted by id after loading */
	size_t nrules;
	char *dir;                    /* the rules directory loaded from */
};

/* The rules directory: $IOTB_RULES_DIR, else <dir of /proc/self/exe>/
 * ../share/iotbaseline/rules when it holds clauses.yaml (an installed iotb),
 * else the build default compiled in (IOTB_RULES_DIR_DEFAULT).  Borrowed
 * string. */
const char *iotb_rules_dir(void);

/*
 * Load clauses.yaml and every other *.yaml in dir (sorted by name).
 * Returns a new catalogue, or NULL with iotb_last_error() naming
 * "file:line:col: problem" (unknown key, wrong type, unknown clause id,
 * duplicate id, bad glob/regex, rule id not in the file's area, …).
 */
struct iotb_catalogue *iotb_catalogue_load(const char *dir);
/* Add the rules of one more rule file (config `rule_files`); the area is
 * its stem.  0 or -1 with a file:line:col message. */
int iotb_catalogue_add_file(struct iotb_catalogue *cat, const char *path);
void iotb_catalogue_free(struct iotb_catalogue *cat);

struct iotb_rule *iotb_catalogue_rule(const struct iotb_catalogue *cat, const char *id);
const struct iotb_clause *iotb_catalogue_clause(const struct iotb_catalogue *cat,
                                                const char *id);
/* A rule's parameter by name, or NULL. */
const struct iotb_param *iotb_rule_param(const struct iotb_rule *rule, const char *name);
/* Is s a well-formed clause id ("N(.N)+( [a-z])?")? */
bool iotb_clause_id_valid(const char *s);

#endif
