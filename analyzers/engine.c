/*
 * engine.c — the "analyzers" engine: C sources and compile databases
 * through libclang (DESIGN.md).
 *
 *  - c-source: one TU, parsed with the options' extra arguments; a TU
 *    libclang cannot parse at all is returned as an error (the walker makes
 *    it scan.not-analysed), a partly parsed one is analysed and gets a
 *    scan.parse-error note.
 *  - compile-db: every C TU the database lists, with its own flags
 *    (frontend.c); C++ TUs get one scan.not-analysed each.  The walker
 *    gives the whole database to one worker; with options.jobs > 1 that
 *    worker forks up to jobs sub-workers over the TUs and merges their
 *    results (the database's time limit covers all of them).
 *  - cxx-source: not analysed (C only), one finding.
 * Findings identical in rule, place and message (a header seen from many
 * TUs) are reported once per input; identical findings from different
 * inputs (a header included by two separately named .c files) are not
 * merged here.
 */
#include <clang-c/Index.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analyzers.h"
#include "suppress.h"
#include "walk.h"

/* Source text scanned for inline suppressions, at most. */
#define MAX_SOURCE_BYTES (64u << 20)

static const char *const kinds[] = { "c-source", "cxx-source", "compile-db", NULL };

static const char *const areas[] = {
#define IOTB_CHECKER(name, area) area,
#include "checkers.def"
#undef IOTB_CHECKER
	NULL,
};

/* --- options ------------------------------------------------------------------- */

static struct iotb_analyzers_options options;
static struct iotb_strvec option_drivers, option_extra;
static char *option_cache_dir;

static const char *const *strvec_terminated(struct iotb_strvec *sv)
{
	iotb_strvec_push(sv, "");
	free(sv->v[--sv->n]);
	sv->v[sv->n] = NULL;
	return (const char *const *)sv->v;
}

void iotb_analyzers_set_options(const struct iotb_analyzers_options *opt)
{
	struct iotb_strvec drivers, extra;
	char *cache = opt ? iotb_xstrdup(opt->cache_dir) : NULL;

	/* copy first: opt may point into the options being replaced */
	iotb_strvec_init(&drivers);
	iotb_strvec_init(&extra);
	for (const char *const *g = opt ? opt->query_drivers : NULL; g && *g; g++)
		iotb_strvec_push(&drivers, *g);
	for (const char *const *a = opt ? opt->extra_args : NULL; a && *a; a++)
		iotb_strvec_push(&extra, *a);
	iotb_strvec_release(&option_drivers);
	iotb_strvec_release(&option_extra);
	free(option_cache_dir);
	memset(&options, 0, sizeof(options));
	option_drivers = drivers;
	option_extra = extra;
	option_cache_dir = cache;
	if (opt)
		options = *opt;
	options.query_drivers = strvec_terminated(&option_drivers);
	options.extra_args = strvec_terminated(&option_extra);
	options.cache_dir = option_cache_dir;
}

const struct iotb_analyzers_options *iotb_analyzers_options(void)
{
	return &options;
}

void iotb_analyzers_parse_query_driver(const char *value, struct iotb_strvec *list,
                                       bool *never)
{
	char *copy = iotb_xstrdup(value), *tok, *save = NULL;

	if (!*value || !strcmp(value, "none"))
		*never = true;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if (*tok && strcmp(tok, "none"))
			iotb_strvec_push(list, tok);
	free(copy);
}

/* --- one run ------------------------------------------------------------------- */

struct run {
	const struct iotb_input *in;
	struct iotb_engine_ctx *ctx;
	struct iotb_walk *walk;
	struct iotb_frontend_env env;
	struct iotb_strvec sources;     /* TU main files (display paths) */
	json_t *compilers;              /* {compiler: {target, target_from, query}} */
};

static void run_init(struct run *r, const struct iotb_input *in, struct iotb_engine_ctx *ctx)
{
	memset(r, 0, sizeof(*r));
	r->in = in;
	r->ctx = ctx;
	r->env.opt = &options;
	iotb_strvec_init(&r->env.roots);
	iotb_strvec_init(&r->sources);
	r->env.cache_dir = iotb_driver_cache_dir(&options);
	r->compilers = json_object();
}

static void run_release(struct run *r)
{
	iotb_walk_free(r->walk);
	iotb_strvec_release(&r->env.roots);
	iotb_strvec_release(&r->sources);
	free((char *)r->env.cache_dir);
	json_decref(r->compilers);
}

