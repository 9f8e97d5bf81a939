/*
 * catalogue.c — loads and validates the clause catalogue (rules/clauses.yaml)
 * and the rule files (rules/<area>.yaml), with "file:line:col: problem"
 * errors; lookups by rule id, clause id and parameter name.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalogue.h"
#include "iotb_util.h"
#include "yamldoc.h"

#ifndef IOTB_RULES_DIR_DEFAULT
#define IOTB_RULES_DIR_DEFAULT "rules"
#endif

#define CLAUSES_FILE "clauses.yaml"
/* The area whose rules may name no clause (tool-health rules). */
#define SCAN_AREA "scan"

/* One file being loaded. */
struct loader {
	struct iotb_catalogue *cat;
	struct iotb_yamldoc yd;
	const char *area;
	struct iotb_rule *rules;      /* rules of this file, merged on success */
	size_t nrules;
};

/* --- small helpers --- */

static const char *const severity_names[] = {
	[IOTB_SEV_NOTE] = "note",
	[IOTB_SEV_WARNING] = "warning",
	[IOTB_SEV_ERROR] = "error",
	[IOTB_SEV_NEVER] = "never",
};

int iotb_severity_parse(const char *s, bool allow_never)
{
	int sev;

	if (!s)
		return -1;
	for (sev = IOTB_SEV_NOTE; sev <= IOTB_SEV_NEVER; sev++) {
		if (sev == IOTB_SEV_NEVER && !allow_never)
			break;
		if (strcmp(s, severity_names[sev]) == 0)
			return sev;
	}
	return -1;
}

const char *iotb_severity_name(enum iotb_severity sev)
{
	if (sev < IOTB_SEV_NOTE || sev > IOTB_SEV_NEVER)
		return "unknown";
	return severity_names[sev];
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || is_digit(c) || c == '-';
}

/* [a-z0-9][a-z0-9-]* */
static bool is_valid_name(const char *s)
{
	if (!*s || *s == '-')
		return false;
	for (; *s; s++)
		if (!is_name_char(*s))
			return false;
	return true;
}

bool iotb_clause_id_valid(const char *s)
{
	int groups = 0;

	if (!s)
		return false;
	for (;;) {
		if (!is_digit(*s))
			return false;
		while (is_digit(*s))
			s++;
		groups++;
		if (*s != '.')
			break;
		s++;
	}
	if (groups < 2)
		return false;
	if (*s == ' ')
		return s[1] >= 'a' && s[1] <= 'z' && s[2] == '\0';
	return *s == '\0';
}

/* "5.2.6.1.4" → "5.2": the id up to its second dot (or its end). */
static char *clause_section(const char *id)
{
	const char *dot = strchr(id, '.');
	size_t n;

	dot = dot ? strchr(dot + 1, '.') : NULL;
	n = dot ? (size_t)(dot - id) : strcspn(id, " ");
	return iotb_xstrndup(id, n);
}

