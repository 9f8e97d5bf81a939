/*
 * test_config.c — .iotb.yml: locating it, loading every key, each load and
 * apply error with its file:line:col, applying it to a catalogue (fixture
 * rules in tests/data/config/rules), excludes and the effective record.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "test_helpers.h"
#include "yamldoc.h"

#define FIXTURE_RULES IOTB_SOURCE_DIR "/tests/data/config/rules"

static struct iotb_catalogue *fixture_catalogue(void)
{
	struct iotb_catalogue *cat = iotb_catalogue_load(FIXTURE_RULES);

	if (!cat)
		fprintf(stderr, "fixture catalogue: %s\n", iotb_last_error());
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	return cat;
}

/* Write text as DIR/.iotb.yml in a fresh tmpdir and load it into cfg.
 * Returns the load status; *path gets the file (owned). */
static int load_text(struct iotb_config *cfg, const char *dirname, const char *text,
                     char **path)
{
	char *dir = th_tmpdir(dirname);

	*path = th_write(dir, ".iotb.yml", text);
	free(dir);
	iotb_config_init(cfg);
	iotb_clear_error();
	return iotb_config_load(cfg, *path);
}

/* Load text, expect failure with exactly "PATH:" + suffix. */
static void check_load_error(const char *text, const char *suffix)
{
	struct iotb_config cfg;
	char *path, *want;
	int rc = load_text(&cfg, "config-error", text, &path);

	want = iotb_xasprintf("%s:%s", path, suffix);
	CU_ASSERT_EQUAL(rc, -1);
	if (strcmp(iotb_last_error(), want) != 0)
		fprintf(stderr, "\n  got:  %s\n  want: %s\n", iotb_last_error(), want);
	CU_ASSERT_STRING_EQUAL(iotb_last_error(), want);
	iotb_config_release(&cfg);
	free(want);
	free(path);
}

/* Load text (must succeed), apply to the fixture catalogue, expect failure
 * with exactly "PATH:" + suffix. */
static void check_apply_error(const char *text, const char *suffix)
{
	struct iotb_catalogue *cat = fixture_catalogue();
	struct iotb_config cfg;
	char *path, *want;

	CU_ASSERT_EQUAL_FATAL(load_text(&cfg, "config-apply-error", text, &path), 0);
	want = iotb_xasprintf("%s:%s", path, suffix);
	CU_ASSERT_EQUAL(iotb_config_apply(&cfg, cat), -1);
	if (strcmp(iotb_last_error(), want) != 0)
		fprintf(stderr, "\n  got:  %s\n  want: %s\n", iotb_last_error(), want);
	CU_ASSERT_STRING_EQUAL(iotb_last_error(), want);
	iotb_config_release(&cfg);
	iotb_catalogue_free(cat);
	free(want);
	free(path);
}

/* ---- loading ---- */

static void test_load_empty(void)
{
	struct iotb_config cfg;
	char *path;

	CU_ASSERT_EQUAL(load_text(&cfg, "config-empty", "", &path), 0);
	CU_ASSERT_EQUAL(cfg.fail_on, -1);
	CU_ASSERT_EQUAL(cfg.nsuppressions, 0);
	CU_ASSERT_STRING_EQUAL(cfg.path, path);
	iotb_config_release(&cfg);
	free(path);

	CU_ASSERT_EQUAL(load_text(&cfg, "config-empty", "# only a comment\n", &path), 0);
	CU_ASSERT_EQUAL(cfg.enable.n + cfg.disable.n + cfg.exclude.n, 0);
	iotb_config_release(&cfg);
	free(path);

	CU_ASSERT_EQUAL(load_text(&cfg, "config-empty", "rules:\nexclude:\n", &path), 0);
	CU_ASSERT_EQUAL(cfg.enable.n + cfg.disable.n + cfg.exclude.n, 0);
	iotb_config_release(&cfg);
	free(path);
}

static const char full_config[] =
	"# every key\n"
	"fail_on: warning\n"
	"rules:\n"
	"  disable: [strings]\n"
	"  enable: strings.format\n"
	"severity:\n"
	"  crypto: error\n"
	"  strings.format: note\n"
	"exclude:\n"
	"  - third_party/**\n"
	"  - \"*.gen.c\"\n"
	"extend:\n"
	"  strings.unsafe-copy:\n"
	"    functions:\n"
	"      - my_strcpy\n"
	"      - glob: \"*_copy\"\n"
	"        args: {dst: 0, src: 1}\n"
	"        note: vendor copy helpers\n"
	"rule_files: [more/net.yaml]\n"
	"suppressions:\n"
	"  - rule: strings.unsafe-copy\n"
	"    path: vendor/**\n"
	"    reason: vendor code, reviewed\n"
	"  - {fingerprint: 00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF, reason: known}\n"
	"limits: {timeout: 60, memory: 2048}\n";

static const char net_rules[] =
	"rules:\n"
	"  - id: net.telnet\n"
	"    title: Telnet server enabled\n"
	"    severity: warning\n"
	"    clauses: [\"5.2.5.2.1\"]\n"
	"    cwe: [319]\n"
	"    description: Fixture rule.\n";

