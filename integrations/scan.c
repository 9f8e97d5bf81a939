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
 * SIGKILL.  Inputs wait in a queue per engine (their fds open in the
 * parent) until a batch of up to the engine's `batch` inputs is full or
 * the walk ends; at the end, batches shrink to ceil(queued / jobs) so every
 * slot gets work.  A worker analyses its batch in order and, for each
 * input, first writes one byte to its pipe (the parent restarts that
 * worker's deadline: the time limit is per input), then appends the
 * input's result set as one line of JSON to its file in a private mkdtemp
 * directory; the parent merges the lines when the worker ends.  Every way
 * a worker can fail (time limit, memory limit, crash, engine error)
 * becomes a scan.not-analysed finding at the input it was at; the inputs
 * before it keep their results, the ones after it go back to the queue for
 * a new worker, and the scan goes on.  A worker's exit is noticed through
 * that pipe, whose only write end the worker holds (EOF on exit), so the
 * parent never reaps processes that are not its workers.  Queued and
 * in-flight inputs together hold at most half of RLIMIT_NOFILE fds.
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

#include "dbindex.h"
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
	WORKER_OK = 0,               /* every input's result written */
	WORKER_NO_RESULT = 11,       /* the current input's result could not be written */
};

/* How a worker ended, as the parent saw it. */
enum worker_end {
	END_EXITED,      /* reaped; the wait status says how */
	END_TIMED_OUT,   /* killed at its deadline */
	END_LOST,        /* reaped by someone else: no status */
};

static const struct iotb_engine *test_engine;

/* One input handed to an engine; owns path and fd. */
struct input {
	char *path;
	const char *kind;            /* iotb_classify()'s static string */
	int fd;
	unsigned long long size;
	unsigned char head[HEAD_BYTES];
	size_t headlen;
	int named;
};

/* Inputs of one engine waiting for a worker, in walk order. */
struct queue {
	const struct iotb_engine *engine;   /* NULL: slot unused */
	struct input *v;
	size_t n, alloc;
};

/* A running worker: analyses inputs[0..ninputs) in order. */
struct worker {
	pid_t pid;
	int pipe_fd;             /* read end; -1 once the worker closed it */
	long long deadline_ms;   /* CLOCK_MONOTONIC; restarts with each input */
	unsigned long batch_id;  /* result file r<batch_id>.jsonl */
	struct input *inputs;    /* owned; fds stay open for a re-queue */
	size_t ninputs;
	size_t started;          /* progress bytes read: inputs begun */
	const struct iotb_engine *engine;
};

struct scan_state {
	const struct iotb_scan_options *opt;
	const struct iotb_catalogue *cat;
	const struct iotb_config *cfg;
	struct iotb_results *res;
	unsigned jobs, timeout_s, memory_mb;
	char *tmpdir;               /* per-scan mkdtemp directory, lazily */
	unsigned long nbatches;     /* batches started so far */
	struct worker *workers;     /* jobs slots, nworkers in use */
	struct pollfd *pollfds;     /* jobs slots, scratch for poll() */
	unsigned nworkers;
	struct queue *queues;       /* one per engine, nqueues slots (never moved) */
	size_t nqueues;
	size_t nheld, hold_max;     /* inputs queued or at a worker, and the cap */
	unsigned batch_cap;         /* no batch larger than this (fd budget) */
	char *open_error;           /* "cannot open" messages of named PATHs */
	struct file_id *seen;       /* open-addressing set of scanned files */
	struct iotb_strvec db_files; /* C files the scan's compile databases list */
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
	va_list ap;

