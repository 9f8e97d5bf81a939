/*
 * frontend.c — compile commands in (a compile database through libclang,
 * or a compiler's argv), libclang arguments out: launcher and response
 * files, exactly one --target (command, driver query or compiler name),
 * the queried sysroot and libc include directories, and the flags that
 * must never reach libclang (code-loading, file-writing, link-only,
 * GCC-only).  See frontend.h for the traps this handles.
 */
#include <clang-c/CXCompilationDatabase.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "frontend.h"

/* Response files nested deeper than this are an error (GCC: a loop). */
#define MAX_RESPONSE_DEPTH 16
#define MAX_RESPONSE_BYTES (4u << 20)

/* --- small path helpers --------------------------------------------------- */

bool iotb_path_is_inside(const char *path, const char *root)
{
	size_t n = strlen(root);

	if (n == 1 && root[0] == '/')
		return path[0] == '/';
	return !strncmp(path, root, n) && (path[n] == '/' || path[n] == '\0');
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* --- commands -------------------------------------------------------------- */

void iotb_compile_cmd_init(struct iotb_compile_cmd *cmd)
{
	memset(cmd, 0, sizeof(*cmd));
	iotb_strvec_init(&cmd->argv);
}

void iotb_compile_cmd_release(struct iotb_compile_cmd *cmd)
{
	if (!cmd)
		return;
	free(cmd->directory);
	free(cmd->file);
	iotb_strvec_release(&cmd->argv);
	memset(cmd, 0, sizeof(*cmd));
}

void iotb_cdb_free(struct iotb_compile_cmd *cmds, size_t n)
{
	for (size_t i = 0; i < n; i++)
		iotb_compile_cmd_release(&cmds[i]);
	free(cmds);
}

/* Copy a CXString out and dispose of it. */
static char *take_string(CXString s)
{
	const char *c = clang_getCString(s);
	char *copy = iotb_xstrdup(c ? c : "");

	clang_disposeString(s);
	return copy;
}

/* The compiler's name as clang's name inference sees it: basename without
 * ".exe" and without a trailing "-<version>" ("gcc-12", "gcc-12.2.1"). */
static char *program_stem(const char *compiler)
{
	char *stem = iotb_xstrdup(base_name(compiler));
	size_t n = strlen(stem);

	if (ends_with(stem, ".exe"))
		stem[n -= 4] = '\0';
	for (size_t i = n; i > 0; i--) {
		if (stem[i - 1] == '-' && i < n) {
			stem[i - 1] = '\0';
			break;
		}
		if (!((stem[i - 1] >= '0' && stem[i - 1] <= '9') || stem[i - 1] == '.'))
			break;
	}
	return stem;
}

/* Did libclang insert argv[1] = --target=X from the compiler's name? */
static bool is_name_derived_target(const struct iotb_strvec *argv)
{
	char *inferred;
	bool same;

	if (argv->n < 2 || !starts_with(argv->v[1], "--target="))
		return false;
	inferred = iotb_target_from_compiler_name(argv->v[0]);
	same = inferred && !strcmp(inferred, argv->v[1] + strlen("--target="));
	free(inferred);
	return same;
}

/* The directory holding the database for path (a file or a directory). */
static char *database_dir(const char *path)
{
	struct stat sb;
	char *dir, *slash;

	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
		return iotb_xstrdup(path);
	dir = iotb_xstrdup(path);
	slash = strrchr(dir, '/');
	if (!slash) {
		free(dir);
		return iotb_xstrdup(".");
	}
	if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	return dir;
}

/* Read the database with jansson first: libclang reports problems only on
 * stderr, and reads only a file named compile_commands.json. */
static int check_database(const char *path, const char *dir)
{
	char *file = iotb_path_join(dir, "compile_commands.json");
	json_error_t jerr;
	json_t *root = json_load_file(file, 0, &jerr);
	struct stat sb;
	int ret = 0;

	if (!root && access(file, F_OK) != 0)
		ret = iotb_fail("cannot load compile database '%s': %s", path,
				stat(path, &sb) == 0 && S_ISREG(sb.st_mode)
				? "only a file named compile_commands.json is read"
				: "no compile_commands.json there");
	else if (!root)
		ret = iotb_fail("cannot load compile database '%s': %s at line %d, column %d",
				path, jerr.text, jerr.line, jerr.column);
	else if (!json_is_array(root))
		ret = iotb_fail("cannot load compile database '%s': expected a JSON array of "
				"commands", path);
	json_decref(root);
	free(file);
	return ret;
}

int iotb_cdb_load(const char *path, struct iotb_compile_cmd **cmds, size_t *n)
{
	CXCompilationDatabase_Error err = CXCompilationDatabase_NoError;
	CXCompilationDatabase db = NULL;
	CXCompileCommands all = NULL;
	char *dir = database_dir(path);
	unsigned count, i;
	int ret = -1;

	*cmds = NULL;
	*n = 0;
	if (check_database(path, dir) < 0)
		goto out;
	db = clang_CompilationDatabase_fromDirectory(dir, &err);
	if (!db || err != CXCompilationDatabase_NoError) {
		iotb_fail("cannot load compile database '%s': libclang could not read it", path);
		goto out;
	}
	all = clang_CompilationDatabase_getAllCompileCommands(db);
	count = all ? clang_CompileCommands_getSize(all) : 0;
	*cmds = iotb_xcalloc(count ? count : 1, sizeof(**cmds));
	for (i = 0; i < count; i++) {
		CXCompileCommand cc = clang_CompileCommands_getCommand(all, i);
		struct iotb_compile_cmd *c = &(*cmds)[i];
		unsigned nargs = clang_CompileCommand_getNumArgs(cc);

		iotb_compile_cmd_init(c);
		c->directory = take_string(clang_CompileCommand_getDirectory(cc));
		c->file = take_string(clang_CompileCommand_getFilename(cc));
		for (unsigned a = 0; a < nargs; a++) {
			char *arg = take_string(clang_CompileCommand_getArg(cc, a));

			iotb_strvec_push(&c->argv, arg);
			free(arg);
		}
		c->target_inferred = is_name_derived_target(&c->argv);
	}
	*n = count;
	ret = 0;
out:
	if (all)
		clang_CompileCommands_dispose(all);
	if (db)
		clang_CompilationDatabase_dispose(db);
	free(dir);
	return ret;
}

/* --- argv path: launchers and response files ------------------------------ */

static bool is_launcher(const char *arg)
{
	static const char *const launchers[] = {
		"ccache", "sccache", "distcc", "icecc", "buildcache", NULL,
	};
	char *stem = program_stem(arg);
	bool found = false;

	for (const char *const *l = launchers; *l; l++)
		if (!strcmp(stem, *l))
			found = true;
	free(stem);
	return found;
}

/* Split a response file's text GCC's way (whitespace separates; '…', "…"
 * and backslash quote) into out. */
static void split_response(const char *text, struct iotb_strvec *out)
{
	struct iotb_strbuf arg;
	const char *p = text;

	iotb_strbuf_init(&arg);
	while (*p) {
		bool have = false;
		char quote = 0;

		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' ||
		       *p == '\v')
			p++;
		arg.len = 0;
		arg.buf[0] = '\0';
		for (; *p; p++) {
			if (quote) {
				if (*p == quote)
					quote = 0;
				else if (*p == '\\' && quote == '"' && p[1])
					iotb_strbuf_add(&arg, ++p, 1);
				else
					iotb_strbuf_add(&arg, p, 1);
				continue;
			}
			if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' ||
			    *p == '\v')
				break;
			have = true;
			if (*p == '\'' || *p == '"')
				quote = *p;
			else if (*p == '\\' && p[1])
				iotb_strbuf_add(&arg, ++p, 1);
			else
				iotb_strbuf_add(&arg, p, 1);
		}
		if (have)
			iotb_strvec_push(out, arg.buf);
	}
	iotb_strbuf_release(&arg);
}

