/*
 * engine.c — the elfcheck engine (iotb_engine_elfcheck): maps one ELF input
 * copy-on-write, runs the facts pass, records the facts on the artifact and
 * reports verdicts; a malformed file gets one scan.malformed-input finding
 * naming what is wrong and no hardening verdict at all.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "elfcheck_int.h"

static void report_malformed(const struct iotb_elf_facts *f, const char *path,
                             struct iotb_engine_ctx *ctx, json_t *facts)
{
	if (facts)
		json_object_set_new(facts, "malformed", elfcheck_json_string(f->malformed));
	elfcheck_emit(ctx, "scan.malformed-input", path, "malformed ELF: %s", f->malformed);
}

static json_t *artifact_facts(struct iotb_engine_ctx *ctx)
{
	if (!ctx->artifact)
		return NULL;
	if (!ctx->artifact->facts)
		ctx->artifact->facts = json_object();
	return ctx->artifact->facts;
}

/* The whole pipeline over an image in memory (also used by the fuzzer). */
int iotb_elfcheck_image(void *data, size_t size, const char *path,
                        struct iotb_engine_ctx *ctx)
{
	struct iotb_elf_facts f;
	json_t *facts = artifact_facts(ctx);

	if (iotb_elf_facts_read(data, size, &f) < 0)
		return -1;
	if (facts && f.elfclass)
		elfcheck_json_header(&f, facts);
	if (f.malformed) {
		report_malformed(&f, path, ctx, facts);
	} else {
		if (facts)
			elfcheck_json_content(&f, facts);
		elfcheck_report(&f, path, ctx, facts);
	}
	iotb_elf_facts_release(&f);
	return 0;
}

static int analyse(const struct iotb_input *in, struct iotb_engine_ctx *ctx)
{
	void *map;
	int rc;

	if (in->size == 0) {
		elfcheck_emit(ctx, "scan.malformed-input", in->path,
			      "malformed ELF: the file is empty");
		return 0;
	}
	if (in->size > SIZE_MAX)
		return iotb_fail("cannot map '%s': too large", in->path);
	map = mmap(NULL, (size_t)in->size, PROT_READ | PROT_WRITE, MAP_PRIVATE, in->fd, 0);
	if (map == MAP_FAILED)
		return iotb_fail("cannot map '%s': %s", in->path, strerror(errno));
	rc = iotb_elfcheck_image(map, (size_t)in->size, in->path, ctx);
	munmap(map, (size_t)in->size);
	return rc;
}

static const char *const kinds[] = { "elf", NULL };
static const char *const areas[] = { "elf", NULL };

const struct iotb_engine iotb_engine_elfcheck = {
	.name = "elfcheck",
	.kinds = kinds,
	.areas = areas,
	.analyse = analyse,
	.batch = 64,
};
