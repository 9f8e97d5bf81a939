/*
 * test_suppress.c — inline `iotb:ignore[...]` markers (parsing and
 * matching), config suppressions (rule, path glob, fingerprint), the
 * scan.suppression-without-reason / scan.unused-suppression reports with
 * their locations, and the fail threshold.  Uses the fixture rules in
 * tests/data/config/rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "finding.h"
#include "suppress.h"
#include "test_helpers.h"

#define FIXTURE_RULES IOTB_SOURCE_DIR "/tests/data/config/rules"
#define NO_REASON "scan.suppression-without-reason"
#define UNUSED "scan.unused-suppression"

static struct iotb_catalogue *fixture_catalogue(void)
{
	struct iotb_catalogue *cat = iotb_catalogue_load(FIXTURE_RULES);

	if (!cat)
		fprintf(stderr, "fixture catalogue: %s\n", iotb_last_error());
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	return cat;
}

static void scan(struct iotb_results *res, const char *path, const char *text)
{
	iotb_suppress_scan_text(res, path, text, strlen(text));
}

static struct iotb_finding *add(struct iotb_results *res,
                                const struct iotb_catalogue *cat, const char *rule,
                                const char *path, unsigned line)
{
	const struct iotb_rule *r = iotb_catalogue_rule(cat, rule);

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	return iotb_results_add(res, r, path, line, 5, "finding of %s", rule);
}

/* The n-th finding (in order) of rule, or NULL. */
static const struct iotb_finding *nth_of(const struct iotb_results *res,
                                         const char *rule, size_t n)
{
	size_t i;

	for (i = 0; i < res->nfindings; i++)
		if (strcmp(res->findings[i].rule->id, rule) == 0 && n-- == 0)
			return &res->findings[i];
	return NULL;
}

static size_t count_of(const struct iotb_results *res, const char *rule)
{
	size_t i, n = 0;

	for (i = 0; i < res->nfindings; i++)
		n += strcmp(res->findings[i].rule->id, rule) == 0;
	return n;
}

/* Load text as a config in a fresh tmpdir (must succeed). *path owned. */
static void load_config(struct iotb_config *cfg, const char *text, char **path)
{
	char *dir = th_tmpdir("suppress-config");

	*path = th_write(dir, ".iotb.yml", text);
	free(dir);
	iotb_config_init(cfg);
	if (iotb_config_load(cfg, *path) < 0)
		fprintf(stderr, "config: %s\n", iotb_last_error());
	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg->path);
}

/* ---- parsing markers ---- */

static const char marker_text[] =
	"int a; // iotb:ignore[strings.unsafe-copy] legacy API, bounded by caller\n"
	"/* iotb:ignore[ strings , crypto.weak-hash ] vendor code */\n"
	"x(); // iotb:ignore[strings.format]\n"
	"// iotb:ignore[strings.format\n"
	"// iotb:ignore[] why\n"
	"// iotb:ignore[Strings.Format] why\n"
	"// iotb:ignore[a,,b] why\n"
	"y(); /* iotb:ignore[crypto]   */\r\n"
	"// iotb:ignore[a] one iotb:ignore[b] two\n"
	"// iotb:ignore missing bracket is not a marker\n"
	"// iotb:ignore[strings.format] x */ */";

