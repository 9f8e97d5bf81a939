/*
 * yamldoc.c — typed access to one libyaml document (yaml_parser_load) for the
 * catalogue and config loaders: type checks, key checks, scalar/list/integer
 * accessors and rule parameters (matcher entries with globs and PCRE2
 * regexes), every problem reported as "file:line:col: message" (1-based,
 * from the node's start mark).
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <errno.h>
#include <limits.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iotb_util.h"
#include "yamldoc.h"

/* Limits for one regex match (PCRE2 match and depth limits). */
#define REGEX_MATCH_LIMIT 100000
#define REGEX_DEPTH_LIMIT 1000
/* The largest argument index a matcher entry may name. */
#define MAX_ARG_INDEX 127
/* Rule and config files are small; refuse anything larger. */
#define MAX_YAML_BYTES (16u << 20)

static const char *node_type_name(const yaml_node_t *node)
{
	switch (node->type) {
	case YAML_SCALAR_NODE:
		return "a scalar";
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_MAPPING_NODE:
		return "a mapping";
	default:
		return "nothing";
	}
}

static const char *yaml_type_name(yaml_node_type_t type)
{
	yaml_node_t probe;

	probe.type = type;
	return node_type_name(&probe);
}

/* 1-based line/column of a byte offset in text (for reader errors). */
static void offset_position(const char *text, size_t len, size_t offset,
			    unsigned *line, unsigned *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < offset && i < len; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

static int fail_parser(const char *path, const yaml_parser_t *parser,
		       const char *text, size_t len)
{
	const char *problem = parser->problem ? parser->problem : "malformed YAML";
	unsigned line, col;

	if (parser->error == YAML_READER_ERROR) {
		offset_position(text, len, parser->problem_offset, &line, &col);
		return iotb_fail_at(path, line, col, "%s", problem);
	}
	line = (unsigned)parser->problem_mark.line + 1;
	col = (unsigned)parser->problem_mark.column + 1;
	if (parser->context)
		return iotb_fail_at(path, line, col, "%s (%s at line %u)",
				    problem, parser->context,
				    (unsigned)parser->context_mark.line + 1);
	return iotb_fail_at(path, line, col, "%s", problem);
}

/* A second document would be silently ignored: make it an error. */
static int reject_second_document(struct iotb_yamldoc *yd, yaml_parser_t *parser,
				  const char *text, size_t len)
{
	yaml_document_t next;
	yaml_node_t *root;
	int ret = 0;

	if (!yaml_parser_load(parser, &next)) {
		fail_parser(yd->file, parser, text, len);
		return -1;
	}
	root = yaml_document_get_root_node(&next);
	if (root)
		ret = iotb_fail_at(yd->file, (unsigned)root->start_mark.line + 1,
				   (unsigned)root->start_mark.column + 1,
				   "a second YAML document; a config or rule file holds one");
	yaml_document_delete(&next);
	return ret;
}

int iotb_yamldoc_load(struct iotb_yamldoc *yd, const char *path)
{
	yaml_parser_t parser;
	char *text = NULL;
	size_t len = 0;
	int ret = -1;

	memset(yd, 0, sizeof(*yd));
	yd->file = iotb_xstrdup(path);
	if (iotb_read_file(path, MAX_YAML_BYTES, &text, &len) < 0)
		return -1;
	if (!yaml_parser_initialize(&parser)) {
		free(text);
		return iotb_fail("cannot initialise the YAML parser");
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &yd->doc)) {
		fail_parser(path, &parser, text, len);
		goto out;
	}
	yd->loaded = true;
	ret = reject_second_document(yd, &parser, text, len);
out:
	yaml_parser_delete(&parser);
	free(text);
	return ret;
}

void iotb_yamldoc_release(struct iotb_yamldoc *yd)
{
	if (!yd)
		return;
	if (yd->loaded)
		yaml_document_delete(&yd->doc);
	free(yd->file);
	memset(yd, 0, sizeof(*yd));
}

yaml_node_t *iotb_yaml_root(struct iotb_yamldoc *yd)
{
	if (!yd->loaded)
		return NULL;
	return yaml_document_get_root_node(&yd->doc);
}