	va_start(ap, fmt);
	iotb_vemit(&rc, path, 0, 0, fmt, ap);
	va_end(ap);
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
/* Regex matches that hit PCRE2's limits during this input (counted as no
 * match) are said, so a limit never hides a finding silently. */
static void report_regex_limits(const struct scan_state *st, struct iotb_results *res,
				const char *path)
{
	char *what = NULL;
	unsigned long hits = iotb_regex_limit_take(&what);

	if (hits)
		not_analysed(res, st, path, "partly analysed: %lu regex match%s hit PCRE2's "
			     "match limit and counted as no match, first %s", hits,
			     hits == 1 ? "" : "es", what);
	free(what);
}

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
	report_regex_limits(st, res, in->path);
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

static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t r = write(fd, buf, len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		buf += r;
		len -= (size_t)r;
	}
	return 0;
}

/* Append res to fd as one line of compact JSON (its strings escape any
 * newline), written before the worker announces its next input. */
static int write_result(const struct iotb_results *res, int fd)
{
	json_t *root = iotb_results_to_json(res);
	char *text = root ? json_dumps(root, JSON_COMPACT) : NULL;
	int rc = -1;

	if (text) {
		size_t len = strlen(text);

		text[len] = '\n';   /* over the NUL: the length is known */
		rc = write_all(fd, text, len + 1);
	}
	free(text);
	json_decref(root);
	return rc;
}

/* Result file of batch id (in the scan's temp directory): one line per
 * input, in order (a file per batch, not per input: creating and removing
 * a file costs more than analysing a small ELF). */
static char *result_path(const struct scan_state *st, unsigned long id)
{
	return iotb_xasprintf("%s/r%lu.jsonl", st->tmpdir, id);
}

/* Tell the parent the worker begins its next input (one byte each). */
static bool report_progress(int fd)
{
	const char b = 1;
	ssize_t r;

	do
		r = write(fd, &b, 1);
	while (r < 0 && errno == EINTR);
	return r == 1;
}

/* The child: for each input of w in order, announce it, analyse it and
 * write its result; _exit (never returns). */