static int expand_arg(const char *directory, const char *arg, unsigned depth,
                      struct iotb_strvec *out)
{
	struct iotb_strvec parts;
	char *path, *text = NULL;
	size_t len;
	int ret = 0;

	if (arg[0] != '@' || !arg[1]) {
		iotb_strvec_push(out, arg);
		return 0;
	}
	if (depth >= MAX_RESPONSE_DEPTH)
		return iotb_fail("cannot read response file '%s': nested more than %d deep",
				 arg + 1, MAX_RESPONSE_DEPTH);
	path = iotb_path_absolute(directory, arg + 1);
	if (iotb_read_file(path, MAX_RESPONSE_BYTES, &text, &len) < 0) {
		ret = iotb_fail("cannot read response file '%s': %s", arg + 1,
				strerror(errno ? errno : EIO));
		free(path);
		return ret;
	}
	iotb_strvec_init(&parts);
	split_response(text, &parts);
	for (size_t i = 0; i < parts.n && ret == 0; i++)
		ret = expand_arg(directory, parts.v[i], depth + 1, out);
	iotb_strvec_release(&parts);
	free(text);
	free(path);
	return ret;
}

int iotb_compile_cmd_from_argv(struct iotb_compile_cmd *cmd, const char *directory,
                               const char *file, int argc, const char *const *argv)
{
	int i = 0;

	iotb_compile_cmd_init(cmd);
	cmd->directory = iotb_path_absolute(NULL, directory);
	cmd->file = iotb_xstrdup(file);
	while (i < argc - 1 && is_launcher(argv[i]))
		i++;
	for (; i < argc; i++)
		if (expand_arg(cmd->directory, argv[i], 0, &cmd->argv) < 0) {
			iotb_compile_cmd_release(cmd);
			return -1;
		}
	return 0;
}

