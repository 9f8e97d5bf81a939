/*
 * elf_helpers.h — fixtures shared by the ELF suites (test_elf.c,
 * test_elf_malformed.c, test_elf_cross.c): build a binary with a compiler
 * at test time, run the elfcheck engine on it, query verdicts and findings.
 */
#ifndef IOTB_ELF_HELPERS_H
#define IOTB_ELF_HELPERS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "finding.h"

struct elf_run {
	struct iotb_results res;
	json_t *facts;            /* borrowed from res.artifacts[0] */
	int rc;                   /* analyse() result */
};

/* Run the elfcheck engine over the file at path (IOTB_ELF_DUMP=1 prints
 * the facts and findings). */
void elf_run_file(const char *path, struct elf_run *run);
void elf_run_release(struct elf_run *run);
/* facts[key]["verdict"], or NULL. */
const char *elf_verdict(const struct elf_run *run, const char *key);
/* facts[key][sub] as a string (sub NULL: facts[key]), or NULL. */
const char *elf_fact(const struct elf_run *run, const char *key, const char *sub);
/* Number of findings of rule. */
size_t elf_count(const struct elf_run *run, const char *rule);
/* The first finding of rule, or NULL. */
const struct iotb_finding *elf_finding(const struct elf_run *run, const char *rule);
/* Number of findings whose rule id starts with "elf.". */
size_t elf_count_area(const struct elf_run *run);

/* Is an executable named name on PATH? */
bool elf_have_tool(const char *name);
/* Write src_text to dir/src_name and run `cc SRC FLAGS -o dir/out`; owned
 * output path, or NULL when the compiler failed (its output is printed). */
char *elf_build(const char *dir, const char *cc, const char *src_name,
                const char *src_text, const char *out, const char *flags);
/* Read a whole file into *len bytes (owned) or NULL. */
unsigned char *elf_slurp(const char *path, size_t *len);
/* Write len bytes to path. */
void elf_spew(const char *path, const void *data, size_t len);

/* The test program: a stack array, strcpy/memcpy/read/printf (fortifiable)
 * and system (dangerous). */
extern const char elf_prog_src[];

#endif
