/*
 * config.c — the project configuration (.iotb.yml): finding the file,
 * loading and validating it (every problem "file:line:col: message"),
 * applying it to the rule catalogue (rule files, enable/disable, severity
 * overrides, list extensions) and the effective-config record for SARIF.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "yamldoc.h"

#define CONFIG_NAME ".iotb.yml"
#define FINGERPRINT_HEX_LEN 64

static const char *const top_keys[] = {
	"fail_on", "rules", "severity", "exclude", "extend",
	"rule_files", "suppressions", "limits", "compile", NULL,
};
static const char *const rules_keys[] = { "enable", "disable", NULL };
static const char *const suppression_keys[] = {
	"rule", "path", "fingerprint", "reason", NULL,
};
static const char *const limits_keys[] = { "timeout", "memory", NULL };
static const char *const compile_keys[] = { "includes", "defines", "target", NULL };

/* One load in progress. */
struct loader {
	struct iotb_config *cfg;
	struct iotb_yamldoc yd;
	char *dir;                 /* the config file's directory */
};

void iotb_config_init(struct iotb_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->fail_on = -1;
	iotb_strvec_init(&cfg->enable);
	iotb_strvec_init(&cfg->disable);
	iotb_strvec_init(&cfg->enable_origins);
	iotb_strvec_init(&cfg->disable_origins);
	iotb_strvec_init(&cfg->exclude);
	iotb_strvec_init(&cfg->rule_files);
	iotb_strvec_init(&cfg->compile_includes);
	iotb_strvec_init(&cfg->compile_defines);
}

static void suppression_release(struct iotb_config_suppression *s)
{
	free(s->rule);
	free(s->path);
	free(s->fingerprint);
	free(s->reason);
	free(s->origin);
}

static void extension_release(struct iotb_rule_extension *e)
{
	size_t i;

	for (i = 0; i < e->nparams; i++) {
		iotb_param_release(&e->params[i]);
		free(e->param_origins[i]);
	}
	free(e->params);
	free(e->param_origins);
	free(e->rule);
	free(e->origin);
}

void iotb_config_release(struct iotb_config *cfg)
{
	size_t i;

	if (!cfg)
		return;
	free(cfg->path);
	iotb_strvec_release(&cfg->enable);
	iotb_strvec_release(&cfg->disable);
	iotb_strvec_release(&cfg->enable_origins);
	iotb_strvec_release(&cfg->disable_origins);
	for (i = 0; i < cfg->nseverities; i++) {
		free(cfg->severities[i].target);
		free(cfg->severities[i].origin);
	}
	free(cfg->severities);
	iotb_strvec_release(&cfg->exclude);
	iotb_strvec_release(&cfg->rule_files);
	iotb_strvec_release(&cfg->compile_includes);
	iotb_strvec_release(&cfg->compile_defines);
	free(cfg->compile_target);
	for (i = 0; i < cfg->nsuppressions; i++)
		suppression_release(&cfg->suppressions[i]);
	free(cfg->suppressions);
	for (i = 0; i < cfg->nextends; i++)
		extension_release(&cfg->extends[i]);
	free(cfg->extends);
	json_decref(cfg->effective);
	iotb_config_init(cfg);
}

/* ---- locating the file ---- */

static bool is_config_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
}

/* Parent of an absolute directory in place; false at '/'. */
static bool go_up(char *dir)
{
	char *slash = strrchr(dir, '/');

	if (!slash || (slash == dir && !dir[1]))
		return false;
	if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	return true;
}

char *iotb_config_locate(const char *explicit_path)
{
	const char *env = getenv("IOTB_CONFIG");
	char *dir, *top, *found = NULL;

	if (explicit_path)
		return iotb_xstrdup(explicit_path);
	if (env && *env)
		return iotb_xstrdup(env);
	dir = getcwd(NULL, 0);
	if (!dir)
		return NULL;
	top = iotb_find_worktree_top(dir);
	for (;;) {
		char *candidate = iotb_path_join(dir, CONFIG_NAME);

		if (is_config_file(candidate)) {
			found = candidate;
			break;
		}
		free(candidate);
		/* Outside a work tree only the current directory counts: a
		 * .iotb.yml in /tmp or a home directory must not steer a scan. */
		if (!top || strcmp(dir, top) == 0 || !go_up(dir))
			break;
	}
	free(top);
	free(dir);
	return found;
}

/* ---- loading ---- */

