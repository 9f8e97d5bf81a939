/*
 * driver.c — asking a GCC-like cross compiler what libclang needs to parse
 * for its target: `-dumpmachine` (the triple), `-print-sysroot`, and the
 * `#include <...>` search list of `-E -v` without GCC's own include and
 * include-fixed directories (clang has its own; GCC's builtin headers clash
 * with clang's).  GCC's predefined macros (`-dM -E`) are never used: they
 * clash with clang's.
 *
 * A driver runs only when allowed (DESIGN.md "Scanning untrusted input"):
 * by default a compiler found on PATH outside the scanned roots, else one
 * matching the --query-driver globs.  It runs without a shell, with
 * LC_ALL=C, stdin from /dev/null and a time limit, with only the flags
 * frontend.c filtered (-m*, --sysroot, -nostdinc, -specs=).
 *
 * Answers are cached on disk (under the wrapper every TU is a new process),
 * keyed by the driver's real path, mtime and size, the flags and any specs
 * file's mtime; written atomically.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "frontend.h"

extern char **environ;

#define QUERY_TIMEOUT_MS 20000
#define QUERY_OUTPUT_MAX (1u << 20)
#define CACHE_VERSION 1

void iotb_driver_info_init(struct iotb_driver_info *di)
{
	memset(di, 0, sizeof(*di));
	iotb_strvec_init(&di->includes);
	iotb_strvec_init(&di->builtin);
}

void iotb_driver_info_release(struct iotb_driver_info *di)
{
	if (!di)
		return;
	free(di->triple);
	free(di->sysroot);
	iotb_strvec_release(&di->includes);
	iotb_strvec_release(&di->builtin);
	memset(di, 0, sizeof(*di));
}

/* --- where drivers are and whether they may run ------------------------- */

static bool is_executable_file(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && access(path, X_OK) == 0;
}

char *iotb_driver_resolve(const char *compiler, const char *directory)
{
	const char *path_env = getenv("PATH");
	char *copy, *dir, *save = NULL, *found = NULL;

	if (!compiler || !*compiler)
		return NULL;
	if (strchr(compiler, '/')) {
		char *abs = iotb_path_absolute(directory, compiler);

		if (is_executable_file(abs))
			return abs;
		free(abs);
		return NULL;
	}
	copy = iotb_xstrdup(path_env ? path_env : "/usr/bin:/bin");
	for (dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
		char *candidate;

		if (dir[0] != '/')
			continue;   /* a relative PATH entry would depend on the cwd */
		candidate = iotb_path_join(dir, compiler);
		if (is_executable_file(candidate))
			found = iotb_path_absolute(NULL, candidate);
		free(candidate);
	}
	free(copy);
	return found;
}

/* Is the directory holding path one of $PATH's (absolute) entries? */
static bool is_on_path(const char *path)
{
	const char *path_env = getenv("PATH");
	char *copy, *dir, *save = NULL, *parent = iotb_xstrdup(path), *slash;
	bool on = false;

	slash = strrchr(parent, '/');
	if (slash)
		*(slash == parent ? slash + 1 : slash) = '\0';
	copy = iotb_xstrdup(path_env ? path_env : "");
	for (dir = strtok_r(copy, ":", &save); dir && !on; dir = strtok_r(NULL, ":", &save)) {
		char *norm;

		if (dir[0] != '/')
			continue;
		norm = iotb_path_absolute(NULL, dir);
		on = !strcmp(norm, parent);
		free(norm);
	}
	free(copy);
	free(parent);
	return on;
}

static bool is_inside_roots(const char *path, const struct iotb_frontend_env *env)
{
	for (size_t i = 0; i < env->roots.n; i++)
		if (iotb_path_is_inside(path, env->roots.v[i]))
			return true;
	return false;
}

/* iotb_glob_match anchors a pattern's leading '/' at a relative path's
 * start: compare absolute with absolute. */
static bool matches_glob(const char *glob, const char *path)
{
	if (glob[0] == '/' && path[0] == '/')
		return iotb_glob_match(glob, path + 1);
	return iotb_glob_match(glob, path);
}

