/*
 * report_sarif.c — SARIF 2.1.0 (OASIS, errata 01) as GitHub code scanning
 * ingests it; fields: docs/report-format.md "SARIF".
 *
 * One run.  tool.driver.rules[] holds every rule of the catalogue with
 * shortDescription/fullDescription/help from its YAML, defaultConfiguration,
 * and properties.security-severity ("0.0"–"10.0") and tags ("security",
 * "external/cwe/cwe-N", then the clause ids, primary first, at most 20).
 * Each result carries our fingerprint as partialFingerprints.
 * primaryLocationLineHash and a region with startLine, startColumn, endLine
 * and endColumn (binary findings: line 1 column 1, plus a physicalLocation
 * address with the offset).  URIs are relative to %SRCROOT%
 * (res->source_root, given in originalUriBaseIds) and percent-encoded from
 * the raw bytes.  Facts go to run.artifacts[].properties.facts, code flows
 * to codeFlows, related locations to relatedLocations, the effective
 * config to invocations[0].properties.
 *
 * Suppressed findings are results with a "suppressions" entry; with a
 * baseline, every result has a baselineState (new / unchanged) and baseline
 * entries not found again are "absent" results.  GitHub shows at most 5,000
 * results of a run and rejects runs over 25,000: above 5,000 the writer
 * prints a note on stderr and records it in toolExecutionNotifications
 * (split the scan and give each part its own category with
 * $IOTB_SARIF_CATEGORY).  No time stamps and no command line, so -j1 and
 * -jN give the same bytes.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "report_util.h"

#define SARIF_SCHEMA \
	"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
#define SRCROOT "%SRCROOT%"
#define GITHUB_SHOWN_RESULTS 5000
#define GITHUB_MAX_RESULTS 25000
#define GITHUB_MAX_TAGS 20
#define GITHUB_MAX_RELATED 1000
#define GITHUB_MAX_FLOW_STEPS 10000

static const char *sarif_level(enum iotb_severity sev)
{
	return sev == IOTB_SEV_ERROR ? "error" : sev == IOTB_SEV_WARNING ? "warning" : "note";
}

/* --- rules --- */

/* help.text: remediation, the clauses with their (own-words) titles, CWE. */
static char *rule_help(const struct iotb_report_ctx *ctx, const struct iotb_rule *rule)
{
	struct iotb_strbuf sb;
	char *text = iotb_report_trim(rule->remediation ? rule->remediation : rule->description);
	size_t i;

	iotb_strbuf_init(&sb);
	iotb_strbuf_adds(&sb, text);
	free(text);
	if (rule->nclauses)
		iotb_strbuf_adds(&sb, "\n\nISO/IEC 27402 clauses this rule bears on:");
	for (i = 0; i < rule->nclauses; i++) {
		const struct iotb_clause *cl = iotb_catalogue_clause(ctx->cat, rule->clauses[i]);

		iotb_strbuf_addf(&sb, "\n- %s%s%s", rule->clauses[i], cl ? ": " : "",
		                 cl ? cl->title : "");
	}
	if (rule->ncwes)
		iotb_strbuf_adds(&sb, "\n\nCWE:");
	for (i = 0; i < rule->ncwes; i++)
		iotb_strbuf_addf(&sb, "%s CWE-%d", i ? "," : "", rule->cwes[i]);
	return iotb_strbuf_detach(&sb);
}

static json_t *rule_tags(const struct iotb_rule *rule)
{
	json_t *tags = json_array();
	size_t i;

	json_array_append_new(tags, json_string("security"));
	for (i = 0; i < rule->ncwes && json_array_size(tags) < GITHUB_MAX_TAGS; i++) {
		char tag[48];

		snprintf(tag, sizeof(tag), "external/cwe/cwe-%d", rule->cwes[i]);
		json_array_append_new(tags, json_string(tag));
	}
	for (i = 0; i < rule->nclauses && json_array_size(tags) < GITHUB_MAX_TAGS; i++)
		json_array_append_new(tags, iotb_report_jstr(rule->clauses[i]));
	return tags;
}

