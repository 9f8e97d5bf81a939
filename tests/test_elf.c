/*
 * test_elf.c — the elfcheck engine on binaries built at test time with the
 * host gcc across the hardening flag matrix (canary, PIE, RELRO, BIND_NOW,
 * execstack, FORTIFY, static, stripped, shared, RPATH, W+X, TEXTREL, CFI
 * notes, kernel-module signature, section headers removed).  Each
 * expectation was confirmed once against readelf output (docs/elfcheck.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <elf.h>

#include "elf_helpers.h"
#include "elfcheck.h"
#include "iotb_util.h"
#include "test_helpers.h"

static char *dir;

#define HARDENED "-O2 -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE -pie " \
	"-Wl,-z,relro,-z,now -Wl,-z,noexecstack"
#define WEAK "-O0 -fno-stack-protector -no-pie -fno-PIE -Wl,-z,norelro"

static char *build(const char *out, const char *flags)
{
	char *bin;

	if (!dir)
		dir = th_tmpdir("elf");
	bin = elf_build(dir, "gcc", "prog.c", elf_prog_src, out, flags);
	CU_ASSERT_PTR_NOT_NULL_FATAL(bin);
	return bin;
}

static void run_built(const char *out, const char *flags, struct elf_run *run)
{
	char *bin = build(out, flags);

	elf_run_file(bin, run);
	free(bin);
	CU_ASSERT_EQUAL(run->rc, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(run->facts);
}

static void assert_str(const char *got, const char *want)
{
	CU_ASSERT_PTR_NOT_NULL(got);
	if (got && strcmp(got, want) != 0)
		printf("\n  got '%s', want '%s'\n", got, want);
	CU_ASSERT(got && strcmp(got, want) == 0);
}

static void test_hardened(void)
{
	struct elf_run r;

	run_built("hardened", HARDENED, &r);
	assert_str(elf_verdict(&r, "canary"), "present");
	assert_str(elf_fact(&r, "canary", "reason"), "imports '__stack_chk_fail'");
	assert_str(elf_verdict(&r, "nx"), "present");
	assert_str(elf_verdict(&r, "pie"), "present");
	assert_str(elf_fact(&r, "pie", "class"), "pie");
	assert_str(elf_verdict(&r, "relro"), "present");
	assert_str(elf_fact(&r, "relro", "level"), "full");
	assert_str(elf_verdict(&r, "bind_now"), "present");
	assert_str(elf_verdict(&r, "fortify"), "present");
	assert_str(elf_fact(&r, "class", NULL), "ELF64");
	assert_str(elf_fact(&r, "machine", NULL), "x86-64");
	assert_str(elf_fact(&r, "type", NULL), "DYN");
	assert_str(elf_fact(&r, "endianness", NULL), "little");
	assert_str(elf_fact(&r, "interpreter", NULL), "/lib64/ld-linux-x86-64.so.2");
	CU_ASSERT_EQUAL(strlen(elf_fact(&r, "build_id", NULL)), 40);
	CU_ASSERT(json_is_false(json_object_get(r.facts, "stripped")));
	CU_ASSERT_EQUAL(elf_count(&r, "elf.no-canary") + elf_count(&r, "elf.no-pie") +
			elf_count(&r, "elf.no-relro") + elf_count(&r, "elf.relro-partial") +
			elf_count(&r, "elf.no-fortify") + elf_count(&r, "elf.exec-stack") +
			elf_count(&r, "elf.no-nx"), 0);
	/* __strcpy_chk is not "strcpy"; system stays dangerous. */
	CU_ASSERT_EQUAL(elf_count(&r, "elf.dangerous-import"), 1);
	assert_str(elf_finding(&r, "elf.dangerous-import")->loc.symbol, "main");
	assert_str(elf_finding(&r, "elf.dangerous-import")->function, "system");
	CU_ASSERT_EQUAL(elf_count(&r, "elf.no-cfi"), 1);
	elf_run_release(&r);
}

static void test_fortify_counts(void)
{
	struct elf_run r;
	json_t *c;

	run_built("hardened", HARDENED, &r);
	c = json_object_get(r.facts, "fortify");
	/* __strcpy_chk, __memcpy_chk, __printf_chk; read stays plain (the
	 * compiler proves the size fits) — as `nm -D` shows. */
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(c, "fortified")), 3);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(c, "fortifiable")), 4);
	assert_str(json_string_value(json_object_get(c, "level")), "unknown");
	elf_run_release(&r);
}

