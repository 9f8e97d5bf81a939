/*
 * canary_arch.c — the per-architecture table of the canary idiom search
 * (which disassembler, which register carries the first argument to
 * __libc_start_main, where the guard lives and where that is defined), the
 * register tracker that follows constants and loads through _start and
 * function prologues, and operand parsing shared by the semantics files.
 *
 * Guards: GCC reads the canary from the thread control block on x86
 * (%fs:0x28 on x86-64, %gs:0x14 on i386: glibc's tcbhead_t.stack_guard,
 * GCC's TARGET_THREAD_SSP_OFFSET) and from the global __stack_chk_guard on
 * AArch64 and 32-bit ARM (GCC's default -mstack-protector-guard=global;
 * glibc's stackguard-macros.h for those architectures).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canary_int.h"

static const struct canary_arch table[] = {
	{ EM_X86_64, ELFCLASS64, "x86-64", "x86_64-linux-gnu", NULL, "rdi", "fs:[0x28]",
	  "GCC reads the canary from %fs:0x28 (glibc tcbhead_t.stack_guard, GCC "
	  "TARGET_THREAD_SSP_OFFSET)", canary_step_x86, canary_x86_is_pc_thunk },
	{ EM_386, ELFCLASS32, "i386", "i686-linux-gnu", NULL, NULL, "gs:[0x14]",
	  "GCC reads the canary from %gs:0x14 (glibc tcbhead_t.stack_guard, GCC "
	  "TARGET_THREAD_SSP_OFFSET)", canary_step_x86, canary_x86_is_pc_thunk },
	{ EM_AARCH64, ELFCLASS64, "AArch64", "aarch64-linux-gnu", NULL, "x0", NULL,
	  "GCC loads the canary from the global __stack_chk_guard (default "
	  "-mstack-protector-guard=global; glibc sysdeps/aarch64/stackguard-macros.h)",
	  canary_step_aarch64, NULL },
	{ EM_ARM, ELFCLASS32, "ARM", "armv7-linux-gnueabihf", "thumbv7-linux-gnueabihf", "r0",
	  NULL, "GCC loads the canary from the global __stack_chk_guard (glibc "
	  "sysdeps/arm/stackguard-macros.h)", canary_step_arm, NULL },
};

const struct canary_arch *canary_arch_lookup(const struct iotb_elf_facts *f)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].machine == f->machine &&
		    (!table[i].elfclass || table[i].elfclass == f->elfclass) &&
		    (f->machine != EM_ARM || f->data == ELFDATA2LSB))
			return &table[i];
	return NULL;
}

/* --- register tracker --- */

void tracker_reset(struct tracker *t)
{
	t->nregs = 0;
	memset(&t->last_push, 0, sizeof(t->last_push));
}

struct reg_state *tracker_get(struct tracker *t, const char *name)
{
	for (size_t i = 0; i < t->nregs; i++)
		if (strcmp(t->regs[i].name, name) == 0)
			return &t->regs[i];
	return NULL;
}

static struct reg_state *slot(struct tracker *t, const char *name)
{
	struct reg_state *r = tracker_get(t, name);

	if (!r && t->nregs < TRACK_REGS)
		r = &t->regs[t->nregs++];
	else if (!r)
		r = &t->regs[0];          /* full: recycle (tracking is best-effort) */
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", name);
	return r;
}

void tracker_set_const(struct tracker *t, const char *name, uint64_t v)
{
	struct reg_state *r = slot(t, name);

	r->known = true;
	r->value = v;
}

void tracker_forget(struct tracker *t, const char *name)
{
	struct reg_state *r = tracker_get(t, name);

	if (r)
		memset(r, 0, sizeof(*r));
}

void tracker_copy(struct tracker *t, const char *dst, const char *src)
{
	struct reg_state *s = tracker_get(t, src), copy, *r;

	if (!s || (!s->known && !s->from_load)) {
		tracker_forget(t, dst);
		return;
	}
	copy = *s;
	r = slot(t, dst);
	memcpy(copy.name, r->name, sizeof(copy.name));
	*r = copy;
}