static void test_load_full(void)
{
	struct iotb_config cfg;
	char *dir = th_tmpdir("config-full");
	char *path = th_write(dir, ".iotb.yml", full_config);
	char *net = th_write(dir, "more/net.yaml", net_rules);
	char *json;

	iotb_config_init(&cfg);
	CU_ASSERT_EQUAL_FATAL(iotb_config_load(&cfg, path), 0);
	CU_ASSERT_EQUAL(cfg.fail_on, IOTB_SEV_WARNING);
	CU_ASSERT_EQUAL_FATAL(cfg.disable.n, 1);
	CU_ASSERT_STRING_EQUAL(cfg.disable.v[0], "strings");
	CU_ASSERT_EQUAL_FATAL(cfg.enable.n, 1);
	CU_ASSERT_STRING_EQUAL(cfg.enable.v[0], "strings.format");
	CU_ASSERT_EQUAL_FATAL(cfg.enable_origins.n, 1);
	{
		char *want = iotb_xasprintf("%s:5:11", path);

		CU_ASSERT_STRING_EQUAL(cfg.enable_origins.v[0], want);
		free(want);
	}
	CU_ASSERT_EQUAL_FATAL(cfg.nseverities, 2);
	CU_ASSERT_STRING_EQUAL(cfg.severities[0].target, "crypto");
	CU_ASSERT_EQUAL(cfg.severities[0].severity, IOTB_SEV_ERROR);
	CU_ASSERT_STRING_EQUAL(cfg.severities[1].target, "strings.format");
	CU_ASSERT_EQUAL(cfg.severities[1].severity, IOTB_SEV_NOTE);
	CU_ASSERT_EQUAL_FATAL(cfg.exclude.n, 2);
	CU_ASSERT_STRING_EQUAL(cfg.exclude.v[1], "*.gen.c");
	CU_ASSERT_EQUAL_FATAL(cfg.nextends, 1);
	CU_ASSERT_STRING_EQUAL(cfg.extends[0].rule, "strings.unsafe-copy");
	CU_ASSERT_EQUAL_FATAL(cfg.extends[0].nparams, 1);
	CU_ASSERT_STRING_EQUAL(cfg.extends[0].params[0].name, "functions");
	CU_ASSERT_EQUAL_FATAL(cfg.extends[0].params[0].nspecs, 2);
	CU_ASSERT_EQUAL(cfg.extends[0].params[0].specs[1].kind, IOTB_MATCH_GLOB);
	CU_ASSERT_EQUAL(iotb_funcspec_arg(&cfg.extends[0].params[0].specs[1], "src"), 1);
	CU_ASSERT_EQUAL_FATAL(cfg.rule_files.n, 1);
	CU_ASSERT_STRING_EQUAL(cfg.rule_files.v[0], net);
	CU_ASSERT_EQUAL_FATAL(cfg.nsuppressions, 2);
	CU_ASSERT_STRING_EQUAL(cfg.suppressions[0].rule, "strings.unsafe-copy");
	CU_ASSERT_STRING_EQUAL(cfg.suppressions[0].path, "vendor/**");
	CU_ASSERT_PTR_NULL(cfg.suppressions[0].fingerprint);
	CU_ASSERT_STRING_EQUAL(cfg.suppressions[0].reason, "vendor code, reviewed");
	{
		char *want = iotb_xasprintf("%s:21:5", path);

		CU_ASSERT_STRING_EQUAL(cfg.suppressions[0].origin, want);
		free(want);
	}
	CU_ASSERT_PTR_NULL(cfg.suppressions[1].rule);
	CU_ASSERT_STRING_EQUAL(cfg.suppressions[1].reason, "known");
	CU_ASSERT_EQUAL(cfg.timeout_s, 60);
	CU_ASSERT_EQUAL(cfg.memory_mb, 2048);

	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg.effective);
	json_object_del(cfg.effective, "file");
	json_object_del(cfg.effective, "rule_files");
	json = json_dumps(cfg.effective, JSON_SORT_KEYS | JSON_COMPACT);
	CU_ASSERT_STRING_EQUAL(json,
		"{\"exclude\":[\"third_party/**\",\"*.gen.c\"],"
		"\"extend\":{\"strings.unsafe-copy\":{\"functions\":[{\"name\":\"my_strcpy\"},"
		"{\"args\":{\"dst\":0,\"src\":1},\"glob\":\"*_copy\",\"note\":\"vendor copy helpers\"}]}},"
		"\"fail_on\":\"warning\",\"limits\":{\"memory\":2048,\"timeout\":60},"
		"\"rules\":{\"disable\":[\"strings\"],\"enable\":[\"strings.format\"]},"
		"\"severity\":{\"crypto\":\"error\",\"strings.format\":\"note\"},"
		"\"suppressions\":[{\"path\":\"vendor/**\",\"reason\":\"vendor code, reviewed\","
		"\"rule\":\"strings.unsafe-copy\"},{\"fingerprint\":"
		"\"00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF\","
		"\"reason\":\"known\"}]}");
	free(json);
	iotb_config_release(&cfg);
	free(net);
	free(path);
	free(dir);
}

static void test_load_fail_on_values(void)
{
	static const struct { const char *text; int want; } cases[] = {
		{ "fail_on: error\n", IOTB_SEV_ERROR },
		{ "fail_on: warning\n", IOTB_SEV_WARNING },
		{ "fail_on: note\n", IOTB_SEV_NOTE },
		{ "fail_on: never\n", IOTB_SEV_NEVER },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct iotb_config cfg;
		char *path;

		CU_ASSERT_EQUAL(load_text(&cfg, "config-fail-on", cases[i].text, &path), 0);
		CU_ASSERT_EQUAL(cfg.fail_on, cases[i].want);
		iotb_config_release(&cfg);
		free(path);
	}
}

