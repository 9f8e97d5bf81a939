/*
 * sample_harness.c — runs the annotated samples through the real pipeline
 * (walker → engines → suppressions) and compares the set of
 * (file, line, rule) findings with the annotations, like clang -verify.
 *
 *   iotb-sample-harness --samples DIR --work DIR [-j N] [--build-only]
 *
 * --build-only stops after copying the tree and building its binaries: the
 * build uses it to lay out build/samples for the README's demo scan.
 *
 * Source annotations (docs/samples.md):
 *   expect: RULE[, RULE]        this line must produce these findings
 *   expect@+N: RULE[, RULE]     the line N below must
 *   expect-none                 the whole file must produce nothing
 *   xfail[@+N]: RULE reason     known gap: expected but not yet found
 * A finding without a line (file-level) is anchored at line 1.
 * Binaries built at test time are declared in a MANIFEST beside them:
 *   build: NAME: COMMAND        run with sh in that directory of the copy
 *   expect: NAME: RULE[, RULE]  expect-none: NAME   xfail: NAME: RULE reason
 * A build whose command fails with 127 (compiler missing) is skipped.
 *
 * Templated secrets: @@IOTB_PEM:TYPE@@ inside a C string literal expands to
 * a freshly generated key or certificate as one escaped line (line numbers
 * kept).  TYPE: rsa-pkcs1, rsa-pkcs8, ec-sec1, ed25519-pkcs8, openssh, cert.
 *
 * Exit: 0 all matched, 1 missing/unexpected/xpass, 2 harness error.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalogue.h"
#include "config.h"
#include "engine.h"
#include "finding.h"
#include "scan.h"
#include "suppress.h"

enum mark { MARK_EXPECT, MARK_XFAIL, MARK_FOUND };

struct triple {
	char *file;     /* relative to the samples root */
	unsigned line;  /* 0 for binaries */
	char *rule;
	enum mark mark;
};

struct tset {
	struct triple *v;
	size_t n;
};

struct harness {
	const char *samples;
	const char *work;
	unsigned jobs;
	struct tset expected;      /* expect + xfail */
	struct tset found;
	struct iotb_strvec none;   /* files declared expect-none */
	struct iotb_strvec skipped;
	char *pem_cache[8];
};

static void tset_add(struct tset *s, const char *file, unsigned line, const char *rule,
		     enum mark mark)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].line == line && !strcmp(s->v[i].file, file) &&
		    !strcmp(s->v[i].rule, rule))
			return;
	s->v = iotb_xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
	s->v[s->n].file = iotb_xstrdup(file);
	s->v[s->n].line = line;
	s->v[s->n].rule = iotb_xstrdup(rule);
	s->v[s->n].mark = mark;
	s->n++;
}

static const struct triple *tset_find(const struct tset *s, const char *file, unsigned line,
				      const char *rule)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].line == line && !strcmp(s->v[i].file, file) &&
		    !strcmp(s->v[i].rule, rule))
			return &s->v[i];
	return NULL;
}

static void tset_release(struct tset *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].file);
		free(s->v[i].rule);
	}
	free(s->v);
}

/* --- templated keys --- */

static const char *const pem_types[] = {
	"rsa-pkcs1", "rsa-pkcs8", "ec-sec1", "ed25519-pkcs8", "openssh", "cert", NULL,
};

static const char *pem_command(size_t type)
{
	static const char *const cmds[] = {
		"openssl genrsa -traditional 2048 2>/dev/null",
		"openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 2>/dev/null",
		"openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null",
		"openssl genpkey -algorithm ED25519 2>/dev/null",
		"d=$(mktemp -d) && ssh-keygen -q -t ed25519 -N '' -C sample -f $d/k >/dev/null "
		"&& cat $d/k; rm -rf \"$d\"",
		"openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
		"-keyout /dev/null -subj /CN=iotb-sample -days 1 2>/dev/null",
	};
	return cmds[type];
}

/* Generate a key of pem_types[type] as one C-escaped line ("\n" escapes). */
static const char *pem_escaped(struct harness *h, size_t type)
{
	struct iotb_strbuf sb;
	char line[512];
	FILE *p;

	if (h->pem_cache[type])
		return h->pem_cache[type];
	p = popen(pem_command(type), "r");
	if (!p)
		return NULL;
	iotb_strbuf_init(&sb);
	while (fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\r\n")] = '\0';
		iotb_strbuf_addf(&sb, "%s\\n", line);
	}
	if (pclose(p) != 0 || !sb.len) {
		iotb_strbuf_release(&sb);
		return NULL;
	}
	h->pem_cache[type] = iotb_strbuf_detach(&sb);
	iotb_strbuf_release(&sb);
	return h->pem_cache[type];
}

