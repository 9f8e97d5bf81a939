/*
 * engine.c — the rule contexts an engine emits through: a context carries
 * one rule (or NULL when the rule is unknown or disabled), so a checker can
 * only report findings of the rules it was handed, at their severity.
 */
#include <stdarg.h>
#include <stdlib.h>

#include "engine.h"

struct iotb_rule_ctx iotb_rule_ctx_get(const struct iotb_engine_ctx *ctx,
                                       const char *rule_id)
{
	struct iotb_rule_ctx rc = { NULL, ctx ? ctx->out : NULL };
	const struct iotb_rule *rule;

	if (!ctx || !ctx->cat || !rule_id)
		return rc;
	rule = iotb_catalogue_rule(ctx->cat, rule_id);
	if (rule && rule->enabled)
		rc.rule = rule;
	return rc;
}

struct iotb_finding *iotb_emit(const struct iotb_rule_ctx *rc, const char *path,
                               unsigned line, unsigned col, const char *fmt, ...)
{
	struct iotb_strbuf msg;
	struct iotb_finding *f;
	va_list ap;

	if (!rc || !rc->rule || !rc->out)
		return NULL;
	iotb_strbuf_init(&msg);
	va_start(ap, fmt);
	iotb_strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	f = iotb_results_add(rc->out, rc->rule, path, line, col, "%s", msg.buf);
	f->severity = rc->rule->severity;
	iotb_strbuf_release(&msg);
	return f;
}
