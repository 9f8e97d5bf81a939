/*
 * iotb_main.c — the `iotb` command: a table of subcommands (git style).
 *
 *   iotb scan [options] PATH...     scan sources, binaries, root file systems
 *   iotb rules [--explain ID]       list the rule catalogue
 *   iotb clauses                    list the 27402 clauses we map findings to
 *   iotb baseline write FILE [scan options] PATH...
 *                                   scan and record the findings' fingerprints
 *
 * Exit codes (DESIGN.md): 0 no finding at the fail threshold, 1 a finding
 * reached it, 2 usage error, broken config or rule file, a named PATH that
 * cannot be opened, or (with --strict) any input not analysed.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "baseline.h"
#include "analyzers.h"
#include "catalogue.h"
#include "config.h"
#include "engine.h"
#include "finding.h"
#include "report.h"
#include "scan.h"
#include "suppress.h"

#ifndef IOTB_VERSION
#define IOTB_VERSION "0.0.0"
#endif

#define EXIT_USAGE 2

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "iotb: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'iotb --help'.\n");
	return EXIT_USAGE;
}

/* getopt's last failure as one message (opterr is off). */
static int bad_option(const char *cmd, char **argv)
{
	if (optopt && strchr("jfcID", optopt))
		fprintf(stderr, "iotb %s: option '-%c' needs a value\n", cmd, optopt);
	else if (optopt)
		fprintf(stderr, "iotb %s: unknown option '-%c'\n", cmd, optopt);
	else
		fprintf(stderr, "iotb %s: unknown or incomplete option '%s'\n", cmd,
			argv[optind - 1]);
	fprintf(stderr, "Try 'iotb %s --help'.\n", cmd);
	return EXIT_USAGE;
}

static int report_error(void)
{
	fprintf(stderr, "iotb: error: %s\n", iotb_last_error());
	return EXIT_USAGE;
}

/* --- loading the catalogue and config (shared by every command) --- */

struct session {
	struct iotb_catalogue *cat;
	struct iotb_config cfg;
};

static void session_release(struct session *s)
{
	iotb_catalogue_free(s->cat);
	iotb_config_release(&s->cfg);
}

static int session_load(struct session *s, const char *config_path)
{
	char *path = NULL;
	int ret = -1;

	iotb_config_init(&s->cfg);
	s->cat = iotb_catalogue_load(iotb_rules_dir());
	if (!s->cat || iotb_engines_check_catalogue(s->cat) < 0)
		return -1;
	path = iotb_config_locate(config_path);
	if (path && (iotb_config_load(&s->cfg, path) < 0 ||
		     iotb_config_apply(&s->cfg, s->cat) < 0))
		goto out;
	ret = 0;
out:
	free(path);
	return ret;
}

/* --- iotb scan --- */

struct output {
	const struct iotb_reporter *reporter;
	char *file;   /* NULL = stdout */
};

struct scan_args {
	struct iotb_scan_options opt;
	const char *config;
	const char *fail_on;
	const char *source_root;
	bool strict;
	struct output *outputs;
	size_t noutputs;
	const char *baseline;        /* --baseline FILE */
	struct iotb_strvec db_paths;        /* -p: compile databases */
	struct iotb_strvec query_drivers;   /* --query-driver globs */
	struct iotb_strvec compile_args;    /* -I, -D as clang arguments */
	char *target;                       /* --target (last wins), owned */
	bool query_set, query_never;
	const char **paths;                 /* -p paths + PATHs (owned array) */
};

/* -p DIR|FILE: DIR/compile_commands.json, or the file itself. */
static void add_compile_db(struct scan_args *a, const char *arg)
{
	struct stat sb;
	char *path = stat(arg, &sb) == 0 && S_ISDIR(sb.st_mode)
		     ? iotb_path_join(arg, "compile_commands.json") : iotb_xstrdup(arg);

	iotb_strvec_push(&a->db_paths, path);
	free(path);
}

/* The source engine's options from -j, -p and --query-driver; the paths
 * scanned are the -p databases followed by the PATHs. */
