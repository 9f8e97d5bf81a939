/*
 * canary_arm.c — what AArch64 and 32-bit ARM/Thumb instructions (LLVM's
 * syntax) mean for the canary idiom search: control flow, stack
 * allocation and register saves, and the constants and loads through which
 * code reaches __stack_chk_guard or main (adrp/add/ldr on AArch64; literal
 * pool loads, adr, add rN, pc, GOT loads and movw/movt on ARM), and stores
 * of a loaded value into the frame.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canary_int.h"

/* --- AArch64 --- */

static void canon_a64(char *r)
{
	if (strcmp(r, "wsp") == 0)
		strcpy(r, "sp");
	else if (strcmp(r, "wzr") == 0)
		strcpy(r, "xzr");
	else if (r[0] == 'w' && isdigit((unsigned char)r[1]))
		r[0] = 'x';
}

static bool is_a64_reg(const char *s)
{
	return (s[0] == 'x' || s[0] == 'w') && isdigit((unsigned char)s[1]);
}

static bool is_callee_saved_a64(const char *r)
{
	int n = atoi(r + 1);

	return (r[0] == 'x' && n >= 19 && n <= 30) || (r[0] == 'd' && n >= 8 && n <= 15);
}

static enum insn_kind kind_a64(const char *m)
{
	if (strcmp(m, "bl") == 0 || strcmp(m, "blr") == 0)
		return K_CALL;
	if (strcmp(m, "b") == 0 || strcmp(m, "br") == 0)
		return K_JUMP;
	if (strncmp(m, "b.", 2) == 0 || strcmp(m, "cbz") == 0 || strcmp(m, "cbnz") == 0 ||
	    strcmp(m, "tbz") == 0 || strcmp(m, "tbnz") == 0)
		return K_BRANCH;
	if (strncmp(m, "ret", 3) == 0)
		return K_RET;
	if (strcmp(m, "brk") == 0 || strcmp(m, "udf") == 0 || strcmp(m, "hlt") == 0)
		return K_STOP;
	return K_OTHER;
}

static bool is_frame_base(const char *b)
{
	return strcmp(b, "sp") == 0 || strcmp(b, "x29") == 0 || strcmp(b, "r7") == 0 ||
	       strcmp(b, "r11") == 0 || strcmp(b, "fp") == 0;
}

/* "adrp x2, 143 // 0x48f000" */
static void on_adrp(struct tracker *t, const struct iotb_insn *in, char ops[4][48])
{
	const char *c = strstr(in->ops, "// ");

	if (c)
		tracker_set_const(t, ops[0], strtoull(c + 3, NULL, 0));
	else
		tracker_forget(t, ops[0]);
}

static void on_add_a64(struct tracker *t, const char *m, char ops[4][48], int n,
                       struct insn_effect *e)
{
	struct reg_state *r = tracker_get(t, ops[1]);
	int64_t v;

	if (!parse_imm(ops[2], &v)) {
		tracker_forget(t, ops[0]);
		return;
	}
	if (n == 4 && strstr(ops[3], "lsl #12"))
		v <<= 12;
	if (strcmp(m, "sub") == 0 && strcmp(ops[0], "sp") == 0 && strcmp(ops[1], "sp") == 0)
		e->alloc += (uint64_t)v;
	if (r && r->known && strcmp(ops[0], "sp") != 0)
		tracker_set_const(t, ops[0], r->value + (strcmp(m, "add") == 0 ? (uint64_t)v
									  : -(uint64_t)v));
	else
		tracker_forget(t, ops[0]);
}

static void on_ldr_a64(struct tracker *t, const struct iotb_insn *in, char ops[4][48],
                       struct insn_effect *e)
{
	unsigned size = ops[0][0] == 'x' ? 8 : 4;
	struct reg_state lit = { .known = true };
	struct reg_state *b;
	struct mem_op m;
	int64_t v;

