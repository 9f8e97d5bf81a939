/*
 * report.c — turns the predicates' verdicts into the artifact's facts and
 * into findings of rules/elf.yaml: a finding for absent/partial verdicts (at
 * the rule's severity, or the architecture table's for a missing
 * PT_GNU_STACK unless config overrode the rule), a note for unknown ones.
 * Function lists (canary symbols, fortifiable and dangerous functions) are
 * the rules' YAML parameters.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "elfcheck_int.h"

const struct iotb_param *elfcheck_param(const struct iotb_engine_ctx *ctx, const char *rule_id,
                                        const char *name)
{
	const struct iotb_rule *rule = ctx->cat ? iotb_catalogue_rule(ctx->cat, rule_id) : NULL;

	return rule ? iotb_rule_param(rule, name) : NULL;
}

double elfcheck_param_num(const struct iotb_engine_ctx *ctx, const char *rule,
                          const char *name, double dflt)
{
	const struct iotb_param *p = elfcheck_param(ctx, rule, name);

	return p && p->type == IOTB_PARAM_SCALAR && p->scalar ? strtod(p->scalar, NULL) : dflt;
}

bool elfcheck_matches_any(const struct iotb_param *p, const char *s)
{
	if (!p || p->type != IOTB_PARAM_LIST || !s)
		return false;
	for (size_t i = 0; i < p->nspecs; i++)
		if (iotb_funcspec_matches(&p->specs[i], s))
			return true;
	return false;
}

struct iotb_finding *elfcheck_emit(const struct iotb_engine_ctx *ctx, const char *id,
                                  const char *path, const char *fmt, ...)
{
	struct iotb_rule_ctx rc = iotb_rule_ctx_get(ctx, id);
	struct iotb_strbuf sb;
	struct iotb_finding *f;
	va_list ap;

	if (!rc.rule)
		return NULL;
	iotb_strbuf_init(&sb);
	va_start(ap, fmt);
	iotb_strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	f = iotb_emit(&rc, path, 0, 0, "%s", sb.buf);
	iotb_strbuf_release(&sb);
	return f;
}

/* Unknown verdicts are notes; the arch table may set another severity
 * unless config changed the rule's. */
static void adjust(struct iotb_finding *f, const struct iotb_elf_verdict *vd,
                   const char *arch_severity)
{
	int sev;

	if (!f)
		return;
	f->properties = json_pack("{s:s}", "verdict", iotb_verdict_name(vd->v));
	if (vd->v == IOTB_V_UNKNOWN) {
		f->severity = IOTB_SEV_NOTE;
		return;
	}
	sev = arch_severity ? iotb_severity_parse(arch_severity, false) : -1;
	if (sev > 0 && f->rule->severity == f->rule->default_severity)
		f->severity = (enum iotb_severity)sev;
}

static void add_verdict(json_t *facts, const char *key, const struct iotb_elf_verdict *vd,
                        const char *detail_key)
{
	json_t *o;

	if (!facts)
		return;
	o = json_pack("{s:s,s:s}", "verdict", iotb_verdict_name(vd->v), "reason",
		      vd->reason ? vd->reason : "");
	if (detail_key)
		json_object_set_new(o, detail_key, vd->detail ? json_string(vd->detail) : json_null());
	json_object_set_new(facts, key, o);
}

static void report_nx(const struct iotb_elf_facts *f, const char *path,
                      struct iotb_engine_ctx *ctx, json_t *facts)
{
	struct iotb_elf_verdict vd = { 0 };

	iotb_elf_nx(f, &vd);
	add_verdict(facts, "nx", &vd, "problem");
	if (vd.v == IOTB_V_ABSENT && strcmp(vd.detail, "exec-stack") == 0)
		adjust(elfcheck_emit(ctx, "elf.exec-stack", path, "executable stack: %s", vd.reason),
		       &vd, NULL);
	else if ((vd.v == IOTB_V_ABSENT && strcmp(vd.detail, "no-gnu-stack-note") == 0) ||
		 (vd.v == IOTB_V_UNKNOWN && f->type == ET_REL))
		adjust(elfcheck_emit(ctx, "elf.exec-stack", path, "executable stack %s: %s",
			     vd.v == IOTB_V_UNKNOWN ? "unknown" : "implied", vd.reason), &vd,
		       "warning");
	else if (vd.v == IOTB_V_ABSENT)
		adjust(elfcheck_emit(ctx, "elf.no-nx", path, "%s", vd.reason), &vd,
		       iotb_elf_nostack_severity(f));
	iotb_elf_verdict_release(&vd);
}