yaml_node_t *iotb_yaml_node(struct iotb_yamldoc *yd, int index)
{
	if (!yd->loaded)
		return NULL;
	return yaml_document_get_node(&yd->doc, index);
}

static int vfail_node(struct iotb_yamldoc *yd, const yaml_node_t *node,
		      const char *fmt, va_list ap)
{
	struct iotb_strbuf sb;
	unsigned line = 0, col = 0;
	int ret;

	iotb_strbuf_init(&sb);
	iotb_strbuf_vaddf(&sb, fmt, ap);
	if (node) {
		line = (unsigned)node->start_mark.line + 1;
		col = (unsigned)node->start_mark.column + 1;
	}
	ret = iotb_fail_at(yd->file, line, col, "%s", sb.buf);
	iotb_strbuf_release(&sb);
	return ret;
}

int iotb_yaml_fail(struct iotb_yamldoc *yd, const yaml_node_t *node,
		   const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vfail_node(yd, node, fmt, ap);
	va_end(ap);
	return ret;
}

char *iotb_yaml_origin(struct iotb_yamldoc *yd, const yaml_node_t *node)
{
	if (!node)
		return iotb_xstrdup(yd->file);
	return iotb_xasprintf("%s:%u:%u", yd->file,
			      (unsigned)node->start_mark.line + 1,
			      (unsigned)node->start_mark.column + 1);
}

int iotb_yaml_expect(struct iotb_yamldoc *yd, const yaml_node_t *node,
		     yaml_node_type_t type, const char *what)
{
	if (node && node->type == type)
		return 0;
	return iotb_yaml_fail(yd, node, "expected %s for '%s', found %s",
			      yaml_type_name(type), what,
			      node ? node_type_name(node) : "nothing");
}

const char *iotb_yaml_scalar(struct iotb_yamldoc *yd, const yaml_node_t *node,
			     const char *what)
{
	if (iotb_yaml_expect(yd, node, YAML_SCALAR_NODE, what) < 0)
		return NULL;
	if (strlen((const char *)node->data.scalar.value) != node->data.scalar.length) {
		iotb_yaml_fail(yd, node, "NUL byte in the value of '%s'", what);
		return NULL;
	}
	return (const char *)node->data.scalar.value;
}

int iotb_yaml_uint(struct iotb_yamldoc *yd, const yaml_node_t *node,
		   const char *what, unsigned long *out)
{
	const char *text = iotb_yaml_scalar(yd, node, what);
	const char *p;
	unsigned long value;

	if (!text)
		return -1;
	for (p = text; *p; p++)
		if (*p < '0' || *p > '9')
			break;
	if (p == text || *p)
		return iotb_yaml_fail(yd, node,
				      "expected a non-negative integer for '%s', found '%s'",
				      what, text);
	errno = 0;
	value = strtoul(text, NULL, 10);
	if (errno == ERANGE)
		return iotb_yaml_fail(yd, node, "integer '%s' for '%s' is too large",
				      text, what);
	*out = value;
	return 0;
}

static bool is_allowed(const char *const *allowed, const char *key)
{
	for (; *allowed; allowed++)
		if (strcmp(*allowed, key) == 0)
			return true;
	return false;
}

static char *join_allowed(const char *const *allowed)
{
	struct iotb_strbuf sb;
	char *list;

	iotb_strbuf_init(&sb);
	for (; *allowed; allowed++) {
		if (sb.len)
			iotb_strbuf_adds(&sb, ", ");
		iotb_strbuf_adds(&sb, *allowed);
	}
	list = iotb_strbuf_detach(&sb);
	return list;
}

/* Key text of a mapping pair, or NULL + error when the key is no scalar. */
static const char *pair_key(struct iotb_yamldoc *yd, const yaml_node_pair_t *pair,
			    const char *what, yaml_node_t **key_node)
{
	yaml_node_t *key = iotb_yaml_node(yd, pair->key);

	*key_node = key;
	if (!key || key->type != YAML_SCALAR_NODE) {
		iotb_yaml_fail(yd, key, "expected a scalar key in %s, found %s",
			       what, key ? node_type_name(key) : "nothing");
		return NULL;
	}
	if (strlen((const char *)key->data.scalar.value) != key->data.scalar.length) {
		iotb_yaml_fail(yd, key, "NUL byte in a key of %s", what);
		return NULL;
	}
	return (const char *)key->data.scalar.value;
}

