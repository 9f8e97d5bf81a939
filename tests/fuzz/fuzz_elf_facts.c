/*
 * fuzz_elf_facts.c — libFuzzer target over the elfcheck facts pass, every
 * predicate, the key/certificate parser and the credential scanner over
 * every region (not built by default; never run by CI).  Build and run:
 *
 *   clang-19 -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE \
 *     -Irules -Ielfcheck tests/fuzz/fuzz_elf_facts.c elfcheck/facts*.c \
 *     elfcheck/arch.c elfcheck/predicates.c elfcheck/relro.c \
 *     elfcheck/secrets_keys.c elfcheck/secrets_text.c rules/util.c \
 *     rules/yamldoc.c rules/catalogue.c -lelf -ljansson -lyaml -lpcre2-8 \
 *     -lcrypto -o fuzz-elf
 *   ./fuzz-elf -max_total_time=600 CORPUS/
 *
 * Seed corpus: IOTB_ELF_CORPUS=CORPUS iotb-tests elf_malformed writes every
 * mutant there; add a few good binaries of each architecture.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "elfcheck.h"

static void verdicts(const struct iotb_elf_facts *f)
{
	struct iotb_elf_verdict vd = { 0 };
	unsigned a, b;
	size_t idx[8];

	iotb_elf_nx(f, &vd);
	iotb_elf_pie(f, &vd);
	iotb_elf_relro(f, &vd);
	iotb_elf_bind_now(f, &vd);
	iotb_elf_canary(f, NULL, &vd);
	iotb_elf_fortify(f, NULL, &vd, &a, &b);
	iotb_elf_cfi(f, &vd);
	iotb_elf_module_sig(f, &vd);
	iotb_elf_verdict_release(&vd);
	iotb_elf_wx_segments(f, idx, 8);
	if (f->rpath)
		iotb_elf_search_path_problem(f->rpath);
}

static void on_key(const struct iotb_key_hit *h, void *arg)
{
	*(size_t *)arg += h->length;
}

static void on_cred(const struct iotb_cred_hit *h, void *arg)
{
	*(size_t *)arg += h->value_length;
}

/* The secret scanners over every region the facts pass found. */
static void secrets(const struct iotb_elf_facts *f)
{
	struct iotb_cred_params p = { NULL, NULL, NULL, 4 };
	size_t sum = 0;

	for (size_t i = 0; i < f->nregions; i++) {
		const unsigned char *b = f->image + f->regions[i].offset;

		iotb_find_keys(b, (size_t)f->regions[i].size, on_key, &sum);
		iotb_find_credentials(b, (size_t)f->regions[i].size, &p, on_cred, &sum);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct iotb_elf_facts f;
	void *copy = malloc(size ? size : 1);

	memcpy(copy, data, size);
	if (iotb_elf_facts_read(copy, size, &f) == 0) {
		if (!f.malformed) {
			verdicts(&f);
			secrets(&f);
		}
		iotb_elf_facts_release(&f);
	}
	free(copy);
	return 0;
}