static void test_load_errors_top(void)
{
	check_load_error("foo: 1\n",
			 "1:1: unknown key 'foo' in the config (expected one of: fail_on, "
			 "rules, severity, exclude, extend, rule_files, suppressions, limits, "
			 "compile)");
	check_load_error("- a\n", "1:1: expected a mapping for 'the config', found a list");
	check_load_error("fail_on: error\nfail_on: note\n", "2:1: duplicate key 'fail_on'");
	check_load_error("fail_on: fatal\n",
			 "1:10: unknown fail_on value 'fatal' (expected error, warning, note or never)");
	check_load_error("fail_on: [error]\n", "1:10: expected a scalar for 'fail_on', found a list");
}

static void test_load_errors_rules(void)
{
	check_load_error("rules:\n  disabled: [x]\n",
			 "2:3: unknown key 'disabled' in rules (expected one of: enable, disable)");
	check_load_error("rules: [a]\n", "1:8: expected a mapping for 'rules', found a list");
	check_load_error("rules:\n  disable: {a: b}\n",
			 "2:12: expected a scalar or a list for 'rules.disable', found a mapping");
	check_load_error("rules:\n  enable:\n    - {a: b}\n",
			 "3:7: expected a scalar for 'rules.enable', found a mapping");
}

static void test_load_errors_severity(void)
{
	check_load_error("severity:\n  strings: fatal\n",
			 "2:12: unknown severity 'fatal' for 'strings' (expected error, warning or note)");
	check_load_error("severity: {strings: never}\n",
			 "1:21: unknown severity 'never' for 'strings' (expected error, warning or note)");
	check_load_error("severity: [strings]\n",
			 "1:11: expected a mapping for 'severity', found a list");
	check_load_error("severity:\n  strings: [note]\n",
			 "2:12: expected a scalar for 'strings', found a list");
	check_load_error("severity:\n  strings: note\n  strings: error\n",
			 "3:3: duplicate key 'strings'");
}

static void test_load_errors_exclude(void)
{
	check_load_error("exclude:\n  - \"src/[abc\"\n",
			 "2:5: bad glob 'src/[abc' in exclude: unterminated '[' in glob 'src/[abc'");
	check_load_error("exclude: {a: b}\n",
			 "1:10: expected a scalar or a list for 'exclude', found a mapping");
	check_load_error("exclude: [\"\"]\n", "1:11: bad glob '' in exclude: empty glob");
}

static void test_load_errors_suppressions(void)
{
	check_load_error("suppressions:\n  - rule: strings\n",
			 "2:5: suppression without a reason");
	check_load_error("suppressions:\n  - {rule: strings, reason: \"  \"}\n",
			 "2:29: suppression with an empty reason");
	check_load_error("suppressions:\n  - reason: legacy\n",
			 "2:5: suppression needs at least one of rule, path or fingerprint");
	check_load_error("suppressions:\n  - {path: \"a/[b\", reason: r}\n",
			 "2:12: bad glob 'a/[b' in a suppression path: unterminated '[' in glob 'a/[b'");
	check_load_error("suppressions:\n  - {fingerprint: abc, reason: r}\n",
			 "2:19: fingerprint 'abc' is not 64 hex digits");
	check_load_error("suppressions:\n  - {rule: x, reason: y, why: z}\n",
			 "2:26: unknown key 'why' in a suppression (expected one of: rule, path, "
			 "fingerprint, reason)");
	check_load_error("suppressions: {rule: x}\n",
			 "1:15: expected a list for 'suppressions', found a mapping");
	check_load_error("suppressions:\n  - strings\n",
			 "2:5: expected a mapping for 'a suppression', found a scalar");
	check_load_error("suppressions:\n  - {rule: [a], reason: r}\n",
			 "2:12: expected a scalar for 'rule', found a list");
}

static void test_load_errors_extend(void)
{
	check_load_error("extend:\n  strings.unsafe-copy:\n    functions: strcpy\n",
			 "3:16: extend 'strings.unsafe-copy' parameter 'functions' must be a "
			 "list of matcher entries");
	check_load_error("extend:\n  strings.unsafe-copy: [a]\n",
			 "2:24: expected a mapping for 'strings.unsafe-copy', found a list");
	check_load_error("extend: [a]\n", "1:9: expected a mapping for 'extend', found a list");
	check_load_error("extend:\n  strings.unsafe-copy:\n    functions:\n      - {name: a, glob: b}\n",
			 "4:9: a 'functions' entry has both 'name' and 'glob' (use exactly one of: "
			 "name, glob, regex)");
}