static void test_weak(void)
{
	struct elf_run r;
	const struct iotb_finding *f;

	run_built("weak", WEAK, &r);
	assert_str(elf_verdict(&r, "canary"), "absent");
	assert_str(elf_verdict(&r, "pie"), "absent");
	assert_str(elf_fact(&r, "pie", "class"), "no-pie");
	assert_str(elf_verdict(&r, "relro"), "absent");
	assert_str(elf_fact(&r, "relro", "level"), "none");
	assert_str(elf_verdict(&r, "fortify"), "absent");
	assert_str(elf_fact(&r, "type", NULL), "EXEC");
	CU_ASSERT_EQUAL(elf_count(&r, "elf.no-canary"), 1);
	CU_ASSERT_EQUAL(elf_count(&r, "elf.no-pie"), 1);
	CU_ASSERT_EQUAL(elf_count(&r, "elf.no-relro"), 1);
	CU_ASSERT_EQUAL(elf_count(&r, "elf.no-fortify"), 1);
	CU_ASSERT_EQUAL(elf_count(&r, "elf.dangerous-import"), 2);   /* strcpy, system */
	f = elf_finding(&r, "elf.no-canary");
	assert_str(f->message, "no stack canary: no stack-protector symbol imported or defined");
	CU_ASSERT_EQUAL(f->severity, IOTB_SEV_WARNING);
	assert_str(elf_finding(&r, "elf.no-pie")->message,
		   "not position-independent: ET_EXEC: loaded at a fixed address");
	assert_str(elf_finding(&r, "elf.no-relro")->message, "no RELRO: no PT_GNU_RELRO");
	assert_str(elf_finding(&r, "elf.no-fortify")->message,
		   "not fortified: 4 fortifiable functions imported, none as __*_chk");
	assert_str(elf_finding(&r, "elf.dangerous-import")->message,
		   "imports 'strcpy', called from 1 place (first in main)");
	elf_run_release(&r);
}

static void test_relro_lazy_is_partial(void)
{
	struct elf_run r;

	run_built("lazy", "-Wl,-z,relro,-z,lazy", &r);
	assert_str(elf_verdict(&r, "relro"), "partial");
	assert_str(elf_verdict(&r, "bind_now"), "absent");
	CU_ASSERT_EQUAL(elf_count(&r, "elf.relro-partial"), 1);
	CU_ASSERT(th_contains(elf_finding(&r, "elf.relro-partial")->message,
			      "does not cover .got.plt"));
	elf_run_release(&r);
}

static void test_norelro_now_is_none(void)
{
	struct elf_run r;

	run_built("norelro-now", "-Wl,-z,norelro,-z,now", &r);
	assert_str(elf_verdict(&r, "relro"), "absent");
	assert_str(elf_verdict(&r, "bind_now"), "present");
	assert_str(elf_finding(&r, "elf.no-relro")->message,
		   "no RELRO: no PT_GNU_RELRO (BIND_NOW alone leaves the GOT writable)");
	elf_run_release(&r);
}

static void test_execstack(void)
{
	struct elf_run r;
	const struct iotb_finding *f;

	run_built("execstack", "-z execstack", &r);
	assert_str(elf_verdict(&r, "nx"), "absent");
	assert_str(elf_fact(&r, "nx", "problem"), "exec-stack");
	f = elf_finding(&r, "elf.exec-stack");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	assert_str(f->message, "executable stack: PT_GNU_STACK requests an executable "
		   "stack (PF_X set)");
	CU_ASSERT_EQUAL(f->severity, IOTB_SEV_ERROR);
	elf_run_release(&r);
}

static json_int_t coverage(const struct elf_run *r, const char *key)
{
	json_t *c = json_object_get(json_object_get(r->facts, "canary"), "coverage");

	return json_integer_value(json_object_get(c, key));
}

static const char *coverage_str(const struct elf_run *r, const char *key)
{
	json_t *c = json_object_get(json_object_get(r->facts, "canary"), "coverage");

	return json_string_value(json_object_get(c, key));
}

