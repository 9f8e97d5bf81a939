/*
 * test_analyzers.c — the libclang source engine (analyzers/): compile
 * commands and databases, flag translation, the driver query and its
 * cache, parsing outcomes, set-up problems, the walk's de-duplication and
 * sub-workers, and the two example checkers' parameters and messages.
 *
 * The traps of the analyzers issue each have a test here: @file and the
 * name-derived --target from a compile database vs an argv, -MD writing
 * dependency files, GCC-only flags, code-loading flags, GCC's builtin
 * include directories, a ccache prefix, "unknown argument" once per
 * compiler.  Cross compilers are exercised in test_analyzers_cross.c.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyzers.h"
#include "engine.h"
#include "frontend.h"
#include "iotb_util.h"
#include "suppress.h"
#include "test_helpers.h"
#include "walk.h"
#include "checker.h"

/* Strings equal (NULL-safe); a mismatch prints both. */
/* --- fixtures ------------------------------------------------------------- */

static char *cache_dir;

/* Options for one test: no query unless asked, a private cache. */
static void set_options(enum iotb_query_mode query, unsigned jobs)
{
	struct iotb_analyzers_options o = { 0 };

	if (!cache_dir)
		cache_dir = th_tmpdir("analyzers-cache");
	o.query = query;
	o.jobs = jobs;
	o.cache_dir = cache_dir;
	iotb_analyzers_set_options(&o);
}

/* Run the engine on path (of kind) in this process. */
static int analyse(const char *path, const char *kind, struct iotb_results *res,
                   const struct iotb_catalogue *cat)
{
	struct iotb_input in = { 0 };
	struct iotb_engine_ctx ctx = { cat ? cat : th_catalogue(), NULL, res, NULL };
	int rc;

	iotb_results_init(res);
	in.path = path;
	in.kind = kind;
	in.fd = open(path, O_RDONLY);
	in.named = 1;
	ctx.artifact = iotb_results_add_artifact(res, path, kind);
	iotb_clear_error();
	rc = iotb_engine_analyzers.analyse(&in, &ctx);
	if (in.fd >= 0)
		close(in.fd);
	return rc;
}

static size_t count_rule(const struct iotb_results *res, const char *rule)
{
	size_t n = 0;

	for (size_t i = 0; i < res->nfindings; i++)
		n += !strcmp(res->findings[i].rule->id, rule);
	return n;
}

static long long fact(const struct iotb_results *res, const char *key)
{
	json_t *facts = res->nartifacts ? res->artifacts[0].facts : NULL;

	return json_integer_value(json_object_get(facts, key));
}

/* A compile_commands.json in dir with entries "file|command" (directory =
 * dir); returns its path (owned). */
static char *write_db(const char *dir, const char *const *entries)
{
	struct iotb_strbuf sb;
	char *path;

	iotb_strbuf_init(&sb);
	iotb_strbuf_adds(&sb, "[");
	for (size_t i = 0; entries[i]; i++) {
		const char *bar = strchr(entries[i], '|');

		iotb_strbuf_addf(&sb, "%s{\"directory\": \"%s\", \"file\": \"%.*s\", "
				 "\"command\": \"%s\"}", i ? ",\n" : "", dir,
				 (int)(bar - entries[i]), entries[i], bar + 1);
	}
	iotb_strbuf_adds(&sb, "]\n");
	path = th_write(dir, "compile_commands.json", sb.buf);
	iotb_strbuf_release(&sb);
	return path;
}

static bool has_arg(const struct iotb_strvec *v, const char *a)
{
	return iotb_strvec_contains(v, a);
}

static size_t count_prefix(const struct iotb_strvec *v, const char *prefix)
{
	size_t n = 0;

	for (size_t i = 0; i < v->n; i++)
		n += !strncmp(v->v[i], prefix, strlen(prefix));
	return n;
}

/* --- compiler names -------------------------------------------------------- */

static void check_target(const char *compiler, const char *want)
{
	char *t = iotb_target_from_compiler_name(compiler);

	if (want) {
		TH_ASSERT_STR(t ? t : "(null)", want);
	} else {
		CU_ASSERT_PTR_NULL(t);
	}
	free(t);
}

static void test_target_from_name(void)
{
	check_target("arm-linux-gnueabihf-gcc", "arm-linux-gnueabihf");
	check_target("/usr/bin/mipsel-linux-gnu-gcc-12", "mipsel-linux-gnu");
	check_target("/usr/bin/arm-none-eabi-gcc-12.2.1", "arm-none-eabi");
	check_target("aarch64-linux-gnu-g++", "aarch64-linux-gnu");
	check_target("powerpc-linux-gnu-cc", "powerpc-linux-gnu");
	check_target("riscv64-linux-gnu-clang", "riscv64-linux-gnu");
	check_target("gcc", NULL);
	check_target("cc", NULL);
	check_target("my-wrapper-gcc", NULL);        /* "my" is no architecture */
	check_target("sh4-linux-gnu-gcc", NULL);     /* no SH target in LLVM */
	check_target("x86_64-linux-gnu-gcc-12", "x86_64-linux-gnu");
}

static void test_gcc_like(void)
{
	CU_ASSERT(iotb_is_gcc_like("gcc"));
	CU_ASSERT(iotb_is_gcc_like("/usr/bin/gcc-12"));
	CU_ASSERT(iotb_is_gcc_like("arm-linux-gnueabihf-gcc"));
	CU_ASSERT(iotb_is_gcc_like("mipsel-openwrt-linux-musl-g++"));
	CU_ASSERT(iotb_is_gcc_like("cc"));
	CU_ASSERT(iotb_is_gcc_like("arm-none-eabi-c++"));
	CU_ASSERT(!iotb_is_gcc_like("clang"));
	CU_ASSERT(!iotb_is_gcc_like("clang-19"));
	CU_ASSERT(!iotb_is_gcc_like("ccache"));
	CU_ASSERT(!iotb_is_gcc_like("tcc-wrapper.sh"));
}

/* --- argv (iotb-cc) path ------------------------------------------------------- */

static void test_argv_response_files(void)
{
	char *dir = th_tmpdir("analyzers-rsp");
	struct iotb_compile_cmd cmd;
	const char *argv[] = { "ccache", "arm-linux-gnueabihf-gcc", "@flags.rsp", "-c", "a.c" };
	const char *loop[] = { "gcc", "@loop.rsp" };
	const char *missing[] = { "gcc", "@nothere.rsp" };

	free(th_write(dir, "flags.rsp", "-DA=1 '-DB=two words' \"-DC=\\\"q\\\"\"\n@more.rsp\n"));
	free(th_write(dir, "more.rsp", "-Iinc\\ dir -O2"));
	free(th_write(dir, "loop.rsp", "@loop.rsp"));
	CU_ASSERT_EQUAL_FATAL(iotb_compile_cmd_from_argv(&cmd, dir, "a.c", 5, argv), 0);
	CU_ASSERT_EQUAL(cmd.argv.n, 8);
	if (cmd.argv.n == 8) {
		TH_ASSERT_STR(cmd.argv.v[0], "arm-linux-gnueabihf-gcc");
		TH_ASSERT_STR(cmd.argv.v[1], "-DA=1");
		TH_ASSERT_STR(cmd.argv.v[2], "-DB=two words");
		TH_ASSERT_STR(cmd.argv.v[3], "-DC=\"q\"");
		TH_ASSERT_STR(cmd.argv.v[4], "-Iinc dir");
		TH_ASSERT_STR(cmd.argv.v[5], "-O2");
	}
	/* argv as a build runs it: libclang does not infer the target, we do */
	CU_ASSERT(!cmd.target_inferred);
	iotb_compile_cmd_release(&cmd);

	CU_ASSERT_EQUAL(iotb_compile_cmd_from_argv(&cmd, dir, "a.c", 2, loop), -1);
	TH_ASSERT_STR(iotb_last_error(),
			       "cannot read response file 'loop.rsp': nested more than 16 deep");
	CU_ASSERT_EQUAL(iotb_compile_cmd_from_argv(&cmd, dir, "a.c", 2, missing), -1);
	TH_ASSERT_STR(iotb_last_error(),
			       "cannot read response file 'nothere.rsp': No such file or directory");
	free(dir);
}