static void test_scan_markers(void)
{
	struct iotb_results res;
	const struct iotb_inline_supp *m;

	iotb_results_init(&res);
	scan(&res, "src/a.c", marker_text);
	CU_ASSERT_EQUAL_FATAL(res.ninline, 11);
	m = &res.inline_supps[0];
	CU_ASSERT_STRING_EQUAL(m->path, "src/a.c");
	CU_ASSERT_EQUAL(m->line, 1);
	CU_ASSERT_EQUAL(m->col, 11);
	CU_ASSERT_EQUAL_FATAL(m->rules.n, 1);
	CU_ASSERT_STRING_EQUAL(m->rules.v[0], "strings.unsafe-copy");
	CU_ASSERT_STRING_EQUAL(m->reason, "legacy API, bounded by caller");
	CU_ASSERT_PTR_NULL(m->problem);

	m = &res.inline_supps[1];
	CU_ASSERT_EQUAL(m->line, 2);
	CU_ASSERT_EQUAL(m->col, 4);
	CU_ASSERT_EQUAL_FATAL(m->rules.n, 2);
	CU_ASSERT_STRING_EQUAL(m->rules.v[0], "strings");
	CU_ASSERT_STRING_EQUAL(m->rules.v[1], "crypto.weak-hash");
	CU_ASSERT_STRING_EQUAL(m->reason, "vendor code");

	m = &res.inline_supps[2];
	CU_ASSERT_EQUAL(m->line, 3);
	CU_ASSERT_PTR_NULL(m->reason);
	CU_ASSERT_PTR_NULL(m->problem);

	CU_ASSERT_STRING_EQUAL(res.inline_supps[3].problem, "missing ']' after the rule list");
	CU_ASSERT_STRING_EQUAL(res.inline_supps[4].problem, "empty rule list");
	CU_ASSERT_STRING_EQUAL(res.inline_supps[5].problem,
			       "invalid rule id 'Strings.Format' in the rule list");
	CU_ASSERT_STRING_EQUAL(res.inline_supps[6].problem, "empty entry in the rule list");
	CU_ASSERT_EQUAL(res.inline_supps[6].line, 7);

	m = &res.inline_supps[7];
	CU_ASSERT_EQUAL(m->line, 8);
	CU_ASSERT_STRING_EQUAL(m->rules.v[0], "crypto");
	CU_ASSERT_PTR_NULL(m->reason);   /* only the comment close and blanks */

	CU_ASSERT_STRING_EQUAL(res.inline_supps[8].reason, "one");
	CU_ASSERT_EQUAL(res.inline_supps[8].line, 9);
	CU_ASSERT_STRING_EQUAL(res.inline_supps[9].rules.v[0], "b");
	CU_ASSERT_STRING_EQUAL(res.inline_supps[9].reason, "two");
	CU_ASSERT_EQUAL(res.inline_supps[9].col, 23);

	m = &res.inline_supps[10];
	CU_ASSERT_EQUAL(m->line, 11);
	CU_ASSERT_STRING_EQUAL(m->reason, "x */");
	iotb_results_release(&res);
}

static void test_scan_marker_bad_utf8(void)
{
	struct iotb_results res;

	iotb_results_init(&res);
	scan(&res, "a.c", "// iotb:ignore[strings] caf\xe9 ok\n// iotb:ignore[x\xff] r\n");
	CU_ASSERT_EQUAL_FATAL(res.ninline, 2);
	CU_ASSERT_STRING_EQUAL(res.inline_supps[0].reason, "caf\\xE9 ok");
	CU_ASSERT_STRING_EQUAL(res.inline_supps[1].problem,
			       "invalid rule id 'x\\xFF' in the rule list");
	iotb_results_release(&res);
}

static void test_scan_marker_unterminated_text(void)
{
	struct iotb_results res;
	const char text[] = "// iotb:ignore[strings] why";

	iotb_results_init(&res);
	/* the length stops before "why": no reading past len */
	iotb_suppress_scan_text(&res, "a.c", text, strlen(text) - 4);
	CU_ASSERT_EQUAL_FATAL(res.ninline, 1);
	CU_ASSERT_PTR_NULL(res.inline_supps[0].reason);
	iotb_suppress_scan_text(&res, "b.c", text, 10);
	CU_ASSERT_EQUAL(res.ninline, 1);
	iotb_inline_supp_release(NULL);
	iotb_results_release(&res);
}

/* ---- inline matching ---- */