static void run_worker(const struct scan_state *st, const struct worker *w,
                       int progress_fd, pid_t parent)
{
	char *file;
	int out;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(WORKER_NO_RESULT);
	for (unsigned i = 0; i < st->nworkers; i++)
		close(st->workers[i].pipe_fd);
	limit_memory(st->memory_mb);
	file = result_path(st, w->batch_id);
	out = open(file, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
	free(file);
	if (out < 0)
		_exit(WORKER_NO_RESULT);
	for (size_t i = 0; i < w->ninputs; i++) {
		struct iotb_results res;
		bool written;

		if (!report_progress(progress_fd))
			_exit(WORKER_NO_RESULT);
		iotb_results_init(&res);
		if (analyse_input(st, w->engine, &w->inputs[i], &res) == 0)
			iotb_strvec_push(&res.engines_ran, w->engine->name);
		written = write_result(&res, out) == 0;
		iotb_results_release(&res);
		if (!written)
			_exit(WORKER_NO_RESULT);
	}
	_exit(WORKER_OK);
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

static void input_release(struct input *in)
{
	free(in->path);
	in->path = NULL;
	if (in->fd >= 0)
		close(in->fd);
	in->fd = -1;
}

/* Release n inputs the parent held (queued or at a worker). */
static void drop_inputs(struct scan_state *st, struct input *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		input_release(&v[i]);
	st->nheld -= n;
}

/* The queue of engine e (created on first use; the slots never move). */
static struct queue *queue_for(struct scan_state *st, const struct iotb_engine *e)
{
	size_t i;

	for (i = 0; i < st->nqueues && st->queues[i].engine; i++)
		if (st->queues[i].engine == e)
			return &st->queues[i];
	if (i == st->nqueues)
		abort();   /* cannot happen: a slot per table engine, one for the test engine */
	st->queues[i].engine = e;
	return &st->queues[i];
}

static void queue_reserve(struct queue *q, size_t n)
{
	if (n <= q->alloc)
		return;
	q->alloc = n > 2 * q->alloc ? n : 2 * q->alloc;
	q->v = iotb_xrealloc(q->v, q->alloc * sizeof(*q->v));
}

/* Put n inputs (moved in) back at the head of e's queue, in order. */
static void requeue(struct scan_state *st, const struct iotb_engine *e,
                    const struct input *v, size_t n)
{
	struct queue *q;

	if (n == 0)
		return;
	q = queue_for(st, e);
	queue_reserve(q, q->n + n);
	memmove(q->v + n, q->v, q->n * sizeof(*q->v));
	memcpy(q->v, v, n * sizeof(*v));
	q->n += n;
}

/* A worker's result file, read one input's line at a time. */
struct result_reader {
	FILE *f;          /* NULL when it could not be opened */
	int open_errno;
	char *line;
	size_t cap;
};

/* Merge the next result line (input in's); false (and a finding) when it
 * is missing or unreadable. */
static bool absorb_result(struct scan_state *st, struct result_reader *rd,
                          const struct input *in)
{
	struct iotb_results part;
	json_error_t jerr;
	json_t *root = NULL;
	ssize_t len = -1;
	bool ok = false;

	iotb_results_init(&part);
	if (rd->f)
		len = getline(&rd->line, &rd->cap, rd->f);
	if (!rd->f) {
		not_analysed(st->res, st, in->path, "cannot read the worker's result: %s",
			     strerror(rd->open_errno));
	} else if (len <= 0 || rd->line[len - 1] != '\n') {
		not_analysed(st->res, st, in->path,
			     "cannot read the worker's result: it ends before this input");
	} else if (!(root = json_loadb(rd->line, (size_t)len, 0, &jerr))) {
		not_analysed(st->res, st, in->path,
			     "cannot read the worker's result: %s", jerr.text);
	} else if (iotb_results_from_json(&part, root, st->cat) < 0) {
		not_analysed(st->res, st, in->path,
			     "cannot read the worker's result: %s", iotb_last_error());
	} else {
		iotb_results_absorb(st->res, &part);
		ok = true;
	}
	json_decref(root);
	iotb_results_release(&part);
	return ok;
}

/* Merge the next result line, or give input in a bare artifact. */
static void absorb_input(struct scan_state *st, struct result_reader *rd,
                         const struct input *in)
{
	if (!absorb_result(st, rd, in))
		iotb_results_add_artifact(st->res, in->path, in->kind);
}

/* The input w was at: the last one it announced (the first if none). */
static size_t current_input(const struct worker *w)
{
	size_t k = w->started ? w->started - 1 : 0;

	return k < w->ninputs ? k : w->ninputs - 1;
}

/* Why the worker stopped at input in (status from waitpid): a finding,
 * or its result when it ended normally.  True when the result was merged. */
static bool on_stopped_input(struct scan_state *st, const struct worker *w, size_t k,
                             struct result_reader *rd, int status,
                             enum worker_end end, int err)
{
	const char *path = w->inputs[k].path;

	if (end == END_LOST) {
		not_analysed(st->res, st, path, "worker lost: %s", strerror(err));
	} else if (end == END_TIMED_OUT) {
		not_analysed(st->res, st, path, "time limit of %u s exceeded",
			     st->timeout_s);
	} else if (WIFSIGNALED(status) && (WTERMSIG(status) == SIGABRT ||
					   WTERMSIG(status) == SIGKILL)) {
		not_analysed(st->res, st, path,
			     "memory limit of %u MiB exceeded or engine crashed (signal %d)",
			     st->memory_mb, WTERMSIG(status));
	} else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS) {
		not_analysed(st->res, st, path, "the file shrank while it was being read "
			     "(SIGBUS): scan it again when it no longer changes");
	} else if (WIFSIGNALED(status)) {
		not_analysed(st->res, st, path, "engine crashed (signal %d)",
			     WTERMSIG(status));
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == WORKER_OK) {
		return absorb_result(st, rd, &w->inputs[k]);
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == WORKER_NO_RESULT) {
		not_analysed(st->res, st, path,
			     "worker could not write its result (memory limit of %u MiB?)",
			     st->memory_mb);
	} else {
		not_analysed(st->res, st, path,
			     "engine exited unexpectedly (status %d)",
			     WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	}
	return false;
}

/*
 * Turn a worker's end into results.  Input k is the one it stopped at:
 * the inputs before it were finished (merged), k gets the outcome, and the
 * inputs after it go back to the queue for a new worker.
 */
static void on_worker_exit(struct scan_state *st, struct worker *w, size_t k,
                           int status, enum worker_end end, int err)
{
	char *file = result_path(st, w->batch_id);
	struct result_reader rd = { NULL, 0, NULL, 0 };

	rd.f = fopen(file, "re");
	rd.open_errno = errno;

	for (size_t i = 0; i < k; i++)
		absorb_input(st, &rd, &w->inputs[i]);
	if (!on_stopped_input(st, w, k, &rd, status, end, err))
		iotb_results_add_artifact(st->res, w->inputs[k].path, w->inputs[k].kind);
	if (rd.f)
		fclose(rd.f);
	free(rd.line);
	unlink(file);
	free(file);
	requeue(st, w->engine, w->inputs + k + 1, w->ninputs - k - 1);   /* still held */
	drop_inputs(st, w->inputs, k + 1);
	free(w->inputs);
	w->inputs = NULL;
	w->ninputs = 0;
}

static void worker_release(struct worker *w)
{
	if (w->pipe_fd >= 0)
		close(w->pipe_fd);
	free(w->inputs);
}

static void remove_worker(struct scan_state *st, unsigned i)
{
	worker_release(&st->workers[i]);
	st->workers[i] = st->workers[--st->nworkers];
}

/* Read the progress bytes w has sent; each news restarts its deadline
 * (the limit is per input).  Closes the pipe at EOF. */
static void read_progress(struct scan_state *st, struct worker *w)
{
	char buf[256];
	bool news = false;

	while (w->pipe_fd >= 0) {
		ssize_t r = read(w->pipe_fd, buf, sizeof(buf));

		if (r > 0) {
			w->started += (size_t)r;
			news = true;
		} else if (r < 0 && errno == EINTR) {
			continue;
		} else if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			break;
		} else {
			close(w->pipe_fd);
			w->pipe_fd = -1;
		}
	}
	if (news)
		w->deadline_ms = now_ms() + (long long)st->timeout_s * 1000;
}

/* Reap worker i if it ended or ran past its deadline; true when it is gone. */
static bool try_reap(struct scan_state *st, unsigned i, long long now)
{
	struct worker *w = &st->workers[i];
	int status = 0;
	size_t k;
	pid_t r;

	do
		r = waitpid(w->pid, &status, WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r == w->pid) {
		read_progress(st, w);   /* all it wrote is in the pipe now */
		on_worker_exit(st, w, current_input(w), status, END_EXITED, 0);
	} else if (r < 0) {
		/* Someone else reaped it (SIGCHLD ignored?): no status. */
		int err = errno;

		read_progress(st, w);
		on_worker_exit(st, w, current_input(w), 0, END_LOST, err);
	} else {
		if (now >= w->deadline_ms)
			read_progress(st, w);   /* it may have just begun the next one */
		if (now < w->deadline_ms)
			return false;
		k = current_input(w);   /* the input that ran out of time */
		kill(w->pid, SIGKILL);
		while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
			;
		on_worker_exit(st, w, k, status, END_TIMED_OUT, 0);
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

/* Wait until at least one worker has ended (or been killed); reading
 * progress on the way. */
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
					if (st->workers[j].pipe_fd == fds[i].fd)
						read_progress(st, &st->workers[j]);
	}
}

/* Inputs that never reached a worker: each gets the finding (no artifact). */
static void IOTB_PRINTF(4, 5)
fail_batch(struct scan_state *st, struct input *v, size_t n, const char *fmt, ...)
{
	struct iotb_strbuf msg;
	va_list ap;

	iotb_strbuf_init(&msg);
	va_start(ap, fmt);
	iotb_strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < n; i++)
		not_analysed(st->res, st, v[i].path, "%s", msg.buf);
	iotb_strbuf_release(&msg);
	drop_inputs(st, v, n);
	free(v);
}