static json_t *text_message(const char *text)
{
	json_t *msg = json_object();
	char *trimmed = iotb_report_trim(text);

	json_object_set_new(msg, "text", iotb_report_jstr(trimmed));
	free(trimmed);
	return msg;
}

static json_t *rule_json(const struct iotb_report_ctx *ctx, const struct iotb_rule *rule)
{
	json_t *obj = json_object(), *props = json_object(), *cfg = json_object();
	char severity[16], *help = rule_help(ctx, rule);
	double s = rule->security_severity;

	if (s < 0.0)
		s = 0.0;
	if (s > 10.0)
		s = 10.0;
	snprintf(severity, sizeof(severity), "%.1f", s);
	json_object_set_new(obj, "id", iotb_report_jstr(rule->id));
	json_object_set_new(obj, "shortDescription", text_message(rule->title));
	json_object_set_new(obj, "fullDescription", text_message(rule->description));
	json_object_set_new(obj, "help", text_message(help));
	json_object_set_new(cfg, "enabled", json_boolean(rule->enabled));
	json_object_set_new(cfg, "level", json_string(sarif_level(rule->severity)));
	json_object_set_new(obj, "defaultConfiguration", cfg);
	json_object_set_new(props, "security-severity", json_string(severity));
	json_object_set_new(props, "tags", rule_tags(rule));
	json_object_set_new(obj, "properties", props);
	free(help);
	return obj;
}

static json_t *rules_json(const struct iotb_report_ctx *ctx)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < ctx->cat->nrules; i++)
		json_array_append_new(arr, rule_json(ctx, &ctx->cat->rules[i]));
	return arr;
}

/* Index of rule in the catalogue (= tool.driver.rules[]), or -1. */
static long rule_index(const struct iotb_report_ctx *ctx, const char *id)
{
	const struct iotb_rule *rule = id ? iotb_catalogue_rule(ctx->cat, id) : NULL;

	return rule ? (long)(rule - ctx->cat->rules) : -1;
}

/* --- locations --- */

/* artifactLocation: relative to %SRCROOT% when inside it, else file://. */
static json_t *artifact_location(const struct iotb_report_ctx *ctx, const char *path)
{
	json_t *obj = json_object();
	char *rel = iotb_report_rel_path(ctx->res, path), *uri;

	if (rel[0] == '/') {
		char *enc = iotb_uri_encode_path(rel);

		uri = iotb_xasprintf("file://%s", enc);
		free(enc);
		json_object_set_new(obj, "uri", json_string(uri));
	} else {
		uri = iotb_uri_encode_path(rel);
		json_object_set_new(obj, "uri", json_string(uri));
		json_object_set_new(obj, "uriBaseId", json_string(SRCROOT));
	}
	free(uri);
	free(rel);
	return obj;
}

/* Every region has all four of startLine/startColumn/endLine/endColumn
 * (GitHub); a place without a line is line 1, column 1. */
static json_t *region_json(const struct iotb_location *loc)
{
	unsigned sl = loc->line ? loc->line : 1;
	unsigned sc = loc->line && loc->col ? loc->col : 1;
	unsigned el = loc->line && loc->end_line >= sl ? loc->end_line : sl;
	unsigned ec = sc + 1;

	if (loc->line && loc->end_col && (el > sl || loc->end_col >= sc))
		ec = loc->end_col;
	return json_pack("{s:I, s:I, s:I, s:I}", "startLine", (json_int_t)sl,
	                 "startColumn", (json_int_t)sc, "endLine", (json_int_t)el,
	                 "endColumn", (json_int_t)ec);
}

/* Binary place: a file offset is an absoluteAddress; an offset inside a
 * named section a relativeAddress with the section as name. */
static json_t *address_json(const struct iotb_location *loc)
{
	json_t *addr = json_object();

	if (loc->section && loc->has_offset) {
		char *section = iotb_report_clean(loc->section, "");
		char *full = iotb_xasprintf("%s+0x%" PRIx64, section, loc->offset);

		json_object_set_new(addr, "relativeAddress", json_integer((json_int_t)loc->offset));
		json_object_set_new(addr, "name", json_string(section));
		json_object_set_new(addr, "fullyQualifiedName", json_string(full));
		free(full);
		free(section);
	} else if (loc->has_offset) {
		json_object_set_new(addr, "absoluteAddress", json_integer((json_int_t)loc->offset));
	} else if (loc->section) {
		json_object_set_new(addr, "kind", json_string("section"));
		json_object_set_new(addr, "name", iotb_report_jstr(loc->section));
	}
	return addr;
}

