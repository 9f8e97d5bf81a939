/*
 * disasm.c — instruction decoding for elfcheck through the LLVM-C
 * disassembler (llvm-c/Disassembler.h, LLVM 19 like libclang).  One
 * decoded instruction becomes a struct iotb_insn: its text split into
 * mnemonic and operands (x86 in Intel syntax), plus the branch target and
 * the PC-relative address LLVM's symbolizer callback reports (so no target
 * arithmetic is done here).  Only bytes inside the file image of an
 * executable PT_LOAD are ever decoded; nothing is executed.  LLVM contexts
 * are pooled per triple for the life of the (single-threaded) process.
 */
#include <ctype.h>
#include <llvm-c/Disassembler.h>
#include <llvm-c/Target.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elfcheck.h"
#include "iotb_util.h"

struct iotb_disasm {
	const struct iotb_elf_facts *f;
	LLVMDisasmContextRef ctx, thumb;
	struct iotb_insn *cur;         /* filled by the symbolizer callback */
};

/* LLVM contexts are costly to make (about a millisecond): one per triple
 * lives as long as the (single-threaded worker) process; the symbolizer
 * callback reports into the decoder of the call in progress. */
#define POOL_SIZE 8
static struct {
	char triple[40];
	LLVMDisasmContextRef ctx;
} pool[POOL_SIZE];
static size_t npool;
static struct iotb_disasm *current;

static void init_llvm(unsigned machine)
{
	switch (machine) {
	case EM_X86_64:
	case EM_386:
		LLVMInitializeX86TargetInfo();
		LLVMInitializeX86TargetMC();
		LLVMInitializeX86Disassembler();
		break;
	case EM_AARCH64:
		LLVMInitializeAArch64TargetInfo();
		LLVMInitializeAArch64TargetMC();
		LLVMInitializeAArch64Disassembler();
		break;
	case EM_ARM:
		LLVMInitializeARMTargetInfo();
		LLVMInitializeARMTargetMC();
		LLVMInitializeARMDisassembler();
		break;
	default:
		break;
	}
}

/* LLVM's symbolizer hook: it hands over branch targets and PC-relative
 * load addresses it computed; we record them and name nothing. */
static const char *on_symbol(void *info, uint64_t value, uint64_t *type, uint64_t pc,
                             const char **name)
{
	struct iotb_insn *cur = current ? current->cur : NULL;

	if (cur && *type == LLVMDisassembler_ReferenceType_In_Branch) {
		cur->has_target = true;
		cur->target = value;
	} else if (cur && *type == LLVMDisassembler_ReferenceType_In_PCrel_Load) {
		cur->has_pcref = true;
		cur->pcref = value;
	}
	*type = LLVMDisassembler_ReferenceType_InOut_None;
	*name = NULL;
	return NULL;
}

static LLVMDisasmContextRef pooled_ctx(unsigned machine, const char *triple)
{
	LLVMDisasmContextRef c;

	for (size_t i = 0; i < npool; i++)
		if (strcmp(pool[i].triple, triple) == 0)
			return pool[i].ctx;
	init_llvm(machine);
	c = LLVMCreateDisasm(triple, NULL, 0, NULL, on_symbol);
	if (c && machine != EM_ARM && machine != EM_AARCH64)
		LLVMSetDisasmOptions(c, LLVMDisassembler_Option_AsmPrinterVariant);
	if (c)
		LLVMSetDisasmOptions(c, LLVMDisassembler_Option_PrintImmHex);
	if (c && npool < POOL_SIZE) {
		snprintf(pool[npool].triple, sizeof(pool[npool].triple), "%s", triple);
		pool[npool++].ctx = c;
	}
	return c;
}

struct iotb_disasm *iotb_disasm_new(const struct iotb_elf_facts *f, const char *triple,
                                    const char *thumb_triple)
{
	struct iotb_disasm *d = iotb_xcalloc(1, sizeof(*d));

	d->f = f;
	d->ctx = pooled_ctx(f->machine, triple);
	if (thumb_triple)
		d->thumb = pooled_ctx(f->machine, thumb_triple);
	if (!d->ctx || (thumb_triple && !d->thumb)) {
		free(d);
		iotb_fail("LLVM has no disassembler for '%s'", triple);
		return NULL;
	}
	return d;
}