/* Copy of s without trailing whitespace (folded YAML text ends in '\n'). */
static char *dup_trimmed(const char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return iotb_xstrndup(s, n);
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Area of a rule file: its basename up to the last '.'. */
static char *file_area(const char *path)
{
	const char *base = strrchr(path, '/');
	const char *dot;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	return iotb_xstrndup(base, dot && dot != base ? (size_t)(dot - base) : strlen(base));
}

/* --- release --- */

static void rule_release(struct iotb_rule *r)
{
	size_t i;

	free(r->id);
	free(r->area);
	free(r->title);
	for (i = 0; i < r->nclauses; i++)
		free(r->clauses[i]);
	free(r->clauses);
	free(r->cwes);
	free(r->description);
	free(r->remediation);
	for (i = 0; i < r->nparams; i++)
		iotb_param_release(&r->params[i]);
	free(r->params);
	free(r->origin);
	memset(r, 0, sizeof(*r));
}

static void clause_release(struct iotb_clause *c)
{
	free(c->id);
	free(c->title);
	free(c->section);
	memset(c, 0, sizeof(*c));
}

void iotb_catalogue_free(struct iotb_catalogue *cat)
{
	size_t i;

	if (!cat)
		return;
	for (i = 0; i < cat->nclauses; i++)
		clause_release(&cat->clauses[i]);
	free(cat->clauses);
	for (i = 0; i < cat->nrules; i++)
		rule_release(&cat->rules[i]);
	free(cat->rules);
	free(cat->dir);
	free(cat);
}

/* --- shared field readers --- */

/* Fail unless every key in required is present in map. */
static int check_required(struct loader *ld, const yaml_node_t *map,
			  const char *const *required, const char *what,
			  const char *id)
{
	for (; *required; required++) {
		if (iotb_yaml_get(&ld->yd, map, *required))
			continue;
		if (id)
			return iotb_yaml_fail(&ld->yd, map, "missing key '%s' in %s '%s'",
					      *required, what, id);
		return iotb_yaml_fail(&ld->yd, map, "missing key '%s' in %s",
				      *required, what);
	}
	return 0;
}

/* A non-empty scalar (trimmed copy in *out), or -1. */
static int read_text(struct loader *ld, const yaml_node_t *map, const char *key,
		     char **out)
{
	yaml_node_t *node = iotb_yaml_get(&ld->yd, map, key);
	const char *s;

	if (!node)
		return 0;
	s = iotb_yaml_scalar(&ld->yd, node, key);
	if (!s)
		return -1;
	*out = dup_trimmed(s);
	if (!**out)
		return iotb_yaml_fail(&ld->yd, node, "empty value for '%s'", key);
	return 0;
}

/* Check the mapping's keys and that the root holds a list under key. */
static yaml_node_t *root_list(struct loader *ld, const char *key, const char *what)
{
	const char *const allowed[] = { key, NULL };
	yaml_node_t *root = iotb_yaml_root(&ld->yd), *list;

	if (!root) {
		iotb_fail_at(ld->yd.file, 1, 1, "empty %s (expected a mapping with key '%s')",
			     what, key);
		return NULL;
	}
	if (iotb_yaml_expect(&ld->yd, root, YAML_MAPPING_NODE, what) < 0 ||
	    iotb_yaml_check_keys(&ld->yd, root, allowed, what) < 0 ||
	    check_required(ld, root, allowed, what, NULL) < 0)
		return NULL;
	list = iotb_yaml_get(&ld->yd, root, key);
	if (iotb_yaml_expect(&ld->yd, list, YAML_SEQUENCE_NODE, key) < 0)
		return NULL;
	return list;
}

/* --- clauses.yaml --- */

static const char *const clause_keys[] = { "id", "title", "kind", NULL };

static int parse_clause_kind(struct loader *ld, const yaml_node_t *map,
			     enum iotb_clause_kind *out)
{
	yaml_node_t *node = iotb_yaml_get(&ld->yd, map, "kind");
	const char *s = iotb_yaml_scalar(&ld->yd, node, "kind");

	if (!s)
		return -1;
	if (strcmp(s, "requirement") == 0)
		*out = IOTB_CLAUSE_REQUIREMENT;
	else if (strcmp(s, "recommendation") == 0)
		*out = IOTB_CLAUSE_RECOMMENDATION;
	else
		return iotb_yaml_fail(&ld->yd, node,
				      "unknown clause kind '%s' (expected one of: requirement, recommendation)",
				      s);
	return 0;
}

static int parse_clause(struct loader *ld, const yaml_node_t *map,
			struct iotb_clause *c)
{
	yaml_node_t *id_node;
	const char *id;

	if (iotb_yaml_expect(&ld->yd, map, YAML_MAPPING_NODE, "clause") < 0 ||
	    iotb_yaml_check_keys(&ld->yd, map, clause_keys, "clause") < 0 ||
	    check_required(ld, map, clause_keys, "clause", NULL) < 0)
		return -1;
	id_node = iotb_yaml_get(&ld->yd, map, "id");
	id = iotb_yaml_scalar(&ld->yd, id_node, "id");
	if (!id)
		return -1;
	if (!iotb_clause_id_valid(id))
		return iotb_yaml_fail(&ld->yd, id_node,
				      "malformed clause id '%s' (expected N.N... with an optional ' x' letter)",
				      id);
	if (iotb_catalogue_clause(ld->cat, id))
		return iotb_yaml_fail(&ld->yd, id_node, "duplicate clause id '%s'", id);
	c->id = iotb_xstrdup(id);
	c->section = clause_section(id);
	if (read_text(ld, map, "title", &c->title) < 0)
		return -1;
	return parse_clause_kind(ld, map, &c->kind);
}

static int load_clauses(struct loader *ld)
{
	struct iotb_catalogue *cat = ld->cat;
	const yaml_node_item_t *item;
	yaml_node_t *list = root_list(ld, "clauses", "clause file");
	size_t n;

	if (!list)
		return -1;
	n = (size_t)(list->data.sequence.items.top - list->data.sequence.items.start);
	cat->clauses = iotb_xcalloc(n ? n : 1, sizeof(*cat->clauses));
	for (item = list->data.sequence.items.start;
	     item < list->data.sequence.items.top; item++) {
		struct iotb_clause *c = &cat->clauses[cat->nclauses];

		if (parse_clause(ld, iotb_yaml_node(&ld->yd, *item), c) < 0) {
			clause_release(c);
			return -1;
		}
		cat->nclauses++;
	}
	return 0;
}

/* --- rule files --- */

static const char *const rule_keys[] = {
	"id", "title", "severity", "clauses", "cwe", "security_severity",
	"description", "remediation", "parameters", NULL
};
static const char *const rule_required[] = {
	"id", "title", "severity", "description", NULL
};

/* The rule with this id among those loaded so far (catalogue and file). */
static const struct iotb_rule *find_loaded_rule(const struct loader *ld, const char *id)
{
	size_t i;

	for (i = 0; i < ld->cat->nrules; i++)
		if (strcmp(ld->cat->rules[i].id, id) == 0)
			return &ld->cat->rules[i];
	for (i = 0; i < ld->nrules; i++)
		if (ld->rules[i].id && strcmp(ld->rules[i].id, id) == 0)
			return &ld->rules[i];
	return NULL;
}

static int parse_rule_id(struct loader *ld, const yaml_node_t *map,
			 struct iotb_rule *r)
{
	yaml_node_t *node = iotb_yaml_get(&ld->yd, map, "id");
	const char *id = iotb_yaml_scalar(&ld->yd, node, "id");
	const struct iotb_rule *other;
	size_t alen = strlen(ld->area);

	if (!id)
		return -1;
	if (strncmp(id, ld->area, alen) != 0 || id[alen] != '.' ||
	    !is_valid_name(id + alen + 1))
		return iotb_yaml_fail(&ld->yd, node,
				      "rule id '%s' is not of the form '%s.<name>' (name: lowercase letters, digits and '-')",
				      id, ld->area);
	other = find_loaded_rule(ld, id);
	if (other)
		return iotb_yaml_fail(&ld->yd, node,
				      "duplicate rule id '%s' (first defined at %s)",
				      id, other->origin);
	r->id = iotb_xstrdup(id);
	return 0;
}

static int parse_severity(struct loader *ld, const yaml_node_t *map,
			  struct iotb_rule *r)
{
	yaml_node_t *node = iotb_yaml_get(&ld->yd, map, "severity");
	const char *s = iotb_yaml_scalar(&ld->yd, node, "severity");
	int sev;

	if (!s)
		return -1;
	sev = iotb_severity_parse(s, false);
	if (sev < 0)
		return iotb_yaml_fail(&ld->yd, node,
				      "unknown severity '%s' (expected one of: error, warning, note)",
				      s);
	r->default_severity = (enum iotb_severity)sev;
	r->severity = r->default_severity;
	return 0;
}

static bool has_clause(const struct iotb_rule *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->nclauses; i++)
		if (strcmp(r->clauses[i], id) == 0)
			return true;
	return false;
}