static json_t *physical_location(const struct iotb_report_ctx *ctx,
                                 const struct iotb_location *loc)
{
	json_t *phys = json_object();

	json_object_set_new(phys, "artifactLocation", artifact_location(ctx, loc->path));
	json_object_set_new(phys, "region", region_json(loc));
	if (loc->line == 0 && (loc->has_offset || loc->section))
		json_object_set_new(phys, "address", address_json(loc));
	return phys;
}

/* A location; message and the enclosing function when given. */
static json_t *location_json(const struct iotb_report_ctx *ctx,
                             const struct iotb_location *loc, const char *function)
{
	json_t *obj = json_object();

	json_object_set_new(obj, "physicalLocation", physical_location(ctx, loc));
	if (loc->symbol || function) {
		json_t *logical = json_object();

		if (loc->symbol) {
			json_object_set_new(logical, "name", iotb_report_jstr(loc->symbol));
			json_object_set_new(logical, "kind", json_string("function"));
		} else {
			json_object_set_new(logical, "fullyQualifiedName", iotb_report_jstr(function));
		}
		json_object_set_new(obj, "logicalLocations", json_pack("[o]", logical));
	}
	if (loc->message)
		json_object_set_new(obj, "message", text_message(loc->message));
	return obj;
}

static json_t *related_json(const struct iotb_report_ctx *ctx, const struct iotb_finding *f)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < f->nrelated && i < GITHUB_MAX_RELATED; i++) {
		json_t *loc = location_json(ctx, &f->related[i], NULL);

		json_object_set_new(loc, "id", json_integer((json_int_t)i));
		json_array_append_new(arr, loc);
	}
	return arr;
}

static json_t *code_flows_json(const struct iotb_report_ctx *ctx, const struct iotb_finding *f)
{
	json_t *steps = json_array();
	size_t i;

	for (i = 0; i < f->nflow && i < GITHUB_MAX_FLOW_STEPS; i++)
		json_array_append_new(steps, json_pack("{s:o, s:I}", "location",
		                                       location_json(ctx, &f->flow[i], NULL),
		                                       "executionOrder", (json_int_t)i + 1));
	return json_pack("[{s:[{s:o}]}]", "threadFlows", "locations", steps);
}

/* --- results --- */

static bool is_inline_suppression(const struct iotb_results *res, const struct iotb_finding *f)
{
	size_t i;

	for (i = 0; i < res->ninline; i++) {
		const struct iotb_inline_supp *s = &res->inline_supps[i];

		if (s->reason && s->path && f->loc.path && !strcmp(s->path, f->loc.path) &&
		    !strcmp(s->reason, f->suppressed_by))
			return true;
	}
	return false;
}

static json_t *suppressions_json(const struct iotb_report_ctx *ctx,
                                 const struct iotb_finding *f)
{
	bool in_source = !iotb_finding_is_baselined(f) && is_inline_suppression(ctx->res, f);
	const char *why = iotb_finding_is_baselined(f)
	                  ? "accepted in the baseline" : f->suppressed_by;

	return json_pack("[{s:s, s:s, s:o}]", "kind", in_source ? "inSource" : "external",
	                 "status", "accepted", "justification", iotb_report_jstr(why));
}

static json_t *result_properties(const struct iotb_finding *f)
{
	json_t *props = json_object(), *clauses = json_array(), *cwes = json_array();
	size_t i;

	for (i = 0; i < f->rule->nclauses; i++)
		json_array_append_new(clauses, iotb_report_jstr(f->rule->clauses[i]));
	for (i = 0; i < f->rule->ncwes; i++)
		json_array_append_new(cwes, json_integer(f->rule->cwes[i]));
	json_object_set_new(props, "clauses", clauses);
	json_object_set_new(props, "cwe", cwes);
	if (f->evidence)
		json_object_set_new(props, "evidence", iotb_report_jstr(f->evidence));
	if (f->properties && json_is_object(f->properties))
		json_object_set(props, "iotb", f->properties);
	return props;
}