bool iotb_compile_cmd_is_cxx(const struct iotb_compile_cmd *cmd)
{
	static const char *const cxx_ext[] = {
		".cc", ".cpp", ".cxx", ".c++", ".C", ".cp", ".CPP", ".ii", ".mm", ".m", NULL,
	};
	const char *lang = NULL;
	char *stem;
	bool cxx;

	for (size_t i = 1; i < cmd->argv.n; i++) {
		if (!strcmp(cmd->argv.v[i], "-x") && i + 1 < cmd->argv.n)
			lang = cmd->argv.v[i + 1];
		else if (starts_with(cmd->argv.v[i], "-x") && cmd->argv.v[i][2])
			lang = cmd->argv.v[i] + 2;
	}
	if (lang)
		return strcmp(lang, "c") != 0 && strcmp(lang, "c-header") != 0 &&
		       strcmp(lang, "cpp-output") != 0;
	for (const char *const *e = cxx_ext; *e; e++)
		if (cmd->file && ends_with(cmd->file, *e))
			return true;
	if (cmd->file && (ends_with(cmd->file, ".c") || ends_with(cmd->file, ".h") ||
			  ends_with(cmd->file, ".i")))
		return false;
	if (!cmd->argv.n)
		return false;
	stem = program_stem(cmd->argv.v[0]);
	cxx = strstr(stem, "++") != NULL;
	free(stem);
	return cxx;
}

/* --- compiler names ------------------------------------------------------ */

/* Architectures whose triples this LLVM build knows (the name inference
 * of clang's own driver only fires for registered targets). */