static void apply_source_options(struct scan_args *a, char **rest, int nrest)
{
	struct iotb_analyzers_options ao = { 0 };
	const char **globs;
	size_t n = 0;

	a->paths = iotb_xcalloc(a->db_paths.n + (size_t)nrest + 1, sizeof(*a->paths));
	for (size_t i = 0; i < a->db_paths.n; i++)
		a->paths[n++] = a->db_paths.v[i];
	for (int i = 0; i < nrest; i++)
		a->paths[n++] = rest[i];
	a->opt.paths = a->paths;
	globs = iotb_xcalloc(a->query_drivers.n + 1, sizeof(*globs));
	for (size_t i = 0; i < a->query_drivers.n; i++)
		globs[i] = a->query_drivers.v[i];
	ao.query = a->query_never ? IOTB_QUERY_NEVER
		   : a->query_set ? IOTB_QUERY_ALLOW_LIST : IOTB_QUERY_DEFAULT;
	ao.query_drivers = globs;
	ao.jobs = a->opt.jobs;
	iotb_analyzers_set_options(&ao);   /* copies */
	free(globs);
}

/* Plain C sources get the config's `compile:` flags, then -I/-D and
 * --target from the command line (its --target replaces the config's). */
static void apply_compile_options(struct scan_args *a, const struct iotb_config *cfg)
{
	struct iotb_analyzers_options ao = *iotb_analyzers_options();
	struct iotb_strvec args;

	iotb_strvec_init(&args);
	iotb_config_compile_args(cfg, a->target != NULL, &args);
	for (size_t i = 0; i < a->compile_args.n; i++)
		iotb_strvec_push(&args, a->compile_args.v[i]);
	if (a->target) {
		char *t = iotb_xasprintf("--target=%s", a->target);

		iotb_strvec_push(&args, t);
		free(t);
	}
	iotb_strvec_push(&args, "");
	free(args.v[--args.n]);
	args.v[args.n] = NULL;   /* NULL-terminated */
	ao.extra_args = (const char *const *)args.v;
	iotb_analyzers_set_options(&ao);   /* copies */
	iotb_strvec_release(&args);
}

/* -I DIR, -D NAME[=V], --target TRIPLE: 0, or a usage error's status. */
static int add_compile_option(struct scan_args *a, int opt, const char *value)
{
	char *arg;

	if (opt == 'I' && !*value)
		return usage_error("%s", "-I needs a directory");
	if (opt == 'D' && !iotb_config_is_define(value))
		return usage_error("invalid define '%s' (expected NAME or NAME=VALUE)", value);
	if (opt != 'I' && opt != 'D') {   /* --target */
		if (!iotb_config_is_triple(value))
			return usage_error("invalid target triple '%s' (expected e.g. "
					   "arm-linux-gnueabihf)", value);
		free(a->target);
		a->target = iotb_xstrdup(value);
		return 0;
	}
	arg = iotb_xasprintf("-%c%s", opt, value);
	iotb_strvec_push(&a->compile_args, arg);
	free(arg);
	return 0;
}

/* Is file (NULL = stdout) already the destination of a report? */
static bool destination_taken(const struct scan_args *a, const char *file)
{
	size_t i;

	for (i = 0; i < a->noutputs; i++)
		if (!file ? !a->outputs[i].file
			  : a->outputs[i].file && !strcmp(a->outputs[i].file, file))
			return true;
	return false;
}

static int add_output(struct scan_args *a, const char *spec)
{
	const char *colon = strchr(spec, ':');
	char *name = colon ? iotb_xstrndup(spec, (size_t)(colon - spec)) : iotb_xstrdup(spec);
	const struct iotb_reporter *r = iotb_reporter_find(name);

	free(name);
	if (!r) {
		fprintf(stderr, "iotb: unknown format in '%s' (formats: %s)\n", spec,
			iotb_reporter_names());
		return -1;
	}
	if (destination_taken(a, colon && colon[1] ? colon + 1 : NULL)) {
		fprintf(stderr, "iotb: two reports to %s%s%s in '%s': give each its own FILE\n",
			colon && colon[1] ? "'" : "", colon && colon[1] ? colon + 1 : "stdout",
			colon && colon[1] ? "'" : "", spec);
		return -1;
	}
	a->outputs = iotb_xrealloc(a->outputs, (a->noutputs + 1) * sizeof(*a->outputs));
	a->outputs[a->noutputs].reporter = r;
	a->outputs[a->noutputs].file = colon && colon[1] ? iotb_xstrdup(colon + 1) : NULL;
	a->noutputs++;
	return 0;
}

static int parse_uint(const char *s, unsigned *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || !*s || *end || v == 0 || v > 1000000)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/* Online CPUs (at least 1): the default -j. */
static unsigned default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 && n < 1024 ? (unsigned)n : 1;
}