struct key_ref {
	const char *key;
	size_t index;
	yaml_node_t *node;
};

static int cmp_key_ref(const void *pa, const void *pb)
{
	const struct key_ref *a = pa, *b = pb;
	int c = strcmp(a->key, b->key);

	return c ? c : (a->index > b->index) - (a->index < b->index);
}

/*
 * The first pair (in document order) whose key an earlier pair already
 * used, or NULL.  Sorting keeps this O(n log n) for huge mappings.
 */
static const struct key_ref *first_duplicate(struct key_ref *refs, size_t n)
{
	const struct key_ref *dup = NULL;
	size_t i;

	if (n > 1)
		qsort(refs, n, sizeof(*refs), cmp_key_ref);
	for (i = 1; i < n; i++)
		if (!strcmp(refs[i].key, refs[i - 1].key) && (!dup || refs[i].index < dup->index))
			dup = &refs[i];
	return dup;
}

/* Key checks; allowed == NULL accepts any scalar key (duplicates still fail). */
static int check_keys(struct iotb_yamldoc *yd, const yaml_node_t *map,
		      const char *const *allowed, const char *what)
{
	const yaml_node_pair_t *pair;
	const struct key_ref *dup;
	struct key_ref *refs;
	size_t n = 0;
	int ret = -1;

	if (iotb_yaml_expect(yd, map, YAML_MAPPING_NODE, what) < 0)
		return -1;
	refs = iotb_xcalloc((size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start),
			    sizeof(*refs));
	for (pair = map->data.mapping.pairs.start;
	     pair < map->data.mapping.pairs.top; pair++, n++) {
		yaml_node_t *key_node;
		const char *key = pair_key(yd, pair, what, &key_node);

		if (!key)
			goto out;
		if (allowed && !is_allowed(allowed, key)) {
			char *list = join_allowed(allowed);

			iotb_yaml_fail(yd, key_node,
				       "unknown key '%s' in %s (expected one of: %s)",
				       key, what, list);
			free(list);
			goto out;
		}
		refs[n] = (struct key_ref){ key, n, key_node };
	}
	dup = first_duplicate(refs, n);
	if (dup) {
		iotb_yaml_fail(yd, dup->node, "duplicate key '%s'", dup->key);
		goto out;
	}
	ret = 0;
out:
	free(refs);
	return ret;
}

int iotb_yaml_check_keys(struct iotb_yamldoc *yd, const yaml_node_t *map,
			 const char *const *allowed, const char *what)
{
	return check_keys(yd, map, allowed, what);
}

yaml_node_t *iotb_yaml_get(struct iotb_yamldoc *yd, const yaml_node_t *map,
			   const char *key)
{
	const yaml_node_pair_t *pair;

	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (pair = map->data.mapping.pairs.start;
	     pair < map->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = iotb_yaml_node(yd, pair->key);

		if (k && k->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)k->data.scalar.value, key) == 0)
			return iotb_yaml_node(yd, pair->value);
	}
	return NULL;
}

int iotb_yaml_strlist(struct iotb_yamldoc *yd, const yaml_node_t *node,
		      const char *what, struct iotb_strvec *sv)
{
	const yaml_node_item_t *item;

	if (node && node->type == YAML_SCALAR_NODE) {
		iotb_strvec_push(sv, (const char *)node->data.scalar.value);
		return 0;
	}
	if (!node || node->type != YAML_SEQUENCE_NODE)
		return iotb_yaml_fail(yd, node,
				      "expected a scalar or a list for '%s', found %s",
				      what, node ? node_type_name(node) : "nothing");
	for (item = node->data.sequence.items.start;
	     item < node->data.sequence.items.top; item++) {
		const char *s = iotb_yaml_scalar(yd, iotb_yaml_node(yd, *item), what);

		if (!s)
			return -1;
		iotb_strvec_push(sv, s);
	}
	return 0;
}

/* --- parameters and matcher entries --- */