/* Expand @@IOTB_PEM:TYPE@@ placeholders; -1 when a key cannot be made. */
static int expand_templates(struct harness *h, const char *in, size_t len,
			    struct iotb_strbuf *out, const char *file)
{
	static const char tag[] = "@@IOTB_PEM:";
	const char *p = in, *end = in + len, *hit;

	while ((hit = memmem(p, (size_t)(end - p), tag, sizeof(tag) - 1))) {
		const char *type = hit + sizeof(tag) - 1, *close = strstr(type, "@@");
		size_t i;

		iotb_strbuf_add(out, p, (size_t)(hit - p));
		for (i = 0; pem_types[i]; i++)
			if (close && (size_t)(close - type) == strlen(pem_types[i]) &&
			    !strncmp(type, pem_types[i], strlen(pem_types[i])))
				break;
		if (!pem_types[i] || !pem_escaped(h, i)) {
			fprintf(stderr, "harness: cannot expand template in '%s'\n", file);
			return -1;
		}
		iotb_strbuf_adds(out, pem_escaped(h, i));
		p = close + 2;
	}
	iotb_strbuf_add(out, p, (size_t)(end - p));
	return 0;
}

/* --- copying the samples tree --- */

static int copy_file(struct harness *h, const char *src, const char *dst, mode_t mode)
{
	struct iotb_strbuf sb;
	char *data = NULL;
	size_t len;
	int ret = -1;

	iotb_strbuf_init(&sb);
	if (iotb_read_file(src, 64u << 20, &data, &len) < 0) {
		fprintf(stderr, "harness: %s\n", iotb_last_error());
		goto out;
	}
	if (expand_templates(h, data, len, &sb, src) < 0)
		goto out;
	if (iotb_write_file_atomic(dst, sb.buf, sb.len) < 0) {
		fprintf(stderr, "harness: %s\n", iotb_last_error());
		goto out;
	}
	chmod(dst, mode & 0777);
	ret = 0;
out:
	free(data);
	iotb_strbuf_release(&sb);
	return ret;
}

static int copy_tree(struct harness *h, const char *src, const char *dst)
{
	struct dirent **names = NULL;
	int n, i, ret = 0;

	if (mkdir(dst, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "harness: cannot create '%s': %s\n", dst, strerror(errno));
		return -1;
	}
	n = scandir(src, &names, NULL, alphasort);
	for (i = 0; i < n; i++) {
		char *s = iotb_path_join(src, names[i]->d_name);
		char *d = iotb_path_join(dst, names[i]->d_name);
		struct stat st;

		if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, "..") &&
		    lstat(s, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				ret |= copy_tree(h, s, d);
			else if (S_ISREG(st.st_mode))
				ret |= copy_file(h, s, d, st.st_mode);
		}
		free(s);
		free(d);
		free(names[i]);
	}
	free(names);
	return n < 0 ? -1 : ret;
}

/* --- annotations --- */

static void add_rules(struct harness *h, const char *file, unsigned line, const char *list,
		      enum mark mark)
{
	char *copy = iotb_xstrdup(list), *tok, *save = NULL;

