/*
 * test_finding.c — masking, fingerprints, ordering and the JSON transport
 * form of the result set.
 */
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "test_helpers.h"

static const struct iotb_rule *rule(const char *id)
{
	const struct iotb_rule *r = iotb_catalogue_rule(th_catalogue(), id);

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	return r;
}

static void test_mask_long(void)
{
	const char *secret = "Xk9vT2qLm7pQ4wZ";
	char *m = iotb_mask_secret(secret, strlen(secret), NULL, 0);

	CU_ASSERT_STRING_EQUAL(m, "Xk…wZ (15 chars)");
	CU_ASSERT_FALSE(th_contains(m, "9vT2qLm7pQ4"));
	free(m);
}

static void test_mask_short(void)
{
	char *m = iotb_mask_secret("admin", 5, NULL, 0);

	CU_ASSERT_STRING_EQUAL(m, "<5 chars>");
	free(m);
	m = iotb_mask_secret("admin", 5, "k", 1);
	CU_ASSERT_TRUE(th_contains(m, "<5 chars, hmac-sha256:"));
	CU_ASSERT_EQUAL(strlen(m), strlen("<5 chars, hmac-sha256:>") + 16);
	CU_ASSERT_FALSE(th_contains(m, "admin"));
	free(m);
	/* exactly 11 bytes is still short; 12 shows 2+2 */
	m = iotb_mask_secret("abcdefghijk", 11, NULL, 0);
	CU_ASSERT_STRING_EQUAL(m, "<11 chars>");
	free(m);
	m = iotb_mask_secret("abcdefghijkl", 12, NULL, 0);
	CU_ASSERT_STRING_EQUAL(m, "ab…kl (12 chars)");
	free(m);
}

static void test_mask_non_utf8(void)
{
	char *m = iotb_mask_secret("\xff\xfe" "0123456789\x80\x81", 14, NULL, 0);

	CU_ASSERT_TRUE(iotb_is_utf8(m, strlen(m)));
	CU_ASSERT_STRING_EQUAL(m, "\\xFF\\xFE…\\x80\\x81 (14 chars)");
	free(m);
}

static void test_set_secret_never_clear(void)
{
	struct iotb_results res;
	struct iotb_finding *f;

	iotb_results_init(&res);
	f = iotb_results_add(&res, rule("scan.malformed-input"), "a.bin", 0, 0, "m");
	iotb_finding_set_secret(f, "hunter2hunter2", 14);
	CU_ASSERT_STRING_EQUAL(f->evidence, "hu…r2 (14 chars)");
	iotb_results_release(&res);
}

/* Fingerprint of the one finding at `line` of a file holding `text`. */
static void fingerprint_of(const char *dir, const char *text, unsigned line,
			   const char *function, char out[65])
{
	char *path = th_write(dir, "src/net.c", text);
	struct iotb_results res;

	iotb_results_init(&res);
	res.source_root = iotb_xstrdup(dir);
	iotb_results_add(&res, rule("scan.parse-error"), path, line, 5, "msg")->function =
		iotb_xstrdup(function);
	iotb_results_finish(&res);
	memcpy(out, res.findings[0].fingerprint, 65);
	iotb_results_release(&res);
	free(path);
}

static void test_fingerprint_line_shift(void)
{
	char *dir = th_tmpdir("fp");
	char a[65], b[65], c[65], d[65];

	fingerprint_of(dir, "int x;\n\n  strcpy(a, b);\n", 3, "c:@F@f", a);
	fingerprint_of(dir, "int x;\n\n\n\n strcpy( a,  b);\n", 5, "c:@F@f", b);
	fingerprint_of(dir, "int x;\n\n  strcpy(a, b);\n", 3, "c:@F@g", c);
	fingerprint_of(dir, "int x;\n\n  strcpy(a, c);\n", 3, "c:@F@f", d);
	CU_ASSERT_EQUAL(strlen(a), 64);
	CU_ASSERT_STRING_NOT_EQUAL(a, b);   /* whitespace inside tokens differs */
	fingerprint_of(dir, "int x;\n\n\n\n  strcpy(a,   b);\n", 5, "c:@F@f", b);
	CU_ASSERT_STRING_EQUAL(a, b);       /* runs of blanks fold to one */
	fingerprint_of(dir, "int x;\n\n\n\n\tstrcpy(a, b);  \n", 5, "c:@F@f", b);
	CU_ASSERT_STRING_EQUAL(a, b);       /* only the line moved */
	CU_ASSERT_STRING_NOT_EQUAL(a, c);   /* other function */
	CU_ASSERT_STRING_NOT_EQUAL(a, d);   /* other code */
	free(dir);
}

