/*
 * test_scan.c — the walker and dispatcher (integrations/scan.c,
 * classify.c, engines.c) and the rule contexts (rules/engine.c).
 *
 * Worker failures are exercised with fake engines installed through the
 * test-only iotb_scan_set_test_engine(); the real engine table is static.
 * Tests that depend on which engines this build has (ELF, headers) assert
 * whichever behaviour matches iotb_engine_for_kind().
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "iotb_util.h"
#include "scan.h"
#include "test_helpers.h"

/* --- fixtures ------------------------------------------------------------ */

static int saved_cwd = -1;

/* chdir into dir (restored by leave()) so walked paths are short. */
static void enter(const char *dir)
{
	saved_cwd = open(".", O_RDONLY | O_DIRECTORY);
	CU_ASSERT_FATAL(saved_cwd >= 0);
	CU_ASSERT_FATAL(chdir(dir) == 0);
}

static void leave(void)
{
	CU_ASSERT(fchdir(saved_cwd) == 0);
	close(saved_cwd);
	saved_cwd = -1;
}

static void write_file(const char *dir, const char *name, const char *text)
{
	free(th_write(dir, name, text));
}

static void make_symlink(const char *target, const char *dir, const char *name)
{
	char *path = iotb_path_join(dir, name);

	CU_ASSERT_FATAL(symlink(target, path) == 0);
	free(path);
}

static void copy_file(const char *from, const char *to)
{
	char *data = NULL;
	size_t len = 0;
	FILE *f;

	CU_ASSERT_FATAL(iotb_read_file(from, 16u << 20, &data, &len) == 0);
	f = fopen(to, "wb");
	CU_ASSERT_FATAL(f != NULL);
	CU_ASSERT(fwrite(data, 1, len, f) == len);
	fclose(f);
	free(data);
}

static int scan(const char *const *paths, unsigned jobs, const struct iotb_config *cfg,
                struct iotb_results *res)
{
	struct iotb_scan_options opt = { paths, jobs, 0, 0, 0 };

	iotb_results_init(res);
	iotb_clear_error();
	return iotb_scan_run(&opt, th_catalogue(), cfg, res);
}

static int scan_opt(struct iotb_scan_options *opt, struct iotb_results *res)
{
	iotb_results_init(res);
	iotb_clear_error();
	return iotb_scan_run(opt, th_catalogue(), NULL, res);
}

/* The finding of rule at path, or NULL. */
static const struct iotb_finding *finding_at(const struct iotb_results *res,
                                             const char *path, const char *rule)
{
	for (size_t i = 0; i < res->nfindings; i++)
		if (!strcmp(res->findings[i].loc.path, path) &&
		    !strcmp(res->findings[i].rule->id, rule))
			return &res->findings[i];
	return NULL;
}

static const char *not_analysed_msg(const struct iotb_results *res, const char *path)
{
	const struct iotb_finding *f = finding_at(res, path, "scan.not-analysed");

	return f ? f->message : NULL;
}

static const struct iotb_artifact *artifact_at(const struct iotb_results *res,
                                               const char *path)
{
	for (size_t i = 0; i < res->nartifacts; i++)
		if (!strcmp(res->artifacts[i].path, path))
			return &res->artifacts[i];
	return NULL;
}

static unsigned long skipped(const struct iotb_results *res, const char *kind)
{
	for (size_t i = 0; i < res->nskipped; i++)
		if (!strcmp(res->skipped[i].kind, kind))
			return res->skipped[i].count;
	return 0;
}

/* Does any finding or artifact mention s in its path? */
static bool mentions(const struct iotb_results *res, const char *s)
{
	for (size_t i = 0; i < res->nfindings; i++)
		if (th_contains(res->findings[i].loc.path, s))
			return true;
	for (size_t i = 0; i < res->nartifacts; i++)
		if (th_contains(res->artifacts[i].path, s))
			return true;
	return false;
}

/* --- fake engines ------------------------------------------------------- */

static const char *const fake_kinds[] = { "c-source", "cxx-source", NULL };
static const char *const no_areas[] = { NULL };

/* Emits one scan.parse-error note per input and records facts; checks that
 * the descriptor is at offset 0 and agrees with the head. */
static int fake_ok(const struct iotb_input *in, struct iotb_engine_ctx *ctx)
{
	struct iotb_rule_ctx rc = iotb_rule_ctx_get(ctx, "scan.parse-error");
	unsigned char first = 0;
	ssize_t n = read(in->fd, &first, 1);

	iotb_emit(&rc, in->path, 1, 1, "fake finding in %s", in->kind);
	ctx->artifact->facts = json_pack("{s:I, s:b, s:b}", "size", (json_int_t)in->size,
					 "head_ok", n == 1 && in->headlen > 0 && first == in->head[0],
					 "named", in->named);
	return 0;
}

/* Like fake_ok, but finishes in a name-dependent order; crashes on
 * inputs named *crash*. */
static int fake_shuffled(const struct iotb_input *in, struct iotb_engine_ctx *ctx)
{
	unsigned h = 0;

	for (const char *p = in->path; *p; p++)
		h = h * 31 + (unsigned char)*p;
	usleep((h % 7) * 15000);
	if (strstr(in->path, "crash")) {
		signal(SIGSEGV, SIG_DFL);    /* a real crash, also under ASan */
		raise(SIGSEGV);
	}
	return fake_ok(in, ctx);
}

static int fake_sleep(const struct iotb_input *in, struct iotb_engine_ctx *ctx)
{
	sleep(30);
	return 0;
}

static int fake_segv(const struct iotb_input *in, struct iotb_engine_ctx *ctx)
{
	signal(SIGSEGV, SIG_DFL);    /* a real crash, also under ASan */
	raise(SIGSEGV);
	return 0;
}

#ifndef IOTB_SANITIZE
static int fake_hog(const struct iotb_input *in, struct iotb_engine_ctx *ctx)
{
	void *p = iotb_xmalloc((size_t)8 << 30);   /* never touched */

	free(p);
	return 0;
}
#endif

static int fake_fail(const struct iotb_input *in, struct iotb_engine_ctx *ctx)
{
	return iotb_fail("cannot parse '%s': fake failure", in->path);
}

static int fake_fail_silently(const struct iotb_input *in, struct iotb_engine_ctx *ctx)
{
	return -1;
}

static int fake_exit(const struct iotb_input *in, struct iotb_engine_ctx *ctx)
{
	_exit(3);
}

/* The worker cannot write its result file (file size limit 0). */
static int fake_no_room(const struct iotb_input *in, struct iotb_engine_ctx *ctx)
{
	struct rlimit rl = { 0, 0 };

	signal(SIGXFSZ, SIG_IGN);
	setrlimit(RLIMIT_FSIZE, &rl);
	return fake_ok(in, ctx);
}

/* A finding of a rule the parent's catalogue does not know. */
static int fake_bad_rule(const struct iotb_input *in, struct iotb_engine_ctx *ctx)
{
	static struct iotb_rule bogus = {
		.id = "bogus.rule", .area = "bogus", .title = "bogus",
		.severity = IOTB_SEV_NOTE, .default_severity = IOTB_SEV_NOTE,
		.enabled = true,
	};

	iotb_results_add(ctx->out, &bogus, in->path, 1, 1, "from nowhere");
	return 0;
}

/*
 * Batched fakes: the outcome depends on a word in the input's base name:
 * "crash" raises SIGSEGV, "sleep" sleeps 30 s, "hog" allocates 8 GiB,
 * "fail" fails with a message, "exit" exits the worker, "slow" takes 0.4 s
 * and then succeeds; anything else succeeds like fake_ok at once.
 */