static const char scan_usage[] =
	"usage: iotb scan [options] PATH...\n"
	"\n"
	"Scan C sources, ELF binaries, firmware images and extracted root file\n"
	"systems; report findings mapped to ISO/IEC 27402 clauses.\n"
	"\n"
	"  -j, --jobs N            analyse up to N inputs at once (default: online CPUs)\n"
	"  -f, --format FMT[:FILE] report format, repeatable (default: text to stdout)\n"
	"                          formats: %s\n"
	"      --fail-on LEVEL     error|warning|note|never (default: error;\n"
	"                          also $IOTB_FAIL_ON and fail_on in the config)\n"
	"  -c, --config FILE       configuration file (default: $IOTB_CONFIG, else the\n"
	"                          nearest .iotb.yml up to the work-tree root)\n"
	"      --source-root DIR   root for repository-relative paths and fingerprints\n"
	"                          (default: the git work-tree top, else the cwd)\n"
	"      --timeout SEC       wall-clock limit per input (default: 300)\n"
	"      --max-memory MIB    address-space limit per worker (default: 4096)\n"
	"      --strict            exit 2 when any input could not be analysed\n"
	"      --baseline FILE     report only findings whose fingerprints are not in\n"
	"                          FILE (written by 'iotb baseline write FILE PATH...')\n"
	"  -p, --compile-db DIR|FILE  C sources of a compile database (DIR/\n"
	"                          compile_commands.json), each TU with its own flags\n"
	"      --query-driver GLOB[,GLOB]  compilers in compile commands that may be\n"
	"                          run to ask for their target and include paths\n"
	"                          (default: compilers on PATH outside the scanned\n"
	"                          tree; 'none': never)\n"
	"  -I DIR                  include directory for C sources outside a compile\n"
	"                          database (repeatable; also compile.includes)\n"
	"  -D NAME[=VALUE]         macro for those sources (repeatable; also\n"
	"                          compile.defines)\n"
	"      --target TRIPLE     target for those sources (e.g. arm-linux-gnueabihf;\n"
	"                          also compile.target)\n"
	"      --no-fork           analyse in this process (debugging)\n"
	"  -h, --help              this help\n"
	"\n"
	"Exit status: 0 no finding at the threshold, 1 findings at or above it,\n"
	"2 usage/config/rule-file errors, an unopenable PATH, or --strict misses.\n";

