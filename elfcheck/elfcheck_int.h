/*
 * elfcheck_int.h — private interfaces between the elfcheck engine files:
 * JSON helpers for the facts record and the verdict reporter.
 */
#ifndef IOTB_ELFCHECK_INT_H
#define IOTB_ELFCHECK_INT_H

#include <jansson.h>

#include "elfcheck.h"
#include "engine.h"

/* A JSON string of s with invalid UTF-8 bytes escaped (new reference). */
json_t *elfcheck_json_string(const char *s);
/* A colon-separated search path as a JSON array (new reference). */
json_t *elfcheck_json_path_list(const char *s);
/* Header facts (class, endianness, machine, type, osabi, abi, size). */
void elfcheck_json_header(const struct iotb_elf_facts *f, json_t *o);
/* Content facts (interpreter, soname, needed, build_id, stripped, …). */
void elfcheck_json_content(const struct iotb_elf_facts *f, json_t *o);

/* Compute every verdict of f, add them to facts (may be NULL) and emit the
 * findings of rules/elf.yaml for path through ctx. */
void elfcheck_report(const struct iotb_elf_facts *f, const char *path,
                     struct iotb_engine_ctx *ctx, json_t *facts);

/* W+X segments, TEXTREL, RPATH/RUNPATH entries (report_links.c). */
void elfcheck_report_segments(const struct iotb_elf_facts *f, const char *path,
                              struct iotb_engine_ctx *ctx, json_t *facts);
/* Dangerous imports listed by elf.dangerous-import (report_links.c). */
void elfcheck_report_imports(const struct iotb_elf_facts *f, const char *path,
                             struct iotb_engine_ctx *ctx, json_t *facts);
/* A rule's parameter (NULL when the rule or the parameter is missing), a
 * scalar parameter as a number (dflt when missing), and whether a list
 * parameter has a matcher for s. */
const struct iotb_param *elfcheck_param(const struct iotb_engine_ctx *ctx, const char *rule,
                                        const char *name);
double elfcheck_param_num(const struct iotb_engine_ctx *ctx, const char *rule,
                          const char *name, double dflt);
bool elfcheck_matches_any(const struct iotb_param *p, const char *s);

/* Embedded secrets (secrets.c): keys, credentials, key material. */
void elfcheck_report_secrets(const struct iotb_elf_facts *f, const char *path,
                             struct iotb_engine_ctx *ctx, json_t *facts);
/* A file range [start, end). */
struct elfcheck_span {
	uint64_t start, end;
};
/* The defined data-object symbol covering offset off of region g, or NULL. */
const struct iotb_elf_sym *elfcheck_covering_symbol(const struct iotb_elf_facts *f,
                                                    const struct iotb_elf_region *g,
                                                    uint64_t off);
/* Set fd's section, offset (inside the section; the file offset for a
 * segment) and covering symbol for offset off of region g. */
void elfcheck_locate(const struct iotb_elf_facts *f, const struct iotb_elf_region *g,
                     struct iotb_finding *fd, uint64_t off);
/* Lowercase hex of p[0..n) (owned). */
char *elfcheck_hex(const unsigned char *p, size_t n);
/* High-entropy key material in named objects of the selected regions
 * (secrets_material.c), skipping objects overlapping skip[]; returns the
 * number reported. */
unsigned elfcheck_key_material(const struct iotb_elf_facts *f, const char *path,
                               struct iotb_engine_ctx *ctx, const bool *selected,
                               const struct elfcheck_span *skip, size_t nskip);

/* The whole elfcheck pipeline over an image in memory (writable private
 * memory, see iotb_elf_facts_read); path names it in findings. */
int iotb_elfcheck_image(void *data, size_t size, const char *path,
                        struct iotb_engine_ctx *ctx);
/* Emit a finding of rule id (NULL when the rule is off). */
struct iotb_finding *elfcheck_emit(const struct iotb_engine_ctx *ctx, const char *id,
                                   const char *path, const char *fmt, ...)
	IOTB_PRINTF(4, 5);

#endif