static bool is_known_arch(const char *arch, size_t n)
{
	static const char *const arches[] = {
		"aarch64", "aarch64_be", "arm64", "arm", "armeb", "armel", "armhf",
		"thumb", "thumbeb", "mips", "mipsel", "mips64", "mips64el",
		"mipsisa32r6", "mipsisa32r6el", "mipsisa64r6", "mipsisa64r6el",
		"riscv32", "riscv64", "powerpc", "powerpcle", "powerpc64",
		"powerpc64le", "ppc", "ppc64", "ppc64le", "i386", "i486", "i586",
		"i686", "x86_64", "sparc", "sparcel", "sparc64", "sparcv9", "s390x",
		"m68k", "hexagon", "loongarch32", "loongarch64", "msp430", "avr",
		"bpf", "bpfel", "bpfeb", "lanai", "ve", "xcore", "csky", NULL,
	};

	if (n > 3 && !strncmp(arch, "armv", 4))
		return true;
	if (n > 5 && !strncmp(arch, "thumbv", 6))
		return true;
	for (const char *const *a = arches; *a; a++)
		if (strlen(*a) == n && !strncmp(*a, arch, n))
			return true;
	return false;
}

char *iotb_target_from_compiler_name(const char *compiler)
{
	static const char *const suffixes[] = {
		"-gcc", "-g++", "-cc", "-c++", "-cpp", "-clang", "-clang++", NULL,
	};
	char *stem = program_stem(compiler), *dash;

	for (const char *const *s = suffixes; *s; s++) {
		if (!ends_with(stem, *s) || strlen(stem) == strlen(*s))
			continue;
		stem[strlen(stem) - strlen(*s)] = '\0';
		dash = strchr(stem, '-');
		if (dash && is_known_arch(stem, (size_t)(dash - stem)))
			return stem;
		break;
	}
	free(stem);
	return NULL;
}

bool iotb_is_gcc_like(const char *compiler)
{
	char *stem = program_stem(compiler);
	bool gcc = !strstr(stem, "clang") &&
		   (ends_with(stem, "gcc") || ends_with(stem, "g++") || !strcmp(stem, "cc") ||
		    !strcmp(stem, "c++") || ends_with(stem, "-cc") || ends_with(stem, "-c++"));

	free(stem);
	return gcc;
}

/* --- flag translation ------------------------------------------------------ */

enum match { EXACT, PREFIX };

/* A flag libclang must not see.  values: arguments that follow an EXACT
 * match (-o FILE).  The first matching rule applies: an EXACT rule with a
 * value comes before the PREFIX rule for the joined form. */
struct strip_rule {
	const char *flag;
	enum match match;
	unsigned char values;
};