static int parse_scan_args(int argc, char **argv, struct scan_args *a)
{
	enum { OPT_FAIL_ON = 256, OPT_ROOT, OPT_TIMEOUT, OPT_MEM, OPT_STRICT, OPT_NOFORK,
	       OPT_BASELINE, OPT_QUERY_DRIVER, OPT_TARGET };
	static const struct option opts[] = {
		{ "jobs", required_argument, NULL, 'j' },
		{ "format", required_argument, NULL, 'f' },
		{ "config", required_argument, NULL, 'c' },
		{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
		{ "source-root", required_argument, NULL, OPT_ROOT },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "max-memory", required_argument, NULL, OPT_MEM },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "no-fork", no_argument, NULL, OPT_NOFORK },
		{ "baseline", required_argument, NULL, OPT_BASELINE },
		{ "compile-db", required_argument, NULL, 'p' },
		{ "query-driver", required_argument, NULL, OPT_QUERY_DRIVER },
		{ "target", required_argument, NULL, OPT_TARGET },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	a->opt.jobs = default_jobs();
	opterr = 0;
	while ((c = getopt_long(argc, argv, "j:f:c:p:I:D:h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			if (parse_uint(optarg, &a->opt.jobs) < 0)
				return usage_error("invalid job count '%s'", optarg);
			break;
		case 'f':
			if (add_output(a, optarg) < 0)
				return EXIT_USAGE;
			break;
		case 'c': a->config = optarg; break;
		case OPT_FAIL_ON: a->fail_on = optarg; break;
		case OPT_ROOT: a->source_root = optarg; break;
		case OPT_TIMEOUT:
			if (parse_uint(optarg, &a->opt.timeout_s) < 0)
				return usage_error("invalid timeout '%s'", optarg);
			break;
		case OPT_MEM:
			if (parse_uint(optarg, &a->opt.memory_mb) < 0)
				return usage_error("invalid memory limit '%s'", optarg);
			break;
		case OPT_STRICT: a->strict = true; break;
		case OPT_NOFORK: a->opt.no_fork = 1; break;
		case OPT_BASELINE: a->baseline = optarg; break;
		case 'p': add_compile_db(a, optarg); break;
		case OPT_QUERY_DRIVER:
			a->query_set = true;
			iotb_analyzers_parse_query_driver(optarg, &a->query_drivers, &a->query_never);
			break;
		case 'I':
		case 'D':
		case OPT_TARGET:
			if (add_compile_option(a, c, optarg) != 0)
				return EXIT_USAGE;
			break;
		case 'h':
			printf(scan_usage, iotb_reporter_names());
			return 0;
		default:
			return bad_option("scan", argv);
		}
	}
	if (optind >= argc && !a->db_paths.n)
		return usage_error("%s", "scan needs at least one PATH");
	apply_source_options(a, &argv[optind], argc - optind);
	if (!a->noutputs)
		add_output(a, "text");
	return -1; /* parsed: continue */
}

/* --fail-on, then $IOTB_FAIL_ON, then the config, then "error". */
static int effective_fail_on(const char *cli, const struct iotb_config *cfg)
{
	const char *env = getenv("IOTB_FAIL_ON");
	const char *s = cli ? cli : (env && *env ? env : NULL);
	int level;

	if (!s)
		return cfg->fail_on > 0 ? cfg->fail_on : IOTB_SEV_ERROR;
	level = iotb_severity_parse(s, true);
	if (level < 0)
		return iotb_fail("invalid fail threshold '%s'%s (expected error, warning, note or never)",
				 s, cli ? "" : " in $IOTB_FAIL_ON");
	return level;
}

static void set_project_key(void)
{
	const char *key = getenv("IOTB_PROJECT_KEY");

	if (key && *key)
		iotb_set_project_key(key, strlen(key));
}

static bool is_directory(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static char *default_source_root(void)
{
	char cwd[PATH_MAX];
	char *top;

	if (!getcwd(cwd, sizeof(cwd)))
		return iotb_xstrdup(".");
	top = iotb_find_worktree_top(cwd);
	return top ? top : iotb_xstrdup(cwd);
}

static size_t count_not_analysed(const struct iotb_results *res)
{
	size_t i, n = 0;

	for (i = 0; i < res->nfindings; i++)
		n += !strcmp(res->findings[i].rule->id, "scan.not-analysed");
	return n;
}

static int write_outputs(const struct scan_args *a, const struct iotb_report_ctx *ctx)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < a->noutputs; i++) {
		FILE *out = a->outputs[i].file ? fopen(a->outputs[i].file, "w") : stdout;

		if (!out) {
			fprintf(stderr, "iotb: error: cannot write '%s': %s\n",
				a->outputs[i].file, strerror(errno));
			ret = -1;
			continue;
		}
		if (a->outputs[i].reporter->write(out, ctx) < 0) {
			fprintf(stderr, "iotb: error: %s\n", iotb_last_error());
			ret = -1;
		}
		if (out != stdout && fclose(out) != 0) {
			fprintf(stderr, "iotb: error: cannot write '%s': %s\n",
				a->outputs[i].file, strerror(errno));
			ret = -1;
		}
	}
	fflush(stdout);
	return ret;
}

static char *join_argv(int argc, char **argv)
{
	struct iotb_strbuf sb;
	int i;

	iotb_strbuf_init(&sb);
	iotb_strbuf_adds(&sb, "iotb");
	for (i = 0; i < argc; i++)
		iotb_strbuf_addf(&sb, " %s", argv[i]);
	return iotb_strbuf_detach(&sb);
}

/* Write the baseline of res to path (iotb baseline write); 0 or -1. */
static int write_baseline(const struct iotb_results *res, const char *path)
{
	size_t n;

	if (iotb_baseline_write(res, path, &n) < 0) {
		fprintf(stderr, "iotb: error: %s\n", iotb_last_error());
		return -1;
	}
	fprintf(stderr, "iotb: wrote %zu finding%s to baseline '%s'\n", n, n == 1 ? "" : "s",
		path);
	return 0;
}