bool iotb_driver_allowed(const char *path, const struct iotb_frontend_env *env, char **why)
{
	char real[PATH_MAX];
	bool has_real = realpath(path, real) != NULL;

	*why = NULL;
	switch (env->opt->query) {
	case IOTB_QUERY_ALWAYS:
		return true;
	case IOTB_QUERY_NEVER:
		*why = iotb_xstrdup("compiler queries are disabled");
		return false;
	case IOTB_QUERY_ALLOW_LIST:
		for (const char *const *g = env->opt->query_drivers; g && *g; g++)
			if (matches_glob(*g, path) || (has_real && matches_glob(*g, real)))
				return true;
		*why = iotb_xasprintf("compiler '%s' does not match --query-driver", path);
		return false;
	case IOTB_QUERY_DEFAULT:
	default:
		break;
	}
	if (is_inside_roots(path, env) || (has_real && is_inside_roots(real, env))) {
		*why = iotb_xasprintf("compiler '%s' lies inside the scanned tree "
				      "(allow it with --query-driver)", path);
		return false;
	}
	if (!is_on_path(path)) {
		*why = iotb_xasprintf("compiler '%s' is not on PATH "
				      "(allow it with --query-driver)", path);
		return false;
	}
	return true;
}

/* --- running a driver ------------------------------------------------------- */

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The environment with LC_ALL=C (GCC's "search starts here" is localised). */
static char **c_locale_env(void)
{
	size_t n = 0, k = 0;
	char **env;

	while (environ && environ[n])
		n++;
	env = iotb_xcalloc(n + 3, sizeof(*env));
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "LC_ALL=", 7) && strncmp(environ[i], "LANGUAGE=", 9) &&
		    strncmp(environ[i], "LANG=", 5))
			env[k++] = environ[i];
	env[k++] = "LC_ALL=C";
	env[k++] = "LANG=C";
	env[k] = NULL;
	return env;
}

/*
 * Run argv (argv[0] an absolute path) and collect what it writes to
 * stdout (want_stderr false) or stderr (true) into out.  0 when it exited
 * with status 0, else -1 with a message.
 */
static int run_capture(char *const *argv, bool want_stderr, struct iotb_strbuf *out)
{
	posix_spawn_file_actions_t fa;
	char **env = c_locale_env();
	int pfd[2] = { -1, -1 }, status = 0, ret = -1, err;
	long long deadline = now_ms() + QUERY_TIMEOUT_MS;
	bool killed = false;
	pid_t pid = -1;

	if (pipe2(pfd, O_CLOEXEC) < 0) {
		free(env);
		return iotb_fail("cannot run '%s': %s", argv[0], strerror(errno));
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], want_stderr ? 2 : 1);
	posix_spawn_file_actions_addopen(&fa, want_stderr ? 1 : 2, "/dev/null", O_WRONLY, 0);
	err = posix_spawn(&pid, argv[0], &fa, NULL, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[1]);
	free(env);
	if (err) {
		close(pfd[0]);
		return iotb_fail("cannot run '%s': %s", argv[0], strerror(err));
	}
	for (;;) {
		struct pollfd p = { pfd[0], POLLIN, 0 };
		long long left = deadline - now_ms();
		char buf[4096];
		ssize_t n;

		if (left <= 0) {
			kill(pid, SIGKILL);
			killed = true;
			break;
		}
		if (poll(&p, 1, (int)left) <= 0)
			continue;
		n = read(pfd[0], buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (out->len + (size_t)n <= QUERY_OUTPUT_MAX)
			iotb_strbuf_add(out, buf, (size_t)n);
	}
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (killed)
		iotb_fail("'%s' did not answer within %d s", argv[0], QUERY_TIMEOUT_MS / 1000);
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		iotb_fail("'%s' failed (status %d)", argv[0],
			  WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	else
		ret = 0;
	return ret;
}

/* argv = path, flags…, extra… (NULL-terminated; strings borrowed). */
static char **query_argv(const char *path, const struct iotb_strvec *flags,
                         const char *const *extra)
{
	size_t n = 0, k = 0;
	char **argv;

	while (extra[n])
		n++;
	argv = iotb_xcalloc(1 + flags->n + n + 1, sizeof(*argv));
	argv[k++] = (char *)path;
	for (size_t i = 0; i < flags->n; i++)
		argv[k++] = flags->v[i];
	for (size_t i = 0; i < n; i++)
		argv[k++] = (char *)extra[i];
	argv[k] = NULL;
	return argv;
}

static int run_query(const char *path, const struct iotb_strvec *flags,
                     const char *const *extra, bool want_stderr, struct iotb_strbuf *out)
{
	char **argv = query_argv(path, flags, extra);
	int ret = run_capture(argv, want_stderr, out);

	free(argv);
	return ret;
}

static char *trimmed(const char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	return iotb_xstrndup(s, n);
}

/* Does dir (normalised, without its last "/include") end in
 * …/gcc/<triple>/<version> or …/gcc-cross/<triple>/<version>? */
static bool is_gcc_version_dir(const char *dir)
{
	const char *version = strrchr(dir, '/'), *triple, *gcc;
	size_t len;

	if (!version || version == dir)
		return false;
	for (triple = version - 1; triple > dir && *triple != '/'; triple--)
		;
	if (triple == dir)
		return false;
	for (gcc = triple - 1; gcc > dir && *gcc != '/'; gcc--)
		;
	len = (size_t)(triple - gcc - 1);
	return (len == 3 && !strncmp(gcc + 1, "gcc", 3)) ||
	       (len == 9 && !strncmp(gcc + 1, "gcc-cross", 9));
}

bool iotb_is_gcc_builtin_include(const char *dir)
{
	char *norm = iotb_path_absolute(NULL, dir), *last, *libgcc;
	bool builtin;

	last = strrchr(norm, '/');
	if (!last || (strcmp(last, "/include") && strcmp(last, "/include-fixed"))) {
		free(norm);
		return false;
	}
	*last = '\0';
	libgcc = iotb_path_join(*norm ? norm : "/", "libgcc.a");
	builtin = access(libgcc, F_OK) == 0 || is_gcc_version_dir(norm);
	free(libgcc);
	free(norm);
	return builtin;
}

/* The <...> search list of `-E -v` output into di. */
static void parse_search_list(const char *text, struct iotb_driver_info *di)
{
	const char *p = strstr(text, "#include <...> search starts here:");
	bool in_list = false;

	if (!p)
		return;
	for (; *p; ) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		char *line = iotb_xstrndup(p, n);

		if (in_list && !strncmp(line, "End of search list.", 19)) {
			free(line);
			break;
		}
		if (in_list && line[0] == ' ') {
			char *dir = trimmed(line), *framework = strstr(dir, " (framework directory)");
			char *norm;

			if (framework)
				*framework = '\0';
			norm = iotb_path_absolute(NULL, dir);
			if (iotb_is_gcc_builtin_include(norm))
				iotb_strvec_push(&di->builtin, norm);
			else
				iotb_strvec_push(&di->includes, norm);
			free(norm);
			free(dir);
		}
		in_list = true;
		free(line);
		p = eol ? eol + 1 : p + n;
	}
}