static int batched_outcome(const struct iotb_input *in, struct iotb_engine_ctx *ctx)
{
	const char *slash = strrchr(in->path, '/');
	const char *base = slash ? slash + 1 : in->path;

	if (strstr(base, "crash")) {
		signal(SIGSEGV, SIG_DFL);
		raise(SIGSEGV);
	}
	if (strstr(base, "bus")) {    /* what an mmap of a shrinking file gets */
		signal(SIGBUS, SIG_DFL);
		raise(SIGBUS);
	}
	if (strstr(base, "sleep"))
		sleep(30);
#ifndef IOTB_SANITIZE
	if (strstr(base, "hog"))
		free(iotb_xmalloc((size_t)8 << 30));
#endif
	if (strstr(base, "fail"))
		return iotb_fail("cannot parse '%s': fake failure", in->path);
	if (strstr(base, "exit"))
		_exit(3);
	if (strstr(base, "slow"))
		usleep(400000);
	return fake_ok(in, ctx);
}

/* Also records which worker process analysed the input ("pid"). */
static int fake_batched(const struct iotb_input *in, struct iotb_engine_ctx *ctx)
{
	if (batched_outcome(in, ctx) < 0)
		return -1;
	json_object_set_new(ctx->artifact->facts, "pid", json_integer(getpid()));
	return 0;
}

/* Output independent of the process; finishes in a name-dependent order. */
static int fake_batched_plain(const struct iotb_input *in, struct iotb_engine_ctx *ctx)
{
	unsigned h = 0;

	for (const char *p = in->path; *p; p++)
		h = h * 31 + (unsigned char)*p;
	usleep((h % 3) * 300);
	return batched_outcome(in, ctx);
}

static const struct iotb_engine eng_batched = {
	"fake", fake_kinds, no_areas, fake_batched, 8,
};
static const struct iotb_engine eng_batched_plain = {
	"fake", fake_kinds, no_areas, fake_batched_plain, 8,
};
static const struct iotb_engine eng_ok = { "fake", fake_kinds, no_areas, fake_ok, 0 };
static const struct iotb_engine eng_shuffled = { "fake", fake_kinds, no_areas, fake_shuffled, 0 };
static const struct iotb_engine eng_sleep = { "fake", fake_kinds, no_areas, fake_sleep, 0 };
static const struct iotb_engine eng_segv = { "fake", fake_kinds, no_areas, fake_segv, 0 };
#ifndef IOTB_SANITIZE
static const struct iotb_engine eng_hog = { "fake", fake_kinds, no_areas, fake_hog, 0 };
#endif
static const struct iotb_engine eng_fail = { "fake", fake_kinds, no_areas, fake_fail, 0 };
static const struct iotb_engine eng_silent = { "fake", fake_kinds, no_areas, fake_fail_silently, 0 };
static const struct iotb_engine eng_exit = { "fake", fake_kinds, no_areas, fake_exit, 0 };
static const struct iotb_engine eng_no_room = { "fake", fake_kinds, no_areas, fake_no_room, 0 };
static const struct iotb_engine eng_bad_rule = { "fake", fake_kinds, no_areas, fake_bad_rule, 0 };

/* --- classification ----------------------------------------------------- */

static const char *classify_bytes(const char *name, const char *bytes, size_t len)
{
	return iotb_classify(name, (const unsigned char *)bytes, len);
}

static void test_classify_magic(void)
{
	unsigned char tar[512] = { 0 };

	CU_ASSERT_STRING_EQUAL(classify_bytes("x", "\x7f" "ELF\x02\x01\x01", 7), "elf");
	CU_ASSERT_STRING_EQUAL(classify_bytes("x", "\x27\x05\x19\x56\0\0", 6), "image:uimage");
	CU_ASSERT_STRING_EQUAL(classify_bytes("x", "\xd0\x0d\xfe\xed\0\0", 6), "image:fit");
	CU_ASSERT_STRING_EQUAL(classify_bytes("x", "HDR0\0\0", 6), "image:trx");
	CU_ASSERT_STRING_EQUAL(classify_bytes("x", "hsqs\0\0", 6), "squashfs");
	CU_ASSERT_STRING_EQUAL(classify_bytes("x", "sqsh\0\0", 6), "squashfs");
	CU_ASSERT_STRING_EQUAL(classify_bytes("x", "!<arch>\nfoo", 11), "archive");
	CU_ASSERT_STRING_EQUAL(classify_bytes("x", "\x1f\x8b\x08\0", 4), "archive");
	CU_ASSERT_STRING_EQUAL(classify_bytes("x", "\xfd" "7zXZ\0\0", 7), "archive");
	CU_ASSERT_STRING_EQUAL(classify_bytes("x", "PK\x03\x04", 4), "archive");
	CU_ASSERT_STRING_EQUAL(classify_bytes("x", "PK\x05\x06", 4), "archive");
	CU_ASSERT_STRING_EQUAL(classify_bytes("x", "\x28\xb5\x2f\xfd", 4), "archive");
	CU_ASSERT_STRING_EQUAL(classify_bytes("x", "BZh91AY&SY", 10), "archive");
	memcpy(tar + 257, "ustar", 5);
	CU_ASSERT_STRING_EQUAL(iotb_classify("x", tar, sizeof(tar)), "archive");
	/* the tar magic needs the whole header prefix */
	CU_ASSERT_STRING_EQUAL(iotb_classify("x", tar, 260), "other");
	/* truncated magics are not magics */
	CU_ASSERT_STRING_EQUAL(classify_bytes("x", "\x7f" "EL", 3), "other");
	CU_ASSERT_STRING_EQUAL(classify_bytes("x", "BZh9", 4), "other");
	CU_ASSERT_STRING_EQUAL(classify_bytes("x", "", 0), "other");
	CU_ASSERT_STRING_EQUAL(iotb_classify("x", NULL, 0), "other");
	/* content wins over the name */
	CU_ASSERT_STRING_EQUAL(classify_bytes("dir/evil.c", "\x7f" "ELF\x01", 5), "elf");
}

static void test_classify_name(void)
{
	CU_ASSERT_STRING_EQUAL(classify_bytes("main.c", "int x;", 6), "c-source");
	CU_ASSERT_STRING_EQUAL(classify_bytes("src/util.h", "#pragma once", 12), "c-header");
	CU_ASSERT_STRING_EQUAL(classify_bytes("a.cc", "", 0), "cxx-source");
	CU_ASSERT_STRING_EQUAL(classify_bytes("a.cpp", "", 0), "cxx-source");
	CU_ASSERT_STRING_EQUAL(classify_bytes("a.cxx", "", 0), "cxx-source");
	CU_ASSERT_STRING_EQUAL(classify_bytes("a.C", "", 0), "cxx-source");
	CU_ASSERT_STRING_EQUAL(classify_bytes("a.hpp", "", 0), "cxx-header");
	CU_ASSERT_STRING_EQUAL(classify_bytes("build/compile_commands.json", "[]", 2),
			       "compile-db");
	CU_ASSERT_STRING_EQUAL(classify_bytes("other.json", "[]", 2), "other");
	CU_ASSERT_STRING_EQUAL(classify_bytes(".c", "", 0), "other");
	CU_ASSERT_STRING_EQUAL(classify_bytes("c.dir/README", "", 0), "other");
	CU_ASSERT_STRING_EQUAL(classify_bytes("a.c.orig", "", 0), "other");
}

/* --- engine table and rule contexts ------------------------------------- */

static void test_engine_table(void)
{
	size_t n = 0;

	while (iotb_engines[n])
		n++;
	CU_ASSERT(iotb_engine_for_kind("no-such-kind") == NULL);
	CU_ASSERT(iotb_engine_for_kind(NULL) == NULL);
	CU_ASSERT(iotb_engine_for_area("scan") == NULL);
	for (size_t i = 0; i < n; i++) {
		CU_ASSERT(iotb_engines[i]->name != NULL);
		CU_ASSERT(iotb_engines[i]->analyse != NULL);
		if (iotb_engines[i]->kinds && iotb_engines[i]->kinds[0])
			CU_ASSERT(iotb_engine_for_kind(iotb_engines[i]->kinds[0]) != NULL);
	}
}