static void test_inline_same_line_and_above(void)
{
	struct iotb_catalogue *cat = fixture_catalogue();
	struct iotb_results res;

	iotb_results_init(&res);
	scan(&res, "src/a.c",
	     "strcpy(a, b); // iotb:ignore[strings.unsafe-copy] bounded by caller\n"
	     "// iotb:ignore[strings.unsafe-copy] checked length above\n"
	     "strcpy(c, d);\n"
	     "// iotb:ignore[strings.unsafe-copy] too far away\n"
	     "\n"
	     "strcpy(e, f);\n");
	add(&res, cat, "strings.unsafe-copy", "src/a.c", 1);
	add(&res, cat, "strings.unsafe-copy", "src/a.c", 3);
	add(&res, cat, "strings.unsafe-copy", "src/a.c", 6);
	add(&res, cat, "strings.unsafe-copy", "src/b.c", 1);
	CU_ASSERT_EQUAL(iotb_suppress_apply(&res, cat, NULL), 0);

	CU_ASSERT_STRING_EQUAL(res.findings[0].suppressed_by, "bounded by caller");
	CU_ASSERT_STRING_EQUAL(res.findings[1].suppressed_by, "checked length above");
	CU_ASSERT_PTR_NULL(res.findings[2].suppressed_by);   /* two lines below */
	CU_ASSERT_PTR_NULL(res.findings[3].suppressed_by);   /* other file */
	CU_ASSERT_EQUAL(res.inline_supps[0].used, 1);
	CU_ASSERT_EQUAL(res.inline_supps[1].used, 1);
	CU_ASSERT_EQUAL(res.inline_supps[2].used, 0);
	/* the marker on line 4 is reported unused, at its own position */
	CU_ASSERT_EQUAL_FATAL(count_of(&res, UNUSED), 1);
	CU_ASSERT_EQUAL(nth_of(&res, UNUSED, 0)->loc.line, 4);
	CU_ASSERT_EQUAL(nth_of(&res, UNUSED, 0)->loc.col, 4);
	CU_ASSERT_STRING_EQUAL(nth_of(&res, UNUSED, 0)->loc.path, "src/a.c");
	CU_ASSERT_STRING_EQUAL(nth_of(&res, UNUSED, 0)->message,
			       "suppression 'iotb:ignore[strings.unsafe-copy]' matched no finding");
	CU_ASSERT_EQUAL(nth_of(&res, UNUSED, 0)->severity, IOTB_SEV_NOTE);
	CU_ASSERT_EQUAL(res.nfindings, 5);
	iotb_results_release(&res);
	iotb_catalogue_free(cat);
}

static void test_inline_many_files(void)
{
	struct iotb_catalogue *cat = fixture_catalogue();
	struct iotb_results res;
	struct iotb_strbuf big;
	unsigned i;

	iotb_results_init(&res);
	iotb_strbuf_init(&big);
	for (i = 1; i <= 400; i++)
		iotb_strbuf_addf(&big, "x(); // iotb:ignore[crypto] line %u\n", i);
	scan(&res, "src/z.c", big.buf);
	scan(&res, "src/b.c", "\n\n// iotb:ignore[strings] first b\n");
	scan(&res, "src/a.c", "\n// iotb:ignore[strings] a-first iotb:ignore[strings] a-second\n");
	scan(&res, "src/b.c", "// iotb:ignore[strings] second b\n");
	add(&res, cat, "strings.format", "src/a.c", 3);
	add(&res, cat, "strings.format", "src/b.c", 4);
	add(&res, cat, "strings.format", "src/b.c", 1);
	for (i = 1; i <= 400; i++)
		add(&res, cat, "crypto.weak-hash", "src/z.c", i);
	CU_ASSERT_EQUAL(iotb_suppress_apply(&res, cat, NULL), 0);
	CU_ASSERT_STRING_EQUAL(res.findings[0].suppressed_by, "a-first");
	CU_ASSERT_STRING_EQUAL(res.findings[1].suppressed_by, "first b");
	CU_ASSERT_STRING_EQUAL(res.findings[2].suppressed_by, "second b");
	for (i = 0; i < 400; i++) {
		char *want = iotb_xasprintf("line %u", i + 1);

		CU_ASSERT_STRING_EQUAL(res.findings[3 + i].suppressed_by, want);
		free(want);
	}
	/* only the second marker of line 2 in a.c is left over */
	CU_ASSERT_EQUAL_FATAL(count_of(&res, UNUSED), 1);
	CU_ASSERT_STRING_EQUAL(nth_of(&res, UNUSED, 0)->loc.path, "src/a.c");
	CU_ASSERT_EQUAL(nth_of(&res, UNUSED, 0)->loc.col, 33);
	iotb_strbuf_release(&big);
	iotb_results_release(&res);
	iotb_catalogue_free(cat);
}

static void test_inline_file_scanned_twice(void)
{
	struct iotb_catalogue *cat = fixture_catalogue();
	struct iotb_results res;
	const char text[] = "// iotb:ignore[strings] a iotb:ignore[crypto] b\n"
			    "// iotb:ignore[strings.format]\n";

	iotb_results_init(&res);
	scan(&res, "src/a.c", text);
	scan(&res, "src/b.c", text);
	scan(&res, "src/a.c", text);
	add(&res, cat, "strings.format", "src/a.c", 1);
	add(&res, cat, "crypto.weak-hash", "src/a.c", 2);
	CU_ASSERT_EQUAL(iotb_suppress_apply(&res, cat, NULL), 0);
	CU_ASSERT_EQUAL(res.ninline, 6);
	CU_ASSERT_STRING_EQUAL(res.findings[0].suppressed_by, "a");
	CU_ASSERT_STRING_EQUAL(res.findings[1].suppressed_by, "b");
	/* a.c: one without-reason report; b.c: that and two unused */
	CU_ASSERT_EQUAL(count_of(&res, NO_REASON), 2);
	CU_ASSERT_EQUAL(count_of(&res, UNUSED), 2);
	CU_ASSERT_STRING_EQUAL(nth_of(&res, UNUSED, 0)->loc.path, "src/b.c");
	CU_ASSERT_STRING_EQUAL(nth_of(&res, UNUSED, 1)->loc.path, "src/b.c");
	iotb_results_release(&res);
	iotb_catalogue_free(cat);
}