static void test_load_errors_files_limits(void)
{
	check_load_error("rule_files: [nope.yaml]\n",
			 "1:14: cannot read rule file 'nope.yaml': No such file or directory");
	check_load_error("rule_files: [\"\"]\n", "1:14: empty path in rule_files");
	check_load_error("limits:\n  timeout: ten\n",
			 "2:12: expected a non-negative integer for 'limits.timeout', found 'ten'");
	check_load_error("limits: {memory: 99999999999}\n",
			 "1:18: 'limits.memory' must be between 1 and 1000000, not 99999999999");
	check_load_error("limits: {timeout: 0}\n",
			 "1:19: 'limits.timeout' must be between 1 and 1000000, not 0");
	check_load_error("limits: {cpu: 1}\n",
			 "1:10: unknown key 'cpu' in limits (expected one of: timeout, memory)");
	check_load_error("limits: 5\n", "1:9: expected a mapping for 'limits', found a scalar");
}

/* Content that used to be silently cut or ignored. */
static void test_load_errors_cut_content(void)
{
	check_load_error("fail_on: warning\n---\nbogus: 1\n",
			 "3:1: a second YAML document; a config or rule file holds one");
	check_load_error("severity: {\"scan.parse-error\\0junk\": error}\n",
			 "1:12: NUL byte in a key of severity");
	check_load_error("fail_on: \"warning\\0\"\n", "1:10: NUL byte in the value of 'fail_on'");
}

static void test_load_yaml_syntax_error(void)
{
	struct iotb_config cfg;
	char *path, *prefix;

	CU_ASSERT_EQUAL(load_text(&cfg, "config-syntax", "rules: [a\n", &path), -1);
	prefix = iotb_xasprintf("%s:2:1: ", path);
	CU_ASSERT_EQUAL(strncmp(iotb_last_error(), prefix, strlen(prefix)), 0);
	iotb_config_release(&cfg);
	free(prefix);
	free(path);
}

static void test_load_missing_file(void)
{
	struct iotb_config cfg;
	char *dir = th_tmpdir("config-missing");
	char *path = iotb_path_join(dir, "absent.yml");
	char *want = iotb_xasprintf("cannot read '%s': No such file or directory", path);

	iotb_config_init(&cfg);
	CU_ASSERT_EQUAL(iotb_config_load(&cfg, path), -1);
	CU_ASSERT_STRING_EQUAL(iotb_last_error(), want);
	iotb_config_release(&cfg);
	free(want);
	free(path);
	free(dir);
}

/* ---- applying ---- */

static void test_apply_errors(void)
{
	check_apply_error("rules:\n  disable: [strings, nosuch]\n",
			  "2:22: unknown rule or area 'nosuch' in rules.disable");
	check_apply_error("rules:\n  enable: strings.nope\n",
			  "2:11: unknown rule or area 'strings.nope' in rules.enable");
	check_apply_error("severity:\n  strings.nope: note\n",
			  "2:3: unknown rule or area 'strings.nope' in severity");
	check_apply_error("suppressions:\n  - {rule: nope, reason: r}\n",
			  "2:5: unknown rule or area 'nope' in a suppression");
	check_apply_error("extend:\n  strings.nope:\n    functions: [x]\n",
			  "2:3: unknown rule 'strings.nope' in extend");
	check_apply_error("extend:\n  strings: {functions: [x]}\n",
			  "2:3: unknown rule 'strings' in extend");
	check_apply_error("extend:\n  strings.unsafe-copy:\n    sinks: [x]\n",
			  "3:5: rule 'strings.unsafe-copy' has no parameter 'sinks' to extend");
	check_apply_error("extend:\n  strings.unsafe-copy:\n    min_length: [x]\n",
			  "3:5: parameter 'min_length' of rule 'strings.unsafe-copy' is not a "
			  "list and cannot be extended");
}

static void test_apply_bad_rule_file(void)
{
	struct iotb_catalogue *cat = fixture_catalogue();
	struct iotb_config cfg;
	char *dir = th_tmpdir("config-bad-rule-file");
	char *path = th_write(dir, ".iotb.yml", "rule_files: [net.yaml]\n");
	char *net = th_write(dir, "net.yaml", "rules:\n  - id: net.telnet\n    tilte: x\n");
	char *prefix = iotb_xasprintf("%s:3:5: unknown key 'tilte'", net);

	iotb_config_init(&cfg);
	CU_ASSERT_EQUAL_FATAL(iotb_config_load(&cfg, path), 0);
	CU_ASSERT_EQUAL(iotb_config_apply(&cfg, cat), -1);
	CU_ASSERT_EQUAL(strncmp(iotb_last_error(), prefix, strlen(prefix)), 0);
	iotb_config_release(&cfg);
	iotb_catalogue_free(cat);
	free(prefix);
	free(net);
	free(path);
	free(dir);
}

/* Load text into cfg and apply it to a fresh fixture catalogue. */
static struct iotb_catalogue *applied(const char *text, struct iotb_config *cfg)
{
	struct iotb_catalogue *cat = fixture_catalogue();
	char *path;

	CU_ASSERT_EQUAL_FATAL(load_text(cfg, "config-apply", text, &path), 0);
	free(path);
	if (iotb_config_apply(cfg, cat) < 0)
		fprintf(stderr, "apply: %s\n", iotb_last_error());
	return cat;
}

static bool rule_enabled(const struct iotb_catalogue *cat, const char *id)
{
	const struct iotb_rule *rule = iotb_catalogue_rule(cat, id);

	CU_ASSERT_PTR_NOT_NULL_FATAL(rule);
	return rule->enabled;
}

