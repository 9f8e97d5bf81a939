/*
 * test_elf_cross.c — the cross-architecture flag matrix (ctest label
 * "crossarch"): for each compiler of DESIGN.md the same program is built
 * hardened, weak, with -z execstack, -static, -shared, -s and with section
 * headers removed, and every verdict is asserted.  The expectations follow
 * from the flags and from what each toolchain does with them (MIPS writes
 * an RWE PT_GNU_STACK by default; MIPS and RISC-V keep .got outside
 * PT_GNU_RELRO with binutils 2.40 — partial RELRO); each expectation is
 * also cross-checked here against `readelf -lW` / `readelf -dW` output.
 * One suite per architecture; a missing compiler exits 77 (skipped).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_helpers.h"
#include "iotb_util.h"
#include "test_helpers.h"

struct cross_arch {
	const char *suite;         /* "elf_x_mips" */
	const char *cc;            /* compiler command */
	const char *machine;       /* facts "machine" */
	const char *elfclass;      /* "ELF32" / "ELF64" */
	const char *endianness;
	bool default_exec_stack;   /* toolchain writes RWE PT_GNU_STACK */
	const char *relro_hardened;/* verdict with -z relro -z now */
	const char *cfi;           /* cfi verdict of a hosted executable */
	bool idiom;                /* elfcheck/canary_arch.c has the canary idiom */
};

static const struct cross_arch arches[] = {
	{ "elf_x_i686", "i686-linux-gnu-gcc", "i386", "ELF32", "little", false, "present", "absent",
	  true },
	{ "elf_x_armhf", "arm-linux-gnueabihf-gcc", "ARM", "ELF32", "little", false, "present",
	  "not-applicable", true },
	{ "elf_x_arm64", "aarch64-linux-gnu-gcc", "AArch64", "ELF64", "little", false, "present",
	  "absent", true },
	{ "elf_x_mips", "mips-linux-gnu-gcc", "MIPS32", "ELF32", "big", true, "partial",
	  "not-applicable", false },
	{ "elf_x_mipsel", "mipsel-linux-gnu-gcc", "MIPS32", "ELF32", "little", true, "partial",
	  "not-applicable", false },
	{ "elf_x_mips64el", "mips64el-linux-gnuabi64-gcc", "MIPS64", "ELF64", "little", true,
	  "partial", "not-applicable", false },
	{ "elf_x_riscv64", "riscv64-linux-gnu-gcc", "RISC-V", "ELF64", "little", false, "partial",
	  "not-applicable", false },
	{ "elf_x_ppc", "powerpc-linux-gnu-gcc", "PowerPC", "ELF32", "big", false, "present",
	  "not-applicable", false },
};

#define HARDENED "-O2 -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE -pie " \
	"-Wl,-z,relro,-z,now -Wl,-z,noexecstack"
#define WEAK "-O0 -fno-stack-protector -no-pie -fno-PIE -Wl,-z,norelro"

static const struct cross_arch *cur;
static char *dir;

static void check(const char *what, const char *got, const char *want)
{
	bool ok = got && strcmp(got, want) == 0;

	if (!ok)
		printf("\n  %s %s: got '%s', want '%s'\n", cur->suite, what,
		       got ? got : "(null)", want);
	CU_ASSERT(ok);
}

static char *build(const char *out, const char *flags)
{
	char *bin = elf_build(dir, cur->cc, "prog.c", elf_prog_src, out, flags);

	CU_ASSERT_PTR_NOT_NULL_FATAL(bin);
	return bin;
}

/* Does `readelf OPT bin` print a line containing both a and b? */
static bool readelf_has(const char *opt, const char *bin, const char *a, const char *b)
{
	char *cmd = iotb_xasprintf("readelf %s '%s' | grep -F -- '%s' | grep -qF -- '%s'",
				   opt, bin, a, b);
	int rc = system(cmd);

	free(cmd);
	return rc == 0;
}

/* The elf.dangerous-import finding for import name. */
static const char *import_message(const struct elf_run *r, const char *name)
{
	for (size_t i = 0; i < r->res.nfindings; i++) {
		const struct iotb_finding *f = &r->res.findings[i];

		if (strcmp(f->rule->id, "elf.dangerous-import") == 0 && f->function &&
		    strcmp(f->function, name) == 0)
			return f->message;
	}
	return NULL;
}