/* Compile pattern; on failure fill err (PCRE2's message and offset). */
static pcre2_code *compile_regex(const char *pattern, char *err, size_t errlen)
{
	pcre2_code *code;
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE erroffset = 0;
	int errcode = 0;

	code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
			     PCRE2_NEVER_BACKSLASH_C, &errcode, &erroffset, NULL);
	if (code)
		return code;
	if (pcre2_get_error_message(errcode, msg, sizeof(msg)) < 0)
		snprintf((char *)msg, sizeof(msg), "error %d", errcode);
	snprintf(err, errlen, "%s at offset %zu", (const char *)msg, (size_t)erroffset);
	return NULL;
}

static const char *const success_names[] = {
	[IOTB_SUCCESS_ZERO] = "zero",
	[IOTB_SUCCESS_NONZERO] = "nonzero",
	[IOTB_SUCCESS_NONNEG] = "nonneg",
	[IOTB_SUCCESS_NONNULL] = "nonnull",
};

static int parse_success(struct iotb_yamldoc *yd, const yaml_node_t *node,
			 enum iotb_success *out)
{
	const char *s = iotb_yaml_scalar(yd, node, "success");
	size_t i;

	if (!s)
		return -1;
	for (i = IOTB_SUCCESS_ZERO; i <= IOTB_SUCCESS_NONNULL; i++) {
		if (strcmp(s, success_names[i]) == 0) {
			*out = (enum iotb_success)i;
			return 0;
		}
	}
	return iotb_yaml_fail(yd, node,
			      "unknown success convention '%s' (expected one of: zero, nonzero, nonneg, nonnull)",
			      s);
}

static int parse_args(struct iotb_yamldoc *yd, const yaml_node_t *node,
		      struct iotb_funcspec *spec)
{
	const yaml_node_pair_t *pair;
	size_t n;

	if (check_keys(yd, node, NULL, "args") < 0)
		return -1;
	n = (size_t)(node->data.mapping.pairs.top - node->data.mapping.pairs.start);
	spec->args = iotb_xcalloc(n ? n : 1, sizeof(*spec->args));
	for (pair = node->data.mapping.pairs.start;
	     pair < node->data.mapping.pairs.top; pair++) {
		yaml_node_t *key = iotb_yaml_node(yd, pair->key);
		yaml_node_t *value = iotb_yaml_node(yd, pair->value);
		const char *role = (const char *)key->data.scalar.value;
		unsigned long index;

		if (iotb_yaml_uint(yd, value, role, &index) < 0)
			return -1;
		if (index > MAX_ARG_INDEX)
			return iotb_yaml_fail(yd, value,
					      "argument index %lu for '%s' is too large (at most %d)",
					      index, role, MAX_ARG_INDEX);
		spec->args[spec->nargs].role = iotb_xstrdup(role);
		spec->args[spec->nargs].index = (int)index;
		spec->nargs++;
	}
	return 0;
}

static int set_pattern(struct iotb_yamldoc *yd, const yaml_node_t *node,
		       enum iotb_match_kind kind, const char *key,
		       struct iotb_funcspec *spec)
{
	const char *pattern = iotb_yaml_scalar(yd, node, key);
	char err[512];

	if (!pattern)
		return -1;
	if (!*pattern)
		return iotb_yaml_fail(yd, node, "empty %s in a matcher entry", key);
	if (kind == IOTB_MATCH_GLOB && iotb_glob_check(pattern) < 0) {
		snprintf(err, sizeof(err), "%s", iotb_last_error());
		return iotb_yaml_fail(yd, node, "bad glob: %s", err);
	}
	if (kind == IOTB_MATCH_REGEX) {
		spec->regex = compile_regex(pattern, err, sizeof(err));
		if (!spec->regex)
			return iotb_yaml_fail(yd, node, "bad regex '%s': %s",
					      pattern, err);
	}
	spec->kind = kind;
	spec->pattern = iotb_xstrdup(pattern);
	return 0;
}

static const char *const entry_keys[] = {
	"name", "glob", "regex", "args", "success", "note", NULL
};