static void test_apply_disable_area(void)
{
	struct iotb_config cfg;
	struct iotb_catalogue *cat = applied("rules: {disable: [strings]}\n", &cfg);

	CU_ASSERT_FALSE(rule_enabled(cat, "strings.unsafe-copy"));
	CU_ASSERT_FALSE(rule_enabled(cat, "strings.format"));
	CU_ASSERT_TRUE(rule_enabled(cat, "crypto.weak-hash"));
	CU_ASSERT_TRUE(rule_enabled(cat, "scan.unused-suppression"));
	iotb_config_release(&cfg);
	iotb_catalogue_free(cat);
}

static void test_apply_enable_wins(void)
{
	struct iotb_config cfg;
	/* enable is written first: it still wins over disable */
	struct iotb_catalogue *cat = applied(
		"rules:\n  enable: [strings.format, crypto]\n  disable: [strings, crypto]\n", &cfg);

	CU_ASSERT_FALSE(rule_enabled(cat, "strings.unsafe-copy"));
	CU_ASSERT_TRUE(rule_enabled(cat, "strings.format"));
	CU_ASSERT_TRUE(rule_enabled(cat, "crypto.weak-hash"));
	iotb_config_release(&cfg);
	iotb_catalogue_free(cat);
}

static void test_apply_severity(void)
{
	struct iotb_config cfg;
	/* the rule id is written before its area: the id still wins */
	struct iotb_catalogue *cat = applied(
		"severity:\n  strings.format: warning\n  strings: note\n  crypto.weak-hash: error\n",
		&cfg);
	const struct iotb_rule *copy = iotb_catalogue_rule(cat, "strings.unsafe-copy");
	const struct iotb_rule *format = iotb_catalogue_rule(cat, "strings.format");
	const struct iotb_rule *hash = iotb_catalogue_rule(cat, "crypto.weak-hash");

	CU_ASSERT_EQUAL(copy->severity, IOTB_SEV_NOTE);
	CU_ASSERT_EQUAL(copy->default_severity, IOTB_SEV_WARNING);
	CU_ASSERT_EQUAL(format->severity, IOTB_SEV_WARNING);
	CU_ASSERT_EQUAL(format->default_severity, IOTB_SEV_ERROR);
	CU_ASSERT_EQUAL(hash->severity, IOTB_SEV_ERROR);
	iotb_config_release(&cfg);
	iotb_catalogue_free(cat);
}

static void test_apply_extend(void)
{
	struct iotb_config cfg;
	struct iotb_catalogue *cat = applied(
		"extend:\n  strings.unsafe-copy:\n    functions:\n"
		"      - my_strcpy\n      - regex: \"^nv(ram)?_copy$\"\n        args: {dst: 0}\n",
		&cfg);
	const struct iotb_rule *rule = iotb_catalogue_rule(cat, "strings.unsafe-copy");
	const struct iotb_param *p = iotb_rule_param(rule, "functions");

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL_FATAL(p->nspecs, 4);
	CU_ASSERT_STRING_EQUAL(p->specs[0].pattern, "strcpy");
	CU_ASSERT_STRING_EQUAL(p->specs[1].pattern, "strcat");
	CU_ASSERT_STRING_EQUAL(p->specs[2].pattern, "my_strcpy");
	CU_ASSERT_EQUAL(p->specs[3].kind, IOTB_MATCH_REGEX);
	CU_ASSERT_TRUE(iotb_funcspec_matches(&p->specs[3], "nvram_copy"));
	CU_ASSERT_TRUE(iotb_funcspec_matches(&p->specs[3], "nv_copy"));
	CU_ASSERT_FALSE(iotb_funcspec_matches(&p->specs[3], "nvram_copy2"));
	CU_ASSERT_EQUAL(iotb_funcspec_arg(&p->specs[3], "dst"), 0);
	CU_ASSERT_TRUE(th_contains(p->specs[2].origin, ".iotb.yml:4:9"));
	iotb_config_release(&cfg);
	iotb_catalogue_free(cat);
}

static void test_apply_rule_files(void)
{
	struct iotb_catalogue *cat = fixture_catalogue();
	struct iotb_config cfg;
	char *dir = th_tmpdir("config-rule-files");
	char *path = th_write(dir, "sub/.iotb.yml",
			      "rule_files: [../extra/net.yaml]\nseverity: {net: note}\n");
	char *net = th_write(dir, "extra/net.yaml", net_rules);
	const struct iotb_rule *rule;

	iotb_config_init(&cfg);
	CU_ASSERT_EQUAL_FATAL(iotb_config_load(&cfg, path), 0);
	CU_ASSERT_TRUE(th_contains(cfg.rule_files.v[0], "/sub/../extra/net.yaml"));
	CU_ASSERT_PTR_NULL(iotb_catalogue_rule(cat, "net.telnet"));
	CU_ASSERT_EQUAL_FATAL(iotb_config_apply(&cfg, cat), 0);
	rule = iotb_catalogue_rule(cat, "net.telnet");
	CU_ASSERT_PTR_NOT_NULL_FATAL(rule);
	CU_ASSERT_STRING_EQUAL(rule->area, "net");
	CU_ASSERT_EQUAL(rule->severity, IOTB_SEV_NOTE);
	CU_ASSERT_PTR_NOT_NULL(iotb_catalogue_rule(cat, "strings.format"));
	iotb_config_release(&cfg);
	iotb_catalogue_free(cat);
	free(net);
	free(path);
	free(dir);
}