static void test_fingerprint_occurrence_and_root(void)
{
	struct iotb_results res, res2;
	char *dir = th_tmpdir("fp2"), *dir2 = th_tmpdir("fp2-moved");
	char *p1 = th_write(dir, "a.c", "f();\nf();\n");
	char *p2 = th_write(dir2, "a.c", "f();\nf();\n");

	iotb_results_init(&res);
	iotb_results_init(&res2);
	res.source_root = iotb_xstrdup(dir);
	res2.source_root = iotb_xstrdup(dir2);
	iotb_results_add(&res, rule("scan.parse-error"), p1, 1, 1, "m");
	iotb_results_add(&res, rule("scan.parse-error"), p1, 2, 1, "m");
	iotb_results_add(&res2, rule("scan.parse-error"), p2, 2, 1, "m");
	iotb_results_finish(&res);
	iotb_results_finish(&res2);
	/* same snippet twice: occurrence index keeps them apart */
	CU_ASSERT_STRING_NOT_EQUAL(res.findings[0].fingerprint, res.findings[1].fingerprint);
	/* a checkout elsewhere: the repository-relative path is what counts */
	CU_ASSERT_STRING_EQUAL(res2.findings[0].fingerprint, res.findings[0].fingerprint);
	iotb_results_release(&res);
	iotb_results_release(&res2);
	free(p1);
	free(p2);
	free(dir);
	free(dir2);
}

static void test_sort_order(void)
{
	struct iotb_results res;

	iotb_results_init(&res);
	iotb_results_add(&res, rule("scan.parse-error"), "b.c", 1, 1, "m");
	iotb_results_add(&res, rule("scan.parse-error"), "a.c", 10, 1, "m");
	iotb_results_add(&res, rule("scan.not-analysed"), "a.c", 2, 3, "m");
	iotb_results_add(&res, rule("scan.malformed-input"), "a.c", 2, 3, "m");
	iotb_results_add(&res, rule("scan.parse-error"), "a.c", 2, 1, "m");
	iotb_results_finish(&res);
	CU_ASSERT_STRING_EQUAL(res.findings[0].loc.path, "a.c");
	CU_ASSERT_EQUAL(res.findings[0].loc.line, 2);
	CU_ASSERT_EQUAL(res.findings[0].loc.col, 1);
	CU_ASSERT_STRING_EQUAL(res.findings[1].rule->id, "scan.malformed-input");
	CU_ASSERT_STRING_EQUAL(res.findings[2].rule->id, "scan.not-analysed");
	CU_ASSERT_EQUAL(res.findings[3].loc.line, 10);
	CU_ASSERT_STRING_EQUAL(res.findings[4].loc.path, "b.c");
	iotb_results_release(&res);
}

/* A header finding reported by two workers (two TUs) is kept once. */
static void test_identical_findings_once(void)
{
	struct iotb_results res;

	iotb_results_init(&res);
	iotb_results_add(&res, rule("scan.parse-error"), "inc/util.h", 4, 2, "same");
	iotb_results_add(&res, rule("scan.parse-error"), "a.c", 1, 1, "other");
	iotb_results_add(&res, rule("scan.parse-error"), "inc/util.h", 4, 2, "same");
	iotb_results_add(&res, rule("scan.parse-error"), "inc/util.h", 4, 2, "different");
	iotb_results_finish(&res);
	CU_ASSERT_EQUAL(res.nfindings, 3);
	CU_ASSERT_STRING_EQUAL(res.findings[0].loc.path, "a.c");
	CU_ASSERT_STRING_NOT_EQUAL(res.findings[1].message, res.findings[2].message);
	iotb_results_release(&res);
}