	for (tok = strtok_r(copy, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
		if (!strchr(tok, '.'))
			break;  /* rule ids have an area; prose or a reason follows */
		tset_add(&h->expected, file, line, tok, mark);
		if (mark == MARK_XFAIL)
			break;  /* xfail names one rule, then its reason */
	}
	free(copy);
}

/* Parse "expect[@+N]:" / "xfail[@+N]:" at p; returns the target line or 0. */
static unsigned parse_marker(const char *p, unsigned line, const char **rules)
{
	unsigned long off = 0;
	char *end;

	if (*p == '@') {
		if (p[1] != '+')
			return 0;
		off = strtoul(p + 2, &end, 10);
		p = end;
	}
	if (*p != ':')
		return 0;
	*rules = p + 1;
	return line + (unsigned)off;
}

static void scan_line(struct harness *h, const char *file, unsigned line, const char *text)
{
	static const struct { const char *word; enum mark mark; } words[] = {
		{ "expect", MARK_EXPECT }, { "xfail", MARK_XFAIL },
	};
	size_t i;

	if (strstr(text, "expect-none")) {
		if (!iotb_strvec_contains(&h->none, file))
			iotb_strvec_push(&h->none, file);
		return;
	}
	for (i = 0; i < 2; i++) {
		const char *p = text, *rules;
		unsigned target;

		while ((p = strstr(p, words[i].word))) {
			bool starts = p == text || strchr(" \t/*#;", p[-1]);

			p += strlen(words[i].word);
			if (starts && (target = parse_marker(p, line, &rules)))
				add_rules(h, file, target, rules, words[i].mark);
		}
	}
}

static void scan_annotations(struct harness *h, const char *path, const char *rel)
{
	char *data = NULL, *line, *save = NULL;
	size_t len;
	unsigned n = 0;

	if (iotb_read_file(path, 16u << 20, &data, &len) < 0 || memchr(data, '\0', len)) {
		free(data);
		return;
	}
	for (line = data; line; line = save) {
		save = strchr(line, '\n');
		if (save)
			*save++ = '\0';
		scan_line(h, rel, ++n, line);
	}
	free(data);
}

/* --- manifests: binaries built at test time --- */

static char *field(char *s, char **rest)
{
	char *colon = strchr(s, ':');

	if (!colon)
		return NULL;
	*colon = '\0';
	*rest = colon + 1;
	while (**rest == ' ')
		(*rest)++;
	while (*s == ' ')
		s++;
	return s;
}

static void run_build(struct harness *h, const char *dir, const char *rel_dir,
		      const char *name, const char *cmd)
{
	char *full = iotb_xasprintf("cd '%s' && %s", dir, cmd);
	char *rel = iotb_path_join(rel_dir, name);
	int rc = system(full);

	if (rc != 0) {
		printf("skipped: %s (build exited %d: %s)\n", rel, WEXITSTATUS(rc), cmd);
		iotb_strvec_push(&h->skipped, rel);
	}
	free(full);
	free(rel);
}

static void read_manifest(struct harness *h, const char *path, const char *dir,
			  const char *rel_dir)
{
	char *data = NULL, *line, *save = NULL, *rest, *kw, *name, *rel;
	size_t len;

	if (iotb_read_file(path, 1u << 20, &data, &len) < 0)
		return;
	for (line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#' || !(kw = field(line, &rest)))
			continue;
		if (!strcmp(kw, "expect-none")) {
			rel = iotb_path_join(rel_dir, rest);
			iotb_strvec_push(&h->none, rel);
			free(rel);
			continue;
		}
		if (!(name = field(rest, &rest)))
			continue;
		rel = iotb_path_join(rel_dir, name);
		if (!strcmp(kw, "build"))
			run_build(h, dir, rel_dir, name, rest);
		else if (!strcmp(kw, "expect"))
			add_rules(h, rel, 0, rest, MARK_EXPECT);
		else if (!strcmp(kw, "xfail"))
			add_rules(h, rel, 0, rest, MARK_XFAIL);
		free(rel);
	}
	free(data);
}

/* Walk the work copy: manifests first (they build binaries), annotations. */
static void collect(struct harness *h, const char *dir, const char *rel_dir)
{
	struct dirent **names = NULL;
	int n, i;

	n = scandir(dir, &names, NULL, alphasort);
	for (i = 0; i < n; i++) {
		char *path = iotb_path_join(dir, names[i]->d_name);
		char *rel = rel_dir[0] ? iotb_path_join(rel_dir, names[i]->d_name)
				       : iotb_xstrdup(names[i]->d_name);
		struct stat st;

		if (names[i]->d_name[0] != '.' && lstat(path, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				collect(h, path, rel);
			else if (!strcmp(names[i]->d_name, "MANIFEST"))
				read_manifest(h, path, dir, rel_dir);
			else if (S_ISREG(st.st_mode))
				scan_annotations(h, path, rel);
		}
		free(path);
		free(rel);
		free(names[i]);
	}
	free(names);
}

/* --- running the pipeline --- */

static int run_pipeline(struct harness *h, struct iotb_results *res,
			struct iotb_catalogue **catp, struct iotb_config *cfg)
{
	const char *paths[] = { h->work, NULL };
	struct iotb_scan_options opt = { .paths = paths, .jobs = h->jobs };
	char *cfgpath = iotb_path_join(h->work, ".iotb.yml");
	struct stat st;
	int ret = -1;

	*catp = iotb_catalogue_load(iotb_rules_dir());
	if (!*catp || iotb_engines_check_catalogue(*catp) < 0)
		goto out;
	if (stat(cfgpath, &st) == 0 &&
	    (iotb_config_load(cfg, cfgpath) < 0 || iotb_config_apply(cfg, *catp) < 0))
		goto out;
	res->source_root = iotb_xstrdup(h->work);
	if (iotb_scan_run(&opt, *catp, cfg, res) < 0 ||
	    iotb_suppress_apply(res, *catp, cfg) < 0)
		goto out;
	iotb_results_finish(res);
	ret = 0;
out:
	free(cfgpath);
	return ret;
}

static void record_found(struct harness *h, const struct iotb_results *res)
{
	size_t i;

	for (i = 0; i < res->nfindings; i++) {
		const struct iotb_finding *f = &res->findings[i];
		char *rel;
		unsigned line = f->loc.line;

		if (f->suppressed_by)
			continue;
		rel = iotb_path_relative(h->work, f->loc.path);
		if (!line && !f->loc.has_offset && !iotb_strvec_contains(&h->skipped, rel) &&
		    !tset_find(&h->expected, rel, 0, f->rule->id))
			line = 1;  /* file-level source finding: anchored at line 1 */
		tset_add(&h->found, rel, line, f->rule->id, MARK_FOUND);
		free(rel);
	}
}

static int compare(struct harness *h)
{
	size_t i, ok = 0, missing = 0, unexpected = 0, xfail = 0, xpass = 0;

	for (i = 0; i < h->expected.n; i++) {
		const struct triple *t = &h->expected.v[i];
		bool found = tset_find(&h->found, t->file, t->line, t->rule) != NULL;

		if (iotb_strvec_contains(&h->skipped, t->file))
			continue;
		if (t->mark == MARK_XFAIL && found) {
			printf("XPASS %s:%u: %s (xfail now found: remove the xfail)\n", t->file,
			       t->line, t->rule);
			xpass++;
		} else if (t->mark == MARK_XFAIL) {
			xfail++;
		} else if (found) {
			ok++;
		} else {
			printf("MISSING %s:%u: %s\n", t->file, t->line, t->rule);
			missing++;
		}
	}
	for (i = 0; i < h->found.n; i++) {
		const struct triple *t = &h->found.v[i];

		if (!tset_find(&h->expected, t->file, t->line, t->rule)) {
			printf("UNEXPECTED %s:%u: %s%s\n", t->file, t->line, t->rule,
			       iotb_strvec_contains(&h->none, t->file) ? " (file is expect-none)"
								       : "");
			unexpected++;
		}
	}
	printf("samples: %zu expected found, %zu missing, %zu unexpected, %zu xfail, "
	       "%zu xpass, %zu skipped builds\n",
	       ok, missing, unexpected, xfail, xpass, h->skipped.n);
	printf("%zu passed, %zu failed, %zu skipped\n", ok + xfail, missing + unexpected + xpass,
	       h->skipped.n);
	return missing || unexpected || xpass ? 1 : 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "samples", required_argument, NULL, 's' },
		{ "work", required_argument, NULL, 'w' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "build-only", no_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 },
	};
	struct harness h = { .jobs = 2 };
	struct iotb_catalogue *cat = NULL;
	struct iotb_config cfg;
	struct iotb_results res;
	char *rm;
	bool build_only = false;
	int c, status = 2;
	size_t i;