static void test_apply_null_config(void)
{
	struct iotb_catalogue *cat = fixture_catalogue();

	CU_ASSERT_EQUAL(iotb_config_apply(NULL, cat), 0);
	CU_ASSERT_TRUE(rule_enabled(cat, "strings.format"));
	iotb_catalogue_free(cat);
}

/* ---- excludes and selection ---- */

static void test_excludes(void)
{
	struct iotb_config cfg;
	char *path, *dir, *abs_inside;

	CU_ASSERT_EQUAL_FATAL(load_text(&cfg, "config-exclude",
					"exclude: [\"third_party/**\", \"*.gen.c\"]\n", &path), 0);
	dir = iotb_xstrndup(path, strlen(path) - strlen("/.iotb.yml"));
	abs_inside = iotb_path_join(dir, "third_party/zlib/inflate.c");
	CU_ASSERT_TRUE(iotb_config_excludes(&cfg, "third_party/x/y.c"));
	CU_ASSERT_TRUE(iotb_config_excludes(&cfg, "./third_party/a.c"));
	CU_ASSERT_TRUE(iotb_config_excludes(&cfg, "src/foo.gen.c"));
	CU_ASSERT_TRUE(iotb_config_excludes(&cfg, abs_inside));
	CU_ASSERT_FALSE(iotb_config_excludes(&cfg, "src/foo.c"));
	CU_ASSERT_FALSE(iotb_config_excludes(&cfg, "src/third_party.c"));
	CU_ASSERT_FALSE(iotb_config_excludes(NULL, "third_party/x/y.c"));
	iotb_config_release(&cfg);
	free(abs_inside);
	free(dir);
	free(path);
}

static void test_rule_selected_by(void)
{
	struct iotb_catalogue *cat = fixture_catalogue();
	const struct iotb_rule *rule = iotb_catalogue_rule(cat, "strings.unsafe-copy");

	CU_ASSERT_TRUE(iotb_rule_selected_by(rule, "strings.unsafe-copy"));
	CU_ASSERT_TRUE(iotb_rule_selected_by(rule, "strings"));
	CU_ASSERT_FALSE(iotb_rule_selected_by(rule, "string"));
	CU_ASSERT_FALSE(iotb_rule_selected_by(rule, "strings.unsafe"));
	CU_ASSERT_FALSE(iotb_rule_selected_by(rule, "crypto"));
	CU_ASSERT_FALSE(iotb_rule_selected_by(rule, NULL));
	iotb_catalogue_free(cat);
}

/* ---- locating ---- */

struct saved_env {
	char *cwd;
	char *iotb_config;
};

static void save_env(struct saved_env *s)
{
	const char *v = getenv("IOTB_CONFIG");

	s->cwd = getcwd(NULL, 0);
	s->iotb_config = v ? iotb_xstrdup(v) : NULL;
	unsetenv("IOTB_CONFIG");
}

static void restore_env(struct saved_env *s)
{
	if (s->cwd && chdir(s->cwd) != 0)
		perror("chdir");
	if (s->iotb_config)
		setenv("IOTB_CONFIG", s->iotb_config, 1);
	else
		unsetenv("IOTB_CONFIG");
	free(s->cwd);
	free(s->iotb_config);
}

/* Real path of dir/name (the file must exist); owned. */
static char *real_join(const char *dir, const char *name)
{
	char *p = iotb_path_join(dir, name);
	char *r = realpath(p, NULL);

	free(p);
	return r;
}

static void test_locate_order(void)
{
	struct saved_env env;
	char *dir = th_tmpdir("config-locate-order");
	char *sub, *found, *want;

	save_env(&env);
	free(th_write(dir, "wt/.git/HEAD", "ref: refs/heads/main\n"));
	free(th_write(dir, "wt/.iotb.yml", "fail_on: note\n"));
	free(th_write(dir, "wt/a/b/keep", ""));
	sub = iotb_path_join(dir, "wt/a/b");
	CU_ASSERT_EQUAL_FATAL(chdir(sub), 0);

	found = iotb_config_locate("explicit.yml");
	CU_ASSERT_STRING_EQUAL(found, "explicit.yml");
	free(found);

	setenv("IOTB_CONFIG", "/from/env.yml", 1);
	found = iotb_config_locate("explicit.yml");
	CU_ASSERT_STRING_EQUAL(found, "explicit.yml");
	free(found);
	found = iotb_config_locate(NULL);
	CU_ASSERT_STRING_EQUAL(found, "/from/env.yml");
	free(found);
	setenv("IOTB_CONFIG", "", 1);
	want = real_join(dir, "wt/.iotb.yml");
	found = iotb_config_locate(NULL);
	CU_ASSERT_STRING_EQUAL(found, want);
	free(found);
	free(want);
	unsetenv("IOTB_CONFIG");

	/* a nearer one wins */
	free(th_write(dir, "wt/a/.iotb.yml", "fail_on: note\n"));
	want = real_join(dir, "wt/a/.iotb.yml");
	found = iotb_config_locate(NULL);
	CU_ASSERT_STRING_EQUAL(found, want);
	free(found);
	free(want);

	restore_env(&env);
	free(sub);
	free(dir);
}