static size_t nitems(const yaml_node_t *seq)
{
	return (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
}

static size_t npairs(const yaml_node_t *map)
{
	return (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
}

/* The items of a scalar-or-list node, one at a time: *i from 0; NULL at
 * the end.  A scalar is a one-item list. */
static yaml_node_t *list_item(struct loader *ld, yaml_node_t *node, size_t *i)
{
	if (node->type == YAML_SCALAR_NODE)
		return (*i)++ == 0 ? node : NULL;
	if (*i >= nitems(node))
		return NULL;
	return iotb_yaml_node(&ld->yd, node->data.sequence.items.start[(*i)++]);
}

static int expect_list(struct loader *ld, const yaml_node_t *node, const char *what)
{
	if (node->type == YAML_SCALAR_NODE || node->type == YAML_SEQUENCE_NODE)
		return 0;
	return iotb_yaml_fail(&ld->yd, node,
			      "expected a scalar or a list for '%s', found a mapping", what);
}

static int load_fail_on(struct loader *ld, const yaml_node_t *node)
{
	const char *s = iotb_yaml_scalar(&ld->yd, node, "fail_on");

	if (!s)
		return -1;
	ld->cfg->fail_on = iotb_severity_parse(s, true);
	if (ld->cfg->fail_on < 0)
		return iotb_yaml_fail(&ld->yd, node,
				      "unknown fail_on value '%s' (expected error, warning, note or never)",
				      s);
	return 0;
}

/* Rule ids or areas with their origins (checked against the catalogue by
 * iotb_config_apply). */
static int load_targets(struct loader *ld, yaml_node_t *node, const char *what,
                        struct iotb_strvec *targets, struct iotb_strvec *origins)
{
	yaml_node_t *item;
	size_t i = 0;

	if (expect_list(ld, node, what) < 0)
		return -1;
	while ((item = list_item(ld, node, &i))) {
		const char *s = iotb_yaml_scalar(&ld->yd, item, what);
		char *origin;

		if (!s)
			return -1;
		origin = iotb_yaml_origin(&ld->yd, item);
		iotb_strvec_push(targets, s);
		iotb_strvec_push(origins, origin);
		free(origin);
	}
	return 0;
}

static int load_rules(struct loader *ld, const yaml_node_t *node)
{
	yaml_node_t *v;

	if (iotb_yaml_check_keys(&ld->yd, node, rules_keys, "rules") < 0)
		return -1;
	v = iotb_yaml_get(&ld->yd, node, "disable");
	if (v && load_targets(ld, v, "rules.disable", &ld->cfg->disable,
			      &ld->cfg->disable_origins) < 0)
		return -1;
	v = iotb_yaml_get(&ld->yd, node, "enable");
	if (v && load_targets(ld, v, "rules.enable", &ld->cfg->enable,
			      &ld->cfg->enable_origins) < 0)
		return -1;
	return 0;
}

static int load_severity(struct loader *ld, const yaml_node_t *node)
{
	struct iotb_config *cfg = ld->cfg;
	const yaml_node_pair_t *pair;

	if (iotb_yaml_check_keys(&ld->yd, node, NULL, "severity") < 0)
		return -1;
	cfg->severities = iotb_xcalloc(npairs(node) + 1, sizeof(*cfg->severities));
	for (pair = node->data.mapping.pairs.start; pair < node->data.mapping.pairs.top;
	     pair++) {
		yaml_node_t *key = iotb_yaml_node(&ld->yd, pair->key);
		yaml_node_t *value = iotb_yaml_node(&ld->yd, pair->value);
		const char *target = (const char *)key->data.scalar.value;
		const char *s = iotb_yaml_scalar(&ld->yd, value, target);
		struct iotb_severity_override *o;
		int sev;

		if (!s)
			return -1;
		sev = iotb_severity_parse(s, false);
		if (sev < 0)
			return iotb_yaml_fail(&ld->yd, value,
					      "unknown severity '%s' for '%s' (expected error, warning or note)",
					      s, target);
		o = &cfg->severities[cfg->nseverities++];
		o->target = iotb_xstrdup(target);
		o->severity = (enum iotb_severity)sev;
		o->origin = iotb_yaml_origin(&ld->yd, key);
	}
	return 0;
}

static int check_glob(struct loader *ld, const yaml_node_t *node, const char *glob,
                      const char *what)
{
	char *problem;
	int ret;

	if (iotb_glob_check(glob) == 0)
		return 0;
	problem = iotb_xstrdup(iotb_last_error());
	ret = iotb_yaml_fail(&ld->yd, node, "bad glob '%s' in %s: %s", glob, what, problem);
	free(problem);
	return ret;
}

static int load_exclude(struct loader *ld, yaml_node_t *node)
{
	yaml_node_t *item;
	size_t i = 0;

	if (expect_list(ld, node, "exclude") < 0)
		return -1;
	while ((item = list_item(ld, node, &i))) {
		const char *s = iotb_yaml_scalar(&ld->yd, item, "exclude");

		if (!s || check_glob(ld, item, s, "exclude") < 0)
			return -1;
		iotb_strvec_push(&ld->cfg->exclude, s);
	}
	return 0;
}

static int load_rule_files(struct loader *ld, yaml_node_t *node)
{
	yaml_node_t *item;
	size_t i = 0;

	if (expect_list(ld, node, "rule_files") < 0)
		return -1;
	while ((item = list_item(ld, node, &i))) {
		const char *s = iotb_yaml_scalar(&ld->yd, item, "rule_files");
		char *path;
		int err;

		if (!s)
			return -1;
		if (!*s)
			return iotb_yaml_fail(&ld->yd, item, "empty path in rule_files");
		path = s[0] == '/' ? iotb_xstrdup(s) : iotb_path_join(ld->dir, s);
		err = access(path, R_OK) == 0 ? 0 : errno;
		if (err) {
			free(path);
			return iotb_yaml_fail(&ld->yd, item, "cannot read rule file '%s': %s",
					      s, strerror(err));
		}
		iotb_strvec_push(&ld->cfg->rule_files, path);
		free(path);
	}
	return 0;
}

/* One `extend:` entry: RULE-ID: {PARAM: [entries]}. */
static int load_extension(struct loader *ld, const yaml_node_t *key,
                          const yaml_node_t *value, struct iotb_rule_extension *ext)
{
	const char *rule = (const char *)key->data.scalar.value;
	const yaml_node_pair_t *pair;
	size_t n;

	ext->rule = iotb_xstrdup(rule);
	ext->origin = iotb_yaml_origin(&ld->yd, key);
	if (iotb_yaml_check_keys(&ld->yd, value, NULL, rule) < 0)
		return -1;
	n = npairs(value);
	ext->params = iotb_xcalloc(n + 1, sizeof(*ext->params));
	ext->param_origins = iotb_xcalloc(n + 1, sizeof(*ext->param_origins));
	for (pair = value->data.mapping.pairs.start; pair < value->data.mapping.pairs.top;
	     pair++) {
		yaml_node_t *pkey = iotb_yaml_node(&ld->yd, pair->key);
		yaml_node_t *pval = iotb_yaml_node(&ld->yd, pair->value);
		const char *name = (const char *)pkey->data.scalar.value;
		struct iotb_param *param = &ext->params[ext->nparams];

		if (pval->type != YAML_SEQUENCE_NODE)
			return iotb_yaml_fail(&ld->yd, pval,
					      "extend '%s' parameter '%s' must be a list of matcher entries",
					      rule, name);
		if (iotb_yaml_param(&ld->yd, pval, name, param) < 0)
			return -1;
		ext->param_origins[ext->nparams++] = iotb_yaml_origin(&ld->yd, pkey);
	}
	return 0;
}

static int load_extend(struct loader *ld, const yaml_node_t *node)
{
	struct iotb_config *cfg = ld->cfg;
	const yaml_node_pair_t *pair;

	if (iotb_yaml_check_keys(&ld->yd, node, NULL, "extend") < 0)
		return -1;
	cfg->extends = iotb_xcalloc(npairs(node) + 1, sizeof(*cfg->extends));
	for (pair = node->data.mapping.pairs.start; pair < node->data.mapping.pairs.top;
	     pair++) {
		yaml_node_t *key = iotb_yaml_node(&ld->yd, pair->key);
		yaml_node_t *value = iotb_yaml_node(&ld->yd, pair->value);

		/* counted first so a failed entry is still released */
		if (load_extension(ld, key, value, &cfg->extends[cfg->nextends++]) < 0)
			return -1;
	}
	return 0;
}

static bool is_hex_fingerprint(const char *s)
{
	size_t n;

	for (n = 0; s[n]; n++)
		if (!strchr("0123456789abcdefABCDEF", s[n]))
			return false;
	return n == FINGERPRINT_HEX_LEN;
}

/* Optional scalar field of a suppression into *out (owned). */
static int suppression_field(struct loader *ld, const yaml_node_t *entry,
                             const char *key, char **out, yaml_node_t **node)
{
	const char *s;

	*node = iotb_yaml_get(&ld->yd, entry, key);
	if (!*node)
		return 0;
	s = iotb_yaml_scalar(&ld->yd, *node, key);
	if (!s)
		return -1;
	*out = iotb_xstrdup(s);
	return 0;
}

static bool is_blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

static int load_suppression(struct loader *ld, const yaml_node_t *entry,
                            struct iotb_config_suppression *s)
{
	yaml_node_t *rule, *path, *fp, *reason;

	s->origin = iotb_yaml_origin(&ld->yd, entry);
	if (iotb_yaml_check_keys(&ld->yd, entry, suppression_keys, "a suppression") < 0 ||
	    suppression_field(ld, entry, "rule", &s->rule, &rule) < 0 ||
	    suppression_field(ld, entry, "path", &s->path, &path) < 0 ||
	    suppression_field(ld, entry, "fingerprint", &s->fingerprint, &fp) < 0 ||
	    suppression_field(ld, entry, "reason", &s->reason, &reason) < 0)
		return -1;
	if (!reason)
		return iotb_yaml_fail(&ld->yd, entry, "suppression without a reason");
	if (is_blank(s->reason))
		return iotb_yaml_fail(&ld->yd, reason, "suppression with an empty reason");
	if (!rule && !path && !fp)
		return iotb_yaml_fail(&ld->yd, entry,
				      "suppression needs at least one of rule, path or fingerprint");
	if (path && check_glob(ld, path, s->path, "a suppression path") < 0)
		return -1;
	if (fp && !is_hex_fingerprint(s->fingerprint))
		return iotb_yaml_fail(&ld->yd, fp,
				      "fingerprint '%s' is not %d hex digits",
				      s->fingerprint, FINGERPRINT_HEX_LEN);
	return 0;
}

static int load_suppressions(struct loader *ld, const yaml_node_t *node)
{
	struct iotb_config *cfg = ld->cfg;
	const yaml_node_item_t *item;

	if (iotb_yaml_expect(&ld->yd, node, YAML_SEQUENCE_NODE, "suppressions") < 0)
		return -1;
	cfg->suppressions = iotb_xcalloc(nitems(node) + 1, sizeof(*cfg->suppressions));
	for (item = node->data.sequence.items.start; item < node->data.sequence.items.top;
	     item++) {
		yaml_node_t *entry = iotb_yaml_node(&ld->yd, *item);

		if (load_suppression(ld, entry, &cfg->suppressions[cfg->nsuppressions++]) < 0)
			return -1;
	}
	return 0;
}

static int load_limit(struct loader *ld, const yaml_node_t *node, const char *key,
                      unsigned *out)
{
	yaml_node_t *v = iotb_yaml_get(&ld->yd, node, key);
	char *what = iotb_xasprintf("limits.%s", key);
	unsigned long n = 0;
	int ret = 0;

	if (v && iotb_yaml_uint(&ld->yd, v, what, &n) < 0)
		ret = -1;
	else if (v && (n == 0 || n > 1000000))
		ret = iotb_yaml_fail(&ld->yd, v, "'%s' must be between 1 and 1000000, not %lu",
				     what, n);
	else if (v)
		*out = (unsigned)n;
	free(what);
	return ret;
}

static int load_limits(struct loader *ld, const yaml_node_t *node)
{
	if (iotb_yaml_check_keys(&ld->yd, node, limits_keys, "limits") < 0 ||
	    load_limit(ld, node, "timeout", &ld->cfg->timeout_s) < 0 ||
	    load_limit(ld, node, "memory", &ld->cfg->memory_mb) < 0)
		return -1;
	return 0;
}

/* ---- compile: flags for plain C sources ---- */

static bool is_ident_char(char c, bool first)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (!first && c >= '0' && c <= '9');
}

bool iotb_config_is_define(const char *s)
{
	const char *p = s;

	if (!s || !is_ident_char(*p, true))
		return false;
	while (is_ident_char(*p, false))
		p++;
	return !*p || *p == '=';
}

bool iotb_config_is_triple(const char *s)
{
	unsigned words = 1;
	bool empty = true;

	if (!s)
		return false;
	for (const char *p = s; *p; p++) {
		if (*p == '-') {
			if (empty)
				return false;
			words++;
			empty = true;
		} else if (is_ident_char(*p, false) || *p == '.') {
			empty = false;
		} else {
			return false;
		}
	}
	return !empty && words >= 2 && words <= 5;
}

static int load_compile_includes(struct loader *ld, yaml_node_t *node)
{
	yaml_node_t *item;
	size_t i = 0;

	if (expect_list(ld, node, "compile.includes") < 0)
		return -1;
	while ((item = list_item(ld, node, &i))) {
		const char *s = iotb_yaml_scalar(&ld->yd, item, "compile.includes");
		struct stat sb;
		char *path;
		int err;

		if (!s)
			return -1;
		if (!*s)
			return iotb_yaml_fail(&ld->yd, item, "empty directory in compile.includes");
		path = s[0] == '/' ? iotb_xstrdup(s) : iotb_path_join(ld->dir, s);
		err = stat(path, &sb) < 0 ? errno : 0;
		if (err || !S_ISDIR(sb.st_mode)) {
			free(path);
			return iotb_yaml_fail(&ld->yd, item,
					      "include directory '%s' in compile.includes is not a "
					      "directory%s%s", s, err ? ": " : "",
					      err ? strerror(err) : "");
		}
		iotb_strvec_push(&ld->cfg->compile_includes, path);
		free(path);
	}
	return 0;
}

static int load_compile_defines(struct loader *ld, yaml_node_t *node)
{
	yaml_node_t *item;
	size_t i = 0;

	if (expect_list(ld, node, "compile.defines") < 0)
		return -1;
	while ((item = list_item(ld, node, &i))) {
		const char *s = iotb_yaml_scalar(&ld->yd, item, "compile.defines");

		if (!s)
			return -1;
		if (!iotb_config_is_define(s))
			return iotb_yaml_fail(&ld->yd, item,
					      "bad define '%s' in compile.defines (expected NAME or "
					      "NAME=VALUE)", s);
		iotb_strvec_push(&ld->cfg->compile_defines, s);
	}
	return 0;
}

static int load_compile(struct loader *ld, const yaml_node_t *node)
{
	yaml_node_t *v;
	const char *t;

	if (iotb_yaml_check_keys(&ld->yd, node, compile_keys, "compile") < 0)
		return -1;
	if ((v = iotb_yaml_get(&ld->yd, node, "includes")) && load_compile_includes(ld, v) < 0)
		return -1;
	if ((v = iotb_yaml_get(&ld->yd, node, "defines")) && load_compile_defines(ld, v) < 0)
		return -1;
	if (!(v = iotb_yaml_get(&ld->yd, node, "target")))
		return 0;
	if (!(t = iotb_yaml_scalar(&ld->yd, v, "compile.target")))
		return -1;
	if (!iotb_config_is_triple(t))
		return iotb_yaml_fail(&ld->yd, v,
				      "bad target triple '%s' in compile.target (expected e.g. "
				      "arm-linux-gnueabihf)", t);
	free(ld->cfg->compile_target);
	ld->cfg->compile_target = iotb_xstrdup(t);
	return 0;
}

void iotb_config_compile_args(const struct iotb_config *cfg, bool skip_target,
                              struct iotb_strvec *args)
{
	for (size_t i = 0; i < cfg->compile_includes.n; i++) {
		char *a = iotb_xasprintf("-I%s", cfg->compile_includes.v[i]);

		iotb_strvec_push(args, a);
		free(a);
	}
	for (size_t i = 0; i < cfg->compile_defines.n; i++) {
		char *a = iotb_xasprintf("-D%s", cfg->compile_defines.v[i]);

		iotb_strvec_push(args, a);
		free(a);
	}
	if (cfg->compile_target && !skip_target) {
		char *a = iotb_xasprintf("--target=%s", cfg->compile_target);

		iotb_strvec_push(args, a);
		free(a);
	}
}

/* Dispatch one top-level key. */
static int load_key(struct loader *ld, const char *key, yaml_node_t *value)
{
	if (!strcmp(key, "fail_on"))
		return load_fail_on(ld, value);
	if (!strcmp(key, "rules"))
		return load_rules(ld, value);
	if (!strcmp(key, "severity"))
		return load_severity(ld, value);
	if (!strcmp(key, "exclude"))
		return load_exclude(ld, value);
	if (!strcmp(key, "extend"))
		return load_extend(ld, value);
	if (!strcmp(key, "rule_files"))
		return load_rule_files(ld, value);
	if (!strcmp(key, "suppressions"))
		return load_suppressions(ld, value);
	if (!strcmp(key, "compile"))
		return load_compile(ld, value);
	return load_limits(ld, value);
}

static int load_root(struct loader *ld, const yaml_node_t *root)
{
	const yaml_node_pair_t *pair;

	if (root->type == YAML_SCALAR_NODE && !*root->data.scalar.value)
		return 0;   /* a file holding only comments */
	if (iotb_yaml_check_keys(&ld->yd, root, top_keys, "the config") < 0)
		return -1;
	for (pair = root->data.mapping.pairs.start; pair < root->data.mapping.pairs.top;
	     pair++) {
		yaml_node_t *key = iotb_yaml_node(&ld->yd, pair->key);
		yaml_node_t *value = iotb_yaml_node(&ld->yd, pair->value);

		if (value->type == YAML_SCALAR_NODE && !*value->data.scalar.value &&
		    value->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
			continue;   /* `key:` with nothing after it */
		if (load_key(ld, (const char *)key->data.scalar.value, value) < 0)
			return -1;
	}
	return 0;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return iotb_xstrdup(".");
	if (slash == path)
		return iotb_xstrdup("/");
	return iotb_xstrndup(path, (size_t)(slash - path));
}

/* ---- the effective config (SARIF invocations) ---- */

static json_t *strvec_json(const struct iotb_strvec *sv)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < sv->n; i++)
		json_array_append_new(a, json_string(sv->v[i]));
	return a;
}

