/*
 * baseline.c — reading, writing and applying baseline files (baseline.h):
 * the fingerprints of accepted findings, so that a scan reports only new
 * ones.  Matching is by fingerprint alone; fingerprints leave out line
 * numbers, so a baseline holds across line shifts.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"

/* A baseline is a list of short entries: 64 MiB is far beyond any. */
#define BASELINE_MAX_BYTES (64u << 20)

void iotb_baseline_init(struct iotb_baseline *bl)
{
	memset(bl, 0, sizeof(*bl));
}

static void entry_release(struct iotb_baseline_entry *e)
{
	free(e->rule);
	free(e->path);
	free(e->message);
}

void iotb_baseline_release(struct iotb_baseline *bl)
{
	size_t i;

	if (!bl)
		return;
	for (i = 0; i < bl->n; i++)
		entry_release(&bl->entries[i]);
	free(bl->entries);
	free(bl->path);
	iotb_baseline_init(bl);
}

static bool is_fingerprint(const char *s)
{
	size_t i;

	for (i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return s[64] == '\0';
}

/* Copy the optional string member key of obj into *out. */
static int take_string(const json_t *obj, const char *key, char **out,
                       const char *name, size_t index)
{
	const json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return iotb_fail("'%s': findings[%zu]: \"%s\" is not a string", name, index, key);
	*out = iotb_xstrdup(json_string_value(v));
	return 0;
}

static int parse_entry(const json_t *obj, struct iotb_baseline_entry *e,
                       const char *name, size_t index)
{
	const json_t *fp, *line;

	memset(e, 0, sizeof(*e));
	if (!json_is_object(obj))
		return iotb_fail("'%s': findings[%zu] is not an object", name, index);
	fp = json_object_get(obj, "fingerprint");
	if (!json_is_string(fp) || !is_fingerprint(json_string_value(fp)))
		return iotb_fail("'%s': findings[%zu]: \"fingerprint\" is not 64 lowercase "
		                 "hex digits", name, index);
	memcpy(e->fingerprint, json_string_value(fp), 65);
	line = json_object_get(obj, "line");
	if (line && (!json_is_integer(line) || json_integer_value(line) < 1 ||
	             json_integer_value(line) > (json_int_t)0xffffffffu))
		return iotb_fail("'%s': findings[%zu]: \"line\" is not a positive integer",
		                 name, index);
	e->line = line ? (unsigned)json_integer_value(line) : 0;
	if (take_string(obj, "rule", &e->rule, name, index) < 0 ||
	    take_string(obj, "path", &e->path, name, index) < 0 ||
	    take_string(obj, "message", &e->message, name, index) < 0) {
		entry_release(e);
		return -1;
	}
	return 0;
}

static int cmp_entry(const void *pa, const void *pb)
{
	const struct iotb_baseline_entry *a = pa, *b = pb;

	return strcmp(a->fingerprint, b->fingerprint);
}

/* Sort by fingerprint and drop repeated ones. */
static void sort_unique(struct iotb_baseline *bl)
{
	size_t i, out = 0;

	if (bl->n > 1)
		qsort(bl->entries, bl->n, sizeof(*bl->entries), cmp_entry);
	for (i = 0; i < bl->n; i++) {
		if (out && !strcmp(bl->entries[out - 1].fingerprint, bl->entries[i].fingerprint)) {
			entry_release(&bl->entries[i]);
			continue;
		}
		bl->entries[out++] = bl->entries[i];
	}
	bl->n = out;
}

static int parse_root(struct iotb_baseline *bl, const json_t *root, const char *name)
{
	const json_t *version = json_object_get(root, "baseline_version");
	const json_t *findings, *item;
	size_t i;

	if (!json_is_object(root) || !version)
		return iotb_fail("'%s' is not an iotb baseline (no \"baseline_version\")", name);
	if (!json_is_integer(version) || json_integer_value(version) != IOTB_BASELINE_VERSION) {
		char *shown = json_dumps(version, JSON_ENCODE_ANY | JSON_COMPACT);
		int rc = iotb_fail("unsupported baseline version %s in '%s' (this iotb reads "
		                   "version %d)", shown ? shown : "?", name,
		                   IOTB_BASELINE_VERSION);

		free(shown);
		return rc;
	}
	findings = json_object_get(root, "findings");
	if (!json_is_array(findings))
		return iotb_fail("'%s': \"findings\" is not an array", name);
	bl->entries = iotb_xrealloc(bl->entries, (bl->n + json_array_size(findings) + 1) *
	                            sizeof(*bl->entries));
	json_array_foreach(findings, i, item) {
		if (parse_entry(item, &bl->entries[bl->n], name, i) < 0)
			return -1;
		bl->n++;
	}
	sort_unique(bl);
	return 0;
}

int iotb_baseline_parse(struct iotb_baseline *bl, const char *text, size_t len,
                        const char *name)
{
	json_error_t err;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	int rc;

	if (!root)
		return iotb_fail_at(name, err.line > 0 ? (unsigned)err.line : 0,
		                    err.column > 0 ? (unsigned)err.column : 0,
		                    "invalid JSON in baseline: %s", err.text);
	rc = parse_root(bl, root, name);
	json_decref(root);
	if (rc == 0 && !bl->path)
		bl->path = iotb_xstrdup(name);
	return rc;
}

int iotb_baseline_load(struct iotb_baseline *bl, const char *path)
{
	char *text = NULL;
	size_t len = 0;
	int rc;

	if (iotb_read_file(path, BASELINE_MAX_BYTES, &text, &len) < 0)
		return -1;
	rc = iotb_baseline_parse(bl, text, len, path);
	free(text);
	return rc;
}

static struct iotb_baseline_entry *find_entry(const struct iotb_baseline *bl,
                                              const char *fingerprint)
{
	struct iotb_baseline_entry key;

	if (!bl || !bl->n || strlen(fingerprint) != 64)
		return NULL;
	memcpy(key.fingerprint, fingerprint, 65);
	return bsearch(&key, bl->entries, bl->n, sizeof(*bl->entries), cmp_entry);
}

const struct iotb_baseline_entry *iotb_baseline_find(const struct iotb_baseline *bl,
                                                     const char *fingerprint)
{
	return find_entry(bl, fingerprint);
}

unsigned long iotb_baseline_apply(struct iotb_baseline *bl, struct iotb_results *res)
{
	unsigned long marked = 0;
	size_t i;

	for (i = 0; i < bl->n; i++)
		bl->entries[i].present = false;
	for (i = 0; i < res->nfindings; i++) {
		struct iotb_finding *f = &res->findings[i];
		struct iotb_baseline_entry *e;

		e = find_entry(bl, f->fingerprint);
		if (!e)
			continue;
		e->present = true;
		if (!f->suppressed_by) {
			f->suppressed_by = iotb_xstrdup(IOTB_BASELINE_REASON);
			marked++;
		}
	}
	return marked;
}

size_t iotb_baseline_absent_count(const struct iotb_baseline *bl)
{
	size_t i, n = 0;

	for (i = 0; bl && i < bl->n; i++)
		if (!bl->entries[i].present)
			n++;
	return n;
}

bool iotb_finding_is_baselined(const struct iotb_finding *f)
{
	return f->suppressed_by && !strcmp(f->suppressed_by, IOTB_BASELINE_REASON);
}

const char *iotb_baseline_state(const struct iotb_baseline *bl,
                                const struct iotb_finding *f)
{
	return iotb_baseline_find(bl, f->fingerprint) ? "unchanged" : "new";
}

static void set_clean(json_t *obj, const char *key, const char *s)
{
	char *clean = iotb_utf8_sanitize(s, strlen(s));

	json_object_set_new(obj, key, json_string(clean));
	free(clean);
}

static json_t *entry_json(const struct iotb_results *res, const struct iotb_finding *f)
{
	json_t *obj = json_object();
	char *rel = iotb_path_relative(res->source_root ? res->source_root : ".",
	                               f->loc.path ? f->loc.path : "");

	json_object_set_new(obj, "fingerprint", json_string(f->fingerprint));
	json_object_set_new(obj, "rule", json_string(f->rule->id));
	set_clean(obj, "path", rel);
	if (f->loc.line)
		json_object_set_new(obj, "line", json_integer(f->loc.line));
	set_clean(obj, "message", f->message ? f->message : "");
	free(rel);
	return obj;
}

json_t *iotb_baseline_to_json(const struct iotb_results *res)
{
	json_t *root = json_object(), *arr = json_array();
	size_t i;

	json_object_set_new(root, "baseline_version", json_integer(IOTB_BASELINE_VERSION));
	json_object_set_new(root, "tool", json_string("iotbaseline"));
	for (i = 0; i < res->nfindings; i++) {
		const struct iotb_finding *f = &res->findings[i];

		if (!f->rule || (f->suppressed_by && !iotb_finding_is_baselined(f)))
			continue;
		json_array_append_new(arr, entry_json(res, f));
	}
	json_object_set_new(root, "findings", arr);
	return root;
}

int iotb_baseline_write(const struct iotb_results *res, const char *path, size_t *count)
{
	json_t *root = iotb_baseline_to_json(res);
	char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	struct iotb_strbuf sb;
	int rc;

	if (count)
		*count = json_array_size(json_object_get(root, "findings"));
	iotb_strbuf_init(&sb);
	iotb_strbuf_adds(&sb, text ? text : "{}");
	iotb_strbuf_adds(&sb, "\n");
	rc = iotb_write_file_atomic(path, sb.buf, sb.len);
	iotb_strbuf_release(&sb);
	free(text);
	json_decref(root);
	return rc;
}