/* The argv path: exactly one --target, from the compiler's name. */
static void test_argv_target(void)
{
	char *dir = th_tmpdir("analyzers-argv-target");
	const char *argv[] = { "arm-linux-gnueabihf-gcc", "-c", "a.c" };
	const char *with_target[] = { "clang", "--target=mips-linux-gnu", "-c", "a.c" };
	struct iotb_frontend_env env = { 0 };
	struct iotb_compile_cmd cmd;
	struct iotb_tu_args ta;

	set_options(IOTB_QUERY_NEVER, 1);
	env.opt = iotb_analyzers_options();
	iotb_strvec_init(&env.roots);
	CU_ASSERT_EQUAL_FATAL(iotb_compile_cmd_from_argv(&cmd, dir, "a.c", 3, argv), 0);
	iotb_tu_args_init(&ta);
	iotb_frontend_translate(&cmd, &env, &ta);
	CU_ASSERT_EQUAL(count_prefix(&ta.args, "--target="), 1);
	CU_ASSERT(has_arg(&ta.args, "--target=arm-linux-gnueabihf"));
	TH_ASSERT_STR(ta.target_origin, "name");
	TH_ASSERT_STR(ta.query_note, "compiler queries are disabled");
	iotb_tu_args_release(&ta);
	iotb_compile_cmd_release(&cmd);

	CU_ASSERT_EQUAL_FATAL(iotb_compile_cmd_from_argv(&cmd, dir, "a.c", 4, with_target), 0);
	iotb_tu_args_init(&ta);
	iotb_frontend_translate(&cmd, &env, &ta);
	CU_ASSERT_EQUAL(count_prefix(&ta.args, "--target="), 1);
	CU_ASSERT(has_arg(&ta.args, "--target=mips-linux-gnu"));
	TH_ASSERT_STR(ta.target_origin, "command");
	iotb_tu_args_release(&ta);
	iotb_compile_cmd_release(&cmd);
	iotb_strvec_release(&env.roots);
	iotb_analyzers_set_options(NULL);
	free(dir);
}

/* --- compile databases ----------------------------------------------------------- */

static void test_cdb_load(void)
{
	char *dir = th_tmpdir("analyzers-cdb");
	const char *entries[] = {
		"a.c|ccache arm-linux-gnueabihf-gcc @a.rsp -c -o a.o a.c",
		"b.c|mipsel-linux-gnu-gcc --target=mips-linux-gnu -c b.c",
		NULL,
	};
	char *db = write_db(dir, entries);
	struct iotb_compile_cmd *cmds = NULL;
	size_t n = 0;
	CXIndex idx = clang_createIndex(0, 0);

	free(th_write(dir, "a.rsp", "-DFROM_RSP=1 -Iinc\n"));
	CU_ASSERT_EQUAL_FATAL(iotb_cdb_load(db, &cmds, &n), 0);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	/* libclang removed ccache, expanded @a.rsp and inserted --target */
	TH_ASSERT_STR(cmds[0].argv.v[0], "arm-linux-gnueabihf-gcc");
	TH_ASSERT_STR(cmds[0].argv.v[1], "--target=arm-linux-gnueabihf");
	CU_ASSERT(cmds[0].target_inferred);
	CU_ASSERT(has_arg(&cmds[0].argv, "-DFROM_RSP=1"));
	CU_ASSERT(!has_arg(&cmds[0].argv, "@a.rsp"));
	TH_ASSERT_STR(cmds[0].directory, dir);
	TH_ASSERT_STR(cmds[0].file, "a.c");
	/* a --target in the command is the user's: nothing inserted */
	CU_ASSERT(!cmds[1].target_inferred);
	CU_ASSERT_EQUAL(count_prefix(&cmds[1].argv, "--target="), 1);
	iotb_cdb_free(cmds, n);

	/* the directory works as well as the file */
	CU_ASSERT_EQUAL(iotb_cdb_load(dir, &cmds, &n), 0);
	CU_ASSERT_EQUAL(n, 2);
	iotb_cdb_free(cmds, n);
	clang_disposeIndex(idx);
	free(db);
	free(dir);
}

static void test_cdb_missing(void)
{
	char *dir = th_tmpdir("analyzers-cdb-missing");
	char *db = iotb_path_join(dir, "compile_commands.json");
	char *want = iotb_xasprintf("cannot load compile database '%s': no "
				    "compile_commands.json there", db);
	char *other = th_write(dir, "commands.json", "[]\n");
	struct iotb_compile_cmd *cmds = NULL;
	size_t n = 0;

	CU_ASSERT_EQUAL(iotb_cdb_load(db, &cmds, &n), -1);
	TH_ASSERT_STR(iotb_last_error(), want);
	free(want);
	want = iotb_xasprintf("cannot load compile database '%s': only a file named "
			      "compile_commands.json is read", other);
	CU_ASSERT_EQUAL(iotb_cdb_load(other, &cmds, &n), -1);
	TH_ASSERT_STR(iotb_last_error(), want);
	free(want);
	free(th_write(dir, "compile_commands.json", "[\n  {\"file\": \"a.c\",\n  ]\n"));
	want = iotb_xasprintf("cannot load compile database '%s': string or '}' expected "
			      "near ']' at line 3, column 3", db);
	CU_ASSERT_EQUAL(iotb_cdb_load(db, &cmds, &n), -1);
	TH_ASSERT_STR(iotb_last_error(), want);
	free(want);
	free(th_write(dir, "compile_commands.json", "{}\n"));
	want = iotb_xasprintf("cannot load compile database '%s': expected a JSON array "
			      "of commands", db);
	CU_ASSERT_EQUAL(iotb_cdb_load(db, &cmds, &n), -1);
	TH_ASSERT_STR(iotb_last_error(), want);
	free(want);
	free(other);
	free(db);
	free(dir);
}

/* Database commands: the name-derived --target is replaced, never doubled;
 * code-loading, file-writing and GCC-only flags never reach libclang. */