static const char *match_kind_key(enum iotb_match_kind kind)
{
	switch (kind) {
	case IOTB_MATCH_GLOB:
		return "glob";
	case IOTB_MATCH_REGEX:
		return "regex";
	default:
		return "name";
	}
}

static const char *success_name(enum iotb_success s)
{
	static const char *const names[] = {
		[IOTB_SUCCESS_ZERO] = "zero", [IOTB_SUCCESS_NONZERO] = "nonzero",
		[IOTB_SUCCESS_NONNEG] = "nonneg", [IOTB_SUCCESS_NONNULL] = "nonnull",
	};

	return s > IOTB_SUCCESS_UNSET && s <= IOTB_SUCCESS_NONNULL ? names[s] : NULL;
}

static json_t *funcspec_json(const struct iotb_funcspec *spec)
{
	json_t *o = json_object();
	size_t i;

	json_object_set_new(o, match_kind_key(spec->kind), json_string(spec->pattern));
	if (spec->nargs) {
		json_t *args = json_object();

		for (i = 0; i < spec->nargs; i++)
			json_object_set_new(args, spec->args[i].role,
					    json_integer(spec->args[i].index));
		json_object_set_new(o, "args", args);
	}
	if (success_name(spec->success))
		json_object_set_new(o, "success", json_string(success_name(spec->success)));
	if (spec->note)
		json_object_set_new(o, "note", json_string(spec->note));
	return o;
}