static json_t *result_json(const struct iotb_report_ctx *ctx, const struct iotb_finding *f)
{
	json_t *obj = json_object();
	char *text = f->evidence ? iotb_xasprintf("%s (evidence: %s)", f->message ? f->message : "",
	                                          f->evidence)
	                         : iotb_xstrdup(f->message ? f->message : "");

	json_object_set_new(obj, "ruleId", iotb_report_jstr(f->rule->id));
	json_object_set_new(obj, "ruleIndex", json_integer(rule_index(ctx, f->rule->id)));
	json_object_set_new(obj, "level", json_string(sarif_level(f->severity)));
	json_object_set_new(obj, "message", text_message(text));
	json_object_set_new(obj, "locations",
	                    json_pack("[o]", location_json(ctx, &f->loc, f->function)));
	json_object_set_new(obj, "partialFingerprints",
	                    json_pack("{s:s}", "primaryLocationLineHash", f->fingerprint));
	if (f->nrelated)
		json_object_set_new(obj, "relatedLocations", related_json(ctx, f));
	if (f->nflow)
		json_object_set_new(obj, "codeFlows", code_flows_json(ctx, f));
	if (f->suppressed_by)
		json_object_set_new(obj, "suppressions", suppressions_json(ctx, f));
	if (ctx->baseline)
		json_object_set_new(obj, "baselineState",
		                    json_string(iotb_baseline_state(ctx->baseline, f)));
	json_object_set_new(obj, "properties", result_properties(f));
	free(text);
	return obj;
}

static int cmp_entry_place(const void *pa, const void *pb)
{
	const struct iotb_baseline_entry *a = *(const struct iotb_baseline_entry *const *)pa;
	const struct iotb_baseline_entry *b = *(const struct iotb_baseline_entry *const *)pb;
	int c = strcmp(a->path ? a->path : "", b->path ? b->path : "");

	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if ((c = strcmp(a->rule ? a->rule : "", b->rule ? b->rule : "")))
		return c;
	return strcmp(a->fingerprint, b->fingerprint);
}

/* A baseline entry no finding matched: baselineState "absent". */
static json_t *absent_json(const struct iotb_report_ctx *ctx,
                           const struct iotb_baseline_entry *e)
{
	json_t *obj = json_object();
	const struct iotb_rule *rule = e->rule ? iotb_catalogue_rule(ctx->cat, e->rule) : NULL;
	struct iotb_location loc = { 0 };
	json_t *phys;

	if (e->rule)
		json_object_set_new(obj, "ruleId", iotb_report_jstr(e->rule));
	if (rule)
		json_object_set_new(obj, "ruleIndex", json_integer(rule_index(ctx, e->rule)));
	json_object_set_new(obj, "level", json_string(rule ? sarif_level(rule->severity) : "note"));
	json_object_set_new(obj, "message", text_message(e->message ? e->message
	                                                 : "finding in the baseline"));
	if (e->path) {
		/* Baseline paths are already relative to the source root. */
		char *uri = iotb_uri_encode_path(e->path);

		loc.line = e->line;
		phys = json_pack("{s:{s:s, s:s}, s:o}", "artifactLocation", "uri", uri,
		                 "uriBaseId", SRCROOT, "region", region_json(&loc));
		json_object_set_new(obj, "locations", json_pack("[{s:o}]", "physicalLocation", phys));
		free(uri);
	}
	json_object_set_new(obj, "partialFingerprints",
	                    json_pack("{s:s}", "primaryLocationLineHash", e->fingerprint));
	json_object_set_new(obj, "baselineState", json_string("absent"));
	return obj;
}