/* --- the on-disk cache ------------------------------------------------------ */

char *iotb_driver_cache_dir(const struct iotb_analyzers_options *opt)
{
	const char *env;

	if (opt && opt->cache_dir)
		return *opt->cache_dir ? iotb_xstrdup(opt->cache_dir) : NULL;
	env = getenv("IOTB_CACHE_DIR");
	if (env)
		return *env ? iotb_xstrdup(env) : NULL;
	env = getenv("XDG_CACHE_HOME");
	if (env && env[0] == '/')
		return iotb_path_join(env, "iotbaseline");
	env = getenv("HOME");
	if (env && env[0] == '/')
		return iotb_xasprintf("%s/.cache/iotbaseline", env);
	return NULL;
}

/* The cache file for this driver and flags, or NULL (no cache dir, or the
 * driver cannot be stat'ed). */
static char *cache_file(const char *path, const struct iotb_strvec *flags,
                        const struct iotb_frontend_env *env)
{
	struct iotb_strbuf key;
	char real[PATH_MAX], hex[65];
	struct stat sb;

	if (!env->cache_dir || !realpath(path, real) || stat(real, &sb) < 0)
		return NULL;
	iotb_strbuf_init(&key);
	iotb_strbuf_addf(&key, "v%d%c%s%c%lld.%ld%c%lld", CACHE_VERSION, 0, real, 0,
			 (long long)sb.st_mtim.tv_sec, sb.st_mtim.tv_nsec, 0,
			 (long long)sb.st_size);
	for (size_t i = 0; i < flags->n; i++) {
		struct stat fsb;

		iotb_strbuf_addf(&key, "%c%s", 0, flags->v[i]);
		if (!strncmp(flags->v[i], "-specs=", 7) && stat(flags->v[i] + 7, &fsb) == 0)
			iotb_strbuf_addf(&key, "@%lld.%ld", (long long)fsb.st_mtim.tv_sec,
					 fsb.st_mtim.tv_nsec);
	}
	iotb_sha256_hex(key.buf, key.len, hex);
	iotb_strbuf_release(&key);
	return iotb_xasprintf("%s/drivers/%s.json", env->cache_dir, hex);
}

static void strvec_from_json(struct iotb_strvec *sv, const json_t *arr)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v)
		if (json_is_string(v))
			iotb_strvec_push(sv, json_string_value(v));
}

