/*
 * walk_int.h — what walk.c (traversal), parse.c (parsing, set-up problems)
 * and checker_report.c (reports, paths) share about a walker.  Private to
 * analyzers/.
 */
#ifndef IOTB_WALK_INT_H
#define IOTB_WALK_INT_H

#include "walk.h"

/* First diagnostics quoted in a parse-error note. */
#define FIRST_DIAGNOSTICS 3

enum event {
	EV_TU_BEGIN, EV_TU_END, EV_FUNCTION_BEGIN, EV_FUNCTION_END, EV_CALL,
	EV_VAR_DECL, EV_ASSIGN, EV_BINARY_OP, EV_UNARY_OP, EV_IF, EV_SWITCH,
	EV_LOOP, EV_RETURN, EV_GOTO, EV_STRING_LITERAL, EV_MACRO_EXPANSION,
	EV_COUNT,
};

struct subscribers {
	struct iotb_checker_ctx **v;
	size_t n;
};

/* Flags libclang rejected for one compiler. */
struct compiler_setup {
	char *compiler;
	struct iotb_strvec drop;      /* exact arguments to leave out */
	struct iotb_strvec messages;  /* the driver's words, for the report */
	bool reported;
};

/* A function pointer bound to a function in this TU. */
struct binding {
	CXCursor decl;    /* variable, parameter or field (canonical) */
	CXCursor owner;   /* for a field: the variable holding the struct, or
	                     null when unknown (p->fn = …) */
	CXCursor fn;      /* the function */
	CXCursor where;   /* the expression that bound it */
};

/* A macro expansion in a non-system file. */
struct macro_use {
	CXFile file;
	unsigned begin, end;   /* offsets of the expansion's extent */
	CXCursor cursor;
};

struct frame {
	CXCursor cursor;
	bool is_function;
};

struct strset {
	char **slots;
	size_t n, cap;
};

struct iotb_walk {
	struct iotb_engine_ctx *ctx;
	struct iotb_checker_ctx *checkers;
	size_t ncheckers;
	struct subscribers subs[EV_COUNT];
	struct strset reported;
	struct compiler_setup *setups;
	size_t nsetups;
	unsigned long tus, parsed, partial, failed, errors;
	bool relative_paths;
	char *directory;        /* the TU's working directory (compile
	                           database "directory"), or NULL: the cwd */
	/* the TU being walked */
	CXTranslationUnit tu;
	struct frame *stack;
	size_t depth, astack;
	CXCursor function;
	struct binding *bindings;
	size_t nbindings, abindings;
	struct macro_use *macros;
	size_t nmacros, amacros;
};

/* checker_report.c: a set of owned strings. */
bool iotb_strset_add(struct strset *set, const char *key);   /* false if there */
void iotb_strset_release(struct strset *set);
/* checker_report.c: a CXFile's name (owned). */
char *iotb_walk_file_name(CXFile file);
/* parse.c: the set-up record of compiler ("" for plain sources). */
struct compiler_setup *iotb_walk_setup_for(struct iotb_walk *w, const char *compiler);
void iotb_walk_setups_release(struct iotb_walk *w);
/* walk.c: traverse a parsed TU, dispatching events. */
void iotb_walk_traverse(struct iotb_walk *w, CXTranslationUnit tu);

#endif