static json_t *extend_json(const struct iotb_config *cfg)
{
	json_t *o = json_object();
	size_t i, j, k;

	for (i = 0; i < cfg->nextends; i++) {
		const struct iotb_rule_extension *e = &cfg->extends[i];
		json_t *params = json_object();

		for (j = 0; j < e->nparams; j++) {
			json_t *list = json_array();

			for (k = 0; k < e->params[j].nspecs; k++)
				json_array_append_new(list, funcspec_json(&e->params[j].specs[k]));
			json_object_set_new(params, e->params[j].name, list);
		}
		json_object_set_new(o, e->rule, params);
	}
	return o;
}

static json_t *suppressions_json(const struct iotb_config *cfg)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < cfg->nsuppressions; i++) {
		const struct iotb_config_suppression *s = &cfg->suppressions[i];
		json_t *o = json_object();

		if (s->rule)
			json_object_set_new(o, "rule", json_string(s->rule));
		if (s->path)
			json_object_set_new(o, "path", json_string(s->path));
		if (s->fingerprint)
			json_object_set_new(o, "fingerprint", json_string(s->fingerprint));
		json_object_set_new(o, "reason", json_string(s->reason));
		json_array_append_new(a, o);
	}
	return a;
}

/* Strings from the file may hold invalid UTF-8; jansson then returns NULL
 * for them and json_object_set_new drops the key, which is acceptable for
 * this record. */