static const struct strip_rule strip_rules[] = {
	/* output, inputs, phases */
	{ "-c", EXACT, 0 }, { "-S", EXACT, 0 }, { "-E", EXACT, 0 }, { "-o", EXACT, 1 },
	{ "-o", PREFIX, 0 }, { "-pipe", EXACT, 0 }, { "-v", EXACT, 0 }, { "-###", EXACT, 0 },
	{ "-working-directory", EXACT, 1 }, { "-working-directory=", PREFIX, 0 },
	{ "-resource-dir", EXACT, 1 }, { "-resource-dir=", PREFIX, 0 },
	/* files libclang would write itself */
	{ "-M", EXACT, 0 }, { "-MM", EXACT, 0 }, { "-MD", EXACT, 0 }, { "-MMD", EXACT, 0 },
	{ "-MP", EXACT, 0 }, { "-MG", EXACT, 0 }, { "-MF", EXACT, 1 }, { "-MT", EXACT, 1 },
	{ "-MQ", EXACT, 1 }, { "-MJ", EXACT, 1 }, { "-MF", PREFIX, 0 }, { "-MT", PREFIX, 0 },
	{ "-MQ", PREFIX, 0 }, { "-MJ", PREFIX, 0 }, { "-Wp,-M", PREFIX, 0 },
	{ "-save-temps", PREFIX, 0 }, { "-ftime-trace", PREFIX, 0 },
	{ "--serialize-diagnostics", EXACT, 1 }, { "-fmodules-cache-path=", PREFIX, 0 },
	{ "-fcrash-diagnostics", PREFIX, 0 }, { "-fdump-", PREFIX, 0 },
	{ "-fstack-usage", EXACT, 0 }, { "-fcallgraph-info", PREFIX, 0 },
	{ "-aux-info", EXACT, 1 }, { "-dumpbase", EXACT, 1 }, { "-dumpdir", EXACT, 1 },
	{ "-dumpbase-ext", EXACT, 1 },
	/* code loading and configuration from files */
	{ "-fplugin=", PREFIX, 0 }, { "-fplugin-arg-", PREFIX, 0 },
	{ "-fpass-plugin=", PREFIX, 0 }, { "-Xclang", EXACT, 1 }, { "-mllvm", EXACT, 1 },
	{ "--config", EXACT, 1 }, { "--config=", PREFIX, 0 }, { "-B", EXACT, 1 },
	{ "-B", PREFIX, 0 }, { "-wrapper", EXACT, 1 }, { "--gcc-toolchain", EXACT, 1 },
	/* link and assemble only */
	{ "-Wl,", PREFIX, 0 }, { "-Wa,", PREFIX, 0 }, { "-Xlinker", EXACT, 1 },
	{ "-Xassembler", EXACT, 1 }, { "-L", EXACT, 1 }, { "-L", PREFIX, 0 },
	{ "-l", EXACT, 1 }, { "-l", PREFIX, 0 }, { "-T", EXACT, 1 }, { "-u", EXACT, 1 },
	{ "-z", EXACT, 1 }, { "-shared", EXACT, 0 }, { "-static", EXACT, 0 },
	{ "-pie", EXACT, 0 }, { "-no-pie", EXACT, 0 }, { "-rdynamic", EXACT, 0 },
	{ "-s", EXACT, 0 }, { "-nostdlib", EXACT, 0 }, { "-nostartfiles", EXACT, 0 },
	{ "-nodefaultlibs", EXACT, 0 },
	/* diagnostics turned into errors would make a sound TU look broken */
	{ "-Werror", PREFIX, 0 }, { "-pedantic-errors", EXACT, 0 },
	{ "-Wfatal-errors", EXACT, 0 },
	/* GCC's spec files (the query passes them to GCC) */
	{ "-specs=", PREFIX, 0 }, { "--specs=", PREFIX, 0 }, { "-specs", EXACT, 1 },
	{ "--specs", EXACT, 1 },
	/* GCC-only flags clang rejects (an error, or no TU at all) */
	{ "-mindirect-branch=", PREFIX, 0 }, { "-mindirect-branch-register", EXACT, 0 },
	{ "-mfunction-return=thunk", EXACT, 0 }, { "-mfunction-return=thunk-inline", EXACT, 0 },
	{ "-mrecord-mcount", EXACT, 0 }, { "-mpreferred-stack-boundary=", PREFIX, 0 },
	{ "-mfix-cortex-", PREFIX, 0 }, { "-mapcs", PREFIX, 0 }, { "-mno-apcs", PREFIX, 0 },
	{ "-mtune=", PREFIX, 0 }, { "-fconserve-stack", EXACT, 0 },
	{ "-fno-conserve-stack", EXACT, 0 }, { "-fvar-tracking", PREFIX, 0 },
	{ "-fno-var-tracking", PREFIX, 0 }, { "-fallow-store-data-races", EXACT, 0 },
	{ "-fno-allow-store-data-races", EXACT, 0 }, { "-fipa-", PREFIX, 0 },
	{ "-fno-ipa-", PREFIX, 0 }, { "-ftree-", PREFIX, 0 }, { "-fno-tree-", PREFIX, 0 },
	{ "-fno-guess-branch-probability", EXACT, 0 }, { "-fno-partial-inlining", EXACT, 0 },
	{ "-fno-inline-functions-called-once", EXACT, 0 },
	{ "-fno-printf-return-value", EXACT, 0 }, { "-fsched-", PREFIX, 0 },
	{ "-fno-sched-", PREFIX, 0 }, { "-fschedule-", PREFIX, 0 },
	{ "-fno-schedule-", PREFIX, 0 }, { "--param", EXACT, 1 }, { "--param=", PREFIX, 0 },
	{ "-fgcse", PREFIX, 0 }, { "-fno-gcse", PREFIX, 0 },
	{ "-fno-code-hoisting", EXACT, 0 }, { "-fno-caller-saves", EXACT, 0 },
	{ "-fno-cse-follow-jumps", EXACT, 0 }, { "-fno-peephole2", EXACT, 0 },
	{ "-fno-aggressive-loop-optimizations", EXACT, 0 },
	{ "-fno-shrink-wrap", EXACT, 0 }, { "-fno-ira-", PREFIX, 0 }, { "-fira-", PREFIX, 0 },
	{ "-fmin-function-alignment=", PREFIX, 0 }, { "-fstrict-flex-arrays", EXACT, 0 },
};