static void test_rule_ctx(void)
{
	struct iotb_catalogue *cat = th_catalogue();
	struct iotb_rule *rule = iotb_catalogue_rule(cat, "scan.parse-error");
	struct iotb_results res;
	struct iotb_engine_ctx ctx = { cat, NULL, &res, NULL };
	struct iotb_rule_ctx rc;
	struct iotb_finding *f;
	enum iotb_severity saved;

	CU_ASSERT_FATAL(rule != NULL);
	iotb_results_init(&res);

	rc = iotb_rule_ctx_get(&ctx, "scan.no-such-rule");
	CU_ASSERT(rc.rule == NULL);
	CU_ASSERT(iotb_emit(&rc, "a.c", 1, 2, "x") == NULL);
	CU_ASSERT_EQUAL(res.nfindings, 0);

	saved = rule->severity;
	rule->severity = IOTB_SEV_WARNING;
	rc = iotb_rule_ctx_get(&ctx, "scan.parse-error");
	CU_ASSERT(rc.rule == rule);
	f = iotb_emit(&rc, "a.c", 3, 4, "parsed %d of %d", 1, 2);
	CU_ASSERT_FATAL(f != NULL);
	CU_ASSERT_STRING_EQUAL(f->message, "parsed 1 of 2");
	CU_ASSERT_STRING_EQUAL(f->loc.path, "a.c");
	CU_ASSERT_EQUAL(f->loc.line, 3);
	CU_ASSERT_EQUAL(f->loc.col, 4);
	CU_ASSERT_EQUAL(f->severity, IOTB_SEV_WARNING);
	CU_ASSERT(f->rule == rule);
	rule->severity = saved;

	rule->enabled = false;
	rc = iotb_rule_ctx_get(&ctx, "scan.parse-error");
	CU_ASSERT(rc.rule == NULL);
	CU_ASSERT(iotb_emit(&rc, "a.c", 1, 1, "x") == NULL);
	rule->enabled = true;
	CU_ASSERT_EQUAL(res.nfindings, 1);
	iotb_results_release(&res);
}

/* --- walking ------------------------------------------------------------ */

/*
 * T/outside/{secret.c,notes.txt} and T/root with nested dirs, symlinks out
 * of the root (file and directory), a dangling symlink, a FIFO and files
 * the config excludes.
 */
static char *make_tree(const char *name)
{
	char *t = th_tmpdir(name);
	char *fifo;

	write_file(t, "outside/secret.c", "int secret;\n");
	write_file(t, "outside/notes.txt", "notes\n");
	write_file(t, "root/a.c", "int a;\n");
	write_file(t, "root/sub/b.h", "int b;\n");
	write_file(t, "root/sub/deep/c.cpp", "int c;\n");
	write_file(t, "root/sub/notes.txt", "text\n");
	write_file(t, "root/gen/skip.c", "int skip;\n");
	write_file(t, "root/z.log", "log\n");
	make_symlink("../outside/secret.c", t, "root/link-out.c");
	make_symlink("../outside", t, "root/link-dir");
	make_symlink("nowhere.c", t, "root/dangling.c");
	fifo = iotb_path_join(t, "root/fifo.c");
	CU_ASSERT_FATAL(mkfifo(fifo, 0600) == 0);
	free(fifo);
	return t;
}

static void test_walk_tree(void)
{
	static const char *const paths[] = { "root", NULL };
	char *t = make_tree("scan-walk");
	struct iotb_config cfg;
	struct iotb_results res;
	const struct iotb_artifact *a;

	iotb_config_init(&cfg);
	iotb_strvec_push(&cfg.exclude, "root/gen/**");
	iotb_strvec_push(&cfg.exclude, "*.log");
	iotb_scan_set_test_engine(&eng_ok);
	enter(t);
	alarm(60);   /* opening the FIFO would block: fail loudly instead */
	CU_ASSERT_EQUAL(scan(paths, 2, &cfg, &res), 0);
	alarm(0);
	leave();
	iotb_scan_set_test_engine(NULL);

	/* a.c, b.h, c.cpp, notes.txt, 3 symlinks, the FIFO */
	CU_ASSERT_EQUAL(res.files_seen, 8);
	CU_ASSERT_EQUAL(res.nartifacts, 2);
	a = artifact_at(&res, "root/a.c");
	CU_ASSERT(a && a->engine && !strcmp(a->engine, "fake"));
	CU_ASSERT(a && json_is_true(json_object_get(a->facts, "head_ok")));
	CU_ASSERT(a && json_integer_value(json_object_get(a->facts, "size")) == 7);
	CU_ASSERT(a && json_is_false(json_object_get(a->facts, "named")));
	a = artifact_at(&res, "root/sub/deep/c.cpp");
	CU_ASSERT(a && a->engine && !strcmp(a->engine, "fake"));
	CU_ASSERT(finding_at(&res, "root/a.c", "scan.parse-error") != NULL);
	CU_ASSERT(finding_at(&res, "root/sub/deep/c.cpp", "scan.parse-error") != NULL);
	CU_ASSERT_EQUAL(res.nfindings, 2);
	CU_ASSERT_EQUAL(skipped(&res, "symlink"), 3);
	CU_ASSERT_EQUAL(skipped(&res, "special"), 1);
	CU_ASSERT_EQUAL(skipped(&res, "other"), 1);
	CU_ASSERT_EQUAL(skipped(&res, "c-header"), 1);
	CU_ASSERT_EQUAL(res.nskipped, 4);
	CU_ASSERT(iotb_strvec_contains(&res.engines_ran, "fake"));
	/* never followed out of the root, never scanned excluded paths */
	CU_ASSERT(!mentions(&res, "secret"));
	CU_ASSERT(!mentions(&res, "outside"));
	CU_ASSERT(!mentions(&res, "link"));
	CU_ASSERT(!mentions(&res, "gen/"));
	CU_ASSERT(!mentions(&res, ".log"));

	iotb_results_release(&res);
	iotb_config_release(&cfg);
	free(t);
}

/* Overlapping PATHs and hard links: each file is analysed once. */
static void test_duplicates_once(void)
{
	static const char *const paths[] = { "root", "root/a.c", "./root/a.c", NULL };
	char *t = th_tmpdir("scan-dup");
	struct iotb_results res;

	write_file(t, "root/a.c", "int a;\n");
	write_file(t, "root/applet/busybox.c", "int b;\n");
	enter(t);
	CU_ASSERT_FATAL(link("root/applet/busybox.c", "root/applet/ls.c") == 0);
	iotb_scan_set_test_engine(&eng_ok);
	CU_ASSERT_EQUAL(scan(paths, 1, NULL, &res), 0);
	iotb_scan_set_test_engine(NULL);
	leave();
	CU_ASSERT_EQUAL(res.nartifacts, 2);
	CU_ASSERT_PTR_NOT_NULL(artifact_at(&res, "root/a.c"));
	CU_ASSERT_PTR_NOT_NULL(artifact_at(&res, "root/applet/busybox.c"));
	CU_ASSERT_EQUAL(skipped(&res, "duplicate"), 3);
	iotb_results_release(&res);
	free(t);
}

/* SIGBUS (a file shrinking under an mmap) says so; VCS metadata is skipped. */
static void test_sigbus_and_vcs(void)
{
	static const char *const paths[] = { "root", NULL };
	char *t = th_tmpdir("scan-bus-vcs");
	struct iotb_results res;

	write_file(t, "root/a.c", "int a;\n");
	write_file(t, "root/bus.c", "int b;\n");
	write_file(t, "root/.git/objects/x.c", "int x;\n");
	write_file(t, "root/sub/.svn/y.c", "int y;\n");
	enter(t);
	iotb_scan_set_test_engine(&eng_batched);
	CU_ASSERT_EQUAL(scan(paths, 1, NULL, &res), 0);
	iotb_scan_set_test_engine(NULL);
	leave();
	CU_ASSERT_PTR_NOT_NULL(artifact_at(&res, "root/a.c"));
	CU_ASSERT_STRING_EQUAL(not_analysed_msg(&res, "root/bus.c"),
			       "the file shrank while it was being read (SIGBUS): scan it "
			       "again when it no longer changes");
	CU_ASSERT_FALSE(mentions(&res, ".git"));
	CU_ASSERT_FALSE(mentions(&res, ".svn"));
	CU_ASSERT_EQUAL(skipped(&res, "vcs-metadata"), 2);
	iotb_results_release(&res);
	free(t);
}