static json_t *effective_json(const struct iotb_config *cfg)
{
	json_t *o = json_object();
	size_t i;

	json_object_set_new(o, "file", json_string(cfg->path));
	if (cfg->fail_on > 0)
		json_object_set_new(o, "fail_on",
				    json_string(iotb_severity_name(cfg->fail_on)));
	if (cfg->enable.n || cfg->disable.n) {
		json_t *rules = json_object();

		if (cfg->enable.n)
			json_object_set_new(rules, "enable", strvec_json(&cfg->enable));
		if (cfg->disable.n)
			json_object_set_new(rules, "disable", strvec_json(&cfg->disable));
		json_object_set_new(o, "rules", rules);
	}
	if (cfg->nseverities) {
		json_t *sev = json_object();

		for (i = 0; i < cfg->nseverities; i++)
			json_object_set_new(sev, cfg->severities[i].target,
					    json_string(iotb_severity_name(cfg->severities[i].severity)));
		json_object_set_new(o, "severity", sev);
	}
	if (cfg->exclude.n)
		json_object_set_new(o, "exclude", strvec_json(&cfg->exclude));
	if (cfg->nextends)
		json_object_set_new(o, "extend", extend_json(cfg));
	if (cfg->rule_files.n)
		json_object_set_new(o, "rule_files", strvec_json(&cfg->rule_files));
	if (cfg->nsuppressions)
		json_object_set_new(o, "suppressions", suppressions_json(cfg));
	if (cfg->timeout_s || cfg->memory_mb) {
		json_t *limits = json_object();

		if (cfg->timeout_s)
			json_object_set_new(limits, "timeout", json_integer(cfg->timeout_s));
		if (cfg->memory_mb)
			json_object_set_new(limits, "memory", json_integer(cfg->memory_mb));
		json_object_set_new(o, "limits", limits);
	}
	if (cfg->compile_includes.n || cfg->compile_defines.n || cfg->compile_target) {
		json_t *compile = json_object();

		if (cfg->compile_includes.n)
			json_object_set_new(compile, "includes", strvec_json(&cfg->compile_includes));
		if (cfg->compile_defines.n)
			json_object_set_new(compile, "defines", strvec_json(&cfg->compile_defines));
		if (cfg->compile_target)
			json_object_set_new(compile, "target", json_string(cfg->compile_target));
		json_object_set_new(o, "compile", compile);
	}
	return o;
}