/* Issue 4: libc's __stack_chk_fail in a static binary is no canary. */
static void test_static_no_canary_is_absent(void)
{
	struct elf_run r;
	const struct iotb_finding *f;

	run_built("static", "-static -fno-stack-protector", &r);
	assert_str(elf_verdict(&r, "canary"), "absent");
	assert_str(elf_verdict(&r, "fortify"), "unknown");
	assert_str(elf_verdict(&r, "pie"), "absent");
	assert_str(elf_verdict(&r, "relro"), "present");
	assert_str(elf_verdict(&r, "bind_now"), "not-applicable");
	CU_ASSERT(json_is_true(json_object_get(r.facts, "static")));
	f = elf_finding(&r, "elf.no-canary");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->severity, IOTB_SEV_WARNING);
	assert_str(f->message, "no stack canary: static binary: no canary idiom (TLS guard "
		   "fs:[0x28]) in any of the 1 examined functions, 1 of which reserve at least 32 "
		   "bytes for locals (main and its direct callees in the application's code; main "
		   "found by the symbol 'main'); libc's own __stack_chk_fail does not count");
	CU_ASSERT_EQUAL(coverage(&r, "examined"), 1);
	CU_ASSERT_EQUAL(coverage(&r, "with_frame"), 1);
	CU_ASSERT_EQUAL(coverage(&r, "with_idiom"), 0);
	CU_ASSERT_EQUAL(elf_count(&r, "elf.dangerous-import"), 0);
	elf_run_release(&r);
}

/* Issue 4: a stripped -static -fstack-protector-all binary has a canary,
 * main found from _start's call to __libc_start_main. */
static void test_static_stripped(void)
{
	struct elf_run r;

	run_built("static-s", "-static -fstack-protector-all -s", &r);
	assert_str(elf_verdict(&r, "canary"), "present");
	assert_str(elf_fact(&r, "canary", "reason"), "canary idiom (TLS guard fs:[0x28]) in 1 of "
		   "1 examined functions (main and its direct callees in the application's code; "
		   "main has it; main found by the first argument of the call to "
		   "__libc_start_main in _start)");
	assert_str(coverage_str(&r, "main_found_by"),
		   "the first argument of the call to __libc_start_main in _start");
	CU_ASSERT(json_is_true(json_object_get(r.facts, "stripped")));
	CU_ASSERT_EQUAL(elf_count(&r, "elf.no-canary"), 0);
	elf_run_release(&r);
	run_built("static-s-nosp", "-O2 -static -fno-stack-protector -s", &r);
	assert_str(elf_verdict(&r, "canary"), "absent");
	assert_str(coverage_str(&r, "main_found_by"),
		   "the first argument of the call to __libc_start_main in _start");
	elf_run_release(&r);
}

/* Coverage over main and its direct callees: helper has an array and the
 * idiom, plain has no frame; libc's callees (read, strcpy, printf) do not
 * count. */
static const char callees_src[] =
	"#include <stdio.h>\n#include <string.h>\n#include <unistd.h>\n"
	"__attribute__((noinline)) int helper(const char *s) { char b[32]; strcpy(b, s); "
	"return printf(\"%s\", b); }\n"
	"__attribute__((noinline)) int plain(int x) { return x * 3; }\n"
	"int main(int argc, char **argv) { char buf[64]; ssize_t n = read(0, buf, sizeof(buf));\n"
	"  if (argc > 1) helper(argv[1]);\n  return (int)n + buf[1] + plain(argc); }\n";

static void run_src(const char *name, const char *src, const char *flags, struct elf_run *r)
{
	char *bin;

	if (!dir)
		dir = th_tmpdir("elf");
	bin = elf_build(dir, "gcc", "callees.c", src, name, flags);
	CU_ASSERT_PTR_NOT_NULL_FATAL(bin);
	elf_run_file(bin, r);
	free(bin);
}

static void test_static_coverage(void)
{
	static const char *const flags[] = {
		"-O0 -static -fstack-protector-strong", "-O0 -static -fstack-protector-strong -s",
		"-O2 -static-pie -fPIE -fstack-protector-strong -s",
	};
	struct elf_run r;

	for (size_t i = 0; i < 3; i++) {
		run_src("callees", callees_src, flags[i], &r);
		assert_str(elf_verdict(&r, "canary"), "present");
		CU_ASSERT_EQUAL(coverage(&r, "examined"), 3);
		CU_ASSERT_EQUAL(coverage(&r, "with_frame"), 2);
		CU_ASSERT_EQUAL(coverage(&r, "with_idiom"), 2);
		elf_run_release(&r);
	}
}

/* No function with a frame for locals: nothing to decide from. */
static void test_static_nothing_to_protect(void)
{
	struct elf_run r;

	run_src("noframe", "int main(int argc, char **argv) { return argc + (argv[0][0] == 'x'); }\n",
		"-O2 -static -fno-stack-protector", &r);
	assert_str(elf_verdict(&r, "canary"), "unknown");
	assert_str(elf_fact(&r, "canary", "reason"), "static binary: none of the 1 examined "
		   "functions (main and its direct callees in the application's code) reserves 32 "
		   "bytes or more for locals, so no code that stack protection would cover was seen");
	CU_ASSERT_EQUAL(elf_finding(&r, "elf.no-canary")->severity, IOTB_SEV_NOTE);
	elf_run_release(&r);
}

