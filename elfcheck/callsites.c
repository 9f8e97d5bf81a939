/*
 * callsites.c — where a binary calls the imports a rule cares about.
 *
 * Executables and shared objects (x86-64, i386, AArch64, ARM/Thumb, with
 * section headers): every call instruction in the executable sections
 * outside the PLT is decoded from its encoding (x86 E8/E9 rel32 and
 * FF 15/25 through the GOT; AArch64 BL/B; A32 BL/BLX; Thumb-2 BL/BLX),
 * its target checked against the PLT sections, and each PLT stub called is
 * followed with the disassembler to the GOT slot it jumps through; the
 * dynamic relocation naming that slot (DT_JMPREL, DT_RELA, DT_REL) names
 * the import.  Byte patterns inside other instructions could decode as a
 * call, but only one whose target is exactly a PLT stub of a listed import
 * counts.  Relocatable objects (every architecture in the table below):
 * the call relocations themselves (R_X86_64_PLT32, R_AARCH64_CALL26,
 * R_ARM_CALL, R_ARM_THM_CALL, R_MIPS_CALL16, R_RISCV_CALL_PLT,
 * R_PPC_REL24, …) name the callee.
 */
#include <stdlib.h>
#include <string.h>

#include "canary_int.h"

struct slot {
	uint64_t addr;
	const char *name;
	bool used;
};

struct cs {
	const struct iotb_elf_facts *f;
	struct elfcheck_range_list { uint64_t lo, hi; } plt[8];   /* PLT sections */
	size_t nplt;
	iotb_import_filter want;
	iotb_site_cb cb;
	void *arg;
	struct slot *slots, *stubs;          /* GOT slot → import; stub → import */
	size_t nslots, aslots, nstubs, astubs;
	struct tracker t;
};

static uint64_t rd(const struct iotb_elf_facts *f, const unsigned char *p, unsigned size)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < size; i++)
		v |= (uint64_t)p[f->data == ELFDATA2MSB ? size - 1 - i : i] << 8 * i;
	return v;
}

static const char *sym_name(const struct iotb_elf_facts *f, const struct iotb_elf_symtab *t,
                            uint64_t idx)
{
	size_t esz = f->elfclass == ELFCLASS64 ? 24 : 16;
	uint64_t name;

	if (idx == 0 || idx >= t->count)
		return NULL;
	name = rd(f, f->image + t->off + idx * esz, 4);
	if (name >= t->strsz || !memchr(t->strtab + name, '\0', (size_t)(t->strsz - name)))
		return NULL;
	return (const char *)t->strtab + name;
}

struct reloc {
	uint64_t offset, sym, type;
};

static size_t reloc_size(const struct iotb_elf_facts *f, bool rela)
{
	return f->elfclass == ELFCLASS64 ? (rela ? 24 : 16) : (rela ? 12 : 8);
}

static void read_reloc(const struct iotb_elf_facts *f, const unsigned char *p, struct reloc *r)
{
	unsigned w = f->elfclass == ELFCLASS64 ? 8 : 4;
	uint64_t info = rd(f, p + w, w);

	r->offset = rd(f, p, w);
	r->sym = w == 8 ? info >> 32 : info >> 8;
	r->type = w == 8 ? info & 0xffffffffULL : info & 0xff;
}

/* Address → import maps: open addressing, capacity a power of two kept at
 * most half full ("used" marks a filled entry; 0 is a valid address). */
static size_t slot_hash(uint64_t addr, size_t cap)
{
	return (size_t)((addr * 0x9e3779b97f4a7c15ULL) >> 20) & (cap - 1);
}

static void put_slot(struct slot *v, size_t cap, uint64_t addr, const char *name)
{
	size_t i = slot_hash(addr, cap);

	while (v[i].used && v[i].addr != addr)
		i = (i + 1) & (cap - 1);
	v[i] = (struct slot){ addr, name, true };
}