static int parse_entry_map(struct iotb_yamldoc *yd, const yaml_node_t *node,
			   const char *param, struct iotb_funcspec *spec)
{
	static const enum iotb_match_kind kinds[] = {
		IOTB_MATCH_NAME, IOTB_MATCH_GLOB, IOTB_MATCH_REGEX
	};
	char what[128];
	yaml_node_t *value, *pattern_node = NULL;
	const char *pattern_key = NULL;
	const char *note;
	size_t i;

	snprintf(what, sizeof(what), "a '%s' entry", param);
	if (check_keys(yd, node, entry_keys, what) < 0)
		return -1;
	for (i = 0; i < 3; i++) {
		value = iotb_yaml_get(yd, node, entry_keys[i]);
		if (!value)
			continue;
		if (pattern_node)
			return iotb_yaml_fail(yd, node,
					      "a '%s' entry has both '%s' and '%s' (use exactly one of: name, glob, regex)",
					      param, pattern_key, entry_keys[i]);
		pattern_node = value;
		pattern_key = entry_keys[i];
		if (set_pattern(yd, value, kinds[i], entry_keys[i], spec) < 0)
			return -1;
	}
	if (!pattern_node)
		return iotb_yaml_fail(yd, node,
				      "a '%s' entry needs one of: name, glob, regex", param);
	value = iotb_yaml_get(yd, node, "args");
	if (value && parse_args(yd, value, spec) < 0)
		return -1;
	value = iotb_yaml_get(yd, node, "success");
	if (value && parse_success(yd, value, &spec->success) < 0)
		return -1;
	value = iotb_yaml_get(yd, node, "note");
	if (value) {
		note = iotb_yaml_scalar(yd, value, "note");
		if (!note)
			return -1;
		spec->note = iotb_xstrdup(note);
	}
	return 0;
}

static int parse_entry(struct iotb_yamldoc *yd, const yaml_node_t *node,
		       const char *param, struct iotb_funcspec *spec)
{
	memset(spec, 0, sizeof(*spec));
	spec->origin = iotb_yaml_origin(yd, node);
	if (node && node->type == YAML_SCALAR_NODE)
		return set_pattern(yd, node, IOTB_MATCH_NAME, "name", spec);
	if (node && node->type == YAML_MAPPING_NODE)
		return parse_entry_map(yd, node, param, spec);
	return iotb_yaml_fail(yd, node,
			      "expected a name or a mapping for a '%s' entry, found %s",
			      param, node ? node_type_name(node) : "nothing");
}

int iotb_yaml_param(struct iotb_yamldoc *yd, const yaml_node_t *node,
		    const char *name, struct iotb_param *out)
{
	const yaml_node_item_t *item;
	size_t n;

	memset(out, 0, sizeof(*out));
	out->name = iotb_xstrdup(name);
	if (node && node->type == YAML_SCALAR_NODE) {
		out->type = IOTB_PARAM_SCALAR;
		out->scalar = iotb_xstrdup((const char *)node->data.scalar.value);
		return 0;
	}
	if (!node || node->type != YAML_SEQUENCE_NODE) {
		iotb_yaml_fail(yd, node,
			       "expected a scalar or a list for parameter '%s', found %s",
			       name, node ? node_type_name(node) : "nothing");
		goto fail;
	}
	out->type = IOTB_PARAM_LIST;
	n = (size_t)(node->data.sequence.items.top - node->data.sequence.items.start);
	out->specs = iotb_xcalloc(n ? n : 1, sizeof(*out->specs));
	for (item = node->data.sequence.items.start;
	     item < node->data.sequence.items.top; item++) {
		struct iotb_funcspec *spec = &out->specs[out->nspecs++];

		if (parse_entry(yd, iotb_yaml_node(yd, *item), name, spec) < 0)
			goto fail;
	}
	return 0;
fail:
	iotb_param_release(out);
	return -1;
}

void iotb_funcspec_release(struct iotb_funcspec *s)
{
	size_t i;

	if (!s)
		return;
	free(s->pattern);
	pcre2_code_free((pcre2_code *)s->regex);
	for (i = 0; i < s->nargs; i++)
		free(s->args[i].role);
	free(s->args);
	free(s->note);
	free(s->origin);
	memset(s, 0, sizeof(*s));
}

void iotb_param_release(struct iotb_param *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->nspecs; i++)
		iotb_funcspec_release(&p->specs[i]);
	free(p->specs);
	free(p->name);
	free(p->scalar);
	memset(p, 0, sizeof(*p));
}

