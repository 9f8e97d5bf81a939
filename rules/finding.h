/*
 * finding.h — findings, artifacts with their facts, and the result set that
 * flows walker → engine → suppressions → threshold → reporters (DESIGN.md).
 *
 * Ownership: every char * field is owned by the struct holding it; a
 * finding borrows its rule from the catalogue.  Facts are a jansson object
 * owned by the artifact (engines fill it; reporters only read it).
 *
 * Secrets never enter a finding in clear: iotb_finding_set_secret() stores
 * only the masked form (DESIGN.md "Evidence masking").
 */
#ifndef IOTB_FINDING_H
#define IOTB_FINDING_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "catalogue.h"

/*
 * Where a finding is.  Source: path + line/col (1-based; 0 = unknown) and
 * optional end.  Binary: path + section/symbol/offset (has_offset).
 * Image: path + field.  path is as the walker named it (relative to the
 * current directory when the argument was).
 */
struct iotb_location {
	char *path;
	unsigned line, col, end_line, end_col;
	char *section;
	char *symbol;
	uint64_t offset;
	bool has_offset;
	char *field;
	char *message;      /* for related locations and code-flow steps */
};

struct iotb_finding {
	const struct iotb_rule *rule;   /* borrowed from the catalogue */
	enum iotb_severity severity;    /* the rule's effective severity */
	struct iotb_location loc;
	char *message;
	char *evidence;                 /* already masked; may be NULL */
	char *function;                 /* enclosing function: USR or symbol */
	char *snippet;                  /* normalised source/evidence snippet */
	struct iotb_location *related;  /* related locations */
	size_t nrelated;
	struct iotb_location *flow;     /* code flow, entry → sink */
	size_t nflow;
	json_t *properties;             /* extra per-finding properties or NULL */
	char fingerprint[65];           /* hex SHA-256, set by iotb_results_finish */
	char *suppressed_by;            /* reason when suppressed, else NULL */
};

/* An artifact (one input file) and its facts record. */
struct iotb_artifact {
	char *path;
	char *kind;        /* "elf", "c-source", "compile-db", "image", … */
	char *engine;      /* engine that analysed it, NULL if none */
	json_t *facts;     /* object, owned; NULL when no facts */
};

/* Per-kind counts of inputs no engine handled (directory walks). */
struct iotb_kind_count {
	char *kind;
	unsigned long count;
};

/* An inline `iotb:ignore[...]` marker found in an analysed source file. */
struct iotb_inline_supp {
	char *path;
	unsigned line, col;
	struct iotb_strvec rules;          /* rule ids or areas */
	char *reason;                      /* NULL or "" when missing */
	char *problem;                     /* malformed marker: what is wrong */
	unsigned long used;
};

struct iotb_results {
	struct iotb_finding *findings;
	size_t nfindings, afindings;
	struct iotb_artifact *artifacts;
	size_t nartifacts, aartifacts;
	struct iotb_kind_count *skipped;   /* kinds counted, not analysed */
	size_t nskipped;
	struct iotb_strvec engines_ran;    /* names of engines that analysed ≥1 input */
	struct iotb_inline_supp *inline_supps;
	size_t ninline, ainline;
	unsigned long files_seen;
	char *source_root;                 /* for repository-relative paths */
};

void iotb_location_release(struct iotb_location *loc);
void iotb_location_copy(struct iotb_location *dst, const struct iotb_location *src);

void iotb_results_init(struct iotb_results *res);
void iotb_results_release(struct iotb_results *res);

/* Append a finding for rule at path (line/col may be 0); returns it so the
 * caller can fill more fields.  message is printf-style. */
struct iotb_finding *iotb_results_add(struct iotb_results *res,
                                      const struct iotb_rule *rule,
                                      const char *path, unsigned line,
                                      unsigned col, const char *fmt, ...)
	IOTB_PRINTF(6, 7);
struct iotb_artifact *iotb_results_add_artifact(struct iotb_results *res,
                                                const char *path,
                                                const char *kind);
void iotb_results_count_skipped(struct iotb_results *res, const char *kind);
/* Add n to the count of kind. */
void iotb_results_add_skipped(struct iotb_results *res, const char *kind,
                              unsigned long n);
/* Move every finding/artifact/count of src into dst (src left empty). */
void iotb_results_absorb(struct iotb_results *dst, struct iotb_results *src);

/* Related location / flow step helpers (copies strings). */
void iotb_finding_add_related(struct iotb_finding *f, const char *path,
                              unsigned line, unsigned col, const char *message);
void iotb_finding_add_flow(struct iotb_finding *f, const char *path,
                           unsigned line, unsigned col, const char *message);

/*
 * Masking (DESIGN.md): a secret of 12 bytes or more shows at most its first
 * 2 and last 2 characters ("ab…yz (24 chars)"); a shorter one only its
 * length, plus "hmac-sha256:<first 16 hex>" when key is set.  Owned result.
 */
char *iotb_mask_secret(const char *secret, size_t len, const void *key, size_t keylen);
/* The project key for masking: $IOTB_PROJECT_KEY or NULL. */
void iotb_set_project_key(const void *key, size_t keylen);
/* Store the masked form of secret as the finding's evidence. */
void iotb_finding_set_secret(struct iotb_finding *f, const char *secret, size_t len);

/*
 * Sort findings by (path, line, col, rule id, fingerprint) after computing
 * fingerprints: SHA-256 over rule id, repository-relative path, enclosing
 * function, whitespace-normalised snippet and the occurrence index among
 * findings sharing the first four (DESIGN.md "Fingerprint").  Where a source
 * finding has no snippet, the line's text is read from the file.  Also sorts
 * artifacts by path and skipped kinds by name.
 */
void iotb_results_finish(struct iotb_results *res);
/* Compute only the fingerprints (idempotent; used by config suppressions
 * that match by fingerprint before the final sort). */
void iotb_results_fingerprint(struct iotb_results *res);

/* Collapse runs of white space to one space and trim. Owned. */
char *iotb_normalise_snippet(const char *s);

/*
 * Transport form (worker → parent, per-TU result files): a JSON object
 * {"version":1, "findings":[…], "artifacts":[…], "skipped":{kind:n}}.
 * iotb_results_to_json() returns a new reference; iotb_results_from_json()
 * appends into res, resolving rule ids in cat (unknown id → -1).
 */
json_t *iotb_results_to_json(const struct iotb_results *res);
int iotb_results_from_json(struct iotb_results *res, const json_t *root,
                           const struct iotb_catalogue *cat);
/* One finding / location as the JSON report prints it (new reference). */
json_t *iotb_finding_to_json(const struct iotb_finding *f);
json_t *iotb_location_to_json(const struct iotb_location *loc);
/* RFC 3986 percent-encoding of a path's raw bytes ('/' and unreserved
 * characters kept), for URIs of any file name.  Owned. */
char *iotb_uri_encode_path(const char *path);

#endif