static void test_translate_flags(void)
{
	char *dir = th_tmpdir("analyzers-translate");
	const char *entries[] = {
		"a.c|arm-linux-gnueabihf-gcc -Iinc -DX=1 -MD -MF a.d -MT a.o "
		"-fplugin=./evil.so -fpass-plugin=./p.so -Xclang -load -Xclang ./l.so "
		"-mindirect-branch=thunk -mfunction-return=thunk -fconserve-stack -Werror "
		"-Wp,-MD,dep.d -save-temps -specs=nano.specs -B./bin -c -o a.o a.c",
		"b.c|arm-linux-gnueabihf-gcc --target=armv7a-linux-gnueabihf -c b.c",
		NULL,
	};
	char *db = write_db(dir, entries);
	struct iotb_frontend_env env = { 0 };
	struct iotb_compile_cmd *cmds = NULL;
	struct iotb_tu_args ta;
	size_t n = 0;
	CXIndex idx = clang_createIndex(0, 0);
	static const char *const banned[] = {
		"-MD", "-MF", "a.d", "-MT", "-fplugin=./evil.so", "-fpass-plugin=./p.so",
		"-Xclang", "-load", "./l.so", "-mindirect-branch=thunk",
		"-mfunction-return=thunk", "-fconserve-stack", "-Werror", "-Wp,-MD,dep.d",
		"-save-temps", "-specs=nano.specs", "-B./bin", "-c", "-o", "a.o", "a.c", NULL,
	};

	set_options(IOTB_QUERY_NEVER, 1);
	env.opt = iotb_analyzers_options();
	iotb_strvec_init(&env.roots);
	CU_ASSERT_EQUAL_FATAL(iotb_cdb_load(db, &cmds, &n), 0);
	iotb_tu_args_init(&ta);
	iotb_frontend_translate(&cmds[0], &env, &ta);
	for (const char *const *b = banned; *b; b++)
		if (has_arg(&ta.args, *b)) {
			fprintf(stderr, "\n  passed on: %s\n", *b);
			CU_FAIL("a stripped flag reached libclang");
		}
	CU_ASSERT(has_arg(&ta.args, "-Iinc"));
	CU_ASSERT(has_arg(&ta.args, "-DX=1"));
	CU_ASSERT_EQUAL(count_prefix(&ta.args, "--target="), 1);
	TH_ASSERT_STR(ta.args.v[0], "--target=arm-linux-gnueabihf");
	CU_ASSERT(has_arg(&ta.stripped, "-fplugin=./evil.so"));
	CU_ASSERT(has_arg(&ta.stripped, "./l.so"));
	{
		char *wd = iotb_xasprintf("-working-directory=%s", dir);
		char *src = iotb_path_join(dir, "a.c");

		CU_ASSERT(has_arg(&ta.args, wd));
		TH_ASSERT_STR(ta.source, src);
		free(wd);
		free(src);
	}
	iotb_tu_args_release(&ta);

	/* the command's own --target wins over the inferred one */
	iotb_tu_args_init(&ta);
	iotb_frontend_translate(&cmds[1], &env, &ta);
	CU_ASSERT_EQUAL(count_prefix(&ta.args, "--target="), 1);
	CU_ASSERT(has_arg(&ta.args, "--target=armv7a-linux-gnueabihf"));
	iotb_tu_args_release(&ta);

	/* no query and no name inference: no --target at all (host) */
	{
		struct iotb_analyzers_options o = *iotb_analyzers_options();

		o.no_name_inference = true;
		iotb_analyzers_set_options(&o);
		env.opt = iotb_analyzers_options();
		iotb_tu_args_init(&ta);
		iotb_frontend_translate(&cmds[0], &env, &ta);
		CU_ASSERT_EQUAL(count_prefix(&ta.args, "--target="), 0);
		CU_ASSERT_PTR_NULL(ta.target);
		iotb_tu_args_release(&ta);
	}
	iotb_cdb_free(cmds, n);
	clang_disposeIndex(idx);
	iotb_strvec_release(&env.roots);
	iotb_analyzers_set_options(NULL);
	free(db);
	free(dir);
}

/* -MD -MF would make libclang write the dependency file itself. */
static void test_no_dependency_file(void)
{
	char *dir = th_tmpdir("analyzers-md");
	const char *entries[] = { "a.c|gcc -MD -MF deps.d -MMD -c a.c", NULL };
	char *db = write_db(dir, entries), *dep = iotb_path_join(dir, "deps.d");
	struct iotb_results res;

	free(th_write(dir, "a.c", "int main(void) { return 0; }\n"));
	set_options(IOTB_QUERY_NEVER, 1);
	CU_ASSERT_EQUAL(analyse(db, "compile-db", &res, NULL), 0);
	CU_ASSERT_EQUAL(fact(&res, "parsed"), 1);
	CU_ASSERT_NOT_EQUAL(access(dep, F_OK), 0);
	iotb_results_release(&res);
	iotb_analyzers_set_options(NULL);
	free(dep);
	free(db);
	free(dir);
}

/* --- the driver query ------------------------------------------------------------- */

static const char fake_gcc[] =
	"#!/bin/sh\n"
	"echo \"$*\" >> \"$(dirname \"$0\")/../query.log\"\n"
	"for a in \"$@\"; do case \"$a\" in\n"
	"  -dumpmachine) echo x86_64-fake-linux-gnu; exit 0;;\n"
	"  -print-sysroot) echo /opt/fake-sysroot; exit 0;;\n"
	"esac; done\n"
	"cat >&2 <<EOT\n"
	"ignoring nonexistent directory \"/nowhere\"\n"
	"#include \"...\" search starts here:\n"
	"#include <...> search starts here:\n"
	" /opt/fake/include\n"
	" /usr/lib/gcc/x86_64-fake-linux-gnu/12/include\n"
	" /usr/lib/gcc-cross/x86_64-fake-linux-gnu/12/include-fixed\n"
	" /opt/fake-sysroot/usr/include\n"
	"End of search list.\n"
	"EOT\n";

static size_t count_lines(const char *path)
{
	char *text = th_slurp(path);
	size_t n = 0;

	for (const char *p = text; p && *p; p++)
		n += *p == '\n';
	free(text);
	return n;
}