static void test_locate_stops_at_worktree(void)
{
	struct saved_env env;
	char *dir = th_tmpdir("config-locate-top");
	char *sub, *found, *want;

	save_env(&env);
	free(th_write(dir, ".iotb.yml", "fail_on: note\n"));  /* outside the work tree */
	free(th_write(dir, "wt/.git", "gitdir: /elsewhere\n"));  /* a .git file counts */
	free(th_write(dir, "wt/src/keep", ""));
	sub = iotb_path_join(dir, "wt/src");
	CU_ASSERT_EQUAL_FATAL(chdir(sub), 0);
	found = iotb_config_locate(NULL);
	CU_ASSERT_PTR_NULL(found);
	free(found);

	/* at the top itself it is still found; a directory of that name is not */
	free(th_write(dir, "wt/.iotb.yml/x", ""));
	found = iotb_config_locate(NULL);
	CU_ASSERT_PTR_NULL(found);
	free(found);
	free(sub);
	sub = iotb_path_join(dir, "wt2/src");
	free(th_write(dir, "wt2/.git/HEAD", ""));
	free(th_write(dir, "wt2/.iotb.yml", "fail_on: note\n"));
	free(th_write(dir, "wt2/src/keep", ""));
	CU_ASSERT_EQUAL_FATAL(chdir(sub), 0);
	want = real_join(dir, "wt2/.iotb.yml");
	found = iotb_config_locate(NULL);
	CU_ASSERT_STRING_EQUAL(found, want);
	free(found);
	free(want);

	restore_env(&env);
	free(sub);
	free(dir);
}

/* Outside any work tree only the current directory's .iotb.yml counts. */
static void test_locate_outside_worktree(void)
{
	struct saved_env env;
	char tmpl[] = "/tmp/iotb-nowt-XXXXXX";
	char *dir = mkdtemp(tmpl), *found, *want, *sub, *cmd;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	save_env(&env);
	free(th_write(dir, ".iotb.yml", "fail_on: note\n"));
	free(th_write(dir, "sub/keep", ""));
	sub = iotb_path_join(dir, "sub");
	CU_ASSERT_EQUAL_FATAL(chdir(sub), 0);
	CU_ASSERT_PTR_NULL(iotb_config_locate(NULL));
	CU_ASSERT_EQUAL_FATAL(chdir(dir), 0);
	want = real_join(dir, ".iotb.yml");
	found = iotb_config_locate(NULL);
	CU_ASSERT_STRING_EQUAL(found, want);
	free(found);
	free(want);
	restore_env(&env);
	cmd = iotb_xasprintf("rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
	free(cmd);
	free(sub);
}

static void test_release_twice(void)
{
	struct iotb_config cfg;
	char *path;

	CU_ASSERT_EQUAL(load_text(&cfg, "config-release", full_config, &path), -1);
	/* more/net.yaml is missing here: the load fails half-way and must
	 * still release cleanly, twice */
	CU_ASSERT_TRUE(th_contains(iotb_last_error(), ":19:14: cannot read rule file"));
	iotb_config_release(&cfg);
	iotb_config_release(&cfg);
	iotb_config_release(NULL);
	free(path);
}

/* compile: flags for plain C sources, resolved against the config's dir. */
static void test_compile_key(void)
{
	struct iotb_config cfg;
	struct iotb_strvec args;
	char *path, *dir, *inc, *want_i, *want_abs;
	json_t *eff;
	int rc;

	dir = th_tmpdir("config-compile");
	inc = iotb_path_join(dir, "inc");
	CU_ASSERT_EQUAL_FATAL(mkdir(inc, 0755) == 0 || errno == EEXIST, 1);
	path = th_write(dir, ".iotb.yml",
			"compile:\n"
			"  includes: [inc, /usr/include]\n"
			"  defines: [FEATURE_X, LEVEL=2, _EMPTY=]\n"
			"  target: arm-linux-gnueabihf\n");
	iotb_config_init(&cfg);
	rc = iotb_config_load(&cfg, path);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	CU_ASSERT_EQUAL(cfg.compile_includes.n, 2);
	CU_ASSERT_STRING_EQUAL(cfg.compile_includes.v[0], inc);
	CU_ASSERT_STRING_EQUAL(cfg.compile_includes.v[1], "/usr/include");
	CU_ASSERT_EQUAL(cfg.compile_defines.n, 3);
	CU_ASSERT_STRING_EQUAL(cfg.compile_defines.v[1], "LEVEL=2");
	CU_ASSERT_STRING_EQUAL(cfg.compile_target, "arm-linux-gnueabihf");
	iotb_strvec_init(&args);
	iotb_config_compile_args(&cfg, false, &args);
	want_i = iotb_xasprintf("-I%s", inc);
	CU_ASSERT_EQUAL(args.n, 6);
	CU_ASSERT_STRING_EQUAL(args.v[0], want_i);
	CU_ASSERT_STRING_EQUAL(args.v[1], "-I/usr/include");
	CU_ASSERT_STRING_EQUAL(args.v[2], "-DFEATURE_X");
	CU_ASSERT_STRING_EQUAL(args.v[3], "-DLEVEL=2");
	CU_ASSERT_STRING_EQUAL(args.v[4], "-D_EMPTY=");
	CU_ASSERT_STRING_EQUAL(args.v[5], "--target=arm-linux-gnueabihf");
	iotb_strvec_release(&args);
	iotb_strvec_init(&args);
	iotb_config_compile_args(&cfg, true, &args);   /* --target given on the command line */
	CU_ASSERT_EQUAL(args.n, 5);
	CU_ASSERT(!iotb_strvec_contains(&args, "--target=arm-linux-gnueabihf"));
	iotb_strvec_release(&args);
	eff = json_object_get(cfg.effective, "compile");
	want_abs = iotb_xstrdup(inc);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(eff, "target")),
			       "arm-linux-gnueabihf");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(json_object_get(eff, "includes"), 0)),
			       want_abs);
	iotb_config_release(&cfg);
	free(want_abs);
	free(want_i);
	free(path);
	free(inc);
	free(dir);
}