void tracker_load(struct tracker *t, const char *dst, const struct reg_state *base,
                  uint64_t disp, unsigned size, struct insn_effect *e)
{
	struct guard_key key = { 0, false };
	struct reg_state *r;
	uint64_t v;
	bool have = false;

	/* a pointer loaded from a zero word is a slot the loader fills (GOT) */
	if (base && base->from_load && !base->key.via_pointer && (!base->known || !base->value))
		key.addr = base->key.addr, key.via_pointer = true, have = true;
	else if (base && base->known && iotb_elf_read_addr(t->f, base->value + disp, size, &v))
		key.addr = base->value + disp, have = true;
	if (!have) {
		tracker_forget(t, dst);
		return;
	}
	e->load = true;
	e->load_key = key;
	r = slot(t, dst);
	r->from_load = true;
	r->key = key;
	r->known = !key.via_pointer && iotb_elf_read_addr(t->f, key.addr, size, &r->value);
}

/* --- operands --- */

static void trim_copy(char *dst, size_t n, const char *s, size_t len)
{
	while (len && isspace((unsigned char)*s))
		s++, len--;
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (len >= n)
		len = n - 1;
	memcpy(dst, s, len);
	dst[len] = '\0';
}

int split_ops(const char *ops, char out[4][48])
{
	int n = 0, depth = 0;
	const char *start = ops, *p;

	for (p = ops; *p && n < 4; p++) {
		if (*p == '[' || *p == '{')
			depth++;
		else if ((*p == ']' || *p == '}') && depth > 0)
			depth--;
		else if (*p == ',' && depth == 0) {
			trim_copy(out[n++], 48, start, (size_t)(p - start));
			start = p + 1;
		}
	}
	if (n < 4 && p > start)
		trim_copy(out[n++], 48, start, (size_t)(p - start));
	return n;
}

bool parse_imm(const char *s, int64_t *v)
{
	char *end;
	bool neg = false;
	unsigned long long u;

	if (*s == '#')
		s++;
	if (*s == '-')
		neg = true, s++;
	if (!isdigit((unsigned char)*s))
		return false;
	u = strtoull(s, &end, 0);
	if (*end && !isspace((unsigned char)*end))
		return false;
	*v = neg ? -(int64_t)u : (int64_t)u;
	return true;
}

/* "rsp + 0x68", "ecx - 0x4", "rip + 0x92a77", "0x28" (x86 inside []). */
static bool parse_x86_inner(const char *s, struct mem_op *m)
{
	char a[48], sign = 0;
	const char *op = strpbrk(s, "+-");
	int64_t v;

	if (!op) {
		if (parse_imm(s, &v))
			return m->disp = v, true;
		trim_copy(m->base, sizeof(m->base), s, strlen(s));
		return true;
	}
	trim_copy(a, sizeof(a), s, (size_t)(op - s));
	sign = *op;
	if (strchr(a, '*') || strpbrk(op + 1, "+*"))
		return m->complex = true, true;
	snprintf(m->base, sizeof(m->base), "%s", a);
	if (!parse_imm(op + 1 + strspn(op + 1, " "), &v)) {
		trim_copy(m->index, sizeof(m->index), op + 1, strlen(op + 1));
		return true;
	}
	m->disp = sign == '-' ? -v : v;
	return true;
}

/* "x2, #0xc18", "r4, r3", "sp, #-0x10", "x2" (ARM inside []). */
static bool parse_arm_inner(const char *s, struct mem_op *m)
{
	char ops[4][48];
	int n = split_ops(s, ops);
	int64_t v;

	if (n < 1 || n > 2)
		return m->complex = true, true;
	snprintf(m->base, sizeof(m->base), "%s", ops[0]);
	if (n == 2 && parse_imm(ops[1], &v))
		m->disp = v;
	else if (n == 2 && ops[1][0] != '#' && !strchr(ops[1], ' '))
		snprintf(m->index, sizeof(m->index), "%s", ops[1]);
	else if (n == 2)
		m->complex = true;
	return true;
}

bool parse_mem(const char *s, struct mem_op *m)
{
	const char *open = strchr(s, '['), *close = strrchr(s, ']'), *colon;
	char inner[48];

	memset(m, 0, sizeof(*m));
	if (!open || !close || close < open)
		return false;
	colon = open > s ? memchr(s, ':', (size_t)(open - s)) : NULL;
	if (colon && colon - s >= 2)
		trim_copy(m->seg, sizeof(m->seg), colon - 2, 2);
	m->writeback = close[1] == '!';
	trim_copy(inner, sizeof(inner), open + 1, (size_t)(close - open - 1));
	if (strchr(inner, ','))
		return parse_arm_inner(inner, m);
	if (strpbrk(inner, "+-*") || strncmp(inner, "0x", 2) == 0)
		return parse_x86_inner(inner, m);
	snprintf(m->base, sizeof(m->base), "%s", inner);
	return true;
}
