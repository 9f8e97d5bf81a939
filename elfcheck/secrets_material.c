/*
 * secrets_material.c — high-entropy key material: a defined data object
 * (STT_OBJECT with a size) in a scanned data section whose lowercased
 * symbol name matches elf.embedded-key-material `names` and not
 * `exclude_names`, and whose contents look random: a byte array of at least
 * `min_bytes` whose Shannon entropy reaches `min_byte_entropy` of the
 * maximum its length allows (and is not an arithmetic progression), or a
 * printable string of at least `min_text_length` characters without white
 * space, with `min_text_entropy` bits per character, that is not a UUID.
 * Names carry the evidence: tables (CRC, AES S-boxes), hashes, UUIDs and
 * images are not named like keys, and unnamed data is never reported.
 * Objects inside a reported private key are skipped.  CWE-321.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "elfcheck_int.h"

#define RULE "elf.embedded-key-material"
#define MAX_NAME 127

struct limits {
	const struct iotb_param *names, *exclude;
	uint64_t min_bytes, max_bytes;
	double byte_ratio, text_bits;
	size_t text_len;
};

static double shannon(const unsigned char *p, size_t n)
{
	size_t count[256] = { 0 }, i;
	double h = 0;

	for (i = 0; i < n; i++)
		count[p[i]]++;
	for (i = 0; i < 256; i++)
		if (count[i])
			h -= (double)count[i] / (double)n * log2((double)count[i] / (double)n);
	return h;
}

static bool is_progression(const unsigned char *p, size_t n)
{
	for (size_t i = 2; i < n; i++)
		if ((unsigned char)(p[i] - p[i - 1]) != (unsigned char)(p[1] - p[0]))
			return false;
	return true;
}

/* A NUL-terminated string filling the object (zero padding allowed): its
 * length, or 0 when the object is not text. */
static size_t text_length(const unsigned char *p, size_t n)
{
	size_t i, len;

	for (len = 0; len < n && p[len] >= 0x21 && p[len] < 0x7f; len++)
		;
	if (len == n || p[len] != '\0')
		return 0;
	for (i = len; i < n; i++)
		if (p[i] != '\0')
			return 0;
	return len;
}

static bool is_uuid_text(const unsigned char *p, size_t n)
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

	if (n != sizeof(shape) - 1)
		return false;
	for (size_t i = 0; i < n; i++)
		if (shape[i] == '-' ? p[i] != '-' : !isxdigit(p[i]))
			return false;
	return true;
}

/* Entropy of the object if it looks like key material, else -1. */
static double key_entropy(const struct limits *l, const unsigned char *p, size_t n,
                          size_t *text)
{
	size_t len = text_length(p, n);
	double h;

	*text = len;
	if (len) {
		h = shannon(p, len);
		return len >= l->text_len && h >= l->text_bits && !is_uuid_text(p, len) ? h : -1;
	}
	h = shannon(p, n);
	if (h < l->byte_ratio * log2(n < 256 ? (double)n : 256.0) || is_progression(p, n))
		return -1;
	return h;
}

static bool is_key_name(const struct limits *l, const char *name)
{
	char low[MAX_NAME + 1];
	size_t i;

	for (i = 0; name[i] && i < MAX_NAME; i++)
		low[i] = (char)tolower((unsigned char)name[i]);
	low[i] = '\0';
	return !name[i] && elfcheck_matches_any(l->names, low) &&
	       !elfcheck_matches_any(l->exclude, low);
}

/* The selected region holding symbol y and its offset there, or NULL. */
static const struct iotb_elf_region *region_of(const struct iotb_elf_facts *f,
                                               const bool *selected,
                                               const struct iotb_elf_sym *y, uint64_t *off)
{
	for (size_t i = 0; i < f->nregions; i++) {
		const struct iotb_elf_region *g = &f->regions[i];

		if (!selected[i])
			continue;
		if (g->is_segment ? y->value < g->addr : y->shndx != g->index)
			continue;
		*off = f->type == ET_REL ? y->value : y->value - g->addr;
		if (*off <= g->size && y->size <= g->size - *off)
			return g;
	}
	return NULL;
}