/* iotb scan, and iotb baseline write when baseline_out is set. */
static int run_scan(int argc, char **argv, const char *baseline_out)
{
	struct scan_args a = { 0 };
	struct session s = { 0 };
	struct iotb_results res;
	struct iotb_report_ctx ctx = { 0 };
	struct iotb_baseline bl;
	char *cmdline = join_argv(argc, argv);
	int rc, fail_on, status = EXIT_USAGE, path_error;
	size_t i, missed;

	iotb_results_init(&res);
	iotb_baseline_init(&bl);
	rc = parse_scan_args(argc, argv, &a);
	if (rc >= 0) {
		status = rc;
		goto out;
	}
	if (session_load(&s, a.config) < 0 ||
	    (fail_on = effective_fail_on(a.fail_on, &s.cfg)) < 0 ||
	    (a.baseline && iotb_baseline_load(&bl, a.baseline) < 0)) {
		status = report_error();
		goto out;
	}
	apply_compile_options(&a, &s.cfg);
	set_project_key();
	if (a.source_root && !is_directory(a.source_root)) {
		fprintf(stderr, "iotb: error: --source-root '%s' is not a directory\n",
			a.source_root);
		goto out;
	}
	res.source_root = a.source_root ? iotb_xstrdup(a.source_root) : default_source_root();
	path_error = iotb_scan_run(&a.opt, s.cat, &s.cfg, &res) < 0;
	if (path_error)
		fprintf(stderr, "iotb: error: %s\n", iotb_last_error());
	if (iotb_suppress_apply(&res, s.cat, &s.cfg) < 0) {
		status = report_error();
		goto out;
	}
	iotb_results_finish(&res);
	if (a.baseline)
		iotb_baseline_apply(&bl, &res);
	status = path_error ? EXIT_USAGE : iotb_threshold_status(&res, fail_on);
	if (a.strict && (missed = count_not_analysed(&res))) {
		fprintf(stderr, "iotb: error: %zu input%s not analysed (--strict)\n", missed,
			missed == 1 ? "" : "s");
		status = EXIT_USAGE;
	}
	ctx = (struct iotb_report_ctx){ &res, s.cat, &s.cfg, fail_on, status, cmdline,
					a.baseline ? &bl : NULL };
	if (baseline_out && write_baseline(&res, baseline_out) < 0)
		status = EXIT_USAGE;
	else if (baseline_out && status != EXIT_USAGE)
		status = 0;   /* baseline write: findings are what it records */
	if (write_outputs(&a, &ctx) < 0)
		status = EXIT_USAGE;
out:
	for (i = 0; i < a.noutputs; i++)
		free(a.outputs[i].file);
	free(a.outputs);
	free(a.paths);
	iotb_strvec_release(&a.db_paths);
	iotb_strvec_release(&a.query_drivers);
	iotb_strvec_release(&a.compile_args);
	free(a.target);
	iotb_analyzers_set_options(NULL);
	free(cmdline);
	iotb_baseline_release(&bl);
	iotb_results_release(&res);
	session_release(&s);
	return status;
}

static int cmd_scan(int argc, char **argv)
{
	return run_scan(argc, argv, NULL);
}

/* --- iotb baseline --- */

static const char baseline_usage[] =
	"usage: iotb baseline write FILE [scan options] PATH...\n"
	"\n"
	"Scan PATH... as 'iotb scan' does and write the fingerprints of every\n"
	"finding that is not suppressed to FILE (versioned JSON).  Later scans\n"
	"with '--baseline FILE' report only findings not in it.  Exit status: 0\n"
	"when FILE was written, 2 on usage errors or when it could not be.\n";

static int cmd_baseline(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("%s", baseline_usage);
		return 0;
	}
	if (argc < 2 || strcmp(argv[1], "write"))
		return usage_error("%s", "baseline needs a subcommand: 'baseline write FILE PATH...'");
	if (argc < 3 || !argv[2][0])
		return usage_error("%s", "baseline write needs a FILE");
	/* argv[2] (FILE) stands where "scan" stands for run_scan's getopt. */
	return run_scan(argc - 2, argv + 2, argv[2]);
}

/* --- iotb rules / iotb clauses --- */

static void print_rule_line(const struct iotb_rule *r)
{
	size_t i;

	printf("%-36s %-7s", r->id, iotb_severity_name(r->severity));
	printf(" [27402 ");
	for (i = 0; i < r->nclauses; i++)
		printf("%s%s", i ? "," : "", r->clauses[i]);
	printf("%s]", r->nclauses ? "" : "-");
	for (i = 0; i < r->ncwes; i++)
		printf("%sCWE-%d", i ? "," : " [", r->cwes[i]);
	printf("%s %s%s\n", r->ncwes ? "]" : "", r->title, r->enabled ? "" : " (disabled)");
}