int iotb_config_load(struct iotb_config *cfg, const char *path)
{
	struct loader ld;
	yaml_node_t *root;
	int ret = -1;

	memset(&ld, 0, sizeof(ld));
	ld.cfg = cfg;
	ld.dir = dir_of(path);
	free(cfg->path);
	cfg->path = iotb_xstrdup(path);
	if (iotb_yamldoc_load(&ld.yd, path) < 0)
		goto out;
	root = iotb_yaml_root(&ld.yd);
	if (root && load_root(&ld, root) < 0)
		goto out;
	json_decref(cfg->effective);
	cfg->effective = effective_json(cfg);
	ret = 0;
out:
	iotb_yamldoc_release(&ld.yd);
	free(ld.dir);
	return ret;
}

/* ---- applying to the catalogue ---- */

bool iotb_rule_selected_by(const struct iotb_rule *rule, const char *target)
{
	return rule && target &&
	       (strcmp(rule->id, target) == 0 || strcmp(rule->area, target) == 0);
}

static bool is_known_target(const struct iotb_catalogue *cat, const char *target)
{
	size_t i;

	for (i = 0; i < cat->nrules; i++)
		if (iotb_rule_selected_by(&cat->rules[i], target))
			return true;
	return false;
}

static int check_targets(const struct iotb_catalogue *cat, const struct iotb_strvec *targets,
                         const struct iotb_strvec *origins, const char *what)
{
	size_t i;

	for (i = 0; i < targets->n; i++)
		if (!is_known_target(cat, targets->v[i]))
			return iotb_fail("%s: unknown rule or area '%s' in %s",
					 i < origins->n ? origins->v[i] : "?", targets->v[i],
					 what);
	return 0;
}