/* Unstripped dynamic binaries: coverage over every .symtab function. */
static void test_dynamic_coverage(void)
{
	struct elf_run r;

	run_src("dyn-callees", callees_src, "-O2 -fstack-protector-strong", &r);
	assert_str(elf_verdict(&r, "canary"), "present");
	assert_str(coverage_str(&r, "scope"), "every function of .symtab");
	CU_ASSERT_EQUAL(coverage(&r, "with_frame"), 2);
	CU_ASSERT_EQUAL(coverage(&r, "with_idiom"), 2);
	CU_ASSERT(coverage(&r, "examined") >= 4);
	elf_run_release(&r);
	run_src("dyn-callees-nosp", callees_src, "-O2 -fno-stack-protector", &r);
	assert_str(elf_verdict(&r, "canary"), "absent");
	CU_ASSERT_EQUAL(coverage(&r, "with_frame"), 2);
	CU_ASSERT_EQUAL(coverage(&r, "with_idiom"), 0);
	elf_run_release(&r);
}

static void test_static_pie(void)
{
	struct elf_run r;

	run_built("static-pie", "-static-pie -fPIE", &r);
	assert_str(elf_verdict(&r, "pie"), "present");
	assert_str(elf_fact(&r, "pie", "class"), "static-pie");
	CU_ASSERT_EQUAL(elf_count(&r, "elf.no-pie"), 0);
	elf_run_release(&r);
}

static void test_shared_object(void)
{
	struct elf_run r;

	run_built("libx.so", "-shared -fPIC -Wl,-soname,libx.so.1", &r);
	assert_str(elf_verdict(&r, "pie"), "not-applicable");
	assert_str(elf_fact(&r, "pie", "class"), "shared-object");
	assert_str(elf_fact(&r, "pie", "reason"), "shared object (DT_SONAME 'libx.so.1')");
	assert_str(elf_fact(&r, "soname", NULL), "libx.so.1");
	CU_ASSERT_EQUAL(elf_count(&r, "elf.no-pie"), 0);
	CU_ASSERT_EQUAL(json_array_size(json_object_get(r.facts, "needed")), 1);
	assert_str(json_string_value(json_array_get(json_object_get(r.facts, "needed"), 0)),
		   "libc.so.6");
	elf_run_release(&r);
}

static void test_libc_is_shared_and_executable(void)
{
	struct elf_run r;
	const char *libc = "/lib/x86_64-linux-gnu/libc.so.6";
	FILE *f = fopen(libc, "r");

	if (!f)
		return;
	fclose(f);
	elf_run_file(libc, &r);
	assert_str(elf_fact(&r, "pie", "class"), "shared-object");
	assert_str(elf_fact(&r, "pie", "reason"),
		   "shared object (DT_SONAME 'libc.so.6'), also executable (has PT_INTERP)");
	elf_run_release(&r);
}

static void test_stripped_dynamic_keeps_canary(void)
{
	struct elf_run r;

	run_built("stripped", HARDENED " -s", &r);
	assert_str(elf_verdict(&r, "canary"), "present");
	assert_str(elf_verdict(&r, "fortify"), "present");
	CU_ASSERT(json_is_true(json_object_get(r.facts, "stripped")));
	elf_run_release(&r);
}

/* sstrip/OpenWrt: e_shoff, e_shnum, e_shstrndx zeroed. */
static void test_no_section_headers(void)
{
	char *bin = build("noshdr", HARDENED);
	size_t len;
	unsigned char *data = elf_slurp(bin, &len);
	Elf64_Ehdr *eh = (Elf64_Ehdr *)data;
	struct elf_run r;

	eh->e_shoff = 0;
	eh->e_shnum = 0;
	eh->e_shstrndx = 0;
	elf_spew(bin, data, len);
	elf_run_file(bin, &r);
	assert_str(elf_verdict(&r, "canary"), "present");
	assert_str(elf_verdict(&r, "fortify"), "present");
	assert_str(elf_verdict(&r, "relro"), "present");
	assert_str(elf_fact(&r, "relro", "level"), "full");
	CU_ASSERT(json_is_false(json_object_get(r.facts, "section_headers")));
	elf_run_release(&r);
	free(data);
	free(bin);
}