static void add_absent(const struct iotb_report_ctx *ctx, json_t *results)
{
	const struct iotb_baseline *bl = ctx->baseline;
	const struct iotb_baseline_entry **v;
	size_t i, n = 0;

	if (!bl || !bl->n)
		return;
	v = iotb_xcalloc(bl->n, sizeof(*v));
	for (i = 0; i < bl->n; i++)
		if (!bl->entries[i].present)
			v[n++] = &bl->entries[i];
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_entry_place);
	for (i = 0; i < n; i++)
		json_array_append_new(results, absent_json(ctx, v[i]));
	free(v);
}

static json_t *results_json(const struct iotb_report_ctx *ctx)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < ctx->res->nfindings; i++)
		if (ctx->res->findings[i].rule)
			json_array_append_new(arr, result_json(ctx, &ctx->res->findings[i]));
	add_absent(ctx, arr);
	return arr;
}

/* --- run --- */

static json_t *artifact_json(const struct iotb_report_ctx *ctx, const struct iotb_artifact *a)
{
	json_t *obj = json_object(), *props = json_object();

	json_object_set_new(obj, "location", artifact_location(ctx, a->path));
	json_object_set_new(obj, "roles", json_pack("[s]", "analysisTarget"));
	if (a->kind && (!strcmp(a->kind, "c-source") || !strcmp(a->kind, "c-header")))
		json_object_set_new(obj, "sourceLanguage", json_string("c"));
	json_object_set_new(props, "kind", iotb_report_jstr(a->kind ? a->kind : "other"));
	if (a->engine)
		json_object_set_new(props, "engine", iotb_report_jstr(a->engine));
	if (a->facts)
		json_object_set(props, "facts", a->facts);
	json_object_set_new(obj, "properties", props);
	return obj;
}

static json_t *artifacts_json(const struct iotb_report_ctx *ctx)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < ctx->res->nartifacts; i++)
		json_array_append_new(arr, artifact_json(ctx, &ctx->res->artifacts[i]));
	return arr;
}

static const char *threshold_name(int fail_on)
{
	return fail_on == IOTB_SEV_NEVER ? "never"
	                                 : iotb_severity_name((enum iotb_severity)fail_on);
}

/* The result-count note (GitHub's limits), or NULL when within them. */
static char *limit_note(size_t nresults)
{
	if (nresults > GITHUB_MAX_RESULTS)
		return iotb_xasprintf("this SARIF run has %zu results: GitHub code scanning rejects "
		                      "runs with more than %d; split the scan by path and give "
		                      "each part its own category ($IOTB_SARIF_CATEGORY)",
		                      nresults, GITHUB_MAX_RESULTS);
	if (nresults > GITHUB_SHOWN_RESULTS)
		return iotb_xasprintf("this SARIF run has %zu results: GitHub code scanning keeps "
		                      "only the %d most severe of a run; split the scan by path "
		                      "and give each part its own category ($IOTB_SARIF_CATEGORY)",
		                      nresults, GITHUB_SHOWN_RESULTS);
	return NULL;
}

static json_t *invocation_json(const struct iotb_report_ctx *ctx, const char *note,
                               size_t nresults)
{
	json_t *inv = json_object(), *props = json_object();
	const struct iotb_config *cfg = ctx->cfg;
	struct iotb_report_tally t;

	json_object_set_new(inv, "executionSuccessful", json_true());
	json_object_set_new(inv, "exitCode", json_integer(ctx->exit_status));
	if (note)
		json_object_set_new(inv, "toolExecutionNotifications",
		                    json_pack("[{s:s, s:{s:o}}]", "level",
		                              nresults > GITHUB_MAX_RESULTS ? "error" : "warning",
		                              "message", "text", iotb_report_jstr(note)));
	json_object_set_new(props, "failOn", json_string(threshold_name(ctx->fail_on)));
	if (cfg && cfg->path)
		json_object_set_new(props, "configFile", iotb_report_jstr(cfg->path));
	json_object_set_new(props, "effectiveConfig",
	                    cfg && cfg->effective ? json_incref(cfg->effective) : json_object());
	if (ctx->baseline) {
		iotb_report_tally(ctx, &t);
		json_object_set_new(props, "baseline",
		                    json_pack("{s:o, s:I, s:I}", "file",
		                              iotb_report_jstr(ctx->baseline->path),
		                              "unchanged", (json_int_t)ctx->baseline->n -
		                                           (json_int_t)t.absent,
		                              "absent", (json_int_t)t.absent));
	}
	json_object_set_new(inv, "properties", props);
	return inv;
}

