/*
 * test_report_formats.c — the SARIF, JUnit, GitLab Code Quality, table,
 * Markdown and HTML reports, and baselines (rules/baseline.c): exact
 * values on hand-built result sets over a fixture catalogue written under
 * th_tmpdir("report-formats-cat").  The last test writes one report of
 * each format from a rich set (related locations, code flow, binary
 * places, suppressed, baselined and absent findings, odd file names) to
 * th_tmpdir("report-formats-out"), where tests/sarif_validate.sh checks
 * them against the SARIF schema, GitHub's rules, the JUnit schema and
 * GitLab's fields.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "engine.h"
#include "report.h"
#include "suppress.h"
#include "test_helpers.h"

static const char fixture_clauses[] =
	"clauses:\n"
	"  - id: \"5.2.6.1.4\"\n"
	"    title: Fixture no common secrets\n"
	"    kind: requirement\n"
	"  - id: \"5.2.5.2.3\"\n"
	"    title: Fixture unique parameters\n"
	"    kind: recommendation\n"
	"  - id: \"5.2.6.2\"\n"
	"    title: Fixture input validation\n"
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
	"    description: A scan rule naming a clause.\n"
	"    remediation: Check the input.\n";

static const char fixture_rules[] =
	"rules:\n"
	"  - id: fixture.secret\n"
	"    title: Fixture secret\n"
	"    severity: error\n"
	"    clauses: [\"5.2.6.1.4\", \"5.2.5.2.3\"]\n"
	"    cwe: [798]\n"
	"    security_severity: 7.5\n"
	"    description: >\n"
	"      A rule with two clauses\n"
	"      and a folded description.\n"
	"    remediation: >\n"
	"      Move the secret to per-device storage.\n"
	"  - id: fixture.many-cwe\n"
	"    title: Fixture with many CWE ids\n"
	"    severity: warning\n"
	"    clauses: [\"5.2.6.2\"]\n"
	"    cwe: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22]\n"
	"    description: More tags than GitHub takes.\n";

static const char secret[] = "hunter2-super-secret-pw";

static struct iotb_catalogue *fixture_cat(void)
{
	static struct iotb_catalogue *cat;

	if (!cat)
		cat = th_fixture_catalogue("report-formats-cat", fixture_clauses, fixture_scan_rules,
					   fixture_rules);
	return cat;
}

static const struct iotb_rule *rule(const char *id)
{
	return th_rule(fixture_cat(), id);
}

/* src/net.c:42:7-42:19, a masked secret. */
static struct iotb_finding *add_secret(struct iotb_results *res)
{
	struct iotb_finding *f = iotb_results_add(res, rule("fixture.secret"), "src/net.c", 42, 7,
						  "hard-coded password in '%s'", "login");

	f->loc.end_line = 42;
	f->loc.end_col = 19;
	f->snippet = iotb_xstrdup("pw = \"...\"");
	f->function = iotb_xstrdup("c:@F@login");
	iotb_finding_set_secret(f, secret, strlen(secret));
	return f;
}

/* bin/httpd [.rodata+0x1f30 sym foo] */
static struct iotb_finding *add_binary(struct iotb_results *res)
{
	struct iotb_finding *f = iotb_results_add(res, rule("scan.fixture-input"), "bin/httpd",
						  0, 0, "unsafe copy in binary");

	f->loc.section = iotb_xstrdup(".rodata");
	f->loc.offset = 0x1f30;
	f->loc.has_offset = true;
	f->loc.symbol = iotb_xstrdup("foo");
	f->function = iotb_xstrdup("foo");
	return f;
}

static struct iotb_finding *add_note(struct iotb_results *res, const char *path, unsigned line)
{
	struct iotb_finding *f = iotb_results_add(res, rule("scan.fixture-note"), path, line, 0,
						  "partial parse");

	f->snippet = iotb_xasprintf("#include <missing%u.h>", line);
	return f;
}

static struct iotb_finding *add_flow(struct iotb_results *res)
{
	struct iotb_finding *f = iotb_results_add(res, rule("scan.fixture-input"), "src/p.c",
						  10, 3, "copy of input");

	f->snippet = iotb_xstrdup("strcpy(buf, in);");
	iotb_finding_add_related(f, "src/p.c", 4, 1, "buffer declared here");
	iotb_finding_add_flow(f, "src/main.c", 20, 5, "input read");
	iotb_finding_add_flow(f, "src/p.c", 10, 3, "copied");
	return f;
}

static void add_elf_artifact(struct iotb_results *res, const char *path)
{
	struct iotb_artifact *a = iotb_results_add_artifact(res, path, "elf");
	json_error_t err;

	a->engine = iotb_xstrdup("elfcheck");
	a->facts = json_loads(
		"{\"class\": \"ELF32\", \"machine\": \"ARM\", \"type\": \"EXEC\","
		" \"rpath\": null, \"runpath\": \"lib:/tmp\", \"stripped\": false,"
		" \"canary\": {\"verdict\": \"absent\", \"reason\": \"r\"},"
		" \"nx\": {\"verdict\": \"absent\", \"reason\": \"r\", \"problem\": \"exec-stack\"},"
		" \"pie\": {\"verdict\": \"absent\", \"reason\": \"r\", \"class\": \"no-pie\"},"
		" \"relro\": {\"verdict\": \"absent\", \"reason\": \"r\", \"level\": \"none\"},"
		" \"fortify\": {\"verdict\": \"absent\", \"reason\": \"r\", \"fortified\": 0,"
		"  \"fortifiable\": 3, \"level\": \"unknown\"},"
		" \"cfi\": {\"verdict\": \"not-applicable\", \"reason\": \"r\"}}", 0, &err);
	if (!a->facts) {
		fprintf(stderr, "facts: %s\n", err.text);
		abort();
	}
}

/* A root directory for repository-relative paths (not created). */
#define ROOT "/srv/fw"

static void ctx_for(struct iotb_report_ctx *ctx, const struct iotb_results *res)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->res = res;
	ctx->cat = fixture_cat();
	ctx->fail_on = IOTB_SEV_ERROR;
	ctx->exit_status = 1;
}

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

static json_t *json_report(const char *name, const struct iotb_report_ctx *ctx)
{
	char *text = run_reporter(name, ctx);
	json_error_t err;
	json_t *root = json_loads(text, 0, &err);

	if (!root)
		fprintf(stderr, "%s: %s at %d:%d\n", name, err.text, err.line, err.column);
	CU_ASSERT(text[strlen(text) - 1] == '\n');
	free(text);
	return root;
}

/* Path lookup: "a.b[0].c" style is too much; a small getter chain. */
static json_t *get(json_t *o, const char *key)
{
	return json_object_get(o, key);
}

static json_t *at(json_t *a, size_t i)
{
	return json_array_get(a, i);
}

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "(missing)";
}