static void add_slot(struct slot **v, size_t *n, size_t *cap, uint64_t addr, const char *name)
{
	if (2 * (*n + 1) > *cap) {
		size_t old = *cap, ncap = old ? 2 * old : 64;
		struct slot *nv = iotb_xcalloc(ncap, sizeof(*nv));

		for (size_t i = 0; i < old; i++)
			if ((*v)[i].used)
				put_slot(nv, ncap, (*v)[i].addr, (*v)[i].name);
		free(*v);
		*v = nv, *cap = ncap;
	}
	put_slot(*v, *cap, addr, name);
	(*n)++;
}

static const struct slot *find_slot(const struct slot *v, size_t cap, uint64_t addr)
{
	size_t i;

	if (!cap)
		return NULL;
	for (i = slot_hash(addr, cap); v[i].used; i = (i + 1) & (cap - 1))
		if (v[i].addr == addr)
			return &v[i];
	return NULL;
}

/* GOT slots of the wanted imports, from the dynamic relocations. */
static void collect_slots(struct cs *c)
{
	const struct iotb_elf_facts *f = c->f;

	for (size_t k = 0; k < f->nreltabs; k++) {
		const struct iotb_elf_reltab *t = &f->reltabs[k];
		size_t esz = reloc_size(f, t->rela), n = (size_t)(t->size / esz);
		const unsigned char *p = iotb_elf_image_at(f, t->addr, (uint64_t)n * esz);
		struct reloc r;
		const char *name;

		for (size_t i = 0; p && i < n; i++) {
			read_reloc(f, p + i * esz, &r);
			name = sym_name(f, &f->dynsym_table, r.sym);
			if (name && c->want(name, c->arg) && !find_slot(c->slots, c->aslots, r.offset))
				add_slot(&c->slots, &c->nslots, &c->aslots, r.offset, name);
		}
	}
}

static bool is_plt_name(const char *name)
{
	return name && (strncmp(name, ".plt", 4) == 0 || strncmp(name, ".iplt", 5) == 0);
}

static void collect_plts(struct cs *c)
{
	for (size_t i = 0; i < c->f->nregions && c->nplt < 8; i++) {
		const struct iotb_elf_region *g = &c->f->regions[i];

		if (g->exec && is_plt_name(g->name))
			c->plt[c->nplt++] = (struct elfcheck_range_list){ g->addr, g->addr + g->size };
	}
}

static bool in_plt(const struct cs *c, uint64_t addr)
{
	for (size_t i = 0; i < c->nplt; i++)
		if (addr >= c->plt[i].lo && addr < c->plt[i].hi)
			return true;
	return false;
}

/* The GOT slot a jump through memory reads: x86 "jmp [rip + X]" (LLVM's
 * address), "jmp [ebx + X]", "jmp [X]", ARM "ldr pc, [ip, #X]!", or the
 * last load seen (AArch64 "br x17" after "ldr x17, [x16, #X]"). */
static bool jump_slot(struct cs *c, const struct iotb_insn *in, const struct insn_effect *last,
                      uint64_t *slot)
{
	char ops[4][48];
	int n = split_ops(in->ops, ops);
	struct mem_op m;
	struct reg_state *b;

	if (in->has_pcref)
		return *slot = in->pcref, true;
	if (n >= 1 && parse_mem(ops[n - 1], &m) && !m.complex && !m.index[0]) {
		if (!m.base[0])
			return *slot = (uint64_t)m.disp, true;
		if (strcmp(m.base, "ip") == 0)
			strcpy(m.base, "r12");
		b = tracker_get(&c->t, m.base);
		return b && b->known ? (*slot = b->value + (uint64_t)m.disp, true) : false;
	}
	if (last->load && !last->load_key.via_pointer)
		return *slot = last->load_key.addr, true;
	return false;
}

