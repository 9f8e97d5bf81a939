/*
 * scan.h — `iotb scan`: the one file walker and dispatcher (DESIGN.md).
 *
 * Walks each PATH (files and directories, never following a symlink out of
 * a scanned root: symlinks met inside a walk are not followed, a PATH named
 * on the command line is), classifies each regular file by content (ELF
 * magic, image magics, C source by extension, compile database by name),
 * and hands it to its engine inside a worker process (fork) under
 * RLIMIT_AS and a wall-clock kill.  Results come back as JSON through a
 * temporary file and are merged into one result set.  -j N runs up to N
 * workers at once; output order does not depend on N (iotb_results_finish
 * sorts).
 */
#ifndef IOTB_SCAN_H
#define IOTB_SCAN_H

#include "catalogue.h"
#include "config.h"
#include "finding.h"

struct iotb_scan_options {
	const char *const *paths;  /* NULL-terminated */
	unsigned jobs;             /* ≥ 1 */
	unsigned timeout_s;        /* per input wall clock; 0 = default 300 */
	unsigned memory_mb;        /* per worker RLIMIT_AS; 0 = default 4096 */
	int no_fork;               /* analyse in-process (debugging, fuzzing) */
};

/*
 * Scan opt->paths into res.  Inputs that fail are findings; returns -1
 * only when a named PATH cannot be opened (usage-level error, exit 2), with
 * "cannot open 'PATH': …" (several joined with "; ") — the rest of the
 * paths are still scanned.
 *
 * Inside a walk: symlinks are counted as skipped kind "symlink", device
 * files, FIFOs and sockets as "special" (never opened), C/C++ headers and
 * kinds iotb does not analyse by their kind; other kinds without an engine
 * in this build, and any named PATH no engine handles, get a
 * scan.not-analysed finding.  Config excludes (matched against the path as
 * walked, e.g. "dir/sub/file.c"; a leading "./" of PATH is dropped) apply
 * to named PATHs too, prune directories, and excluded files are not
 * counted in res->files_seen.  Every input handed to an engine gets one
 * artifact (its engine set only when the engine analysed it).  Limits: opt,
 * else cfg->limits, else 300 s / 4096 MiB (no RLIMIT_AS under
 * IOTB_SANITIZE).  Directories nested deeper than 256 levels are reported,
 * not walked.
 */
int iotb_scan_run(const struct iotb_scan_options *opt,
                  const struct iotb_catalogue *cat,
                  const struct iotb_config *cfg, struct iotb_results *res);

/* Kind of a file from its name and first bytes: "elf", "c-source",
 * "c-header", "cxx-source", "cxx-header", "compile-db", "image:uimage",
 * "image:fit", "image:trx", "squashfs", "archive", …, or "other".  Content
 * magic wins over the name.  Borrowed string. */
const char *iotb_classify(const char *name, const unsigned char *head, size_t len);

struct iotb_engine;
/*
 * TEST ONLY (tests/test_scan.c): while e is set, every input whose kind is
 * in e->kinds goes to e instead of the engine table's engine, so tests can
 * exercise time limits, crashes, memory limits and failures with a fake
 * engine.  NULL restores normal dispatch.  e is borrowed.
 */
void iotb_scan_set_test_engine(const struct iotb_engine *e);

#endif
