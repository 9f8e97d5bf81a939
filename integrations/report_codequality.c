/*
 * report_codequality.c — GitLab Code Quality JSON (the CodeClimate issue
 * subset every GitLab tier reads from `artifacts:reports:codequality`);
 * fields: docs/report-format.md "GitLab Code Quality".
 *
 * A JSON array with one object per shown finding (suppressed and
 * baselined ones left out; GitLab has no notion of them):
 *   type "issue", check_name (rule id), description (message, masked
 *   evidence), content.body (rule title, clauses, CWE, remediation),
 *   categories ["Security"], severity (error → critical, warning → major,
 *   note → minor), fingerprint (ours: unique, stable across line moves),
 *   location.path (repository-relative, no "./"), location.lines.begin
 *   (1 for binaries) or, with a column, location.positions.begin/end.
 * Sorted like every report; no time stamps.
 */
#include <stdlib.h>
#include <string.h>

#include "report_util.h"

static const char *cq_severity(enum iotb_severity sev)
{
	return sev == IOTB_SEV_ERROR ? "critical" : sev == IOTB_SEV_WARNING ? "major" : "minor";
}

static char *body_text(const struct iotb_rule *rule)
{
	struct iotb_strbuf sb;
	char *remediation = iotb_report_trim(rule->remediation ? rule->remediation
	                                                       : rule->description);
	size_t i;

	iotb_strbuf_init(&sb);
	iotb_strbuf_addf(&sb, "%s (%s)", rule->title, rule->id);
	if (rule->nclauses)
		iotb_strbuf_adds(&sb, "\n\nISO/IEC 27402:");
	for (i = 0; i < rule->nclauses; i++)
		iotb_strbuf_addf(&sb, "%s %s", i ? "," : "", rule->clauses[i]);
	if (rule->ncwes)
		iotb_strbuf_adds(&sb, "\n\nCWE:");
	for (i = 0; i < rule->ncwes; i++)
		iotb_strbuf_addf(&sb, "%s CWE-%d", i ? "," : "", rule->cwes[i]);
	iotb_strbuf_addf(&sb, "\n\n%s", remediation);
	free(remediation);
	return iotb_strbuf_detach(&sb);
}

static json_t *location_json(const struct iotb_report_ctx *ctx, const struct iotb_finding *f)
{
	char *rel = iotb_report_rel_path(ctx->res, f->loc.path);
	const char *path = strncmp(rel, "./", 2) ? rel : rel + 2;
	unsigned line = f->loc.line ? f->loc.line : 1;
	json_t *loc = json_object();

	json_object_set_new(loc, "path", iotb_report_jstr(path));
	if (f->loc.line && f->loc.col) {
		unsigned end_line = f->loc.end_line >= line ? f->loc.end_line : line;
		unsigned end_col = f->loc.end_col ? f->loc.end_col : f->loc.col;

		if (end_line == line && end_col < f->loc.col)
			end_col = f->loc.col;
		json_object_set_new(loc, "positions",
		                    json_pack("{s:{s:I, s:I}, s:{s:I, s:I}}",
		                              "begin", "line", (json_int_t)line,
		                              "column", (json_int_t)f->loc.col,
		                              "end", "line", (json_int_t)end_line,
		                              "column", (json_int_t)end_col));
	} else {
		json_object_set_new(loc, "lines", json_pack("{s:I}", "begin", (json_int_t)line));
	}
	free(rel);
	return loc;
}

/* description: message, masked evidence, and for binaries the place in
 * the file (" at [.rodata+0x1f30 sym foo]"), since GitLab shows a line. */
static void add_description(struct iotb_strbuf *desc, const struct iotb_finding *f)
{
	struct iotb_location place = f->loc;

	iotb_strbuf_adds(desc, f->message ? f->message : "");
	if (f->evidence)
		iotb_strbuf_addf(desc, " (evidence: %s)", f->evidence);
	if (iotb_report_is_binary_place(&f->loc)) {
		place.path = NULL;
		iotb_strbuf_adds(desc, " at");
		iotb_report_add_place(desc, &place);
	}
}

static json_t *issue_json(const struct iotb_report_ctx *ctx, const struct iotb_finding *f)
{
	json_t *obj = json_object();
	struct iotb_strbuf desc;
	char *body = body_text(f->rule);

	iotb_strbuf_init(&desc);
	add_description(&desc, f);
	json_object_set_new(obj, "type", json_string("issue"));
	json_object_set_new(obj, "check_name", iotb_report_jstr(f->rule->id));
	json_object_set_new(obj, "description", iotb_report_jstr(desc.buf));
	json_object_set_new(obj, "content", json_pack("{s:o}", "body", iotb_report_jstr(body)));
	json_object_set_new(obj, "categories", json_pack("[s]", "Security"));
	json_object_set_new(obj, "severity", json_string(cq_severity(f->severity)));
	json_object_set_new(obj, "fingerprint", json_string(f->fingerprint));
	json_object_set_new(obj, "location", location_json(ctx, f));
	json_object_set_new(obj, "engine_name", json_string("iotbaseline"));
	iotb_strbuf_release(&desc);
	free(body);
	return obj;
}

static int write_codequality(FILE *out, const struct iotb_report_ctx *ctx)
{
	json_t *arr = json_array();
	struct iotb_strbuf sb;
	char *text;
	size_t i;
	int rc;

	for (i = 0; i < ctx->res->nfindings; i++)
		if (iotb_report_is_shown(&ctx->res->findings[i]))
			json_array_append_new(arr, issue_json(ctx, &ctx->res->findings[i]));
	text = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	iotb_strbuf_init(&sb);
	iotb_strbuf_adds(&sb, text ? text : "");
	iotb_strbuf_adds(&sb, "\n");
	rc = text ? iotb_report_emit(out, sb.buf, sb.len, "Code Quality")
	          : iotb_fail("cannot write the Code Quality report: %s", "JSON encoding failed");
	iotb_strbuf_release(&sb);
	free(text);
	json_decref(arr);
	return rc;
}

const struct iotb_reporter iotb_reporter_codequality = {
	.name = "codequality",
	.write = write_codequality,
};