static void test_hardened(void)
{
	char *bin = build("hardened", HARDENED);
	struct elf_run r;

	elf_run_file(bin, &r);
	check("machine", elf_fact(&r, "machine", NULL), cur->machine);
	check("class", elf_fact(&r, "class", NULL), cur->elfclass);
	check("endianness", elf_fact(&r, "endianness", NULL), cur->endianness);
	check("canary", elf_verdict(&r, "canary"), "present");
	check("nx", elf_verdict(&r, "nx"), "present");
	check("pie", elf_fact(&r, "pie", "class"), "pie");
	check("relro", elf_verdict(&r, "relro"), cur->relro_hardened);
	check("bind_now", elf_verdict(&r, "bind_now"), "present");
	check("fortify", elf_verdict(&r, "fortify"), "present");
	check("cfi", elf_verdict(&r, "cfi"), cur->cfi);
	CU_ASSERT(readelf_has("-lW", bin, "GNU_RELRO", " R "));
	CU_ASSERT(readelf_has("-dW", bin, "FLAGS_1", "NOW PIE"));
	CU_ASSERT(!readelf_has("-lW", bin, "GNU_STACK", "RWE"));
	if (strcmp(cur->relro_hardened, "partial") == 0)
		CU_ASSERT(th_contains(elf_fact(&r, "relro", "reason"), "does not cover .got"));
	elf_run_release(&r);
	free(bin);
}

static void test_weak(void)
{
	char *bin = build("weak", WEAK);
	struct elf_run r;

	elf_run_file(bin, &r);
	check("canary", elf_verdict(&r, "canary"), "absent");
	check("pie", elf_verdict(&r, "pie"), "absent");
	check("relro", elf_verdict(&r, "relro"), "absent");
	check("fortify", elf_verdict(&r, "fortify"), "absent");
	check("nx", elf_verdict(&r, "nx"), cur->default_exec_stack ? "absent" : "present");
	CU_ASSERT_EQUAL(readelf_has("-lW", bin, "GNU_STACK", "RWE"), cur->default_exec_stack);
	CU_ASSERT(!readelf_has("-lW", bin, "GNU_RELRO", "R"));
	CU_ASSERT_EQUAL(elf_count(&r, "elf.exec-stack"), cur->default_exec_stack ? 1 : 0);
	CU_ASSERT_EQUAL(elf_count(&r, "elf.dangerous-import"), 2);
	if (cur->idiom)
		check("call site", import_message(&r, "strcpy"),
		      "imports 'strcpy', called from 1 place (first in main)");
	else
		check("import only", import_message(&r, "strcpy"),
		      "imports 'strcpy' (import only: call sites are located on x86-64, i386, "
		      "AArch64 and ARM only)");
	elf_run_release(&r);
	free(bin);
}

static void test_execstack(void)
{
	char *bin = build("execstack", "-Wl,-z,execstack");
	struct elf_run r;

	elf_run_file(bin, &r);
	check("nx", elf_verdict(&r, "nx"), "absent");
	check("nx problem", elf_fact(&r, "nx", "problem"), "exec-stack");
	CU_ASSERT(readelf_has("-lW", bin, "GNU_STACK", "RWE"));
	elf_run_release(&r);
	free(bin);
}

static const char *canary_coverage(const struct elf_run *r, const char *key)
{
	json_t *c = json_object_get(json_object_get(r->facts, "canary"), "coverage");

	return json_string_value(json_object_get(c, key));
}

/* -fno-stack-protector: libc's __stack_chk_fail is no canary.  Without an
 * idiom table the answer is "unknown", said so. */
static void test_static(void)
{
	char *bin = build("static", "-static -fno-stack-protector");
	struct elf_run r;

	elf_run_file(bin, &r);
	check("canary", elf_verdict(&r, "canary"), cur->idiom ? "absent" : "unknown");
	if (!cur->idiom)
		CU_ASSERT(th_contains(elf_fact(&r, "canary", "reason"),
				      "no canary idiom table for this architecture"));
	check("fortify", elf_verdict(&r, "fortify"), "unknown");
	check("pie", elf_verdict(&r, "pie"), "absent");
	check("bind_now", elf_verdict(&r, "bind_now"), "not-applicable");
	CU_ASSERT(json_is_true(json_object_get(r.facts, "static")));
	elf_run_release(&r);
	free(bin);
}

/* Stripped -static -fstack-protector-all: the idiom in main, found from
 * _start (and on ARM in both instruction sets). */
