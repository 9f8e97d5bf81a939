/*
 * canary.c — the stack-canary idiom in machine code, for binaries whose
 * symbols cannot tell (static executables: libc brings __stack_chk_fail
 * whether or not the application was protected) and for coverage figures.
 *
 * Static executables: main comes from the symbol 'main', or from the entry
 * point: _start is followed with a register tracker to the call of
 * __libc_start_main, whose first argument is main (one more level for
 * musl-style _start_c; a leading direct jump, like AArch64 glibc's
 * __wrap_main, is followed).  Examined: main and its direct callees that
 * lie in the application's code — after the entry point (crt1.o and the
 * application's objects come before libc.a's) and before
 * __libc_start_main — so libc's own protected functions never count.
 * Unstripped dynamic executables and libraries: every function of .symtab.
 *
 * Per function: its prologue's frame for locals (stack reserved minus
 * callee-saved register saves) and the idiom of the architecture table
 * (canary_arch.c): the TLS guard loaded in the prologue and referenced
 * again (x86), or a value loaded from __stack_chk_guard (the symbol, else
 * one zero-initialised writable word or GOT slot used the same way by
 * every function) stored into the frame in the prologue and loaded again
 * (AArch64, ARM).  ARM vs Thumb: bit 0 of the entry point, of main's
 * address or of the function symbol; $a/$t mapping symbols; bl keeps the
 * state of the caller, blx switches it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canary_int.h"

#define PROLOGUE_INSNS 40
#define START_INSNS 64
#define MAX_CANDIDATES 4
#define MAX_CALLEES 256
#define NEAR_JUMP 4096

struct fn_info {
	uint64_t addr;
	bool thumb;
	uint64_t locals;
	struct guard_key keys[MAX_CANDIDATES];     /* loaded values stored to the frame */
	bool reloaded[MAX_CANDIDATES];
	size_t nkeys;
	unsigned tls_load, tls_refs;
	bool idiom;
	bool stub;             /* jumps through memory within 4 instructions */
};

struct target {
	uint64_t addr;
	bool thumb;
};

struct target_list {
	struct target v[MAX_CALLEES];
	size_t n;
};

struct search {
	const struct iotb_elf_facts *f;
	const struct canary_arch *arch;
	const struct iotb_canary_params *p;
	struct tracker t;
	uint64_t libc_start;              /* __libc_start_main, 0 unknown */
	struct target_list *collect;      /* where walk() puts call targets */
	struct target_list callees;       /* main's */
	struct target_list anchors;       /* libc's: __libc_start_main and its callees */
	bool no_decide;                   /* walking libc: judge nothing */
	const struct iotb_elf_sym *guard_sym;
	bool have_guard;
	struct guard_key guard;
	struct iotb_canary_code *out;
};

static bool keys_equal(struct guard_key a, struct guard_key b)
{
	return a.addr == b.addr && a.via_pointer == b.via_pointer;
}

static const struct iotb_elf_sym *defined_sym(const struct iotb_elf_facts *f, const char *name)
{
	for (size_t i = 0; i < f->nsyms; i++)
		if (f->syms[i].shndx != SHN_UNDEF && strcmp(f->syms[i].name, name) == 0)
			return &f->syms[i];
	return NULL;
}

/* Is addr a zero-initialised word of a writable, non-executable segment
 * (where the start-up code stores the canary)? */
static bool is_zero_data(const struct iotb_elf_facts *f, uint64_t addr)
{
	unsigned w = f->elfclass == ELFCLASS64 ? 8 : 4;
	uint64_t v;

	for (size_t i = 0; i < f->nphdrs; i++) {
		const GElf_Phdr *p = &f->phdrs[i];

		if (p->p_type != PT_LOAD || (p->p_flags & PF_X) || !(p->p_flags & PF_W) ||
		    addr < p->p_vaddr || addr - p->p_vaddr >= p->p_memsz)
			continue;
		if (addr - p->p_vaddr >= p->p_filesz)
			return true;
		return iotb_elf_read_addr(f, addr, w, &v) && v == 0;
	}
	return false;
}

