/*
 * canary_x86.c — what x86-64 and i386 instructions (LLVM's Intel syntax)
 * mean for the canary idiom search: control flow, stack allocation
 * (sub rsp/esp), constants and loads that reach the first argument of
 * __libc_start_main (mov/lea/push, RIP-relative and GOT loads, the i386
 * PC thunk), and references to the TLS guard (%fs:0x28, %gs:0x14).
 */
#include <stdio.h>
#include <string.h>

#include "canary_int.h"

static const char *const regs64[][2] = {
	{ "eax", "rax" }, { "ebx", "rbx" }, { "ecx", "rcx" }, { "edx", "rdx" },
	{ "esi", "rsi" }, { "edi", "rdi" }, { "ebp", "rbp" }, { "esp", "rsp" },
};

/* 32-bit names of 64-bit registers map to the 64-bit name on x86-64
 * (a write to edi zero-extends into rdi). */
static void canon(const struct tracker *t, char *r)
{
	size_t n = strlen(r);

	if (t->f->elfclass != ELFCLASS64)
		return;
	for (size_t i = 0; i < sizeof(regs64) / sizeof(regs64[0]); i++)
		if (strcmp(r, regs64[i][0]) == 0) {
			strcpy(r, regs64[i][1]);
			return;
		}
	if (n >= 3 && r[0] == 'r' && r[n - 1] == 'd')
		r[n - 1] = '\0';               /* r8d → r8 */
}

static bool is_reg(const char *s)
{
	return s[0] >= 'a' && s[0] <= 'z' && !strchr(s, '[') && !strchr(s, ' ');
}

static enum insn_kind kind_of(const char *m)
{
	if (strcmp(m, "call") == 0)
		return K_CALL;
	if (strcmp(m, "jmp") == 0)
		return K_JUMP;
	if (m[0] == 'j')
		return K_BRANCH;
	if (strncmp(m, "ret", 3) == 0)
		return K_RET;
	if (strcmp(m, "hlt") == 0 || strcmp(m, "ud2") == 0 || strcmp(m, "int3") == 0)
		return K_STOP;
	return K_OTHER;
}

static unsigned mem_size(const struct tracker *t, const char *op)
{
	if (strncmp(op, "qword", 5) == 0)
		return 8;
	if (strncmp(op, "dword", 5) == 0)
		return 4;
	return t->f->elfclass == ELFCLASS64 ? 8 : 4;
}

/* The base of a memory operand as a register state (RIP: the address LLVM
 * computed, or next pc + displacement). */
static bool mem_base(struct tracker *t, const struct iotb_insn *in, const struct mem_op *m,
                     struct reg_state *base, uint64_t *disp)
{
	char b[48];
	struct reg_state *r;

	memset(base, 0, sizeof(*base));
	*disp = (uint64_t)m->disp;
	if (m->complex || m->index[0] || m->seg[0])
		return false;
	if (strcmp(m->base, "rip") == 0) {
		base->known = true;
		base->value = in->has_pcref ? in->pcref : in->pc + in->size + (uint64_t)m->disp;
		*disp = 0;
		return true;
	}
	snprintf(b, sizeof(b), "%s", m->base);
	canon(t, b);
	r = tracker_get(t, b);
	if (!r)
		return false;
	*base = *r;
	return true;
}

static void on_mov(struct tracker *t, const struct iotb_insn *in, char ops[4][48],
                   struct insn_effect *e)
{
	struct reg_state base;
	struct mem_op m;
	uint64_t disp;
	int64_t v;
	char src[48];

	snprintf(src, sizeof(src), "%s", ops[1]);
	canon(t, ops[0]);
	canon(t, src);
	if (parse_imm(src, &v))
		tracker_set_const(t, ops[0], (uint64_t)v);
	else if (is_reg(src))
		tracker_copy(t, ops[0], src);
	else if (parse_mem(src, &m) && mem_base(t, in, &m, &base, &disp))
		tracker_load(t, ops[0], &base, disp, mem_size(t, src), e);
	else
		tracker_forget(t, ops[0]);
}

