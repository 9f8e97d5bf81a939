/*
 * classify.c — the kind of an input file from its first bytes (magic
 * numbers) and, failing that, its name.  Content wins over name: an ELF
 * called foo.c is an ELF.  Only the bytes the walker read (the first 512)
 * are looked at; nothing is executed or decompressed.
 *
 * Magic numbers (sources): ELF e_ident (System V gABI, "\x7fELF");
 * U-Boot legacy image header ih_magic 0x27051956 big-endian (U-Boot
 * include/image.h); flattened device tree / FIT 0xd00dfeed big-endian
 * (devicetree specification, "FDT header"); Broadcom TRX "HDR0"; SquashFS
 * superblock "hsqs" (little-endian) / "sqsh" (big-endian); ar "!<arch>\n";
 * gzip 1f 8b (RFC 1952); xz fd 37 7a 58 5a 00 (xz file format 1.0.4);
 * bzip2 "BZh1".."BZh9" + block magic 31 41 59 26 53 59; zstd 28 b5 2f fd
 * (RFC 8878); zip local header "PK\3\4" and empty archive "PK\5\6"
 * (APPNOTE.TXT); POSIX tar "ustar" at offset 257; cpio "070701"/"070702"
 * (newc) and 0x71c7 (binary).
 */
#include <string.h>

#include "scan.h"

struct magic {
	size_t offset;
	const char *bytes;
	size_t len;
	const char *kind;
};

#define MAGIC(off, lit, kind) { (off), (lit), sizeof(lit) - 1, (kind) }

static const struct magic magics[] = {
	MAGIC(0, "\x7f" "ELF", "elf"),
	MAGIC(0, "\x27\x05\x19\x56", "image:uimage"),
	MAGIC(0, "\xd0\x0d\xfe\xed", "image:fit"),
	MAGIC(0, "HDR0", "image:trx"),
	MAGIC(0, "hsqs", "squashfs"),
	MAGIC(0, "sqsh", "squashfs"),
	MAGIC(0, "!<arch>\n", "archive"),
	MAGIC(0, "\x1f\x8b", "archive"),
	MAGIC(0, "\xfd" "7zXZ\0", "archive"),
	MAGIC(0, "\x28\xb5\x2f\xfd", "archive"),
	MAGIC(0, "PK\x03\x04", "archive"),
	MAGIC(0, "PK\x05\x06", "archive"),
	MAGIC(0, "070701", "archive"),
	MAGIC(0, "070702", "archive"),
	MAGIC(0, "\xc7\x71", "archive"),
	MAGIC(257, "ustar", "archive"),
};

struct suffix {
	const char *suffix;
	const char *kind;
};

/* Case matters: ".C" is C++, ".c" is C (GCC's convention). */
static const struct suffix suffixes[] = {
	{ ".c", "c-source" },
	{ ".h", "c-header" },
	{ ".cc", "cxx-source" },
	{ ".cpp", "cxx-source" },
	{ ".cxx", "cxx-source" },
	{ ".c++", "cxx-source" },
	{ ".C", "cxx-source" },
	{ ".hh", "cxx-header" },
	{ ".hpp", "cxx-header" },
	{ ".hxx", "cxx-header" },
};

static bool has_magic(const struct magic *m, const unsigned char *head, size_t len)
{
	return len >= m->offset + m->len &&
	       memcmp(head + m->offset, m->bytes, m->len) == 0;
}

static bool is_bzip2(const unsigned char *head, size_t len)
{
	return len >= 10 && memcmp(head, "BZh", 3) == 0 && head[3] >= '1' &&
	       head[3] <= '9' && memcmp(head + 4, "\x31\x41\x59\x26\x53\x59", 6) == 0;
}

static const char *kind_by_content(const unsigned char *head, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
		if (has_magic(&magics[i], head, len))
			return magics[i].kind;
	if (is_bzip2(head, len))
		return "archive";
	return NULL;
}

static bool has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), s = strlen(suffix);

	return n > s && strcmp(name + n - s, suffix) == 0;
}

static const char *kind_by_name(const char *name)
{
	const char *base = strrchr(name, '/');
	size_t i;

	base = base ? base + 1 : name;
	if (strcmp(base, "compile_commands.json") == 0)
		return "compile-db";
	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
		if (has_suffix(base, suffixes[i].suffix))
			return suffixes[i].kind;
	return NULL;
}

const char *iotb_classify(const char *name, const unsigned char *head, size_t len)
{
	const char *kind = head ? kind_by_content(head, len) : NULL;

	if (!kind && name)
		kind = kind_by_name(name);
	return kind ? kind : "other";
}