	canon_a64(ops[0]);
	if (parse_imm(ops[1], &v)) {                      /* literal: pc-relative */
		lit.value = in->pc + (uint64_t)v;
		tracker_load(t, ops[0], &lit, 0, size, e);
	} else if (parse_mem(ops[1], &m) && !m.complex && !m.index[0] &&
		   !is_frame_base(m.base) && (b = tracker_get(t, m.base))) {
		tracker_load(t, ops[0], b, (uint64_t)m.disp, size, e);
	} else {
		tracker_forget(t, ops[0]);
	}
}

static void on_store_a64(struct tracker *t, const char *m, char ops[4][48], int n,
                         struct insn_effect *e)
{
	bool pair = strcmp(m, "stp") == 0;
	struct mem_op mem;
	struct reg_state *r;

	if (!parse_mem(ops[pair ? 2 : 1], &mem) || !is_frame_base(mem.base) || n < 2)
		return;
	canon_a64(ops[0]);
	if (pair)
		canon_a64(ops[1]);
	if (mem.writeback && mem.disp < 0 && strcmp(mem.base, "sp") == 0)
		e->alloc += (uint64_t)-mem.disp;
	if (strcmp(mem.base, "sp") == 0 && is_callee_saved_a64(ops[0]))
		e->saves += pair ? 16 : 8;
	for (int i = 0; i < (pair ? 2 : 1); i++)
		if ((r = tracker_get(t, ops[i])) && r->from_load && !e->frame_store)
			e->frame_store = true, e->stored = *r;
}

void canary_step_aarch64(struct tracker *t, const struct iotb_insn *in, struct insn_effect *e)
{
	char ops[4][48];
	int n = split_ops(in->ops, ops);
	const char *m = in->mnem;

	e->kind = kind_a64(m);
	if (e->kind != K_OTHER || n == 0)
		return;
	canon_a64(ops[0]);
	if (n >= 2)
		canon_a64(ops[1]);
	if (strcmp(m, "adrp") == 0)
		on_adrp(t, in, ops);
	else if ((strcmp(m, "add") == 0 || strcmp(m, "sub") == 0) && n >= 3)
		on_add_a64(t, m, ops, n, e);
	else if (strcmp(m, "mov") == 0 && n == 2 && is_a64_reg(ops[1]))
		tracker_copy(t, ops[0], ops[1]);
	else if ((strcmp(m, "ldr") == 0 || strcmp(m, "ldur") == 0) && n >= 2)
		on_ldr_a64(t, in, ops, e);
	else if (strcmp(m, "str") == 0 || strcmp(m, "stur") == 0 || strcmp(m, "stp") == 0)
		on_store_a64(t, m, ops, n, e);
	else if (strcmp(m, "ldp") == 0 && n >= 2)
		tracker_forget(t, ops[0]), tracker_forget(t, ops[1]);
	else if (is_a64_reg(ops[0]))
		tracker_forget(t, ops[0]);
}

/* --- 32-bit ARM and Thumb --- */

static void canon_arm(char *r)
{
	static const char *const alias[][2] = {
		{ "sb", "r9" }, { "sl", "r10" }, { "fp", "r11" }, { "ip", "r12" },
	};

	for (size_t i = 0; i < sizeof(alias) / sizeof(alias[0]); i++)
		if (strcmp(r, alias[i][0]) == 0)
			strcpy(r, alias[i][1]);
}

static bool is_arm_reg(const char *s)
{
	return (s[0] == 'r' && isdigit((unsigned char)s[1])) || strcmp(s, "lr") == 0 ||
	       strcmp(s, "sp") == 0 || strcmp(s, "pc") == 0;
}

static bool is_cond_branch_arm(const char *m)
{
	static const char *const cond[] = { "eq", "ne", "cs", "cc", "hs", "lo", "mi", "pl", "vs",
		"vc", "hi", "ls", "ge", "lt", "gt", "le" };
	size_t n = strlen(m);

	if (strcmp(m, "cbz") == 0 || strcmp(m, "cbnz") == 0)
		return true;
	if (m[0] != 'b' || (n != 3 && !(n == 5 && strcmp(m + 3, ".w") == 0)))
		return false;
	for (size_t i = 0; i < sizeof(cond) / sizeof(cond[0]); i++)
		if (strncmp(m + 1, cond[i], 2) == 0)
			return true;
	return false;
}