static void IOTB_PRINTF(4, 5)
emit_scan(struct run *r, const char *rule, const char *path, const char *fmt, ...)
{
	struct iotb_rule_ctx rc = iotb_rule_ctx_get(r->ctx, rule);
	va_list ap;

	va_start(ap, fmt);
	iotb_vemit(&rc, path, 0, 0, fmt, ap);
	va_end(ap);
}

static void note_compiler(struct run *r, const struct iotb_tu_args *ta)
{
	json_t *o;

	if (!ta->compiler || json_object_get(r->compilers, ta->compiler))
		return;
	o = json_object();
	if (ta->target)
		json_object_set_new(o, "target", json_string(ta->target));
	if (ta->target_origin)
		json_object_set_new(o, "target_from", json_string(ta->target_origin));
	if (ta->query_note)
		json_object_set_new(o, "query", json_string(ta->query_note));
	json_object_set_new(r->compilers, ta->compiler, o);
}

/* Parse and check one TU; scan.* findings at its display path. */
static void analyse_tu(struct run *r, CXIndex idx, const struct iotb_tu_args *ta)
{
	struct iotb_tu_result res;
	char *shown = iotb_walk_display_path(ta->source, r->in->path[0] != '/');

	iotb_walk_tu(r->walk, idx, ta, &res);
	if (res.outcome == IOTB_TU_FAILED)
		emit_scan(r, "scan.not-analysed", shown, "translation unit not analysed: %s",
			  res.message);
	else if (res.outcome == IOTB_TU_PARTIAL)
		emit_scan(r, "scan.parse-error", shown, "%s", res.message);
	if (!iotb_strvec_contains(&r->sources, shown))
		iotb_strvec_push(&r->sources, shown);
	iotb_tu_result_release(&res);
	free(shown);
}

static void analyse_command(struct run *r, CXIndex idx, const struct iotb_compile_cmd *cmd)
{
	struct iotb_tu_args ta;

	iotb_tu_args_init(&ta);
	iotb_frontend_translate(cmd, &r->env, &ta);
	note_compiler(r, &ta);
	iotb_walk_set_directory(r->walk, cmd->directory);
	analyse_tu(r, idx, &ta);
	iotb_walk_set_directory(r->walk, NULL);
	iotb_tu_args_release(&ta);
}

/* --- compile databases: sequential and forked ------------------------------------ */

static void report_cxx(struct run *r, const struct iotb_compile_cmd *cmd)
{
	char *abs = iotb_path_absolute(cmd->directory, cmd->file);
	char *shown = iotb_walk_display_path(abs, r->in->path[0] != '/');

	emit_scan(r, "scan.not-analysed", shown,
		  "C++ translation unit not analysed: the analyzers handle C only");
	free(shown);
	free(abs);
}

static void analyse_share(struct run *r, const struct iotb_compile_cmd *cmds, size_t n,
                          size_t first, size_t step)
{
	CXIndex idx = clang_createIndex(0, 0);

	for (size_t i = first; i < n; i += step)
		if (!iotb_compile_cmd_is_cxx(&cmds[i]))
			analyse_command(r, idx, &cmds[i]);
	clang_disposeIndex(idx);
}

/* The child: analyse every step-th TU, write {results, facts, compilers,
 * sources} to file, _exit. */
static void run_sub_worker(struct run *parent, const struct iotb_compile_cmd *cmds, size_t n,
                           size_t first, size_t step, const char *file)
{
	struct iotb_results res;
	struct iotb_engine_ctx ctx = *parent->ctx;
	struct run r = *parent;
	json_t *root, *sources = json_array();
	int code = 0;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	iotb_results_init(&res);
	ctx.out = &res;
	ctx.artifact = NULL;
	r.ctx = &ctx;
	r.walk = iotb_walk_new(&ctx);
	iotb_strvec_init(&r.sources);
	if (r.walk)
		iotb_walk_set_relative_paths(r.walk, parent->in->path[0] != '/');
	r.compilers = json_object();
	if (!r.walk)
		_exit(3);
	analyse_share(&r, cmds, n, first, step);
	for (size_t i = 0; i < r.sources.n; i++)
		json_array_append_new(sources, json_string(r.sources.v[i]));
	root = json_pack("{s:o, s:o, s:o, s:o}", "results", iotb_results_to_json(&res),
			 "facts", iotb_walk_facts(r.walk), "compilers", r.compilers,
			 "sources", sources);
	if (!root || json_dump_file(root, file, JSON_COMPACT) < 0)
		code = 2;
	_exit(code);
}