/* No engine for a kind: C sources are not-analysed, headers are counted. */
static void test_walk_without_engine(void)
{
	static const char *const paths[] = { "root", NULL };
	char *t = make_tree("scan-noengine");
	struct iotb_results res;

	enter(t);
	CU_ASSERT_EQUAL(scan(paths, 1, NULL, &res), 0);
	leave();
	if (!iotb_engine_for_kind("c-source"))
		CU_ASSERT_STRING_EQUAL(not_analysed_msg(&res, "root/a.c"),
				       "no engine for kind 'c-source' in this build");
	if (!iotb_engine_for_kind("cxx-source"))
		CU_ASSERT_STRING_EQUAL(not_analysed_msg(&res, "root/sub/deep/c.cpp"),
				       "no engine for kind 'cxx-source' in this build");
	if (!iotb_engine_for_kind("c-header")) {
		CU_ASSERT_EQUAL(skipped(&res, "c-header"), 1);
		CU_ASSERT(not_analysed_msg(&res, "root/sub/b.h") == NULL);
	}
	/* without a config nothing is excluded */
	CU_ASSERT_EQUAL(skipped(&res, "other"), 2);   /* notes.txt, z.log */
	CU_ASSERT(not_analysed_msg(&res, "root/sub/notes.txt") == NULL);
	CU_ASSERT_EQUAL(res.files_seen, 10);
	CU_ASSERT(!mentions(&res, "outside"));
	iotb_results_release(&res);
	free(t);
}

/* Directories are walked in sorted name order (before any sorting). */
static void test_walk_sorted(void)
{
	static const char *const paths[] = { "d", NULL };
	static const char *const names[] = { "m.c", "b.c", "z.c", "a.c", "B.c" };
	static const char *const sorted[] = { "d/B.c", "d/a.c", "d/b.c", "d/m.c", "d/z.c" };
	char *t = th_tmpdir("scan-sorted");
	struct iotb_scan_options opt = { paths, 1, 0, 0, 1 };
	struct iotb_results res;

	for (size_t i = 0; i < 5; i++) {
		char *name = iotb_xasprintf("d/%s", names[i]);

		write_file(t, name, "int x;\n");
		free(name);
	}
	iotb_scan_set_test_engine(&eng_ok);
	for (int fork_mode = 0; fork_mode < 2; fork_mode++) {
		opt.no_fork = !fork_mode;
		enter(t);
		CU_ASSERT_EQUAL(scan_opt(&opt, &res), 0);
		leave();
		CU_ASSERT_EQUAL_FATAL(res.nartifacts, 5);
		for (size_t i = 0; i < 5; i++)
			CU_ASSERT_STRING_EQUAL(res.artifacts[i].path, sorted[i]);
		iotb_results_release(&res);
	}
	iotb_scan_set_test_engine(NULL);
	free(t);
}

/* "." and "./dir/" name their files without "./" or "//". */
static void test_path_names(void)
{
	static const char *const dot[] = { ".", NULL };
	static const char *const dotdir[] = { "./d/", NULL };
	char *t = th_tmpdir("scan-names");
	char *d = iotb_path_join(t, "d");
	struct iotb_results res;

	write_file(t, "d/x.c", "int x;\n");
	iotb_scan_set_test_engine(&eng_ok);
	enter(d);
	CU_ASSERT_EQUAL(scan(dot, 1, NULL, &res), 0);
	leave();
	CU_ASSERT(artifact_at(&res, "x.c") != NULL);
	iotb_results_release(&res);
	enter(t);
	CU_ASSERT_EQUAL(scan(dotdir, 1, NULL, &res), 0);
	leave();
	CU_ASSERT(artifact_at(&res, "d/x.c") != NULL);
	iotb_results_release(&res);
	iotb_scan_set_test_engine(NULL);
	free(d);
	free(t);
}

static void test_too_deep(void)
{
	static const char *const paths[] = { "n", NULL };
	char *t = th_tmpdir("scan-deep");
	struct iotb_strbuf sb, expect;
	struct iotb_results res;

	iotb_strbuf_init(&sb);
	iotb_strbuf_init(&expect);
	iotb_strbuf_addf(&sb, "%s/n", t);
	CU_ASSERT_FATAL(mkdir(sb.buf, 0755) == 0);
	for (int i = 0; i < 260; i++) {
		iotb_strbuf_adds(&sb, "/d");
		CU_ASSERT_FATAL(mkdir(sb.buf, 0755) == 0);
	}
	iotb_strbuf_adds(&expect, "n");
	for (int i = 0; i < 257; i++)
		iotb_strbuf_adds(&expect, "/d");
	enter(t);
	CU_ASSERT_EQUAL(scan(paths, 1, NULL, &res), 0);
	leave();
	CU_ASSERT_EQUAL(res.nfindings, 1);
	CU_ASSERT_STRING_EQUAL(not_analysed_msg(&res, expect.buf),
			       "directory nested deeper than 256 levels");
	iotb_results_release(&res);
	iotb_strbuf_release(&sb);
	iotb_strbuf_release(&expect);
	free(t);
}

/* Root reads every file, so this runs only as an ordinary user. */
static void test_unreadable(void)
{
	static const char *const paths[] = { "root", NULL };
	char *t = th_tmpdir("scan-unreadable");
	char *file, *dir;
	struct iotb_results res;

	if (geteuid() == 0) {
		printf("(skipped: running as root, which can read a mode-000 file) ");
		free(t);
		return;
	}
	file = th_write(t, "root/secret.c", "int s;\n");
	write_file(t, "root/locked/inner.c", "int i;\n");
	dir = iotb_path_join(t, "root/locked");
	CU_ASSERT_FATAL(chmod(file, 0) == 0);
	CU_ASSERT_FATAL(chmod(dir, 0) == 0);
	enter(t);
	CU_ASSERT_EQUAL(scan(paths, 1, NULL, &res), 0);
	leave();
	CU_ASSERT_STRING_EQUAL(not_analysed_msg(&res, "root/secret.c"),
			       "cannot open 'root/secret.c': Permission denied");
	CU_ASSERT_STRING_EQUAL(not_analysed_msg(&res, "root/locked"),
			       "cannot open directory 'root/locked': Permission denied");
	chmod(dir, 0755);
	chmod(file, 0644);
	iotb_results_release(&res);
	free(file);
	free(dir);
	free(t);
}

/* --- named paths -------------------------------------------------------- */

static void test_missing_path(void)
{
	static const char *const one[] = { "missing.c", "root", NULL };
	static const char *const two[] = { "root", "gone", "missing.c", NULL };
	char *t = make_tree("scan-missing");
	struct iotb_results res;

	enter(t);
	CU_ASSERT_EQUAL(scan(one, 1, NULL, &res), -1);
	CU_ASSERT_STRING_EQUAL(iotb_last_error(),
			       "cannot open 'missing.c': No such file or directory");
	CU_ASSERT_EQUAL(res.files_seen, 10);   /* the other PATH was scanned */
	iotb_results_release(&res);
	CU_ASSERT_EQUAL(scan(two, 1, NULL, &res), -1);
	CU_ASSERT_STRING_EQUAL(iotb_last_error(),
			       "cannot open 'gone': No such file or directory; "
			       "cannot open 'missing.c': No such file or directory");
	CU_ASSERT_EQUAL(res.files_seen, 10);
	iotb_results_release(&res);
	leave();
	free(t);
}