static bool guard_accepts(struct search *s, struct guard_key k)
{
	if (!k.via_pointer && s->guard_sym && k.addr != s->guard_sym->value)
		return false;
	if (!k.via_pointer && !s->guard_sym && !is_zero_data(s->f, k.addr))
		return false;
	if (!s->have_guard) {
		s->guard = k;
		s->have_guard = true;
	}
	return keys_equal(s->guard, k);
}

static void add_target(struct target_list *l, uint64_t addr, bool thumb)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].addr == addr)
			return;
	if (l->n < MAX_CALLEES)
		l->v[l->n++] = (struct target){ addr, thumb };
}

/* x86 PC thunks set a register to the return address. */
static bool take_thunk(struct search *s, const struct iotb_insn *in)
{
	char reg[8];

	if (!s->arch->is_pc_thunk || !in->has_target ||
	    !s->arch->is_pc_thunk(&s->t, in->target, reg))
		return false;
	tracker_set_const(&s->t, reg, in->pc + in->size);
	return true;
}

static void note_key(struct fn_info *fi, const struct insn_effect *e)
{
	for (size_t k = 0; k < fi->nkeys; k++)
		if (e->load && keys_equal(fi->keys[k], e->load_key))
			fi->reloaded[k] = true;
}

struct walk_state {
	bool prologue;
	unsigned n;
	uint64_t alloc, saves, reach;
};

static void note_effect(struct search *s, struct fn_info *fi, const struct iotb_insn *in,
                        const struct insn_effect *e, struct walk_state *w)
{
	note_key(fi, e);
	if (e->tls)
		fi->tls_refs++;
	if (w->prologue && w->n >= PROLOGUE_INSNS)
		w->prologue = false;
	if (w->prologue) {
		w->alloc += e->alloc;
		w->saves += e->saves;
		fi->tls_load += e->tls == 1;
		if (e->frame_store && e->stored.from_load && fi->nkeys < MAX_CANDIDATES)
			fi->keys[fi->nkeys++] = e->stored.key;
	}
	if (e->kind == K_CALL && take_thunk(s, in))
		return;
	if (e->kind != K_OTHER)
		w->prologue = false;
	if (e->kind == K_CALL && in->has_target && s->collect)
		add_target(s->collect, in->target, fi->thumb != e->switch_mode);
	if (e->kind == K_JUMP && !in->has_target && w->n < 4)
		fi->stub = true;                  /* a PLT/IPLT stub: jumps through memory */
}

/* Does the function end at this instruction?  With a symbol size: only at
 * its end; without: at a return, trap or far jump once no forward branch
 * inside the function is pending. */
static bool is_end(struct walk_state *w, const struct iotb_insn *in,
                   const struct insn_effect *e, uint64_t end)
{
	bool near = in->has_target && in->target > in->pc && in->target - in->pc < NEAR_JUMP &&
		    (!end || in->target < end);

	if ((e->kind == K_BRANCH || e->kind == K_JUMP) && near && in->target > w->reach)
		w->reach = in->target;
	if (end || e->kind == K_OTHER || e->kind == K_CALL || e->kind == K_BRANCH)
		return false;
	if (e->kind == K_JUMP && near)
		return false;
	return in->pc >= w->reach;
}

static void decide(struct search *s, struct fn_info *fi)
{
	if (s->arch->tls_guard) {
		fi->idiom = fi->tls_load >= 1 && fi->tls_refs >= 2;
		return;
	}
	for (size_t k = 0; k < fi->nkeys && !fi->idiom; k++)
		fi->idiom = fi->reloaded[k] && guard_accepts(s, fi->keys[k]);
}

static void walk(struct search *s, uint64_t addr, bool thumb, uint64_t end, struct fn_info *fi)
{
	struct walk_state w = { true, 0, 0, 0, addr };
	struct iotb_insn in;
	struct insn_effect e;
	uint64_t pc = addr;

	memset(fi, 0, sizeof(*fi));
	fi->addr = addr;
	fi->thumb = thumb;
	tracker_reset(&s->t);
	s->t.thumb = thumb;
	for (; w.n < s->p->max_insns; w.n++) {
		if ((end && pc >= end) || !iotb_disasm_at(s->t.dis, pc, thumb, &in))
			break;
		memset(&e, 0, sizeof(e));
		s->arch->step(&s->t, &in, &e);
		note_effect(s, fi, &in, &e, &w);
		if (is_end(&w, &in, &e, end))
			break;
		pc += in.size;
	}
	fi->locals = w.alloc > w.saves ? w.alloc - w.saves : 0;
	if (!s->no_decide)
		decide(s, fi);
}

