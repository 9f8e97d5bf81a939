/*
 * scan.c — `iotb scan`: the one file walker and dispatcher (DESIGN.md
 * "Errors and exit codes", "Scanning untrusted input").
 *
 * Walk: each PATH named on the command line is stat'ed (following a
 * symlink: the user named it); directories are read with openat/fstatat
 * (AT_SYMLINK_NOFOLLOW) in sorted name order, so symlinks met inside a walk
 * are never followed (counted as skipped kind "symlink") and device files,
 * FIFOs and sockets are never opened (kind "special").  Config excludes are
 * matched against the path as walked and prune directories.  A regular
 * file is opened O_NOFOLLOW|O_NONBLOCK, re-checked with fstat, and only its
 * first 512 bytes are read to classify it.
 *
 * Dispatch: an input whose kind has an engine is analysed in a worker
 * process (fork, up to -j at once) under RLIMIT_AS and a wall-clock
 * SIGKILL; the worker writes its result set as JSON into a private mkdtemp
 * directory and the parent merges it.  Every way a worker can fail (time
 * limit, memory limit, crash, engine error) becomes a scan.not-analysed
 * finding at the input, and the scan goes on.  A worker's exit is noticed
 * through a pipe whose only write end the worker holds (EOF on exit), so
 * the parent never reaps processes that are not its workers.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "scan.h"
#include "suppress.h"

#define HEAD_BYTES 512
#define DEFAULT_TIMEOUT_S 300
#define DEFAULT_MEMORY_MB 4096
/* Deeper directory nesting is reported, not walked (one fd per level). */
#define MAX_DEPTH 256
/* Source text scanned for inline suppressions, at most. */
#define MAX_SOURCE_BYTES (64u << 20)
/* Poll interval once a worker's pipe closed but it is not reapable yet. */
#define REAP_POLL_US 100

/* Worker exit codes (anything else, or a signal, is a failure). */
enum {
	WORKER_OK = 0,
	WORKER_ENGINE_FAILED = 10,   /* result written, with scan.not-analysed */
	WORKER_NO_RESULT = 11,       /* the result could not be written */
};

static const struct iotb_engine *test_engine;

/* One input handed to an engine. */
struct input {
	const char *path;
	const char *kind;
	int fd;
	unsigned long long size;
	unsigned char head[HEAD_BYTES];
	size_t headlen;
	int named;
};

/* A running worker. */
struct worker {
	pid_t pid;
	int pipe_fd;            /* read end; -1 once the worker closed it */
	long long deadline_ms;  /* CLOCK_MONOTONIC */
	char *path;
	char *kind;
	char *result_file;
	const struct iotb_engine *engine;
};

struct scan_state {
	const struct iotb_scan_options *opt;
	const struct iotb_catalogue *cat;
	const struct iotb_config *cfg;
	struct iotb_results *res;
	unsigned jobs, timeout_s, memory_mb;
	char *tmpdir;               /* per-scan mkdtemp directory, lazily */
	unsigned long nresults;     /* result files named so far */
	struct worker *workers;     /* jobs slots, nworkers in use */
	struct pollfd *pollfds;     /* jobs slots, scratch for poll() */
	unsigned nworkers;
	char *open_error;           /* "cannot open" messages of named PATHs */
	struct file_id *seen;       /* open-addressing set of scanned files */
	size_t nseen, aseen;
};

/* Identity of a scanned file: overlapping PATHs and hard links (common in
 * root file systems: busybox applets) are analysed once. */
struct file_id {
	dev_t dev;
	ino_t ino;
	bool used;
};

static size_t file_id_slot(const struct file_id *set, size_t alloc, dev_t dev, ino_t ino)
{
	size_t i = (size_t)((ino * 0x9e3779b97f4a7c15ULL) ^ dev) & (alloc - 1);

	while (set[i].used && (set[i].dev != dev || set[i].ino != ino))
		i = (i + 1) & (alloc - 1);
	return i;
}

