/*
 * test_report.c — the reporter table, the text and JSON reports, the
 * per-clause summary, clause ordering and URI encoding.  Result sets are
 * built by hand over a fixture catalogue (clauses + scan.* and fixture.*
 * rules) written under th_tmpdir("report-cat").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "report.h"
#include "test_helpers.h"

static const char fixture_clauses[] =
	"clauses:\n"
	"  - id: \"5.2.10.1\"\n"
	"    title: Fixture tenth group\n"
	"    kind: requirement\n"
	"  - id: \"5.2.9.1.1\"\n"
	"    title: Fixture ninth group\n"
	"    kind: requirement\n"
	"  - id: \"5.2.6.2\"\n"
	"    title: Fixture input validation\n"
	"    kind: recommendation\n"
	"  - id: \"5.2.6.1.4\"\n"
	"    title: Fixture no common secrets\n"
	"    kind: requirement\n"
	"  - id: \"5.2.5.2.3\"\n"
	"    title: Fixture unique parameters\n"
	"    kind: recommendation\n"
	"  - id: \"5.1.1.1.5 f\"\n"
	"    title: Fixture applicability statement\n"
	"    kind: requirement\n";

static const char fixture_scan_rules[] =
	"rules:\n"
	"  - id: scan.fixture-note\n"
	"    title: Fixture note\n"
	"    severity: note\n"
	"    clauses: []\n"
	"    cwe: []\n"
	"    description: A tool-health note without clauses.\n"
	"  - id: scan.fixture-input\n"
	"    title: Fixture input check\n"
	"    severity: warning\n"
	"    clauses: [\"5.2.6.2\"]\n"
	"    cwe: [120, 676]\n"
	"    description: A scan rule naming a clause.\n";

/* Area "fixture" has no engine: its rules never count as having run. */
static const char fixture_rules[] =
	"rules:\n"
	"  - id: fixture.secret\n"
	"    title: Fixture secret\n"
	"    severity: error\n"
	"    clauses: [\"5.2.6.1.4\", \"5.2.5.2.3\"]\n"
	"    cwe: [798]\n"
	"    description: A rule with two clauses.\n"
	"  - id: fixture.off\n"
	"    title: Fixture off\n"
	"    severity: warning\n"
	"    clauses: [\"5.2.9.1.1\"]\n"
	"    description: A rule nothing emits.\n";

static const char secret[] = "hunter2-super-secret-pw";

static struct iotb_catalogue *fixture_cat(void)
{
	static struct iotb_catalogue *cat;

	if (!cat)
		cat = th_fixture_catalogue("report-cat", fixture_clauses, fixture_scan_rules,
					   fixture_rules);
	return cat;
}

static const struct iotb_rule *rule(const char *id)
{
	return th_rule(fixture_cat(), id);
}

static void add_source_secret(struct iotb_results *res)
{
	struct iotb_finding *f;

	f = iotb_results_add(res, rule("fixture.secret"), "src/net.c", 42, 7,
			     "hard-coded password in '%s'", "login");
	f->snippet = iotb_xstrdup("pw = \"...\"");
	iotb_finding_set_secret(f, secret, strlen(secret));
}

static void add_binary_copy(struct iotb_results *res)
{
	struct iotb_finding *f;

	f = iotb_results_add(res, rule("scan.fixture-input"), "bin/httpd", 0, 0,
			     "unsafe copy in binary");
	f->loc.section = iotb_xstrdup(".rodata");
	f->loc.offset = 0x1f30;
	f->loc.has_offset = true;
	f->loc.symbol = iotb_xstrdup("foo");
	f->function = iotb_xstrdup("foo");
}

static void add_partial_parse(struct iotb_results *res)
{
	struct iotb_finding *f;

	f = iotb_results_add(res, rule("scan.fixture-note"), "src/a.c", 3, 0,
			     "partial parse");
	f->snippet = iotb_xstrdup("#include <missing.h>");
}

static void add_suppressed(struct iotb_results *res)
{
	struct iotb_finding *f;

	f = iotb_results_add(res, rule("fixture.secret"), "src/z.c", 1, 1,
			     "hard-coded key");
	f->snippet = iotb_xstrdup("key");
	f->suppressed_by = iotb_xstrdup("test vector");
}