/* Follow a PLT stub to the import it jumps to (cached). */
static const char *stub_import(struct cs *c, uint64_t addr, bool thumb)
{
	const struct slot *s = find_slot(c->stubs, c->astubs, addr), *g;
	struct iotb_insn in;
	struct insn_effect e, last = { 0 };
	uint64_t pc = addr, slot;
	const char *name = NULL;

	if (s)
		return s->name;
	tracker_reset(&c->t);
	c->t.thumb = thumb;
	if (c->f->machine == EM_386 && c->f->has_pltgot)
		tracker_set_const(&c->t, "ebx", c->f->pltgot);
	for (int n = 0; n < 6 && iotb_disasm_at(c->t.dis, pc, thumb, &in); n++, pc += in.size) {
		memset(&e, 0, sizeof(e));
		c->t.arch->step(&c->t, &in, &e);
		if (e.load)
			last = e;
		if (e.kind == K_JUMP && !in.has_target) {
			if (jump_slot(c, &in, &last, &slot) && (g = find_slot(c->slots, c->aslots, slot)))
				name = g->name;
			break;
		}
		if (e.kind != K_OTHER)
			break;
	}
	add_slot(&c->stubs, &c->nstubs, &c->astubs, addr, name);
	return name;
}

const char *iotb_elf_enclosing_function(const struct iotb_elf_facts *f,
                                        const struct iotb_elf_region *g, uint64_t off)
{
	uint64_t key = f->type == ET_REL ? off : g->addr + off;

	for (size_t i = 0; i < f->nsyms; i++) {
		const struct iotb_elf_sym *y = &f->syms[i];
		uint64_t v = f->machine == EM_ARM ? y->value & ~1ULL : y->value;

		if (y->type != STT_FUNC || y->shndx == SHN_UNDEF || !y->size)
			continue;
		if (f->type == ET_REL && y->shndx != g->index)
			continue;
		if (key >= v && key - v < y->size)
			return y->name;
	}
	return NULL;
}

static void report(struct cs *c, const struct iotb_elf_region *g, uint64_t off, const char *name)
{
	struct iotb_call_site s = { name, g, off };

	c->cb(&s, c->arg);
}

/* A call at offset off of region g to target (thumb: the callee's state). */
static void on_call(struct cs *c, const struct iotb_elf_region *g, uint64_t off, uint64_t target,
                    bool thumb)
{
	const char *name;

	if (!in_plt(c, target) || !(name = stub_import(c, target, thumb)))
		return;
	report(c, g, off, name);
}

static int32_t s32(uint64_t v)
{
	return (int32_t)(uint32_t)v;
}

static void scan_x86(struct cs *c, const struct iotb_elf_region *g, const unsigned char *b)
{
	const struct slot *s;

	for (uint64_t i = 0; i + 6 <= g->size; i++) {
		uint64_t pc = g->addr + i;

		if (b[i] == 0xe8 || b[i] == 0xe9)
			on_call(c, g, i, pc + 5 + (uint64_t)(int64_t)s32(rd(c->f, b + i + 1, 4)), false);
		else if (b[i] == 0xff && (b[i + 1] == 0x15 || b[i + 1] == 0x25) &&
			 c->f->machine == EM_X86_64 &&
			 (s = find_slot(c->slots, c->aslots,
					pc + 6 + (uint64_t)(int64_t)s32(rd(c->f, b + i + 2, 4)))))
			report(c, g, i, s->name);
	}
}

static uint64_t sext(uint64_t v, unsigned bits)
{
	return (uint64_t)((int64_t)(v << (64 - bits)) >> (64 - bits));
}

static void scan_a64(struct cs *c, const struct iotb_elf_region *g, const unsigned char *b)
{
	for (uint64_t i = 0; i + 4 <= g->size; i += 4) {
		uint32_t w = (uint32_t)rd(c->f, b + i, 4);

		if ((w & 0x7c000000) == 0x14000000)            /* B, BL */
			on_call(c, g, i, g->addr + i + (sext(w & 0x3ffffff, 26) << 2), false);
	}
}

static void scan_a32(struct cs *c, const struct iotb_elf_region *g, const unsigned char *b)
{
	for (uint64_t i = 0; i + 4 <= g->size; i += 4) {
		uint32_t w = (uint32_t)rd(c->f, b + i, 4);
		uint64_t off = sext(w & 0xffffff, 24) << 2;

		if ((w & 0x0f000000) == 0x0b000000 && w >> 28 != 0xf)          /* BL */
			on_call(c, g, i, g->addr + i + 8 + off, false);
	}
}