static void print_param(const struct iotb_param *p)
{
	size_t i;

	if (p->type == IOTB_PARAM_SCALAR) {
		printf("  %s: %s\n", p->name, p->scalar);
		return;
	}
	printf("  %s:", p->name);
	for (i = 0; i < p->nspecs; i++) {
		const struct iotb_funcspec *f = &p->specs[i];
		static const char *const kinds[] = { "", "glob ", "regex " };

		printf("%s %s%s", i ? "," : "", kinds[f->kind], f->pattern);
	}
	printf("\n");
}

static int explain_rule(const struct iotb_catalogue *cat, const char *id)
{
	const struct iotb_rule *r = iotb_catalogue_rule(cat, id);
	size_t i;

	if (!r) {
		fprintf(stderr, "iotb: unknown rule '%s' (see 'iotb rules')\n", id);
		return EXIT_USAGE;
	}
	printf("%s — %s\nseverity: %s%s\n", r->id, r->title, iotb_severity_name(r->severity),
	       r->enabled ? "" : " (disabled by config)");
	for (i = 0; i < r->nclauses; i++) {
		const struct iotb_clause *c = iotb_catalogue_clause(cat, r->clauses[i]);

		printf("27402 %s: %s\n", r->clauses[i], c ? c->title : "");
	}
	for (i = 0; i < r->ncwes; i++)
		printf("CWE-%d\n", r->cwes[i]);
	printf("\n%s\n", r->description);
	if (r->remediation)
		printf("\nRemediation: %s\n", r->remediation);
	if (r->nparams)
		printf("\nParameters (%s):\n", r->origin);
	for (i = 0; i < r->nparams; i++)
		print_param(&r->params[i]);
	return 0;
}

static int cmd_rules(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "explain", required_argument, NULL, 'e' },
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *explain = NULL, *config = NULL;
	struct session s = { 0 };
	int c, status = 0;
	size_t i;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "e:c:h", opts, NULL)) != -1) {
		if (c == 'e')
			explain = optarg;
		else if (c == 'c')
			config = optarg;
		else if (c == 'h') {
			printf("usage: iotb rules [--config FILE] [--explain RULE-ID]\n");
			return 0;
		} else
			return bad_option("rules", argv);
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s' for 'rules'", argv[optind]);
	if (session_load(&s, config) < 0) {
		status = report_error();
		goto out;
	}
	if (explain) {
		status = explain_rule(s.cat, explain);
		goto out;
	}
	for (i = 0; i < s.cat->nrules; i++)
		print_rule_line(&s.cat->rules[i]);
out:
	session_release(&s);
	return status;
}

static int cmd_clauses(int argc, char **argv)
{
	struct session s = { 0 };
	int status = 0;
	size_t i;

	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("usage: iotb clauses\n");
		return 0;
	}
	if (argc > 1)
		return usage_error("unexpected argument '%s' for 'clauses'", argv[1]);
	if (session_load(&s, NULL) < 0) {
		status = report_error();
		goto out;
	}
	for (i = 0; i < s.cat->nclauses; i++) {
		const struct iotb_clause *cl = &s.cat->clauses[i];

		printf("%-12s %-14s %s\n", cl->id,
		       cl->kind == IOTB_CLAUSE_REQUIREMENT ? "requirement" : "recommendation",
		       cl->title);
	}
out:
	session_release(&s);
	return status;
}

/* --- the command table --- */

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "scan", cmd_scan, "scan sources, binaries and root file systems" },
	{ "rules", cmd_rules, "list the rule catalogue (--explain ID for one rule)" },
	{ "clauses", cmd_clauses, "list the ISO/IEC 27402 clauses findings map to" },
	{ "baseline", cmd_baseline, "write a baseline: baseline write FILE [scan options] PATH..." },
};

static void print_help(void)
{
	size_t i;

	printf("usage: iotb [--version] [--help] COMMAND [ARGS]\n\n"
	       "iotbaseline checks IoT device firmware against the ISO/IEC 27402\n"
	       "device baseline. It reports evidence; it does not certify.\n\n"
	       "Commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		printf("  %-10s %s\n", commands[i].name, commands[i].help);
	printf("\nSee 'iotb COMMAND --help'.\n");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2)
		return print_help(), EXIT_USAGE;
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		print_help();
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("iotb (iotbaseline) %s\n", IOTB_VERSION);
		return 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	return usage_error("'%s' is not an iotb command", argv[1]);
}
