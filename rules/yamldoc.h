/*
 * yamldoc.h — typed access to a libyaml document (yaml_parser_load) with
 * errors that name "file:line:col" (1-based, from the node's start mark).
 *
 * Used by the catalogue and config loaders so both report problems the same
 * way.  Every accessor that can fail returns NULL/-1 after iotb_fail_at().
 *
 * Ownership: struct iotb_yamldoc owns the yaml_document_t and the file name;
 * node pointers are borrowed from it.
 */
#ifndef IOTB_YAMLDOC_H
#define IOTB_YAMLDOC_H

#include <stdbool.h>
#include <yaml.h>

#include "catalogue.h"

struct iotb_yamldoc {
	char *file;
	yaml_document_t doc;
	bool loaded;
};

/* Parse one YAML document from path.  An empty file gives a NULL root.
 * 0, or -1 with "file:line:col: <libyaml problem>". */
int iotb_yamldoc_load(struct iotb_yamldoc *yd, const char *path);
void iotb_yamldoc_release(struct iotb_yamldoc *yd);

yaml_node_t *iotb_yaml_root(struct iotb_yamldoc *yd);
yaml_node_t *iotb_yaml_node(struct iotb_yamldoc *yd, int index);

/* Fail with a message at node's position; returns -1. */
int iotb_yaml_fail(struct iotb_yamldoc *yd, const yaml_node_t *node,
                   const char *fmt, ...) IOTB_PRINTF(3, 4);
/* "file:line:col" of node (owned). */
char *iotb_yaml_origin(struct iotb_yamldoc *yd, const yaml_node_t *node);

/* Type checks: 0 or -1 with "expected a mapping for 'what', found a list". */
int iotb_yaml_expect(struct iotb_yamldoc *yd, const yaml_node_t *node,
                     yaml_node_type_t type, const char *what);
/* Scalar text of node (borrowed), or NULL + error when not a scalar. */
const char *iotb_yaml_scalar(struct iotb_yamldoc *yd, const yaml_node_t *node,
                             const char *what);
/* Non-negative integer scalar; -1 + error otherwise. */
int iotb_yaml_uint(struct iotb_yamldoc *yd, const yaml_node_t *node,
                   const char *what, unsigned long *out);

/*
 * Check that every key of mapping node is in allowed (NULL-terminated) and
 * appears once: unknown → "unknown key 'k' in <what> (expected one of: …)",
 * duplicate → "duplicate key 'k'".  0 or -1.
 */
int iotb_yaml_check_keys(struct iotb_yamldoc *yd, const yaml_node_t *map,
                         const char *const *allowed, const char *what);
/* Value node for key in mapping node, or NULL when absent. */
yaml_node_t *iotb_yaml_get(struct iotb_yamldoc *yd, const yaml_node_t *map,
                           const char *key);

/* A scalar or a list of scalars into sv (copies).  0 or -1. */
int iotb_yaml_strlist(struct iotb_yamldoc *yd, const yaml_node_t *node,
                      const char *what, struct iotb_strvec *sv);

/*
 * Parse a rule parameter value: a scalar (kept as text) or a list of
 * matcher entries (plain scalar = exact name, or a mapping with exactly one
 * of name/glob/regex plus optional args/success/note).  Globs are checked,
 * regexes compiled (PCRE2, match limit set).  0 or -1 with file:line:col.
 */
int iotb_yaml_param(struct iotb_yamldoc *yd, const yaml_node_t *node,
                    const char *name, struct iotb_param *out);
void iotb_param_release(struct iotb_param *p);
void iotb_funcspec_release(struct iotb_funcspec *s);
/* Append copies of src's entries to dst (same name, both lists). */
int iotb_param_append(struct iotb_param *dst, const struct iotb_param *src);

#endif