static void test_rpath(void)
{
	struct elf_run r;

	run_built("rpath", "-Wl,--disable-new-dtags -Wl,-rpath,'$ORIGIN/lib::lib:/tmp/x:/usr/lib'",
		  &r);
	CU_ASSERT_EQUAL(elf_count(&r, "elf.rpath"), 3);
	assert_str(elf_finding(&r, "elf.rpath")->message, "DT_RPATH entry '' in "
		   "'$ORIGIN/lib::lib:/tmp/x:/usr/lib': empty entry (the current directory)");
	CU_ASSERT_EQUAL(json_array_size(json_object_get(r.facts, "rpath")), 5);
	elf_run_release(&r);
	run_built("runpath", "-Wl,--enable-new-dtags -Wl,-rpath,/var/tmp/lib", &r);
	CU_ASSERT_EQUAL(elf_count(&r, "elf.rpath"), 1);
	assert_str(elf_finding(&r, "elf.rpath")->message, "DT_RUNPATH entry '/var/tmp/lib' "
		   "in '/var/tmp/lib': world-writable directory");
	elf_run_release(&r);
}

static const char cfi_src[] = "int f(int x) { return x + 1; }\nvoid _start(void) { for (;;); }\n";

static void test_wx_segment(void)
{
	struct elf_run r;
	char *bin;

	if (!dir)
		dir = th_tmpdir("elf");
	bin = elf_build(dir, "gcc", "cfi.c", cfi_src, "omagic",
			"-static -nostdlib -nostartfiles -Wl,--omagic -Wl,--no-warn-rwx-segments");
	CU_ASSERT_PTR_NOT_NULL_FATAL(bin);
	elf_run_file(bin, &r);
	free(bin);
	CU_ASSERT_EQUAL(elf_count(&r, "elf.wx-segment"), 1);
	CU_ASSERT_EQUAL(json_array_size(json_object_get(r.facts, "wx_segments")), 1);
	CU_ASSERT(th_contains(elf_finding(&r, "elf.wx-segment")->message,
			      "is both writable and executable"));
	elf_run_release(&r);
}

static const char textrel_asm[] =
	"\t.text\n\t.globl f\n\t.type f, @function\nf:\n\tret\n\t.quad f\n"
	"\t.section .note.GNU-stack,\"\",@progbits\n";

static void test_textrel(void)
{
	char *bin;
	struct elf_run r;

	if (!dir)
		dir = th_tmpdir("elf");
	bin = elf_build(dir, "gcc", "textrel.s", textrel_asm, "libtextrel.so",
			"-shared -nostdlib -Wl,-z,notext");
	CU_ASSERT_PTR_NOT_NULL_FATAL(bin);
	elf_run_file(bin, &r);
	CU_ASSERT_EQUAL(elf_count(&r, "elf.textrel"), 1);
	CU_ASSERT(json_is_true(json_object_get(r.facts, "textrel")));
	assert_str(elf_fact(&r, "pie", "class"), "shared-object");
	elf_run_release(&r);
	free(bin);
}

static void test_cfi_notes(void)
{
	char *obj, *exe;
	struct elf_run r;

	if (!dir)
		dir = th_tmpdir("elf");
	obj = elf_build(dir, "gcc", "cfi.c", cfi_src, "cfi.o", "-c -fcf-protection=full");
	exe = elf_build(dir, "gcc", "cfi.c", cfi_src, "cfi-nostd",
			"-fcf-protection=full -nostartfiles -nostdlib -static");
	CU_ASSERT_PTR_NOT_NULL_FATAL(obj);
	CU_ASSERT_PTR_NOT_NULL_FATAL(exe);
	elf_run_file(obj, &r);
	assert_str(elf_verdict(&r, "cfi"), "present");
	assert_str(elf_fact(&r, "type", NULL), "REL");
	assert_str(elf_verdict(&r, "pie"), "not-applicable");
	CU_ASSERT_EQUAL(elf_count(&r, "elf.no-cfi"), 0);
	elf_run_release(&r);
	elf_run_file(exe, &r);
	assert_str(elf_verdict(&r, "cfi"), "present");
	elf_run_release(&r);
	free(obj);
	free(exe);
	run_built("cfi-hosted", "-fcf-protection=full", &r);
	assert_str(elf_verdict(&r, "cfi"), "absent");
	assert_str(elf_finding(&r, "elf.no-cfi")->message, "no control-flow protection: "
		   "no IBT/SHSTK GNU property note; the linker ANDs the property over all "
		   "inputs, so one unmarked input (Debian 12's crt objects are unmarked) drops it");
	elf_run_release(&r);
}