static void test_driver_query(void)
{
	char *dir = th_tmpdir("analyzers-query"), *bin = iotb_path_join(dir, "bin");
	char *gcc = th_write(bin, "x86_64-fake-linux-gnu-gcc", fake_gcc);
	char *log = iotb_path_join(dir, "query.log"), *src = iotb_path_join(dir, "src");
	char *inside = iotb_xasprintf("-specs=%s/evil.specs", src);
	char *outside = iotb_xasprintf("-specs=%s/ok.specs", dir);
	char *old_path = iotb_xstrdup(getenv("PATH"));
	char *path = iotb_xasprintf("%s:%s", bin, old_path);
	const char *argv[] = {
		"x86_64-fake-linux-gnu-gcc", "-mcpu=fake9", "-B", "/evil", "-wrapper", "w",
		"-fplugin=evil.so", inside, outside, "-O2", "-c", "a.c",
	};
	struct iotb_frontend_env env = { 0 };
	struct iotb_compile_cmd cmd;
	struct iotb_tu_args ta;
	char *log_text;

	chmod(gcc, 0755);
	setenv("PATH", path, 1);
	set_options(IOTB_QUERY_DEFAULT, 1);
	env.opt = iotb_analyzers_options();
	env.cache_dir = cache_dir;
	iotb_strvec_init(&env.roots);
	iotb_strvec_push(&env.roots, src);
	CU_ASSERT_EQUAL_FATAL(iotb_compile_cmd_from_argv(&cmd, src, "a.c", 12, argv), 0);
	iotb_tu_args_init(&ta);
	iotb_frontend_translate(&cmd, &env, &ta);
	TH_ASSERT_STR(ta.query_note ? ta.query_note : "", "");
	TH_ASSERT_STR(ta.target_origin, "query");
	CU_ASSERT_EQUAL(count_prefix(&ta.args, "--target="), 1);
	CU_ASSERT(has_arg(&ta.args, "--target=x86_64-fake-linux-gnu"));
	CU_ASSERT(has_arg(&ta.args, "--sysroot=/opt/fake-sysroot"));
	CU_ASSERT(has_arg(&ta.args, "-nostdlibinc"));
	CU_ASSERT(has_arg(&ta.args, "/opt/fake/include"));
	CU_ASSERT(has_arg(&ta.args, "/opt/fake-sysroot/usr/include"));
	/* GCC's own directories never reach clang */
	CU_ASSERT(!has_arg(&ta.args, "/usr/lib/gcc/x86_64-fake-linux-gnu/12/include"));
	CU_ASSERT(!has_arg(&ta.args, "/usr/lib/gcc-cross/x86_64-fake-linux-gnu/12/include-fixed"));
	iotb_tu_args_release(&ta);
	/* the query saw only -m*, and -specs= outside the scanned roots */
	log_text = th_slurp(log);
	CU_ASSERT(th_contains(log_text, "-mcpu=fake9 "));
	CU_ASSERT(th_contains(log_text, outside));
	CU_ASSERT(!th_contains(log_text, "evil"));
	CU_ASSERT(!th_contains(log_text, "-B"));
	CU_ASSERT(!th_contains(log_text, "-wrapper"));
	CU_ASSERT(!th_contains(log_text, "-O2"));
	CU_ASSERT_EQUAL(count_lines(log), 3);
	free(log_text);

	/* answered from the cache the second time */
	iotb_tu_args_init(&ta);
	iotb_frontend_translate(&cmd, &env, &ta);
	CU_ASSERT(has_arg(&ta.args, "--target=x86_64-fake-linux-gnu"));
	CU_ASSERT(has_arg(&ta.args, "/opt/fake/include"));
	CU_ASSERT_EQUAL(count_lines(log), 3);
	iotb_tu_args_release(&ta);

	/* a compiler inside the scanned tree is never run by default */
	iotb_strvec_push(&env.roots, dir);
	iotb_tu_args_init(&ta);
	iotb_frontend_translate(&cmd, &env, &ta);
	{
		char *want = iotb_xasprintf("compiler '%s' lies inside the scanned tree "
					    "(allow it with --query-driver)", gcc);

		TH_ASSERT_STR(ta.query_note, want);
		free(want);
	}
	TH_ASSERT_STR(ta.target_origin, "name");
	CU_ASSERT(has_arg(&ta.args, "--target=x86_64-fake-linux-gnu"));
	CU_ASSERT(!has_arg(&ta.args, "-nostdlibinc"));
	iotb_tu_args_release(&ta);
	env.roots.n--;
	free(env.roots.v[env.roots.n]);

	/* not on PATH: not run either */
	setenv("PATH", old_path, 1);
	{
		char *abs_argv0 = iotb_xstrdup(gcc);
		const char *argv2[] = { abs_argv0, "-c", "a.c" };
		struct iotb_compile_cmd cmd2;
		char *want = iotb_xasprintf("compiler '%s' is not on PATH "
					    "(allow it with --query-driver)", gcc);

		CU_ASSERT_EQUAL_FATAL(iotb_compile_cmd_from_argv(&cmd2, src, "a.c", 3, argv2), 0);
		iotb_tu_args_init(&ta);
		iotb_frontend_translate(&cmd2, &env, &ta);
		TH_ASSERT_STR(ta.query_note, want);
		iotb_tu_args_release(&ta);

		/* the allow-list: a non-matching glob, then a matching one */
		{
			struct iotb_analyzers_options o = *iotb_analyzers_options();
			const char *globs[] = { "/usr/bin/*-gcc", NULL };
			char *glob = iotb_xasprintf("%s/*-gcc", bin);
			const char *globs2[] = { glob, NULL };
			char *want2 = iotb_xasprintf("compiler '%s' does not match --query-driver",
						     gcc);

			o.query = IOTB_QUERY_ALLOW_LIST;
			o.query_drivers = globs;
			iotb_analyzers_set_options(&o);
			env.opt = iotb_analyzers_options();
			iotb_tu_args_init(&ta);
			iotb_frontend_translate(&cmd2, &env, &ta);
			TH_ASSERT_STR(ta.query_note, want2);
			iotb_tu_args_release(&ta);
			o = *iotb_analyzers_options();
			o.query_drivers = globs2;
			iotb_analyzers_set_options(&o);
			env.opt = iotb_analyzers_options();
			iotb_tu_args_init(&ta);
			iotb_frontend_translate(&cmd2, &env, &ta);
			TH_ASSERT_STR(ta.query_note ? ta.query_note : "", "");
			TH_ASSERT_STR(ta.target_origin, "query");
			iotb_tu_args_release(&ta);
			free(want2);
			free(glob);
		}
		iotb_compile_cmd_release(&cmd2);
		free(want);
		free(abs_argv0);
	}
	iotb_compile_cmd_release(&cmd);
	iotb_strvec_release(&env.roots);
	iotb_analyzers_set_options(NULL);
	free(path);
	free(old_path);
	free(outside);
	free(inside);
	free(src);
	free(log);
	free(gcc);
	free(bin);
	free(dir);
}

/* A driver that fails: the query error is kept, name inference used. */
static void test_driver_query_fails(void)
{
	char *dir = th_tmpdir("analyzers-query-fail"), *bin = iotb_path_join(dir, "bin");
	char *gcc = th_write(bin, "arm-linux-gnueabihf-gcc", "#!/bin/sh\nexit 3\n");
	struct iotb_frontend_env env = { 0 };
	struct iotb_driver_info di;
	struct iotb_strvec flags;
	char *want = iotb_xasprintf("cannot query compiler '%s': '%s' failed (status 3)", gcc,
				    gcc);

	chmod(gcc, 0755);
	set_options(IOTB_QUERY_ALWAYS, 1);
	env.opt = iotb_analyzers_options();
	iotb_strvec_init(&env.roots);
	iotb_strvec_init(&flags);
	iotb_driver_info_init(&di);
	CU_ASSERT_EQUAL(iotb_driver_query(gcc, &flags, &env, &di), -1);
	TH_ASSERT_STR(iotb_last_error(), want);
	CU_ASSERT_PTR_NULL(di.triple);
	iotb_driver_info_release(&di);
	iotb_strvec_release(&flags);
	iotb_strvec_release(&env.roots);
	iotb_analyzers_set_options(NULL);
	free(want);
	free(gcc);
	free(bin);
	free(dir);
}