static void report_pie(const struct iotb_elf_facts *f, const char *path,
                       struct iotb_engine_ctx *ctx, json_t *facts)
{
	struct iotb_elf_verdict vd = { 0 };

	iotb_elf_pie(f, &vd);
	add_verdict(facts, "pie", &vd, "class");
	if (vd.v == IOTB_V_ABSENT)
		adjust(elfcheck_emit(ctx, "elf.no-pie", path, "not position-independent: %s",
			     vd.reason), &vd, NULL);
	iotb_elf_verdict_release(&vd);
}

static void report_relro(const struct iotb_elf_facts *f, const char *path,
                         struct iotb_engine_ctx *ctx, json_t *facts)
{
	struct iotb_elf_verdict vd = { 0 };

	iotb_elf_relro(f, &vd);
	add_verdict(facts, "relro", &vd, "level");
	if (vd.v == IOTB_V_ABSENT)
		adjust(elfcheck_emit(ctx, "elf.no-relro", path, "no RELRO: %s", vd.reason), &vd, NULL);
	else if (vd.v == IOTB_V_PARTIAL)
		adjust(elfcheck_emit(ctx, "elf.relro-partial", path, "partial RELRO: %s", vd.reason),
		       &vd, NULL);
	iotb_elf_verdict_release(&vd);
	iotb_elf_bind_now(f, &vd);
	add_verdict(facts, "bind_now", &vd, NULL);
	iotb_elf_verdict_release(&vd);
}

static void canary_params(const struct iotb_engine_ctx *ctx, struct iotb_canary_params *p)
{
	p->min_frame = (uint64_t)elfcheck_param_num(ctx, "elf.no-canary", "min_frame_bytes", 32);
	p->max_insns = (unsigned)elfcheck_param_num(ctx, "elf.no-canary", "max_instructions", 20000);
	p->max_functions = (unsigned)elfcheck_param_num(ctx, "elf.no-canary", "max_functions", 2000);
}

static json_t *coverage_json(const struct iotb_canary_code *c)
{
	char main[32];

	if (!c->decided)
		return json_pack("{s:s}", "undecided", c->why);
	snprintf(main, sizeof(main), "0x%llx", (unsigned long long)c->main_addr);
	return json_pack("{s:s,s:i,s:i,s:i,s:I,s:s?,s:s?,s:s,s:s}", "scope", c->scope,
			 "examined", (int)c->examined, "with_frame", (int)c->with_frame,
			 "with_idiom", (int)c->with_idiom, "min_frame_bytes", (json_int_t)c->min_frame,
			 "main", c->main_found_by ? main : NULL, "main_found_by", c->main_found_by,
			 "instruction_set", c->isa, "guard", c->guard);
}

/* The verdict of a static executable from its code (libc's symbols say
 * nothing about the application). */
static void canary_from_code(const struct iotb_canary_code *c, struct iotb_elf_verdict *vd)
{
	free(vd->reason);
	if (!c->decided) {
		vd->v = IOTB_V_UNKNOWN;
		vd->reason = iotb_xasprintf("static binary: %s", c->why);
	} else if (c->with_idiom) {
		vd->v = IOTB_V_PRESENT;
		vd->reason = iotb_xasprintf("canary idiom (%s) in %u of %u examined functions "
			"(%s; main %s it; main found by %s)", c->guard, c->with_idiom, c->examined,
			c->scope, c->main_idiom ? "has" : "lacks", c->main_found_by);
	} else if (c->with_frame) {
		vd->v = IOTB_V_ABSENT;
		vd->reason = iotb_xasprintf("static binary: no canary idiom (%s) in any of the %u "
			"examined functions, %u of which reserve at least %llu bytes for locals "
			"(%s; main found by %s); libc's own __stack_chk_fail does not count",
			c->guard, c->examined, c->with_frame, (unsigned long long)c->min_frame,
			c->scope, c->main_found_by);
	} else {
		vd->v = IOTB_V_UNKNOWN;
		vd->reason = iotb_xasprintf("static binary: none of the %u examined functions (%s) "
			"reserves %llu bytes or more for locals, so no code that stack protection "
			"would cover was seen", c->examined, c->scope,
			(unsigned long long)c->min_frame);
	}
	vd->detail = NULL;
}