static void test_named_inputs(void)
{
	static const char *const link[] = { "named-link.c", NULL };
	static const char *const txt[] = { "outside/notes.txt", NULL };
	static const char *const fifo[] = { "root/fifo.c", NULL };
	static const char *const header[] = { "root/sub/b.h", NULL };
	static const char *const empty[] = { "", NULL };
	char *t = make_tree("scan-named");
	const struct iotb_artifact *a;
	struct iotb_config cfg;
	struct iotb_results res;

	make_symlink("outside/secret.c", t, "named-link.c");
	enter(t);

	/* a symlink named on the command line is followed */
	iotb_scan_set_test_engine(&eng_ok);
	CU_ASSERT_EQUAL(scan(link, 1, NULL, &res), 0);
	a = artifact_at(&res, "named-link.c");
	CU_ASSERT(a && a->engine && !strcmp(a->engine, "fake"));
	CU_ASSERT(a && json_is_true(json_object_get(a->facts, "named")));
	CU_ASSERT_EQUAL(res.files_seen, 1);
	iotb_results_release(&res);
	iotb_scan_set_test_engine(NULL);

	CU_ASSERT_EQUAL(scan(txt, 1, NULL, &res), 0);
	CU_ASSERT_STRING_EQUAL(not_analysed_msg(&res, "outside/notes.txt"),
			       "not a kind iotb analyses (kind 'other')");
	CU_ASSERT_EQUAL(res.nskipped, 0);
	iotb_results_release(&res);

	alarm(60);
	CU_ASSERT_EQUAL(scan(fifo, 1, NULL, &res), 0);
	alarm(0);
	CU_ASSERT_STRING_EQUAL(not_analysed_msg(&res, "root/fifo.c"), "not a regular file");
	iotb_results_release(&res);

	CU_ASSERT_EQUAL(scan(header, 1, NULL, &res), 0);
	if (!iotb_engine_for_kind("c-header"))
		CU_ASSERT_STRING_EQUAL(not_analysed_msg(&res, "root/sub/b.h"),
				       "no engine for kind 'c-header' in this build");
	iotb_results_release(&res);

	CU_ASSERT_EQUAL(scan(empty, 1, NULL, &res), -1);
	CU_ASSERT_STRING_EQUAL(iotb_last_error(),
			       "cannot open '': No such file or directory");
	CU_ASSERT_EQUAL(res.files_seen, 0);
	iotb_results_release(&res);

	/* excludes apply to named paths too */
	iotb_config_init(&cfg);
	iotb_strvec_push(&cfg.exclude, "*.txt");
	CU_ASSERT_EQUAL(scan(txt, 1, &cfg, &res), 0);
	CU_ASSERT_EQUAL(res.files_seen, 0);
	CU_ASSERT_EQUAL(res.nfindings, 0);
	iotb_results_release(&res);
	iotb_config_release(&cfg);

	leave();
	free(t);
}

/* An ELF walked and named: elfcheck's artifact, or not-analysed without it. */
static void test_elf_dispatch(void)
{
	static const char *const walk[] = { "bin", NULL };
	static const char *const named[] = { "bin/true", NULL };
	const char *const *sets[] = { walk, named };
	char *t = th_tmpdir("scan-elf");
	char *dir = iotb_path_join(t, "bin"), *to = iotb_path_join(t, "bin/true");
	struct iotb_results res;

	CU_ASSERT_FATAL(mkdir(dir, 0755) == 0);
	copy_file("/bin/true", to);
	enter(t);
	for (size_t i = 0; i < 2; i++) {
		CU_ASSERT_EQUAL(scan(sets[i], 1, NULL, &res), 0);
		CU_ASSERT_EQUAL(res.files_seen, 1);
		if (!iotb_engine_for_kind("elf")) {
			CU_ASSERT_STRING_EQUAL(not_analysed_msg(&res, "bin/true"),
					       "no engine for kind 'elf' in this build");
			CU_ASSERT_EQUAL(res.nartifacts, 0);
		} else {
			const struct iotb_artifact *a = artifact_at(&res, "bin/true");

			CU_ASSERT(a && a->engine && !strcmp(a->engine, "elfcheck"));
			CU_ASSERT(a && !strcmp(a->kind, "elf"));
		}
		iotb_results_release(&res);
	}
	leave();
	free(dir);
	free(to);
	free(t);
}

/* --- workers ------------------------------------------------------------ */

/* Scan T/x.c with engine e; returns the not-analysed message (owned). */
static char *scan_one(const char *name, const struct iotb_engine *e,
                      unsigned timeout_s, unsigned memory_mb, int no_fork,
                      struct iotb_results *res)
{
	static const char *const paths[] = { "x.c", NULL };
	struct iotb_scan_options opt = { paths, 1, timeout_s, memory_mb, no_fork };
	char *t = th_tmpdir(name);
	const char *msg;

	write_file(t, "x.c", "int x;\n");
	iotb_scan_set_test_engine(e);
	enter(t);
	CU_ASSERT_EQUAL(scan_opt(&opt, res), 0);
	leave();
	iotb_scan_set_test_engine(NULL);
	free(t);
	msg = not_analysed_msg(res, "x.c");
	return iotb_xstrdup(msg);
}

/* The input still gets its artifact, without an engine. */
static void assert_failed_artifact(const struct iotb_results *res)
{
	const struct iotb_artifact *a = artifact_at(res, "x.c");

	CU_ASSERT_EQUAL(res->nartifacts, 1);
	CU_ASSERT(a && a->engine == NULL && !strcmp(a->kind, "c-source"));
	CU_ASSERT_EQUAL(res->engines_ran.n, 0);
}

static void test_worker_timeout(void)
{
	struct iotb_results res;
	time_t start = time(NULL);
	char *msg = scan_one("scan-timeout", &eng_sleep, 1, 0, 0, &res);

	CU_ASSERT_STRING_EQUAL(msg, "time limit of 1 s exceeded");
	CU_ASSERT(time(NULL) - start < 10);
	assert_failed_artifact(&res);
	free(msg);
	iotb_results_release(&res);
}

static void test_worker_crash(void)
{
	struct iotb_results res;
	char *msg = scan_one("scan-crash", &eng_segv, 0, 0, 0, &res);

	CU_ASSERT_STRING_EQUAL(msg, "engine crashed (signal 11)");
	assert_failed_artifact(&res);
	free(msg);
	iotb_results_release(&res);
}

static void test_worker_memory(void)
{
#ifdef IOTB_SANITIZE
	printf("(skipped: no RLIMIT_AS under IOTB_SANITIZE) ");
#else
	struct iotb_results res;
	char *msg = scan_one("scan-memory", &eng_hog, 0, 256, 0, &res);

	CU_ASSERT_STRING_EQUAL(msg,
		"memory limit of 256 MiB exceeded or engine crashed (signal 6)");
	assert_failed_artifact(&res);
	free(msg);
	iotb_results_release(&res);
#endif
}

static void test_worker_failure(void)
{
	for (int no_fork = 0; no_fork < 2; no_fork++) {
		struct iotb_results res;
		char *msg = scan_one("scan-fail", &eng_fail, 0, 0, no_fork, &res);

		CU_ASSERT_STRING_EQUAL(msg, "cannot parse 'x.c': fake failure");
		assert_failed_artifact(&res);
		CU_ASSERT_EQUAL(res.files_seen, 1);
		free(msg);
		iotb_results_release(&res);
	}
}

static void test_worker_ok_in_and_out_of_process(void)
{
	for (int no_fork = 0; no_fork < 2; no_fork++) {
		struct iotb_results res;
		char *msg = scan_one("scan-okw", &eng_ok, 0, 0, no_fork, &res);
		const struct iotb_finding *f = finding_at(&res, "x.c", "scan.parse-error");
		const struct iotb_artifact *a = artifact_at(&res, "x.c");

		CU_ASSERT(msg == NULL);
		CU_ASSERT(f && !strcmp(f->message, "fake finding in c-source"));
		CU_ASSERT(f && f->loc.line == 1 && f->loc.col == 1);
		CU_ASSERT(a && a->engine && !strcmp(a->engine, "fake"));
		CU_ASSERT(a && json_is_true(json_object_get(a->facts, "head_ok")));
		CU_ASSERT(iotb_strvec_contains(&res.engines_ran, "fake"));
		CU_ASSERT_EQUAL(res.files_seen, 1);
		free(msg);
		iotb_results_release(&res);
	}
}

