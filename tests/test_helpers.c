/*
 * test_helpers.c — shared fixtures for the CUnit suites (see test_helpers.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "iotb_util.h"
#include "test_helpers.h"

const char *th_skip_reason;

static void mkdir_p(const char *path)
{
	char *copy = iotb_xstrdup(path), *p;

	for (p = copy + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(copy, 0755);
		*p = '/';
	}
	mkdir(copy, 0755);
	free(copy);
}

char *th_tmpdir(const char *name)
{
	char *dir = iotb_xasprintf("%s/%s", IOTB_TEST_TMPDIR, name);
	char *cmd = iotb_xasprintf("rm -rf '%s'", dir);

	if (system(cmd) != 0)
		fprintf(stderr, "warning: could not clean '%s'\n", dir);
	free(cmd);
	mkdir_p(dir);
	return dir;
}

char *th_write(const char *dir, const char *name, const char *text)
{
	char *path = iotb_path_join(dir, name);
	char *slash = strrchr(path, '/');
	FILE *f;

	*slash = '\0';
	mkdir_p(path);
	*slash = '/';
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "cannot write '%s': %s\n", path, strerror(errno));
		abort();
	}
	fputs(text, f);
	fclose(f);
	return path;
}

struct iotb_catalogue *th_catalogue(void)
{
	static struct iotb_catalogue *cat;

	if (!cat) {
		cat = iotb_catalogue_load(IOTB_SOURCE_DIR "/rules");
		if (!cat) {
			fprintf(stderr, "cannot load the rule catalogue: %s\n",
				iotb_last_error());
			abort();
		}
	}
	return cat;
}

struct iotb_catalogue *th_fixture_catalogue(const char *name, const char *clauses,
					    const char *scan, const char *rules)
{
	char *dir = th_tmpdir(name);
	struct iotb_catalogue *cat;

	free(th_write(dir, "clauses.yaml", clauses));
	free(th_write(dir, "scan.yaml", scan));
	free(th_write(dir, "fixture.yaml", rules));
	cat = iotb_catalogue_load(dir);
	if (!cat) {
		fprintf(stderr, "cannot load the fixture catalogue: %s\n", iotb_last_error());
		abort();
	}
	free(dir);
	return cat;
}

const struct iotb_rule *th_rule(const struct iotb_catalogue *cat, const char *id)
{
	const struct iotb_rule *r = iotb_catalogue_rule(cat, id);

	if (!r) {
		fprintf(stderr, "fixture rule '%s' missing\n", id);
		abort();
	}
	return r;
}

bool th_contains(const char *haystack, const char *needle)
{
	return haystack && needle && strstr(haystack, needle) != NULL;
}

char *th_slurp(const char *path)
{
	char *data = NULL;
	size_t len;

	if (iotb_read_file(path, 64u << 20, &data, &len) < 0)
		return NULL;
	return data;
}

void th_add_suite(const char *name, const struct th_test *tests)
{
	CU_pSuite suite = CU_add_suite(name, NULL, NULL);

	for (; suite && tests->name; tests++)
		CU_add_test(suite, tests->name, tests->fn);
}

void th_skip_suite(const char *why)
{
	th_skip_reason = why;
}

bool th_str_eq(const char *got, const char *want)
{
	if (got && want && !strcmp(got, want))
		return true;
	printf("\n      got: %s\n     want: %s\n", got ? got : "(null)", want ? want : "(null)");
	return false;
}

const struct iotb_finding *th_finding(const struct iotb_results *res, const char *rule,
				      unsigned line)
{
	for (size_t i = 0; i < res->nfindings; i++)
		if (!strcmp(res->findings[i].rule->id, rule) && res->findings[i].loc.line == line)
			return &res->findings[i];
	return NULL;
}

const char *th_message(const struct iotb_results *res, const char *rule, unsigned line)
{
	const struct iotb_finding *f = th_finding(res, rule, line);

	return f ? f->message : NULL;
}

size_t th_count_prefix(const struct iotb_results *res, const char *prefix)
{
	size_t n = 0;

	for (size_t i = 0; i < res->nfindings; i++)
		n += !strncmp(res->findings[i].rule->id, prefix, strlen(prefix));
	return n;
}