/* Start a worker of engine on v[0..n) (moved in, heap); waits for a free
 * slot first. */
static void start_worker(struct scan_state *st, const struct iotb_engine *engine,
                         struct input *v, size_t n)
{
	struct worker w = { .pipe_fd = -1, .inputs = v, .ninputs = n, .engine = engine };
	pid_t parent = getpid();
	int pfd[2];
	pid_t pid;

	while (st->nworkers >= st->jobs)
		wait_for_worker(st);
	if (ensure_tmpdir(st) < 0) {
		fail_batch(st, v, n, "%s", iotb_last_error());
		return;
	}
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		fail_batch(st, v, n, "cannot start a worker: %s", strerror(errno));
		return;
	}
	/* The parent never blocks on a pipe; the worker's end stays blocking. */
	fcntl(pfd[0], F_SETFL, O_NONBLOCK);
	w.batch_id = st->nbatches++;
	for (;;) {
		fflush(NULL);
		pid = fork();
		if (pid >= 0 || errno != EAGAIN || st->nworkers == 0)
			break;
		wait_for_worker(st);   /* out of processes: let one finish */
	}
	if (pid == 0) {
		close(pfd[0]);
		run_worker(st, &w, pfd[1], parent);
	}
	close(pfd[1]);
	if (pid < 0) {
		int err = errno;

		close(pfd[0]);
		fail_batch(st, v, n, "cannot start a worker: %s", strerror(err));
		return;
	}
	w.pid = pid;
	w.pipe_fd = pfd[0];
	w.deadline_ms = now_ms() + (long long)st->timeout_s * 1000;
	st->workers[st->nworkers++] = w;
}