static void test_worker_odd_ends(void)
{
	struct iotb_results res;
	char *msg;

	msg = scan_one("scan-silent", &eng_silent, 0, 0, 0, &res);
	CU_ASSERT_STRING_EQUAL(msg, "engine 'fake' failed without a message");
	assert_failed_artifact(&res);
	free(msg);
	iotb_results_release(&res);

	msg = scan_one("scan-exit", &eng_exit, 0, 0, 0, &res);
	CU_ASSERT_STRING_EQUAL(msg, "engine exited unexpectedly (status 3)");
	assert_failed_artifact(&res);
	free(msg);
	iotb_results_release(&res);

	msg = scan_one("scan-noroom", &eng_no_room, 0, 300, 0, &res);
	CU_ASSERT_STRING_EQUAL(msg,
		"worker could not write its result (memory limit of 300 MiB?)");
	assert_failed_artifact(&res);
	free(msg);
	iotb_results_release(&res);

	msg = scan_one("scan-badrule", &eng_bad_rule, 0, 0, 0, &res);
	CU_ASSERT(th_contains(msg, "cannot read the worker's result: "));
	CU_ASSERT(th_contains(msg, "bogus.rule"));
	assert_failed_artifact(&res);
	CU_ASSERT_EQUAL(res.nfindings, 1);
	free(msg);
	iotb_results_release(&res);
}

/* An inherited SIG_IGN for SIGCHLD must not lose the workers. */
static void test_sigchld_ignored(void)
{
	static const char *const paths[] = { "x.c", NULL };
	char *t = th_tmpdir("scan-sigchld");
	struct sigaction ign, old, after;
	struct iotb_results res;

	write_file(t, "x.c", "int x;\n");
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	iotb_scan_set_test_engine(&eng_ok);
	enter(t);
	sigaction(SIGCHLD, &ign, &old);
	CU_ASSERT_EQUAL(scan(paths, 1, NULL, &res), 0);
	sigaction(SIGCHLD, &old, &after);
	leave();
	iotb_scan_set_test_engine(NULL);
	CU_ASSERT(not_analysed_msg(&res, "x.c") == NULL);
	CU_ASSERT(after.sa_handler == SIG_IGN);   /* restored afterwards */
	CU_ASSERT(iotb_strvec_contains(&res.engines_ran, "fake"));
	iotb_results_release(&res);
	free(t);
}

/* No temp directory: the input is not analysed, the scan goes on. */
static void test_no_tmpdir(void)
{
	const char *old = getenv("TMPDIR");
	char *saved = old ? iotb_xstrdup(old) : NULL;
	struct iotb_results res;
	char *msg;

	setenv("TMPDIR", "/nonexistent-iotb-dir", 1);
	msg = scan_one("scan-notmp", &eng_ok, 0, 0, 0, &res);
	if (saved)
		setenv("TMPDIR", saved, 1);
	else
		unsetenv("TMPDIR");
	CU_ASSERT_STRING_EQUAL(msg, "cannot create a temporary directory in "
			       "'/nonexistent-iotb-dir': No such file or directory");
	free(msg);
	free(saved);
	iotb_results_release(&res);
}

/* Inline markers of analysed sources come back from the worker, one
 * input per worker or in a batch. */
static void test_inline_suppressions(void)
{
	static const char *const paths[] = { "s.c", "notes.txt", "t.c", NULL };
	const struct iotb_engine *engines[] = { &eng_ok, &eng_batched };
	char *t = th_tmpdir("scan-inline");
	struct iotb_results res;

	write_file(t, "s.c", "int a;\nint x; /* iotb:ignore[scan.parse-error] generated */\n");
	write_file(t, "notes.txt", "iotb:ignore[scan] not a source\n");
	write_file(t, "t.c", "// iotb:ignore[scan.parse-error] vendored\n");
	for (size_t i = 0; i < 2; i++) {
		iotb_scan_set_test_engine(engines[i]);
		enter(t);
		CU_ASSERT_EQUAL(scan(paths, 2, NULL, &res), 0);
		leave();
		iotb_scan_set_test_engine(NULL);
		CU_ASSERT_EQUAL_FATAL(res.ninline, 2);
		for (size_t j = 0; j < 2; j++) {
			const struct iotb_inline_supp *m = &res.inline_supps[j];

			CU_ASSERT((!strcmp(m->path, "s.c") && m->line == 2) ||
				  (!strcmp(m->path, "t.c") && m->line == 1));
		}
		CU_ASSERT(strcmp(res.inline_supps[0].path, res.inline_supps[1].path) != 0);
		iotb_results_release(&res);
	}
	free(t);
}

static char *scan_to_json(const char *dir, unsigned jobs)
{
	static const char *const paths[] = { "tree", NULL };
	struct iotb_results res;
	json_t *j;
	char *s;

	iotb_scan_set_test_engine(&eng_shuffled);
	enter(dir);
	CU_ASSERT_EQUAL(scan(paths, jobs, NULL, &res), 0);
	leave();
	iotb_scan_set_test_engine(NULL);
	iotb_results_finish(&res);
	j = iotb_results_to_json(&res);
	s = json_dumps(j, JSON_SORT_KEYS | JSON_INDENT(1));
	json_decref(j);
	iotb_results_release(&res);
	return s;
}

/* -j1 and -j4 give identical results, crashes included. */
static void test_jobs_deterministic(void)
{
	char *t = th_tmpdir("scan-jobs");
	char *one, *four;

	for (int i = 0; i < 12; i++) {
		char *name = iotb_xasprintf("tree/%c/f%02d.c", 'a' + i % 3, i);

		write_file(t, name, "int f;\n");
		free(name);
	}
	write_file(t, "tree/crash.c", "int c;\n");
	write_file(t, "tree/readme.txt", "x\n");
	one = scan_to_json(t, 1);
	four = scan_to_json(t, 4);
	CU_ASSERT_FATAL(one && four);
	CU_ASSERT_STRING_EQUAL(one, four);
	CU_ASSERT(th_contains(one, "engine crashed (signal 11)"));
	CU_ASSERT(th_contains(one, "tree/c/f11.c"));
	free(one);
	free(four);
	free(t);
}

/* No worker leaves its temp directory behind. */
static void test_tmpdir_cleaned(void)
{
	char *t = th_tmpdir("scan-tmp");
	char *tmp = iotb_path_join(t, "tmp");
	char *cmd = iotb_xasprintf("test -z \"$(ls -A '%s')\"", tmp);
	const char *old = getenv("TMPDIR");
	char *saved = old ? iotb_xstrdup(old) : NULL;
	struct iotb_results res;
	char *msg;

	CU_ASSERT_FATAL(mkdir(tmp, 0700) == 0);
	setenv("TMPDIR", tmp, 1);
	msg = scan_one("scan-tmp-ok", &eng_ok, 0, 0, 0, &res);
	iotb_results_release(&res);
	free(msg);
	msg = scan_one("scan-tmp-crash", &eng_segv, 0, 0, 0, &res);
	iotb_results_release(&res);
	free(msg);
	if (saved)
		setenv("TMPDIR", saved, 1);
	else
		unsetenv("TMPDIR");
	CU_ASSERT(system(cmd) == 0);
	free(saved);
	free(cmd);
	free(tmp);
	free(t);
}

/* --- batches ------------------------------------------------------------ */

/* T/b/<each of names> scanned with eng_batched; T is returned (owned). */
static char *scan_batch(const char *tmpname, const char *const *names,
                        struct iotb_scan_options *opt, struct iotb_results *res)
{
	static const char *const paths[] = { "b", NULL };
	char *t = th_tmpdir(tmpname);

	for (size_t i = 0; names[i]; i++) {
		char *name = iotb_xasprintf("b/%s", names[i]);

		write_file(t, name, "int x;\n");
		free(name);
	}
	opt->paths = paths;
	iotb_scan_set_test_engine(&eng_batched);
	enter(t);
	CU_ASSERT_EQUAL(scan_opt(opt, res), 0);
	leave();
	iotb_scan_set_test_engine(NULL);
	opt->paths = NULL;
	return t;
}