/* Options whose value is the next argument (kept with it). */
static bool takes_value(const char *arg)
{
	static const char *const opts[] = {
		"-I", "-D", "-U", "-include", "-imacros", "-isystem", "-iquote",
		"-idirafter", "-isysroot", "-iprefix", "-iwithprefix",
		"-iwithprefixbefore", "-imultilib", "-imultiarch", "-x",
		"-Xpreprocessor", "-arch", "-G", "-ivfsoverlay", "-include-pch",
		"-iframework", "-A", "--sysroot", "-target", "--target", "-std",
		"-iquote", "-F", "-cxx-isystem", NULL,
	};

	for (const char *const *o = opts; *o; o++)
		if (!strcmp(arg, *o))
			return true;
	return false;
}

/* The strip rule for args[i], or NULL. */
static const struct strip_rule *strip_rule_for(const char *arg)
{
	for (size_t i = 0; i < sizeof(strip_rules) / sizeof(strip_rules[0]); i++) {
		const struct strip_rule *r = &strip_rules[i];

		if (r->match == EXACT ? !strcmp(arg, r->flag) : starts_with(arg, r->flag))
			return r;
	}
	return NULL;
}

void iotb_tu_args_init(struct iotb_tu_args *ta)
{
	memset(ta, 0, sizeof(*ta));
	iotb_strvec_init(&ta->args);
	iotb_strvec_init(&ta->stripped);
}

void iotb_tu_args_release(struct iotb_tu_args *ta)
{
	if (!ta)
		return;
	free(ta->source);
	iotb_strvec_release(&ta->args);
	free(ta->compiler);
	free(ta->target);
	free(ta->query_note);
	iotb_strvec_release(&ta->stripped);
	memset(ta, 0, sizeof(*ta));
}

/* Flags every parse gets: no error limit (errors are counted), no
 * warnings (not our findings), no clang config files, and GCC 12's
 * dialect, where these are warnings, not errors. */
static void add_fixed_flags(struct iotb_strvec *args)
{
	static const char *const fixed[] = {
		"-ferror-limit=0", "--no-default-config",
		"-Wno-error=implicit-function-declaration", "-Wno-error=implicit-int",
		"-Wno-error=int-conversion", "-Wno-error=incompatible-pointer-types",
		"-Wno-error=incompatible-function-pointer-types",
		"-Wno-error=return-type", "-w", NULL,
	};

	for (const char *const *f = fixed; *f; f++)
		iotb_strvec_push(args, *f);
}

/* Flags passed to a driver query: -m*, --sysroot, -nostdinc and -specs=
 * outside the scanned roots (DESIGN.md "Scanning untrusted input"). */