static const char module_src[] =
	"static const char modinfo[] __attribute__((used, section(\".modinfo\"))) = "
	"\"license=GPL\";\nint init_module(void) { return 0; }\n";

static void test_kernel_module_signature(void)
{
	char *ko, *signed_ko;
	unsigned char *data;
	size_t len;
	struct elf_run r;
	static const char trailer[] = "~Module signature appended~\n";

	if (!dir)
		dir = th_tmpdir("elf");
	ko = elf_build(dir, "gcc", "mod.c", module_src, "mod.ko", "-c");
	CU_ASSERT_PTR_NOT_NULL_FATAL(ko);
	elf_run_file(ko, &r);
	assert_str(elf_verdict(&r, "module_signature"), "absent");
	assert_str(elf_verdict(&r, "nx"), "not-applicable");
	assert_str(elf_finding(&r, "elf.unsigned-module")->message, "kernel module without "
		   "an appended signature (no \"~Module signature appended~\" trailer)");
	elf_run_release(&r);
	data = elf_slurp(ko, &len);
	data = iotb_xrealloc(data, len + 40);
	memset(data + len, 0x5a, 12);
	memcpy(data + len + 12, trailer, sizeof(trailer) - 1);
	signed_ko = iotb_path_join(dir, "signed.ko");
	elf_spew(signed_ko, data, len + 12 + sizeof(trailer) - 1);
	elf_run_file(signed_ko, &r);
	assert_str(elf_verdict(&r, "module_signature"), "present");
	CU_ASSERT_EQUAL(elf_count(&r, "elf.unsigned-module"), 0);
	elf_run_release(&r);
	free(data);
	free(ko);
	free(signed_ko);
}

/* Remove PT_GNU_STACK (turn it into PT_NULL): x86-64 severity from the
 * arch table, for an executable and a shared library. */
static void drop_gnu_stack(const char *path)
{
	size_t len, i;
	unsigned char *data = elf_slurp(path, &len);
	Elf64_Ehdr *eh = (Elf64_Ehdr *)data;

	for (i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr *p = (Elf64_Phdr *)(data + eh->e_phoff + i * sizeof(*p));

		if (p->p_type == PT_GNU_STACK)
			p->p_type = PT_NULL;
	}
	elf_spew(path, data, len);
	free(data);
}

static void test_missing_gnu_stack(void)
{
	char *exe = build("nostack", "");
	char *lib = build("libnostack.so", "-shared -fPIC");
	struct elf_run r;
	const struct iotb_finding *f;

	drop_gnu_stack(exe);
	drop_gnu_stack(lib);
	elf_run_file(exe, &r);
	assert_str(elf_fact(&r, "nx", "problem"), "no-gnu-stack");
	f = elf_finding(&r, "elf.no-nx");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->severity, IOTB_SEV_WARNING);
	CU_ASSERT(th_contains(f->message, "no PT_GNU_STACK: since Linux 5.8"));
	CU_ASSERT(th_contains(f->message, "commit 9fccc5c0c99f"));
	elf_run_release(&r);
	elf_run_file(lib, &r);
	f = elf_finding(&r, "elf.no-nx");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT(th_contains(f->message, "no PT_GNU_STACK in this shared object: glibc "
			      "loads it with an executable stack for the whole process"));
	elf_run_release(&r);
	free(exe);
	free(lib);
}

static void test_search_path_problem(void)
{
	CU_ASSERT_PTR_NULL(iotb_elf_search_path_problem("/usr/lib"));
	CU_ASSERT_PTR_NULL(iotb_elf_search_path_problem("$ORIGIN/../lib"));
	CU_ASSERT_PTR_NULL(iotb_elf_search_path_problem("/tmpfoo"));
	assert_str(iotb_elf_search_path_problem(""), "empty entry (the current directory)");
	assert_str(iotb_elf_search_path_problem("lib"),
		   "relative path (resolved against the current directory)");
	assert_str(iotb_elf_search_path_problem("/dev/shm/x"), "world-writable directory");
}

/* A symbol merely containing "_chk" is not a fortified import. */
static const char fake_chk_src[] =
	"#include <string.h>\nvoid my_memcpy_chk(void);\nvoid __stack_chk_fail(void);\n"
	"int main(int c, char **v) { char b[8]; my_memcpy_chk(); strcpy(b, v[0]); "
	"return b[c]; }\nvoid my_memcpy_chk(void) {}\n";