static void test_transport_round_trip(void)
{
	struct iotb_results res, back;
	struct iotb_finding *f;
	struct iotb_artifact *a;
	json_t *j, *j2;
	char *s1, *s2;

	iotb_results_init(&res);
	iotb_results_init(&back);
	f = iotb_results_add(&res, rule("scan.malformed-input"), "fw/bad\xff.elf", 0, 0,
			     "truncated program header table");
	f->loc.section = iotb_xstrdup(".rodata");
	f->loc.offset = 0x1f30;
	f->loc.has_offset = true;
	iotb_finding_set_secret(f, "0123456789abcdef", 16);
	iotb_finding_add_flow(f, "a.c", 3, 1, "entry");
	iotb_finding_add_related(f, "b.c", 9, 2, "sink");
	a = iotb_results_add_artifact(&res, "fw/bad\xff.elf", "elf");
	a->engine = iotb_xstrdup("elfcheck");
	a->facts = json_pack("{s:s}", "class", "ELF32");
	iotb_results_count_skipped(&res, "other");
	iotb_results_count_skipped(&res, "other");
	iotb_strvec_push(&res.engines_ran, "elfcheck");
	res.files_seen = 3;
	j = iotb_results_to_json(&res);
	s1 = json_dumps(j, JSON_SORT_KEYS);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s1);   /* dumps fails on invalid UTF-8 */
	CU_ASSERT_EQUAL(iotb_results_from_json(&back, j, th_catalogue()), 0);
	CU_ASSERT_STRING_EQUAL(back.findings[0].loc.path, "fw/bad\xff.elf");
	CU_ASSERT_EQUAL(back.findings[0].loc.offset, 0x1f30);
	CU_ASSERT_STRING_EQUAL(back.findings[0].evidence, "01…ef (16 chars)");
	CU_ASSERT_EQUAL(back.skipped[0].count, 2);
	CU_ASSERT_EQUAL(back.files_seen, 3);
	j2 = iotb_results_to_json(&back);
	s2 = json_dumps(j2, JSON_SORT_KEYS);
	CU_ASSERT_STRING_EQUAL(s1, s2);
	free(s1);
	free(s2);
	json_decref(j);
	json_decref(j2);
	iotb_results_release(&res);
	iotb_results_release(&back);
}

static void test_transport_unknown_rule(void)
{
	struct iotb_results res;
	json_t *j = json_pack("{s:i,s:[{s:s}]}", "version", 1, "findings", "rule", "no.such");

	iotb_results_init(&res);
	CU_ASSERT_EQUAL(iotb_results_from_json(&res, j, th_catalogue()), -1);
	CU_ASSERT_STRING_EQUAL(iotb_last_error(), "result names unknown rule 'no.such'");
	json_decref(j);
	iotb_results_release(&res);
}

static void test_report_form_utf8(void)
{
	struct iotb_location loc = { .path = "d/bad\xff name.c", .line = 2 };
	json_t *j = iotb_location_to_json(&loc);

	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(j, "path")),
			       "d/bad\\xFF name.c");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(j, "uri")),
			       "d/bad%FF%20name.c");
	json_decref(j);
}

static const struct th_test tests[] = {
	{ "mask long secret", test_mask_long },
	{ "mask short secret", test_mask_short },
	{ "mask non-UTF-8 secret", test_mask_non_utf8 },
	{ "set_secret stores only the mask", test_set_secret_never_clear },
	{ "fingerprint survives a line shift", test_fingerprint_line_shift },
	{ "fingerprint occurrence and root", test_fingerprint_occurrence_and_root },
	{ "sort order", test_sort_order },
	{ "identical findings kept once", test_identical_findings_once },
	{ "transport round trip", test_transport_round_trip },
	{ "transport unknown rule", test_transport_unknown_rule },
	{ "report form is UTF-8 with URI", test_report_form_utf8 },
	{ NULL, NULL },
};

void register_suite_finding(void)
{
	th_add_suite("finding", tests);
}