static size_t count_rule(const struct iotb_results *res, const char *rule)
{
	size_t n = 0;

	for (size_t i = 0; i < res->nfindings; i++)
		n += !strcmp(res->findings[i].rule->id, rule);
	return n;
}

/* The worker process that analysed b/name, or -1 when none did. */
static json_int_t worker_of(const struct iotb_results *res, const char *name)
{
	char *path = iotb_xasprintf("b/%s", name);
	const struct iotb_artifact *a = artifact_at(res, path);
	json_t *pid = a ? json_object_get(a->facts, "pid") : NULL;

	free(path);
	return pid ? json_integer_value(pid) : -1;
}

/*
 * Every input of names has one artifact; exactly those of bad (NULL-
 * terminated, with their messages in msgs) are not analysed, and every
 * other has its result (engine, finding, facts).
 */
static void assert_results(const struct iotb_results *res, const char *const *names,
                           const char *const *bad, const char *const *msgs)
{
	size_t n = 0, nbad = 0;

	for (; bad[nbad]; nbad++)
		;
	for (; names[n]; n++) {
		char *path = iotb_xasprintf("b/%s", names[n]);
		const struct iotb_artifact *a = artifact_at(res, path);
		const char *msg = not_analysed_msg(res, path);
		size_t j = 0;

		while (bad[j] && strcmp(bad[j], names[n]))
			j++;
		CU_ASSERT_PTR_NOT_NULL(a);
		if (bad[j]) {
			CU_ASSERT(msg && !strcmp(msg, msgs[j]));
			CU_ASSERT(a && a->engine == NULL);
			CU_ASSERT(finding_at(res, path, "scan.parse-error") == NULL);
		} else {
			CU_ASSERT(msg == NULL);
			CU_ASSERT(a && a->engine && !strcmp(a->engine, "fake"));
			CU_ASSERT(finding_at(res, path, "scan.parse-error") != NULL);
			CU_ASSERT(a && json_is_true(json_object_get(a->facts, "head_ok")));
		}
		free(path);
	}
	CU_ASSERT_EQUAL(res->nartifacts, n);
	CU_ASSERT_EQUAL(count_rule(res, "scan.not-analysed"), nbad);
	CU_ASSERT_EQUAL(count_rule(res, "scan.parse-error"), n - nbad);
	CU_ASSERT_EQUAL(res->files_seen, n);
	CU_ASSERT(iotb_strvec_contains(&res->engines_ran, "fake"));
}

/* Input 2 of 5 crashes: 1 keeps its result, 3–5 go to a new worker. */
static void test_batch_crash(void)
{
	static const char *const names[] = { "1.c", "2-crash.c", "3.c", "4.c", "5.c", NULL };
	static const char *const bad[] = { "2-crash.c", NULL };
	static const char *const msgs[] = { "engine crashed (signal 11)" };
	struct iotb_scan_options opt = { NULL, 1, 0, 0, 0 };
	struct iotb_results res;
	char *t = scan_batch("scan-batch-crash", names, &opt, &res);

	assert_results(&res, names, bad, msgs);
	CU_ASSERT(worker_of(&res, "1.c") > 0);
	CU_ASSERT(worker_of(&res, "3.c") > 0);
	CU_ASSERT(worker_of(&res, "3.c") != worker_of(&res, "1.c"));
	CU_ASSERT_EQUAL(worker_of(&res, "4.c"), worker_of(&res, "3.c"));
	CU_ASSERT_EQUAL(worker_of(&res, "5.c"), worker_of(&res, "3.c"));
	iotb_results_release(&res);
	free(t);
}

/* The time limit is per input: three inputs of 0.4 s pass a 1 s limit in
 * one worker; the fourth times out, the rest go to a new worker. */
static void test_batch_timeout(void)
{
	static const char *const names[] = {
		"1-slow.c", "2-slow.c", "3-slow.c", "4-sleep.c", "5.c", "6.c", NULL,
	};
	static const char *const bad[] = { "4-sleep.c", NULL };
	static const char *const msgs[] = { "time limit of 1 s exceeded" };
	struct iotb_scan_options opt = { NULL, 1, 1, 0, 0 };
	struct iotb_results res;
	time_t start = time(NULL);
	char *t = scan_batch("scan-batch-timeout", names, &opt, &res);

	CU_ASSERT(time(NULL) - start < 15);
	assert_results(&res, names, bad, msgs);
	CU_ASSERT(worker_of(&res, "1-slow.c") > 0);
	CU_ASSERT_EQUAL(worker_of(&res, "2-slow.c"), worker_of(&res, "1-slow.c"));
	CU_ASSERT_EQUAL(worker_of(&res, "3-slow.c"), worker_of(&res, "1-slow.c"));
	CU_ASSERT(worker_of(&res, "5.c") > 0);
	CU_ASSERT(worker_of(&res, "5.c") != worker_of(&res, "1-slow.c"));
	CU_ASSERT_EQUAL(worker_of(&res, "6.c"), worker_of(&res, "5.c"));
	iotb_results_release(&res);
	free(t);
}

/* Input 3 of 5 runs out of memory (the limit is per worker process). */
static void test_batch_memory(void)
{
#ifdef IOTB_SANITIZE
	printf("(skipped: no RLIMIT_AS under IOTB_SANITIZE) ");
#else
	static const char *const names[] = { "1.c", "2.c", "3-hog.c", "4.c", "5.c", NULL };
	static const char *const bad[] = { "3-hog.c", NULL };
	static const char *const msgs[] = {
		"memory limit of 256 MiB exceeded or engine crashed (signal 6)",
	};
	struct iotb_scan_options opt = { NULL, 1, 0, 256, 0 };
	struct iotb_results res;
	char *t = scan_batch("scan-batch-memory", names, &opt, &res);

	assert_results(&res, names, bad, msgs);
	CU_ASSERT(worker_of(&res, "1.c") > 0);
	CU_ASSERT_EQUAL(worker_of(&res, "2.c"), worker_of(&res, "1.c"));
	CU_ASSERT(worker_of(&res, "4.c") > 0);
	CU_ASSERT(worker_of(&res, "4.c") != worker_of(&res, "1.c"));
	CU_ASSERT_EQUAL(worker_of(&res, "5.c"), worker_of(&res, "4.c"));
	iotb_results_release(&res);
	free(t);
#endif
}

/* An engine failure leaves the worker going; an exit ends it at that input. */
static void test_batch_fail_and_exit(void)
{
	static const char *const names[] = { "1.c", "2-fail.c", "3.c", "4-exit.c", "5.c", NULL };
	static const char *const bad[] = { "2-fail.c", "4-exit.c", NULL };
	static const char *const msgs[] = {
		"cannot parse 'b/2-fail.c': fake failure",
		"engine exited unexpectedly (status 3)",
	};
	struct iotb_scan_options opt = { NULL, 1, 0, 0, 0 };
	struct iotb_results res;
	char *t = scan_batch("scan-batch-fail", names, &opt, &res);

	assert_results(&res, names, bad, msgs);
	CU_ASSERT(worker_of(&res, "1.c") > 0);
	CU_ASSERT_EQUAL(worker_of(&res, "3.c"), worker_of(&res, "1.c"));
	CU_ASSERT(worker_of(&res, "5.c") > 0);
	CU_ASSERT(worker_of(&res, "5.c") != worker_of(&res, "1.c"));
	iotb_results_release(&res);
	free(t);
}

/* The worker processes that analysed names (distinct pids). */
static size_t count_workers(const struct iotb_results *res, const char *const *names)
{
	json_int_t pids[256];
	size_t n = 0;

	for (size_t i = 0; names[i]; i++) {
		json_int_t pid = worker_of(res, names[i]);
		size_t j = 0;

		while (j < n && pids[j] != pid)
			j++;
		if (j == n && n < 256)
			pids[n++] = pid;
	}
	return n;
}

/* -j1: full batches of 8 during the walk, the rest at its end; -j3 on a
 * small tree: batches of ceil(queued / 3), so every slot gets work. */