static void test_builtin_include(void)
{
	CU_ASSERT(iotb_is_gcc_builtin_include("/usr/lib/gcc/x86_64-linux-gnu/12/include"));
	CU_ASSERT(iotb_is_gcc_builtin_include("/usr/lib/gcc-cross/mips-linux-gnu/12/include"));
	CU_ASSERT(iotb_is_gcc_builtin_include("/usr/lib/gcc/arm-none-eabi/12.2.1/include-fixed"));
	CU_ASSERT(!iotb_is_gcc_builtin_include(
		"/usr/lib/gcc-cross/mips-linux-gnu/12/../../../../mips-linux-gnu/include"));
	CU_ASSERT(!iotb_is_gcc_builtin_include("/usr/include"));
	CU_ASSERT(!iotb_is_gcc_builtin_include("/usr/arm-linux-gnueabihf/include"));
	CU_ASSERT(!iotb_is_gcc_builtin_include("/opt/x/include"));
}

static void test_parse_query_driver(void)
{
	struct iotb_strvec list;
	bool never = false;

	iotb_strvec_init(&list);
	iotb_analyzers_parse_query_driver("/usr/bin/*-gcc,/opt/**/bin/*", &list, &never);
	CU_ASSERT_EQUAL(list.n, 2);
	CU_ASSERT(!never);
	TH_ASSERT_STR(list.v[1], "/opt/**/bin/*");
	iotb_analyzers_parse_query_driver("none", &list, &never);
	CU_ASSERT(never);
	CU_ASSERT_EQUAL(list.n, 2);
	iotb_strvec_release(&list);
}

/* --- parsing outcomes ------------------------------------------------------------ */

static const char unsafe_c[] =
	"#include <stdio.h>\n"                                  /* 1 */
	"#include <string.h>\n"                                 /* 2 */
	"void f(const char *in) {\n"                            /* 3 */
	"\tchar b[8];\n"                                        /* 4 */
	"\tstrcpy(b, in);\n"                                    /* 5 */
	"\tstrcpy(b, \"1234567\");\n"                           /* 6 */
	"\tstrcpy(b, \"12345678\");\n"                          /* 7 */
	"\tsprintf(b, \"%d\", 5);\n"                            /* 8 */
	"\tprintf(in);\n"                                       /* 9 */
	"}\n";

static void test_source_findings(void)
{
	char *dir = th_tmpdir("analyzers-source");
	char *c = th_write(dir, "a.c", unsafe_c);
	struct iotb_results res;

	set_options(IOTB_QUERY_NEVER, 1);
	CU_ASSERT_EQUAL(analyse(c, "c-source", &res, NULL), 0);
	CU_ASSERT_EQUAL(res.nfindings, 4);
	TH_ASSERT_STR(th_message(&res, "strings.unsafe-copy", 5),
			       "'strcpy' copies 'in' of unchecked length into 'b' (8 bytes)");
	CU_ASSERT_PTR_NULL(th_finding(&res, "strings.unsafe-copy", 6));
	TH_ASSERT_STR(th_message(&res, "strings.unsafe-copy", 7),
			       "'strcpy' copies 9 bytes into 'b' (8 bytes)");
	TH_ASSERT_STR(th_message(&res, "strings.unsafe-copy", 8),
			       "'sprintf' writes up to 12 bytes into 'b' (8 bytes)");
	TH_ASSERT_STR(th_message(&res, "format.non-literal", 9),
			       "format argument of 'printf' is not a string literal: 'in'");
	CU_ASSERT_EQUAL(th_finding(&res, "format.non-literal", 9)->loc.col, 2);
	CU_ASSERT(th_contains(th_finding(&res, "strings.unsafe-copy", 5)->function, "@F@f"));
	TH_ASSERT_STR(th_finding(&res, "strings.unsafe-copy", 5)->loc.path, c);
	CU_ASSERT_EQUAL(fact(&res, "parsed"), 1);
	CU_ASSERT_EQUAL(fact(&res, "errors"), 0);
	iotb_results_release(&res);
	iotb_analyzers_set_options(NULL);
	free(c);
	free(dir);
}

static void test_partial_ast(void)
{
	char *dir = th_tmpdir("analyzers-partial");
	char *c = th_write(dir, "a.c",
			   "#include <string.h>\n"
			   "#include \"nothere.h\"\n"
			   "UNKNOWN_ATTR int x;\n"
			   "void f(const char *rx) { char d[4]; strcpy(d, rx); }\n");
	char *want = iotb_xasprintf("partial AST, 2 errors (analysed as far as it parsed); "
				    "first: %s:2:10: 'nothere.h' file not found; %s:3:1: "
				    "unknown type name 'UNKNOWN_ATTR'", c, c);
	struct iotb_results res;

	set_options(IOTB_QUERY_NEVER, 1);
	CU_ASSERT_EQUAL(analyse(c, "c-source", &res, NULL), 0);
	TH_ASSERT_STR(th_message(&res, "scan.parse-error", 0), want);
	CU_ASSERT_PTR_NOT_NULL(th_finding(&res, "strings.unsafe-copy", 4));
	CU_ASSERT_EQUAL(fact(&res, "partial"), 1);
	CU_ASSERT_EQUAL(fact(&res, "errors"), 2);
	iotb_results_release(&res);
	iotb_analyzers_set_options(NULL);
	free(want);
	free(c);
	free(dir);
}

static void test_cxx_not_analysed(void)
{
	char *dir = th_tmpdir("analyzers-cxx");
	char *cpp = th_write(dir, "a.cpp", "int main() { return 0; }\n");
	const char *entries[] = { "a.cpp|g++ -c a.cpp", "b.cc|c++ -c b.cc",
				  "c.c|gcc -x c++ -c c.c", NULL };
	char *db = write_db(dir, entries), *b = iotb_path_join(dir, "b.cc");
	struct iotb_results res;

	set_options(IOTB_QUERY_NEVER, 1);
	CU_ASSERT_EQUAL(analyse(cpp, "cxx-source", &res, NULL), -1);
	TH_ASSERT_STR(iotb_last_error(),
			       "C++ translation unit not analysed: the analyzers handle C only");
	iotb_results_release(&res);
	CU_ASSERT_EQUAL(analyse(db, "compile-db", &res, NULL), 0);
	CU_ASSERT_EQUAL(count_rule(&res, "scan.not-analysed"), 3);
	for (size_t i = 0; i < res.nfindings; i++)
		if (!strcmp(res.findings[i].loc.path, b)) {
			TH_ASSERT_STR(res.findings[i].message,
					       "C++ translation unit not analysed: the analyzers "
					       "handle C only");
		}
	CU_ASSERT_EQUAL(fact(&res, "translation_units"), 0);
	iotb_results_release(&res);
	iotb_analyzers_set_options(NULL);
	free(b);
	free(db);
	free(cpp);
	free(dir);
}