static void add_httpd_artifact(struct iotb_results *res)
{
	struct iotb_artifact *a = iotb_results_add_artifact(res, "bin/httpd", "elf");

	a->engine = iotb_xstrdup("elfcheck");
	a->facts = json_pack("{s:s, s:i}", "nx", "absent", "dt_needed", 2);
}

/* The standard set: three shown findings, one suppressed, two artifacts,
 * skipped kinds.  order permutes the insertion order. */
static void build_set(struct iotb_results *res, int order)
{
	void (*adders[4])(struct iotb_results *) = {
		add_source_secret, add_binary_copy, add_partial_parse, add_suppressed,
	};
	int i;

	iotb_results_init(res);
	for (i = 0; i < 4; i++)
		adders[(i + order) % 4](res);
	if (order % 2) {
		iotb_results_add_artifact(res, "src/bad\xff.c", "c-source");
		add_httpd_artifact(res);
	} else {
		add_httpd_artifact(res);
		iotb_results_add_artifact(res, "src/bad\xff.c", "c-source");
	}
	iotb_results_count_skipped(res, order % 2 ? "other" : "archive");
	iotb_results_count_skipped(res, "archive");
	iotb_results_count_skipped(res, order % 2 ? "archive" : "other");
	res->files_seen = 7;
	iotb_results_finish(res);
}

static void ctx_for(struct iotb_report_ctx *ctx, const struct iotb_results *res)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->res = res;
	ctx->cat = fixture_cat();
	ctx->fail_on = IOTB_SEV_ERROR;
	ctx->exit_status = 1;
}