/* --- finding main --- */

static uint64_t code_addr(const struct search *s, uint64_t v, bool *thumb)
{
	if (s->f->machine == EM_ARM) {
		*thumb = v & 1;
		return v & ~1ULL;
	}
	*thumb = false;
	return v;
}

/* The first argument of the call at in, when it is a code address. */
static bool arg0_is_code(struct search *s, uint64_t *v)
{
	const struct reg_state *r = s->arch->arg0 ? tracker_get(&s->t, s->arch->arg0)
						  : &s->t.last_push;
	bool thumb;

	if (!r || !r->known)
		return false;
	*v = r->value;
	return iotb_elf_is_exec_addr(s->f, code_addr(s, r->value, &thumb));
}

/* Follow _start (depth > 0: also the first function it calls) to the
 * call whose first argument is code: main and the called function. */
static bool scan_start(struct search *s, uint64_t pc, bool thumb, int depth, uint64_t *main,
                       uint64_t *callee)
{
	struct iotb_insn in;
	struct insn_effect e;
	struct target first = { 0, false };

	tracker_reset(&s->t);
	s->t.thumb = thumb;
	for (int n = 0; n < START_INSNS && iotb_disasm_at(s->t.dis, pc, thumb, &in); n++) {
		memset(&e, 0, sizeof(e));
		s->arch->step(&s->t, &in, &e);
		if ((e.kind == K_CALL || e.kind == K_JUMP) && in.has_target && !take_thunk(s, &in)) {
			if (arg0_is_code(s, main))
				return *callee = in.target, true;
			if (!first.addr)
				first = (struct target){ in.target, thumb != e.switch_mode };
		}
		if (e.kind == K_JUMP || e.kind == K_RET || e.kind == K_STOP)
			break;
		pc += in.size;
	}
	return depth > 0 && first.addr && scan_start(s, first.addr, first.thumb, depth - 1, main,
						      callee);
}

static bool is_landing_pad(const char *m)
{
	return strcmp(m, "nop") == 0 || strcmp(m, "bti") == 0 || strcmp(m, "endbr64") == 0 ||
	       strcmp(m, "endbr32") == 0 || strcmp(m, "hint") == 0;
}

/* A function that only jumps elsewhere (AArch64 glibc's __wrap_main:
 * "nop; b main"). */
static uint64_t follow_jump(struct search *s, uint64_t addr, bool thumb)
{
	struct iotb_insn in;
	struct insn_effect e;
	uint64_t pc = addr;

	for (int n = 0; n < 3 && iotb_disasm_at(s->t.dis, pc, thumb, &in); n++, pc += in.size) {
		memset(&e, 0, sizeof(e));
		s->arch->step(&s->t, &in, &e);
		if (e.kind == K_JUMP && in.has_target)
			return in.target;
		if (!is_landing_pad(in.mnem))
			break;
	}
	return addr;
}

static const struct iotb_elf_sym *libc_start_sym(const struct iotb_elf_facts *f)
{
	static const char *const names[] = { "__libc_start_main", "__libc_start_main_impl",
		"__uClibc_main" };
	const struct iotb_elf_sym *y;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if ((y = defined_sym(f, names[i])) && y->type == STT_FUNC)
			return y;
	return NULL;
}

static void describe_isa(struct search *s, bool thumb, const char *how)
{
	struct iotb_canary_code *o = s->out;

	if (s->f->machine != EM_ARM) {
		snprintf(o->isa, sizeof(o->isa), "%s", s->arch->name);
		return;
	}
	snprintf(o->isa, sizeof(o->isa), "%s for main (bit 0 of %s); callees: the function "
		 "symbol's bit 0 or $a/$t mapping symbols when present, else bl keeps the "
		 "caller's state and blx switches it", thumb ? "Thumb" : "ARM", how);
}