/* Merge one sub-worker's file; false when it is missing or unreadable. */
static bool absorb_sub_result(struct run *r, const char *file)
{
	json_t *root = json_load_file(file, 0, NULL), *findings, *kept, *f, *v;
	struct iotb_results part;
	const char *key;
	size_t i;
	bool ok = false;

	if (!root)
		return false;
	iotb_results_init(&part);
	findings = json_object_get(json_object_get(root, "results"), "findings");
	kept = json_array();
	/* one finding per (rule, place, message) across sub-workers */
	if (iotb_results_from_json(&part, json_object_get(root, "results"), r->ctx->cat) == 0) {
		for (i = 0; i < part.nfindings; i++) {
			char *k = iotb_walk_finding_key(&part.findings[i]);

			if (iotb_walk_note_reported(r->walk, k))
				json_array_append(kept, json_array_get(findings, i));
			free(k);
		}
		json_object_set(json_object_get(root, "results"), "findings", kept);
		ok = iotb_results_from_json(r->ctx->out, json_object_get(root, "results"),
					    r->ctx->cat) == 0;
	}
	iotb_walk_absorb_facts(r->walk, json_object_get(root, "facts"));
	json_object_foreach(json_object_get(root, "compilers"), key, f)
		if (!json_object_get(r->compilers, key))
			json_object_set(r->compilers, key, f);
	json_array_foreach(json_object_get(root, "sources"), i, v)
		if (json_is_string(v) && !iotb_strvec_contains(&r->sources, json_string_value(v)))
			iotb_strvec_push(&r->sources, json_string_value(v));
	json_decref(kept);
	json_decref(root);
	iotb_results_release(&part);
	return ok;
}

/* Every C TU of sub-worker k's share: not analysed (its results are lost). */
static void report_lost_share(struct run *r, const struct iotb_compile_cmd *cmds, size_t n,
                              unsigned k, unsigned jobs, const char *why)
{
	for (size_t i = k; i < n; i += jobs) {
		char *abs, *shown;

		if (iotb_compile_cmd_is_cxx(&cmds[i]))
			continue;
		abs = iotb_path_absolute(cmds[i].directory, cmds[i].file);
		shown = iotb_walk_display_path(abs, r->in->path[0] != '/');
		emit_scan(r, "scan.not-analysed", shown, "translation unit not analysed: its "
			  "sub-worker %s", why);
		free(shown);
		free(abs);
	}
}

static const char *sub_worker_failure(pid_t pid, int status)
{
	if (pid < 0)
		return "could not start";
	if (WIFSIGNALED(status))
		return "crashed or hit the memory limit";
	return "could not write its result";
}

/* Fork jobs sub-workers over the TUs (TU i goes to sub-worker i % jobs)
 * and merge their results; false when no temporary directory could be
 * made (the caller then analyses sequentially). */
static bool analyse_forked(struct run *r, const struct iotb_compile_cmd *cmds, size_t n,
                           unsigned jobs)
{
	const char *base = getenv("TMPDIR");
	char *dir = iotb_xasprintf("%s/iotb-tu-XXXXXX", base && *base ? base : "/tmp");
	pid_t *pids;

	if (!mkdtemp(dir)) {
		free(dir);
		return false;
	}
	pids = iotb_xcalloc(jobs, sizeof(*pids));
	for (unsigned k = 0; k < jobs; k++) {
		char *file = iotb_xasprintf("%s/tu%u.json", dir, k);

		fflush(NULL);
		pids[k] = fork();
		if (pids[k] == 0)
			run_sub_worker(r, cmds, n, k, jobs, file);
		free(file);
	}
	for (unsigned k = 0; k < jobs; k++) {
		char *file = iotb_xasprintf("%s/tu%u.json", dir, k);
		int status = 0;

		if (pids[k] > 0)
			while (waitpid(pids[k], &status, 0) < 0 && errno == EINTR)
				;
		if (pids[k] < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
		    !absorb_sub_result(r, file))
			report_lost_share(r, cmds, n, k, jobs, sub_worker_failure(pids[k], status));
		unlink(file);
		free(file);
	}
	rmdir(dir);
	free(pids);
	free(dir);
	return true;
}

/* The scanned roots of a database: its directory and the work tree
 * holding it (compilers there are never run by default). */