static enum insn_kind kind_arm(const struct iotb_insn *in, struct insn_effect *e)
{
	const char *m = in->mnem;

	if (strcmp(m, "bl") == 0)
		return K_CALL;
	if (strcmp(m, "blx") == 0)
		return e->switch_mode = in->has_target, K_CALL;
	if (strcmp(m, "b") == 0 || strcmp(m, "b.w") == 0)
		return K_JUMP;
	if (is_cond_branch_arm(m))
		return K_BRANCH;
	if (strcmp(m, "bx") == 0)
		return strcmp(in->ops, "lr") == 0 ? K_RET : K_JUMP;
	if ((strncmp(m, "pop", 3) == 0 || strncmp(m, "ldm", 3) == 0) && strstr(in->ops, "pc}"))
		return K_RET;
	if (strncmp(m, "ldr", 3) == 0 && strncmp(in->ops, "pc, [sp", 7) == 0)
		return K_RET;
	if (strncmp(m, "ldr", 3) == 0 && strncmp(in->ops, "pc,", 3) == 0)
		return K_JUMP;                /* through memory: PLT stub, jump table */
	if (strcmp(m, "udf") == 0 || strcmp(m, "bkpt") == 0)
		return K_STOP;
	return K_OTHER;
}

/* The value of pc as an operand: the instruction address + 4 (Thumb) or
 * + 8 (ARM). */
static uint64_t pc_value(const struct tracker *t, const struct iotb_insn *in)
{
	return in->pc + (t->thumb ? 4 : 8);
}

static void on_adr_arm(struct tracker *t, const struct iotb_insn *in, char ops[4][48])
{
	int64_t v;

	if (parse_imm(ops[1], &v))
		tracker_set_const(t, ops[0], ((pc_value(t, in) & ~3ULL) + (uint64_t)v) & 0xffffffffULL);
	else
		tracker_forget(t, ops[0]);
}

static void on_ldr_arm(struct tracker *t, const struct iotb_insn *in, char ops[4][48],
                       struct insn_effect *e)
{
	struct reg_state base = { .known = true }, *b, *idx;
	struct mem_op m;

	if (!parse_mem(ops[1], &m) || m.complex || is_frame_base(m.base)) {
		tracker_forget(t, ops[0]);
		return;
	}
	canon_arm(m.base);
	canon_arm(m.index);
	if (strcmp(m.base, "pc") == 0) {
		base.value = in->has_pcref ? in->pcref : (pc_value(t, in) & ~3ULL) + (uint64_t)m.disp;
		tracker_load(t, ops[0], &base, 0, 4, e);
	} else if (m.index[0] && (b = tracker_get(t, m.base)) && b->known &&
		   (idx = tracker_get(t, m.index)) && idx->known) {
		base.value = b->value + idx->value;
		tracker_load(t, ops[0], &base, 0, 4, e);
	} else if (!m.index[0] && (b = tracker_get(t, m.base))) {
		tracker_load(t, ops[0], b, (uint64_t)m.disp, 4, e);
	} else {
		tracker_forget(t, ops[0]);
	}
}

/* The value of a register or immediate operand ("pc" reads as pc_value). */
static bool operand_value(struct tracker *t, const struct iotb_insn *in, const char *op,
                          uint64_t *v)
{
	struct reg_state *r;
	int64_t imm;

	if (strcmp(op, "pc") == 0)
		return *v = pc_value(t, in), true;
	if (parse_imm(op, &imm))
		return *v = (uint64_t)imm, true;
	r = tracker_get(t, op);
	return r && r->known ? (*v = r->value, true) : false;
}

/* "add rd, rm" (Thumb, rd += rm), "add rd, rn, rm|#imm" and the rotated
 * immediate form "add rd, rn, #imm, #rot" (imm rotated right by rot). */
