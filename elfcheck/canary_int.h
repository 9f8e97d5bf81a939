/*
 * canary_int.h — private interfaces of the canary idiom search: the
 * per-architecture table (canary_arch.c), the register tracker and operand
 * parsing shared by the instruction semantics (canary_x86.c,
 * canary_arm.c), and what one instruction means for the search.
 */
#ifndef IOTB_CANARY_INT_H
#define IOTB_CANARY_INT_H

#include "elfcheck.h"

enum insn_kind {
	K_OTHER,
	K_CALL,            /* direct or indirect call */
	K_JUMP,            /* unconditional jump */
	K_BRANCH,          /* conditional branch */
	K_RET,             /* return */
	K_STOP,            /* trap, halt: the function does not go on */
};

/* Where a loaded value came from: memory at addr, or (via_pointer) memory
 * at the address held in memory at addr (a GOT slot filled at load time). */
struct guard_key {
	uint64_t addr;
	bool via_pointer;
};

struct reg_state {
	char name[8];
	bool known;            /* value known */
	uint64_t value;
	bool from_load;        /* value loaded from memory at key */
	struct guard_key key;
};

#define TRACK_REGS 24

struct canary_arch;

struct tracker {
	const struct iotb_elf_facts *f;
	const struct canary_arch *arch;
	struct iotb_disasm *dis;
	struct reg_state regs[TRACK_REGS];
	size_t nregs;
	struct reg_state last_push;     /* i386: the last value pushed */
	bool thumb;
};

/* What one instruction does, as far as the search cares. */
struct insn_effect {
	enum insn_kind kind;
	bool switch_mode;      /* ARM blx: the target runs in the other state */
	uint64_t alloc;        /* stack bytes reserved (sub sp / pre-indexed stp) */
	uint64_t saves;        /* register bytes saved into reserved space */
	int tls;               /* 1: TLS guard loaded into a register, 2: compared */
	bool load;             /* a load whose source is known: load_key */
	struct guard_key load_key;
	bool frame_store;      /* a register stored into the frame: stored */
	struct reg_state stored;
};

struct canary_arch {
	unsigned machine;
	int elfclass;                    /* 0 = any */
	const char *name;
	const char *triple, *thumb_triple;
	const char *arg0;                /* first-argument register; NULL: the stack */
	const char *tls_guard;           /* TLS guard operand; NULL: __stack_chk_guard */
	const char *guard_source;        /* where the idiom is defined */
	void (*step)(struct tracker *t, const struct iotb_insn *in, struct insn_effect *e);
	/* Is the function at addr a PC thunk ("mov REG, [esp]; ret")? Sets
	 * *reg to the register it loads. */
	bool (*is_pc_thunk)(struct tracker *t, uint64_t addr, char reg[8]);
};

/* Instruction semantics per architecture (canary_x86.c, canary_arm.c). */
void canary_step_x86(struct tracker *t, const struct iotb_insn *in, struct insn_effect *e);
bool canary_x86_is_pc_thunk(struct tracker *t, uint64_t addr, char reg[8]);
void canary_step_aarch64(struct tracker *t, const struct iotb_insn *in, struct insn_effect *e);
void canary_step_arm(struct tracker *t, const struct iotb_insn *in, struct insn_effect *e);

/* The table entry for f, or NULL (no idiom table for this architecture). */
const struct canary_arch *canary_arch_lookup(const struct iotb_elf_facts *f);

/* Register tracker. */
void tracker_reset(struct tracker *t);
struct reg_state *tracker_get(struct tracker *t, const char *name);
void tracker_set_const(struct tracker *t, const char *name, uint64_t v);
void tracker_forget(struct tracker *t, const char *name);
void tracker_copy(struct tracker *t, const char *dst, const char *src);
/* A load of size bytes into dst from base+disp (base NULL: absolute disp,
 * known true).  Fills e->load/e->load_key when the source is known. */
void tracker_load(struct tracker *t, const char *dst, const struct reg_state *base,
                  uint64_t disp, unsigned size, struct insn_effect *e);

/* Operands split at top-level commas (brackets and braces kept whole),
 * trimmed; returns the count (at most 4). */
int split_ops(const char *ops, char out[4][48]);
/* An immediate: "#0x58", "#-0xa0", "0x4014f0", "-16", "#20". */
bool parse_imm(const char *s, int64_t *v);

/* A memory operand "[base, #imm]", "[base, reg]", "[base + 0x8]",
 * "qword ptr fs:[0x28]", "[sp, #-0x10]!". */
struct mem_op {
	char seg[4];
	char base[48];
	char index[48];
	int64_t disp;
	bool writeback;
	bool complex;          /* scaled index or shift: not followed */
};
bool parse_mem(const char *s, struct mem_op *m);

#endif