/* Add (dev, ino) to the set; false when it was already there. */
static bool mark_seen(struct scan_state *st, dev_t dev, ino_t ino)
{
	size_t i;

	if (2 * (st->nseen + 1) > st->aseen) {
		struct file_id *old = st->seen;
		size_t oldn = st->aseen, j;

		st->aseen = st->aseen ? 2 * st->aseen : 256;
		st->seen = iotb_xcalloc(st->aseen, sizeof(*st->seen));
		for (j = 0; j < oldn; j++)
			if (old[j].used)
				st->seen[file_id_slot(st->seen, st->aseen, old[j].dev,
						      old[j].ino)] = old[j];
		free(old);
	}
	i = file_id_slot(st->seen, st->aseen, dev, ino);
	if (st->seen[i].used)
		return false;
	st->seen[i] = (struct file_id){ dev, ino, true };
	st->nseen++;
	return true;
}

void iotb_scan_set_test_engine(const struct iotb_engine *e)
{
	test_engine = e;
}

/* --- small helpers ------------------------------------------------------ */

static bool is_listed(const char *const *list, const char *s)
{
	for (; list && *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

static const struct iotb_engine *engine_for(const char *kind)
{
	if (test_engine && is_listed(test_engine->kinds, kind))
		return test_engine;
	return iotb_engine_for_kind(kind);
}

static bool is_source_kind(const char *kind)
{
	static const char *const kinds[] = {
		"c-source", "c-header", "cxx-source", "cxx-header", NULL,
	};
	return is_listed(kinds, kind);
}

static bool is_header_kind(const char *kind)
{
	return strcmp(kind, "c-header") == 0 || strcmp(kind, "cxx-header") == 0;
}

/* Kinds iotb means to analyse (an engine exists or is planned). */
static bool is_analysable_kind(const char *kind)
{
	static const char *const kinds[] = {
		"elf", "c-source", "c-header", "cxx-source", "cxx-header",
		"compile-db", "squashfs", NULL,
	};
	return is_listed(kinds, kind) || strncmp(kind, "image:", 6) == 0;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Append a scan.not-analysed finding at path (nothing when the rule is off). */
static void IOTB_PRINTF(4, 5)
not_analysed(struct iotb_results *res, const struct scan_state *st,
             const char *path, const char *fmt, ...)
{
	struct iotb_engine_ctx ctx = { st->cat, st->cfg, res, NULL };
	struct iotb_rule_ctx rc = iotb_rule_ctx_get(&ctx, "scan.not-analysed");
	struct iotb_strbuf msg;
	va_list ap;

	iotb_strbuf_init(&msg);
	va_start(ap, fmt);
	iotb_strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	iotb_emit(&rc, path, 0, 0, "%s", msg.buf);
	iotb_strbuf_release(&msg);
}

/* A named PATH that cannot be opened: remembered for the -1 at the end. */
static void record_open_error(struct scan_state *st, const char *arg, int err)
{
	char *msg = iotb_xasprintf("cannot open '%s': %s", arg, strerror(err));

	/* Also a finding, so every report says which named PATH is missing. */
	not_analysed(st->res, st, arg, "%s", msg);

	if (!st->open_error) {
		st->open_error = msg;
	} else {
		char *both = iotb_xasprintf("%s; %s", st->open_error, msg);

		free(st->open_error);
		free(msg);
		st->open_error = both;
	}
}

static bool is_excluded(const struct scan_state *st, const char *path)
{
	return st->cfg && iotb_config_excludes(st->cfg, path);
}

/* "dir" + "name" as the walker names it; dir "" is the current directory. */
static char *child_path(const char *dir, const char *name)
{
	size_t n = strlen(dir);

	if (n == 0)
		return iotb_xstrdup(name);
	if (dir[n - 1] == '/')
		return iotb_xasprintf("%s%s", dir, name);
	return iotb_xasprintf("%s/%s", dir, name);
}

/* A PATH argument without leading "./" and trailing slashes ("." → ""). */
static char *normalise_arg(const char *arg)
{
	char *p;
	size_t n;

	while (arg[0] == '.' && arg[1] == '/') {
		arg += 2;
		while (*arg == '/')
			arg++;
	}
	p = iotb_xstrdup(strcmp(arg, ".") == 0 ? "" : arg);
	n = strlen(p);
	while (n > 1 && p[n - 1] == '/')
		p[--n] = '\0';
	return p;
}

static ssize_t read_at_most(int fd, void *buf, size_t len, off_t offset)
{
	size_t got = 0;

	while (got < len) {
		ssize_t r = pread(fd, (char *)buf + got, len - got, offset + (off_t)got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/* --- worker side -------------------------------------------------------- */

/* Did anything call iotb_fail() since iotb_clear_error()?  (util.c reports
 * an empty message as "unknown error".) */
static bool has_error_message(void)
{
	const char *msg = iotb_last_error();

	return msg && *msg && strcmp(msg, "unknown error") != 0;
}

static void scan_suppressions(struct iotb_results *res, const struct input *in)
{
	size_t len = in->size < MAX_SOURCE_BYTES ? (size_t)in->size : MAX_SOURCE_BYTES;
	char *text = iotb_xmalloc(len + 1);
	ssize_t got = read_at_most(in->fd, text, len, 0);

	if (got >= 0) {
		text[got] = '\0';
		iotb_suppress_scan_text(res, in->path, text, (size_t)got);
	}
	free(text);
}

/*
 * Run engine on one input into res (a fresh result set): its artifact (the
 * engine named only when it analysed the input), its findings, and for
 * source kinds the inline suppression markers.  0, or -1 when the engine
 * could not analyse the input (then res holds the scan.not-analysed).
 */
static int analyse_input(const struct scan_state *st, const struct iotb_engine *engine,
                         const struct input *in, struct iotb_results *res)
{
	struct iotb_input inp = {
		in->path, in->kind, in->fd, in->size, in->head, in->headlen, in->named,
	};
	struct iotb_engine_ctx ctx = { st->cat, st->cfg, res, NULL };
	size_t self;

	ctx.artifact = iotb_results_add_artifact(res, in->path, in->kind);
	self = (size_t)(ctx.artifact - res->artifacts);
	lseek(in->fd, 0, SEEK_SET);
	iotb_clear_error();
	errno = 0;
	if (engine->analyse(&inp, &ctx) < 0) {
		if (has_error_message() && errno == ENOMEM && !st->opt->no_fork)
			not_analysed(res, st, in->path, "%s (the worker's memory limit is %u MiB: "
				     "raise it with --max-memory)", iotb_last_error(), st->memory_mb);
		else if (has_error_message())
			not_analysed(res, st, in->path, "%s", iotb_last_error());
		else
			not_analysed(res, st, in->path,
				     "engine '%s' failed without a message", engine->name);
		return -1;
	}
	/* By index: the engine may have added artifacts (realloc). */
	res->artifacts[self].engine = iotb_xstrdup(engine->name);
	if (is_source_kind(in->kind))
		scan_suppressions(res, in);
	return 0;
}

static void limit_memory(unsigned memory_mb)
{
#ifndef IOTB_SANITIZE
	struct rlimit rl;

	rl.rlim_cur = rl.rlim_max = (rlim_t)memory_mb << 20;
	setrlimit(RLIMIT_AS, &rl);
#else
	(void)memory_mb;   /* ASan reserves terabytes of virtual memory */
#endif
}

static int write_result(const struct iotb_results *res, const char *file)
{
	json_t *root = iotb_results_to_json(res);
	int rc = root ? json_dump_file(root, file, JSON_COMPACT) : -1;

	json_decref(root);
	return rc;
}

/* The child: analyse, write the result, _exit (never returns). */
static void run_worker(const struct scan_state *st, const struct iotb_engine *engine,
                       const struct input *in, const char *result_file,
                       pid_t parent)
{
	struct iotb_results res;
	int code;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(WORKER_NO_RESULT);
	for (unsigned i = 0; i < st->nworkers; i++)
		close(st->workers[i].pipe_fd);
	limit_memory(st->memory_mb);
	iotb_results_init(&res);
	code = analyse_input(st, engine, in, &res) < 0 ? WORKER_ENGINE_FAILED : WORKER_OK;
	if (write_result(&res, result_file) < 0)
		code = WORKER_NO_RESULT;
	_exit(code);
}

/* --- parent side: workers ----------------------------------------------- */

static int ensure_tmpdir(struct scan_state *st)
{
	const char *base = getenv("TMPDIR");
	char *templ;

	if (st->tmpdir)
		return 0;
	if (!base || !*base)
		base = "/tmp";
	templ = iotb_xasprintf("%s/iotb-scan-XXXXXX", base);
	if (!mkdtemp(templ)) {
		int err = errno;

		free(templ);
		return iotb_fail("cannot create a temporary directory in '%s': %s",
				 base, strerror(err));
	}
	st->tmpdir = templ;
	return 0;
}

/* Merge the worker's result file; false (and a finding) when unreadable. */
static bool absorb_result(struct scan_state *st, struct worker *w)
{
	struct iotb_results part;
	json_error_t jerr;
	json_t *root = json_load_file(w->result_file, 0, &jerr);
	bool ok = false;

	iotb_results_init(&part);
	if (!root) {
		not_analysed(st->res, st, w->path,
			     "cannot read the worker's result: %s", jerr.text);
	} else if (iotb_results_from_json(&part, root, st->cat) < 0) {
		not_analysed(st->res, st, w->path,
			     "cannot read the worker's result: %s", iotb_last_error());
	} else {
		iotb_results_absorb(st->res, &part);
		ok = true;
	}
	json_decref(root);
	iotb_results_release(&part);
	return ok;
}

/* Turn a worker's end (status from waitpid) into results. */
static void on_worker_exit(struct scan_state *st, struct worker *w, int status,
                           bool timed_out)
{
	bool absorbed = false;

	if (timed_out) {
		not_analysed(st->res, st, w->path, "time limit of %u s exceeded",
			     st->timeout_s);
	} else if (WIFSIGNALED(status) && (WTERMSIG(status) == SIGABRT ||
					   WTERMSIG(status) == SIGKILL)) {
		not_analysed(st->res, st, w->path,
			     "memory limit of %u MiB exceeded or engine crashed (signal %d)",
			     st->memory_mb, WTERMSIG(status));
	} else if (WIFSIGNALED(status)) {
		not_analysed(st->res, st, w->path, "engine crashed (signal %d)",
			     WTERMSIG(status));
	} else if (WIFEXITED(status) && (WEXITSTATUS(status) == WORKER_OK ||
					 WEXITSTATUS(status) == WORKER_ENGINE_FAILED)) {
		absorbed = absorb_result(st, w);
		if (absorbed && WEXITSTATUS(status) == WORKER_OK &&
		    !iotb_strvec_contains(&st->res->engines_ran, w->engine->name))
			iotb_strvec_push(&st->res->engines_ran, w->engine->name);
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == WORKER_NO_RESULT) {
		not_analysed(st->res, st, w->path,
			     "worker could not write its result (memory limit of %u MiB?)",
			     st->memory_mb);
	} else {
		not_analysed(st->res, st, w->path,
			     "engine exited unexpectedly (status %d)",
			     WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	}
	if (!absorbed)
		iotb_results_add_artifact(st->res, w->path, w->kind);
	unlink(w->result_file);
}

static void worker_release(struct worker *w)
{
	if (w->pipe_fd >= 0)
		close(w->pipe_fd);
	free(w->path);
	free(w->kind);
	free(w->result_file);
}

static void remove_worker(struct scan_state *st, unsigned i)
{
	worker_release(&st->workers[i]);
	st->workers[i] = st->workers[--st->nworkers];
}

/* Reap worker i if it ended or ran past its deadline; true when it is gone. */
static bool try_reap(struct scan_state *st, unsigned i, long long now)
{
	struct worker *w = &st->workers[i];
	int status = 0;
	pid_t r;

	do
		r = waitpid(w->pid, &status, WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r == w->pid) {
		on_worker_exit(st, w, status, false);
	} else if (r < 0) {
		/* Someone else reaped it (SIGCHLD ignored?): no result. */
		not_analysed(st->res, st, w->path, "worker lost: %s", strerror(errno));
		iotb_results_add_artifact(st->res, w->path, w->kind);
	} else if (now >= w->deadline_ms) {
		kill(w->pid, SIGKILL);
		while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
			;
		on_worker_exit(st, w, status, true);
	} else {
		return false;
	}
	remove_worker(st, i);
	return true;
}

/*
 * poll() the workers' pipes for at most timeout_ms; when a worker has
 * closed its pipe (it is exiting) but is not reapable yet, wait only
 * REAP_POLL_US so it is reaped as soon as it is a zombie.
 */
static int wait_on_pipes(struct pollfd *fds, unsigned n, long long timeout_ms, bool closed)
{
	struct timespec ts;

	if (closed && timeout_ms * 1000 > REAP_POLL_US)
		ts = (struct timespec){ 0, REAP_POLL_US * 1000L };
	else if (timeout_ms > INT_MAX)
		ts = (struct timespec){ INT_MAX / 1000, 0 };
	else
		ts = (struct timespec){ timeout_ms / 1000, (timeout_ms % 1000) * 1000000L };
	return ppoll(fds, n, &ts, NULL);
}

/* Wait until at least one worker has ended (or been killed). */
static void wait_for_worker(struct scan_state *st)
{
	struct pollfd *fds = st->pollfds;

	while (st->nworkers > 0) {
		long long now = now_ms(), timeout = LLONG_MAX;
		bool reaped = false, closed = false;
		unsigned i, n = 0;

		for (i = 0; i < st->nworkers;)
			if (try_reap(st, i, now))
				reaped = true;
			else
				i++;
		if (reaped)
			return;
		for (i = 0; i < st->nworkers; i++) {
			struct worker *w = &st->workers[i];
			long long left = w->deadline_ms - now;

			if (left < timeout)
				timeout = left;
			if (w->pipe_fd < 0) {
				closed = true;
				continue;
			}
			fds[n].fd = w->pipe_fd;
			fds[n].events = POLLIN;
			fds[n].revents = 0;
			n++;
		}
		if (timeout < 0)
			timeout = 0;
		if (wait_on_pipes(fds, n, timeout, closed) <= 0)
			continue;
		for (i = 0; i < n; i++)
			if (fds[i].revents)
				for (unsigned j = 0; j < st->nworkers; j++)
					if (st->workers[j].pipe_fd == fds[i].fd) {
						close(fds[i].fd);
						st->workers[j].pipe_fd = -1;
					}
	}
}

static void start_worker(struct scan_state *st, const struct iotb_engine *engine,
                         const struct input *in)
{
	struct worker *w;
	pid_t parent = getpid();
	int pfd[2];
	char *result_file;
	pid_t pid;

	while (st->nworkers >= st->jobs)
		wait_for_worker(st);
	if (ensure_tmpdir(st) < 0) {
		not_analysed(st->res, st, in->path, "%s", iotb_last_error());
		return;
	}
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		not_analysed(st->res, st, in->path, "cannot start a worker: %s",
			     strerror(errno));
		return;
	}
	result_file = iotb_xasprintf("%s/r%lu.json", st->tmpdir, st->nresults++);
	for (;;) {
		fflush(NULL);
		pid = fork();
		if (pid >= 0 || errno != EAGAIN || st->nworkers == 0)
			break;
		wait_for_worker(st);   /* out of processes: let one finish */
	}
	if (pid == 0) {
		close(pfd[0]);
		run_worker(st, engine, in, result_file, parent);
	}
	close(pfd[1]);
	if (pid < 0) {
		not_analysed(st->res, st, in->path, "cannot start a worker: %s",
			     strerror(errno));
		close(pfd[0]);
		free(result_file);
		return;
	}
	w = &st->workers[st->nworkers++];
	w->pid = pid;
	w->pipe_fd = pfd[0];
	w->deadline_ms = now_ms() + (long long)st->timeout_s * 1000;
	w->path = iotb_xstrdup(in->path);
	w->kind = iotb_xstrdup(in->kind);
	w->result_file = result_file;
	w->engine = engine;
}

static void analyse_in_process(struct scan_state *st, const struct iotb_engine *engine,
                               const struct input *in)
{
	struct iotb_results part;

	iotb_results_init(&part);
	if (analyse_input(st, engine, in, &part) == 0 &&
	    !iotb_strvec_contains(&st->res->engines_ran, engine->name))
		iotb_strvec_push(&st->res->engines_ran, engine->name);
	iotb_results_absorb(st->res, &part);
	iotb_results_release(&part);
}

/* --- parent side: files ------------------------------------------------- */

/* An input no engine in this build handles. */
static void on_unhandled(struct scan_state *st, const struct input *in)
{
	if (is_analysable_kind(in->kind) && (in->named || !is_header_kind(in->kind)))
		not_analysed(st->res, st, in->path,
			     "no engine for kind '%s' in this build", in->kind);
	else if (in->named)
		not_analysed(st->res, st, in->path,
			     "not a kind iotb analyses (kind '%s')", in->kind);
	else
		iotb_results_count_skipped(st->res, in->kind);
}

/* Classify the open regular file fd and hand it on; closes fd. */
static void scan_file(struct scan_state *st, int fd, const char *path, int named)
{
	struct input in;
	struct stat sb;
	ssize_t got;
	const struct iotb_engine *engine;

	memset(&in, 0, sizeof(in));
	in.path = path;
	in.fd = fd;
	in.named = named;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		/* Replaced between fstatat and open: never read it. */
		iotb_results_count_skipped(st->res, "special");
		goto out;
	}
	if (!mark_seen(st, sb.st_dev, sb.st_ino)) {
		iotb_results_count_skipped(st->res, "duplicate");
		goto out;
	}
	in.size = (unsigned long long)sb.st_size;
	got = read_at_most(fd, in.head, sizeof(in.head), 0);
	if (got < 0) {
		not_analysed(st->res, st, path, "cannot read '%s': %s", path,
			     strerror(errno));
		goto out;
	}
	in.headlen = (size_t)got;
	in.kind = iotb_classify(path, in.head, in.headlen);
	engine = engine_for(in.kind);
	if (!engine)
		on_unhandled(st, &in);
	else if (st->opt->no_fork)
		analyse_in_process(st, engine, &in);
	else
		start_worker(st, engine, &in);
out:
	close(fd);
}

static void walk_dir(struct scan_state *st, int dfd, const char *dpath, unsigned depth);

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of directory dfd, sorted by name.  0 or -1 (errno set). */
static int list_dir(int dfd, struct iotb_strvec *names)
{
	int fd = dup(dfd);
	struct dirent *de;
	DIR *d;

	if (fd < 0)
		return -1;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -1;
	}
	for (;;) {
		errno = 0;
		de = readdir(d);
		if (!de)
			break;
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			iotb_strvec_push(names, de->d_name);
	}
	if (errno) {
		int err = errno;

		closedir(d);
		errno = err;
		return -1;
	}
	closedir(d);
	qsort(names->v, names->n, sizeof(*names->v), compare_names);
	return 0;
}

static void enter_dir(struct scan_state *st, int dfd, const char *name,
                      const char *path, unsigned depth)
{
	int sub;

	if (depth > MAX_DEPTH) {
		not_analysed(st->res, st, path,
			     "directory nested deeper than %d levels", MAX_DEPTH);
		return;
	}
	sub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sub < 0) {
		not_analysed(st->res, st, path, "cannot open directory '%s': %s",
			     path, strerror(errno));
		return;
	}
	walk_dir(st, sub, path, depth);
	close(sub);
}

/* One directory entry met inside a walk: never follows a symlink. */
static void visit_entry(struct scan_state *st, int dfd, const char *name,
                        const char *path, unsigned depth)
{
	struct stat sb;
	int fd;

	if (is_excluded(st, path))
		return;
	if (fstatat(dfd, name, &sb, AT_SYMLINK_NOFOLLOW) < 0) {
		not_analysed(st->res, st, path, "cannot stat '%s': %s", path,
			     strerror(errno));
		return;
	}
	if (S_ISDIR(sb.st_mode)) {
		enter_dir(st, dfd, name, path, depth + 1);
		return;
	}
	st->res->files_seen++;
	if (S_ISLNK(sb.st_mode)) {
		iotb_results_count_skipped(st->res, "symlink");
		return;
	}
	if (!S_ISREG(sb.st_mode)) {
		iotb_results_count_skipped(st->res, "special");
		return;
	}
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		not_analysed(st->res, st, path, "cannot open '%s': %s", path,
			     strerror(errno));
		return;
	}
	scan_file(st, fd, path, 0);
}

static void walk_dir(struct scan_state *st, int dfd, const char *dpath, unsigned depth)
{
	struct iotb_strvec names;

	iotb_strvec_init(&names);
	if (list_dir(dfd, &names) < 0) {
		not_analysed(st->res, st, *dpath ? dpath : ".",
			     "cannot read directory '%s': %s", *dpath ? dpath : ".",
			     strerror(errno));
	}
	for (size_t i = 0; i < names.n; i++) {
		char *path = child_path(dpath, names.v[i]);

		visit_entry(st, dfd, names.v[i], path, depth);
		free(path);
	}
	iotb_strvec_release(&names);
}

/* One PATH from the command line (a symlink named here is followed). */
static void scan_named(struct scan_state *st, const char *arg)
{
	char *path = normalise_arg(arg);
	const char *shown = *path ? path : ".";
	struct stat sb;
	int fd;

	if (!*arg) {
		record_open_error(st, arg, ENOENT);
		goto out;
	}
	if (stat(shown, &sb) < 0) {
		record_open_error(st, arg, errno);
		goto out;
	}
	if (*path && is_excluded(st, path)) {
		fprintf(stderr, "iotb: note: '%s' is excluded by the config's exclude list\n",
			shown);
		goto out;
	}
	if (S_ISDIR(sb.st_mode)) {
		fd = open(shown, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0) {
			record_open_error(st, arg, errno);
			goto out;
		}
		walk_dir(st, fd, path, 0);
		close(fd);
		goto out;
	}
	st->res->files_seen++;
	if (!S_ISREG(sb.st_mode)) {
		not_analysed(st->res, st, shown, "not a regular file");
		goto out;
	}
	fd = open(shown, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		record_open_error(st, arg, errno);
		goto out;
	}
	scan_file(st, fd, shown, 1);
out:
	free(path);
}

static void remove_tmpdir(struct scan_state *st)
{
	if (st->tmpdir && rmdir(st->tmpdir) < 0 && errno == ENOTEMPTY) {
		DIR *d = opendir(st->tmpdir);
		struct dirent *de;

		while (d && (de = readdir(d)))
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
				unlinkat(dirfd(d), de->d_name, 0);
		if (d)
			closedir(d);
		rmdir(st->tmpdir);
	}
	free(st->tmpdir);
	st->tmpdir = NULL;
}

/* Workers must stay waitable: an inherited SIG_IGN for SIGCHLD (kept
 * across exec) would make the kernel reap them.  The old action is saved. */
static void reset_sigchld(struct sigaction *old)
{
	struct sigaction dfl;

	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGCHLD, NULL, old);
	if (old->sa_handler == SIG_IGN || (old->sa_flags & SA_NOCLDWAIT))
		sigaction(SIGCHLD, &dfl, NULL);
}

static unsigned pick_limit(unsigned from_opt, unsigned from_cfg, unsigned dflt)
{
	return from_opt ? from_opt : from_cfg ? from_cfg : dflt;
}

int iotb_scan_run(const struct iotb_scan_options *opt,
                  const struct iotb_catalogue *cat,
                  const struct iotb_config *cfg, struct iotb_results *res)
{
	struct scan_state st;
	struct sigaction old_chld;
	int rc = 0;

	memset(&st, 0, sizeof(st));
	reset_sigchld(&old_chld);
	st.opt = opt;
	st.cat = cat;
	st.cfg = cfg;
	st.res = res;
	st.jobs = opt->jobs ? opt->jobs : 1;
	st.timeout_s = pick_limit(opt->timeout_s, cfg ? cfg->timeout_s : 0,
				  DEFAULT_TIMEOUT_S);
	st.memory_mb = pick_limit(opt->memory_mb, cfg ? cfg->memory_mb : 0,
				  DEFAULT_MEMORY_MB);
	st.workers = iotb_xcalloc(st.jobs, sizeof(*st.workers));
	st.pollfds = iotb_xcalloc(st.jobs, sizeof(*st.pollfds));
	for (const char *const *p = opt->paths; p && *p; p++)
		scan_named(&st, *p);
	while (st.nworkers > 0)
		wait_for_worker(&st);
	remove_tmpdir(&st);
	sigaction(SIGCHLD, &old_chld, NULL);
	free(st.workers);
	free(st.pollfds);
	free(st.seen);
	if (st.open_error) {
		rc = iotb_fail("%s", st.open_error);
		free(st.open_error);
	}
	return rc;
}