void iotb_disasm_free(struct iotb_disasm *d)
{
	free(d);
}

/* The loadable segment holding [addr, addr+len) in the file image. */
static const GElf_Phdr *segment_of(const struct iotb_elf_facts *f, uint64_t addr, uint64_t len,
                                   bool need_exec)
{
	for (size_t i = 0; i < f->nphdrs; i++) {
		const GElf_Phdr *p = &f->phdrs[i];

		if (p->p_type != PT_LOAD || addr < p->p_vaddr || (need_exec && !(p->p_flags & PF_X)))
			continue;
		if (addr - p->p_vaddr < p->p_filesz && len <= p->p_filesz - (addr - p->p_vaddr))
			return p;
	}
	return NULL;
}

bool iotb_elf_read_addr(const struct iotb_elf_facts *f, uint64_t addr, unsigned size,
                        uint64_t *value)
{
	const GElf_Phdr *p = segment_of(f, addr, size, false);
	const unsigned char *b;

	if (!p || (size != 4 && size != 8))
		return false;
	b = f->image + p->p_offset + (addr - p->p_vaddr);
	*value = 0;
	for (unsigned i = 0; i < size; i++)
		*value |= (uint64_t)b[f->data == ELFDATA2MSB ? i : size - 1 - i] << 8 * (size - 1 - i);
	return true;
}

const unsigned char *iotb_elf_image_at(const struct iotb_elf_facts *f, uint64_t addr,
                                       uint64_t len)
{
	const GElf_Phdr *p = segment_of(f, addr, len, false);

	return p ? f->image + p->p_offset + (addr - p->p_vaddr) : NULL;
}

bool iotb_elf_is_exec_addr(const struct iotb_elf_facts *f, uint64_t addr)
{
	return segment_of(f, addr, 1, true) != NULL;
}

/* "\tmov\trdi, 0x4014f0" → mnem "mov", ops "rdi, 0x4014f0". */
static void split_text(struct iotb_insn *in, const char *raw)
{
	size_t o = 0, m = 0;
	const char *s = raw;

	while (*s && isspace((unsigned char)*s))
		s++;
	for (; *s && !isspace((unsigned char)*s) && m + 1 < sizeof(in->mnem); s++)
		in->mnem[m++] = *s;
	in->mnem[m] = '\0';
	while (*s && isspace((unsigned char)*s))
		s++;
	for (; *s && o + 1 < sizeof(in->ops); s++)
		in->ops[o++] = *s == '\t' ? ' ' : *s;
	while (o && in->ops[o - 1] == ' ')
		o--;
	in->ops[o] = '\0';
	/* x86 prefixes printed before the mnemonic ("addr32\t\tcall") */
	if (strcmp(in->mnem, "addr32") == 0 || strcmp(in->mnem, "notrack") == 0 ||
	    strcmp(in->mnem, "bnd") == 0 || strcmp(in->mnem, "lock") == 0 ||
	    strcmp(in->mnem, "rep") == 0 || strcmp(in->mnem, "data16") == 0) {
		char rest[sizeof(in->ops)];

		snprintf(rest, sizeof(rest), "%s", in->ops);
		memset(in->mnem, 0, sizeof(in->mnem));
		memset(in->ops, 0, sizeof(in->ops));
		split_text(in, rest);
	}
}

bool iotb_disasm_at(struct iotb_disasm *d, uint64_t pc, bool thumb, struct iotb_insn *out)
{
	const GElf_Phdr *p = segment_of(d->f, pc, 1, true);
	char raw[160];
	size_t avail, n;
	uint8_t *bytes;

	memset(out, 0, sizeof(*out));
	out->pc = pc;
	if (!p || (thumb && !d->thumb))
		return false;
	avail = (size_t)(p->p_filesz - (pc - p->p_vaddr));
	bytes = (uint8_t *)d->f->image + p->p_offset + (pc - p->p_vaddr);
	d->cur = out;
	current = d;
	n = LLVMDisasmInstruction(thumb ? d->thumb : d->ctx, bytes, avail < 16 ? avail : 16, pc,
				  raw, sizeof(raw));
	current = NULL;
	d->cur = NULL;
	if (n == 0)
		return false;
	out->size = (unsigned)n;
	split_text(out, raw);
	return true;
}
