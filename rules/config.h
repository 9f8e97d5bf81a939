/*
 * config.h — the project configuration (.iotb.yml), resolved per DESIGN.md
 * "Config": --config FILE or $IOTB_CONFIG first; else the nearest .iotb.yml
 * in the current directory or its ancestors up to the work-tree root.
 *
 * Schema (every key optional; unknown keys are errors with file:line:col):
 *   fail_on: error|warning|note|never
 *   rules:
 *     enable:  [ID-or-area, …]   # re-enable after disable (wins)
 *     disable: [ID-or-area, …]
 *   severity: {ID-or-area: error|warning|note}
 *   exclude: [glob, …]           # paths never scanned (iotb_glob_match)
 *   extend:                      # entries appended to a rule's lists
 *     RULE-ID: {PARAM: [matcher entries as in the rule files]}
 *   rule_files: [path, …]        # extra rule files, relative to the config
 *   suppressions:
 *     - {rule: ID-or-area, path: glob, fingerprint: hex, reason: text}
 *       (at least one of rule/path/fingerprint; reason mandatory)
 *   limits: {timeout: seconds, memory: MiB}
 *   compile:                     # flags for C sources outside a compile database
 *     includes: [dir, …]         # -I, relative to the config's directory
 *     defines: [NAME, NAME=VALUE, …]   # -D
 *     target: TRIPLE             # --target (e.g. arm-linux-gnueabihf)
 *
 * Ownership: struct iotb_config owns all its strings.
 */
#ifndef IOTB_CONFIG_H
#define IOTB_CONFIG_H

#include <jansson.h>
#include <stdbool.h>

#include "catalogue.h"

struct iotb_config_suppression {
	char *rule;          /* id or area, or NULL */
	char *path;          /* glob, or NULL */
	char *fingerprint;   /* hex, or NULL */
	char *reason;        /* mandatory */
	char *origin;        /* "file:line:col" of the entry */
	unsigned long used;  /* findings it suppressed in this scan */
};

/* Entries appended to one rule's parameter lists (config `extend:`). */
struct iotb_rule_extension {
	char *rule;                      /* rule id */
	struct iotb_param *params;       /* lists to append, by parameter name */
	size_t nparams;
	char *origin;                    /* "file:line:col" */
	char **param_origins;            /* "file:line:col" of each params[i] key */
};

struct iotb_severity_override {
	char *target;        /* rule id or area */
	enum iotb_severity severity;
	char *origin;        /* "file:line:col" of the key */
};

struct iotb_config {
	char *path;                      /* file loaded, NULL when none */
	int fail_on;                     /* enum iotb_severity, or -1 = unset */
	struct iotb_strvec enable;
	struct iotb_strvec disable;
	struct iotb_strvec enable_origins;   /* "file:line:col" of each entry */
	struct iotb_strvec disable_origins;
	struct iotb_severity_override *severities;
	size_t nseverities;
	struct iotb_strvec exclude;
	struct iotb_strvec rule_files;   /* resolved against the config's dir */
	struct iotb_config_suppression *suppressions;
	size_t nsuppressions;
	struct iotb_rule_extension *extends;  /* `extend:` entries */
	size_t nextends;
	unsigned timeout_s;              /* 0 = default */
	unsigned memory_mb;              /* 0 = default */
	struct iotb_strvec compile_includes; /* compile.includes, resolved against the
	                                        config's directory */
	struct iotb_strvec compile_defines;  /* compile.defines: NAME or NAME=VALUE */
	char *compile_target;            /* compile.target, or NULL */
	json_t *effective;               /* the config as loaded, for SARIF */
};

void iotb_config_init(struct iotb_config *cfg);
void iotb_config_release(struct iotb_config *cfg);

/*
 * Find the config file: explicit (may be NULL), else $IOTB_CONFIG, else the
 * nearest .iotb.yml from cwd up to the work-tree root (outside a work tree:
 * only cwd's).  Returns an owned path or NULL when there is none (not an
 * error).
 */
char *iotb_config_locate(const char *explicit_path);

/* Parse path into cfg.  0, or -1 with "file:line:col: problem". */
int iotb_config_load(struct iotb_config *cfg, const char *path);

/*
 * Apply cfg to a loaded catalogue: extra rule files, enable/disable,
 * severity overrides, list extensions (validated like rule files).  Unknown
 * rule ids or areas named in the config are errors (with file:line:col).
 */
int iotb_config_apply(const struct iotb_config *cfg, struct iotb_catalogue *cat);

/*
 * Does glob (iotb_glob_match) match path as given (a leading "./" is
 * ignored), or path relative to the config file's directory, or relative to
 * source_root (may be NULL)?  Config excludes and config suppressions both
 * match this way, so a glob means the same in either list.
 */
bool iotb_config_path_matches(const struct iotb_config *cfg, const char *glob,
                              const char *path, const char *source_root);

/* Is s a -D value: NAME or NAME=VALUE with NAME a C identifier? */
bool iotb_config_is_define(const char *s);

/* Is s shaped like a target triple (2 to 5 '-'-separated words of letters,
 * digits, '_' and '.')? */
bool iotb_config_is_triple(const char *s);

/*
 * Append the clang arguments of cfg's `compile:` key to args: "-IDIR" for
 * each include, "-DNAME[=V]" for each define, "--target=T" for the target
 * unless skip_target (a --target given on the command line wins).
 */
void iotb_config_compile_args(const struct iotb_config *cfg, bool skip_target,
                              struct iotb_strvec *args);

/* Is path excluded by the config's exclude globs? */
bool iotb_config_excludes(const struct iotb_config *cfg, const char *path);

/* Does target (rule id or area) name rule? */
bool iotb_rule_selected_by(const struct iotb_rule *rule, const char *target);

#endif