/* Thumb-2 BL/BLX: S:I1:I2:imm10:imm11 (ARM ARM A7.7.18/19). */
static void scan_t32(struct cs *c, const struct iotb_elf_region *g, const unsigned char *b)
{
	for (uint64_t i = 0; i + 4 <= g->size; i += 2) {
		uint32_t h1 = (uint32_t)rd(c->f, b + i, 2), h2 = (uint32_t)rd(c->f, b + i + 2, 2);
		uint32_t s, j1, j2, imm;
		uint64_t pc = g->addr + i, t;

		if ((h1 & 0xf800) != 0xf000 || (h2 & 0xc000) != 0xc000)
			continue;
		s = h1 >> 10 & 1, j1 = h2 >> 13 & 1, j2 = h2 >> 11 & 1;
		imm = s << 24 | (!(j1 ^ s)) << 23 | (!(j2 ^ s)) << 22 | (h1 & 0x3ff) << 12 |
		      (h2 & 0x7ff) << 1;
		t = (h2 & 0x1000) ? pc + 4 + sext(imm, 25) : ((pc + 4) & ~3ULL) + sext(imm, 25);
		on_call(c, g, i, t & 0xffffffffULL, (h2 & 0x1000) != 0);
	}
}

static void scan_code(struct cs *c)
{
	const struct iotb_elf_facts *f = c->f;

	for (size_t i = 0; i < f->nregions; i++) {
		const struct iotb_elf_region *g = &f->regions[i];
		const unsigned char *b = f->image + g->offset;

		if (!g->exec || is_plt_name(g->name))
			continue;
		if (f->machine == EM_X86_64 || f->machine == EM_386)
			scan_x86(c, g, b);
		else if (f->machine == EM_AARCH64)
			scan_a64(c, g, b);
		else if (f->machine == EM_ARM) {
			scan_a32(c, g, b);
			scan_t32(c, g, b);
		}
	}
}

/* --- relocatable objects --- */

struct call_reloc {
	unsigned machine;
	uint32_t type;
	unsigned back;           /* bytes from r_offset back to the instruction */
};

/* x86: the relocated field must follow a call/jmp opcode (E8/E9, or
 * FF 15/25 through the GOT), not a data reference. */
static bool is_x86_call_at(const unsigned char *code, uint64_t at, unsigned back)
{
	if (back == 1)
		return code[at] == 0xe8 || code[at] == 0xe9;
	return code[at] == 0xff && (code[at + 1] == 0x15 || code[at + 1] == 0x25);
}

static const struct call_reloc call_relocs[] = {
	{ EM_X86_64, 4, 1 },     /* R_X86_64_PLT32 */
	{ EM_X86_64, 2, 1 },     /* R_X86_64_PC32 (call foo, non-PIC) */
	{ EM_X86_64, 41, 2 },    /* R_X86_64_GOTPCRELX (call *foo@GOTPCREL(%rip)) */
	{ EM_386, 4, 1 },        /* R_386_PLT32 */
	{ EM_386, 2, 1 },        /* R_386_PC32 */
	{ EM_AARCH64, 283, 0 },  /* R_AARCH64_CALL26 */
	{ EM_AARCH64, 282, 0 },  /* R_AARCH64_JUMP26 */
	{ EM_ARM, 28, 0 },       /* R_ARM_CALL */
	{ EM_ARM, 29, 0 },       /* R_ARM_JUMP24 */
	{ EM_ARM, 10, 0 },       /* R_ARM_THM_CALL */
	{ EM_ARM, 30, 0 },       /* R_ARM_THM_JUMP24 */
	{ EM_MIPS, 11, 0 },      /* R_MIPS_CALL16 (the GOT load of the callee) */
	{ EM_MIPS, 26, 0 },      /* R_MIPS_26 (jal) */
	{ EM_RISCV, 18, 0 },     /* R_RISCV_CALL */
	{ EM_RISCV, 19, 0 },     /* R_RISCV_CALL_PLT */
	{ EM_PPC, 10, 0 },       /* R_PPC_REL24 */
	{ EM_PPC, 18, 0 },       /* R_PPC_PLTREL24 */
};