/* Run reporter name into memory; returns the owned output. */
static char *run_reporter(const char *name, const struct iotb_report_ctx *ctx)
{
	const struct iotb_reporter *r = iotb_reporter_find(name);
	char *buf = NULL;
	size_t len = 0;
	FILE *out;

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	out = open_memstream(&buf, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_EQUAL(r->write(out, ctx), 0);
	fclose(out);
	return buf;
}

static char *text_of(const struct iotb_results *res)
{
	struct iotb_report_ctx ctx;

	ctx_for(&ctx, res);
	return run_reporter("text", &ctx);
}

/* --- the table --- */

static void test_reporter_table(void)
{
	CU_ASSERT_STRING_EQUAL(iotb_reporter_names(),
			       "text, json, sarif, junit, codequality, markdown, html, table");
	CU_ASSERT_PTR_NOT_NULL(iotb_reporter_find("text"));
	CU_ASSERT_STRING_EQUAL(iotb_reporter_find("json")->name, "json");
	CU_ASSERT_PTR_NULL(iotb_reporter_find("xml"));
	CU_ASSERT_PTR_NULL(iotb_reporter_find(""));
	CU_ASSERT_PTR_NULL(iotb_reporter_find(NULL));
}

/* --- clause ids and URIs --- */

static void test_clause_id_order(void)
{
	CU_ASSERT(iotb_clause_id_cmp("5.2.9", "5.2.10") < 0);
	CU_ASSERT(iotb_clause_id_cmp("5.2.10", "5.2.9") > 0);
	CU_ASSERT(iotb_clause_id_cmp("5.2.2", "5.2.2.1") < 0);
	CU_ASSERT(iotb_clause_id_cmp("5.2.2.1.1", "5.2.2.2") < 0);
	CU_ASSERT(iotb_clause_id_cmp("5.1.1.1.5", "5.1.1.1.5 f") < 0);
	CU_ASSERT(iotb_clause_id_cmp("5.1.1.1.5 f", "5.1.1.1.6") < 0);
	CU_ASSERT(iotb_clause_id_cmp("5.2.7.2 a", "5.2.7.2 b") < 0);
	CU_ASSERT(iotb_clause_id_cmp("5.1.3.1.2", "5.2.2.1.1") < 0);
	CU_ASSERT_EQUAL(iotb_clause_id_cmp("5.2.6.1.4", "5.2.6.1.4"), 0);
}

static void test_uri_encode(void)
{
	char *u;

	u = iotb_uri_encode_path("src/bad\xff.c");
	CU_ASSERT_STRING_EQUAL(u, "src/bad%FF.c");
	free(u);
	u = iotb_uri_encode_path("a b/c:d#e?f%g~h_i-j.k");
	CU_ASSERT_STRING_EQUAL(u, "a%20b/c%3Ad%23e%3Ff%25g~h_i-j.k");
	free(u);
	u = iotb_uri_encode_path("/abs/\xc3\xa9t\xc3\xa9\n");
	CU_ASSERT_STRING_EQUAL(u, "/abs/%C3%A9t%C3%A9%0A");
	free(u);
	u = iotb_uri_encode_path("");
	CU_ASSERT_STRING_EQUAL(u, "");
	free(u);
}

/* --- text: finding lines --- */

static void test_text_findings(void)
{
	struct iotb_results res;
	char *out, *masked, *want;

	build_set(&res, 0);
	out = text_of(&res);
	masked = iotb_mask_secret(secret, strlen(secret), NULL, 0);
	want = iotb_xasprintf(
		"bin/httpd: warning: unsafe copy in binary [scan.fixture-input] "
		"[.rodata+0x1f30 sym foo] [27402 5.2.6.2] [CWE-120,CWE-676]\n"
		"src/a.c:3: note: partial parse [scan.fixture-note]\n"
		"src/net.c:42:7: error: hard-coded password in 'login' [fixture.secret] "
		"[27402 5.2.6.1.4,5.2.5.2.3] [CWE-798]\n"
		"    evidence: %s\n"
		"\n"
		"summary: 7 files seen, 3 findings (1 error, 1 warning, 1 note), 1 suppressed\n"
		"skipped, by kind: archive 2, other 1\n",
		masked);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_NSTRING_EQUAL(out, want, strlen(want));
	CU_ASSERT(!th_contains(out, "src/z.c"));      /* suppressed: counted only */
	CU_ASSERT(!th_contains(out, "hard-coded key"));
	free(want);
	free(masked);
	free(out);
	iotb_results_release(&res);
}

static void test_text_binary_forms(void)
{
	struct iotb_results res;
	struct iotb_finding *f;
	char *out;

	iotb_results_init(&res);
	f = iotb_results_add(&res, rule("scan.fixture-note"), "fw/a.bin", 0, 0, "sym only");
	f->loc.symbol = iotb_xstrdup("main");
	f = iotb_results_add(&res, rule("scan.fixture-note"), "fw/b.bin", 0, 0, "offset only");
	f->loc.offset = 16;
	f->loc.has_offset = true;
	f = iotb_results_add(&res, rule("scan.fixture-note"), "fw/c.img", 0, 0, "image field");
	f->loc.field = iotb_xstrdup("kernel_size");
	f = iotb_results_add(&res, rule("scan.fixture-note"), "fw/d.bin", 0, 0, "section only");
	f->loc.section = iotb_xstrdup(".text");
	f = iotb_results_add(&res, rule("scan.fixture-note"), "fw/e.bin", 0, 0, "no place");
	iotb_results_finish(&res);
	out = text_of(&res);
	CU_ASSERT(th_contains(out, "fw/a.bin: note: sym only [scan.fixture-note] [sym main]\n"));
	CU_ASSERT(th_contains(out, "fw/b.bin: note: offset only [scan.fixture-note] [0x10]\n"));
	CU_ASSERT(th_contains(out, "fw/c.img: note: image field [scan.fixture-note] [field kernel_size]\n"));
	CU_ASSERT(th_contains(out, "fw/d.bin: note: section only [scan.fixture-note] [.text]\n"));
	CU_ASSERT(th_contains(out, "fw/e.bin: note: no place [scan.fixture-note]\n"));
	free(out);
	iotb_results_release(&res);
}

static void test_text_related_and_flow(void)
{
	struct iotb_results res;
	struct iotb_finding *f;
	char *out;

	iotb_results_init(&res);
	f = iotb_results_add(&res, rule("scan.fixture-input"), "src/p.c", 10, 3, "copy of input");
	f->snippet = iotb_xstrdup("strcpy(buf, in);");
	iotb_finding_add_related(f, "src/p.c", 4, 1, "buffer declared here");
	iotb_finding_add_flow(f, "src/main.c", 20, 5, "input read");
	iotb_finding_add_flow(f, "src/p.c", 10, 3, "copied");
	iotb_results_finish(&res);
	out = text_of(&res);
	CU_ASSERT_NSTRING_EQUAL(out,
		"src/p.c:10:3: warning: copy of input [scan.fixture-input] [27402 5.2.6.2] "
		"[CWE-120,CWE-676]\n"
		"    related: src/p.c:4:1: buffer declared here\n"
		"    flow 1: src/main.c:20:5: input read\n"
		"    flow 2: src/p.c:10:3: copied\n"
		"\n"
		"summary: 0 files seen, 1 finding (0 errors, 1 warning, 0 notes), 0 suppressed\n"
		"skipped, by kind: none\n",
		strlen("src/p.c:10:3: warning: copy of input [scan.fixture-input] [27402 5.2.6.2] "
		       "[CWE-120,CWE-676]\n"
		       "    related: src/p.c:4:1: buffer declared here\n"
		       "    flow 1: src/main.c:20:5: input read\n"
		       "    flow 2: src/p.c:10:3: copied\n"
		       "\n"
		       "summary: 0 files seen, 1 finding (0 errors, 1 warning, 0 notes), 0 suppressed\n"
		       "skipped, by kind: none\n"));
	free(out);
	iotb_results_release(&res);
}

static void test_text_sanitizes_bytes(void)
{
	struct iotb_results res;
	char *out;

	iotb_results_init(&res);
	iotb_results_add(&res, rule("scan.fixture-note"), "src/bad\xff.c", 1, 2,
			 "name\nwith newline");
	iotb_results_count_skipped(&res, "odd\xfe");
	iotb_results_finish(&res);
	out = text_of(&res);
	CU_ASSERT(th_contains(out, "src/bad\\xFF.c:1:2: note: name\\x0Awith newline "
				   "[scan.fixture-note]\n"));
	CU_ASSERT(th_contains(out, "skipped, by kind: odd\\xFE 1\n"));
	CU_ASSERT(iotb_is_utf8(out, strlen(out)));
	free(out);
	iotb_results_release(&res);
}

/* --- the per-clause summary --- */

static void test_clause_rules_ran(void)
{
	struct iotb_results res;
	struct iotb_report_ctx ctx;
	struct iotb_strvec ids;
	struct iotb_rule *scan_rule;

	iotb_results_init(&res);
	ctx_for(&ctx, &res);
	iotb_strvec_init(&ids);

	/* scan.* rules always ran; fixture.* has no engine. */
	CU_ASSERT_EQUAL(iotb_clause_rules_ran(&ctx, "5.2.6.2", &ids), 1);
	CU_ASSERT_EQUAL_FATAL(ids.n, 1);
	CU_ASSERT_STRING_EQUAL(ids.v[0], "scan.fixture-input");
	CU_ASSERT_EQUAL(iotb_clause_rules_ran(&ctx, "5.2.6.1.4", NULL), 0);
	CU_ASSERT_EQUAL(iotb_clause_rules_ran(&ctx, "5.2.10.1", NULL), 0);
	CU_ASSERT_EQUAL(iotb_clause_rules_ran(&ctx, "9.9", NULL), 0);

	/* An engine named in engines_ran does not make an engine-less area run. */
	iotb_strvec_push(&res.engines_ran, "fixture");
	CU_ASSERT_EQUAL(iotb_clause_rules_ran(&ctx, "5.2.6.1.4", NULL), 0);

	/* Disabled rules did not run. */
	scan_rule = iotb_catalogue_rule(fixture_cat(), "scan.fixture-input");
	scan_rule->enabled = false;
	CU_ASSERT_EQUAL(iotb_clause_rules_ran(&ctx, "5.2.6.2", NULL), 0);
	scan_rule->enabled = true;

	iotb_strvec_release(&ids);
	iotb_results_release(&res);
}

/* A rule of a real engine's area runs only when that engine ran. */
static void test_clause_rules_ran_engine(void)
{
	const struct iotb_engine *engine = iotb_engines[0];
	struct iotb_catalogue *cat = NULL;
	struct iotb_results res;
	struct iotb_report_ctx ctx;
	struct iotb_strvec ids;
	char *dir, *file, *text, *probe;

	if (!engine || !engine->areas || !engine->areas[0]) {
		CU_PASS("no engine in integrations/engines.def yet");
		return;
	}
	dir = th_tmpdir("report-engine-cat");
	free(th_write(dir, "clauses.yaml", fixture_clauses));
	free(th_write(dir, "scan.yaml", fixture_scan_rules));
	file = iotb_xasprintf("%s.yaml", engine->areas[0]);
	probe = iotb_xasprintf("%s.fixture-probe", engine->areas[0]);
	text = iotb_xasprintf("rules:\n  - id: %s\n    title: Probe\n    severity: note\n"
			      "    clauses: [\"5.2.6.2\"]\n    description: Probe.\n", probe);
	free(th_write(dir, file, text));
	cat = iotb_catalogue_load(dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);

	iotb_results_init(&res);
	ctx_for(&ctx, &res);
	ctx.cat = cat;
	iotb_strvec_init(&ids);
	CU_ASSERT_EQUAL(iotb_clause_rules_ran(&ctx, "5.2.6.2", &ids), 1);
	CU_ASSERT(!iotb_strvec_contains(&ids, probe));
	iotb_strvec_push(&res.engines_ran, engine->name);
	iotb_strvec_release(&ids);
	iotb_strvec_init(&ids);
	CU_ASSERT_EQUAL(iotb_clause_rules_ran(&ctx, "5.2.6.2", &ids), 2);
	CU_ASSERT(iotb_strvec_contains(&ids, probe));
	CU_ASSERT(iotb_strvec_contains(&ids, "scan.fixture-input"));

	iotb_strvec_release(&ids);
	iotb_results_release(&res);
	iotb_catalogue_free(cat);
	free(text);
	free(probe);
	free(file);
	free(dir);
}

static void test_text_clause_summary(void)
{
	static const char want[] =
		"clauses (ISO/IEC 27402; evidence found, not a certification):\n"
		"  5.2.5.2.3 (recommendation) Fixture unique parameters\n"
		"      evidence against it: 1 finding (1 error, 0 warnings, 0 notes)\n"
		"  5.2.6.1.4 (requirement) Fixture no common secrets\n"
		"      evidence against it: 1 finding (1 error, 0 warnings, 0 notes)\n"
		"  5.2.6.2 (recommendation) Fixture input validation\n"
		"      evidence against it: 1 finding (0 errors, 1 warning, 0 notes); "
		"rules ran: scan.fixture-input\n"
		"  not checked by any rule that ran: 5.1.1.1.5 f, 5.2.9.1.1, 5.2.10.1\n";
	struct iotb_results res;
	char *out, *clauses;

	build_set(&res, 0);
	out = text_of(&res);
	clauses = strstr(out, "clauses (");
	CU_ASSERT_PTR_NOT_NULL_FATAL(clauses);
	CU_ASSERT_STRING_EQUAL(clauses, want);
	CU_ASSERT(!th_contains(clauses, "compliant"));
	CU_ASSERT(!th_contains(clauses, "pass"));
	free(out);
	iotb_results_release(&res);
}

static void test_clause_no_evidence(void)
{
	struct iotb_results res;
	struct iotb_report_ctx ctx;
	struct iotb_clause_summary *sums;
	size_t n, i;
	char *out;

	iotb_results_init(&res);
	add_suppressed(&res);     /* suppressed: no evidence against 5.2.6.1.4 */
	iotb_results_finish(&res);
	ctx_for(&ctx, &res);
	sums = iotb_clause_summaries(&ctx, &n);
	CU_ASSERT_EQUAL_FATAL(n, 6);
	for (i = 0; i < n; i++) {
		const char *id = sums[i].clause->id;

		const char *want = !strcmp(id, "5.2.6.2") ? "no-evidence" : "not-checked";

		CU_ASSERT_STRING_EQUAL(iotb_clause_status(&sums[i]), want);
		CU_ASSERT_EQUAL(sums[i].errors + sums[i].warnings + sums[i].notes, 0);
	}
	CU_ASSERT_STRING_EQUAL(sums[0].clause->id, "5.1.1.1.5 f");
	CU_ASSERT_STRING_EQUAL(sums[5].clause->id, "5.2.10.1");
	iotb_clause_summaries_free(sums, n);

	out = run_reporter("text", &ctx);
	CU_ASSERT(th_contains(out, "  5.2.6.2 (recommendation) Fixture input validation\n"
				   "      no evidence found by 1 rule: scan.fixture-input\n"));
	CU_ASSERT(th_contains(out, "summary: 0 files seen, 0 findings (0 errors, 0 warnings, "
				   "0 notes), 1 suppressed\n"));
	CU_ASSERT(!th_contains(out, "src/z.c"));
	CU_ASSERT_NSTRING_EQUAL(out, "summary: ", 9);   /* no finding lines */
	free(out);
	iotb_results_release(&res);
}

/* --- JSON --- */

static json_t *json_of(const struct iotb_report_ctx *ctx, char **text)
{
	json_error_t err;
	json_t *root;

	*text = run_reporter("json", ctx);
	root = json_loads(*text, 0, &err);
	if (!root)
		fprintf(stderr, "json: %s at %d:%d\n", err.text, err.line, err.column);
	return root;
}

static void test_json_top_level(void)
{
	static const char *const keys[] = {
		"schema_version", "tool", "fail_on", "exit_status", "findings",
		"artifacts", "summary", NULL,
	};
	struct iotb_results res;
	struct iotb_report_ctx ctx;
	json_t *root;
	const char *key;
	void *it;
	char *text;
	size_t i = 0;

	build_set(&res, 0);
	ctx_for(&ctx, &res);
	ctx.fail_on = IOTB_SEV_NEVER;
	ctx.exit_status = 0;
	root = json_of(&ctx, &text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	for (it = json_object_iter(root); it; it = json_object_iter_next(root, it), i++) {
		key = json_object_iter_key(it);
		CU_ASSERT_PTR_NOT_NULL_FATAL(keys[i]);
		CU_ASSERT_STRING_EQUAL(key, keys[i]);
	}
	CU_ASSERT_EQUAL(i, 7);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(root, "schema_version")),
			       IOTB_REPORT_SCHEMA_VERSION);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(root, "schema_version")),
			       "1.0.0");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(
		json_object_get(root, "tool"), "name")), "iotbaseline");
	CU_ASSERT_PTR_NOT_NULL(json_string_value(json_object_get(
		json_object_get(root, "tool"), "version")));
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(root, "fail_on")), "never");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(root, "exit_status")), 0);
	/* pretty-printed, one trailing newline */
	CU_ASSERT_NSTRING_EQUAL(text, "{\n  \"schema_version\": \"1.0.0\",\n", 31);
	CU_ASSERT_STRING_EQUAL(text + strlen(text) - 3, "\n}\n");
	json_decref(root);
	free(text);

	ctx.fail_on = IOTB_SEV_WARNING;
	ctx.exit_status = 1;
	root = json_of(&ctx, &text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(root, "fail_on")), "warning");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(root, "exit_status")), 1);
	json_decref(root);
	free(text);
	iotb_results_release(&res);
}

