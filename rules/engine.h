/*
 * engine.h — what an analysis engine (analyzers/, elfcheck/) sees of the
 * core: one input at a time, inside a worker process, and a rule context per
 * rule so it cannot mislabel a finding (CONVENTIONS.md, smatch).
 *
 * Engines are listed in integrations/engines.def (one X-macro table); the
 * walker picks an engine by the input's kind.  An engine knows nothing about
 * output formats: it fills findings and the artifact's facts.
 */
#ifndef IOTB_ENGINE_H
#define IOTB_ENGINE_H

#include <stdarg.h>
#include <stddef.h>

#include "config.h"
#include "finding.h"

/* One input file as the walker classified it. */
struct iotb_input {
	const char *path;            /* as named by the walker */
	const char *kind;            /* "elf", "c-source", "compile-db", … */
	int fd;                      /* open O_RDONLY, positioned at 0 */
	unsigned long long size;     /* bytes (from fstat) */
	const unsigned char *head;   /* first bytes read by the walker */
	size_t headlen;
	int named;                   /* 1 when named on the command line */
};

/* What the engine reports into; engine-wide. */
struct iotb_engine_ctx {
	const struct iotb_catalogue *cat;
	const struct iotb_config *cfg;   /* may be NULL */
	struct iotb_results *out;
	struct iotb_artifact *artifact;  /* this input's artifact (facts) */
};

/* A rule context: the only way to emit a finding of that rule. */
struct iotb_rule_ctx {
	const struct iotb_rule *rule;    /* NULL when disabled or unknown */
	struct iotb_results *out;
};

/* Context for rule id: .rule is NULL when the rule is unknown or disabled,
 * and iotb_emit() then does nothing. */
struct iotb_rule_ctx iotb_rule_ctx_get(const struct iotb_engine_ctx *ctx,
                                       const char *rule_id);
/* Emit a finding of rc's rule (NULL when the rule is off). */
struct iotb_finding *iotb_emit(const struct iotb_rule_ctx *rc, const char *path,
                               unsigned line, unsigned col, const char *fmt, ...)
	IOTB_PRINTF(5, 6);
/* The same with a va_list. */
struct iotb_finding *iotb_vemit(const struct iotb_rule_ctx *rc, const char *path,
                                unsigned line, unsigned col, const char *fmt, va_list ap);

struct iotb_engine {
	const char *name;                /* "elfcheck", "analyzers" */
	const char *const *kinds;        /* NULL-terminated input kinds handled */
	const char *const *areas;        /* NULL-terminated rule areas emitted */
	/* Analyse one input.  Problems with the input itself are findings
	 * (scan.malformed-input, scan.parse-error); return -1 with
	 * iotb_fail() only when the engine could not analyse it at all (the
	 * walker turns that into scan.not-analysed with the message). */
	int (*analyse)(const struct iotb_input *in, struct iotb_engine_ctx *ctx);
	/* How many inputs one worker process may analyse in sequence (it
	 * saves a fork per input; the time limit stays per input, the memory
	 * limit is per worker).  0 or 1: one input per worker — engines
	 * parsing sources with libclang stay there, as one translation unit
	 * can take seconds; elfcheck uses 64.  The engine must not keep
	 * state from one input that changes its verdict on the next. */
	unsigned batch;
};

/* The engine table (integrations/engines.def), NULL-terminated. */
extern const struct iotb_engine *const iotb_engines[];
/* The engine handling kind, or NULL. */
const struct iotb_engine *iotb_engine_for_kind(const char *kind);
/*
 * Does the catalogue hold what the code reports: every scan.* rule the core
 * emits and at least one rule of each engine's areas?  0, or -1 naming the
 * missing rule or area (a rules directory with a file missing would
 * otherwise drop those findings silently).
 */
int iotb_engines_check_catalogue(const struct iotb_catalogue *cat);

/* The engine emitting rules of area, or NULL (scan.* → NULL: the core). */
const struct iotb_engine *iotb_engine_for_area(const char *area);

#endif