/* "unknown argument" is a set-up problem: one note per compiler. */
static void test_setup_once_per_compiler(void)
{
	char *dir = th_tmpdir("analyzers-setup");
	const char *entries[] = {
		"a.c|gcc -fno-such-flag-xyz -c a.c", "b.c|gcc -fno-such-flag-xyz -c b.c", NULL,
	};
	char *db = write_db(dir, entries);
	struct iotb_results res;

	free(th_write(dir, "a.c", "int a(void) { return 1; }\n"));
	free(th_write(dir, "b.c", "int b(void) { return 2; }\n"));
	set_options(IOTB_QUERY_NEVER, 1);
	CU_ASSERT_EQUAL(analyse(db, "compile-db", &res, NULL), 0);
	CU_ASSERT_EQUAL(count_rule(&res, "scan.parse-error"), 1);
	TH_ASSERT_STR(th_message(&res, "scan.parse-error", 0),
			       "set-up: libclang rejected flags of compiler 'gcc': unknown "
			       "argument: '-fno-such-flag-xyz'; dropped for every translation "
			       "unit: -fno-such-flag-xyz");
	TH_ASSERT_STR(res.findings[0].loc.path, db);
	CU_ASSERT_EQUAL(fact(&res, "parsed"), 2);
	CU_ASSERT_EQUAL(fact(&res, "errors"), 0);
	iotb_results_release(&res);
	iotb_analyzers_set_options(NULL);
	free(db);
	free(dir);
}

/* Flags that leave libclang without an AST are dropped step by step. */
static void test_no_ast_retry(void)
{
	char *dir = th_tmpdir("analyzers-retry");
	const char *entries[] = {
		"a.c|gcc -march=bogus-cpu -c a.c", "b.c|gcc --target=bogus-nothing-none -c b.c",
		NULL,
	};
	char *db = write_db(dir, entries), *b = iotb_path_join(dir, "b.c");
	struct iotb_results res;
	const struct iotb_finding *f = NULL;

	free(th_write(dir, "a.c", "int a(void) { return 1; }\n"));
	free(th_write(dir, "b.c", "int b(void) { return 2; }\n"));
	set_options(IOTB_QUERY_NEVER, 1);
	CU_ASSERT_EQUAL(analyse(db, "compile-db", &res, NULL), 0);
	CU_ASSERT_EQUAL(fact(&res, "parsed"), 1);
	CU_ASSERT_EQUAL(fact(&res, "not_analysed"), 1);
	for (size_t i = 0; i < res.nfindings; i++)
		if (!strcmp(res.findings[i].rule->id, "scan.not-analysed"))
			f = &res.findings[i];
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	TH_ASSERT_STR(f->loc.path, b);
	CU_ASSERT(th_contains(f->message, "translation unit not analysed: libclang "));
	CU_ASSERT(th_contains(th_message(&res, "scan.parse-error", 0),
			      "no AST with these flags: -march=bogus-cpu"));
	iotb_results_release(&res);
	iotb_analyzers_set_options(NULL);
	free(b);
	free(db);
	free(dir);
}

/* Debian's dropbear is built with flags clang rejects: it must parse. */
static void test_dropbear_flags(void)
{
	char *dir = th_tmpdir("analyzers-dropbear");
	const char *entries[] = {
		"a.c|x86_64-linux-gnu-gcc -g -O2 -ffile-prefix-map=/build=. "
		"-fstack-protector-strong -Wformat -Werror=format-security "
		"-mindirect-branch=thunk -mfunction-return=thunk -fcf-protection "
		"-D_FORTIFY_SOURCE=2 -c a.c",
		NULL,
	};
	char *db = write_db(dir, entries);
	struct iotb_results res;

	free(th_write(dir, "a.c", "#include <stdio.h>\nint main(void) { puts(\"x\"); }\n"));
	set_options(IOTB_QUERY_DEFAULT, 1);
	CU_ASSERT_EQUAL(analyse(db, "compile-db", &res, NULL), 0);
	CU_ASSERT_EQUAL(fact(&res, "parsed"), 1);
	CU_ASSERT_EQUAL(fact(&res, "errors"), 0);
	CU_ASSERT_EQUAL(res.nfindings, 0);
	iotb_results_release(&res);
	iotb_analyzers_set_options(NULL);
	free(db);
	free(dir);
}


/* ABI flags of the command reach libclang: -m32 makes long 4 bytes. */
static void test_abi_flags(void)
{
	char *dir = th_tmpdir("analyzers-abi");
	const char *entries[] = { "a.c|gcc -m32 -O2 -c a.c", NULL };
	char *db = write_db(dir, entries);
	struct iotb_results res;

	free(th_write(dir, "a.c", "_Static_assert(sizeof(long) == 4, \"long\");\n"
				  "#ifndef __i386__\n#error not i386\n#endif\n"));
	set_options(IOTB_QUERY_DEFAULT, 1);
	CU_ASSERT_EQUAL(analyse(db, "compile-db", &res, NULL), 0);
	CU_ASSERT_EQUAL(fact(&res, "parsed"), 1);
	CU_ASSERT_EQUAL(fact(&res, "errors"), 0);
	iotb_results_release(&res);
	iotb_analyzers_set_options(NULL);
	free(db);
	free(dir);
}

/* A header seen from two TUs reports once; sub-workers agree. */
static void test_header_once(void)
{
	char *dir = th_tmpdir("analyzers-header");
	const char *entries[] = { "a.c|gcc -c a.c", "b.c|gcc -c b.c", "c.c|gcc -c c.c", NULL };
	char *db = write_db(dir, entries), *h;
	struct iotb_results one, two;

	h = th_write(dir, "util.h",
		     "#include <string.h>\n"
		     "static inline void set(char *d, const char *s) { char t[4]; strcpy(t, s); }\n");
	free(th_write(dir, "a.c", "#include \"util.h\"\nvoid a(char *x) { set(x, x); }\n"));
	free(th_write(dir, "b.c", "#include \"util.h\"\nvoid b(char *x) { set(x, x); }\n"));
	free(th_write(dir, "c.c", "#include <stdio.h>\nvoid c(char *x) { printf(x); }\n"));
	set_options(IOTB_QUERY_NEVER, 1);
	CU_ASSERT_EQUAL(analyse(db, "compile-db", &one, NULL), 0);
	CU_ASSERT_EQUAL(count_rule(&one, "strings.unsafe-copy"), 1);
	TH_ASSERT_STR(th_finding(&one, "strings.unsafe-copy", 2)->loc.path, h);
	CU_ASSERT_EQUAL(count_rule(&one, "format.non-literal"), 1);
	set_options(IOTB_QUERY_NEVER, 2);
	CU_ASSERT_EQUAL(analyse(db, "compile-db", &two, NULL), 0);
	CU_ASSERT_EQUAL(two.nfindings, one.nfindings);
	CU_ASSERT_EQUAL(count_rule(&two, "strings.unsafe-copy"), 1);
	CU_ASSERT_EQUAL(count_rule(&two, "format.non-literal"), 1);
	CU_ASSERT_EQUAL(fact(&two, "translation_units"), 3);
	CU_ASSERT_EQUAL(fact(&two, "parsed"), 3);
	iotb_results_release(&one);
	iotb_results_release(&two);
	iotb_analyzers_set_options(NULL);
	free(h);
	free(db);
	free(dir);
}

