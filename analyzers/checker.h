/*
 * checker.h — what a source checker is and what it sees (CONVENTIONS.md,
 * after smatch): one descriptor per analyzers/<name>.c, listed once in
 * analyzers/checkers.def; the walker (walk.c) traverses each translation
 * unit once and calls the handlers a checker filled in.  No checker walks
 * the AST itself.
 *
 * A checker gets its tunables from its rules' YAML parameters
 * (iotb_checker_param) in init(), and reports only through
 * iotb_checker_report() with the index of one of the rule ids its
 * descriptor lists, so it cannot mislabel a finding.
 *
 * Cursors handed to handlers are valid until the translation unit ends
 * (on_tu_end is the last moment to use them).
 */
#ifndef IOTB_CHECKER_H
#define IOTB_CHECKER_H

#include <clang-c/Index.h>
#include <stdbool.h>

#include "engine.h"

#define IOTB_CHECKER_MAX_RULES 8

enum iotb_loop_kind { IOTB_LOOP_WHILE, IOTB_LOOP_DO, IOTB_LOOP_FOR };

/* A call as the walker resolved it. */
struct iotb_call {
	CXCursor expr;          /* the CallExpr */
	CXCursor callee;        /* the called function's declaration, or a null
	                           cursor when unknown (a pointer not bound in
	                           this TU) */
	const char *name;       /* the callee's name, "__builtin_" and
	                           "__builtin___…_chk" removed; NULL when unknown */
	unsigned nargs;
	bool through_pointer;   /* called through a function pointer whose
	                           binding the walker saw in this TU */
	CXCursor binding;       /* where that pointer was bound */
};

/* One event.  Fields not named for an event are null cursors / 0 / NULL. */
struct iotb_event {
	CXCursor cursor;        /* the node the event is about */
	CXCursor function;      /* enclosing function definition, or null */
	const struct iotb_call *call;    /* on_call */
	CXCursor lhs, rhs;      /* on_assign, on_binary_op: operands;
	                           on_unary_op: rhs = operand;
	                           on_var_decl: rhs = initialiser (may be null);
	                           on_if/on_switch/on_loop: rhs = condition */
	int op;                 /* CXBinaryOperatorKind, CXUnaryOperatorKind or
	                           enum iotb_loop_kind */
	const char *name;       /* on_macro_expansion: the macro;
	                           on_var_decl: the variable;
	                           on_function_*: the function */
};

struct iotb_checker_ctx;

typedef void iotb_event_fn(struct iotb_checker_ctx *cc, const struct iotb_event *ev);

struct iotb_checker {
	const char *name;
	const char *const *rules;   /* rule ids it may emit, NULL-terminated;
	                               a rule's index is its slot for report */
	/* Read parameters, set cc->state.  0, or -1 with iotb_fail() naming the
	 * parameter (the input then cannot be analysed).  Not called when all
	 * the checker's rules are disabled. */
	int (*init)(struct iotb_checker_ctx *cc);
	void (*release)(struct iotb_checker_ctx *cc);
	iotb_event_fn *on_tu_begin;
	iotb_event_fn *on_tu_end;
	iotb_event_fn *on_function_begin;
	iotb_event_fn *on_function_end;
	iotb_event_fn *on_call;
	iotb_event_fn *on_var_decl;
	iotb_event_fn *on_assign;       /* = and compound assignments */
	iotb_event_fn *on_binary_op;    /* every other binary operator */
	iotb_event_fn *on_unary_op;
	iotb_event_fn *on_if;
	iotb_event_fn *on_switch;
	iotb_event_fn *on_loop;
	iotb_event_fn *on_return;
	iotb_event_fn *on_goto;
	iotb_event_fn *on_string_literal;
	iotb_event_fn *on_macro_expansion;
};

struct iotb_walk;

struct iotb_checker_ctx {
	const struct iotb_checker *checker;
	struct iotb_rule_ctx rules[IOTB_CHECKER_MAX_RULES];  /* by slot */
	void *state;                /* the checker's own, freed by release */
	struct iotb_walk *walk;     /* borrowed */
};

/* --- for checkers: parameters and reports ---------------------------- */

/* Is the rule in slot enabled? */
bool iotb_checker_enabled(const struct iotb_checker_ctx *cc, unsigned slot);

/* The rule's parameter name (YAML `parameters:`), or NULL. */
const struct iotb_param *iotb_checker_param(const struct iotb_checker_ctx *cc,
                                            unsigned slot, const char *name);

/* The first spec of list parameter p matching name, or NULL. */
const struct iotb_funcspec *iotb_param_match(const struct iotb_param *p, const char *name);

/* A scalar parameter as an integer (def when absent or not a number). */
long iotb_param_long(const struct iotb_param *p, long def);

/*
 * Report a finding of the rule in slot at cursor at.  The location is the
 * file position a reader sees: inside a macro expansion, the expansion
 * site, with " (in macro 'NAME')" added to the message and the macro's
 * definition as a related location.  The enclosing function's USR becomes
 * the finding's function.  A finding identical to one already reported in
 * this engine run (a header seen from many TUs) is dropped: NULL then, or
 * when the rule is disabled or the location is in a system header.
 */
struct iotb_finding *iotb_checker_report(struct iotb_checker_ctx *cc, unsigned slot,
                                         CXCursor at, const char *fmt, ...)
	IOTB_PRINTF(4, 5);

/* Add a related location at cursor (expansion site) to f. */
void iotb_checker_relate(struct iotb_checker_ctx *cc, struct iotb_finding *f,
                         CXCursor at, const char *message);

/* --- for checkers: looking at expressions (cursor.c) ----------------- */

/* e without parentheses, implicit and explicit casts. */
CXCursor iotb_expr_strip(CXCursor e);