static bool is_skipped(const struct elfcheck_span *skip, size_t nskip, uint64_t start,
                       uint64_t len)
{
	for (size_t i = 0; i < nskip; i++)
		if (start < skip[i].end && skip[i].start < start + len)
			return true;
	return false;
}

static void emit(const struct iotb_elf_facts *f, const char *path, struct iotb_engine_ctx *ctx,
                 const struct iotb_elf_sym *y, const struct iotb_elf_region *g, uint64_t off,
                 double h, size_t text)
{
	const unsigned char *p = f->image + g->offset + off;
	struct iotb_finding *fd;
	char *hex;

	fd = elfcheck_emit(ctx, RULE, path, "high-entropy key material in '%s': %s of %llu %s, "
			   "%.1f bits of entropy per %s", y->name, text ? "a string" : "an array",
			   text ? (unsigned long long)text : (unsigned long long)y->size,
			   text ? "characters" : "bytes", h, text ? "character" : "byte");
	if (!fd)
		return;
	elfcheck_locate(f, g, fd, off);
	if (text) {
		iotb_finding_set_secret(fd, (const char *)p, text);
	} else {
		hex = elfcheck_hex(p, (size_t)y->size);
		iotb_finding_set_secret(fd, hex, 2 * (size_t)y->size);
		free(hex);
	}
	fd->snippet = iotb_xasprintf("key material %s", y->name);
}

static void limits_init(struct limits *l, const struct iotb_engine_ctx *ctx)
{
	l->names = elfcheck_param(ctx, RULE, "names");
	l->exclude = elfcheck_param(ctx, RULE, "exclude_names");
	l->min_bytes = (uint64_t)elfcheck_param_num(ctx, RULE, "min_bytes", 16);
	l->max_bytes = (uint64_t)elfcheck_param_num(ctx, RULE, "max_bytes", 4096);
	l->byte_ratio = elfcheck_param_num(ctx, RULE, "min_byte_entropy", 0.85);
	l->text_bits = elfcheck_param_num(ctx, RULE, "min_text_entropy", 3.5);
	l->text_len = (size_t)elfcheck_param_num(ctx, RULE, "min_text_length", 16);
}

unsigned elfcheck_key_material(const struct iotb_elf_facts *f, const char *path,
                               struct iotb_engine_ctx *ctx, const bool *selected,
                               const struct elfcheck_span *skip, size_t nskip)
{
	struct limits l;
	struct elfcheck_span *seen = NULL;
	size_t nseen = 0, aseen = 0, text;
	unsigned count = 0;

	limits_init(&l, ctx);
	for (size_t i = 0; i < f->nsyms; i++) {
		const struct iotb_elf_sym *y = &f->syms[i];
		const struct iotb_elf_region *g;
		uint64_t off;
		double h;

		if (y->type != STT_OBJECT || y->shndx == SHN_UNDEF || y->size < l.min_bytes ||
		    y->size > l.max_bytes || !is_key_name(&l, y->name) ||
		    !(g = region_of(f, selected, y, &off)))
			continue;
		if (is_skipped(skip, nskip, g->offset + off, y->size) ||
		    is_skipped(seen, nseen, g->offset + off, y->size))
			continue;
		if (nseen == aseen) {
			aseen = aseen ? 2 * aseen : 16;
			seen = iotb_xrealloc(seen, aseen * sizeof(*seen));
		}
		seen[nseen++] = (struct elfcheck_span){ g->offset + off, g->offset + off + y->size };
		h = key_entropy(&l, f->image + g->offset + off, (size_t)y->size, &text);
		if (h >= 0) {
			emit(f, path, ctx, y, g, off, h, text);
			count++;
		}
	}
	free(seen);
	return count;
}