static void add_roots(struct run *r, const char *db_path)
{
	char cwd[PATH_MAX];
	char *abs = iotb_path_absolute(getcwd(cwd, sizeof(cwd)) ? cwd : "/", db_path), *slash;
	struct stat sb;
	char *top;

	if (stat(abs, &sb) == 0 && !S_ISDIR(sb.st_mode) && (slash = strrchr(abs, '/')))
		*(slash == abs ? slash + 1 : slash) = '\0';
	iotb_strvec_push(&r->env.roots, abs);
	top = iotb_find_worktree_top(abs);
	if (top && !iotb_strvec_contains(&r->env.roots, top))
		iotb_strvec_push(&r->env.roots, top);
	free(top);
	free(abs);
}

static int analyse_database(struct run *r)
{
	struct iotb_compile_cmd *cmds = NULL;
	size_t n = 0, nc = 0;
	unsigned jobs = options.jobs;
	CXIndex idx;
	int ret;

	add_roots(r, r->in->path);
	/* clang_createIndex registers the targets the database's name
	 * inference needs */
	idx = clang_createIndex(0, 0);
	ret = iotb_cdb_load(r->in->path, &cmds, &n);
	clang_disposeIndex(idx);
	if (ret < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (iotb_compile_cmd_is_cxx(&cmds[i]))
			report_cxx(r, &cmds[i]);
		else
			nc++;
	}
	if (jobs > nc)
		jobs = (unsigned)nc;
	if (jobs <= 1 || !analyse_forked(r, cmds, n, jobs))
		analyse_share(r, cmds, n, 0, 1);
	iotb_cdb_free(cmds, n);
	return ret;
}

static int analyse_source(struct run *r)
{
	struct iotb_tu_args ta;
	struct iotb_tu_result res;
	CXIndex idx = clang_createIndex(0, 0);
	int ret = 0;

	iotb_tu_args_init(&ta);
	iotb_frontend_plain(r->in->path, &r->env, &ta);
	iotb_walk_tu(r->walk, idx, &ta, &res);
	if (res.outcome == IOTB_TU_FAILED)
		ret = iotb_fail("translation unit not analysed: %s", res.message);
	else if (res.outcome == IOTB_TU_PARTIAL)
		emit_scan(r, "scan.parse-error", r->in->path, "%s", res.message);
	iotb_tu_result_release(&res);
	iotb_tu_args_release(&ta);
	clang_disposeIndex(idx);
	return ret;
}

/* Inline suppression markers of every file analysed or reported in, except
 * the input itself when the walker reads it (source kinds). */
static void scan_suppressions(struct run *r, size_t first_finding)
{
	struct iotb_results *out = r->ctx->out;
	struct iotb_strvec paths;

	iotb_strvec_init(&paths);
	for (size_t i = 0; i < r->sources.n; i++)
		iotb_strvec_push(&paths, r->sources.v[i]);
	for (size_t i = first_finding; i < out->nfindings; i++)
		if (out->findings[i].loc.path && !iotb_strvec_contains(&paths, out->findings[i].loc.path))
			iotb_strvec_push(&paths, out->findings[i].loc.path);
	for (size_t i = 0; i < paths.n; i++) {
		char *text = NULL;
		size_t len = 0;

		if (!strcmp(paths.v[i], r->in->path) && strcmp(r->in->kind, "compile-db"))
			continue;
		if (iotb_read_file(paths.v[i], MAX_SOURCE_BYTES, &text, &len) == 0)
			iotb_suppress_scan_text(out, paths.v[i], text, len);
		free(text);
	}
	iotb_strvec_release(&paths);
}

static int analyse(const struct iotb_input *in, struct iotb_engine_ctx *ctx)
{
	size_t first = ctx->out->nfindings;
	struct run r;
	int ret;

	if (!strcmp(in->kind, "cxx-source"))
		return iotb_fail("C++ translation unit not analysed: the analyzers handle C only");
	run_init(&r, in, ctx);
	r.walk = iotb_walk_new(ctx);
	if (!r.walk) {
		run_release(&r);
		return -1;
	}
	iotb_walk_set_relative_paths(r.walk, in->path[0] != '/');
	ret = !strcmp(in->kind, "compile-db") ? analyse_database(&r) : analyse_source(&r);
	if (ret == 0) {
		iotb_walk_finish(r.walk, in->path);
		scan_suppressions(&r, first);
	}
	if (ctx->artifact) {
		json_t *facts = iotb_walk_facts(r.walk);

		json_object_set(facts, "compilers", r.compilers);
		json_decref(ctx->artifact->facts);
		ctx->artifact->facts = facts;
	}
	run_release(&r);
	return ret;
}

const struct iotb_engine iotb_engine_analyzers = {
	.name = "analyzers",
	.kinds = kinds,
	.areas = areas,
	.analyse = analyse,
};
