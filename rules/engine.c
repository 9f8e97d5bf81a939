/*
 * engine.c — the rule contexts an engine emits through: a context carries
 * one rule (or NULL when the rule is unknown or disabled), so a checker can
 * only report findings of the rules it was handed, at their severity.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

/*
 * An engine asked for a rule the catalogue does not have (renamed or
 * removed from its rule file): its findings would vanish, so say so once
 * per input, as a scan.not-analysed note on the input.
 */
static void report_unknown_rule(const struct iotb_engine_ctx *ctx, const char *rule_id)
{
	const struct iotb_rule *na = iotb_catalogue_rule(ctx->cat, "scan.not-analysed");
	const char *path = ctx->artifact ? ctx->artifact->path : NULL;
	size_t i;

	if (!na || !path || !ctx->out)
		return;
	for (i = 0; i < ctx->out->nfindings; i++)
		if (ctx->out->findings[i].rule == na && !strcmp(ctx->out->findings[i].loc.path, path) &&
		    strstr(ctx->out->findings[i].message, rule_id))
			return;
	iotb_results_add(ctx->out, na, path, 0, 0,
			 "rule '%s' is not in the rule catalogue: its findings cannot be reported "
			 "(was it renamed or removed from its rule file?)", rule_id);
}

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
	else if (!rule)
		report_unknown_rule(ctx, rule_id);
	return rc;
}

struct iotb_finding *iotb_vemit(const struct iotb_rule_ctx *rc, const char *path,
                                unsigned line, unsigned col, const char *fmt, va_list ap)
{
	struct iotb_strbuf msg;
	struct iotb_finding *f;

	if (!rc || !rc->rule || !rc->out)
		return NULL;
	iotb_strbuf_init(&msg);
	iotb_strbuf_vaddf(&msg, fmt, ap);
	f = iotb_results_add(rc->out, rc->rule, path, line, col, "%s", msg.buf);
	f->severity = rc->rule->severity;
	iotb_strbuf_release(&msg);
	return f;
}

struct iotb_finding *iotb_emit(const struct iotb_rule_ctx *rc, const char *path,
                               unsigned line, unsigned col, const char *fmt, ...)
{
	struct iotb_finding *f;
	va_list ap;

	va_start(ap, fmt);
	f = iotb_vemit(rc, path, line, col, fmt, ap);
	va_end(ap);
	return f;
}