static bool find_main(struct search *s, uint64_t *main, bool *thumb)
{
	const struct iotb_elf_sym *y = defined_sym(s->f, "main"), *ls = libc_start_sym(s->f);
	uint64_t v = 0, lsm = 0, entry;
	bool et, found;

	entry = code_addr(s, s->f->entry, &et);
	found = scan_start(s, entry, et, 1, &v, &lsm);
	s->libc_start = ls ? code_addr(s, ls->value, &(bool){ false }) : found ? lsm : 0;
	if (y && y->type == STT_FUNC) {
		*main = code_addr(s, y->value, thumb);
		s->out->main_found_by = "the symbol 'main'";
		describe_isa(s, *thumb, "the symbol 'main'");
		return true;
	}
	if (!found)
		return false;
	*main = code_addr(s, v, thumb);
	*main = follow_jump(s, *main, *thumb);
	s->out->main_found_by = "the first argument of the call to __libc_start_main in _start";
	describe_isa(s, *thumb, "main's address as passed to __libc_start_main");
	return true;
}

/* ARM state of a callee: a function or mapping symbol at addr wins. */
static bool callee_thumb(const struct search *s, uint64_t addr, bool dflt)
{
	for (size_t i = 0; s->f->machine == EM_ARM && i < s->f->nsyms; i++) {
		const struct iotb_elf_sym *y = &s->f->syms[i];

		if (y->type == STT_FUNC && (y->value & ~1ULL) == addr && y->shndx != SHN_UNDEF)
			return y->value & 1;
		if (y->value == addr && (strcmp(y->name, "$t") == 0 || strcmp(y->name, "$a") == 0))
			return y->name[1] == 't';
	}
	return dflt;
}

/* libc's own functions: __libc_start_main, what it calls and what those
 * call (two levels). */
static void collect_anchors(struct search *s)
{
	struct fn_info fi;
	size_t level_end;
	bool thumb;

	if (!s->libc_start)
		return;
	add_target(&s->anchors, s->libc_start, false);
	s->collect = &s->anchors;
	s->no_decide = true;
	for (size_t i = 0, level = 0; level < 3 && i < s->anchors.n; level++) {
		for (level_end = s->anchors.n; i < level_end; i++) {
			thumb = callee_thumb(s, s->anchors.v[i].addr, s->anchors.v[i].thumb);
			walk(s, s->anchors.v[i].addr, thumb, 0, &fi);
		}
	}
	s->collect = NULL;
	s->no_decide = false;
}

/* Is the callee at addr the application's?  libc's functions lie
 * together, on one side of the application's code: a callee with a libc
 * function (anchor) between it and main, or an anchor itself, is libc's. */
static bool is_app_callee(const struct search *s, uint64_t addr, uint64_t main)
{
	uint64_t lo = addr < main ? addr : main, hi = addr < main ? main : addr;

	if (addr == main || !s->anchors.n || !iotb_elf_is_exec_addr(s->f, addr))
		return false;
	for (size_t i = 0; i < s->anchors.n; i++)
		if (s->anchors.v[i].addr >= lo && s->anchors.v[i].addr <= hi)
			return false;
	return true;
}

static void count(struct search *s, const struct fn_info *fi)
{
	s->out->examined++;
	if (fi->locals >= s->p->min_frame)
		s->out->with_frame++;
	if (fi->idiom)
		s->out->with_idiom++;
}

static void examine_main_scope(struct search *s)
{
	struct fn_info fi;
	uint64_t main;
	bool thumb, is_thunk;
	char reg[8];

	if (!find_main(s, &main, &thumb)) {
		snprintf(s->out->why, sizeof(s->out->why), "main not found: no symbol 'main' and no "
			 "recognisable call to __libc_start_main in _start");
		return;
	}
	s->out->decided = true;
	s->out->main_addr = main;
	s->out->scope = "main and its direct callees in the application's code";
	s->collect = &s->callees;
	walk(s, main, thumb, 0, &fi);
	s->collect = NULL;
	s->out->main_idiom = fi.idiom;
	s->out->main_locals = fi.locals;
	count(s, &fi);
	collect_anchors(s);
	for (size_t i = 0; i < s->callees.n; i++) {
		struct target c = s->callees.v[i];

		is_thunk = s->arch->is_pc_thunk && s->arch->is_pc_thunk(&s->t, c.addr, reg);
		if (!is_app_callee(s, c.addr, main) || is_thunk)
			continue;
		walk(s, c.addr, callee_thumb(s, c.addr, c.thumb), 0, &fi);
		if (!fi.stub)
			count(s, &fi);
	}
}