static long long num(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

static json_t *sarif_run(const struct iotb_report_ctx *ctx, json_t **root)
{
	*root = json_report("sarif", ctx);
	CU_ASSERT_PTR_NOT_NULL_FATAL(*root);
	return at(get(*root, "runs"), 0);
}

/* The result whose ruleId is id (first one). */
static json_t *result_of(json_t *run, const char *id)
{
	size_t i;
	json_t *r;

	json_array_foreach(get(run, "results"), i, r)
		if (!strcmp(str(r, "ruleId"), id))
			return r;
	return NULL;
}

static json_t *region_of(json_t *location)
{
	return get(get(location, "physicalLocation"), "region");
}

static void assert_region(json_t *region, int sl, int sc, int el, int ec)
{
	CU_ASSERT_EQUAL(num(region, "startLine"), sl);
	CU_ASSERT_EQUAL(num(region, "startColumn"), sc);
	CU_ASSERT_EQUAL(num(region, "endLine"), el);
	CU_ASSERT_EQUAL(num(region, "endColumn"), ec);
}

/* --- SARIF --- */

static void test_sarif_top_level(void)
{
	struct iotb_results res;
	struct iotb_report_ctx ctx;
	json_t *root, *run, *driver, *base;

	iotb_results_init(&res);
	res.source_root = iotb_xstrdup(ROOT "/./sub/..");
	add_secret(&res);
	iotb_results_finish(&res);
	ctx_for(&ctx, &res);
	unsetenv("IOTB_SARIF_CATEGORY");
	run = sarif_run(&ctx, &root);
	CU_ASSERT_STRING_EQUAL(str(root, "version"), "2.1.0");
	CU_ASSERT_STRING_EQUAL(str(root, "$schema"), "https://docs.oasis-open.org/sarif/sarif/"
			       "v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json");
	CU_ASSERT_EQUAL(json_array_size(get(root, "runs")), 1);
	driver = get(get(run, "tool"), "driver");
	CU_ASSERT_STRING_EQUAL(str(driver, "name"), "iotbaseline");
	CU_ASSERT_STRING_EQUAL(str(driver, "version"), str(driver, "semanticVersion"));
	CU_ASSERT_PTR_NOT_NULL(json_string_value(get(driver, "version")));
	CU_ASSERT_STRING_EQUAL(str(get(run, "automationDetails"), "id"), "iotbaseline/");
	base = get(get(run, "originalUriBaseIds"), "%SRCROOT%");
	CU_ASSERT_STRING_EQUAL(str(base, "uri"), "file://" ROOT "/");
	CU_ASSERT_EQUAL(num(get(run, "properties"), "filesSeen"), 0);
	CU_ASSERT_TRUE(json_is_true(get(at(get(run, "invocations"), 0), "executionSuccessful")));
	CU_ASSERT_EQUAL(num(at(get(run, "invocations"), 0), "exitCode"), 1);
	CU_ASSERT_PTR_NULL(get(at(get(run, "invocations"), 0), "commandLine"));
	CU_ASSERT_STRING_EQUAL(str(get(at(get(run, "invocations"), 0), "properties"), "failOn"),
			       "error");
	json_decref(root);
	iotb_results_release(&res);
}

static void test_sarif_rules(void)
{
	static const char *const want_tags[] = {
		"security", "external/cwe/cwe-798", "5.2.6.1.4", "5.2.5.2.3",
	};
	struct iotb_results res;
	struct iotb_report_ctx ctx;
	json_t *root, *run, *rules, *r, *tags;
	size_t i;

	iotb_results_init(&res);
	iotb_results_finish(&res);
	ctx_for(&ctx, &res);
	run = sarif_run(&ctx, &root);
	rules = get(get(get(run, "tool"), "driver"), "rules");
	CU_ASSERT_EQUAL_FATAL(json_array_size(rules), fixture_cat()->nrules);
	for (i = 0; i < fixture_cat()->nrules; i++)
		CU_ASSERT_STRING_EQUAL(str(at(rules, i), "id"), fixture_cat()->rules[i].id);

	r = at(rules, (size_t)(rule("fixture.secret") - fixture_cat()->rules));
	CU_ASSERT_STRING_EQUAL(str(get(r, "shortDescription"), "text"), "Fixture secret");
	CU_ASSERT_STRING_EQUAL(str(get(r, "fullDescription"), "text"),
			       "A rule with two clauses and a folded description.");
	CU_ASSERT_STRING_EQUAL(str(get(r, "help"), "text"),
			       "Move the secret to per-device storage.\n\n"
			       "ISO/IEC 27402 clauses this rule bears on:\n"
			       "- 5.2.6.1.4: Fixture no common secrets\n"
			       "- 5.2.5.2.3: Fixture unique parameters\n\n"
			       "CWE: CWE-798");
	CU_ASSERT_STRING_EQUAL(str(get(r, "defaultConfiguration"), "level"), "error");
	CU_ASSERT_STRING_EQUAL(str(get(r, "properties"), "security-severity"), "7.5");
	tags = get(get(r, "properties"), "tags");
	CU_ASSERT_EQUAL_FATAL(json_array_size(tags), 4);
	for (i = 0; i < 4; i++)
		CU_ASSERT_STRING_EQUAL(json_string_value(at(tags, i)), want_tags[i]);

	/* Derived security severity (warning → 5.0); no remediation → description. */
	r = at(rules, (size_t)(rule("fixture.many-cwe") - fixture_cat()->rules));
	CU_ASSERT_STRING_EQUAL(str(get(r, "properties"), "security-severity"), "5.0");
	CU_ASSERT_NSTRING_EQUAL(str(get(r, "help"), "text"), "More tags than GitHub takes.", 28);
	tags = get(get(r, "properties"), "tags");
	CU_ASSERT_EQUAL(json_array_size(tags), 20);          /* GitHub's maximum */
	CU_ASSERT_STRING_EQUAL(json_string_value(at(tags, 0)), "security");
	CU_ASSERT_STRING_EQUAL(json_string_value(at(tags, 19)), "external/cwe/cwe-19");

	/* A rule without clauses still carries "security". */
	r = at(rules, (size_t)(rule("scan.fixture-note") - fixture_cat()->rules));
	tags = get(get(r, "properties"), "tags");
	CU_ASSERT_EQUAL(json_array_size(tags), 1);
	CU_ASSERT_STRING_EQUAL(str(get(r, "properties"), "security-severity"), "2.0");
	CU_ASSERT_STRING_EQUAL(str(get(r, "defaultConfiguration"), "level"), "note");
	json_decref(root);
	iotb_results_release(&res);
}

static void test_sarif_source_result(void)
{
	struct iotb_results res;
	struct iotb_report_ctx ctx;
	struct iotb_finding *f;
	json_t *root, *run, *r, *loc, *art;
	char *masked, *want;

	iotb_results_init(&res);
	res.source_root = iotb_xstrdup(ROOT);
	f = add_secret(&res);
	free(f->loc.path);
	f->loc.path = iotb_xstrdup(ROOT "/src/net.c");
	iotb_results_finish(&res);
	ctx_for(&ctx, &res);
	run = sarif_run(&ctx, &root);
	r = result_of(run, "fixture.secret");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(num(r, "ruleIndex"), rule("fixture.secret") - fixture_cat()->rules);
	CU_ASSERT_STRING_EQUAL(str(r, "level"), "error");
	masked = iotb_mask_secret(secret, strlen(secret), NULL, 0);
	want = iotb_xasprintf("hard-coded password in 'login' (evidence: %s)", masked);
	CU_ASSERT_STRING_EQUAL(str(get(r, "message"), "text"), want);
	CU_ASSERT_STRING_EQUAL(str(get(r, "partialFingerprints"), "primaryLocationLineHash"),
			       res.findings[0].fingerprint);
	loc = at(get(r, "locations"), 0);
	art = get(get(loc, "physicalLocation"), "artifactLocation");
	CU_ASSERT_STRING_EQUAL(str(art, "uri"), "src/net.c");
	CU_ASSERT_STRING_EQUAL(str(art, "uriBaseId"), "%SRCROOT%");
	assert_region(region_of(loc), 42, 7, 42, 19);
	CU_ASSERT_PTR_NULL(get(get(loc, "physicalLocation"), "address"));
	CU_ASSERT_STRING_EQUAL(str(at(get(loc, "logicalLocations"), 0), "fullyQualifiedName"),
			       "c:@F@login");
	CU_ASSERT_STRING_EQUAL(json_string_value(at(get(get(r, "properties"), "clauses"), 1)),
			       "5.2.5.2.3");
	CU_ASSERT_EQUAL(json_integer_value(at(get(get(r, "properties"), "cwe"), 0)), 798);
	CU_ASSERT_STRING_EQUAL(str(get(r, "properties"), "evidence"), masked);
	CU_ASSERT_PTR_NULL(get(r, "suppressions"));
	CU_ASSERT_PTR_NULL(get(r, "baselineState"));
	free(want);
	free(masked);
	json_decref(root);
	iotb_results_release(&res);
}

static void test_sarif_regions(void)
{
	struct iotb_results res;
	struct iotb_report_ctx ctx;
	struct iotb_finding *f;
	json_t *root, *run, *results;

	iotb_results_init(&res);
	add_note(&res, "src/a.c", 3);                          /* line only */
	f = add_note(&res, "src/b.c", 5);                      /* end before start */
	f->loc.col = 9;
	f->loc.end_line = 5;
	f->loc.end_col = 2;
	f = add_note(&res, "src/c.c", 7);                      /* multi-line */
	f->loc.col = 4;
	f->loc.end_line = 9;
	f->loc.end_col = 1;
	add_note(&res, "src/d.c", 0);                          /* no line */
	iotb_results_finish(&res);
	ctx_for(&ctx, &res);
	run = sarif_run(&ctx, &root);
	results = get(run, "results");
	CU_ASSERT_EQUAL_FATAL(json_array_size(results), 4);
	assert_region(region_of(at(get(at(results, 0), "locations"), 0)), 3, 1, 3, 2);
	assert_region(region_of(at(get(at(results, 1), "locations"), 0)), 5, 9, 5, 10);
	assert_region(region_of(at(get(at(results, 2), "locations"), 0)), 7, 4, 9, 1);
	assert_region(region_of(at(get(at(results, 3), "locations"), 0)), 1, 1, 1, 2);
	json_decref(root);
	iotb_results_release(&res);
}

static void test_sarif_binary_address(void)
{
	struct iotb_results res;
	struct iotb_report_ctx ctx;
	struct iotb_finding *f;
	json_t *root, *run, *results, *phys, *addr;

	iotb_results_init(&res);
	add_binary(&res);
	f = iotb_results_add(&res, rule("scan.fixture-note"), "bin/raw", 0, 0, "file offset");
	f->loc.offset = 4096;
	f->loc.has_offset = true;
	f = iotb_results_add(&res, rule("scan.fixture-note"), "bin/sec", 0, 0, "section only");
	f->loc.section = iotb_xstrdup(".text");
	iotb_results_finish(&res);
	ctx_for(&ctx, &res);
	run = sarif_run(&ctx, &root);
	results = get(run, "results");
	CU_ASSERT_EQUAL_FATAL(json_array_size(results), 3);

	phys = get(at(get(at(results, 0), "locations"), 0), "physicalLocation");
	CU_ASSERT_STRING_EQUAL(str(get(phys, "artifactLocation"), "uri"), "bin/httpd");
	assert_region(get(phys, "region"), 1, 1, 1, 2);
	addr = get(phys, "address");
	CU_ASSERT_EQUAL(num(addr, "relativeAddress"), 0x1f30);
	CU_ASSERT_STRING_EQUAL(str(addr, "name"), ".rodata");
	CU_ASSERT_STRING_EQUAL(str(addr, "fullyQualifiedName"), ".rodata+0x1f30");
	CU_ASSERT_STRING_EQUAL(str(at(get(at(get(at(results, 0), "locations"), 0),
					  "logicalLocations"), 0), "name"), "foo");

	addr = get(get(at(get(at(results, 1), "locations"), 0), "physicalLocation"), "address");
	CU_ASSERT_EQUAL(num(addr, "absoluteAddress"), 4096);
	CU_ASSERT_PTR_NULL(get(addr, "name"));
	addr = get(get(at(get(at(results, 2), "locations"), 0), "physicalLocation"), "address");
	CU_ASSERT_STRING_EQUAL(str(addr, "kind"), "section");
	CU_ASSERT_STRING_EQUAL(str(addr, "name"), ".text");
	json_decref(root);
	iotb_results_release(&res);
}

static void test_sarif_related_and_flow(void)
{
	struct iotb_results res;
	struct iotb_report_ctx ctx;
	json_t *root, *run, *r, *rel, *steps;

	iotb_results_init(&res);
	add_flow(&res);
	iotb_results_finish(&res);
	ctx_for(&ctx, &res);
	run = sarif_run(&ctx, &root);
	r = result_of(run, "scan.fixture-input");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	rel = get(r, "relatedLocations");
	CU_ASSERT_EQUAL_FATAL(json_array_size(rel), 1);
	CU_ASSERT_EQUAL(num(at(rel, 0), "id"), 0);
	CU_ASSERT_STRING_EQUAL(str(get(at(rel, 0), "message"), "text"), "buffer declared here");
	assert_region(region_of(at(rel, 0)), 4, 1, 4, 2);
	steps = get(at(get(at(get(r, "codeFlows"), 0), "threadFlows"), 0), "locations");
	CU_ASSERT_EQUAL_FATAL(json_array_size(steps), 2);
	CU_ASSERT_EQUAL(num(at(steps, 0), "executionOrder"), 1);
	CU_ASSERT_STRING_EQUAL(str(get(get(get(at(steps, 0), "location"), "physicalLocation"),
				       "artifactLocation"), "uri"), "src/main.c");
	CU_ASSERT_STRING_EQUAL(str(get(get(at(steps, 0), "location"), "message"), "text"),
			       "input read");
	CU_ASSERT_EQUAL(num(at(steps, 1), "executionOrder"), 2);
	assert_region(region_of(get(at(steps, 1), "location")), 10, 3, 10, 4);
	json_decref(root);
	iotb_results_release(&res);
}

static void test_sarif_suppressions(void)
{
	static const char text[] = "int a; // iotb:ignore[fixture] test vector\n";
	struct iotb_results res;
	struct iotb_report_ctx ctx;
	struct iotb_finding *f;
	json_t *root, *run, *results, *s;

	iotb_results_init(&res);
	iotb_suppress_scan_text(&res, "src/z.c", text, strlen(text));
	f = iotb_results_add(&res, rule("fixture.secret"), "src/z.c", 1, 1, "inline");
	f->snippet = iotb_xstrdup("a");
	f->suppressed_by = iotb_xstrdup("test vector");
	f = iotb_results_add(&res, rule("fixture.secret"), "src/y.c", 1, 1, "config");
	f->snippet = iotb_xstrdup("b");
	f->suppressed_by = iotb_xstrdup("vendored \"blob\"");
	iotb_results_finish(&res);
	ctx_for(&ctx, &res);
	run = sarif_run(&ctx, &root);
	results = get(run, "results");
	CU_ASSERT_EQUAL_FATAL(json_array_size(results), 2);
	s = at(get(at(results, 0), "suppressions"), 0);     /* src/y.c */
	CU_ASSERT_STRING_EQUAL(str(s, "kind"), "external");
	CU_ASSERT_STRING_EQUAL(str(s, "status"), "accepted");
	CU_ASSERT_STRING_EQUAL(str(s, "justification"), "vendored \"blob\"");
	s = at(get(at(results, 1), "suppressions"), 0);     /* src/z.c */
	CU_ASSERT_STRING_EQUAL(str(s, "kind"), "inSource");
	CU_ASSERT_STRING_EQUAL(str(s, "justification"), "test vector");
	json_decref(root);
	iotb_results_release(&res);
}

static void test_sarif_uris(void)
{
	struct iotb_results res;
	struct iotb_report_ctx ctx;
	json_t *root, *run, *results, *art;

	iotb_results_init(&res);
	res.source_root = iotb_xstrdup(ROOT);
	add_note(&res, "/elsewhere/x y.c", 1);
	add_note(&res, ROOT "/src/bad\xff name#1.c", 2);
	iotb_results_finish(&res);
	ctx_for(&ctx, &res);
	run = sarif_run(&ctx, &root);
	results = get(run, "results");
	CU_ASSERT_EQUAL_FATAL(json_array_size(results), 2);
	art = get(get(at(get(at(results, 0), "locations"), 0), "physicalLocation"),
		  "artifactLocation");
	CU_ASSERT_STRING_EQUAL(str(art, "uri"), "file:///elsewhere/x%20y.c");
	CU_ASSERT_PTR_NULL(get(art, "uriBaseId"));
	art = get(get(at(get(at(results, 1), "locations"), 0), "physicalLocation"),
		  "artifactLocation");
	CU_ASSERT_STRING_EQUAL(str(art, "uri"), "src/bad%FF%20name%231.c");
	CU_ASSERT_STRING_EQUAL(str(art, "uriBaseId"), "%SRCROOT%");
	json_decref(root);
	iotb_results_release(&res);
}

static void test_sarif_artifacts_and_config(void)
{
	struct iotb_results res;
	struct iotb_report_ctx ctx;
	struct iotb_config cfg;
	json_t *root, *run, *arts, *props, *inv;

	iotb_results_init(&res);
	add_elf_artifact(&res, "bin/httpd");
	iotb_results_add_artifact(&res, "src/a.c", "c-source");
	iotb_results_count_skipped(&res, "archive");
	res.files_seen = 3;
	iotb_results_finish(&res);
	iotb_config_init(&cfg);
	cfg.effective = json_pack("{s:s, s:[s]}", "fail_on", "warning", "exclude", "vendor/**");
	ctx_for(&ctx, &res);
	ctx.cfg = &cfg;
	ctx.fail_on = IOTB_SEV_WARNING;
	ctx.exit_status = 0;
	run = sarif_run(&ctx, &root);
	arts = get(run, "artifacts");
	CU_ASSERT_EQUAL_FATAL(json_array_size(arts), 2);
	CU_ASSERT_STRING_EQUAL(str(get(at(arts, 0), "location"), "uri"), "bin/httpd");
	CU_ASSERT_STRING_EQUAL(json_string_value(at(get(at(arts, 0), "roles"), 0)),
			       "analysisTarget");
	props = get(at(arts, 0), "properties");
	CU_ASSERT_STRING_EQUAL(str(props, "kind"), "elf");
	CU_ASSERT_STRING_EQUAL(str(props, "engine"), "elfcheck");
	CU_ASSERT_STRING_EQUAL(str(get(get(props, "facts"), "nx"), "problem"), "exec-stack");
	CU_ASSERT_STRING_EQUAL(str(at(arts, 1), "sourceLanguage"), "c");
	CU_ASSERT_PTR_NULL(get(get(at(arts, 1), "properties"), "facts"));

	inv = at(get(run, "invocations"), 0);
	CU_ASSERT_EQUAL(num(inv, "exitCode"), 0);
	CU_ASSERT_STRING_EQUAL(str(get(inv, "properties"), "failOn"), "warning");
	CU_ASSERT_TRUE(json_equal(get(get(inv, "properties"), "effectiveConfig"), cfg.effective));
	CU_ASSERT_EQUAL(num(get(get(run, "properties"), "notAnalysedKinds"), "archive"), 1);
	CU_ASSERT_EQUAL(num(get(run, "properties"), "filesSeen"), 3);
	json_decref(root);
	iotb_config_release(&cfg);
	iotb_results_release(&res);
}

static void test_sarif_category(void)
{
	struct iotb_results res;
	struct iotb_report_ctx ctx;
	json_t *root, *run;

	iotb_results_init(&res);
	iotb_results_finish(&res);
	ctx_for(&ctx, &res);
	setenv("IOTB_SARIF_CATEGORY", "firmware/rootfs", 1);
	run = sarif_run(&ctx, &root);
	CU_ASSERT_STRING_EQUAL(str(get(run, "automationDetails"), "id"), "firmware/rootfs/");
	json_decref(root);
	setenv("IOTB_SARIF_CATEGORY", "fw/", 1);
	run = sarif_run(&ctx, &root);
	CU_ASSERT_STRING_EQUAL(str(get(run, "automationDetails"), "id"), "fw/");
	json_decref(root);
	unsetenv("IOTB_SARIF_CATEGORY");
	iotb_results_release(&res);
}

/* Above 5,000 results a note explains GitHub's limit (stderr and SARIF). */
static void test_sarif_result_limit(void)
{
	struct iotb_results res;
	struct iotb_report_ctx ctx;
	json_t *root, *run, *notes;
	unsigned i;

	iotb_results_init(&res);
	for (i = 1; i <= 5000; i++)
		add_note(&res, "src/many.c", i);
	iotb_results_finish(&res);
	ctx_for(&ctx, &res);
	run = sarif_run(&ctx, &root);
	CU_ASSERT_PTR_NULL(get(at(get(run, "invocations"), 0), "toolExecutionNotifications"));
	json_decref(root);

	add_note(&res, "src/many.c", 5001);
	iotb_results_finish(&res);
	run = sarif_run(&ctx, &root);
	CU_ASSERT_EQUAL(json_array_size(get(run, "results")), 5001);
	notes = get(at(get(run, "invocations"), 0), "toolExecutionNotifications");
	CU_ASSERT_EQUAL_FATAL(json_array_size(notes), 1);
	CU_ASSERT_STRING_EQUAL(str(at(notes, 0), "level"), "warning");
	CU_ASSERT_STRING_EQUAL(str(get(at(notes, 0), "message"), "text"),
			       "this SARIF run has 5001 results: GitHub code scanning keeps only "
			       "the 5000 most severe of a run; split the scan by path and give "
			       "each part its own category ($IOTB_SARIF_CATEGORY)");
	json_decref(root);
	iotb_results_release(&res);
}

/* --- baselines --- */

static void test_baseline_states(void)
{
	struct iotb_results res;
	struct iotb_report_ctx ctx;
	struct iotb_baseline bl;
	json_t *root, *run, *results, *r, *phys;
	char *text;
	unsigned long marked;

	iotb_results_init(&res);
	add_secret(&res);
	add_binary(&res);
	iotb_results_finish(&res);
	text = iotb_xasprintf("{\"baseline_version\": 1, \"findings\": ["
			      "{\"fingerprint\": \"%s\", \"rule\": \"fixture.secret\"},"
			      "{\"fingerprint\": \"%064d\", \"rule\": \"scan.fixture-note\","
			      " \"path\": \"src/gone.c\", \"line\": 12, \"message\": \"gone\"}]}",
			      res.findings[1].fingerprint, 7);
	iotb_baseline_init(&bl);
	CU_ASSERT_EQUAL_FATAL(iotb_baseline_parse(&bl, text, strlen(text), "bl.json"), 0);
	marked = iotb_baseline_apply(&bl, &res);
	CU_ASSERT_EQUAL(marked, 1);
	CU_ASSERT_STRING_EQUAL(res.findings[1].suppressed_by, IOTB_BASELINE_REASON);
	CU_ASSERT_PTR_NULL(res.findings[0].suppressed_by);
	CU_ASSERT_EQUAL(iotb_baseline_absent_count(&bl), 1);
	CU_ASSERT_EQUAL(iotb_threshold_status(&res, IOTB_SEV_ERROR), 0);  /* error accepted */

	ctx_for(&ctx, &res);
	ctx.baseline = &bl;
	run = sarif_run(&ctx, &root);
	results = get(run, "results");
	CU_ASSERT_EQUAL_FATAL(json_array_size(results), 3);
	CU_ASSERT_STRING_EQUAL(str(at(results, 0), "baselineState"), "new");
	r = at(results, 1);
	CU_ASSERT_STRING_EQUAL(str(r, "ruleId"), "fixture.secret");
	CU_ASSERT_STRING_EQUAL(str(r, "baselineState"), "unchanged");
	CU_ASSERT_STRING_EQUAL(str(at(get(r, "suppressions"), 0), "justification"),
			       "accepted in the baseline");
	r = at(results, 2);
	CU_ASSERT_STRING_EQUAL(str(r, "baselineState"), "absent");
	CU_ASSERT_STRING_EQUAL(str(r, "ruleId"), "scan.fixture-note");
	CU_ASSERT_STRING_EQUAL(str(get(r, "message"), "text"), "gone");
	phys = get(at(get(r, "locations"), 0), "physicalLocation");
	CU_ASSERT_STRING_EQUAL(str(get(phys, "artifactLocation"), "uri"), "src/gone.c");
	assert_region(get(phys, "region"), 12, 1, 12, 2);
	CU_ASSERT_EQUAL(num(get(get(at(get(run, "invocations"), 0), "properties"), "baseline"),
			    "absent"), 1);
	json_decref(root);
	iotb_baseline_release(&bl);
	free(text);
	iotb_results_release(&res);
}

/* Write a source file of `shift` blank lines then the lines of body. */
static char *write_source(const char *dir, unsigned shift, const char *body)
{
	struct iotb_strbuf sb;
	char *path;
	unsigned i;

	iotb_strbuf_init(&sb);
	for (i = 0; i < shift; i++)
		iotb_strbuf_adds(&sb, "/* moved */\n");
	iotb_strbuf_adds(&sb, body);
	path = th_write(dir, "src/net.c", sb.buf);
	iotb_strbuf_release(&sb);
	return path;
}

/* Findings at the lines of net.c's two copies and its getenv, fingerprinted
 * from the file's text (no snippet given, as an engine would). */
static void scan_net(struct iotb_results *res, const char *root, const char *path,
		     unsigned shift, bool extra)
{
	iotb_results_init(res);
	res->source_root = iotb_xstrdup(root);
	iotb_results_add(res, rule("fixture.secret"), path, 2 + shift, 3, "copy one");
	iotb_results_add(res, rule("fixture.secret"), path, 3 + shift, 3, "copy two");
	iotb_results_add(res, rule("scan.fixture-input"), path, 4 + shift, 1, "input");
	if (extra)
		iotb_results_add(res, rule("scan.fixture-input"), path, 5 + shift, 1, "new one");
	iotb_results_finish(res);
}

static void test_baseline_roundtrip_line_shift(void)
{
	static const char body[] =
		"void f(char *d, const char *s) {\n"
		"  strcpy(d, s);\n"
		"  strcpy(d, s);\n"
		"  getenv(\"X\");\n"
		"  system(d);\n"
		"}\n";
	char *dir = th_tmpdir("report-formats-baseline"), *path, *file;
	struct iotb_results before, after;
	struct iotb_baseline bl;
	size_t n, i;

	path = write_source(dir, 0, body);
	scan_net(&before, dir, path, 0, false);
	file = iotb_path_join(dir, "baseline.json");
	CU_ASSERT_EQUAL_FATAL(iotb_baseline_write(&before, file, &n), 0);
	CU_ASSERT_EQUAL(n, 3);

	/* Five lines inserted above: same fingerprints, all accepted. */
	free(write_source(dir, 5, body));
	scan_net(&after, dir, path, 5, true);
	iotb_baseline_init(&bl);
	CU_ASSERT_EQUAL_FATAL(iotb_baseline_load(&bl, file), 0);
	CU_ASSERT_EQUAL(bl.n, 3);
	CU_ASSERT_EQUAL(iotb_baseline_apply(&bl, &after), 3);
	CU_ASSERT_EQUAL(iotb_baseline_absent_count(&bl), 0);
	for (i = 0; i < after.nfindings; i++) {
		const struct iotb_finding *f = &after.findings[i];
		bool is_new = !strcmp(f->message, "new one");

		CU_ASSERT_EQUAL(iotb_finding_is_baselined(f), !is_new);
		CU_ASSERT_STRING_EQUAL(iotb_baseline_state(&bl, f), is_new ? "new" : "unchanged");
	}
	/* The two identical copies keep distinct fingerprints (occurrence). */
	CU_ASSERT_STRING_NOT_EQUAL(after.findings[0].fingerprint, after.findings[1].fingerprint);
	CU_ASSERT_EQUAL(iotb_threshold_status(&after, IOTB_SEV_WARNING), 1);   /* the new one */

	iotb_baseline_release(&bl);
	iotb_results_release(&before);
	iotb_results_release(&after);
	free(file);
	free(path);
	free(dir);
}

static void test_baseline_file_format(void)
{
	char *dir = th_tmpdir("report-formats-blfile"), *file, *text, *want;
	struct iotb_results res;
	struct iotb_finding *f;

	iotb_results_init(&res);
	res.source_root = iotb_xstrdup(ROOT);
	f = add_note(&res, ROOT "/src/a\xff.c", 3);
	f = add_note(&res, ROOT "/src/b.c", 4);
	f->suppressed_by = iotb_xstrdup("config reason");          /* not copied */
	f = add_note(&res, ROOT "/src/c.c", 0);
	f->suppressed_by = iotb_xstrdup(IOTB_BASELINE_REASON);     /* kept */
	iotb_results_finish(&res);
	file = iotb_path_join(dir, "bl.json");
	CU_ASSERT_EQUAL_FATAL(iotb_baseline_write(&res, file, NULL), 0);
	text = th_slurp(file);
	want = iotb_xasprintf(
		"{\n"
		"  \"baseline_version\": 1,\n"
		"  \"tool\": \"iotbaseline\",\n"
		"  \"findings\": [\n"
		"    {\n"
		"      \"fingerprint\": \"%s\",\n"
		"      \"rule\": \"scan.fixture-note\",\n"
		"      \"path\": \"src/a\\\\xFF.c\",\n"
		"      \"line\": 3,\n"
		"      \"message\": \"partial parse\"\n"
		"    },\n"
		"    {\n"
		"      \"fingerprint\": \"%s\",\n"
		"      \"rule\": \"scan.fixture-note\",\n"
		"      \"path\": \"src/c.c\",\n"
		"      \"message\": \"partial parse\"\n"
		"    }\n"
		"  ]\n"
		"}\n", res.findings[0].fingerprint, res.findings[2].fingerprint);
	CU_ASSERT_STRING_EQUAL(text, want);
	free(want);
	free(text);
	free(file);
	free(dir);
	iotb_results_release(&res);
}

static void check_parse_error(const char *text, const char *want)
{
	struct iotb_baseline bl;

	iotb_baseline_init(&bl);
	iotb_clear_error();
	CU_ASSERT_EQUAL(iotb_baseline_parse(&bl, text, strlen(text), "bl.json"), -1);
	CU_ASSERT_STRING_EQUAL(iotb_last_error(), want);
	if (strcmp(iotb_last_error(), want))
		fprintf(stderr, "got: %s\nwant: %s\n", iotb_last_error(), want);
	iotb_baseline_release(&bl);
}

#define FP64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void test_baseline_errors(void)
{
	static const char dup[] = "{\"baseline_version\": 1, \"findings\": ["
				  "{\"fingerprint\": \"" FP64 "\", \"rule\": null},"
				  "{\"fingerprint\": \"" FP64 "\"}]}";
	struct iotb_baseline bl;
	char *dir = th_tmpdir("report-formats-blerr"), *missing, *want;

	check_parse_error("{\"baseline_version\": 1,\n  \"findings\": [}\n",
			  "bl.json:2:16: invalid JSON in baseline: unexpected token near '}'");
	check_parse_error("[1, 2]", "'bl.json' is not an iotb baseline (no \"baseline_version\")");
	check_parse_error("{\"findings\": []}",
			  "'bl.json' is not an iotb baseline (no \"baseline_version\")");
	check_parse_error("{\"baseline_version\": 2, \"findings\": []}",
			  "unsupported baseline version 2 in 'bl.json' (this iotb reads version 1)");
	check_parse_error("{\"baseline_version\": \"1\", \"findings\": []}",
			  "unsupported baseline version \"1\" in 'bl.json' (this iotb reads "
			  "version 1)");
	check_parse_error("{\"baseline_version\": 1, \"findings\": {}}",
			  "'bl.json': \"findings\" is not an array");
	check_parse_error("{\"baseline_version\": 1}", "'bl.json': \"findings\" is not an array");
	check_parse_error("{\"baseline_version\": 1, \"findings\": [\"x\"]}",
			  "'bl.json': findings[0] is not an object");
	check_parse_error("{\"baseline_version\": 1, \"findings\": [{\"fingerprint\": \"" FP64
			  "\"}, {\"fingerprint\": \"ABC\"}]}",
			  "'bl.json': findings[1]: \"fingerprint\" is not 64 lowercase hex digits");
	check_parse_error("{\"baseline_version\": 1, \"findings\": [{\"rule\": \"x\"}]}",
			  "'bl.json': findings[0]: \"fingerprint\" is not 64 lowercase hex digits");
	check_parse_error("{\"baseline_version\": 1, \"findings\": [{\"fingerprint\": \"" FP64
			  "\", \"rule\": 3}]}",
			  "'bl.json': findings[0]: \"rule\" is not a string");
	check_parse_error("{\"baseline_version\": 1, \"findings\": [{\"fingerprint\": \"" FP64
			  "\", \"path\": \"a\", \"message\": []}]}",
			  "'bl.json': findings[0]: \"message\" is not a string");
	check_parse_error("{\"baseline_version\": 1, \"findings\": [{\"fingerprint\": \"" FP64
			  "\", \"line\": 0}]}",
			  "'bl.json': findings[0]: \"line\" is not a positive integer");
	check_parse_error("{\"baseline_version\": 1, \"baseline_version\": 1}",
			  "bl.json:1:42: invalid JSON in baseline: duplicate object key near "
			  "'\"baseline_version\"'");

	missing = iotb_path_join(dir, "none.json");
	want = iotb_xasprintf("cannot read '%s': %s", missing, strerror(ENOENT));
	iotb_baseline_init(&bl);
	CU_ASSERT_EQUAL(iotb_baseline_load(&bl, missing), -1);
	CU_ASSERT_STRING_EQUAL(iotb_last_error(), want);
	iotb_baseline_release(&bl);
	free(want);
	free(missing);

	/* Repeated fingerprints collapse; null members are absent ones. */
	iotb_baseline_init(&bl);
	CU_ASSERT_EQUAL(iotb_baseline_parse(&bl, dup, strlen(dup), "b"), 0);
	CU_ASSERT_EQUAL(bl.n, 1);
	CU_ASSERT_PTR_NULL(bl.entries[0].rule);
	CU_ASSERT_PTR_NOT_NULL(iotb_baseline_find(&bl, FP64));
	CU_ASSERT_PTR_NULL(iotb_baseline_find(&bl, "abc"));
	CU_ASSERT_STRING_EQUAL(bl.path, "b");
	iotb_baseline_release(&bl);
	free(dir);
}

static void test_baseline_write_error(void)
{
	char *dir = th_tmpdir("report-formats-blwrite"), *file, *want;
	struct iotb_results res;

	iotb_results_init(&res);
	iotb_results_finish(&res);
	file = iotb_xasprintf("%s/no/such/dir/bl.json", dir);
	want = iotb_xasprintf("cannot create a temporary file beside '%s': %s", file,
			      strerror(ENOENT));
	CU_ASSERT_EQUAL(iotb_baseline_write(&res, file, NULL), -1);
	CU_ASSERT_STRING_EQUAL(iotb_last_error(), want);
	free(want);
	free(file);
	free(dir);
	iotb_results_release(&res);
}

/* --- JUnit --- */

static void test_junit_cases(void)
{
	static const char want[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites name=\"iotbaseline\" tests=\"3\" failures=\"2\" errors=\"0\" "
		"skipped=\"0\" time=\"0\">\n"
		"  <testsuite name=\"bin/httpd\" id=\"0\" tests=\"1\" failures=\"1\" errors=\"0\" "
		"skipped=\"0\" time=\"0\">\n"
		"    <testcase classname=\"bin/httpd\" name=\"scan.fixture-input\" time=\"0\">\n"
		"      <failure message=\"1 finding of scan.fixture-input\" type=\"warning\">"
		"bin/httpd [.rodata+0x1f30 sym foo]: warning: unsafe copy in binary "
		"[scan.fixture-input]\n"
		"</failure>\n"
		"    </testcase>\n"
		"  </testsuite>\n"
		"  <testsuite name=\"src/p.c\" id=\"1\" tests=\"2\" failures=\"1\" errors=\"0\" "
		"skipped=\"0\" time=\"0\">\n"
		"    <testcase classname=\"src/p.c\" name=\"fixture.secret\" time=\"0\">\n"
		"      <system-out>suppressed: src/p.c:1:1: hard-coded key (reason: a &lt;test&gt; "
		"vector)\n"
		"</system-out>\n"
		"    </testcase>\n"
		"    <testcase classname=\"src/p.c\" name=\"scan.fixture-input\" time=\"0\">\n"
		"      <failure message=\"1 finding of scan.fixture-input\" type=\"warning\">"
		"src/p.c:10:3: warning: copy of input [scan.fixture-input]\n"
		"    related: src/p.c:4:1: buffer declared here\n"
		"    flow 1: src/main.c:20:5: input read\n"
		"    flow 2: src/p.c:10:3: copied\n"
		"</failure>\n"
		"    </testcase>\n"
		"  </testsuite>\n"
		"</testsuites>\n";
	struct iotb_results res;
	struct iotb_report_ctx ctx;
	struct iotb_finding *f;
	char *out;

	iotb_results_init(&res);
	add_flow(&res);
	add_binary(&res);
	f = iotb_results_add(&res, rule("fixture.secret"), "src/p.c", 1, 1, "hard-coded key");
	f->snippet = iotb_xstrdup("k");
	f->suppressed_by = iotb_xstrdup("a <test> vector");
	iotb_results_finish(&res);
	ctx_for(&ctx, &res);
	out = run_reporter("junit", &ctx);
	CU_ASSERT_STRING_EQUAL(out, want);
	if (strcmp(out, want))
		fprintf(stderr, "%s\n", out);
	free(out);
	iotb_results_release(&res);
}

/* Cases for every enabled rule of the engine that analysed an artifact. */
static void test_junit_engine_cases(void)
{
	const struct iotb_engine *const *e;
	struct iotb_catalogue *cat = th_catalogue();
	struct iotb_results res;
	struct iotb_report_ctx ctx;
	struct iotb_artifact *a;
	size_t i, want = 0;
	char *out, *head;
	const char *engine = NULL;

	for (e = iotb_engines; *e && !engine; e++)
		if ((*e)->areas && (*e)->areas[0])
			engine = (*e)->name;
	if (!engine) {
		CU_PASS("no engine in this build");
		return;
	}
	for (i = 0; i < cat->nrules; i++) {
		const struct iotb_engine *re = iotb_engine_for_area(cat->rules[i].area);

		if (cat->rules[i].enabled && re && !strcmp(re->name, engine))
			want++;
	}
	iotb_results_init(&res);
	a = iotb_results_add_artifact(&res, "fw/bin/x", "elf");
	a->engine = iotb_xstrdup(engine);
	iotb_results_add_artifact(&res, "fw/README", "other");   /* no engine: no case */
	iotb_results_finish(&res);
	memset(&ctx, 0, sizeof(ctx));
	ctx.res = &res;
	ctx.cat = cat;
	ctx.fail_on = IOTB_SEV_ERROR;
	out = run_reporter("junit", &ctx);
	head = iotb_xasprintf("<testsuites name=\"iotbaseline\" tests=\"%zu\" failures=\"0\"", want);
	CU_ASSERT(want > 0);
	CU_ASSERT(th_contains(out, head));
	CU_ASSERT(!th_contains(out, "fw/README"));
	CU_ASSERT(!th_contains(out, "<failure"));
	free(head);
	free(out);
	iotb_results_release(&res);
}

static void test_junit_escaping(void)
{
	struct iotb_results res;
	struct iotb_report_ctx ctx;
	char *out;

	iotb_results_init(&res);
	add_note(&res, "src/x<&>\"'\xff.c", 2);
	free(res.findings[0].message);
	res.findings[0].message = iotb_xstrdup("bad\x01 <b>&amp; \"q\" 'a'");
	iotb_results_finish(&res);
	ctx_for(&ctx, &res);
	out = run_reporter("junit", &ctx);
	CU_ASSERT(th_contains(out, "<testsuite name=\"src/x&lt;&amp;&gt;&quot;&#39;\\xFF.c\""));
	CU_ASSERT(th_contains(out, "note: bad\\x01 &lt;b&gt;&amp;amp; &quot;q&quot; &#39;a&#39; "
				   "[scan.fixture-note]"));
	CU_ASSERT(!th_contains(out, "\x01"));
	CU_ASSERT(iotb_is_utf8(out, strlen(out)));
	free(out);
	iotb_results_release(&res);
}

/* --- GitLab Code Quality --- */

static void test_codequality(void)
{
	struct iotb_results res;
	struct iotb_report_ctx ctx;
	struct iotb_finding *f;
	json_t *root, *issue, *loc;
	char *masked, *want;

	iotb_results_init(&res);
	res.source_root = iotb_xstrdup(ROOT);
	f = add_secret(&res);
	free(f->loc.path);
	f->loc.path = iotb_xstrdup(ROOT "/./src/net.c");
	add_binary(&res);
	add_note(&res, "src/a.c", 3);
	f = add_note(&res, "src/z.c", 1);
	f->suppressed_by = iotb_xstrdup("reason");
	iotb_results_finish(&res);
	ctx_for(&ctx, &res);
	root = json_report("codequality", &ctx);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	CU_ASSERT_EQUAL_FATAL(json_array_size(root), 3);     /* suppressed left out */

	issue = at(root, 0);                                  /* the secret (path /srv…) */
	masked = iotb_mask_secret(secret, strlen(secret), NULL, 0);
	want = iotb_xasprintf("hard-coded password in 'login' (evidence: %s)", masked);
	CU_ASSERT_STRING_EQUAL(str(issue, "type"), "issue");
	CU_ASSERT_STRING_EQUAL(str(issue, "check_name"), "fixture.secret");
	CU_ASSERT_STRING_EQUAL(str(issue, "description"), want);
	CU_ASSERT_STRING_EQUAL(str(issue, "severity"), "critical");
	CU_ASSERT_STRING_EQUAL(str(issue, "fingerprint"), res.findings[0].fingerprint);
	CU_ASSERT_STRING_EQUAL(json_string_value(at(get(issue, "categories"), 0)), "Security");
	CU_ASSERT(th_contains(str(get(issue, "content"), "body"),
			      "Fixture secret (fixture.secret)\n\nISO/IEC 27402: 5.2.6.1.4, "
			      "5.2.5.2.3\n\nCWE: CWE-798\n\nMove the secret"));
	loc = get(issue, "location");
	CU_ASSERT_STRING_EQUAL(str(loc, "path"), "src/net.c");
	CU_ASSERT_EQUAL(num(get(get(loc, "positions"), "begin"), "line"), 42);
	CU_ASSERT_EQUAL(num(get(get(loc, "positions"), "begin"), "column"), 7);
	CU_ASSERT_EQUAL(num(get(get(loc, "positions"), "end"), "column"), 19);

	issue = at(root, 1);                                  /* bin/httpd */
	CU_ASSERT_STRING_EQUAL(str(issue, "severity"), "major");
	CU_ASSERT_STRING_EQUAL(str(issue, "description"),
			       "unsafe copy in binary at [.rodata+0x1f30 sym foo]");
	CU_ASSERT_EQUAL(num(get(get(issue, "location"), "lines"), "begin"), 1);
	issue = at(root, 2);                                  /* src/a.c:3 */
	CU_ASSERT_STRING_EQUAL(str(issue, "severity"), "minor");
	CU_ASSERT_EQUAL(num(get(get(issue, "location"), "lines"), "begin"), 3);
	CU_ASSERT_PTR_NULL(get(get(issue, "location"), "positions"));
	free(want);
	free(masked);
	json_decref(root);
	iotb_results_release(&res);
}

/* --- table --- */

static void test_table(void)
{
	static const char want[] =
		"Hardening of ELF binaries (facts; iotb rules --explain elf.*):\n"
		"FILE          ARCH  TYPE  RELRO  CANARY  NX          PIE     FORTIFY     CFI  "
		"RPATH  RUNPATH   STRIPPED\n"
		"bin/httpd     ARM   EXEC  none   absent  exec-stack  no-pie  absent 0/3  n/a  "
		"-      lib:/tmp  no\n"
		"bin/t\xc3\xa9st\\x01  ?     ?     ?      ?       ?           ?       ?           ?    "
		"?      ?         ?\n"
		"\n"
		"Findings:\n"
		"LOCATION                            SEVERITY  RULE                MESSAGE\n"
		"bin/httpd [.rodata+0x1f30 sym foo]  warning   scan.fixture-input  "
		"unsafe copy in binary\n"
		"src/a.c:3                           note      scan.fixture-note   partial parse\n"
		"\n"
		"summary: 0 files seen, 0 errors, 1 warning, 1 note, 0 suppressed\n";
	struct iotb_results res;
	struct iotb_report_ctx ctx;
	struct iotb_artifact *a;
	char *out;

	iotb_results_init(&res);
	add_elf_artifact(&res, "bin/httpd");
	a = iotb_results_add_artifact(&res, "bin/t\xc3\xa9st\x01", "elf");   /* malformed */
	a->facts = json_object();
	iotb_results_add_artifact(&res, "src/a.c", "c-source");
	add_binary(&res);
	add_note(&res, "src/a.c", 3);
	iotb_results_finish(&res);
	ctx_for(&ctx, &res);
	out = run_reporter("table", &ctx);
	CU_ASSERT_STRING_EQUAL(out, want);
	if (strcmp(out, want))
		fprintf(stderr, "%s\n", out);
	free(out);
	iotb_results_release(&res);

	iotb_results_init(&res);
	iotb_results_finish(&res);
	ctx_for(&ctx, &res);
	out = run_reporter("table", &ctx);
	CU_ASSERT_STRING_EQUAL(out, "Hardening of ELF binaries (facts; iotb rules --explain "
			       "elf.*):\nno ELF binary analysed in this scan\n\nFindings:\n"
			       "none shown\n\nsummary: 0 files seen, 0 errors, 0 warnings, "
			       "0 notes, 0 suppressed\n");
	free(out);
	iotb_results_release(&res);
}

/* --- Markdown and HTML --- */

static void build_clause_set(struct iotb_results *res)
{
	iotb_results_init(res);
	add_secret(res);
	add_note(res, "src/a.c", 3);
	add_elf_artifact(res, "bin/httpd");
	iotb_results_count_skipped(res, "archive");
	res->files_seen = 4;
	iotb_results_finish(res);
}

static void test_markdown(void)
{
	struct iotb_results res;
	struct iotb_report_ctx ctx;
	char *out;

	build_clause_set(&res);
	free(res.findings[0].message);                       /* src/a.c:3 */
	res.findings[0].message = iotb_xstrdup("a|b *c* _d_ <e> [f](g) `h` #i");
	ctx_for(&ctx, &res);
	out = run_reporter("markdown", &ctx);
	CU_ASSERT_NSTRING_EQUAL(out, "# iotbaseline clause report (ISO/IEC 27402)\n\n", 45);
	CU_ASSERT(th_contains(out, "- 4 files seen; findings shown: 1 error, 0 warnings, 1 note; "
				   "0 suppressed\n"));
	CU_ASSERT(th_contains(out, "- files not analysed, by kind: archive 1\n"));
	CU_ASSERT(th_contains(out, "| 5.2.6.1.4 | requirement | Fixture no common secrets | "
				   "evidence against it: 1 finding (1 error, 0 warnings, 0 notes) |\n"));
	CU_ASSERT(th_contains(out, "| 5.2.6.2 | recommendation | Fixture input validation | "
				   "no evidence found by 1 rule |\n"));
	CU_ASSERT(th_contains(out, "| 5.1.1.1.5 f | requirement | Fixture applicability statement "
				   "| not checked |\n"));
	CU_ASSERT(th_contains(out, "### 5.2.6.2 (recommendation): Fixture input validation\n\n"
				   "no evidence found by 1 rule: scan.fixture-input\n"));
	CU_ASSERT(th_contains(out, "### 5.2.6.1.4 (requirement): Fixture no common secrets\n\n"
				   "evidence against it: 1 finding (1 error, 0 warnings, 0 notes)\n\n"
				   "- src/net.c:42:7: **error**: hard-coded password in 'login' "
				   "\\[fixture.secret\\] (evidence: hu"));
	CU_ASSERT(th_contains(out, "## Findings of rules without a clause (tool health)\n\n"
				   "- src/a.c:3: **note**: a\\|b \\*c\\* \\_d\\_ \\<e\\> \\[f\\](g) "
				   "\\`h\\` \\#i \\[scan.fixture-note\\]\n"));
	CU_ASSERT(th_contains(out, "| bin/httpd | ARM | EXEC | none |"));
	CU_ASSERT(!th_contains(out, "compliant"));
	CU_ASSERT(!th_contains(out, " pass ") && !th_contains(out, " passed"));
	CU_ASSERT(!th_contains(out, "<e>"));
	free(out);
	iotb_results_release(&res);
}

static void test_html(void)
{
	struct iotb_results res;
	struct iotb_report_ctx ctx;
	char *out;

	build_clause_set(&res);
	free(res.findings[0].message);                       /* src/a.c:3 */
	res.findings[0].message = iotb_xstrdup("<script src=\"http://x\">alert('&')</script>");
	ctx_for(&ctx, &res);
	out = run_reporter("html", &ctx);
	CU_ASSERT_NSTRING_EQUAL(out, "<!DOCTYPE html>\n<html lang=\"en\">\n", 33);
	CU_ASSERT(th_contains(out, "<meta http-equiv=\"Content-Security-Policy\" "
				   "content=\"default-src 'none'; style-src 'unsafe-inline'\">"));
	CU_ASSERT(!th_contains(out, "<script"));
	CU_ASSERT(th_contains(out, "&lt;script src=&quot;http://x&quot;&gt;alert(&#39;&amp;&#39;)"
				   "&lt;/script&gt;"));
	CU_ASSERT(th_contains(out, "<td class=\"evidence\">evidence against it: 1 finding "
				   "(1 error, 0 warnings, 0 notes)</td>"));
	CU_ASSERT(th_contains(out, "<td class=\"not-checked\">not checked</td>"));
	CU_ASSERT(th_contains(out, "<li><span class=\"place\">src/net.c:42:7</span>: "
				   "<span class=\"error\">error</span>: hard-coded password in "
				   "&#39;login&#39; [fixture.secret] (evidence: hu"));
	CU_ASSERT(th_contains(out, "<th>FILE</th>"));
	CU_ASSERT_STRING_EQUAL(out + strlen(out) - 16, "</body>\n</html>\n");
	CU_ASSERT(!th_contains(out, "compliant"));
	free(out);
	iotb_results_release(&res);
}

static void test_baseline_counts_in_reports(void)
{
	struct iotb_results res;
	struct iotb_report_ctx ctx;
	struct iotb_baseline bl;
	char *text, *out;

	build_clause_set(&res);
	text = iotb_xasprintf("{\"baseline_version\": 1, \"findings\": [{\"fingerprint\": \"%s\"},"
			      "{\"fingerprint\": \"" FP64 "\"}]}", res.findings[0].fingerprint);
	iotb_baseline_init(&bl);
	CU_ASSERT_EQUAL_FATAL(iotb_baseline_parse(&bl, text, strlen(text), "bl.json"), 0);
	iotb_baseline_apply(&bl, &res);
	ctx_for(&ctx, &res);
	ctx.baseline = &bl;
	out = run_reporter("markdown", &ctx);
	CU_ASSERT(th_contains(out, "- baseline: 1 finding accepted in it and not shown, 1 of its "
				   "entries not found in this scan\n"));
	CU_ASSERT(th_contains(out, "findings shown: 1 error, 0 warnings, 0 notes; 0 suppressed\n"));
	free(out);
	out = run_reporter("table", &ctx);
	CU_ASSERT(th_contains(out, ", 1 in the baseline, 1 baseline entries not found\n"));
	free(out);
	out = run_reporter("junit", &ctx);
	CU_ASSERT(th_contains(out, "<system-out>baselined: src/a.c:3: partial parse\n"));
	free(out);
	iotb_baseline_release(&bl);
	free(text);
	iotb_results_release(&res);
}

/* A full disk: each writer names its format and the system error. */
static void test_write_errors(void)
{
	static const char *const names[][2] = {
		{ "sarif", "SARIF" }, { "junit", "JUnit" }, { "codequality", "Code Quality" },
		{ "table", "table" }, { "markdown", "Markdown" }, { "html", "HTML" },
	};
	struct iotb_results res;
	struct iotb_report_ctx ctx;
	size_t i;

	iotb_results_init(&res);
	add_secret(&res);
	iotb_results_finish(&res);
	ctx_for(&ctx, &res);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		FILE *full = fopen("/dev/full", "w");
		char *want;

		if (!full) {
			CU_PASS("/dev/full not available");
			break;
		}
		want = iotb_xasprintf("cannot write the %s report: %s", names[i][1],
				      strerror(ENOSPC));
		CU_ASSERT_EQUAL(iotb_reporter_find(names[i][0])->write(full, &ctx), -1);
		CU_ASSERT_STRING_EQUAL(iotb_last_error(), want);
		free(want);
		fclose(full);
	}
	iotb_results_release(&res);
}

/* Every reporter: -j independence is covered by tests/test_report.c; here
 * one rich set per format goes to disk for tests/sarif_validate.sh. */
static void test_write_fixture_reports(void)
{
	static const char *const formats[][2] = {
		{ "sarif", "fixture.sarif" }, { "junit", "fixture.xml" },
		{ "codequality", "fixture-cq.json" }, { "html", "fixture.html" },
		{ "markdown", "fixture.md" }, { "table", "fixture.txt" },
	};
	char *dir = th_tmpdir("report-formats-out"), *text;
	struct iotb_results res;
	struct iotb_report_ctx ctx;
	struct iotb_baseline bl;
	struct iotb_finding *f;
	size_t i;

	iotb_results_init(&res);
	res.source_root = iotb_xstrdup(ROOT);
	add_secret(&res);
	add_binary(&res);
	add_flow(&res);
	add_note(&res, "/elsewhere/x y.c", 2);
	add_note(&res, "src/bad\xff name<&>.c", 0);
	f = iotb_results_add(&res, rule("fixture.many-cwe"), "src/q.c", 7, 2, "suppressed");
	f->snippet = iotb_xstrdup("q");
	f->suppressed_by = iotb_xstrdup("known");
	add_elf_artifact(&res, "bin/httpd");
	iotb_results_add_artifact(&res, "src/p.c", "c-source");
	iotb_results_finish(&res);
	text = iotb_xasprintf("{\"baseline_version\": 1, \"findings\": [{\"fingerprint\": \"%s\"},"
			      "{\"fingerprint\": \"" FP64 "\", \"rule\": \"fixture.secret\", "
			      "\"path\": \"src/old.c\", \"line\": 9, \"message\": \"old\"}]}",
			      res.findings[0].fingerprint);
	iotb_baseline_init(&bl);
	CU_ASSERT_EQUAL_FATAL(iotb_baseline_parse(&bl, text, strlen(text), "bl.json"), 0);
	iotb_baseline_apply(&bl, &res);
	ctx_for(&ctx, &res);
	ctx.baseline = &bl;
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		char *out = run_reporter(formats[i][0], &ctx);

		free(th_write(dir, formats[i][1], out));
		free(out);
	}
	iotb_baseline_release(&bl);
	free(text);
	free(dir);
	iotb_results_release(&res);
}