static int add_rule_clause(struct loader *ld, const yaml_node_t *node,
			   struct iotb_rule *r)
{
	const char *id = iotb_yaml_scalar(&ld->yd, node, "clauses");

	if (!id)
		return -1;
	if (!iotb_clause_id_valid(id))
		return iotb_yaml_fail(&ld->yd, node,
				      "malformed clause id '%s' (expected N.N... with an optional ' x' letter)",
				      id);
	if (!iotb_catalogue_clause(ld->cat, id))
		return iotb_yaml_fail(&ld->yd, node,
				      "unknown clause id '%s' (not in %s)", id, CLAUSES_FILE);
	if (has_clause(r, id))
		return iotb_yaml_fail(&ld->yd, node, "clause '%s' listed twice", id);
	r->clauses[r->nclauses++] = iotb_xstrdup(id);
	return 0;
}

static int parse_rule_clauses(struct loader *ld, const yaml_node_t *map,
			      struct iotb_rule *r)
{
	yaml_node_t *node = iotb_yaml_get(&ld->yd, map, "clauses");
	const yaml_node_item_t *item;
	size_t n;

	if (!node) {
		if (strcmp(ld->area, SCAN_AREA) == 0)
			return 0;
		return iotb_yaml_fail(&ld->yd, map, "missing key 'clauses' in rule '%s'",
				      r->id);
	}
	if (iotb_yaml_expect(&ld->yd, node, YAML_SEQUENCE_NODE, "clauses") < 0)
		return -1;
	n = (size_t)(node->data.sequence.items.top - node->data.sequence.items.start);
	if (n == 0 && strcmp(ld->area, SCAN_AREA) != 0)
		return iotb_yaml_fail(&ld->yd, node,
				      "empty 'clauses' in rule '%s' (at least one clause id is required)",
				      r->id);
	r->clauses = iotb_xcalloc(n ? n : 1, sizeof(*r->clauses));
	for (item = node->data.sequence.items.start;
	     item < node->data.sequence.items.top; item++)
		if (add_rule_clause(ld, iotb_yaml_node(&ld->yd, *item), r) < 0)
			return -1;
	return 0;
}