static void on_add_arm(struct tracker *t, const struct iotb_insn *in, char ops[4][48], int n)
{
	uint64_t a, b;
	int64_t rot = 0;

	if (n == 4 && !parse_imm(ops[3], &rot))
		rot = -1;
	if (n >= 2 && rot >= 0 && rot < 32 && operand_value(t, in, n == 2 ? ops[0] : ops[1], &a) &&
	    operand_value(t, in, n == 2 ? ops[1] : ops[2], &b)) {
		b &= 0xffffffffULL;
		if (rot)
			b = (b >> rot | b << (32 - rot)) & 0xffffffffULL;
		tracker_set_const(t, ops[0], (a + b) & 0xffffffffULL);
	}
	else
		tracker_forget(t, ops[0]);
}

static void on_mov_arm(struct tracker *t, const char *m, char ops[4][48])
{
	struct reg_state *d = tracker_get(t, ops[0]);
	int64_t v;

	if (strcmp(m, "movt") == 0) {
		if (d && d->known && parse_imm(ops[1], &v))
			tracker_set_const(t, ops[0], (d->value & 0xffff) | ((uint64_t)v & 0xffff) << 16);
		else
			tracker_forget(t, ops[0]);
	} else if (parse_imm(ops[1], &v)) {
		tracker_set_const(t, ops[0], (uint64_t)v & 0xffffffffULL);
	} else if (is_arm_reg(ops[1])) {
		tracker_copy(t, ops[0], ops[1]);
	} else {
		tracker_forget(t, ops[0]);
	}
}

static void on_frame_arm(struct tracker *t, const char *m, char ops[4][48], int n,
                         struct insn_effect *e)
{
	struct reg_state *r;
	struct mem_op mem;
	int64_t v;

	if (strncmp(m, "sub", 3) == 0 && strcmp(ops[0], "sp") == 0 &&
	    parse_imm(ops[n - 1], &v) && v > 0) {
		e->alloc += (uint64_t)v;
	} else if (strncmp(m, "sub", 3) == 0) {
		tracker_forget(t, ops[0]);
	} else if (strncmp(m, "str", 3) == 0 && n == 2 && parse_mem(ops[1], &mem)) {
		canon_arm(mem.base);
		if (is_frame_base(mem.base) && (r = tracker_get(t, ops[0])) && r->from_load)
			e->frame_store = true, e->stored = *r;
	}
}

void canary_step_arm(struct tracker *t, const struct iotb_insn *in, struct insn_effect *e)
{
	char ops[4][48];
	int n = split_ops(in->ops, ops);
	const char *m = in->mnem;

	e->kind = kind_arm(in, e);
	if (e->kind != K_OTHER || n == 0)
		return;
	for (int i = 0; i < n; i++)
		canon_arm(ops[i]);
	if ((strcmp(m, "ldr") == 0 || strcmp(m, "ldr.w") == 0) && n == 2)
		on_ldr_arm(t, in, ops, e);
	else if ((strcmp(m, "adr") == 0 || strcmp(m, "adr.w") == 0) && n == 2)
		on_adr_arm(t, in, ops);
	else if ((strcmp(m, "add") == 0 || strcmp(m, "add.w") == 0 || strcmp(m, "adds") == 0) &&
		 n >= 2 && strcmp(ops[0], "sp") != 0)
		on_add_arm(t, in, ops, n);
	else if ((strncmp(m, "mov", 3) == 0) && n == 2)
		on_mov_arm(t, m, ops);
	else if (strncmp(m, "sub", 3) == 0 || strncmp(m, "str", 3) == 0)
		on_frame_arm(t, m, ops, n, e);
	else if (is_arm_reg(ops[0]) && strcmp(m, "cmp") != 0 && strcmp(m, "tst") != 0 &&
		 strncmp(m, "push", 4) != 0 && strncmp(m, "it", 2) != 0)
		tracker_forget(t, ops[0]);
}
