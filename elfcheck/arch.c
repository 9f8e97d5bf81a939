/*
 * arch.c — the per-architecture table of elfcheck: machine names, which
 * GNU property note carries control-flow protection, what a missing
 * PT_GNU_STACK means for executables (kernel: elf_read_implies_exec(), with
 * the source file it is decided in) and for shared libraries (glibc's
 * DEFAULT_STACK_PERMS in sysdeps/<arch>/stackinfo.h: a library without
 * PT_GNU_STACK makes ld.so mprotect every stack executable when it is
 * RWX), RELRO coverage notes, and whether GNU ld makes the stack executable
 * for an input object without .note.GNU-stack (binutils 2.40 as shipped in
 * Debian 12, confirmed by linking such an object with each cross toolchain:
 * yes on x86-64, i386, ARM and PowerPC, no on AArch64 and RISC-V; MIPS
 * makes every program's stack executable unless -z noexecstack is given).  docs/elfcheck.md explains each row.
 */
#include <stdio.h>

#include "elfcheck.h"

#define GLIBC_RWX "glibc loads it with an executable stack for the whole process " \
	"(DEFAULT_STACK_PERMS is PF_R|PF_W|PF_X)"
#define GLIBC_RW "glibc's default stack is not executable here " \
	"(DEFAULT_STACK_PERMS is PF_R|PF_W)"

static const struct iotb_elf_arch table[] = {
	{ EM_X86_64, 0, "x86-64", true, false,
	  "warning", "since Linux 5.8 a 64-bit process without PT_GNU_STACK is no longer "
	  "READ_IMPLIES_EXEC, but glibc still treats the program's stack as executable "
	  "(thread stacks are mapped PROT_EXEC)",
	  "warning", GLIBC_RWX,
	  "Linux arch/x86/include/asm/elf.h elf_read_implies_exec() (v5.8, commit "
	  "9fccc5c0c99f); glibc sysdeps/x86_64/stackinfo.h", NULL, "yes" },
	{ EM_386, 0, "i386", true, false,
	  "error", "a 32-bit x86 process without PT_GNU_STACK is READ_IMPLIES_EXEC: "
	  "every readable mapping is executable, on any CPU",
	  "warning", GLIBC_RWX,
	  "Linux arch/x86/include/asm/elf.h elf_read_implies_exec(); glibc "
	  "sysdeps/i386/stackinfo.h", NULL, "yes" },
	{ EM_AARCH64, 0, "AArch64", false, true,
	  "note", "since Linux 5.8 a 64-bit arm64 process without PT_GNU_STACK is no "
	  "longer READ_IMPLIES_EXEC (32-bit compat tasks still are)",
	  "note", GLIBC_RW,
	  "Linux arch/arm64/include/asm/elf.h elf_read_implies_exec() (v5.8, commit "
	  "6e0d6ac5f5a6); glibc sysdeps/aarch64/stackinfo.h", NULL, "no" },
	{ EM_ARM, 0, "ARM", false, false,
	  "error", "a 32-bit ARM process without PT_GNU_STACK is READ_IMPLIES_EXEC "
	  "(also on arm64 kernels for 32-bit tasks): every readable mapping is executable",
	  "warning", GLIBC_RWX,
	  "Linux arch/arm/kernel/elf.c arm_elf_read_implies_exec(); glibc "
	  "sysdeps/arm/stackinfo.h", NULL, "yes" },
	{ EM_MIPS, ELFCLASS32, "MIPS32", false, false,
	  "warning", "on MIPS CPUs without RIXI a process without PT_GNU_STACK is "
	  "READ_IMPLIES_EXEC; with RIXI the stack stays non-executable",
	  "warning", GLIBC_RWX,
	  "Linux arch/mips/kernel/elf.c mips_elf_read_implies_exec(); glibc "
	  "sysdeps/mips/stackinfo.h",
	  "with binutils 2.40 the MIPS linker places .got after PT_GNU_RELRO", "always" },
	{ EM_MIPS, ELFCLASS64, "MIPS64", false, false,
	  "warning", "on MIPS CPUs without RIXI a process without PT_GNU_STACK is "
	  "READ_IMPLIES_EXEC; with RIXI the stack stays non-executable",
	  "warning", GLIBC_RWX,
	  "Linux arch/mips/kernel/elf.c mips_elf_read_implies_exec(); glibc "
	  "sysdeps/mips/stackinfo.h",
	  "with binutils 2.40 the MIPS linker places .got after PT_GNU_RELRO", "always" },
	{ EM_RISCV, 0, "RISC-V", false, false,
	  "note", "the RISC-V kernel never sets READ_IMPLIES_EXEC and maps stacks "
	  "without execute permission by default",
	  "note", GLIBC_RW,
	  "Linux include/linux/elf.h default elf_read_implies_exec() (0) and "
	  "arch/riscv VM_DATA_DEFAULT_FLAGS; glibc sysdeps/riscv/stackinfo.h",
	  "with binutils 2.40 the RISC-V linker places .got after PT_GNU_RELRO", "no" },
	{ EM_PPC, 0, "PowerPC", false, false,
	  "error", "a 32-bit PowerPC process without PT_GNU_STACK is READ_IMPLIES_EXEC",
	  "warning", GLIBC_RWX,
	  "Linux arch/powerpc/include/asm/elf.h elf_read_implies_exec(); glibc "
	  "sysdeps/powerpc/stackinfo.h", NULL, "yes" },
	{ EM_PPC64, 0, "PowerPC64", false, false,
	  "note", "a 64-bit PowerPC process without PT_GNU_STACK is not READ_IMPLIES_EXEC",
	  "warning", GLIBC_RWX,
	  "Linux arch/powerpc/include/asm/elf.h elf_read_implies_exec(); glibc "
	  "sysdeps/powerpc/stackinfo.h", NULL, NULL },
};

static const struct iotb_elf_arch generic = {
	0, 0, NULL, false, false,
	NULL, "the effect of a missing PT_GNU_STACK on this architecture is not in "
	"elfcheck's table; Linux's generic default is no READ_IMPLIES_EXEC",
	NULL, "glibc's default stack permissions for this architecture are not in "
	"elfcheck's table",
	"elfcheck/arch.c (no entry)", NULL, NULL,
};

const struct iotb_elf_arch *iotb_elf_arch_lookup(unsigned machine, int elfclass)
{
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].machine == machine &&
		    (table[i].elfclass == 0 || table[i].elfclass == elfclass))
			return &table[i];
	return &generic;
}

const char *iotb_elf_machine_name(unsigned machine, int elfclass, char *buf, size_t n)
{
	const struct iotb_elf_arch *a = iotb_elf_arch_lookup(machine, elfclass);

	if (a->name)
		return a->name;
	switch (machine) {
	case EM_SPARC: return "SPARC";
	case EM_S390: return "S390";
	case EM_SH: return "SuperH";
	case EM_XTENSA: return "Xtensa";
	case EM_68K: return "m68k";
	case EM_LOONGARCH: return "LoongArch";
	default:
		snprintf(buf, n, "EM_%u", machine);
		return buf;
	}
}