static void on_lea(struct tracker *t, const struct iotb_insn *in, char ops[4][48])
{
	struct reg_state base;
	struct mem_op m;
	uint64_t disp;

	canon(t, ops[0]);
	if (parse_mem(ops[1], &m) && mem_base(t, in, &m, &base, &disp) && base.known)
		tracker_set_const(t, ops[0], base.value + disp);
	else
		tracker_forget(t, ops[0]);
}

static void on_push(struct tracker *t, char ops[4][48])
{
	struct reg_state *r;
	int64_t v;

	memset(&t->last_push, 0, sizeof(t->last_push));
	canon(t, ops[0]);
	if (parse_imm(ops[0], &v)) {
		t->last_push.known = true;
		t->last_push.value = (uint64_t)v & (t->f->elfclass == ELFCLASS64 ? ~0ULL : 0xffffffffULL);
	} else if (is_reg(ops[0]) && (r = tracker_get(t, ops[0]))) {
		t->last_push = *r;
	}
}

static void on_arith(struct tracker *t, const char *m, char ops[4][48], struct insn_effect *e)
{
	struct reg_state *r;
	int64_t v;

	canon(t, ops[0]);
	if (strcmp(m, "sub") == 0 && (strcmp(ops[0], "rsp") == 0 || strcmp(ops[0], "esp") == 0) &&
	    parse_imm(ops[1], &v) && v > 0)
		e->alloc = (uint64_t)v;
	r = tracker_get(t, ops[0]);
	if (strcmp(m, "xor") == 0 && strcmp(ops[0], ops[1]) == 0)
		tracker_set_const(t, ops[0], 0);
	else if (r && r->known && parse_imm(ops[1], &v))
		r->value += strcmp(m, "add") == 0 ? (uint64_t)v : -(uint64_t)v;
	else if (is_reg(ops[0]))
		tracker_forget(t, ops[0]);
}

void canary_step_x86(struct tracker *t, const struct iotb_insn *in, struct insn_effect *e)
{
	char ops[4][48];
	int n = split_ops(in->ops, ops);
	const char *m = in->mnem;

	e->kind = kind_of(m);
	if (t->arch->tls_guard && strstr(in->ops, t->arch->tls_guard))
		e->tls = strcmp(m, "mov") == 0 && n == 2 && is_reg(ops[0]) ? 1 : 2;
	if (e->kind != K_OTHER || n == 0)
		return;
	if ((strcmp(m, "mov") == 0 || strcmp(m, "movabs") == 0) && n == 2 && is_reg(ops[0]))
		on_mov(t, in, ops, e);
	else if (strcmp(m, "lea") == 0 && n == 2)
		on_lea(t, in, ops);
	else if (strcmp(m, "push") == 0)
		on_push(t, ops);
	else if ((strcmp(m, "add") == 0 || strcmp(m, "sub") == 0 || strcmp(m, "xor") == 0) &&
		 n == 2)
		on_arith(t, m, ops, e);
	else if (strcmp(m, "cmp") != 0 && strcmp(m, "test") != 0 && is_reg(ops[0])) {
		canon(t, ops[0]);
		tracker_forget(t, ops[0]);
	}
}

bool canary_x86_is_pc_thunk(struct tracker *t, uint64_t addr, char reg[8])
{
	struct iotb_insn a, b;
	char ops[4][48];

	if (!iotb_disasm_at(t->dis, addr, false, &a) ||
	    !iotb_disasm_at(t->dis, addr + a.size, false, &b))
		return false;
	if (strcmp(a.mnem, "mov") != 0 || strncmp(b.mnem, "ret", 3) != 0 ||
	    split_ops(a.ops, ops) != 2 || !strstr(ops[1], "[esp]") || strlen(ops[0]) > 7)
		return false;
	memcpy(reg, ops[0], strlen(ops[0]) + 1);
	return true;
}