/* The largest batch of engine e's inputs one worker takes. */
static size_t batch_size(const struct scan_state *st, const struct iotb_engine *e)
{
	size_t b = e->batch > 1 ? e->batch : 1;

	return b < st->batch_cap ? b : st->batch_cap;
}

/* Start a worker on the first n inputs of q. */
static void start_batch(struct scan_state *st, struct queue *q, size_t n)
{
	struct input *v = iotb_xmalloc(n * sizeof(*v));

	memcpy(v, q->v, n * sizeof(*v));
	q->n -= n;
	memmove(q->v, q->v + n, q->n * sizeof(*q->v));
	start_worker(st, q->engine, v, n);
}

/* The queue holding the most inputs, or NULL when all are empty. */
static struct queue *longest_queue(struct scan_state *st)
{
	struct queue *best = NULL;

	for (size_t i = 0; i < st->nqueues; i++)
		if (st->queues[i].n > 0 && (!best || st->queues[i].n > best->n))
			best = &st->queues[i];
	return best;
}

/* Below the cap of held inputs (fds): start partial batches, then wait. */
static void make_room(struct scan_state *st)
{
	while (st->nheld >= st->hold_max) {
		struct queue *q = longest_queue(st);

		if (q) {
			size_t b = batch_size(st, q->engine);

			start_batch(st, q, q->n < b ? q->n : b);
		} else if (st->nworkers > 0) {
			wait_for_worker(st);
		} else {
			break;
		}
	}
}

/* Queue in (moved in) for engine; a full batch starts a worker. */
static void enqueue(struct scan_state *st, const struct iotb_engine *engine,
                    const struct input *in)
{
	struct queue *q;
	size_t b;

	make_room(st);
	q = queue_for(st, engine);
	b = batch_size(st, engine);
	queue_reserve(q, q->n + 1);
	q->v[q->n++] = *in;
	st->nheld++;
	while (q->n >= b)
		start_batch(st, q, b);
}