static void report_canary(const struct iotb_elf_facts *f, const char *path,
                          struct iotb_engine_ctx *ctx, json_t *facts)
{
	struct iotb_elf_verdict vd = { 0 };
	struct iotb_canary_params p;
	struct iotb_canary_code code;
	bool is_static = iotb_elf_is_static(f);
	json_t *o;

	iotb_elf_canary(f, elfcheck_param(ctx, "elf.no-canary", "symbols"), &vd);
	canary_params(ctx, &p);
	code.decided = false;
	if (iotb_elf_is_loadable(f) && (is_static || f->has_symtab))
		iotb_elf_canary_code(f, &p, !is_static, &code);
	if (iotb_elf_is_loadable(f) && is_static)
		canary_from_code(&code, &vd);
	add_verdict(facts, "canary", &vd, NULL);
	if (facts && (o = json_object_get(facts, "canary")) && iotb_elf_is_loadable(f) &&
	    (is_static || f->has_symtab))
		json_object_set_new(o, "coverage", coverage_json(&code));
	if (vd.v == IOTB_V_ABSENT)
		adjust(elfcheck_emit(ctx, "elf.no-canary", path, "no stack canary: %s", vd.reason),
		       &vd, NULL);
	else if (vd.v == IOTB_V_UNKNOWN)
		adjust(elfcheck_emit(ctx, "elf.no-canary", path, "stack canary unknown: %s",
			     vd.reason), &vd, NULL);
	iotb_elf_verdict_release(&vd);
}

static void report_fortify(const struct iotb_elf_facts *f, const char *path,
                           struct iotb_engine_ctx *ctx, json_t *facts)
{
	struct iotb_elf_verdict vd = { 0 };
	unsigned fortified, plain;
	json_t *o;

	iotb_elf_fortify(f, elfcheck_param(ctx, "elf.no-fortify", "functions"), &vd,
			 &fortified, &plain);
	add_verdict(facts, "fortify", &vd, NULL);
	if (facts && (o = json_object_get(facts, "fortify"))) {
		json_object_set_new(o, "fortified", json_integer((json_int_t)fortified));
		json_object_set_new(o, "fortifiable", json_integer((json_int_t)(fortified + plain)));
		json_object_set_new(o, "level", json_string("unknown"));
	}
	if (vd.v == IOTB_V_ABSENT)
		adjust(elfcheck_emit(ctx, "elf.no-fortify", path, "not fortified: %s", vd.reason),
		       &vd, NULL);
	else if (vd.v == IOTB_V_UNKNOWN)
		adjust(elfcheck_emit(ctx, "elf.no-fortify", path, "FORTIFY_SOURCE unknown: %s",
			     vd.reason), &vd, NULL);
	iotb_elf_verdict_release(&vd);
}

static void report_notes(const struct iotb_elf_facts *f, const char *path,
                         struct iotb_engine_ctx *ctx, json_t *facts)
{
	struct iotb_elf_verdict vd = { 0 };

	iotb_elf_cfi(f, &vd);
	add_verdict(facts, "cfi", &vd, NULL);
	if (vd.v == IOTB_V_ABSENT || vd.v == IOTB_V_PARTIAL)
		adjust(elfcheck_emit(ctx, "elf.no-cfi", path, "%s control-flow protection: %s",
			     vd.v == IOTB_V_ABSENT ? "no" : "partial", vd.reason), &vd, NULL);
	iotb_elf_verdict_release(&vd);
	iotb_elf_module_sig(f, &vd);
	add_verdict(facts, "module_signature", &vd, NULL);
	if (vd.v == IOTB_V_ABSENT)
		adjust(elfcheck_emit(ctx, "elf.unsigned-module", path, "kernel module without an "
			     "appended signature (no \"~Module signature appended~\" trailer)"),
		       &vd, NULL);
	iotb_elf_verdict_release(&vd);
}

void elfcheck_report(const struct iotb_elf_facts *f, const char *path,
                     struct iotb_engine_ctx *ctx, json_t *facts)
{
	report_canary(f, path, ctx, facts);
	report_nx(f, path, ctx, facts);
	report_pie(f, path, ctx, facts);
	report_relro(f, path, ctx, facts);
	report_fortify(f, path, ctx, facts);
	report_notes(f, path, ctx, facts);
	elfcheck_report_segments(f, path, ctx, facts);
	elfcheck_report_imports(f, path, ctx, facts);
	elfcheck_report_secrets(f, path, ctx, facts);
}