static struct iotb_param *rule_param(struct iotb_rule *rule, const char *name)
{
	size_t i;

	for (i = 0; i < rule->nparams; i++)
		if (strcmp(rule->params[i].name, name) == 0)
			return &rule->params[i];
	return NULL;
}

static int check_extension(const struct iotb_catalogue *cat,
                           const struct iotb_rule_extension *e)
{
	struct iotb_rule *rule = iotb_catalogue_rule(cat, e->rule);
	size_t i;

	if (!rule)
		return iotb_fail("%s: unknown rule '%s' in extend", e->origin, e->rule);
	for (i = 0; i < e->nparams; i++) {
		const struct iotb_param *p = rule_param(rule, e->params[i].name);

		if (!p)
			return iotb_fail("%s: rule '%s' has no parameter '%s' to extend",
					 e->param_origins[i], e->rule, e->params[i].name);
		if (p->type != IOTB_PARAM_LIST)
			return iotb_fail("%s: parameter '%s' of rule '%s' is not a list and cannot be extended",
					 e->param_origins[i], e->params[i].name, e->rule);
	}
	return 0;
}

/* Every rule id and area the config names must exist. */
static int check_names(const struct iotb_config *cfg, const struct iotb_catalogue *cat)
{
	size_t i;

	if (check_targets(cat, &cfg->disable, &cfg->disable_origins, "rules.disable") < 0 ||
	    check_targets(cat, &cfg->enable, &cfg->enable_origins, "rules.enable") < 0)
		return -1;
	for (i = 0; i < cfg->nseverities; i++)
		if (!is_known_target(cat, cfg->severities[i].target))
			return iotb_fail("%s: unknown rule or area '%s' in severity",
					 cfg->severities[i].origin, cfg->severities[i].target);
	for (i = 0; i < cfg->nsuppressions; i++) {
		const struct iotb_config_suppression *s = &cfg->suppressions[i];

		if (s->rule && !is_known_target(cat, s->rule))
			return iotb_fail("%s: unknown rule or area '%s' in a suppression",
					 s->origin, s->rule);
	}
	for (i = 0; i < cfg->nextends; i++)
		if (check_extension(cat, &cfg->extends[i]) < 0)
			return -1;
	return 0;
}