static void test_chk_name_is_not_fortify(void)
{
	char *bin;
	struct elf_run r;

	if (!dir)
		dir = th_tmpdir("elf");
	bin = elf_build(dir, "gcc", "fake.c", fake_chk_src, "fakechk",
			"-O0 -fstack-protector-all -Wl,--export-dynamic");
	CU_ASSERT_PTR_NOT_NULL_FATAL(bin);
	elf_run_file(bin, &r);
	assert_str(elf_verdict(&r, "canary"), "present");
	assert_str(elf_verdict(&r, "fortify"), "absent");
	elf_run_release(&r);
	free(bin);
}

/* Object files: .note.GNU-stack with SHF_EXECINSTR, without it, and no note
 * at all (what each architecture's GNU ld makes of that: x86-64 yes,
 * AArch64 no — confirmed by linking, see elfcheck/arch.c). */
static void test_object_stack(void)
{
	static const char asm_x86[] = "\t.text\n\t.globl g\ng:\n\tret\n";
	static const char asm_a64[] = "\t.text\n\t.globl g\ng:\n\tret\n";
	struct elf_run r;
	const struct iotb_finding *f;

	run_src("stk.o", "int f(int x) { return x + 1; }\n", "-c", &r);
	assert_str(elf_verdict(&r, "nx"), "present");
	assert_str(elf_fact(&r, "nx", "reason"), "object file: .note.GNU-stack without SHF_EXECINSTR");
	CU_ASSERT_EQUAL(elf_count(&r, "elf.exec-stack") + elf_count(&r, "elf.no-nx"), 0);
	elf_run_release(&r);
	run_src("stkx.o", "int f(int x) { return x + 1; }\n", "-c -Wa,--execstack", &r);
	f = elf_finding(&r, "elf.exec-stack");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	assert_str(f->message, "executable stack: object file: .note.GNU-stack has SHF_EXECINSTR, "
		   "so a program linked with it gets an executable stack");
	CU_ASSERT_EQUAL(f->severity, IOTB_SEV_ERROR);
	elf_run_release(&r);
	if (!dir)
		dir = th_tmpdir("elf");
	{
		char *o = elf_build(dir, "gcc", "nonote.s", asm_x86, "nonote.o", "-c");

		CU_ASSERT_PTR_NOT_NULL_FATAL(o);
		elf_run_file(o, &r);
		free(o);
	}
	f = elf_finding(&r, "elf.exec-stack");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	assert_str(f->message, "executable stack implied: object file without .note.GNU-stack: "
		   "GNU ld (binutils 2.40) gives a program linked with it an executable stack on "
		   "this architecture unless -z noexecstack is used");
	CU_ASSERT_EQUAL(f->severity, IOTB_SEV_WARNING);
	assert_str(elf_fact(&r, "nx", "problem"), "no-gnu-stack-note");
	elf_run_release(&r);
	if (elf_have_tool("aarch64-linux-gnu-gcc")) {
		char *o = elf_build(dir, "aarch64-linux-gnu-gcc", "nonote64.s", asm_a64, "nonote64.o",
				    "-c");

		CU_ASSERT_PTR_NOT_NULL_FATAL(o);
		elf_run_file(o, &r);
		free(o);
		assert_str(elf_verdict(&r, "nx"), "present");
		CU_ASSERT_EQUAL(elf_count(&r, "elf.exec-stack"), 0);
		elf_run_release(&r);
	}
}

/* The file bytes at section+offset of a finding (NULL when not found). */
static const unsigned char *at_location(const unsigned char *d, const struct iotb_finding *f)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)d;
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(d + eh->e_shoff);
	const char *names = (const char *)d + sh[eh->e_shstrndx].sh_offset;

	for (size_t i = 1; f->loc.section && i < eh->e_shnum; i++)
		if (strcmp(names + sh[i].sh_name, f->loc.section) == 0)
			return d + sh[i].sh_offset + f->loc.offset;
	return NULL;
}

/* Each dangerous import points at its first call: the bytes there are a
 * call (E8 rel32, or FF 15 through the GOT with -fno-plt). */