static void test_json_findings_and_artifacts(void)
{
	struct iotb_results res;
	struct iotb_report_ctx ctx;
	json_t *root, *findings, *arts, *a, *f;
	char *text;

	build_set(&res, 0);
	ctx_for(&ctx, &res);
	root = json_of(&ctx, &text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);

	findings = json_object_get(root, "findings");
	CU_ASSERT_EQUAL_FATAL(json_array_size(findings), 4);   /* suppressed too */
	f = json_array_get(findings, 0);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(f, "rule")), "scan.fixture-input");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(
		json_object_get(f, "location"), "section")), ".rodata");
	f = json_array_get(findings, 3);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(
		json_object_get(f, "location"), "path")), "src/z.c");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(
		json_object_get(f, "suppressed"), "reason")), "test vector");
	CU_ASSERT_PTR_NULL(json_object_get(json_array_get(findings, 2), "suppressed"));

	arts = json_object_get(root, "artifacts");
	CU_ASSERT_EQUAL_FATAL(json_array_size(arts), 2);
	a = json_array_get(arts, 0);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(a, "path")), "bin/httpd");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(a, "uri")), "bin/httpd");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(a, "kind")), "elf");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(a, "engine")), "elfcheck");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(
		json_object_get(a, "facts"), "nx")), "absent");
	a = json_array_get(arts, 1);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(a, "path")), "src/bad\\xFF.c");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(a, "uri")), "src/bad%FF.c");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(a, "kind")), "c-source");
	CU_ASSERT_PTR_NULL(json_object_get(a, "engine"));
	CU_ASSERT_PTR_NULL(json_object_get(a, "facts"));
	CU_ASSERT(iotb_is_utf8(text, strlen(text)));

	json_decref(root);
	free(text);
	iotb_results_release(&res);
}