static void test_compile_key_shapes(void)
{
	CU_ASSERT(iotb_config_is_define("A"));
	CU_ASSERT(iotb_config_is_define("_a1=x y"));
	CU_ASSERT(!iotb_config_is_define(""));
	CU_ASSERT(!iotb_config_is_define("1A"));
	CU_ASSERT(!iotb_config_is_define("A-B"));
	CU_ASSERT(!iotb_config_is_define("=1"));
	CU_ASSERT(iotb_config_is_triple("arm-none-eabi"));
	CU_ASSERT(iotb_config_is_triple("x86_64-linux-gnu"));
	CU_ASSERT(iotb_config_is_triple("thumbv7em-none-eabihf"));
	CU_ASSERT(iotb_config_is_triple("mipsel-openwrt-linux-musl"));
	CU_ASSERT(!iotb_config_is_triple("arm"));
	CU_ASSERT(!iotb_config_is_triple("arm--eabi"));
	CU_ASSERT(!iotb_config_is_triple("-arm-eabi"));
	CU_ASSERT(!iotb_config_is_triple("arm-eabi -fplugin=x.so"));
	CU_ASSERT(!iotb_config_is_triple("a-b-c-d-e-f"));
}

static void test_load_errors_compile(void)
{
	check_load_error("compile: [a]\n", "1:10: expected a mapping for 'compile', found a list");
	check_load_error("compile:\n  include: [a]\n",
			 "2:3: unknown key 'include' in compile (expected one of: includes, "
			 "defines, target)");
	check_load_error("compile:\n  includes: [nothere]\n",
			 "2:14: include directory 'nothere' in compile.includes is not a "
			 "directory: No such file or directory");
	check_load_error("compile:\n  includes: [.iotb.yml]\n",
			 "2:14: include directory '.iotb.yml' in compile.includes is not a "
			 "directory");
	check_load_error("compile:\n  includes: [\"\"]\n",
			 "2:14: empty directory in compile.includes");
	check_load_error("compile:\n  includes: {a: b}\n",
			 "2:13: expected a scalar or a list for 'compile.includes', found a mapping");
	check_load_error("compile:\n  defines: [\"9bad\"]\n",
			 "2:13: bad define '9bad' in compile.defines (expected NAME or NAME=VALUE)");
	check_load_error("compile:\n  defines:\n    - [A]\n",
			 "3:7: expected a scalar for 'compile.defines', found a list");
	check_load_error("compile:\n  target: arm\n",
			 "2:11: bad target triple 'arm' in compile.target (expected e.g. "
			 "arm-linux-gnueabihf)");
	check_load_error("compile:\n  target: [arm-none-eabi]\n",
			 "2:11: expected a scalar for 'compile.target', found a list");
}

static const struct th_test tests[] = {
	{ "load_empty", test_load_empty },
	{ "load_full", test_load_full },
	{ "load_fail_on_values", test_load_fail_on_values },
	{ "load_errors_top", test_load_errors_top },
	{ "load_errors_rules", test_load_errors_rules },
	{ "load_errors_severity", test_load_errors_severity },
	{ "load_errors_exclude", test_load_errors_exclude },
	{ "load_errors_suppressions", test_load_errors_suppressions },
	{ "load_errors_extend", test_load_errors_extend },
	{ "load_errors_files_limits", test_load_errors_files_limits },
	{ "load_yaml_syntax_error", test_load_yaml_syntax_error },
	{ "load_errors_cut_content", test_load_errors_cut_content },
	{ "load_missing_file", test_load_missing_file },
	{ "apply_errors", test_apply_errors },
	{ "apply_bad_rule_file", test_apply_bad_rule_file },
	{ "apply_disable_area", test_apply_disable_area },
	{ "apply_enable_wins", test_apply_enable_wins },
	{ "apply_severity", test_apply_severity },
	{ "apply_extend", test_apply_extend },
	{ "apply_rule_files", test_apply_rule_files },
	{ "apply_null_config", test_apply_null_config },
	{ "excludes", test_excludes },
	{ "rule_selected_by", test_rule_selected_by },
	{ "locate_order", test_locate_order },
	{ "locate_stops_at_worktree", test_locate_stops_at_worktree },
	{ "locate_outside_worktree", test_locate_outside_worktree },
	{ "release_twice", test_release_twice },
	{ "compile_key", test_compile_key },
	{ "compile_key_shapes", test_compile_key_shapes },
	{ "load_errors_compile", test_load_errors_compile },
	{ NULL, NULL },
};

void register_suite_config(void)
{
	th_add_suite("config", tests);
}