static bool cache_read(const char *file, struct iotb_driver_info *di)
{
	json_t *root = file ? json_load_file(file, 0, NULL) : NULL;
	json_t *triple;
	bool ok = false;

	if (!root)
		return false;
	triple = json_object_get(root, "triple");
	if (json_integer_value(json_object_get(root, "version")) == CACHE_VERSION &&
	    json_is_string(triple) && json_is_array(json_object_get(root, "includes"))) {
		di->triple = iotb_xstrdup(json_string_value(triple));
		if (json_is_string(json_object_get(root, "sysroot")))
			di->sysroot = iotb_xstrdup(json_string_value(json_object_get(root, "sysroot")));
		strvec_from_json(&di->includes, json_object_get(root, "includes"));
		strvec_from_json(&di->builtin, json_object_get(root, "builtin"));
		ok = true;
	}
	json_decref(root);
	return ok;
}

static json_t *strvec_json(const struct iotb_strvec *sv)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < sv->n; i++)
		json_array_append_new(arr, json_string(sv->v[i]));
	return arr;
}

static void mkdir_parents(const char *file)
{
	char *copy = iotb_xstrdup(file);

	for (char *p = copy + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(copy, 0700);
		*p = '/';
	}
	free(copy);
}

/* Write the answer; a cache that cannot be written only costs time. */
static void cache_write(const char *file, const char *path, const struct iotb_strvec *flags,
                        const struct iotb_driver_info *di)
{
	json_t *root;
	char *text;

	if (!file)
		return;
	root = json_pack("{s:i, s:s, s:o, s:s, s:s, s:o, s:o}", "version", CACHE_VERSION,
			 "driver", path, "flags", strvec_json(flags), "triple", di->triple,
			 "sysroot", di->sysroot ? di->sysroot : "",
			 "includes", strvec_json(&di->includes), "builtin", strvec_json(&di->builtin));
	text = root ? json_dumps(root, JSON_INDENT(1)) : NULL;
	if (text) {
		mkdir_parents(file);
		(void)iotb_write_file_atomic(file, text, strlen(text));
	}
	free(text);
	json_decref(root);
}

static int query_all(const char *path, const struct iotb_strvec *flags,
                     struct iotb_driver_info *di);

int iotb_driver_query(const char *path, const struct iotb_strvec *flags,
                      const struct iotb_frontend_env *env, struct iotb_driver_info *di)
{
	char *file = cache_file(path, flags, env);

	if (cache_read(file, di)) {
		free(file);
		return 0;
	}
	if (query_all(path, flags, di) < 0) {
		/* a machine flag the driver rejects (a command meant for another
		 * compiler): ask again with the sysroot and spec flags only */
		struct iotb_strvec fewer;
		char *why = iotb_xstrdup(iotb_last_error());

		iotb_strvec_init(&fewer);
		for (size_t i = 0; i < flags->n; i++)
			if (strncmp(flags->v[i], "-m", 2) != 0)
				iotb_strvec_push(&fewer, flags->v[i]);
		iotb_driver_info_release(di);
		iotb_driver_info_init(di);
		if (fewer.n == flags->n || query_all(path, &fewer, di) < 0) {
			iotb_fail("cannot query compiler '%s': %s", path, why);
			iotb_driver_info_release(di);
			iotb_driver_info_init(di);
			iotb_strvec_release(&fewer);
			free(why);
			free(file);
			return -1;
		}
		iotb_strvec_release(&fewer);
		free(why);
	}
	cache_write(file, path, flags, di);
	free(file);
	return 0;
}

/* The three questions; -1 with the first failure. */
static int query_all(const char *path, const struct iotb_strvec *flags,
                     struct iotb_driver_info *di)
{
	static const char *const dump_machine[] = { "-dumpmachine", NULL };
	static const char *const print_sysroot[] = { "-print-sysroot", NULL };
	static const char *const search[] = {
		"-E", "-v", "-x", "c", "/dev/null", "-o", "/dev/null", NULL,
	};
	struct iotb_strbuf out;
	int ret = -1;

	iotb_strbuf_init(&out);
	if (run_query(path, flags, dump_machine, false, &out) < 0)
		goto out;
	di->triple = trimmed(out.buf);
	if (!*di->triple) {
		iotb_fail("no triple from -dumpmachine");
		goto out;
	}
	out.len = 0;
	out.buf[0] = '\0';
	/* not every GCC-like driver knows -print-sysroot: none then */
	if (run_query(path, flags, print_sysroot, false, &out) == 0)
		di->sysroot = trimmed(out.buf);
	out.len = 0;
	out.buf[0] = '\0';
	if (run_query(path, flags, search, true, &out) < 0)
		goto out;
	parse_search_list(out.buf, di);
	ret = 0;
out:
	iotb_strbuf_release(&out);
	return ret;
}