/* TUs of a database are scanned for inline suppression markers. */
static void test_db_suppressions(void)
{
	char *dir = th_tmpdir("analyzers-supp");
	const char *entries[] = { "a.c|gcc -c a.c", NULL };
	char *db = write_db(dir, entries);
	struct iotb_results res;

	free(th_write(dir, "a.c",
		      "#include <string.h>\n"
		      "void f(const char *s) { char t[4];\n"
		      "\t/* iotb:ignore[strings.unsafe-copy] s is checked by the caller */\n"
		      "\tstrcpy(t, s); }\n"));
	set_options(IOTB_QUERY_NEVER, 1);
	CU_ASSERT_EQUAL(analyse(db, "compile-db", &res, NULL), 0);
	CU_ASSERT_EQUAL(res.ninline, 1);
	CU_ASSERT_EQUAL(iotb_suppress_apply(&res, th_catalogue(), NULL), 0);
	CU_ASSERT_PTR_NOT_NULL(th_finding(&res, "strings.unsafe-copy", 4));
	TH_ASSERT_STR(th_finding(&res, "strings.unsafe-copy", 4)->suppressed_by,
			       "s is checked by the caller");
	iotb_results_release(&res);
	iotb_analyzers_set_options(NULL);
	free(db);
	free(dir);
}

/* --- checker parameters ------------------------------------------------------- */

/* A copy of the rules with strings.yaml's first copy function lacking its
 * src role: the checker refuses it with the entry's file:line:col. */