static const char *clause_status_of(json_t *clauses, const char *id, json_t **out)
{
	size_t i;
	json_t *c;

	json_array_foreach(clauses, i, c) {
		if (!strcmp(json_string_value(json_object_get(c, "id")), id)) {
			*out = c;
			return json_string_value(json_object_get(c, "status"));
		}
	}
	*out = NULL;
	return "";
}

static void test_json_summary(void)
{
	static const char *const order[] = {
		"5.1.1.1.5 f", "5.2.5.2.3", "5.2.6.1.4", "5.2.6.2", "5.2.9.1.1", "5.2.10.1",
	};
	struct iotb_results res;
	struct iotb_report_ctx ctx;
	json_t *root, *sum, *counts, *kinds, *clauses, *c;
	char *text;
	size_t i;

	build_set(&res, 0);
	ctx_for(&ctx, &res);
	root = json_of(&ctx, &text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	sum = json_object_get(root, "summary");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(sum, "files_seen")), 7);
	counts = json_object_get(sum, "findings");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(counts, "error")), 1);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(counts, "warning")), 1);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(counts, "note")), 1);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(counts, "suppressed")), 1);
	kinds = json_object_get(sum, "not_analysed_kinds");
	CU_ASSERT_EQUAL(json_object_size(kinds), 2);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(kinds, "archive")), 2);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(kinds, "other")), 1);

	clauses = json_object_get(sum, "clauses");
	CU_ASSERT_EQUAL_FATAL(json_array_size(clauses), 6);
	for (i = 0; i < 6; i++)
		CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(
			json_array_get(clauses, i), "id")), order[i]);

	CU_ASSERT_STRING_EQUAL(clause_status_of(clauses, "5.2.6.2", &c), "evidence");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(c, "kind")), "recommendation");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(c, "section")), "5.2");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(c, "title")),
			       "Fixture input validation");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(
		json_object_get(c, "findings"), "warning")), 1);
	CU_ASSERT_EQUAL(json_array_size(json_object_get(c, "rules_ran")), 1);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(
		json_object_get(c, "rules_ran"), 0)), "scan.fixture-input");

	CU_ASSERT_STRING_EQUAL(clause_status_of(clauses, "5.2.6.1.4", &c), "evidence");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(
		json_object_get(c, "findings"), "error")), 1);
	CU_ASSERT_EQUAL(json_array_size(json_object_get(c, "rules_ran")), 0);

	CU_ASSERT_STRING_EQUAL(clause_status_of(clauses, "5.1.1.1.5 f", &c), "not-checked");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(c, "section")), "5.1");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(c, "kind")), "requirement");
	CU_ASSERT_STRING_EQUAL(clause_status_of(clauses, "5.2.10.1", &c), "not-checked");

	json_decref(root);
	free(text);
	iotb_results_release(&res);
}