static int parse_cwe(struct loader *ld, const yaml_node_t *node, int *out)
{
	const char *s = iotb_yaml_scalar(&ld->yd, node, "cwe");
	unsigned long v = 0;
	const char *p;

	if (!s)
		return -1;
	for (p = s; is_digit(*p) && v <= INT_MAX; p++)
		v = v * 10 + (unsigned long)(*p - '0');
	if (p == s || *p || v == 0 || v > INT_MAX)
		return iotb_yaml_fail(&ld->yd, node,
				      "expected a positive integer CWE id, found '%s'", s);
	*out = (int)v;
	return 0;
}

static int parse_rule_cwes(struct loader *ld, const yaml_node_t *map,
			   struct iotb_rule *r)
{
	yaml_node_t *node = iotb_yaml_get(&ld->yd, map, "cwe");
	const yaml_node_item_t *item;
	size_t n;

	if (!node)
		return 0;
	if (iotb_yaml_expect(&ld->yd, node, YAML_SEQUENCE_NODE, "cwe") < 0)
		return -1;
	n = (size_t)(node->data.sequence.items.top - node->data.sequence.items.start);
	r->cwes = iotb_xcalloc(n ? n : 1, sizeof(*r->cwes));
	for (item = node->data.sequence.items.start;
	     item < node->data.sequence.items.top; item++) {
		if (parse_cwe(ld, iotb_yaml_node(&ld->yd, *item), &r->cwes[r->ncwes]) < 0)
			return -1;
		r->ncwes++;
	}
	return 0;
}

static double derived_security_severity(enum iotb_severity sev)
{
	switch (sev) {
	case IOTB_SEV_ERROR:
		return 8.0;
	case IOTB_SEV_WARNING:
		return 5.0;
	default:
		return 2.0;
	}
}

static int parse_security_severity(struct loader *ld, const yaml_node_t *map,
				   struct iotb_rule *r)
{
	yaml_node_t *node = iotb_yaml_get(&ld->yd, map, "security_severity");
	const char *s;
	char *end;
	double v;

	if (!node) {
		r->security_severity = derived_security_severity(r->default_severity);
		return 0;
	}
	s = iotb_yaml_scalar(&ld->yd, node, "security_severity");
	if (!s)
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(v))
		return iotb_yaml_fail(&ld->yd, node,
				      "expected a number for 'security_severity', found '%s'", s);
	if (v < 0.0 || v > 10.0)
		return iotb_yaml_fail(&ld->yd, node,
				      "security_severity '%s' is out of range (0.0 to 10.0)", s);
	r->security_severity = v;
	return 0;
}

static int parse_rule_params(struct loader *ld, const yaml_node_t *map,
			     struct iotb_rule *r)
{
	yaml_node_t *node = iotb_yaml_get(&ld->yd, map, "parameters");
	const yaml_node_pair_t *pair;
	size_t n;