static const struct call_reloc *call_reloc(unsigned machine, uint64_t type)
{
	for (size_t i = 0; i < sizeof(call_relocs) / sizeof(call_relocs[0]); i++)
		if (call_relocs[i].machine == machine && call_relocs[i].type == type)
			return &call_relocs[i];
	return NULL;
}

static const struct iotb_elf_region *region_by_index(const struct iotb_elf_facts *f, size_t idx)
{
	for (size_t i = 0; i < f->nregions; i++)
		if (!f->regions[i].is_segment && f->regions[i].index == idx)
			return &f->regions[i];
	return NULL;
}

static void scan_relocs(struct cs *c, const struct iotb_elf_region *rs)
{
	const struct iotb_elf_facts *f = c->f;
	const struct iotb_elf_region *target = region_by_index(f, rs->info);
	size_t esz = reloc_size(f, rs->type == SHT_RELA), n = (size_t)(rs->size / esz);
	const struct call_reloc *cr;
	struct reloc r;
	const char *name;

	if (!target || !target->exec || f->symtab_table.count == 0)
		return;
	for (size_t i = 0; i < n; i++) {
		read_reloc(f, f->image + rs->offset + i * esz, &r);
		if (!(cr = call_reloc(f->machine, r.type)) || r.offset < cr->back ||
		    r.offset >= target->size)
			continue;
		if ((f->machine == EM_X86_64 || f->machine == EM_386) &&
		    !is_x86_call_at(f->image + target->offset, r.offset - cr->back, cr->back))
			continue;
		name = sym_name(f, &f->symtab_table, r.sym);
		if (name && c->want(name, c->arg))
			report(c, target, r.offset - cr->back, name);
	}
}

static const char *object_sites(struct cs *c, const char **how)
{
	bool any = false;

	for (size_t i = 0; i < sizeof(call_relocs) / sizeof(call_relocs[0]); i++)
		any |= call_relocs[i].machine == c->f->machine;
	if (!any || (c->f->machine == EM_MIPS && c->f->elfclass == ELFCLASS64))
		return "no table of call relocations for this architecture";
	for (size_t i = 0; i < c->f->nregions; i++)
		if (c->f->regions[i].type == SHT_RELA || c->f->regions[i].type == SHT_REL)
			scan_relocs(c, &c->f->regions[i]);
	*how = "call relocations of the object file";
	return NULL;
}

static const char *linked_sites(struct cs *c, const char **how)
{
	const struct iotb_elf_facts *f = c->f;

	if (!f->has_shdrs)
		return "no section headers, so the PLT cannot be told from other code";
	c->t.f = f;
	c->t.arch = canary_arch_lookup(f);
	if (!c->t.arch)
		return "call sites are located on x86-64, i386, AArch64 and ARM only";
	collect_slots(c);
	collect_plts(c);
	if (!c->nslots || !c->nplt) {
		*how = "direct calls through the PLT or the GOT";
		return NULL;
	}
	c->t.dis = iotb_disasm_new(f, c->t.arch->triple, c->t.arch->thumb_triple);
	if (!c->t.dis)
		return iotb_last_error();
	scan_code(c);
	iotb_disasm_free(c->t.dis);
	*how = "direct calls through the PLT or the GOT";
	return NULL;
}

const char *iotb_elf_call_sites(const struct iotb_elf_facts *f, iotb_import_filter want,
                                iotb_site_cb cb, void *arg, const char **how)
{
	struct cs c = { .f = f, .want = want, .cb = cb, .arg = arg };
	const char *why;

	*how = NULL;
	if (f->type == ET_REL)
		why = object_sites(&c, how);
	else if (iotb_elf_is_loadable(f))
		why = linked_sites(&c, how);
	else
		why = "not code";
	free(c.slots);
	free(c.stubs);
	return why;
}
