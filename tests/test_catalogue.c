/*
 * test_catalogue.c — the clause and rule catalogue: the project's real
 * rules/ directory, the fixture in tests/data/catalogue/good, function-spec
 * matching, and one test per loader error message (file:line:col text).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalogue.h"
#include "iotb_util.h"
#include "test_helpers.h"
#include "yamldoc.h"

#define GOOD_DIR IOTB_SOURCE_DIR "/tests/data/catalogue/good"

/* Every clause id of shared/27402-MAP.md ("5.2.3.1.1 / .2" gives two). */
static const char *const map_ids[] = {
	"5.1.1.1.1", "5.1.1.1.5 f", "5.1.1.1.6", "5.1.1.1.7", "5.1.2.1.1",
	"5.1.2.1.3", "5.1.2.2", "5.1.3.1.1", "5.1.3.1.2",
	"5.2.2.1.1", "5.2.2.1.2", "5.2.2.2", "5.2.3.1.1", "5.2.3.1.2",
	"5.2.4.1.1", "5.2.4.1.2", "5.2.5.1.1", "5.2.5.1.2", "5.2.5.1.3",
	"5.2.5.1.4", "5.2.5.2.1", "5.2.5.2.3", "5.2.6.1.1", "5.2.6.1.2",
	"5.2.6.1.3", "5.2.6.1.4", "5.2.6.2", "5.2.7.1.1", "5.2.7.1.2",
	"5.2.7.1.3", "5.2.7.2 a",
};
#define N_MAP_IDS (sizeof(map_ids) / sizeof(map_ids[0]))

static struct iotb_catalogue *load_real(void)
{
	struct iotb_catalogue *cat = iotb_catalogue_load(IOTB_SOURCE_DIR "/rules");

	if (!cat)
		fprintf(stderr, "cannot load rules/: %s\n", iotb_last_error());
	return cat;
}

/* Is id an x.x.x.2 clause (recommendation) by its shape? */
static bool is_recommendation_id(const char *id)
{
	int dots = 0;
	const char *p;

	for (p = id; *p && *p != ' '; p++) {
		if (*p != '.')
			continue;
		if (++dots == 3)
			return p[1] == '2';
	}
	return false;
}