static void test_inline_area_match(void)
{
	struct iotb_catalogue *cat = fixture_catalogue();
	struct iotb_results res;

	iotb_results_init(&res);
	scan(&res, "src/a.c", "// iotb:ignore[strings, crypto.weak-hash] vendor code\n");
	add(&res, cat, "strings.unsafe-copy", "src/a.c", 2);
	add(&res, cat, "strings.format", "src/a.c", 2);
	add(&res, cat, "crypto.weak-hash", "src/a.c", 1);
	CU_ASSERT_EQUAL(iotb_suppress_apply(&res, cat, NULL), 0);
	CU_ASSERT_STRING_EQUAL(res.findings[0].suppressed_by, "vendor code");
	CU_ASSERT_STRING_EQUAL(res.findings[1].suppressed_by, "vendor code");
	CU_ASSERT_STRING_EQUAL(res.findings[2].suppressed_by, "vendor code");
	CU_ASSERT_EQUAL(res.inline_supps[0].used, 3);
	CU_ASSERT_EQUAL(res.nfindings, 3);
	iotb_results_release(&res);

	/* an area is a whole area, never a prefix of one */
	iotb_results_init(&res);
	scan(&res, "src/a.c", "// iotb:ignore[crypto] other area\n");
	add(&res, cat, "strings.format", "src/a.c", 2);
	CU_ASSERT_EQUAL(iotb_suppress_apply(&res, cat, NULL), 0);
	CU_ASSERT_PTR_NULL(res.findings[0].suppressed_by);
	CU_ASSERT_EQUAL(count_of(&res, UNUSED), 1);
	iotb_results_release(&res);
	iotb_catalogue_free(cat);
}