static void test_static_stripped_canary(void)
{
	static const char *const flags[] = { "-static -fstack-protector-all -s",
		"-static -fstack-protector-all -s -marm" };
	size_t n = strcmp(cur->machine, "ARM") == 0 ? 2 : 1;

	for (size_t i = 0; i < n; i++) {
		char *bin = build("static-sp", flags[i]);
		struct elf_run r;

		elf_run_file(bin, &r);
		check("canary", elf_verdict(&r, "canary"), cur->idiom ? "present" : "unknown");
		if (cur->idiom)
			check("main found by", canary_coverage(&r, "main_found_by"), "the first "
			      "argument of the call to __libc_start_main in _start");
		if (n == 2)
			CU_ASSERT(th_contains(canary_coverage(&r, "instruction_set"),
					      i ? "ARM for main" : "Thumb for main"));
		elf_run_release(&r);
		free(bin);
	}
}

static void test_shared(void)
{
	char *bin = build("libprog.so", "-shared -fPIC -Wl,-soname,libprog.so.1");
	struct elf_run r;

	elf_run_file(bin, &r);
	check("pie", elf_verdict(&r, "pie"), "not-applicable");
	check("pie class", elf_fact(&r, "pie", "class"), "shared-object");
	CU_ASSERT_EQUAL(elf_count(&r, "elf.no-pie"), 0);
	elf_run_release(&r);
	free(bin);
}

static void test_stripped(void)
{
	char *bin = build("stripped", HARDENED " -s");
	struct elf_run r;

	elf_run_file(bin, &r);
	check("canary", elf_verdict(&r, "canary"), "present");
	check("fortify", elf_verdict(&r, "fortify"), "present");
	CU_ASSERT(json_is_true(json_object_get(r.facts, "stripped")));
	elf_run_release(&r);
	free(bin);
}

/* sstrip: zero e_shoff, e_shnum and e_shstrndx (byte order does not
 * matter for zeros). */
static void test_no_section_headers(void)
{
	char *bin = build("noshdr", HARDENED);
	size_t len;
	unsigned char *d = elf_slurp(bin, &len);
	bool is64 = d[4] == 2;
	struct elf_run r;

	memset(d + (is64 ? 0x28 : 0x20), 0, is64 ? 8 : 4);
	memset(d + (is64 ? 0x3c : 0x30), 0, 4);
	elf_spew(bin, d, len);
	elf_run_file(bin, &r);
	check("canary", elf_verdict(&r, "canary"), "present");
	check("fortify", elf_verdict(&r, "fortify"), "present");
	check("relro", elf_verdict(&r, "relro"), cur->relro_hardened);
	CU_ASSERT(json_is_false(json_object_get(r.facts, "section_headers")));
	elf_run_release(&r);
	free(d);
	free(bin);
}

/* Object files: call relocations name the callee on every architecture
 * of the table (MIPS64's r_info layout is not read: import only). */
static void test_object_call_sites(void)
{
	char *obj = build("prog.o", "-O0 -c");
	struct elf_run r;
	bool mips64 = strcmp(cur->machine, "MIPS64") == 0;

	elf_run_file(obj, &r);
	CU_ASSERT_EQUAL(elf_count(&r, "elf.dangerous-import"), 2);
	check("object call site", import_message(&r, "strcpy"), mips64 ?
	      "imports 'strcpy' (import only: no table of call relocations for this architecture)" :
	      "imports 'strcpy', called from 1 place (first in main)");
	elf_run_release(&r);
	free(obj);
}

static const struct th_test tests[] = {
	{ "hardened build", test_hardened },
	{ "weak build", test_weak },
	{ "-z execstack", test_execstack },
	{ "-static -fno-stack-protector", test_static },
	{ "-static -fstack-protector-all -s", test_static_stripped_canary },
	{ "call sites in object files", test_object_call_sites },
	{ "-shared -fPIC", test_shared },
	{ "stripped", test_stripped },
	{ "section headers removed", test_no_section_headers },
	{ NULL, NULL },
};

static void register_arch(const char *suite)
{
	size_t i;

	for (i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (strcmp(arches[i].suite, suite) == 0)
			cur = &arches[i];
	if (!elf_have_tool(cur->cc)) {
		th_skip_suite("cross compiler not installed");
		return;
	}
	dir = th_tmpdir(suite);
	th_add_suite(suite, tests);
}

#define ARCH(name) void register_suite_##name(void); \
	void register_suite_##name(void) { register_arch(#name); }
ARCH(elf_x_i686)
ARCH(elf_x_armhf)
ARCH(elf_x_arm64)
ARCH(elf_x_mips)
ARCH(elf_x_mipsel)
ARCH(elf_x_mips64el)
ARCH(elf_x_riscv64)
ARCH(elf_x_ppc)