static void test_real_clauses(void)
{
	struct iotb_catalogue *cat = load_real();
	const struct iotb_clause *c;
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	CU_ASSERT_EQUAL(cat->nclauses, N_MAP_IDS);
	for (i = 0; i < N_MAP_IDS; i++) {
		c = iotb_catalogue_clause(cat, map_ids[i]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(c);
		CU_ASSERT_EQUAL(c->kind, is_recommendation_id(map_ids[i]) ?
				IOTB_CLAUSE_RECOMMENDATION : IOTB_CLAUSE_REQUIREMENT);
		CU_ASSERT_STRING_EQUAL(c->section, map_ids[i][2] == '1' ? "5.1" : "5.2");
		CU_ASSERT(strlen(c->title) > 10);
	}
	c = iotb_catalogue_clause(cat, "5.1.1.1.5 f");
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(c->kind, IOTB_CLAUSE_REQUIREMENT);
	c = iotb_catalogue_clause(cat, "5.2.7.2 a");
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(c->kind, IOTB_CLAUSE_RECOMMENDATION);
	CU_ASSERT_PTR_NULL(iotb_catalogue_clause(cat, "5.1.1.1.5"));
	iotb_catalogue_free(cat);
}

static void test_real_rules(void)
{
	struct iotb_catalogue *cat = load_real();
	const struct iotb_rule *r;
	size_t i, j;

	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	CU_ASSERT(cat->nrules >= 5);
	for (i = 0; i < cat->nrules; i++) {
		r = &cat->rules[i];
		if (i)
			CU_ASSERT(strcmp(cat->rules[i - 1].id, r->id) < 0);
		for (j = 0; j < r->nclauses; j++)
			CU_ASSERT_PTR_NOT_NULL(iotb_catalogue_clause(cat, r->clauses[j]));
		if (strcmp(r->area, "scan") != 0)
			CU_ASSERT(r->nclauses > 0);
		CU_ASSERT(r->enabled);
		CU_ASSERT_EQUAL(r->severity, r->default_severity);
		CU_ASSERT(r->security_severity >= 0.0 && r->security_severity <= 10.0);
		CU_ASSERT_PTR_NOT_NULL(r->description);
		CU_ASSERT_PTR_EQUAL(iotb_catalogue_rule(cat, r->id), r);
	}
	r = iotb_catalogue_rule(cat, "scan.parse-error");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(r->default_severity, IOTB_SEV_NOTE);
	CU_ASSERT_STRING_EQUAL(r->area, "scan");
	CU_ASSERT_EQUAL(r->nclauses, 0);
	CU_ASSERT_DOUBLE_EQUAL(r->security_severity, 2.0, 1e-9);
	CU_ASSERT(th_contains(r->origin, "/rules/scan.yaml:"));
	r = iotb_catalogue_rule(cat, "scan.malformed-input");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(r->default_severity, IOTB_SEV_WARNING);
	CU_ASSERT_DOUBLE_EQUAL(r->security_severity, 5.0, 1e-9);
	CU_ASSERT_PTR_NOT_NULL(iotb_catalogue_rule(cat, "scan.not-analysed"));
	CU_ASSERT_PTR_NOT_NULL(iotb_catalogue_rule(cat, "scan.suppression-without-reason"));
	CU_ASSERT_PTR_NOT_NULL(iotb_catalogue_rule(cat, "scan.unused-suppression"));
	CU_ASSERT_PTR_NULL(iotb_catalogue_rule(cat, "scan.nonexistent"));
	iotb_catalogue_free(cat);
}

static void test_clause_id_valid(void)
{
	CU_ASSERT(iotb_clause_id_valid("5.2"));
	CU_ASSERT(iotb_clause_id_valid("5.2.6.1.4"));
	CU_ASSERT(iotb_clause_id_valid("5.1.1.1.5 f"));
	CU_ASSERT(iotb_clause_id_valid("5.2.7.2 a"));
	CU_ASSERT(iotb_clause_id_valid("10.20.300"));
	CU_ASSERT_FALSE(iotb_clause_id_valid(NULL));
	CU_ASSERT_FALSE(iotb_clause_id_valid(""));
	CU_ASSERT_FALSE(iotb_clause_id_valid("5"));
	CU_ASSERT_FALSE(iotb_clause_id_valid("5."));
	CU_ASSERT_FALSE(iotb_clause_id_valid(".5.2"));
	CU_ASSERT_FALSE(iotb_clause_id_valid("5..2"));
	CU_ASSERT_FALSE(iotb_clause_id_valid("5.2.x"));
	CU_ASSERT_FALSE(iotb_clause_id_valid("5.1.1.1.5f"));
	CU_ASSERT_FALSE(iotb_clause_id_valid("5.1.1.1.5 F"));
	CU_ASSERT_FALSE(iotb_clause_id_valid("5.1.1.1.5 ff"));
	CU_ASSERT_FALSE(iotb_clause_id_valid("5.1.1.1.5  f"));
	CU_ASSERT_FALSE(iotb_clause_id_valid("5.1.1.1.5 "));
	CU_ASSERT_FALSE(iotb_clause_id_valid(" 5.2"));
	CU_ASSERT_FALSE(iotb_clause_id_valid("5.2.6.2 (rec.)"));
}

static void test_severity(void)
{
	CU_ASSERT_EQUAL(iotb_severity_parse("note", false), IOTB_SEV_NOTE);
	CU_ASSERT_EQUAL(iotb_severity_parse("warning", false), IOTB_SEV_WARNING);
	CU_ASSERT_EQUAL(iotb_severity_parse("error", false), IOTB_SEV_ERROR);
	CU_ASSERT_EQUAL(iotb_severity_parse("never", false), -1);
	CU_ASSERT_EQUAL(iotb_severity_parse("never", true), IOTB_SEV_NEVER);
	CU_ASSERT_EQUAL(iotb_severity_parse("Error", true), -1);
	CU_ASSERT_EQUAL(iotb_severity_parse(NULL, true), -1);
	CU_ASSERT_STRING_EQUAL(iotb_severity_name(IOTB_SEV_NOTE), "note");
	CU_ASSERT_STRING_EQUAL(iotb_severity_name(IOTB_SEV_WARNING), "warning");
	CU_ASSERT_STRING_EQUAL(iotb_severity_name(IOTB_SEV_ERROR), "error");
	CU_ASSERT_STRING_EQUAL(iotb_severity_name(IOTB_SEV_NEVER), "never");
}

/* --- the fixture directory --- */

static struct iotb_catalogue *load_good(void)
{
	struct iotb_catalogue *cat = iotb_catalogue_load(GOOD_DIR);

	if (!cat)
		fprintf(stderr, "cannot load the fixture: %s\n", iotb_last_error());
	return cat;
}

static void test_fixture_rules(void)
{
	struct iotb_catalogue *cat = load_good();
	const struct iotb_rule *r;

	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	CU_ASSERT_STRING_EQUAL(cat->dir, GOOD_DIR);
	CU_ASSERT_EQUAL(cat->nclauses, 3);
	/* notes.txt and legacy.yml are not loaded */
	CU_ASSERT_EQUAL_FATAL(cat->nrules, 5);
	CU_ASSERT_STRING_EQUAL(cat->rules[0].id, "crypto.weak-hash");
	CU_ASSERT_STRING_EQUAL(cat->rules[1].id, "scan.empty-clauses");
	CU_ASSERT_STRING_EQUAL(cat->rules[2].id, "scan.no-clauses");
	CU_ASSERT_STRING_EQUAL(cat->rules[3].id, "strings.alpha");
	CU_ASSERT_STRING_EQUAL(cat->rules[4].id, "strings.unsafe-copy");

	r = iotb_catalogue_rule(cat, "strings.alpha");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(r->default_severity, IOTB_SEV_ERROR);
	CU_ASSERT_EQUAL_FATAL(r->nclauses, 2);
	CU_ASSERT_STRING_EQUAL(r->clauses[0], "5.2.6.1.4");
	CU_ASSERT_STRING_EQUAL(r->clauses[1], "5.2.6.2");
	CU_ASSERT_DOUBLE_EQUAL(r->security_severity, 9.5, 1e-9);
	CU_ASSERT_STRING_EQUAL(r->description, "Sorted before the other strings rule.");
	CU_ASSERT_PTR_NULL(r->remediation);
	CU_ASSERT_EQUAL(r->nparams, 0);
	CU_ASSERT_STRING_EQUAL(r->origin, GOOD_DIR "/strings.yaml:23:5");

	r = iotb_catalogue_rule(cat, "strings.unsafe-copy");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_STRING_EQUAL(r->area, "strings");
	CU_ASSERT_STRING_EQUAL(r->title, "Unbounded string copy");
	CU_ASSERT_EQUAL(r->severity, IOTB_SEV_WARNING);
	CU_ASSERT_EQUAL_FATAL(r->ncwes, 2);
	CU_ASSERT_EQUAL(r->cwes[0], 120);
	CU_ASSERT_EQUAL(r->cwes[1], 676);
	CU_ASSERT_DOUBLE_EQUAL(r->security_severity, 5.0, 1e-9);
	/* folded text loses its trailing newline */
	CU_ASSERT_STRING_EQUAL(r->description, "Copies without a bound.");
	CU_ASSERT_STRING_EQUAL(r->remediation, "Use a bounded copy.");

	r = iotb_catalogue_rule(cat, "crypto.weak-hash");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_STRING_EQUAL(r->clauses[0], "5.1.1.1.5 f");
	CU_ASSERT_DOUBLE_EQUAL(r->security_severity, 2.0, 1e-9);
	CU_ASSERT_EQUAL(r->ncwes, 0);
	r = iotb_catalogue_rule(cat, "scan.no-clauses");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(r->nclauses, 0);
	CU_ASSERT_DOUBLE_EQUAL(r->security_severity, 5.0, 1e-9);
	CU_ASSERT_PTR_NULL(iotb_catalogue_rule(cat, "strings.zzz"));
	CU_ASSERT_PTR_NULL(iotb_catalogue_rule(cat, "a"));
	iotb_catalogue_free(cat);
}

static void test_fixture_params(void)
{
	struct iotb_catalogue *cat = load_good();
	const struct iotb_rule *r;
	const struct iotb_param *p;
	const struct iotb_funcspec *s;

	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	r = iotb_catalogue_rule(cat, "strings.unsafe-copy");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(r->nparams, 3);

	p = iotb_rule_param(r, "min_length");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(p->type, IOTB_PARAM_SCALAR);
	CU_ASSERT_STRING_EQUAL(p->scalar, "12");

	p = iotb_rule_param(r, "empty");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(p->type, IOTB_PARAM_LIST);
	CU_ASSERT_EQUAL(p->nspecs, 0);
	CU_ASSERT_PTR_NULL(iotb_rule_param(r, "missing"));

	p = iotb_rule_param(r, "functions");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(p->type, IOTB_PARAM_LIST);
	CU_ASSERT_EQUAL_FATAL(p->nspecs, 4);

	s = &p->specs[0];
	CU_ASSERT_EQUAL(s->kind, IOTB_MATCH_NAME);
	CU_ASSERT_STRING_EQUAL(s->pattern, "strcpy");
	CU_ASSERT_EQUAL(s->nargs, 0);
	CU_ASSERT_EQUAL(s->success, IOTB_SUCCESS_UNSET);
	CU_ASSERT_STRING_EQUAL(s->origin, GOOD_DIR "/strings.yaml:14:11");
	CU_ASSERT(iotb_funcspec_matches(s, "strcpy"));
	CU_ASSERT_FALSE(iotb_funcspec_matches(s, "strcpy_s"));
	CU_ASSERT_FALSE(iotb_funcspec_matches(s, "my_strcpy"));
	CU_ASSERT_EQUAL(iotb_funcspec_arg(s, "dst"), -1);

	s = &p->specs[1];
	CU_ASSERT_EQUAL(s->kind, IOTB_MATCH_NAME);
	CU_ASSERT_STRING_EQUAL(s->pattern, "strcat");
	CU_ASSERT_EQUAL(s->nargs, 2);
	CU_ASSERT_EQUAL(iotb_funcspec_arg(s, "dst"), 0);
	CU_ASSERT_EQUAL(iotb_funcspec_arg(s, "src"), 1);
	CU_ASSERT_EQUAL(iotb_funcspec_arg(s, "size"), -1);
	CU_ASSERT_STRING_EQUAL(s->origin, GOOD_DIR "/strings.yaml:15:11");
	CU_ASSERT(iotb_funcspec_matches(s, "strcat"));

	s = &p->specs[2];
	CU_ASSERT_EQUAL(s->kind, IOTB_MATCH_GLOB);
	CU_ASSERT(iotb_funcspec_matches(s, "my_strcpy"));
	CU_ASSERT(iotb_funcspec_matches(s, "_strcpy"));
	CU_ASSERT_FALSE(iotb_funcspec_matches(s, "strcpy"));
	CU_ASSERT_FALSE(iotb_funcspec_matches(s, "my_strcpy2"));

	s = &p->specs[3];
	CU_ASSERT_EQUAL(s->kind, IOTB_MATCH_REGEX);
	CU_ASSERT_PTR_NOT_NULL(s->regex);
	CU_ASSERT_EQUAL(s->success, IOTB_SUCCESS_ZERO);
	CU_ASSERT_STRING_EQUAL(s->note, "vendor setter");
	CU_ASSERT(iotb_funcspec_matches(s, "nv_set"));
	CU_ASSERT(iotb_funcspec_matches(s, "nvram_set"));
	CU_ASSERT_FALSE(iotb_funcspec_matches(s, "nvr_set"));
	CU_ASSERT_FALSE(iotb_funcspec_matches(s, "nvram_set2"));
	CU_ASSERT_FALSE(iotb_funcspec_matches(s, NULL));
	CU_ASSERT_FALSE(iotb_funcspec_matches(NULL, "nv_set"));
	iotb_catalogue_free(cat);
}

/* Parse one parameter value from YAML text (a mapping "p: VALUE"). */
static int parse_param(const char *text, struct iotb_param *out)
{
	char *dir = th_tmpdir("catalogue-param");
	char *path = th_write(dir, "p.yaml", text);
	struct iotb_yamldoc yd;
	int ret = -1;

	if (iotb_yamldoc_load(&yd, path) == 0)
		ret = iotb_yaml_param(&yd, iotb_yaml_get(&yd, iotb_yaml_root(&yd), "p"),
				      "p", out);
	iotb_yamldoc_release(&yd);
	free(path);
	free(dir);
	return ret;
}

static void test_regex_match_limit(void)
{
	struct iotb_param p;
	char subject[64];

	CU_ASSERT_EQUAL_FATAL(parse_param("p:\n  - regex: \"^(a|aa)+$\"\n", &p), 0);
	memset(subject, 'a', 40);
	strcpy(subject + 40, "b");
	/* catastrophic backtracking stops at the match limit: no match */
	CU_ASSERT_FALSE(iotb_funcspec_matches(&p.specs[0], subject));
	subject[40] = '\0';
	CU_ASSERT(iotb_funcspec_matches(&p.specs[0], "aaa"));
	iotb_param_release(&p);
	iotb_param_release(NULL);
	iotb_funcspec_release(NULL);
}

static void test_param_append(void)
{
	struct iotb_param dst, src, scalar;

	CU_ASSERT_EQUAL_FATAL(parse_param("p: [strcpy]\n", &dst), 0);
	CU_ASSERT_EQUAL_FATAL(parse_param(
		"p:\n"
		"  - regex: \"^x_.*$\"\n"
		"    args: {dst: 2}\n"
		"    success: nonnull\n"
		"    note: extra\n", &src), 0);
	CU_ASSERT_EQUAL_FATAL(iotb_param_append(&dst, &src), 0);
	CU_ASSERT_EQUAL_FATAL(dst.nspecs, 2);
	/* a deep copy: the source can go */
	iotb_param_release(&src);
	CU_ASSERT_EQUAL(dst.specs[1].kind, IOTB_MATCH_REGEX);
	CU_ASSERT(iotb_funcspec_matches(&dst.specs[1], "x_copy"));
	CU_ASSERT_FALSE(iotb_funcspec_matches(&dst.specs[1], "y_copy"));
	CU_ASSERT_EQUAL(iotb_funcspec_arg(&dst.specs[1], "dst"), 2);
	CU_ASSERT_EQUAL(dst.specs[1].success, IOTB_SUCCESS_NONNULL);
	CU_ASSERT_STRING_EQUAL(dst.specs[1].note, "extra");
	CU_ASSERT(th_contains(dst.specs[1].origin, "/p.yaml:2:5"));
	CU_ASSERT(iotb_funcspec_matches(&dst.specs[0], "strcpy"));

	CU_ASSERT_EQUAL_FATAL(parse_param("p: 12\n", &scalar), 0);
	CU_ASSERT_EQUAL(scalar.type, IOTB_PARAM_SCALAR);
	CU_ASSERT_EQUAL(iotb_param_append(&scalar, &dst), -1);
	CU_ASSERT_STRING_EQUAL(iotb_last_error(),
			       "cannot extend parameter 'p': it is not a list");
	iotb_param_release(&scalar);
	iotb_param_release(&dst);
}

static void test_add_file(void)
{
	struct iotb_catalogue *cat = load_good();
	char *dir = th_tmpdir("catalogue-add");
	char *path = th_write(dir, "aaa-vendor.yml",
		"rules:\n"
		"  - id: aaa-vendor.nv-get\n"
		"    title: Vendor rule\n"
		"    severity: error\n"
		"    clauses: [\"5.2.6.2\"]\n"
		"    description: From a config rule_files entry.\n");
	char *dup = th_write(dir, "strings.yaml",
		"rules:\n"
		"  - id: strings.alpha\n"
		"    title: Again\n"
		"    severity: error\n"
		"    clauses: [\"5.2.6.2\"]\n"
		"    description: Same id as the fixture.\n");
	char *expected;

	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	CU_ASSERT_EQUAL_FATAL(iotb_catalogue_add_file(cat, path), 0);
	CU_ASSERT_EQUAL(cat->nrules, 6);
	CU_ASSERT_STRING_EQUAL(cat->rules[0].id, "aaa-vendor.nv-get");
	CU_ASSERT_STRING_EQUAL(cat->rules[0].area, "aaa-vendor");
	CU_ASSERT_PTR_EQUAL(iotb_catalogue_rule(cat, "strings.unsafe-copy"), &cat->rules[5]);

	/* a duplicate across files names where the first one is */
	CU_ASSERT_EQUAL(iotb_catalogue_add_file(cat, dup), -1);
	expected = iotb_xasprintf("%s:2:9: duplicate rule id 'strings.alpha' "
				  "(first defined at %s/strings.yaml:23:5)", dup, GOOD_DIR);
	CU_ASSERT_STRING_EQUAL(iotb_last_error(), expected);
	/* the failed file left the catalogue as it was */
	CU_ASSERT_EQUAL(cat->nrules, 6);
	free(expected);
	free(dup);
	free(path);
	free(dir);
	iotb_catalogue_free(cat);
}

static void test_rules_dir(void)
{
	char *saved = iotb_xstrdup(getenv("IOTB_RULES_DIR"));

	setenv("IOTB_RULES_DIR", "/opt/custom/rules", 1);
	CU_ASSERT_STRING_EQUAL(iotb_rules_dir(), "/opt/custom/rules");
	unsetenv("IOTB_RULES_DIR");
	/* the test binary has no ../share/iotbaseline/rules: the build default */
	CU_ASSERT_STRING_EQUAL(iotb_rules_dir(), IOTB_SOURCE_DIR "/rules");
	if (saved)
		setenv("IOTB_RULES_DIR", saved, 1);
	free(saved);
}

static void test_yamldoc_accessors(void)
{
	char *dir = th_tmpdir("catalogue-yamldoc");
	char *path = th_write(dir, "d.yaml",
		"one: solo\n"
		"many: [a, b]\n"
		"n: 42\n"
		"map: {x: 1}\n"
		"bad: [a, [b]]\n");
	char *empty = th_write(dir, "empty.yaml", "# only a comment\n");
	struct iotb_yamldoc yd;
	struct iotb_strvec sv;
	yaml_node_t *root;
	unsigned long n = 0;
	char *origin, *expected;

	iotb_strvec_init(&sv);
	CU_ASSERT_EQUAL_FATAL(iotb_yamldoc_load(&yd, path), 0);
	root = iotb_yaml_root(&yd);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	CU_ASSERT_EQUAL(iotb_yaml_strlist(&yd, iotb_yaml_get(&yd, root, "one"), "one", &sv), 0);
	CU_ASSERT_EQUAL(iotb_yaml_strlist(&yd, iotb_yaml_get(&yd, root, "many"), "many", &sv), 0);
	CU_ASSERT_EQUAL_FATAL(sv.n, 3);
	CU_ASSERT_STRING_EQUAL(sv.v[0], "solo");
	CU_ASSERT_STRING_EQUAL(sv.v[2], "b");
	CU_ASSERT_EQUAL(iotb_yaml_uint(&yd, iotb_yaml_get(&yd, root, "n"), "n", &n), 0);
	CU_ASSERT_EQUAL(n, 42);
	CU_ASSERT_STRING_EQUAL(iotb_yaml_scalar(&yd, iotb_yaml_get(&yd, root, "one"), "one"),
			       "solo");
	CU_ASSERT_PTR_NULL(iotb_yaml_get(&yd, root, "absent"));
	CU_ASSERT_PTR_NULL(iotb_yaml_get(&yd, iotb_yaml_get(&yd, root, "one"), "x"));
	origin = iotb_yaml_origin(&yd, iotb_yaml_get(&yd, root, "map"));
	expected = iotb_xasprintf("%s:4:6", path);
	CU_ASSERT_STRING_EQUAL(origin, expected);
	free(origin);
	free(expected);

	/* strlist errors: a mapping, then a nested list item */
	CU_ASSERT_EQUAL(iotb_yaml_strlist(&yd, iotb_yaml_get(&yd, root, "map"), "map", &sv), -1);
	expected = iotb_xasprintf("%s:4:6: expected a scalar or a list for 'map', found a mapping",
				  path);
	CU_ASSERT_STRING_EQUAL(iotb_last_error(), expected);
	free(expected);
	CU_ASSERT_EQUAL(iotb_yaml_strlist(&yd, iotb_yaml_get(&yd, root, "bad"), "bad", &sv), -1);
	expected = iotb_xasprintf("%s:5:10: expected a scalar for 'bad', found a list", path);
	CU_ASSERT_STRING_EQUAL(iotb_last_error(), expected);
	free(expected);
	iotb_yamldoc_release(&yd);
	iotb_yamldoc_release(NULL);

	/* an empty document has no root */
	CU_ASSERT_EQUAL_FATAL(iotb_yamldoc_load(&yd, empty), 0);
	CU_ASSERT_PTR_NULL(iotb_yaml_root(&yd));
	iotb_yamldoc_release(&yd);

	iotb_strvec_release(&sv);
	free(empty);
	free(path);
	free(dir);
}

/* --- one test per error message --- */

static const char default_clauses[] =
	"clauses:\n"
	"  - id: \"5.2.6.2\"\n"
	"    title: Input validation\n"
	"    kind: recommendation\n"
	"  - id: \"5.2.6.1.4\"\n"
	"    title: No common secrets\n"
	"    kind: requirement\n";

/*
 * Write clauses.yaml (default_clauses unless file is clauses.yaml) and
 * file = text into a fresh dir, load it, and check the load fails with
 * "<dir>/" + expected.
 */
static void check_load_error(const char *file, const char *text, const char *expected)
{
	char *dir = th_tmpdir("catalogue-errors");
	char *full = iotb_xasprintf("%s/%s", dir, expected);
	struct iotb_catalogue *cat;

	if (strcmp(file, "clauses.yaml") != 0)
		free(th_write(dir, "clauses.yaml", default_clauses));
	free(th_write(dir, file, text));
	iotb_clear_error();
	cat = iotb_catalogue_load(dir);
	CU_ASSERT_PTR_NULL(cat);
	CU_ASSERT_STRING_EQUAL(iotb_last_error(), full);
	if (strcmp(iotb_last_error(), full) != 0)
		fprintf(stderr, "\n  expected: %s\n  actual:   %s\n", full, iotb_last_error());
	iotb_catalogue_free(cat);
	free(full);
	free(dir);
}

#define ERROR_TEST(fn, file, text, expected) \
	static void fn(void) { check_load_error(file, text, expected); }

/* Lines 1-4 of a rule file: "rules:", id (col 5 is the rule mapping),
 * title, severity. */
#define RULE_HEAD(id) \
	"rules:\n" \
	"  - id: " id "\n" \
	"    title: A rule\n" \
	"    severity: warning\n"
#define GOOD_TAIL \
	"    clauses: [\"5.2.6.2\"]\n" \
	"    description: Something.\n"
/* A valid rule (lines 2-6), then "    parameters:\n" on line 7. */
#define PARAM_HEAD RULE_HEAD("strings.a") GOOD_TAIL "    parameters:\n"

/* YAML syntax and structure */
ERROR_TEST(err_syntax, "strings.yaml",
	   "rules:\n"
	   "  - id: strings.a\n"
	   "    title: [unclosed\n"
	   "    severity: note\n",
	   "strings.yaml:4:13: did not find expected ',' or ']' (while parsing a flow sequence at line 3)")
ERROR_TEST(err_invalid_utf8, "strings.yaml",
	   "rules:\n"
	   "  - id: strings.\xff\n",
	   "strings.yaml:2:17: invalid leading UTF-8 octet")
ERROR_TEST(err_empty_rule_file, "strings.yaml",
	   "# nothing here\n",
	   "strings.yaml:1:1: empty rule file (expected a mapping with key 'rules')")
ERROR_TEST(err_root_not_mapping, "strings.yaml",
	   "- id: strings.a\n",
	   "strings.yaml:1:1: expected a mapping for 'rule file', found a list")
ERROR_TEST(err_root_unknown_key, "strings.yaml",
	   "rules: []\n"
	   "rule: []\n",
	   "strings.yaml:2:1: unknown key 'rule' in rule file (expected one of: rules)")
ERROR_TEST(err_root_missing_rules, "strings.yaml",
	   "{}\n",
	   "strings.yaml:1:1: missing key 'rules' in rule file")
ERROR_TEST(err_rules_not_list, "strings.yaml",
	   "rules:\n"
	   "  id: strings.a\n",
	   "strings.yaml:2:3: expected a list for 'rules', found a mapping")
ERROR_TEST(err_rule_not_mapping, "strings.yaml",
	   "rules:\n"
	   "  - strings.a\n",
	   "strings.yaml:2:5: expected a mapping for 'rule', found a scalar")
ERROR_TEST(err_rule_key_not_scalar, "strings.yaml",
	   "rules:\n"
	   "  - ? [id]\n"
	   "    : strings.a\n",
	   "strings.yaml:2:7: expected a scalar key in rule, found a list")
ERROR_TEST(err_rule_unknown_key, "strings.yaml",
	   RULE_HEAD("strings.a") GOOD_TAIL
	   "    titel: typo\n",
	   "strings.yaml:7:5: unknown key 'titel' in rule (expected one of: id, title, "
	   "severity, clauses, cwe, security_severity, description, remediation, parameters)")
ERROR_TEST(err_rule_duplicate_key, "strings.yaml",
	   RULE_HEAD("strings.a") GOOD_TAIL
	   "    title: again\n",
	   "strings.yaml:7:5: duplicate key 'title'")

/* required keys and text fields */
ERROR_TEST(err_missing_id, "strings.yaml",
	   "rules:\n"
	   "  - title: A rule\n"
	   "    severity: note\n"
	   "    description: d\n",
	   "strings.yaml:2:5: missing key 'id' in rule")
ERROR_TEST(err_missing_title, "strings.yaml",
	   "rules:\n"
	   "  - id: strings.a\n"
	   "    severity: note\n"
	   "    description: d\n",
	   "strings.yaml:2:5: missing key 'title' in rule 'strings.a'")
ERROR_TEST(err_id_not_scalar, "strings.yaml",
	   RULE_HEAD("[strings.a]") GOOD_TAIL,
	   "strings.yaml:2:9: expected a scalar for 'id', found a list")
ERROR_TEST(err_empty_title, "strings.yaml",
	   "rules:\n"
	   "  - id: strings.a\n"
	   "    title: \"  \"\n"
	   "    severity: note\n"
	   "    description: d\n",
	   "strings.yaml:3:12: empty value for 'title'")

/* rule ids */
ERROR_TEST(err_id_wrong_area, "strings.yaml",
	   RULE_HEAD("elf.nx-missing") GOOD_TAIL,
	   "strings.yaml:2:9: rule id 'elf.nx-missing' is not of the form 'strings.<name>' "
	   "(name: lowercase letters, digits and '-')")
ERROR_TEST(err_id_bad_name, "strings.yaml",
	   RULE_HEAD("strings.Unsafe_Copy") GOOD_TAIL,
	   "strings.yaml:2:9: rule id 'strings.Unsafe_Copy' is not of the form "
	   "'strings.<name>' (name: lowercase letters, digits and '-')")
ERROR_TEST(err_duplicate_rule_id, "strings.yaml",
	   RULE_HEAD("strings.a") GOOD_TAIL
	   "  - id: strings.a\n"
	   "    title: Again\n"
	   "    severity: note\n"
	   "    clauses: [\"5.2.6.2\"]\n"
	   "    description: d\n",
	   "strings.yaml:7:9: duplicate rule id 'strings.a' (first defined at "
	   IOTB_TEST_TMPDIR "/catalogue-errors/strings.yaml:2:5)")

/* severity */
ERROR_TEST(err_bad_severity, "strings.yaml",
	   "rules:\n"
	   "  - id: strings.a\n"
	   "    title: A rule\n"
	   "    severity: fatal\n"
	   GOOD_TAIL,
	   "strings.yaml:4:15: unknown severity 'fatal' (expected one of: error, warning, note)")

/* clauses of a rule */
ERROR_TEST(err_missing_clauses, "strings.yaml",
	   RULE_HEAD("strings.a")
	   "    description: d\n",
	   "strings.yaml:2:5: missing key 'clauses' in rule 'strings.a'")
ERROR_TEST(err_empty_clauses, "strings.yaml",
	   RULE_HEAD("strings.a")
	   "    clauses: []\n"
	   "    description: d\n",
	   "strings.yaml:5:14: empty 'clauses' in rule 'strings.a' (at least one clause id is required)")
ERROR_TEST(err_clauses_not_list, "strings.yaml",
	   RULE_HEAD("strings.a")
	   "    clauses: \"5.2.6.2\"\n"
	   "    description: d\n",
	   "strings.yaml:5:14: expected a list for 'clauses', found a scalar")
ERROR_TEST(err_malformed_rule_clause, "strings.yaml",
	   RULE_HEAD("strings.a")
	   "    clauses: [\"5.2.6.2\", \"5.2.6.2(rec.)\"]\n"
	   "    description: d\n",
	   "strings.yaml:5:26: malformed clause id '5.2.6.2(rec.)' "
	   "(expected N.N... with an optional ' x' letter)")
ERROR_TEST(err_unknown_clause, "strings.yaml",
	   RULE_HEAD("strings.a")
	   "    clauses:\n"
	   "      - \"5.2.6.2\"\n"
	   "      - \"5.9.9.9\"\n"
	   "    description: d\n",
	   "strings.yaml:7:9: unknown clause id '5.9.9.9' (not in clauses.yaml)")
ERROR_TEST(err_clause_twice, "strings.yaml",
	   RULE_HEAD("strings.a")
	   "    clauses: [\"5.2.6.2\", \"5.2.6.1.4\", \"5.2.6.2\"]\n"
	   "    description: d\n",
	   "strings.yaml:5:39: clause '5.2.6.2' listed twice")

/* cwe and security_severity */
ERROR_TEST(err_cwe_not_list, "strings.yaml",
	   RULE_HEAD("strings.a") GOOD_TAIL
	   "    cwe: 798\n",
	   "strings.yaml:7:10: expected a list for 'cwe', found a scalar")
ERROR_TEST(err_cwe_not_integer, "strings.yaml",
	   RULE_HEAD("strings.a") GOOD_TAIL
	   "    cwe: [798, CWE-259]\n",
	   "strings.yaml:7:16: expected a positive integer CWE id, found 'CWE-259'")
ERROR_TEST(err_cwe_zero, "strings.yaml",
	   RULE_HEAD("strings.a") GOOD_TAIL
	   "    cwe: [0]\n",
	   "strings.yaml:7:11: expected a positive integer CWE id, found '0'")
ERROR_TEST(err_security_severity_not_number, "strings.yaml",
	   RULE_HEAD("strings.a") GOOD_TAIL
	   "    security_severity: high\n",
	   "strings.yaml:7:24: expected a number for 'security_severity', found 'high'")
ERROR_TEST(err_security_severity_range, "strings.yaml",
	   RULE_HEAD("strings.a") GOOD_TAIL
	   "    security_severity: 10.5\n",
	   "strings.yaml:7:24: security_severity '10.5' is out of range (0.0 to 10.0)")

/* parameters */
ERROR_TEST(err_params_not_mapping, "strings.yaml",
	   PARAM_HEAD
	   "      - functions\n",
	   "strings.yaml:8:7: expected a mapping for 'parameters', found a list")
ERROR_TEST(err_param_name_not_scalar, "strings.yaml",
	   PARAM_HEAD
	   "      ? [functions]\n"
	   "      : [strcpy]\n",
	   "strings.yaml:8:9: expected a scalar for 'parameter name', found a list")
ERROR_TEST(err_param_name_empty, "strings.yaml",
	   PARAM_HEAD
	   "      \"\": [strcpy]\n",
	   "strings.yaml:8:7: empty parameter name")
ERROR_TEST(err_param_duplicate, "strings.yaml",
	   PARAM_HEAD
	   "      functions: [strcpy]\n"
	   "      functions: [strcat]\n",
	   "strings.yaml:9:7: duplicate parameter 'functions' in rule 'strings.a'")
ERROR_TEST(err_param_mapping_value, "strings.yaml",
	   PARAM_HEAD
	   "      functions: {name: strcpy}\n",
	   "strings.yaml:8:18: expected a scalar or a list for parameter 'functions', found a mapping")
ERROR_TEST(err_entry_list, "strings.yaml",
	   PARAM_HEAD
	   "      functions:\n"
	   "        - [strcpy]\n",
	   "strings.yaml:9:11: expected a name or a mapping for a 'functions' entry, found a list")
ERROR_TEST(err_entry_unknown_key, "strings.yaml",
	   PARAM_HEAD
	   "      functions:\n"
	   "        - pattern: strcpy\n",
	   "strings.yaml:9:11: unknown key 'pattern' in a 'functions' entry "
	   "(expected one of: name, glob, regex, args, success, note)")
ERROR_TEST(err_entry_two_patterns, "strings.yaml",
	   PARAM_HEAD
	   "      functions:\n"
	   "        - name: strcpy\n"
	   "          glob: \"*cpy\"\n",
	   "strings.yaml:9:11: a 'functions' entry has both 'name' and 'glob' "
	   "(use exactly one of: name, glob, regex)")
ERROR_TEST(err_entry_no_pattern, "strings.yaml",
	   PARAM_HEAD
	   "      functions:\n"
	   "        - note: nothing to match\n",
	   "strings.yaml:9:11: a 'functions' entry needs one of: name, glob, regex")
ERROR_TEST(err_entry_empty_pattern, "strings.yaml",
	   PARAM_HEAD
	   "      functions:\n"
	   "        - glob: \"\"\n",
	   "strings.yaml:9:17: empty glob in a matcher entry")
ERROR_TEST(err_entry_pattern_not_scalar, "strings.yaml",
	   PARAM_HEAD
	   "      functions:\n"
	   "        - regex: [a]\n",
	   "strings.yaml:9:18: expected a scalar for 'regex', found a list")
ERROR_TEST(err_bad_glob, "strings.yaml",
	   PARAM_HEAD
	   "      functions:\n"
	   "        - glob: \"str[cpy\"\n",
	   "strings.yaml:9:17: bad glob: unterminated '[' in glob 'str[cpy'")
ERROR_TEST(err_bad_regex, "strings.yaml",
	   PARAM_HEAD
	   "      functions:\n"
	   "        - regex: \"^nv(ram_set$\"\n",
	   "strings.yaml:9:18: bad regex '^nv(ram_set$': missing closing parenthesis at offset 12")
ERROR_TEST(err_args_not_mapping, "strings.yaml",
	   PARAM_HEAD
	   "      functions:\n"
	   "        - name: strcat\n"
	   "          args: [0, 1]\n",
	   "strings.yaml:10:17: expected a mapping for 'args', found a list")
ERROR_TEST(err_args_duplicate_role, "strings.yaml",
	   PARAM_HEAD
	   "      functions:\n"
	   "        - name: strcat\n"
	   "          args: {dst: 0, dst: 1}\n",
	   "strings.yaml:10:26: duplicate key 'dst'")
ERROR_TEST(err_args_not_integer, "strings.yaml",
	   PARAM_HEAD
	   "      functions:\n"
	   "        - name: strcat\n"
	   "          args: {dst: first}\n",
	   "strings.yaml:10:23: expected a non-negative integer for 'dst', found 'first'")
ERROR_TEST(err_args_negative, "strings.yaml",
	   PARAM_HEAD
	   "      functions:\n"
	   "        - name: strcat\n"
	   "          args: {dst: -1}\n",
	   "strings.yaml:10:23: expected a non-negative integer for 'dst', found '-1'")
ERROR_TEST(err_args_overflow, "strings.yaml",
	   PARAM_HEAD
	   "      functions:\n"
	   "        - name: strcat\n"
	   "          args: {dst: 99999999999999999999999}\n",
	   "strings.yaml:10:23: integer '99999999999999999999999' for 'dst' is too large")
ERROR_TEST(err_args_index_too_large, "strings.yaml",
	   PARAM_HEAD
	   "      functions:\n"
	   "        - name: strcat\n"
	   "          args: {dst: 0, src: 500}\n",
	   "strings.yaml:10:31: argument index 500 for 'src' is too large (at most 127)")
ERROR_TEST(err_bad_success, "strings.yaml",
	   PARAM_HEAD
	   "      functions:\n"
	   "        - name: nv_set\n"
	   "          success: positive\n",
	   "strings.yaml:10:20: unknown success convention 'positive' "
	   "(expected one of: zero, nonzero, nonneg, nonnull)")

/* clauses.yaml */
ERROR_TEST(err_empty_clause_file, "clauses.yaml",
	   "\n",
	   "clauses.yaml:1:1: empty clause file (expected a mapping with key 'clauses')")
ERROR_TEST(err_clause_file_unknown_key, "clauses.yaml",
	   "clause: []\n",
	   "clauses.yaml:1:1: unknown key 'clause' in clause file (expected one of: clauses)")
ERROR_TEST(err_clauses_not_list_in_file, "clauses.yaml",
	   "clauses: 5.2.6.2\n",
	   "clauses.yaml:1:10: expected a list for 'clauses', found a scalar")
ERROR_TEST(err_clause_not_mapping, "clauses.yaml",
	   "clauses:\n"
	   "  - \"5.2.6.2\"\n",
	   "clauses.yaml:2:5: expected a mapping for 'clause', found a scalar")
ERROR_TEST(err_clause_unknown_key, "clauses.yaml",
	   "clauses:\n"
	   "  - id: \"5.2.6.2\"\n"
	   "    title: Input validation\n"
	   "    kind: recommendation\n"
	   "    text: copied from the standard\n",
	   "clauses.yaml:5:5: unknown key 'text' in clause (expected one of: id, title, kind)")
ERROR_TEST(err_clause_missing_kind, "clauses.yaml",
	   "clauses:\n"
	   "  - id: \"5.2.6.2\"\n"
	   "    title: Input validation\n",
	   "clauses.yaml:2:5: missing key 'kind' in clause")
ERROR_TEST(err_clause_malformed_id, "clauses.yaml",
	   "clauses:\n"
	   "  - id: \"5.2.6.2 (rec.)\"\n"
	   "    title: Input validation\n"
	   "    kind: recommendation\n",
	   "clauses.yaml:2:9: malformed clause id '5.2.6.2 (rec.)' "
	   "(expected N.N... with an optional ' x' letter)")
ERROR_TEST(err_clause_bad_kind, "clauses.yaml",
	   "clauses:\n"
	   "  - id: \"5.2.6.2\"\n"
	   "    title: Input validation\n"
	   "    kind: informative\n",
	   "clauses.yaml:4:11: unknown clause kind 'informative' "
	   "(expected one of: requirement, recommendation)")
ERROR_TEST(err_clause_duplicate, "clauses.yaml",
	   "clauses:\n"
	   "  - id: \"5.2.6.2\"\n"
	   "    title: Input validation\n"
	   "    kind: recommendation\n"
	   "  - id: \"5.2.6.2\"\n"
	   "    title: Again\n"
	   "    kind: recommendation\n",
	   "clauses.yaml:5:9: duplicate clause id '5.2.6.2'")

static void err_missing_clause_file(void)
{
	char *dir = th_tmpdir("catalogue-noclauses");
	char *expected = iotb_xasprintf("cannot read '%s/clauses.yaml': No such file or directory",
					dir);

	CU_ASSERT_PTR_NULL(iotb_catalogue_load(dir));
	CU_ASSERT_STRING_EQUAL(iotb_last_error(), expected);
	free(expected);
	free(dir);
}

static void err_bad_area_name(void)
{
	struct iotb_catalogue *cat = load_good();
	char *dir = th_tmpdir("catalogue-area");
	char *path = th_write(dir, "Vendor_Rules.yaml", "rules: []\n");
	char *expected = iotb_xasprintf("invalid rule area 'Vendor_Rules' in file name '%s' "
					"(expected lowercase letters, digits and '-')", path);

	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	CU_ASSERT_EQUAL(iotb_catalogue_add_file(cat, path), -1);
	CU_ASSERT_STRING_EQUAL(iotb_last_error(), expected);
	free(expected);
	free(path);
	free(dir);
	iotb_catalogue_free(cat);
}

static const struct th_test tests[] = {
	{ "real clauses match the 27402 map", test_real_clauses },
	{ "real rules are valid and sorted", test_real_rules },
	{ "clause id syntax", test_clause_id_valid },
	{ "severity names", test_severity },
	{ "fixture: rules, areas, order", test_fixture_rules },
	{ "fixture: parameters and matchers", test_fixture_params },
	{ "regex match limit", test_regex_match_limit },
	{ "parameter append deep-copies", test_param_append },
	{ "add_file and cross-file duplicates", test_add_file },
	{ "rules directory resolution", test_rules_dir },
	{ "yamldoc accessors", test_yamldoc_accessors },
	{ "error: YAML syntax", err_syntax },
	{ "error: invalid UTF-8", err_invalid_utf8 },
	{ "error: empty rule file", err_empty_rule_file },
	{ "error: root not a mapping", err_root_not_mapping },
	{ "error: unknown root key", err_root_unknown_key },
	{ "error: missing rules key", err_root_missing_rules },
	{ "error: rules not a list", err_rules_not_list },
	{ "error: rule not a mapping", err_rule_not_mapping },
	{ "error: rule key not a scalar", err_rule_key_not_scalar },
	{ "error: unknown rule key", err_rule_unknown_key },
	{ "error: duplicate rule key", err_rule_duplicate_key },
	{ "error: missing id", err_missing_id },
	{ "error: missing title", err_missing_title },
	{ "error: id not a scalar", err_id_not_scalar },
	{ "error: empty title", err_empty_title },
	{ "error: rule id of another area", err_id_wrong_area },
	{ "error: rule id with a bad name", err_id_bad_name },
	{ "error: duplicate rule id", err_duplicate_rule_id },
	{ "error: bad severity", err_bad_severity },
	{ "error: missing clauses", err_missing_clauses },
	{ "error: empty clauses", err_empty_clauses },
	{ "error: clauses not a list", err_clauses_not_list },
	{ "error: malformed clause id in a rule", err_malformed_rule_clause },
	{ "error: unknown clause id", err_unknown_clause },
	{ "error: clause listed twice", err_clause_twice },
	{ "error: cwe not a list", err_cwe_not_list },
	{ "error: cwe not an integer", err_cwe_not_integer },
	{ "error: cwe zero", err_cwe_zero },
	{ "error: security_severity not a number", err_security_severity_not_number },
	{ "error: security_severity out of range", err_security_severity_range },
	{ "error: parameters not a mapping", err_params_not_mapping },
	{ "error: parameter name not a scalar", err_param_name_not_scalar },
	{ "error: empty parameter name", err_param_name_empty },
	{ "error: duplicate parameter", err_param_duplicate },
	{ "error: parameter is a mapping", err_param_mapping_value },
	{ "error: matcher entry is a list", err_entry_list },
	{ "error: matcher entry unknown key", err_entry_unknown_key },
	{ "error: matcher entry with two patterns", err_entry_two_patterns },
	{ "error: matcher entry without pattern", err_entry_no_pattern },
	{ "error: empty pattern", err_entry_empty_pattern },
	{ "error: pattern not a scalar", err_entry_pattern_not_scalar },
	{ "error: bad glob", err_bad_glob },
	{ "error: bad regex", err_bad_regex },
	{ "error: args not a mapping", err_args_not_mapping },
	{ "error: duplicate argument role", err_args_duplicate_role },
	{ "error: argument index not an integer", err_args_not_integer },
	{ "error: negative argument index", err_args_negative },
	{ "error: argument index overflow", err_args_overflow },
	{ "error: argument index too large", err_args_index_too_large },
	{ "error: bad success convention", err_bad_success },
	{ "error: empty clause file", err_empty_clause_file },
	{ "error: unknown clause file key", err_clause_file_unknown_key },
	{ "error: clauses not a list (clause file)", err_clauses_not_list_in_file },
	{ "error: clause not a mapping", err_clause_not_mapping },
	{ "error: unknown clause key", err_clause_unknown_key },
	{ "error: clause missing kind", err_clause_missing_kind },
	{ "error: malformed clause id", err_clause_malformed_id },
	{ "error: bad clause kind", err_clause_bad_kind },
	{ "error: duplicate clause id", err_clause_duplicate },
	{ "error: missing clauses.yaml", err_missing_clause_file },
	{ "error: bad area name", err_bad_area_name },
	{ NULL, NULL },
};

void register_suite_catalogue(void)
{
	th_add_suite("catalogue", tests);
}