static int copy_funcspec(struct iotb_funcspec *dst, const struct iotb_funcspec *src)
{
	char err[512];
	size_t i;

	memset(dst, 0, sizeof(*dst));
	dst->kind = src->kind;
	dst->pattern = iotb_xstrdup(src->pattern);
	dst->success = src->success;
	dst->note = iotb_xstrdup(src->note);
	dst->origin = iotb_xstrdup(src->origin);
	if (src->nargs) {
		dst->args = iotb_xcalloc(src->nargs, sizeof(*dst->args));
		for (i = 0; i < src->nargs; i++) {
			dst->args[i].role = iotb_xstrdup(src->args[i].role);
			dst->args[i].index = src->args[i].index;
		}
		dst->nargs = src->nargs;
	}
	if (src->kind == IOTB_MATCH_REGEX) {
		dst->regex = compile_regex(src->pattern, err, sizeof(err));
		if (!dst->regex)
			return iotb_fail("bad regex '%s': %s", src->pattern, err);
	}
	return 0;
}

int iotb_param_append(struct iotb_param *dst, const struct iotb_param *src)
{
	size_t i;

	if (dst->type != IOTB_PARAM_LIST || src->type != IOTB_PARAM_LIST)
		return iotb_fail("cannot extend parameter '%s': it is not a list",
				 dst->name);
	if (!src->nspecs)
		return 0;
	dst->specs = iotb_xrealloc(dst->specs,
				   (dst->nspecs + src->nspecs) * sizeof(*dst->specs));
	for (i = 0; i < src->nspecs; i++) {
		if (copy_funcspec(&dst->specs[dst->nspecs], &src->specs[i]) < 0) {
			iotb_funcspec_release(&dst->specs[dst->nspecs]);
			return -1;
		}
		dst->nspecs++;
	}
	return 0;
}

/* Matches that hit the PCRE2 match or depth limit (drained by the walker). */
static struct {
	unsigned long hits;
	char *what;   /* "'PATTERN' (ORIGIN) on 'SUBJECT'" of the first hit */
} regex_limit;

unsigned long iotb_regex_limit_take(char **what)
{
	unsigned long hits = regex_limit.hits;

	*what = regex_limit.what;
	regex_limit.what = NULL;
	regex_limit.hits = 0;
	return hits;
}

static void record_limit_hit(const struct iotb_funcspec *spec, const char *name)
{
	if (!regex_limit.hits++)
		regex_limit.what = iotb_xasprintf("'%s' (%s) on '%.80s'", spec->pattern,
						  spec->origin ? spec->origin : "config", name);
}

/* One match context and match data for the process: no allocation per
 * call (elfcheck matches every symbol against every regex entry). */
static bool is_regex_match(const struct iotb_funcspec *spec, const char *name)
{
	static pcre2_match_context *mctx;
	static pcre2_match_data *md;
	int rc;

	if (!spec->regex)
		return false;
	if (!mctx) {
		mctx = pcre2_match_context_create(NULL);
		md = pcre2_match_data_create(8, NULL);
		if (!mctx || !md)
			return false;
		pcre2_set_match_limit(mctx, REGEX_MATCH_LIMIT);
		pcre2_set_depth_limit(mctx, REGEX_DEPTH_LIMIT);
	}
	rc = pcre2_match(spec->regex, (PCRE2_SPTR)name, strlen(name), 0, 0, md, mctx);
	if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT)
		record_limit_hit(spec, name);
	return rc >= 0;
}

bool iotb_funcspec_matches(const struct iotb_funcspec *spec, const char *name)
{
	if (!spec || !name || !spec->pattern)
		return false;
	switch (spec->kind) {
	case IOTB_MATCH_NAME:
		return strcmp(spec->pattern, name) == 0;
	case IOTB_MATCH_GLOB:
		return iotb_glob_match(spec->pattern, name);
	case IOTB_MATCH_REGEX:
		return is_regex_match(spec, name);
	}
	return false;
}

int iotb_funcspec_arg(const struct iotb_funcspec *spec, const char *role)
{
	size_t i;

	for (i = 0; i < spec->nargs; i++)
		if (strcmp(spec->args[i].role, role) == 0)
			return spec->args[i].index;
	return -1;
}
