/*
 * report_json.c — the JSON report (schema: docs/report.schema.json, version
 * IOTB_REPORT_SCHEMA_VERSION; fields: docs/report-format.md).
 *
 * One object: tool, threshold and exit status, every finding (suppressed
 * ones too, with their "suppressed" key), every artifact with its facts,
 * and the summary with the per-clause view.  Keys keep insertion order;
 * the input is sorted, so -j1 and -jN give the same bytes.  Every string
 * is valid UTF-8: file names are sanitized for "path" and percent-encoded
 * from their raw bytes for "uri".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* A JSON string of s with invalid UTF-8 bytes shown as \xNN. */
static json_t *clean_string(const char *s)
{
	char *utf8 = iotb_utf8_sanitize(s ? s : "", s ? strlen(s) : 0);
	json_t *j = json_string(utf8);

	free(utf8);
	return j;
}

static json_t *uri_string(const char *path)
{
	char *uri = iotb_uri_encode_path(path ? path : "");
	json_t *j = json_string(uri);

	free(uri);
	return j;
}

static json_t *findings_json(const struct iotb_results *res)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < res->nfindings; i++)
		if (res->findings[i].rule)
			json_array_append_new(arr, iotb_finding_to_json(&res->findings[i]));
	return arr;
}

static json_t *artifact_json(const struct iotb_artifact *a)
{
	json_t *obj = json_object();

	json_object_set_new(obj, "path", clean_string(a->path));
	json_object_set_new(obj, "uri", uri_string(a->path));
	json_object_set_new(obj, "kind", clean_string(a->kind ? a->kind : "other"));
	if (a->engine)
		json_object_set_new(obj, "engine", clean_string(a->engine));
	if (a->facts)
		json_object_set(obj, "facts", a->facts);
	return obj;
}

static json_t *artifacts_json(const struct iotb_results *res)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < res->nartifacts; i++)
		json_array_append_new(arr, artifact_json(&res->artifacts[i]));
	return arr;
}

static json_t *severity_counts(unsigned long errors, unsigned long warnings,
                               unsigned long notes)
{
	return json_pack("{s:I, s:I, s:I}", "error", (json_int_t)errors,
	                 "warning", (json_int_t)warnings, "note", (json_int_t)notes);
}

static json_t *clause_json(const struct iotb_clause_summary *s)
{
	const struct iotb_clause *cl = s->clause;
	json_t *obj = json_object(), *ran = json_array();
	size_t i;

	json_object_set_new(obj, "id", clean_string(cl->id));
	json_object_set_new(obj, "title", clean_string(cl->title));
	json_object_set_new(obj, "kind", json_string(cl->kind == IOTB_CLAUSE_REQUIREMENT
	                                             ? "requirement" : "recommendation"));
	json_object_set_new(obj, "section", clean_string(cl->section));
	json_object_set_new(obj, "findings", severity_counts(s->errors, s->warnings, s->notes));
	for (i = 0; i < s->rules_ran.n; i++)
		json_array_append_new(ran, clean_string(s->rules_ran.v[i]));
	json_object_set_new(obj, "rules_ran", ran);
	json_object_set_new(obj, "status", json_string(iotb_clause_status(s)));
	return obj;
}

static json_t *summary_json(const struct iotb_report_ctx *ctx)
{
	const struct iotb_results *res = ctx->res;
	struct iotb_clause_summary *sums;
	struct iotb_report_counts c;
	json_t *obj = json_object(), *kinds = json_object(), *clauses = json_array();
	size_t n, i;

	iotb_report_count(res, &c);
	json_object_set_new(obj, "files_seen", json_integer((json_int_t)res->files_seen));
	json_object_set_new(obj, "findings",
	                    json_pack("{s:I, s:I, s:I, s:I}",
	                              "error", (json_int_t)c.errors,
	                              "warning", (json_int_t)c.warnings,
	                              "note", (json_int_t)c.notes,
	                              "suppressed", (json_int_t)c.suppressed));
	for (i = 0; i < res->nskipped; i++) {
		char *kind = iotb_utf8_sanitize(res->skipped[i].kind,
		                                strlen(res->skipped[i].kind));

		json_object_set_new(kinds, kind, json_integer((json_int_t)res->skipped[i].count));
		free(kind);
	}
	json_object_set_new(obj, "not_analysed_kinds", kinds);

	sums = iotb_clause_summaries(ctx, &n);
	for (i = 0; i < n; i++)
		json_array_append_new(clauses, clause_json(&sums[i]));
	iotb_clause_summaries_free(sums, n);
	json_object_set_new(obj, "clauses", clauses);
	return obj;
}

static const char *threshold_name(int fail_on)
{
	if (fail_on == IOTB_SEV_NEVER)
		return "never";
	return iotb_severity_name((enum iotb_severity)fail_on);
}

/* The whole report as one JSON object (new reference). */
static json_t *report_json(const struct iotb_report_ctx *ctx)
{
	json_t *root = json_object();

	json_object_set_new(root, "schema_version", json_string(IOTB_REPORT_SCHEMA_VERSION));
	json_object_set_new(root, "tool", json_pack("{s:s, s:s}", "name", "iotbaseline",
	                                            "version", IOTB_VERSION));
	json_object_set_new(root, "fail_on", json_string(threshold_name(ctx->fail_on)));
	json_object_set_new(root, "exit_status", json_integer(ctx->exit_status));
	json_object_set_new(root, "findings", findings_json(ctx->res));
	json_object_set_new(root, "artifacts", artifacts_json(ctx->res));
	json_object_set_new(root, "summary", summary_json(ctx));
	return root;
}

static int write_json(FILE *out, const struct iotb_report_ctx *ctx)
{
	json_t *root = report_json(ctx);
	int rc = 0;

	if (json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0 ||
	    fputc('\n', out) == EOF || fflush(out) != 0)
		rc = iotb_fail("cannot write the JSON report: %s", strerror(errno));
	json_decref(root);
	return rc;
}

const struct iotb_reporter iotb_reporter_json = {
	.name = "json",
	.write = write_json,
};