static void check_call_sites(const char *name, const char *flags, unsigned char opcode)
{
	char *bin = build(name, flags);
	size_t len;
	unsigned char *d = elf_slurp(bin, &len);
	struct elf_run r;
	const unsigned char *p;

	elf_run_file(bin, &r);
	CU_ASSERT_EQUAL(elf_count(&r, "elf.dangerous-import"), 2);
	for (size_t i = 0; i < r.res.nfindings; i++) {
		const struct iotb_finding *f = &r.res.findings[i];

		if (strcmp(f->rule->id, "elf.dangerous-import") != 0)
			continue;
		CU_ASSERT(th_contains(f->message, "called from 1 place (first in main)"));
		assert_str(f->loc.section, ".text");
		assert_str(f->loc.symbol, "main");
		p = at_location(d, f);
		CU_ASSERT(p && p[0] == opcode);
		CU_ASSERT_EQUAL(json_integer_value(json_object_get(f->properties, "call_sites")), 1);
	}
	assert_str(elf_fact(&r, "dangerous_imports", "call_sites"),
		   strstr(flags, "-c") ? "call relocations of the object file"
				       : "direct calls through the PLT or the GOT");
	elf_run_release(&r);
	free(d);
	free(bin);
}

static void test_dangerous_call_sites(void)
{
	struct elf_run r;

	check_call_sites("calls", "-O0", 0xe8);
	check_call_sites("calls-noplt", "-O0 -fno-plt", 0xff);
	check_call_sites("calls.o", "-O0 -c", 0xe8);
	run_built("calls-s", "-O0 -s", &r);
	assert_str(elf_finding(&r, "elf.dangerous-import")->message,
		   "imports 'strcpy', called from 1 place (first in unnamed code)");
	elf_run_release(&r);
}

/* Without section headers the PLT cannot be found: import only, said so. */
static void test_dangerous_no_shdrs(void)
{
	char *bin = build("calls-noshdr", "-O0");
	size_t len;
	unsigned char *d = elf_slurp(bin, &len);
	Elf64_Ehdr *eh = (Elf64_Ehdr *)d;
	struct elf_run r;

	eh->e_shoff = 0, eh->e_shnum = 0, eh->e_shstrndx = 0;
	elf_spew(bin, d, len);
	elf_run_file(bin, &r);
	assert_str(elf_finding(&r, "elf.dangerous-import")->message, "imports 'strcpy' (import "
		   "only: no section headers, so the PLT cannot be told from other code)");
	elf_run_release(&r);
	free(d);
	free(bin);
}

static const struct th_test tests[] = {
	{ "hardened binary: every protection present", test_hardened },
	{ "FORTIFY counts of __*_chk and plain imports", test_fortify_counts },
	{ "weak binary: canary, PIE, RELRO, FORTIFY absent", test_weak },
	{ "-z relro -z lazy is partial RELRO", test_relro_lazy_is_partial },
	{ "-z norelro -z now is no RELRO", test_norelro_now_is_none },
	{ "-z execstack is an executable stack", test_execstack },
	{ "static -fno-stack-protector: canary absent", test_static_no_canary_is_absent },
	{ "static stripped: canary found in code", test_static_stripped },
	{ "static: coverage over main and its callees", test_static_coverage },
	{ "static: no frame to protect is unknown", test_static_nothing_to_protect },
	{ "dynamic unstripped: coverage over .symtab", test_dynamic_coverage },
	{ "-static-pie is PIE", test_static_pie },
	{ "shared object is never PIE or no-PIE", test_shared_object },
	{ "libc.so.6 is a shared object, also executable", test_libc_is_shared_and_executable },
	{ "stripped dynamic binary keeps canary and FORTIFY", test_stripped_dynamic_keeps_canary },
	{ "section headers removed: decided from PT_DYNAMIC", test_no_section_headers },
	{ "RPATH/RUNPATH empty, relative, world-writable", test_rpath },
	{ "W+X segment", test_wx_segment },
	{ "TEXTREL", test_textrel },
	{ "CFI property notes: ET_REL, nostdlib, hosted", test_cfi_notes },
	{ "kernel module signature trailer", test_kernel_module_signature },
	{ "missing PT_GNU_STACK: per-arch severity", test_missing_gnu_stack },
	{ "search path entry problems", test_search_path_problem },
	{ "a name containing _chk is not FORTIFY", test_chk_name_is_not_fortify },
	{ "object files: .note.GNU-stack requests", test_object_stack },
	{ "dangerous imports: call sites (PLT, GOT, relocations)", test_dangerous_call_sites },
	{ "dangerous imports without section headers", test_dangerous_no_shdrs },
	{ NULL, NULL },
};

void register_suite_elf(void)
{
	if (!elf_have_tool("gcc")) {
		th_skip_suite("no gcc on PATH");
		return;
	}
	th_add_suite("elf", tests);
}