static void set_enabled(struct iotb_catalogue *cat, const struct iotb_strvec *targets,
                        bool enabled)
{
	size_t i, j;

	for (i = 0; i < targets->n; i++)
		for (j = 0; j < cat->nrules; j++)
			if (iotb_rule_selected_by(&cat->rules[j], targets->v[i]))
				cat->rules[j].enabled = enabled;
}

/* Area overrides first, then rule ids, so the more specific one wins
 * whatever the order in the file. */
static void apply_severities(const struct iotb_config *cfg, struct iotb_catalogue *cat)
{
	int pass;
	size_t i, j;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < cfg->nseverities; i++) {
			const struct iotb_severity_override *o = &cfg->severities[i];
			bool is_id = strchr(o->target, '.') != NULL;

			if (is_id != (pass == 1))
				continue;
			for (j = 0; j < cat->nrules; j++)
				if (iotb_rule_selected_by(&cat->rules[j], o->target))
					cat->rules[j].severity = o->severity;
		}
	}
}

static int apply_extensions(const struct iotb_config *cfg, struct iotb_catalogue *cat)
{
	size_t i, j;

	for (i = 0; i < cfg->nextends; i++) {
		const struct iotb_rule_extension *e = &cfg->extends[i];
		struct iotb_rule *rule = iotb_catalogue_rule(cat, e->rule);

		for (j = 0; j < e->nparams; j++)
			if (iotb_param_append(rule_param(rule, e->params[j].name),
					      &e->params[j]) < 0)
				return iotb_fail("%s: %s", e->param_origins[j], iotb_last_error());
	}
	return 0;
}

int iotb_config_apply(const struct iotb_config *cfg, struct iotb_catalogue *cat)
{
	size_t i;

	if (!cfg)
		return 0;
	for (i = 0; i < cfg->rule_files.n; i++)
		if (iotb_catalogue_add_file(cat, cfg->rule_files.v[i]) < 0)
			return -1;
	if (check_names(cfg, cat) < 0)
		return -1;
	set_enabled(cat, &cfg->disable, false);
	set_enabled(cat, &cfg->enable, true);
	apply_severities(cfg, cat);
	return apply_extensions(cfg, cat);
}

bool iotb_config_path_matches(const struct iotb_config *cfg, const char *glob,
			      const char *path, const char *source_root)
{
	char *dir = cfg && cfg->path ? dir_of(cfg->path) : NULL;
	char *rel = dir ? iotb_path_relative(dir, path) : NULL;
	char *repo = source_root ? iotb_path_relative(source_root, path) : NULL;
	bool hit = iotb_glob_match(glob, path) || (rel && iotb_glob_match(glob, rel)) ||
		   (repo && iotb_glob_match(glob, repo));

	free(dir);
	free(rel);
	free(repo);
	return hit;
}

bool iotb_config_excludes(const struct iotb_config *cfg, const char *path)
{
	size_t i;

	if (!cfg || !path)
		return false;
	for (i = 0; i < cfg->exclude.n; i++)
		if (iotb_config_path_matches(cfg, cfg->exclude.v[i], path, NULL))
			return true;
	return false;
}