static void test_bad_parameter(void)
{
	char *dir = th_tmpdir("analyzers-badrules"), *cmd, *yaml, *text, *src, *c;
	struct iotb_catalogue *cat;
	struct iotb_results res;
	char *want;

	cmd = iotb_xasprintf("cp %s/rules/*.yaml '%s'/", IOTB_SOURCE_DIR, dir);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	yaml = iotb_path_join(dir, "strings.yaml");
	text = th_slurp(yaml);
	CU_ASSERT_PTR_NOT_NULL_FATAL(strstr(text, "        - name: strcpy\n          args: {dst: 0, src: 1}\n"));
	src = strstr(text, "        - name: strcpy\n          args: {dst: 0, src: 1}\n");
	memcpy(strstr(src, ", src: 1}"), "}        ", 9);
	{
		FILE *f = fopen(yaml, "w");

		fputs(text, f);
		fclose(f);
	}
	cat = iotb_catalogue_load(dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	c = th_write(dir, "x.c", "int x;\n");
	{
		/* the line of "- name: strcpy" in the copy */
		unsigned line = 1;

		for (const char *p = text; p < src; p++)
			line += *p == '\n';
		want = iotb_xasprintf("checker 'unsafe_string': %s:%u:11: 'strcpy' needs the "
				      "argument role 'src'", yaml, line);
	}
	set_options(IOTB_QUERY_NEVER, 1);
	CU_ASSERT_EQUAL(analyse(c, "c-source", &res, cat), -1);
	TH_ASSERT_STR(iotb_last_error(), want);
	iotb_results_release(&res);
	iotb_catalogue_free(cat);
	iotb_analyzers_set_options(NULL);
	free(want);
	free(c);
	free(text);
	free(yaml);
	free(cmd);
	free(dir);
}


/* A plain name added to a list (as `extend:` in .iotb.yml does) gets the
 * default roles: dst 0, src 1. */
static void test_default_roles(void)
{
	char *dir = th_tmpdir("analyzers-defaultroles"), *cmd, *yaml, *text, *c;
	const char *anchor = "      copy_functions:\n";
	struct iotb_strbuf sb;
	struct iotb_catalogue *cat;
	struct iotb_results res;
	char *at;

	cmd = iotb_xasprintf("cp %s/rules/*.yaml '%s'/", IOTB_SOURCE_DIR, dir);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	yaml = iotb_path_join(dir, "strings.yaml");
	text = th_slurp(yaml);
	at = strstr(text, anchor);
	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	iotb_strbuf_init(&sb);
	iotb_strbuf_add(&sb, text, (size_t)(at - text) + strlen(anchor));
	iotb_strbuf_adds(&sb, "        - board_copy\n");
	iotb_strbuf_adds(&sb, at + strlen(anchor));
	free(th_write(dir, "strings.yaml", sb.buf));
	cat = iotb_catalogue_load(dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	c = th_write(dir, "a.c",
		     "char *board_copy(char *d, const char *s);\n"
		     "void f(const char *in) { char b[4]; board_copy(b, in); board_copy(b, \"ab\"); }\n");
	set_options(IOTB_QUERY_NEVER, 1);
	CU_ASSERT_EQUAL(analyse(c, "c-source", &res, cat), 0);
	CU_ASSERT_EQUAL(res.nfindings, 1);
	TH_ASSERT_STR(th_message(&res, "strings.unsafe-copy", 2),
		   "'board_copy' copies 'in' of unchecked length into 'b' (4 bytes)");
	iotb_results_release(&res);
	iotb_catalogue_free(cat);
	iotb_analyzers_set_options(NULL);
	iotb_strbuf_release(&sb);
	free(c);
	free(text);
	free(yaml);
	free(cmd);
	free(dir);
}

/* Format attributes count even when spelled through a macro. */
static void test_format_attribute_macro(void)
{
	char *dir = th_tmpdir("analyzers-fmtattr");
	char *c = th_write(dir, "a.c",
			   "#define PRINTFLIKE(f, a) __attribute__((__format__(__printf__, f, a)))\n"
			   "void note(int lvl, const char *fmt, ...) PRINTFLIKE(2, 3);\n"
			   "void other(int lvl, const char *text);\n"
			   "void f(const char *in) {\n"
			   "\tnote(1, in);\n"
			   "\tnote(1, \"%s\", in);\n"
			   "\tother(1, in);\n"
			   "}\n");
	struct iotb_results res;

	set_options(IOTB_QUERY_NEVER, 1);
	CU_ASSERT_EQUAL(analyse(c, "c-source", &res, NULL), 0);
	CU_ASSERT_EQUAL(res.nfindings, 1);
	TH_ASSERT_STR(th_message(&res, "format.non-literal", 5),
			       "format argument of 'note' is not a string literal: 'in'");
	iotb_results_release(&res);
	iotb_analyzers_set_options(NULL);
	free(c);
	free(dir);
}

/* A disabled rule's checker is not run; one enabled rule keeps it. */
static void test_disabled_rules(void)
{
	char *dir = th_tmpdir("analyzers-disabled");
	char *c = th_write(dir, "a.c", unsafe_c);
	struct iotb_catalogue *cat = iotb_catalogue_load(IOTB_SOURCE_DIR "/rules");
	struct iotb_results res;

	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	iotb_catalogue_rule(cat, "strings.unsafe-copy")->enabled = false;
	set_options(IOTB_QUERY_NEVER, 1);
	CU_ASSERT_EQUAL(analyse(c, "c-source", &res, cat), 0);
	CU_ASSERT_EQUAL(res.nfindings, 1);
	CU_ASSERT_EQUAL(count_rule(&res, "format.non-literal"), 1);
	iotb_results_release(&res);
	iotb_catalogue_free(cat);
	iotb_analyzers_set_options(NULL);
	free(c);
	free(dir);
}


/* --- the walk's events ---------------------------------------------------------- */

static struct iotb_strbuf trace;

static unsigned line_of(CXCursor c)
{
	unsigned line = 0;

	clang_getExpansionLocation(clang_getCursorLocation(c), NULL, &line, NULL, NULL);
	return line;
}

#define RECORDER(event) \
	static void on_##event(struct iotb_checker_ctx *cc, const struct iotb_event *ev) \
	{ \
		(void)cc; \
		iotb_strbuf_addf(&trace, "%s%s%s@%u ", #event, ev->name ? ":" : "", \
				 ev->name ? ev->name : "", line_of(ev->cursor)); \
	}
RECORDER(tu_begin)
RECORDER(tu_end)
RECORDER(function_begin)
RECORDER(function_end)
RECORDER(var_decl)
RECORDER(assign)
RECORDER(binary_op)
RECORDER(unary_op)
RECORDER(if)
RECORDER(switch)
RECORDER(loop)
RECORDER(return)
RECORDER(goto)
RECORDER(string_literal)
RECORDER(macro_expansion)

static void on_call(struct iotb_checker_ctx *cc, const struct iotb_event *ev)
{
	(void)cc;
	iotb_strbuf_addf(&trace, "call:%s@%u ", ev->call->name ? ev->call->name : "?",
			 line_of(ev->cursor));
}

static const char *const recorder_rules[] = { "strings.gets", NULL };

static const struct iotb_checker recorder = {
	.name = "recorder",
	.rules = recorder_rules,
	.on_tu_begin = on_tu_begin, .on_tu_end = on_tu_end,
	.on_function_begin = on_function_begin, .on_function_end = on_function_end,
	.on_call = on_call, .on_var_decl = on_var_decl, .on_assign = on_assign,
	.on_binary_op = on_binary_op, .on_unary_op = on_unary_op, .on_if = on_if,
	.on_switch = on_switch, .on_loop = on_loop, .on_return = on_return,
	.on_goto = on_goto, .on_string_literal = on_string_literal,
	.on_macro_expansion = on_macro_expansion,
};

static size_t occurrences(const char *text, const char *needle)
{
	size_t n = 0;

	for (const char *p = text; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void test_events(void)
{
	char *dir = th_tmpdir("analyzers-events");
	char *c = th_write(dir, "a.c",
			   "#define TWICE(x) ((x) * 2)\n"                       /* 1 */
			   "int g = 3;\n"                                       /* 2 */
			   "static int helper(int v) { return TWICE(v); }\n"    /* 3 */
			   "int f(int a, const char *s) {\n"                    /* 4 */
			   "\tint b = a + 1;\n"                                  /* 5 */
			   "\tb += helper(b);\n"                                 /* 6 */
			   "\tif (b > 3) b = -b;\n"                              /* 7 */
			   "\tswitch (b) { case 1: break; }\n"                   /* 8 */
			   "\twhile (b < 0) b++;\n"                              /* 9 */
			   "\tfor (int i = 0; i < 2; i++) b--;\n"                /* 10 */
			   "\tdo { b++; } while (b < 0);\n"                      /* 11 */
			   "\tif (!s) goto out;\n"                               /* 12 */
			   "\ts = \"lit\";\n"                                    /* 13 */
			   "out:\n"                                              /* 14 */
			   "\treturn b;\n"                                       /* 15 */
			   "}\n");
	struct iotb_results res;

	iotb_strbuf_init(&trace);
	iotb_walk_set_test_checker(&recorder);
	set_options(IOTB_QUERY_NEVER, 1);
	CU_ASSERT_EQUAL(analyse(c, "c-source", &res, NULL), 0);
	iotb_walk_set_test_checker(NULL);
	CU_ASSERT(!strncmp(trace.buf, "tu_begin@0 macro_expansion:TWICE@3 var_decl:g@2 ", 48));
	CU_ASSERT(th_contains(trace.buf, "function_begin:helper@3 return@3 binary_op@3 "
					 "function_end:helper@3 function_begin:f@4 "));
	CU_ASSERT(th_contains(trace.buf, "var_decl:b@5 binary_op@5 assign@6 call:helper@6 "
					 "if@7 binary_op@7 assign@7 unary_op@7 switch@8 loop@9 "));
	CU_ASSERT(th_contains(trace.buf, "if@12 unary_op@12 goto@12 assign@13 "
					 "string_literal@13 return@15 function_end:f@4 tu_end@0 "));
	CU_ASSERT_EQUAL(occurrences(trace.buf, "loop@"), 3);
	CU_ASSERT_EQUAL(occurrences(trace.buf, "unary_op@"), 6);
	CU_ASSERT_EQUAL(occurrences(trace.buf, "binary_op@"), 6);
	CU_ASSERT_EQUAL(occurrences(trace.buf, "var_decl:"), 3);
	CU_ASSERT_EQUAL(occurrences(trace.buf, "assign@"), 3);
	if (getenv("IOTB_TEST_TRACE") || !th_contains(trace.buf, "tu_end@0"))
		printf("\n    trace: %s\n", trace.buf);
	iotb_strbuf_release(&trace);
	iotb_results_release(&res);
	iotb_analyzers_set_options(NULL);
	free(c);
	free(dir);
}

static const struct th_test tests[] = {
	{ "target from the compiler's name", test_target_from_name },
	{ "gcc-like drivers", test_gcc_like },
	{ "argv: response files and launcher", test_argv_response_files },
	{ "argv: one --target from the name", test_argv_target },
	{ "database: @file, ccache, name-derived --target", test_cdb_load },
	{ "database missing", test_cdb_missing },
	{ "flags stripped, one --target", test_translate_flags },
	{ "-MD writes no dependency file", test_no_dependency_file },
	{ "driver query, allow-list and cache", test_driver_query },
	{ "driver query failing", test_driver_query_fails },
	{ "GCC builtin include directories", test_builtin_include },
	{ "--query-driver values", test_parse_query_driver },
	{ "findings in a source file", test_source_findings },
	{ "partial AST is a note, still analysed", test_partial_ast },
	{ "C++ is not analysed", test_cxx_not_analysed },
	{ "unknown argument once per compiler", test_setup_once_per_compiler },
	{ "no AST: flags dropped, else not analysed", test_no_ast_retry },
	{ "dropbear's GCC-only flags", test_dropbear_flags },
	{ "ABI flags reach libclang", test_abi_flags },
	{ "header once; sub-workers agree", test_header_once },
	{ "inline suppressions in database TUs", test_db_suppressions },
	{ "a bad parameter names its entry", test_bad_parameter },
	{ "plain list entries get default roles", test_default_roles },
	{ "format attribute through a macro", test_format_attribute_macro },
	{ "disabled rules", test_disabled_rules },
	{ "walk events in order", test_events },
	{ NULL, NULL },
};

void register_suite_analyzers(void);
void register_suite_analyzers(void)
{
	th_add_suite("analyzers", tests);
}