static void collect_query_flags(const struct iotb_compile_cmd *cmd,
                                const struct iotb_frontend_env *env,
                                struct iotb_strvec *flags)
{
	for (size_t i = 1; i < cmd->argv.n; i++) {
		const char *a = cmd->argv.v[i];
		const char *next = i + 1 < cmd->argv.n ? cmd->argv.v[i + 1] : NULL;
		const char *specs = NULL;
		char *path;

		if (cmd->target_inferred && i == 1)
			continue;
		if (starts_with(a, "-m") && !starts_with(a, "-mllvm")) {
			iotb_strvec_push(flags, a);
		} else if (!strcmp(a, "-nostdinc")) {
			iotb_strvec_push(flags, a);
		} else if (starts_with(a, "--sysroot=") || (!strcmp(a, "--sysroot") && next)) {
			const char *v = a[9] == '=' ? a + 10 : next;

			path = iotb_path_absolute(cmd->directory, v);
			iotb_strvec_push(flags, "--sysroot");
			iotb_strvec_push(flags, path);
			free(path);
		} else if (starts_with(a, "-specs=") || starts_with(a, "--specs=")) {
			specs = strchr(a, '=') + 1;
		} else if ((!strcmp(a, "-specs") || !strcmp(a, "--specs")) && next) {
			specs = next;
		}
		if (!specs || !*specs)
			continue;
		path = strchr(specs, '/') ? iotb_path_absolute(cmd->directory, specs)
					  : iotb_xstrdup(specs);
		if (path[0] == '/') {
			bool inside = false;

			for (size_t r = 0; r < env->roots.n; r++)
				if (iotb_path_is_inside(path, env->roots.v[r]))
					inside = true;
			if (!inside) {
				char *flag = iotb_xasprintf("-specs=%s", path);

				iotb_strvec_push(flags, flag);
				free(flag);
			}
		} else {
			/* a bare name: GCC looks in its own directories */
			char *local = iotb_path_absolute(cmd->directory, specs);

			if (access(local, F_OK) != 0) {
				char *flag = iotb_xasprintf("-specs=%s", specs);

				iotb_strvec_push(flags, flag);
				free(flag);
			}
			free(local);
		}
		free(path);
	}
}

static bool has_arg(const struct iotb_strvec *v, const char *arg)
{
	return iotb_strvec_contains(v, arg);
}

/* Query the command's driver when allowed; true when di was filled. */
static bool query_driver(const struct iotb_compile_cmd *cmd, const struct iotb_frontend_env *env,
                         struct iotb_tu_args *ta, struct iotb_driver_info *di)
{
	struct iotb_strvec flags;
	char *path, *why = NULL;
	bool ok = false;

	if (!iotb_is_gcc_like(cmd->argv.v[0]))
		return false;
	path = iotb_driver_resolve(cmd->argv.v[0], cmd->directory);
	if (!path) {
		ta->query_note = iotb_xasprintf("compiler '%s' not found", cmd->argv.v[0]);
		return false;
	}
	if (!iotb_driver_allowed(path, env, &why)) {
		ta->query_note = why;
		free(path);
		return false;
	}
	iotb_strvec_init(&flags);
	collect_query_flags(cmd, env, &flags);
	if (iotb_driver_query(path, &flags, env, di) == 0)
		ok = true;
	else
		ta->query_note = iotb_xstrdup(iotb_last_error());
	iotb_strvec_release(&flags);
	free(path);
	return ok;
}

/* Copy the command's flags that libclang may see into out; the first
 * --target the command itself gives goes to *user_target. */
static void translate_flags(const struct iotb_compile_cmd *cmd, struct iotb_tu_args *ta,
                            struct iotb_strvec *out, char **user_target)
{
	for (size_t i = 1; i < cmd->argv.n; i++) {
		const char *a = cmd->argv.v[i];
		const char *next = i + 1 < cmd->argv.n ? cmd->argv.v[i + 1] : NULL;
		const struct strip_rule *rule;

		if (cmd->target_inferred && i == 1)
			continue;
		if (starts_with(a, "--target=")) {
			if (!*user_target)
				*user_target = iotb_xstrdup(a + strlen("--target="));
			continue;
		}
		if ((!strcmp(a, "-target") || !strcmp(a, "--target")) && next) {
			if (!*user_target)
				*user_target = iotb_xstrdup(next);
			i++;
			continue;
		}
		rule = strip_rule_for(a);
		if (rule) {
			iotb_strvec_push(&ta->stripped, a);
			for (unsigned v = 0; v < rule->values && i + 1 < cmd->argv.n; v++)
				iotb_strvec_push(&ta->stripped, cmd->argv.v[++i]);
			continue;
		}
		if (a[0] != '-' || !a[1]) {
			/* an input: the main file is passed on its own */
			continue;
		}
		if ((starts_with(a, "--sysroot=") || !strcmp(a, "--sysroot")) && cmd->directory) {
			const char *v = a[9] == '=' ? a + 10 : next;
			char *path, *flag;

			if (!v)
				continue;
			path = iotb_path_absolute(cmd->directory, v);
			flag = iotb_xasprintf("--sysroot=%s", path);
			iotb_strvec_push(out, flag);
			free(flag);
			free(path);
			if (a[9] != '=')
				i++;
			continue;
		}
		iotb_strvec_push(out, a);
		if (takes_value(a) && next)
			iotb_strvec_push(out, cmd->argv.v[++i]);
	}
}