	while ((c = getopt_long(argc, argv, "s:w:j:b", opts, NULL)) != -1) {
		if (c == 'b')
			build_only = true;
		else if (c == 's')
			h.samples = optarg;
		else if (c == 'w')
			h.work = optarg;
		else if (c == 'j')
			h.jobs = (unsigned)atoi(optarg) ?: 1;
	}
	if (!h.samples || !h.work) {
		fprintf(stderr, "usage: iotb-sample-harness --samples DIR --work DIR [-j N]\n");
		return 2;
	}
	iotb_config_init(&cfg);
	iotb_results_init(&res);
	iotb_strvec_init(&h.none);
	iotb_strvec_init(&h.skipped);
	rm = iotb_xasprintf("rm -rf '%s'", h.work);
	if (system(rm) != 0 || copy_tree(&h, h.samples, h.work) < 0)
		goto out;
	collect(&h, h.work, "");
	if (build_only) {
		status = 0;
		goto out;
	}
	if (run_pipeline(&h, &res, &cat, &cfg) < 0) {
		fprintf(stderr, "harness: %s\n", iotb_last_error());
		goto out;
	}
	record_found(&h, &res);
	status = compare(&h);
out:
	free(rm);
	for (i = 0; i < sizeof(h.pem_cache) / sizeof(h.pem_cache[0]); i++)
		free(h.pem_cache[i]);
	tset_release(&h.expected);
	tset_release(&h.found);
	iotb_strvec_release(&h.none);
	iotb_strvec_release(&h.skipped);
	iotb_results_release(&res);
	iotb_config_release(&cfg);
	iotb_catalogue_free(cat);
	return status;
}
