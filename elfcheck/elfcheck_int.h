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
/* The whole elfcheck pipeline over an image in memory (writable private
 * memory, see iotb_elf_facts_read); path names it in findings. */
int iotb_elfcheck_image(void *data, size_t size, const char *path,
                        struct iotb_engine_ctx *ctx);
/* Emit a finding of rule id (NULL when the rule is off). */
struct iotb_finding *elfcheck_emit(const struct iotb_engine_ctx *ctx, const char *id,
                                   const char *path, const char *fmt, ...)
	IOTB_PRINTF(4, 5);

#endif