void iotb_frontend_translate(const struct iotb_compile_cmd *cmd,
                             const struct iotb_frontend_env *env,
                             struct iotb_tu_args *ta)
{
	struct iotb_driver_info di;
	struct iotb_strvec flags;
	char *user_target = NULL;
	bool queried;

	iotb_driver_info_init(&di);
	iotb_strvec_init(&flags);
	ta->source = iotb_path_absolute(cmd->directory, cmd->file);
	ta->compiler = iotb_xstrdup(cmd->argv.n ? cmd->argv.v[0] : "cc");
	translate_flags(cmd, ta, &flags, &user_target);
	queried = cmd->argv.n && query_driver(cmd, env, ta, &di);
	if (user_target) {
		ta->target = user_target;
		ta->target_origin = "command";
	} else if (queried && di.triple && *di.triple) {
		ta->target = iotb_xstrdup(di.triple);
		ta->target_origin = "query";
	} else if (!env->opt->no_name_inference && cmd->argv.n) {
		ta->target = iotb_target_from_compiler_name(cmd->argv.v[0]);
		ta->target_origin = ta->target ? "name" : NULL;
	}
	if (ta->target) {
		char *flag = iotb_xasprintf("--target=%s", ta->target);

		iotb_strvec_push(&ta->args, flag);
		free(flag);
	}
	if (queried && di.sysroot && *di.sysroot && strcmp(di.sysroot, "/") != 0) {
		bool has_sysroot = false;

		for (size_t i = 0; i < flags.n; i++)
			if (starts_with(flags.v[i], "--sysroot"))
				has_sysroot = true;
		if (!has_sysroot) {
			char *flag = iotb_xasprintf("--sysroot=%s", di.sysroot);

			iotb_strvec_push(&ta->args, flag);
			free(flag);
		}
	}
	if (queried && !has_arg(&flags, "-nostdinc"))
		iotb_strvec_push(&ta->args, "-nostdlibinc");
	for (size_t i = 0; i < flags.n; i++)
		iotb_strvec_push(&ta->args, flags.v[i]);
	for (size_t i = 0; queried && i < di.includes.n; i++) {
		iotb_strvec_push(&ta->args, "-isystem");
		iotb_strvec_push(&ta->args, di.includes.v[i]);
	}
	if (cmd->directory) {
		char *flag = iotb_xasprintf("-working-directory=%s", cmd->directory);

		iotb_strvec_push(&ta->args, flag);
		free(flag);
	}
	add_fixed_flags(&ta->args);
	iotb_strvec_release(&flags);
	iotb_driver_info_release(&di);
}

void iotb_frontend_plain(const char *path, const struct iotb_frontend_env *env,
                         struct iotb_tu_args *ta)
{
	ta->source = iotb_xstrdup(path);
	for (const char *const *a = env->opt->extra_args; a && *a; a++) {
		iotb_strvec_push(&ta->args, *a);
		if (starts_with(*a, "--target=") && !ta->target) {
			ta->target = iotb_xstrdup(*a + 9);
			ta->target_origin = "command";
		}
	}
	add_fixed_flags(&ta->args);
}