	if (!node)
		return 0;
	if (iotb_yaml_expect(&ld->yd, node, YAML_MAPPING_NODE, "parameters") < 0)
		return -1;
	n = (size_t)(node->data.mapping.pairs.top - node->data.mapping.pairs.start);
	r->params = iotb_xcalloc(n ? n : 1, sizeof(*r->params));
	for (pair = node->data.mapping.pairs.start;
	     pair < node->data.mapping.pairs.top; pair++) {
		yaml_node_t *key = iotb_yaml_node(&ld->yd, pair->key);
		const char *name = iotb_yaml_scalar(&ld->yd, key, "parameter name");

		if (!name)
			return -1;
		if (!*name)
			return iotb_yaml_fail(&ld->yd, key, "empty parameter name");
		if (iotb_rule_param(r, name))
			return iotb_yaml_fail(&ld->yd, key,
					      "duplicate parameter '%s' in rule '%s'",
					      name, r->id);
		if (iotb_yaml_param(&ld->yd, iotb_yaml_node(&ld->yd, pair->value),
				    name, &r->params[r->nparams]) < 0)
			return -1;
		r->nparams++;
	}
	return 0;
}

/* The rule's id text when it is a scalar (for messages), else NULL. */
static const char *peek_id(struct loader *ld, const yaml_node_t *map)
{
	yaml_node_t *node = iotb_yaml_get(&ld->yd, map, "id");

	if (!node || node->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)node->data.scalar.value;
}

static int parse_rule(struct loader *ld, const yaml_node_t *map,
		      struct iotb_rule *r)
{
	if (iotb_yaml_expect(&ld->yd, map, YAML_MAPPING_NODE, "rule") < 0 ||
	    iotb_yaml_check_keys(&ld->yd, map, rule_keys, "rule") < 0 ||
	    check_required(ld, map, rule_required, "rule", peek_id(ld, map)) < 0)
		return -1;
	r->origin = iotb_yaml_origin(&ld->yd, map);
	r->area = iotb_xstrdup(ld->area);
	r->enabled = true;
	if (parse_rule_id(ld, map, r) < 0 ||
	    read_text(ld, map, "title", &r->title) < 0 ||
	    parse_severity(ld, map, r) < 0 ||
	    read_text(ld, map, "description", &r->description) < 0 ||
	    read_text(ld, map, "remediation", &r->remediation) < 0 ||
	    parse_rule_clauses(ld, map, r) < 0 ||
	    parse_rule_cwes(ld, map, r) < 0 ||
	    parse_security_severity(ld, map, r) < 0 ||
	    parse_rule_params(ld, map, r) < 0)
		return -1;
	return 0;
}

static int load_rules(struct loader *ld)
{
	const yaml_node_item_t *item;
	yaml_node_t *list = root_list(ld, "rules", "rule file");
	size_t n;

	if (!list)
		return -1;
	n = (size_t)(list->data.sequence.items.top - list->data.sequence.items.start);
	ld->rules = iotb_xcalloc(n ? n : 1, sizeof(*ld->rules));
	for (item = list->data.sequence.items.start;
	     item < list->data.sequence.items.top; item++) {
		/* count it first so a half-parsed rule is released with the rest */
		struct iotb_rule *r = &ld->rules[ld->nrules++];

		if (parse_rule(ld, iotb_yaml_node(&ld->yd, *item), r) < 0)
			return -1;
	}
	return 0;
}

static int compare_rules(const void *a, const void *b)
{
	const struct iotb_rule *ra = a, *rb = b;

	return strcmp(ra->id, rb->id);
}

/* Move the file's rules into the catalogue and re-sort by id. */
static void merge_rules(struct loader *ld)
{
	struct iotb_catalogue *cat = ld->cat;

	if (!ld->nrules)
		return;
	cat->rules = iotb_xrealloc(cat->rules,
				   (cat->nrules + ld->nrules) * sizeof(*cat->rules));
	memcpy(cat->rules + cat->nrules, ld->rules, ld->nrules * sizeof(*ld->rules));
	cat->nrules += ld->nrules;
	ld->nrules = 0;
	qsort(cat->rules, cat->nrules, sizeof(*cat->rules), compare_rules);
}

static void loader_release(struct loader *ld)
{
	size_t i;

	for (i = 0; i < ld->nrules; i++)
		rule_release(&ld->rules[i]);
	free(ld->rules);
	ld->rules = NULL;
	ld->nrules = 0;
	iotb_yamldoc_release(&ld->yd);
}