/* --- every reporter --- */

/* Call fn for each reporter named by iotb_reporter_names(). */
static void for_each_reporter(void (*fn)(const char *name))
{
	char *names = iotb_xstrdup(iotb_reporter_names()), *save = NULL, *tok;
	size_t n = 0;

	for (tok = strtok_r(names, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		CU_ASSERT_PTR_NOT_NULL(iotb_reporter_find(tok));
		fn(tok);
		n++;
	}
	CU_ASSERT(n >= 2);
	free(names);
}

/* Same findings inserted in another order, and the same set twice: same bytes. */
static void check_deterministic(const char *name)
{
	struct iotb_results a, b;
	struct iotb_report_ctx ca, cb;
	char *out1, *out2, *out3;

	build_set(&a, 0);
	build_set(&b, 3);
	ctx_for(&ca, &a);
	ctx_for(&cb, &b);
	out1 = run_reporter(name, &ca);
	out2 = run_reporter(name, &ca);
	out3 = run_reporter(name, &cb);
	CU_ASSERT_STRING_EQUAL(out1, out2);
	CU_ASSERT_STRING_EQUAL(out1, out3);
	if (strcmp(out1, out3))
		fprintf(stderr, "%s differs:\n%s\n---\n%s\n", name, out1, out3);
	free(out1);
	free(out2);
	free(out3);
	iotb_results_release(&a);
	iotb_results_release(&b);
}

static void test_deterministic(void)
{
	for_each_reporter(check_deterministic);
}

static void check_no_secret(const char *name)
{
	struct iotb_results res;
	struct iotb_report_ctx ctx;
	char *out;

	build_set(&res, 1);
	ctx_for(&ctx, &res);
	out = run_reporter(name, &ctx);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT(!th_contains(out, secret));
	CU_ASSERT(!th_contains(out, "super-secret"));
	CU_ASSERT(th_contains(out, "hu"));   /* the masked form is there */
	CU_ASSERT(iotb_is_utf8(out, strlen(out)));
	CU_ASSERT(!th_contains(out, "compliant"));
	free(out);
	iotb_results_release(&res);
}

static void test_no_secret_in_any_report(void)
{
	for_each_reporter(check_no_secret);
}

static void check_write_error(const char *name)
{
	struct iotb_results res;
	struct iotb_report_ctx ctx;
	FILE *full = fopen("/dev/full", "w");
	char *want;

	if (!full) {
		CU_PASS("/dev/full not available");
		return;
	}
	build_set(&res, 0);
	ctx_for(&ctx, &res);
	iotb_clear_error();
	CU_ASSERT_EQUAL(iotb_reporter_find(name)->write(full, &ctx), -1);
	want = iotb_xasprintf("cannot write the %s report: %s",
			      !strcmp(name, "json") ? "JSON" : name, strerror(ENOSPC));
	if (!strcmp(name, "text") || !strcmp(name, "json")) {
		CU_ASSERT_STRING_EQUAL(iotb_last_error(), want);
	} else {
		CU_ASSERT(th_contains(iotb_last_error(), "cannot write"));
	}
	free(want);
	fclose(full);
	iotb_results_release(&res);
}

static void test_write_error(void)
{
	for_each_reporter(check_write_error);
}

static const struct th_test tests[] = {
	{ "reporter_table", test_reporter_table },
	{ "clause_id_order", test_clause_id_order },
	{ "uri_encode", test_uri_encode },
	{ "text_findings", test_text_findings },
	{ "text_binary_forms", test_text_binary_forms },
	{ "text_related_and_flow", test_text_related_and_flow },
	{ "text_sanitizes_bytes", test_text_sanitizes_bytes },
	{ "clause_rules_ran", test_clause_rules_ran },
	{ "clause_rules_ran_engine", test_clause_rules_ran_engine },
	{ "text_clause_summary", test_text_clause_summary },
	{ "clause_no_evidence", test_clause_no_evidence },
	{ "json_top_level", test_json_top_level },
	{ "json_findings_and_artifacts", test_json_findings_and_artifacts },
	{ "json_summary", test_json_summary },
	{ "deterministic", test_deterministic },
	{ "no_secret_in_any_report", test_no_secret_in_any_report },
	{ "write_error", test_write_error },
	{ NULL, NULL },
};

void register_suite_report(void)
{
	th_add_suite("report", tests);
}