/*
 * The walk has ended: run what is queued, in batches of ceil(queued /
 * jobs) (at most the engine's batch) so that every slot gets work and the
 * last batches are short, and wait for every worker, re-queued inputs
 * included.
 */
static void finish_queues(struct scan_state *st)
{
	for (;;) {
		struct queue *q = longest_queue(st);

		if (q) {
			size_t n = (q->n + st->jobs - 1) / st->jobs, b = batch_size(st, q->engine);

			start_batch(st, q, n < b ? n : b);
		} else if (st->nworkers > 0) {
			wait_for_worker(st);
		} else {
			break;
		}
	}
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

/* Classify the open regular file fd and hand it on (fd moved in). */
static void scan_file(struct scan_state *st, int fd, const char *path, int named)
{
	struct input in;
	struct stat sb;
	ssize_t got;
	const struct iotb_engine *engine;

	memset(&in, 0, sizeof(in));
	in.path = iotb_xstrdup(path);
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
	if (!named && !strcmp(in.kind, "c-source") && iotb_dbindex_has(&st->db_files, path)) {
		/* analysed through the compile database, with its flags */
		iotb_results_count_skipped(st->res, "in-compile-database");
		goto out;
	}
	engine = engine_for(in.kind);
	if (!engine) {
		on_unhandled(st, &in);
	} else if (st->opt->no_fork) {
		analyse_in_process(st, engine, &in);
	} else {
		enqueue(st, engine, &in);
		return;
	}
out:
	input_release(&in);
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
	if (names->n > 1)
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
/* Version-control metadata (.git, .svn, .hg) holds no firmware to scan. */
static bool is_vcs_dir(const char *name)
{
	return !strcmp(name, ".git") || !strcmp(name, ".svn") || !strcmp(name, ".hg");
}

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
	if (S_ISDIR(sb.st_mode) && is_vcs_dir(name)) {
		iotb_results_count_skipped(st->res, "vcs-metadata");
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

/*
 * Queues (one per engine) and the descriptor budget: inputs queued or at
 * a worker hold an open fd each, at most half of RLIMIT_NOFILE and no
 * more than jobs + 1 batches of the largest engine batch; one batch is at
 * most a (jobs + 1)-th of that, so every slot can get a full one.
 */
static void plan_batches(struct scan_state *st)
{
	size_t nengines = 0, max_batch = 1, cap;
	struct rlimit rl;

	for (; iotb_engines[nengines]; nengines++)
		if (iotb_engines[nengines]->batch > max_batch)
			max_batch = iotb_engines[nengines]->batch;
	if (test_engine && test_engine->batch > max_batch)
		max_batch = test_engine->batch;
	st->nqueues = nengines + 1;
	st->queues = iotb_xcalloc(st->nqueues, sizeof(*st->queues));
	st->hold_max = (st->jobs + 1) * max_batch;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur / 2 < st->hold_max)
		st->hold_max = rl.rlim_cur / 2;
	if (st->hold_max < 1)
		st->hold_max = 1;
	cap = st->hold_max / (st->jobs + 1);
	st->batch_cap = cap > 1 ? (unsigned)cap : 1;
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
	plan_batches(&st);
	iotb_strvec_init(&st.db_files);
	if (engine_for("compile-db"))
		iotb_dbindex_collect(&st.db_files, opt->paths);
	for (const char *const *p = opt->paths; p && *p; p++)
		scan_named(&st, *p);
	finish_queues(&st);
	remove_tmpdir(&st);
	sigaction(SIGCHLD, &old_chld, NULL);
	for (size_t i = 0; i < st.nqueues; i++)
		free(st.queues[i].v);
	free(st.queues);
	free(st.workers);
	free(st.pollfds);
	free(st.seen);
	iotb_strvec_release(&st.db_files);
	if (st.open_error) {
		rc = iotb_fail("%s", st.open_error);
		free(st.open_error);
	}
	return rc;
}