/* Child i of c (0-based, any kind), or a null cursor. */
CXCursor iotb_expr_child(CXCursor c, unsigned i);

/* Argument i of the call (stripped), or a null cursor. */
CXCursor iotb_call_arg(const struct iotb_call *call, unsigned i);

/*
 * Size in bytes, terminator included, of the longest string e can be when
 * that is known from the source alone: a string literal (concatenated
 * pieces and macros included), a conditional of two such, a const char
 * array with a literal initialiser; -1 otherwise.  *wide set for wide
 * literals.
 */
long long iotb_expr_const_string_size(CXCursor e);

/* Is e (stripped) a string literal, or a conditional of two? */
bool iotb_expr_is_literal(CXCursor e);

/* The literal's bytes (without the terminator; NULL when e is not a plain
 * narrow literal).  Owned; *len its length. */
char *iotb_expr_literal_text(CXCursor e, size_t *len);

/* Capacity in elements of the array e designates (a variable, field or
 * subscript of constant-size array type), or -1.  *elem_size gets the
 * element's size in bytes when not NULL. */
long long iotb_expr_array_capacity(CXCursor e, long long *elem_size);

/* The variable or parameter declaration e (stripped) names, or null. */
CXCursor iotb_expr_referenced_var(CXCursor e);

/* The source text of c, tokens joined, shortened to about max bytes.
 * Owned. */
char *iotb_cursor_text(CXCursor c, size_t max);

/* The name of c (CXString copied). Owned. */
char *iotb_cursor_name(CXCursor c);

/* A copy of s's text ("" when it has none), s disposed of.  Owned. */
char *iotb_cxstring_take(CXString s);

/* Does function declaration fn carry __attribute__((format(printf|…, F,
 * A)))?  *fmt_index gets F - 1 (0-based argument index). */
bool iotb_function_format_arg(CXCursor fn, unsigned *fmt_index);

/* Number of fixed parameters of function declaration fn (-1 when unknown:
 * K&R or implicit), *variadic whether it takes "...". */
int iotb_function_params(CXCursor fn, bool *variadic);

/* Is c located in a system header? */
bool iotb_cursor_in_system_header(CXCursor c);

/* The value of integer constant expression e as the compiler folds it, or
 * -1 when e is null, not an expression or not an integer constant (a
 * constant -1 reads the same). */
long long iotb_expr_const_value(CXCursor e);

/* The variable or parameter a buffer expression designates — v, &v,
 * v + n, &v[i], v[i], *v, (T *)v, up to three such steps — or null. */
CXCursor iotb_expr_buffer_var(CXCursor e);

/* The name of the variable or field an lvalue stands for, after up to
 * four &, *, casts and subscripts.  Owned, or NULL. */
char *iotb_expr_lvalue_name(CXCursor e);

/* --- for checkers: common parameter checks and report pieces ---------- */

/*
 * Every entry of list parameter p (NULL: none) must name argument role
 * role, or alt when alt is not NULL.  0, or -1 after
 * iotb_fail("ORIGIN: 'PATTERN' needs the argument role 'ROLE'").
 */
int iotb_param_require_role(const struct iotb_param *p, const char *role, const char *alt);

/* " (called through a function pointer)" when the call went through one,
 * else "" (static strings; call may be NULL), to end a report's message. */
const char *iotb_call_via(const struct iotb_call *call);

/* When f is not NULL and the call (may be NULL) went through a function
 * pointer, relate the pointer's binding to f ("function pointer bound
 * here"). */
void iotb_checker_relate_binding(struct iotb_checker_ctx *cc, struct iotb_finding *f,
                                 const struct iotb_call *call);

/* --- for checkers: local variables and their writes (local_writes.c) --- */

/* Is var a variable declaration without global storage (a local, not a
 * static or a parameter)? */
bool iotb_var_is_local(CXCursor var);

/* The local variable e designates as a buffer (v, &v, v + n, &v[i], v[i],
 * &v[i][j]), or a null cursor (also when the variable is not local). */
CXCursor iotb_expr_local_buffer(CXCursor e);

/* Is parameter i of the call's resolved callee a pointer to const (the
 * callee only reads it)?  False when the prototype is unknown. */
bool iotb_call_param_is_read_only(const struct iotb_call *call, unsigned i);

/* One write to a local variable seen in the function being walked. */
struct iotb_local_write {
	CXCursor var;           /* the VarDecl written */
	bool constant;          /* the value written is known constant */
};

/* The writes of one function, in source order; embedded in a checker's
 * state, zero-initialised, emptied by iotb_local_writes_clear (at the
 * function's end and in release).  Owns v. */
struct iotb_local_writes {
	struct iotb_local_write *v;
	size_t n;
};

void iotb_local_writes_add(struct iotb_local_writes *w, CXCursor var, bool constant);

/* Has var a write that is not constant?  (No writes at all: false.) */
bool iotb_local_writes_has_unknown(const struct iotb_local_writes *w, CXCursor var);

/* Does the call fill argument argi from constants only?  data is the
 * checker's, passed through. */
typedef bool iotb_constant_fill_fn(const void *data, const struct iotb_call *call,
                                   unsigned argi);

/* Record a write for every argument of the call that designates a local
 * buffer (iotb_expr_local_buffer) the callee may write (not a pointer to
 * const): constant when is_constant_fill(data, call, i) says so. */
void iotb_local_writes_note_call(struct iotb_local_writes *w, const struct iotb_call *call,
                                 iotb_constant_fill_fn *is_constant_fill, const void *data);

/* Forget every write (frees v); w may be NULL. */
void iotb_local_writes_clear(struct iotb_local_writes *w);

#endif
