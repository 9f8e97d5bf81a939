/*
 * test_analyzers_cross.c — the front end against every cross compiler of
 * DESIGN.md's list (the analyzers issue's acceptance tests), one crossarch
 * suite per compiler, skipped (77) when that compiler is not installed.
 *
 * For each: a compile database naming the bare GCC parses a sample that
 * needs the target's headers, its type sizes and its architecture macro
 * with zero errors; with both the driver query and the name inference
 * disabled the same sample must fail (the test can fail).  For the Linux
 * compilers a header only a -specs= file makes visible is found with the
 * query and not without it; for arm-none-eabi, newlib's headers need the
 * query anyway.  The argv path (iotb-cc) expands @file and sets the
 * target itself, while the same argv handed to libclang as it is parses
 * for the host.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyzers.h"
#include "engine.h"
#include "frontend.h"
#include "iotb_util.h"
#include "test_helpers.h"
#include "walk.h"

/* Strings equal (NULL-safe); a mismatch prints both. */
static bool str_eq(const char *got, const char *want)
{
	if (got && want && !strcmp(got, want))
		return true;
	printf("\n      got: %s\n     want: %s\n", got ? got : "(null)", want ? want : "(null)");
	return false;
}

#define ASSERT_STR(got, want) \
	CU_assertImplementation(str_eq((got), (want)), __LINE__, \
				"ASSERT_STR(" #got ", " #want ")", __FILE__, "", CU_FALSE)

struct cross {
	const char *suite;
	const char *gcc;
	const char *arch_macro;
	int long_size;
	bool linux_libc;
};

static const struct cross crosses[] = {
	{ "analyzers_x_i686", "i686-linux-gnu-gcc", "__i386__", 4, true },
	{ "analyzers_x_armhf", "arm-linux-gnueabihf-gcc", "__ARM_PCS_VFP", 4, true },
	{ "analyzers_x_arm64", "aarch64-linux-gnu-gcc", "__aarch64__", 8, true },
	{ "analyzers_x_mips", "mips-linux-gnu-gcc", "__MIPSEB__", 4, true },
	{ "analyzers_x_mipsel", "mipsel-linux-gnu-gcc", "__MIPSEL__", 4, true },
	{ "analyzers_x_mips64el", "mips64el-linux-gnuabi64-gcc", "__mips64", 8, true },
	{ "analyzers_x_riscv64", "riscv64-linux-gnu-gcc", "__riscv", 8, true },
	{ "analyzers_x_ppc", "powerpc-linux-gnu-gcc", "__powerpc__", 4, true },
	{ "analyzers_x_armeabi", "arm-none-eabi-gcc", "__arm__", 4, false },
};

static const struct cross *current;
static char *dir;

static void set_options(enum iotb_query_mode query, bool infer)
{
	struct iotb_analyzers_options o = { 0 };
	char *cache = iotb_path_join(dir, "cache");

	o.query = query;
	o.no_name_inference = !infer;
	o.jobs = 1;
	o.cache_dir = cache;
	iotb_analyzers_set_options(&o);
	free(cache);
}

/* The sample: target headers, the architecture's macro, sizeof(long). */
static char *sample(const char *name, const char *extra)
{
	char *text = iotb_xasprintf(
		"#include <stdio.h>\n"
		"#include <string.h>\n"
		"#include <sys/types.h>\n"
		"%s"
		"#if !defined(%s)\n#error not built for the target\n#endif\n"
		"#if %d && !defined(__GLIBC__)\n#error no glibc\n#endif\n"
		"#if %d && !defined(_NEWLIB_VERSION)\n#error no newlib\n#endif\n"
		"_Static_assert(sizeof(long) == %d, \"long\");\n"
		"int copy(char *d, const char *s, size_t n) { memcpy(d, s, n); return 0; }\n",
		extra, current->arch_macro, current->linux_libc, !current->linux_libc,
		current->long_size);
	char *path = th_write(dir, name, text);

	free(text);
	return path;
}

/* Analyse a database of one command; the TU's error count (-1 when it
 * was not analysed).  The findings are shown when errors were not
 * expected. */
static long long db_errors(const char *file, const char *flags, bool expect_clean)
{
	char *entry = iotb_xasprintf("[{\"directory\": \"%s\", \"file\": \"%s\", "
				     "\"command\": \"%s %s -c %s\"}]\n", dir, file, current->gcc,
				     flags, file);
	char *db = th_write(dir, "compile_commands.json", entry);
	struct iotb_results res;
	struct iotb_input in = { 0 };
	struct iotb_engine_ctx ctx = { th_catalogue(), NULL, &res, NULL };
	long long errors = -1;

	iotb_results_init(&res);
	in.path = db;
	in.kind = "compile-db";
	in.fd = open(db, O_RDONLY);
	ctx.artifact = iotb_results_add_artifact(&res, db, "compile-db");
	if (iotb_engine_analyzers.analyse(&in, &ctx) == 0 &&
	    json_integer_value(json_object_get(ctx.artifact->facts, "not_analysed")) == 0)
		errors = json_integer_value(json_object_get(ctx.artifact->facts, "errors"));
	if (errors != 0 && expect_clean)
		for (size_t i = 0; i < res.nfindings; i++)
			printf("\n    %s: %s", res.findings[i].rule->id, res.findings[i].message);
	close(in.fd);
	iotb_results_release(&res);
	free(db);
	free(entry);
	return errors;
}

static void test_database_query(void)
{
	char *c = sample("target.c", "");

	set_options(IOTB_QUERY_DEFAULT, true);
	CU_ASSERT_EQUAL(db_errors("target.c", "-O2", true), 0);
	/* proof that the test can fail: neither query nor name inference */
	set_options(IOTB_QUERY_NEVER, false);
	CU_ASSERT(db_errors("target.c", "-O2", false) > 0);
	iotb_analyzers_set_options(NULL);
	free(c);
}

/* Headers only the query finds: a spec file adds an include directory.
 * The spec file lies outside the scanned roots (the database's directory
 * and its work tree), or the query would not pass it. */
static void test_database_specs(void)
{
	char outside[] = "/tmp/iotb-specs-XXXXXX";
	char *specs, *inc, *text, *flags, *c, *h, *rm;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(outside));
	inc = iotb_path_join(outside, "include");
	text = iotb_xasprintf("*cpp:\n+ -isystem %s\n\n", inc);
	specs = th_write(outside, "board.specs", text);
	flags = iotb_xasprintf("-specs=%s", specs);
	h = th_write(inc, "board_only.h", "#define BOARD_ONLY 1\n");
	c = sample("board.c", "#include <board_only.h>\n");
	set_options(IOTB_QUERY_DEFAULT, true);
	CU_ASSERT_EQUAL(db_errors("board.c", flags, true), 0);
	set_options(IOTB_QUERY_NEVER, true);
	CU_ASSERT(db_errors("board.c", flags, false) > 0);
	if (!current->linux_libc) {
		/* newlib's headers are found only through the query */
		CU_ASSERT(db_errors("target.c", "-O2", false) > 0);
	}
	iotb_analyzers_set_options(NULL);
	rm = iotb_xasprintf("rm -rf '%s'", outside);
	CU_ASSERT_EQUAL(system(rm), 0);
	free(rm);
	free(c);
	free(h);
	free(flags);
	free(text);
	free(inc);
	free(specs);
}