static int by_value(const void *a, const void *b)
{
	const struct iotb_elf_sym *x = *(const struct iotb_elf_sym *const *)a;
	const struct iotb_elf_sym *y = *(const struct iotb_elf_sym *const *)b;

	return x->value < y->value ? -1 : x->value > y->value;
}

static void examine_all_functions(struct search *s)
{
	const struct iotb_elf_sym **fns = iotb_xcalloc(s->f->nsyms + 1, sizeof(*fns));
	size_t n = 0, i;
	struct fn_info fi;
	bool thumb;

	for (i = 0; i < s->f->nsyms; i++) {
		const struct iotb_elf_sym *y = &s->f->syms[i];

		if (y->type == STT_FUNC && !y->dynamic && y->shndx != SHN_UNDEF && y->size &&
		    iotb_elf_is_exec_addr(s->f, y->value & ~1ULL))
			fns[n++] = y;
	}
	if (n)
		qsort(fns, n, sizeof(*fns), by_value);
	s->out->decided = true;
	s->out->scope = "every function of .symtab";
	if (s->f->machine == EM_ARM)
		snprintf(s->out->isa, sizeof(s->out->isa), "per function: bit 0 of its .symtab "
			 "symbol (set: Thumb, clear: ARM)");
	for (i = 0; i < n && s->out->examined < s->p->max_functions; i++) {
		uint64_t a = code_addr(s, fns[i]->value, &thumb);

		if (i && fns[i]->value == fns[i - 1]->value)
			continue;
		walk(s, a, thumb, a + fns[i]->size, &fi);
		count(s, &fi);
	}
	free(fns);
}

static void describe_guard(struct search *s)
{
	struct iotb_canary_code *o = s->out;

	if (s->arch->tls_guard)
		snprintf(o->guard, sizeof(o->guard), "TLS guard %s", s->arch->tls_guard);
	else if (s->have_guard && s->guard.via_pointer)
		snprintf(o->guard, sizeof(o->guard), "__stack_chk_guard through the GOT slot at "
			 "0x%llx", (unsigned long long)s->guard.addr);
	else if (s->have_guard)
		snprintf(o->guard, sizeof(o->guard), "__stack_chk_guard at 0x%llx (%s)",
			 (unsigned long long)s->guard.addr, s->guard_sym ? "symbol" :
			 "inferred: a zero-initialised writable word loaded the same way by "
			 "every protected function");
	else
		snprintf(o->guard, sizeof(o->guard), "__stack_chk_guard (not seen)");
}

void iotb_elf_canary_code(const struct iotb_elf_facts *f, const struct iotb_canary_params *p,
                          bool all_functions, struct iotb_canary_code *out)
{
	struct search *s = iotb_xcalloc(1, sizeof(*s));

	memset(out, 0, sizeof(*out));
	out->min_frame = p->min_frame;
	s->f = f, s->p = p, s->out = out, s->t.f = f;
	s->arch = s->t.arch = canary_arch_lookup(f);
	if (!s->arch) {
		snprintf(out->why, sizeof(out->why), "no canary idiom table for this architecture "
			 "(elfcheck/canary_arch.c has x86-64, i386, AArch64 and ARM)");
	} else if (!(s->t.dis = iotb_disasm_new(f, s->arch->triple, s->arch->thumb_triple))) {
		snprintf(out->why, sizeof(out->why), "%s", iotb_last_error());
	} else {
		s->guard_sym = defined_sym(f, "__stack_chk_guard");
		if (all_functions)
			examine_all_functions(s);
		else
			examine_main_scope(s);
		describe_guard(s);
		if (!out->isa[0])
			snprintf(out->isa, sizeof(out->isa), "%s", s->arch->name);
	}
	iotb_disasm_free(s->t.dis);
	free(s);
}