static const struct th_test tests[] = {
	{ "sarif_top_level", test_sarif_top_level },
	{ "sarif_rules", test_sarif_rules },
	{ "sarif_source_result", test_sarif_source_result },
	{ "sarif_regions", test_sarif_regions },
	{ "sarif_binary_address", test_sarif_binary_address },
	{ "sarif_related_and_flow", test_sarif_related_and_flow },
	{ "sarif_suppressions", test_sarif_suppressions },
	{ "sarif_uris", test_sarif_uris },
	{ "sarif_artifacts_and_config", test_sarif_artifacts_and_config },
	{ "sarif_category", test_sarif_category },
	{ "sarif_result_limit", test_sarif_result_limit },
	{ "baseline_states", test_baseline_states },
	{ "baseline_roundtrip_line_shift", test_baseline_roundtrip_line_shift },
	{ "baseline_file_format", test_baseline_file_format },
	{ "baseline_errors", test_baseline_errors },
	{ "baseline_write_error", test_baseline_write_error },
	{ "junit_cases", test_junit_cases },
	{ "junit_engine_cases", test_junit_engine_cases },
	{ "junit_escaping", test_junit_escaping },
	{ "codequality", test_codequality },
	{ "table", test_table },
	{ "markdown", test_markdown },
	{ "html", test_html },
	{ "baseline_counts_in_reports", test_baseline_counts_in_reports },
	{ "write_errors", test_write_errors },
	{ "write_fixture_reports", test_write_fixture_reports },
	{ NULL, NULL },
};

void register_suite_report_formats(void)
{
	th_add_suite("report_formats", tests);
}