static void test_batch_sizes(void)
{
	static const char *const twenty[] = {
		"f00.c", "f01.c", "f02.c", "f03.c", "f04.c", "f05.c", "f06.c",
		"f07.c", "f08.c", "f09.c", "f10.c", "f11.c", "f12.c", "f13.c",
		"f14.c", "f15.c", "f16.c", "f17.c", "f18.c", "f19.c", NULL,
	};
	static const char *const six[] = { "a.c", "b.c", "c.c", "d.c", "e.c", "f.c", NULL };
	static const char *const none[] = { NULL };
	struct iotb_scan_options opt = { NULL, 1, 0, 0, 0 };
	struct iotb_results res;
	char *t;

	t = scan_batch("scan-batch-j1", twenty, &opt, &res);
	assert_results(&res, twenty, none, NULL);
	CU_ASSERT_EQUAL(count_workers(&res, twenty), 3);   /* 8 + 8 + 4 */
	CU_ASSERT_EQUAL(worker_of(&res, "f07.c"), worker_of(&res, "f00.c"));
	CU_ASSERT_EQUAL(worker_of(&res, "f15.c"), worker_of(&res, "f08.c"));
	CU_ASSERT_EQUAL(worker_of(&res, "f19.c"), worker_of(&res, "f16.c"));
	iotb_results_release(&res);
	free(t);

	opt.jobs = 3;
	t = scan_batch("scan-batch-j3", six, &opt, &res);
	assert_results(&res, six, none, NULL);
	CU_ASSERT_EQUAL(count_workers(&res, six), 4);      /* 2 + 2 + 1 + 1 */
	CU_ASSERT_EQUAL(worker_of(&res, "b.c"), worker_of(&res, "a.c"));
	CU_ASSERT_EQUAL(worker_of(&res, "d.c"), worker_of(&res, "c.c"));
	CU_ASSERT(worker_of(&res, "e.c") != worker_of(&res, "f.c"));
	iotb_results_release(&res);
	free(t);
}

/* T/tree scanned with eng_batched_plain as sorted JSON (owned). */
static char *batch_scan_json(const char *dir, unsigned jobs, int no_fork)
{
	static const char *const paths[] = { "tree", NULL };
	struct iotb_scan_options opt = { paths, jobs, 0, 0, no_fork };
	struct iotb_results res;
	json_t *j;
	char *s;

	iotb_scan_set_test_engine(&eng_batched_plain);
	enter(dir);
	CU_ASSERT_EQUAL(scan_opt(&opt, &res), 0);
	leave();
	iotb_scan_set_test_engine(NULL);
	iotb_results_finish(&res);
	j = iotb_results_to_json(&res);
	s = json_dumps(j, JSON_SORT_KEYS | JSON_INDENT(1));
	json_decref(j);
	iotb_results_release(&res);
	return s;
}

/* 200 small files: -j1, -j3 and in-process give identical results; with a
 * crash among them -j1 and -j3 still agree. */
static void test_batch_deterministic(void)
{
	char *t = th_tmpdir("scan-batch-jobs");
	char *one, *three, *inproc;

	for (int i = 0; i < 200; i++) {
		char *name = iotb_xasprintf("tree/%c/f%03d.c", 'a' + i % 4, i);

		write_file(t, name, "int f;\n");
		free(name);
	}
	write_file(t, "tree/b/fail.c", "int x;\n");
	write_file(t, "tree/readme.txt", "x\n");
	one = batch_scan_json(t, 1, 0);
	three = batch_scan_json(t, 3, 0);
	inproc = batch_scan_json(t, 1, 1);
	CU_ASSERT_FATAL(one && three && inproc);
	CU_ASSERT_STRING_EQUAL(one, three);
	CU_ASSERT_STRING_EQUAL(one, inproc);
	CU_ASSERT(th_contains(one, "cannot parse 'tree/b/fail.c': fake failure"));
	CU_ASSERT(th_contains(one, "tree/d/f199.c"));
	CU_ASSERT(th_contains(one, "\"engines_ran\": [\n  \"fake\"\n ]"));
	CU_ASSERT(th_contains(one, "\"files_seen\": 202"));
	free(one);
	free(three);
	free(inproc);

	write_file(t, "tree/c/crash.c", "int c;\n");
	one = batch_scan_json(t, 1, 0);
	three = batch_scan_json(t, 3, 0);
	CU_ASSERT_FATAL(one && three);
	CU_ASSERT_STRING_EQUAL(one, three);
	CU_ASSERT(th_contains(one, "engine crashed (signal 11)"));
	CU_ASSERT(th_contains(one, "tree/d/f199.c"));
	free(one);
	free(three);
	free(t);
}

/* Queued inputs hold fds: a low RLIMIT_NOFILE shrinks batches, and no
 * input is lost to EMFILE. */
static void test_batch_fd_budget(void)
{
	static const char *const none[] = { NULL };
	const char *names[201];
	char *owned[200];
	struct iotb_scan_options opt = { NULL, 2, 0, 0, 0 };
	struct iotb_results res;
	struct rlimit old, low;
	char *t;

	for (int i = 0; i < 200; i++)
		names[i] = owned[i] = iotb_xasprintf("f%03d.c", i);
	names[200] = NULL;
	CU_ASSERT_FATAL(getrlimit(RLIMIT_NOFILE, &old) == 0);
	low = old;
	low.rlim_cur = 40;   /* budget 20: batches of at most 20 / 3 = 6 */
	CU_ASSERT_FATAL(setrlimit(RLIMIT_NOFILE, &low) == 0);
	t = scan_batch("scan-batch-fds", names, &opt, &res);
	CU_ASSERT(setrlimit(RLIMIT_NOFILE, &old) == 0);
	assert_results(&res, names, none, NULL);
	CU_ASSERT(count_workers(&res, names) >= 200 / 6);
	iotb_results_release(&res);
	for (int i = 0; i < 200; i++)
		free(owned[i]);
	free(t);
}

static const struct th_test tests[] = {
	{ "classify by magic", test_classify_magic },
	{ "classify by name", test_classify_name },
	{ "engine table lookups", test_engine_table },
	{ "rule contexts and emit", test_rule_ctx },
	{ "walk: symlinks, FIFO, excludes", test_walk_tree },
	{ "walk: kinds without an engine", test_walk_without_engine },
	{ "walk: sorted name order", test_walk_sorted },
	{ "walk: path names", test_path_names },
	{ "walk: nesting limit", test_too_deep },
	{ "walk: unreadable file and directory", test_unreadable },
	{ "named: missing paths", test_missing_path },
	{ "named: symlink, other kind, FIFO, header, excluded", test_named_inputs },
	{ "dispatch: ELF", test_elf_dispatch },
	{ "worker: time limit", test_worker_timeout },
	{ "worker: crash", test_worker_crash },
	{ "worker: memory limit", test_worker_memory },
	{ "worker: engine failure", test_worker_failure },
	{ "worker: results in and out of process", test_worker_ok_in_and_out_of_process },
	{ "worker: exit codes, silent failure, bad result", test_worker_odd_ends },
	{ "worker: SIGCHLD ignored by the caller", test_sigchld_ignored },
	{ "worker: no temp directory", test_no_tmpdir },
	{ "worker: inline suppressions", test_inline_suppressions },
	{ "walk: duplicates analysed once", test_duplicates_once },
	{ "walk: SIGBUS message, VCS metadata skipped", test_sigbus_and_vcs },
	{ "workers: -j1 and -j4 identical", test_jobs_deterministic },
	{ "workers: temp directory removed", test_tmpdir_cleaned },
	{ "batch: input 2 of 5 crashes", test_batch_crash },
	{ "batch: time limit per input", test_batch_timeout },
	{ "batch: memory limit in the middle", test_batch_memory },
	{ "batch: engine failure and exit in the middle", test_batch_fail_and_exit },
	{ "batch: sizes at -j1 and -j3", test_batch_sizes },
	{ "batch: 200 files, -j1 -j3 in-process identical", test_batch_deterministic },
	{ "batch: descriptor budget", test_batch_fd_budget },
	{ NULL, NULL },
};

void register_suite_scan(void)
{
	th_add_suite("scan", tests);
}