int iotb_catalogue_add_file(struct iotb_catalogue *cat, const char *path)
{
	struct loader ld = { .cat = cat };
	char *area = file_area(path);
	int ret = -1;

	if (!is_valid_name(area)) {
		iotb_fail("invalid rule area '%s' in file name '%s' (expected lowercase letters, digits and '-')",
			  area, path);
		goto out;
	}
	ld.area = area;
	if (iotb_yamldoc_load(&ld.yd, path) < 0 || load_rules(&ld) < 0)
		goto out;
	merge_rules(&ld);
	ret = 0;
out:
	loader_release(&ld);
	free(area);
	return ret;
}

static int load_clause_file(struct iotb_catalogue *cat, const char *path)
{
	struct loader ld = { .cat = cat };
	int ret;

	ret = iotb_yamldoc_load(&ld.yd, path);
	if (ret == 0)
		ret = load_clauses(&ld);
	loader_release(&ld);
	return ret;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The rule file names in dir (every *.yaml but clauses.yaml), sorted. */
static int list_rule_files(const char *dir, struct iotb_strvec *names)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return iotb_fail("cannot open rules directory '%s': %s", dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || !has_suffix(de->d_name, ".yaml") ||
		    strcmp(de->d_name, CLAUSES_FILE) == 0)
			continue;
		iotb_strvec_push(names, de->d_name);
	}
	closedir(d);
	qsort(names->v, names->n, sizeof(*names->v), compare_names);
	return 0;
}

static bool is_regular_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

struct iotb_catalogue *iotb_catalogue_load(const char *dir)
{
	struct iotb_catalogue *cat = iotb_xcalloc(1, sizeof(*cat));
	struct iotb_strvec names;
	char *path = NULL;
	size_t i;

	iotb_strvec_init(&names);
	cat->dir = iotb_xstrdup(dir);
	path = iotb_path_join(dir, CLAUSES_FILE);
	if (load_clause_file(cat, path) < 0 || list_rule_files(dir, &names) < 0)
		goto fail;
	for (i = 0; i < names.n; i++) {
		free(path);
		path = iotb_path_join(dir, names.v[i]);
		if (!is_regular_file(path))
			continue;
		if (iotb_catalogue_add_file(cat, path) < 0)
			goto fail;
	}
	free(path);
	iotb_strvec_release(&names);
	return cat;
fail:
	free(path);
	iotb_strvec_release(&names);
	iotb_catalogue_free(cat);
	return NULL;
}

/* --- lookups --- */

static int compare_id_rule(const void *key, const void *elem)
{
	return strcmp(key, ((const struct iotb_rule *)elem)->id);
}

struct iotb_rule *iotb_catalogue_rule(const struct iotb_catalogue *cat, const char *id)
{
	if (!cat || !id || !cat->nrules)
		return NULL;
	return bsearch(id, cat->rules, cat->nrules, sizeof(*cat->rules), compare_id_rule);
}

const struct iotb_clause *iotb_catalogue_clause(const struct iotb_catalogue *cat,
						const char *id)
{
	size_t i;

	if (!cat || !id)
		return NULL;
	for (i = 0; i < cat->nclauses; i++)
		if (strcmp(cat->clauses[i].id, id) == 0)
			return &cat->clauses[i];
	return NULL;
}

const struct iotb_param *iotb_rule_param(const struct iotb_rule *rule, const char *name)
{
	size_t i;

	if (!rule || !name)
		return NULL;
	for (i = 0; i < rule->nparams; i++)
		if (strcmp(rule->params[i].name, name) == 0)
			return &rule->params[i];
	return NULL;
}

/* <dir of /proc/self/exe>/../share/iotbaseline/rules when it holds clauses.yaml. */
static char *installed_rules_dir(void)
{
	char exe[PATH_MAX], *slash, *dir, *clauses, *real;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	dir = iotb_xasprintf("%s/../share/iotbaseline/rules", exe);
	clauses = iotb_path_join(dir, CLAUSES_FILE);
	if (!is_regular_file(clauses)) {
		free(clauses);
		free(dir);
		return NULL;
	}
	free(clauses);
	real = realpath(dir, NULL);
	if (real) {
		free(dir);
		dir = real;
	}
	return dir;
}

const char *iotb_rules_dir(void)
{
	static char *installed;
	static bool probed;
	const char *env = getenv("IOTB_RULES_DIR");

	if (env && *env)
		return env;
	if (!probed) {
		installed = installed_rules_dir();
		probed = true;
	}
	return installed ? installed : IOTB_RULES_DIR_DEFAULT;
}