static void test_inline_without_reason(void)
{
	struct iotb_catalogue *cat = fixture_catalogue();
	struct iotb_results res;
	const struct iotb_finding *f;

	iotb_results_init(&res);
	scan(&res, "src/a.c", "x();\n  strcpy(a, b); /* iotb:ignore[strings.unsafe-copy]  */\n");
	add(&res, cat, "strings.unsafe-copy", "src/a.c", 2);
	CU_ASSERT_EQUAL(iotb_suppress_apply(&res, cat, NULL), 0);
	CU_ASSERT_PTR_NULL(res.findings[0].suppressed_by);
	CU_ASSERT_EQUAL_FATAL(res.nfindings, 2);
	f = nth_of(&res, NO_REASON, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_STRING_EQUAL(f->loc.path, "src/a.c");
	CU_ASSERT_EQUAL(f->loc.line, 2);
	CU_ASSERT_EQUAL(f->loc.col, 20);
	CU_ASSERT_EQUAL(f->severity, IOTB_SEV_WARNING);
	CU_ASSERT_STRING_EQUAL(f->message,
			       "suppression 'iotb:ignore[strings.unsafe-copy]' has no reason, so it "
			       "suppresses nothing");
	CU_ASSERT_PTR_NULL(f->suppressed_by);
	CU_ASSERT_EQUAL(count_of(&res, UNUSED), 0);   /* one report per marker */
	iotb_results_release(&res);
	iotb_catalogue_free(cat);
}

static void test_inline_without_reason_rule_disabled(void)
{
	struct iotb_catalogue *cat = fixture_catalogue();
	struct iotb_results res;

	iotb_catalogue_rule(cat, NO_REASON)->enabled = false;
	iotb_catalogue_rule(cat, UNUSED)->enabled = false;
	iotb_results_init(&res);
	scan(&res, "src/a.c", "// iotb:ignore[strings]\n// iotb:ignore[crypto] unused\n");
	add(&res, cat, "strings.format", "src/a.c", 2);
	CU_ASSERT_EQUAL(iotb_suppress_apply(&res, cat, NULL), 0);
	CU_ASSERT_EQUAL(res.nfindings, 1);
	CU_ASSERT_PTR_NULL(res.findings[0].suppressed_by);
	iotb_results_release(&res);
	iotb_catalogue_free(cat);
}

static void test_inline_unknown_and_malformed(void)
{
	struct iotb_catalogue *cat = fixture_catalogue();
	struct iotb_results res;
	const struct iotb_finding *f;

	iotb_results_init(&res);
	scan(&res, "src/a.c",
	     "strcpy(a, b); // iotb:ignore[strings.unsafe-copy, nosuch.rule] reviewed\n"
	     "// iotb:ignore[strings.format\n"
	     "// iotb:ignore[nosuch] all unknown\n");
	add(&res, cat, "strings.unsafe-copy", "src/a.c", 1);
	CU_ASSERT_EQUAL(iotb_suppress_apply(&res, cat, NULL), 0);
	CU_ASSERT_STRING_EQUAL(res.findings[0].suppressed_by, "reviewed");
	CU_ASSERT_EQUAL_FATAL(count_of(&res, UNUSED), 3);
	f = nth_of(&res, UNUSED, 0);
	CU_ASSERT_EQUAL(f->loc.line, 1);
	CU_ASSERT_EQUAL(f->loc.col, 18);
	CU_ASSERT_STRING_EQUAL(f->message,
			       "suppression 'iotb:ignore[strings.unsafe-copy,nosuch.rule]' names "
			       "unknown rule 'nosuch.rule'");
	f = nth_of(&res, UNUSED, 1);
	CU_ASSERT_EQUAL(f->loc.line, 2);
	CU_ASSERT_EQUAL(f->loc.col, 4);
	CU_ASSERT_STRING_EQUAL(f->message,
			       "malformed suppression marker: missing ']' after the rule list; it "
			       "suppresses nothing");
	f = nth_of(&res, UNUSED, 2);
	CU_ASSERT_EQUAL(f->loc.line, 3);
	CU_ASSERT_STRING_EQUAL(f->message,
			       "suppression 'iotb:ignore[nosuch]' names unknown rule 'nosuch'");
	CU_ASSERT_EQUAL(res.nfindings, 4);
	iotb_results_release(&res);
	iotb_catalogue_free(cat);
}

static void test_scan_findings_not_self_suppressed(void)
{
	struct iotb_catalogue *cat = fixture_catalogue();
	struct iotb_results res;

	/* a marker cannot suppress the report about itself */
	iotb_results_init(&res);
	scan(&res, "src/a.c", "// iotb:ignore[scan] nothing here\n");
	CU_ASSERT_EQUAL(iotb_suppress_apply(&res, cat, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(res.nfindings, 1);
	CU_ASSERT_STRING_EQUAL(res.findings[0].rule->id, UNUSED);
	CU_ASSERT_PTR_NULL(res.findings[0].suppressed_by);
	iotb_results_release(&res);

	iotb_results_init(&res);
	scan(&res, "src/a.c", "// iotb:ignore[scan.suppression-without-reason]\n");
	CU_ASSERT_EQUAL(iotb_suppress_apply(&res, cat, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(res.nfindings, 1);
	CU_ASSERT_STRING_EQUAL(res.findings[0].rule->id, NO_REASON);
	CU_ASSERT_PTR_NULL(res.findings[0].suppressed_by);
	iotb_results_release(&res);

	/* but a marker on the line above can, and is then used */
	iotb_results_init(&res);
	scan(&res, "gen/a.c",
	     "// iotb:ignore[scan.suppression-without-reason] generator output\n"
	     "// iotb:ignore[strings]\n");
	CU_ASSERT_EQUAL(iotb_suppress_apply(&res, cat, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(res.nfindings, 1);
	CU_ASSERT_STRING_EQUAL(res.findings[0].rule->id, NO_REASON);
	CU_ASSERT_EQUAL(res.findings[0].loc.line, 2);
	CU_ASSERT_STRING_EQUAL(res.findings[0].suppressed_by, "generator output");
	CU_ASSERT_EQUAL(res.inline_supps[0].used, 1);
	iotb_results_release(&res);

	/* a marker used only to silence another's unused report is used */
	iotb_results_init(&res);
	scan(&res, "gen/a.c",
	     "// iotb:ignore[scan.unused-suppression] kept for the next release\n"
	     "// iotb:ignore[strings] the copy comes back in 2.0\n");
	CU_ASSERT_EQUAL(iotb_suppress_apply(&res, cat, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(res.nfindings, 1);
	CU_ASSERT_EQUAL(res.findings[0].loc.line, 2);
	CU_ASSERT_STRING_EQUAL(res.findings[0].suppressed_by, "kept for the next release");
	iotb_results_release(&res);
	iotb_catalogue_free(cat);
}

/* ---- config suppressions ---- */

static void test_config_rule_and_path(void)
{
	struct iotb_catalogue *cat = fixture_catalogue();
	struct iotb_config cfg;
	struct iotb_results res;
	char *path, *abs_vendor;

	load_config(&cfg,
		    "suppressions:\n"
		    "  - rule: strings\n"
		    "    path: vendor/**\n"
		    "    reason: vendor code, reviewed\n"
		    "  - {path: \"*.gen.c\", reason: generated}\n",
		    &path);
	iotb_results_init(&res);
	res.source_root = th_tmpdir("suppress-root");
	abs_vendor = iotb_path_join(res.source_root, "vendor/zlib/inflate.c");
	add(&res, cat, "strings.format", "vendor/lib/a.c", 3);
	add(&res, cat, "strings.unsafe-copy", abs_vendor, 4);
	add(&res, cat, "crypto.weak-hash", "vendor/lib/a.c", 3);   /* other rule */
	add(&res, cat, "crypto.weak-hash", "src/tables.gen.c", 9);
	add(&res, cat, "strings.format", "src/main.c", 3);
	CU_ASSERT_EQUAL(iotb_suppress_apply(&res, cat, &cfg), 0);
	CU_ASSERT_STRING_EQUAL(res.findings[0].suppressed_by, "vendor code, reviewed");
	CU_ASSERT_STRING_EQUAL(res.findings[1].suppressed_by, "vendor code, reviewed");
	CU_ASSERT_PTR_NULL(res.findings[2].suppressed_by);
	CU_ASSERT_STRING_EQUAL(res.findings[3].suppressed_by, "generated");
	CU_ASSERT_PTR_NULL(res.findings[4].suppressed_by);
	CU_ASSERT_EQUAL(cfg.suppressions[0].used, 2);
	CU_ASSERT_EQUAL(cfg.suppressions[1].used, 1);
	CU_ASSERT_EQUAL(res.nfindings, 5);
	iotb_results_release(&res);
	iotb_config_release(&cfg);
	iotb_catalogue_free(cat);
	free(abs_vendor);
	free(path);
}

static void test_config_fingerprint(void)
{
	struct iotb_catalogue *cat = fixture_catalogue();
	struct iotb_config cfg;
	struct iotb_results res;
	char fp[65], *text, *path;

	/* compute the fingerprint the finding will have */
	iotb_results_init(&res);
	add(&res, cat, "strings.format", "src/a.c", 3)->snippet = iotb_xstrdup("printf(buf);");
	add(&res, cat, "strings.format", "src/a.c", 7)->snippet = iotb_xstrdup("printf(msg);");
	iotb_results_fingerprint(&res);
	memcpy(fp, res.findings[1].fingerprint, sizeof(fp));
	CU_ASSERT_EQUAL(strlen(fp), 64);
	memset(res.findings[0].fingerprint, 0, sizeof(fp));
	memset(res.findings[1].fingerprint, 0, sizeof(fp));

	text = iotb_xasprintf("suppressions:\n  - {fingerprint: %s, reason: false positive}\n", fp);
	load_config(&cfg, text, &path);
	CU_ASSERT_EQUAL(iotb_suppress_apply(&res, cat, &cfg), 0);
	CU_ASSERT_PTR_NULL(res.findings[0].suppressed_by);
	CU_ASSERT_STRING_EQUAL(res.findings[1].suppressed_by, "false positive");
	CU_ASSERT_EQUAL(cfg.suppressions[0].used, 1);
	CU_ASSERT_EQUAL(res.nfindings, 2);
	iotb_results_release(&res);
	iotb_config_release(&cfg);
	iotb_catalogue_free(cat);
	free(text);
	free(path);
}

static void test_config_unused(void)
{
	struct iotb_catalogue *cat = fixture_catalogue();
	struct iotb_config cfg;
	struct iotb_results res;
	const struct iotb_finding *f;
	char *path;

	load_config(&cfg,
		    "fail_on: note\n"
		    "suppressions:\n"
		    "  - rule: crypto\n"
		    "    path: vendor/**\n"
		    "    reason: vendor code\n"
		    "  - {rule: strings.format, reason: used}\n"
		    "  - {fingerprint: 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff,"
		    " reason: gone}\n",
		    &path);
	iotb_results_init(&res);
	add(&res, cat, "strings.format", "src/a.c", 1);
	CU_ASSERT_EQUAL(iotb_suppress_apply(&res, cat, &cfg), 0);
	CU_ASSERT_STRING_EQUAL(res.findings[0].suppressed_by, "used");
	CU_ASSERT_EQUAL_FATAL(count_of(&res, UNUSED), 2);
	f = nth_of(&res, UNUSED, 0);
	CU_ASSERT_STRING_EQUAL(f->loc.path, path);
	CU_ASSERT_EQUAL(f->loc.line, 3);
	CU_ASSERT_EQUAL(f->loc.col, 5);
	CU_ASSERT_STRING_EQUAL(f->message,
			       "config suppression (rule 'crypto', path 'vendor/**') matched no finding");
	f = nth_of(&res, UNUSED, 1);
	CU_ASSERT_EQUAL(f->loc.line, 7);
	CU_ASSERT_EQUAL(f->loc.col, 5);
	CU_ASSERT_STRING_EQUAL(f->message,
			       "config suppression (fingerprint '001122334455…') matched no finding");
	iotb_results_release(&res);
	iotb_config_release(&cfg);
	iotb_catalogue_free(cat);
	free(path);
}

static void test_config_suppresses_scan_findings(void)
{
	struct iotb_catalogue *cat = fixture_catalogue();
	struct iotb_config cfg;
	struct iotb_results res;
	char *path;

	/* config may silence reports about markers in vendor code ... */
	load_config(&cfg,
		    "suppressions:\n"
		    "  - {rule: scan.unused-suppression, path: \"vendor/**\", reason: upstream markers}\n",
		    &path);
	iotb_results_init(&res);
	scan(&res, "vendor/x.c", "// iotb:ignore[strings] upstream\n");
	scan(&res, "src/y.c", "// iotb:ignore[strings] ours\n");
	CU_ASSERT_EQUAL(iotb_suppress_apply(&res, cat, &cfg), 0);
	CU_ASSERT_EQUAL_FATAL(res.nfindings, 2);
	CU_ASSERT_STRING_EQUAL(res.findings[0].loc.path, "vendor/x.c");
	CU_ASSERT_STRING_EQUAL(res.findings[0].suppressed_by, "upstream markers");
	CU_ASSERT_STRING_EQUAL(res.findings[1].loc.path, "src/y.c");
	CU_ASSERT_PTR_NULL(res.findings[1].suppressed_by);
	CU_ASSERT_EQUAL(cfg.suppressions[0].used, 1);
	iotb_results_release(&res);
	iotb_config_release(&cfg);
	free(path);

	/* ... but an entry never silences the report about itself */
	load_config(&cfg, "suppressions:\n  - {rule: scan, reason: quiet}\n", &path);
	iotb_results_init(&res);
	CU_ASSERT_EQUAL(iotb_suppress_apply(&res, cat, &cfg), 0);
	CU_ASSERT_EQUAL_FATAL(res.nfindings, 1);
	CU_ASSERT_STRING_EQUAL(res.findings[0].rule->id, UNUSED);
	CU_ASSERT_PTR_NULL(res.findings[0].suppressed_by);
	CU_ASSERT_STRING_EQUAL(res.findings[0].loc.path, path);
	CU_ASSERT_EQUAL(res.findings[0].loc.line, 2);
	CU_ASSERT_EQUAL(res.findings[0].loc.col, 5);
	iotb_results_release(&res);
	iotb_config_release(&cfg);
	iotb_catalogue_free(cat);
	free(path);
}

static void test_already_suppressed_kept(void)
{
	struct iotb_catalogue *cat = fixture_catalogue();
	struct iotb_results res;

	iotb_results_init(&res);
	scan(&res, "src/a.c", "// iotb:ignore[strings] inline reason\n");
	add(&res, cat, "strings.format", "src/a.c", 2)->suppressed_by = iotb_xstrdup("baseline");
	CU_ASSERT_EQUAL(iotb_suppress_apply(&res, cat, NULL), 0);
	CU_ASSERT_STRING_EQUAL(res.findings[0].suppressed_by, "baseline");
	CU_ASSERT_EQUAL(count_of(&res, UNUSED), 1);
	iotb_results_release(&res);
	iotb_catalogue_free(cat);
}

static void test_real_catalogue(void)
{
	struct iotb_catalogue *cat = th_catalogue();
	struct iotb_results res;

	CU_ASSERT_PTR_NOT_NULL_FATAL(iotb_catalogue_rule(cat, NO_REASON));
	CU_ASSERT_PTR_NOT_NULL_FATAL(iotb_catalogue_rule(cat, UNUSED));
	iotb_results_init(&res);
	scan(&res, "src/a.c", "// iotb:ignore[scan] generated file\n// iotb:ignore[scan.parse-error]\n");
	CU_ASSERT_EQUAL(iotb_suppress_apply(&res, cat, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(res.nfindings, 1);
	CU_ASSERT_STRING_EQUAL(res.findings[0].rule->id, NO_REASON);
	CU_ASSERT_EQUAL(res.findings[0].loc.line, 2);
	CU_ASSERT_STRING_EQUAL(res.findings[0].suppressed_by, "generated file");
	iotb_results_release(&res);
}

/* ---- threshold ---- */

static void test_threshold(void)
{
	struct iotb_catalogue *cat = fixture_catalogue();
	struct iotb_results res;

	iotb_results_init(&res);
	CU_ASSERT_EQUAL(iotb_threshold_status(&res, IOTB_SEV_NOTE), 0);
	add(&res, cat, "crypto.weak-hash", "a.c", 1);                  /* note */
	CU_ASSERT_EQUAL(iotb_threshold_status(&res, IOTB_SEV_NOTE), 1);
	CU_ASSERT_EQUAL(iotb_threshold_status(&res, IOTB_SEV_WARNING), 0);
	add(&res, cat, "strings.unsafe-copy", "a.c", 2);               /* warning */
	CU_ASSERT_EQUAL(iotb_threshold_status(&res, IOTB_SEV_WARNING), 1);
	CU_ASSERT_EQUAL(iotb_threshold_status(&res, IOTB_SEV_ERROR), 0);
	add(&res, cat, "strings.format", "a.c", 3);                    /* error */
	CU_ASSERT_EQUAL(iotb_threshold_status(&res, IOTB_SEV_ERROR), 1);
	CU_ASSERT_EQUAL(iotb_threshold_status(&res, IOTB_SEV_NEVER), 0);
	/* suppressed findings never count */
	res.findings[2].suppressed_by = iotb_xstrdup("reviewed");
	CU_ASSERT_EQUAL(iotb_threshold_status(&res, IOTB_SEV_ERROR), 0);
	CU_ASSERT_EQUAL(iotb_threshold_status(&res, IOTB_SEV_WARNING), 1);
	res.findings[1].suppressed_by = iotb_xstrdup("reviewed");
	CU_ASSERT_EQUAL(iotb_threshold_status(&res, IOTB_SEV_WARNING), 0);
	CU_ASSERT_EQUAL(iotb_threshold_status(&res, IOTB_SEV_NOTE), 1);
	iotb_results_release(&res);
	iotb_catalogue_free(cat);
}

static const struct th_test tests[] = {
	{ "scan_markers", test_scan_markers },
	{ "scan_marker_bad_utf8", test_scan_marker_bad_utf8 },
	{ "scan_marker_unterminated_text", test_scan_marker_unterminated_text },
	{ "inline_same_line_and_above", test_inline_same_line_and_above },
	{ "inline_many_files", test_inline_many_files },
	{ "inline_file_scanned_twice", test_inline_file_scanned_twice },
	{ "inline_area_match", test_inline_area_match },
	{ "inline_without_reason", test_inline_without_reason },
	{ "inline_without_reason_rule_disabled", test_inline_without_reason_rule_disabled },
	{ "inline_unknown_and_malformed", test_inline_unknown_and_malformed },
	{ "scan_findings_not_self_suppressed", test_scan_findings_not_self_suppressed },
	{ "config_rule_and_path", test_config_rule_and_path },
	{ "config_fingerprint", test_config_fingerprint },
	{ "config_unused", test_config_unused },
	{ "config_suppresses_scan_findings", test_config_suppresses_scan_findings },
	{ "already_suppressed_kept", test_already_suppressed_kept },
	{ "real_catalogue", test_real_catalogue },
	{ "threshold", test_threshold },
	{ NULL, NULL },
};

void register_suite_suppress(void)
{
	th_add_suite("suppress", tests);
}