static unsigned tu_errors(const struct iotb_tu_args *ta, enum iotb_tu_outcome *outcome)
{
	struct iotb_results res;
	struct iotb_engine_ctx ctx = { th_catalogue(), NULL, &res, NULL };
	struct iotb_walk *w;
	struct iotb_tu_result r;
	CXIndex idx = clang_createIndex(0, 0);
	unsigned errors;

	iotb_results_init(&res);
	w = iotb_walk_new(&ctx);
	iotb_walk_tu(w, idx, ta, &r);
	*outcome = r.outcome;
	errors = r.errors;
	iotb_tu_result_release(&r);
	iotb_walk_free(w);
	clang_disposeIndex(idx);
	iotb_results_release(&res);
	return errors;
}

/* iotb-cc's argv: @file expanded and the target set by us; the same argv
 * given to libclang unchanged is parsed for the host. */
static void test_argv_path(void)
{
	char *c = sample("argv.c", "#ifndef FROM_RSP\n#error the response file was not read\n#endif\n");
	const char *argv[] = { current->gcc, "@argv.rsp", "-c", "argv.c" };
	struct iotb_frontend_env env = { 0 };
	struct iotb_compile_cmd cmd;
	struct iotb_tu_args ta, raw;
	enum iotb_tu_outcome outcome;

	free(th_write(dir, "argv.rsp", "-DFROM_RSP=1 -O2\n"));
	set_options(IOTB_QUERY_ALWAYS, true);
	env.opt = iotb_analyzers_options();
	env.cache_dir = iotb_analyzers_options()->cache_dir;
	iotb_strvec_init(&env.roots);
	CU_ASSERT_EQUAL_FATAL(iotb_compile_cmd_from_argv(&cmd, dir, "argv.c", 4, argv), 0);
	iotb_tu_args_init(&ta);
	iotb_frontend_translate(&cmd, &env, &ta);
	ASSERT_STR(ta.target_origin, "query");
	CU_ASSERT_EQUAL(tu_errors(&ta, &outcome), 0);
	CU_ASSERT_EQUAL(outcome, IOTB_TU_PARSED);
	/* the trap: the argv as it is (no @file expansion, no target) */
	iotb_tu_args_init(&raw);
	raw.source = iotb_path_join(dir, "argv.c");
	{
		char *wd = iotb_xasprintf("-working-directory=%s", dir);

		iotb_strvec_push(&raw.args, "@argv.rsp");
		iotb_strvec_push(&raw.args, wd);
		free(wd);
	}
	CU_ASSERT(tu_errors(&raw, &outcome) > 0 || outcome == IOTB_TU_FAILED);
	iotb_tu_args_release(&raw);
	iotb_tu_args_release(&ta);
	iotb_compile_cmd_release(&cmd);
	iotb_strvec_release(&env.roots);
	iotb_analyzers_set_options(NULL);
	free(c);
}

static const struct th_test tests[] = {
	{ "database: query finds the target", test_database_query },
	{ "database: -specs= headers need the query", test_database_specs },
	{ "argv: @file and target are ours", test_argv_path },
	{ NULL, NULL },
};

static void register_cross(const char *suite)
{
	char *path;

	for (size_t i = 0; i < sizeof(crosses) / sizeof(crosses[0]); i++)
		if (!strcmp(crosses[i].suite, suite))
			current = &crosses[i];
	path = current ? iotb_driver_resolve(current->gcc, "/") : NULL;
	if (!path) {
		th_skip_suite("cross compiler not installed");
		return;
	}
	free(path);
	dir = th_tmpdir(suite);
	th_add_suite(suite, tests);
}

#define CROSS(name) void register_suite_##name(void); \
	void register_suite_##name(void) { register_cross(#name); }
CROSS(analyzers_x_i686)
CROSS(analyzers_x_armhf)
CROSS(analyzers_x_arm64)
CROSS(analyzers_x_mips)
CROSS(analyzers_x_mipsel)
CROSS(analyzers_x_mips64el)
CROSS(analyzers_x_riscv64)
CROSS(analyzers_x_ppc)
CROSS(analyzers_x_armeabi)