/* automationDetails.id: "<category>/"; category $IOTB_SARIF_CATEGORY or
 * "iotbaseline". */
static json_t *automation_id(void)
{
	const char *cat = getenv("IOTB_SARIF_CATEGORY");
	char *id;
	json_t *j;

	if (!cat || !*cat)
		cat = "iotbaseline";
	id = iotb_xasprintf("%s%s", cat, cat[strlen(cat) - 1] == '/' ? "" : "/");
	j = json_pack("{s:o}", "id", iotb_report_jstr(id));
	free(id);
	return j;
}

static json_t *base_ids(const struct iotb_report_ctx *ctx)
{
	char *root = iotb_path_absolute(NULL, ctx->res->source_root ? ctx->res->source_root : ".");
	char *enc = iotb_uri_encode_path(root);
	char *uri = iotb_xasprintf("file://%s%s", enc, strcmp(root, "/") ? "/" : "");
	json_t *j = json_pack("{s:{s:s, s:{s:s}}}", SRCROOT, "uri", uri, "description",
	                      "text", "The source root (--source-root, default the git "
	                      "work-tree top); result URIs are relative to it.");

	free(uri);
	free(enc);
	free(root);
	return j;
}

static json_t *run_properties(const struct iotb_results *res)
{
	json_t *kinds = json_object();
	size_t i;

	for (i = 0; i < res->nskipped; i++) {
		char *kind = iotb_report_clean(res->skipped[i].kind, "");

		json_object_set_new(kinds, kind, json_integer((json_int_t)res->skipped[i].count));
		free(kind);
	}
	return json_pack("{s:I, s:o}", "filesSeen", (json_int_t)res->files_seen,
	                 "notAnalysedKinds", kinds);
}

static json_t *sarif_json(const struct iotb_report_ctx *ctx)
{
	json_t *run = json_object(), *results = results_json(ctx);
	json_t *driver = json_object();
	size_t nresults = json_array_size(results);
	char *note = limit_note(nresults);

	json_object_set_new(driver, "name", json_string("iotbaseline"));
	json_object_set_new(driver, "version", json_string(IOTB_VERSION));
	json_object_set_new(driver, "semanticVersion", json_string(IOTB_VERSION));
	json_object_set_new(driver, "rules", rules_json(ctx));
	json_object_set_new(run, "tool", json_pack("{s:o}", "driver", driver));
	json_object_set_new(run, "automationDetails", automation_id());
	json_object_set_new(run, "originalUriBaseIds", base_ids(ctx));
	json_object_set_new(run, "invocations",
	                    json_pack("[o]", invocation_json(ctx, note, nresults)));
	json_object_set_new(run, "artifacts", artifacts_json(ctx));
	json_object_set_new(run, "results", results);
	json_object_set_new(run, "properties", run_properties(ctx->res));
	if (note)
		fprintf(stderr, "iotb: note: %s\n", note);
	free(note);
	return json_pack("{s:s, s:s, s:[o]}", "$schema", SARIF_SCHEMA, "version", "2.1.0",
	                 "runs", run);
}

static int write_sarif(FILE *out, const struct iotb_report_ctx *ctx)
{
	json_t *root = sarif_json(ctx);
	char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	struct iotb_strbuf sb;
	int rc;

	iotb_strbuf_init(&sb);
	iotb_strbuf_adds(&sb, text ? text : "");
	iotb_strbuf_adds(&sb, "\n");
	rc = text ? iotb_report_emit(out, sb.buf, sb.len, "SARIF")
	          : iotb_fail("cannot write the SARIF report: %s", "JSON encoding failed");
	iotb_strbuf_release(&sb);
	free(text);
	json_decref(root);
	return rc;
}

const struct iotb_reporter iotb_reporter_sarif = {
	.name = "sarif",
	.write = write_sarif,
};
