/*
 * suppress.c — inline `iotb:ignore[RULE,…] reason` markers and config
 * suppressions: finding the markers in source text, marking the findings
 * they cover, reporting markers and entries that are broken or unused
 * (scan.suppression-without-reason, scan.unused-suppression), and the
 * fail-threshold exit status.
 *
 * Order inside iotb_suppress_apply (each step may suppress the findings
 * the previous steps added, but a marker never suppresses a finding about
 * a marker on its own line, and a config entry never its own report):
 *   1. the engines' findings, by inline markers then config entries;
 *   2. findings about broken markers (no reason, malformed, unknown rule);
 *   3. unused inline markers;
 *   4. unused config entries.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "suppress.h"

#define MARKER "iotb:ignore"
#define RULE_WITHOUT_REASON "scan.suppression-without-reason"
#define RULE_UNUSED "scan.unused-suppression"

/* What may suppress a finding: nothing, inline marker [index], config entry [index]. */
enum supp_kind { SUPP_NONE, SUPP_INLINE, SUPP_CONFIG };

struct supp_match {
	enum supp_kind kind;
	size_t index;
};

/* Limits on which suppressions may cover a finding. */
struct supp_limits {
	bool skip_same_line_inline;   /* the finding is about a marker */
	bool skip_config;             /* skip config entry skip_config_index */
	size_t skip_config_index;
};

struct supp_ctx {
	struct iotb_results *res;
	const struct iotb_catalogue *cat;
	struct iotb_config *cfg;
	bool need_fingerprints;
	size_t *by_place;          /* marker indexes sorted by (path, line, index) */
};

void iotb_inline_supp_release(struct iotb_inline_supp *s)
{
	if (!s)
		return;
	free(s->path);
	iotb_strvec_release(&s->rules);
	free(s->reason);
	free(s->problem);
	memset(s, 0, sizeof(*s));
	iotb_strvec_init(&s->rules);
}

/* ---- scanning text for markers ---- */

static bool is_rule_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
	       c == '-' || c == '_';
}

static bool is_blank(const char *s)
{
	for (; s && *s; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

/* Copy of [s, e) without surrounding white space. */
static char *trimmed_copy(const char *s, const char *e)
{
	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	return iotb_xstrndup(s, (size_t)(e - s));
}

static struct iotb_inline_supp *new_marker(struct iotb_results *res, const char *path,
                                           unsigned line, unsigned col)
{
	struct iotb_inline_supp *m;

	if (res->ninline == res->ainline) {
		res->ainline = res->ainline ? 2 * res->ainline : 8;
		res->inline_supps = iotb_xrealloc(res->inline_supps,
						  res->ainline * sizeof(*res->inline_supps));
	}
	m = &res->inline_supps[res->ninline++];
	memset(m, 0, sizeof(*m));
	m->path = iotb_xstrdup(path);
	m->line = line;
	m->col = col;
	iotb_strvec_init(&m->rules);
	return m;
}

/* Problem with one rule-list entry, or NULL when it is well formed. */
static char *rule_entry_problem(const char *rule, bool in_list)
{
	const char *p;

	if (!*rule)
		return iotb_xstrdup(in_list ? "empty entry in the rule list" : "empty rule list");
	for (p = rule; *p; p++)
		if (!is_rule_char((unsigned char)*p))
			break;
	if (*p) {
		char *shown = iotb_utf8_sanitize(rule, strlen(rule));
		char *problem = iotb_xasprintf("invalid rule id '%s' in the rule list", shown);

		free(shown);
		return problem;
	}
	return NULL;
}

/* Parse the rule list [s, e) (between the brackets) into m->rules, or set
 * m->problem (the first one found). */
static void parse_rule_list(struct iotb_inline_supp *m, const char *s, const char *e)
{
	bool in_list = memchr(s, ',', (size_t)(e - s)) != NULL;

	while (!m->problem) {
		const char *comma = memchr(s, ',', (size_t)(e - s));
		const char *end = comma ? comma : e;
		char *rule = trimmed_copy(s, end);

		m->problem = rule_entry_problem(rule, in_list);
		if (!m->problem)
			iotb_strvec_push(&m->rules, rule);
		free(rule);
		if (!comma)
			break;
		s = comma + 1;
	}
}

/* The reason text [s, e): trimmed, a trailing comment close removed,
 * invalid UTF-8 bytes shown as \xNN (reports must be valid UTF-8). */
static char *parse_reason(const char *s, const char *e)
{
	char *reason;

	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	if (e - s >= 2 && e[-2] == '*' && e[-1] == '/')
		e -= 2;
	reason = trimmed_copy(s, e);
	if (*reason) {
		char *clean = iotb_utf8_sanitize(reason, strlen(reason));

		free(reason);
		return clean;
	}
	free(reason);
	return NULL;
}

/* Where the next marker starts in [s, e), or NULL. */
static const char *find_marker(const char *s, const char *e)
{
	size_t mlen = strlen(MARKER);

	for (; (size_t)(e - s) >= mlen + 1; s++) {
		s = memchr(s, 'i', (size_t)(e - s));
		if (!s || (size_t)(e - s) < mlen + 1)
			return NULL;
		if (memcmp(s, MARKER "[", mlen + 1) == 0)
			return s;
	}
	return NULL;
}

/* Record every marker of one line [line, eol). */
static void scan_line(struct iotb_results *res, const char *path, unsigned lineno,
                      const char *line, const char *eol)
{
	const char *at = find_marker(line, eol);

	while (at) {
		const char *open = at + strlen(MARKER);
		const char *next = find_marker(open + 1, eol);
		const char *end = next ? next : eol;
		const char *close = memchr(open + 1, ']', (size_t)(end - open - 1));
		struct iotb_inline_supp *m =
			new_marker(res, path, lineno, (unsigned)(at - line) + 1);

		if (!close) {
			m->problem = iotb_xstrdup("missing ']' after the rule list");
		} else {
			parse_rule_list(m, open + 1, close);
			m->reason = parse_reason(close + 1, end);
		}
		at = next;
	}
}

void iotb_suppress_scan_text(struct iotb_results *res, const char *path,
                             const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	unsigned lineno = 1;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *stop = eol ? eol : end;

		if (stop > p && stop[-1] == '\r')
			stop--;
		scan_line(res, path, lineno, p, stop);
		if (!eol)
			break;
		p = eol + 1;
		lineno++;
	}
}

/* ---- matching ---- */

static bool rule_named_by(const struct iotb_rule *rule, const char *target)
{
	return rule && iotb_rule_selected_by(rule, target);
}

static bool is_known_target(const struct iotb_catalogue *cat, const char *target)
{
	size_t i;

	for (i = 0; cat && i < cat->nrules; i++)
		if (iotb_rule_selected_by(&cat->rules[i], target))
			return true;
	return false;
}

/* A marker that can suppress: well formed, with a reason. */
static bool is_active_marker(const struct iotb_inline_supp *m)
{
	return !m->problem && m->rules.n > 0 && !is_blank(m->reason);
}

static bool marker_covers(const struct iotb_inline_supp *m, const struct iotb_finding *f,
                          const struct supp_limits *lim)
{
	size_t i;

	if (!is_active_marker(m) || !f->loc.path || strcmp(m->path, f->loc.path) != 0)
		return false;
	if (f->loc.line != m->line && f->loc.line != m->line + 1)
		return false;
	if (lim->skip_same_line_inline && f->loc.line == m->line)
		return false;
	for (i = 0; i < m->rules.n; i++)
		if (rule_named_by(f->rule, m->rules.v[i]))
			return true;
	return false;
}

/* Order of markers by place: path, line, then scan order. */
static int cmp_place(const struct iotb_inline_supp *a, size_t ia,
                     const char *path, unsigned line, size_t ib)
{
	int c = strcmp(a->path, path);

	if (c)
		return c;
	if (a->line != line)
		return a->line < line ? -1 : 1;
	return ia < ib ? -1 : ia > ib;
}

static int cmp_marker_index(const void *pa, const void *pb, void *arg)
{
	const struct iotb_results *res = arg;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	const struct iotb_inline_supp *mb = &res->inline_supps[b];

	return cmp_place(&res->inline_supps[a], a, mb->path, mb->line, b);
}

static void index_markers(struct supp_ctx *c)
{
	size_t i;

	c->by_place = iotb_xcalloc(c->res->ninline + 1, sizeof(*c->by_place));
	for (i = 0; i < c->res->ninline; i++)
		c->by_place[i] = i;
	qsort_r(c->by_place, c->res->ninline, sizeof(*c->by_place), cmp_marker_index,
		c->res);
}

static bool is_same_marker_place(const struct iotb_inline_supp *a,
                                 const struct iotb_inline_supp *b)
{
	return a->line == b->line && a->col == b->col && strcmp(a->path, b->path) == 0;
}

/*
 * The same file analysed twice (compiled into two targets, per-TU results
 * merged) records its markers twice; keep the first of each (path, line,
 * col) so a copy is not reported unused.  Uses and rebuilds c->by_place.
 */
static void drop_duplicate_markers(struct supp_ctx *c)
{
	struct iotb_results *res = c->res;
	bool *dup = iotb_xcalloc(res->ninline + 1, sizeof(*dup));
	size_t i, k, w = 0;

	for (k = 1; k < res->ninline; k++) {
		const struct iotb_inline_supp *m = &res->inline_supps[c->by_place[k]];
		size_t j;

		for (j = k; j-- > 0;) {
			const struct iotb_inline_supp *o = &res->inline_supps[c->by_place[j]];

			if (o->line != m->line || strcmp(o->path, m->path) != 0)
				break;
			if (is_same_marker_place(o, m)) {
				dup[c->by_place[k]] = true;
				break;
			}
		}
	}
	for (i = 0; i < res->ninline; i++) {
		if (dup[i])
			iotb_inline_supp_release(&res->inline_supps[i]);
		else
			res->inline_supps[w++] = res->inline_supps[i];
	}
	res->ninline = w;
	free(dup);
	free(c->by_place);
	index_markers(c);
}

/* First position in by_place whose marker is at or after (path, line). */
static size_t first_marker_at(const struct supp_ctx *c, const char *path, unsigned line)
{
	size_t lo = 0, hi = c->res->ninline;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct iotb_inline_supp *m = &c->res->inline_supps[c->by_place[mid]];

		if (cmp_place(m, 0, path, line, 0) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The marker covering f: the first (in scan order) on f's own line, else
 * the first on the line above. */
static bool find_marker_for(const struct supp_ctx *c, const struct iotb_finding *f,
                            const struct supp_limits *lim, size_t *index)
{
	unsigned from = f->loc.line > 1 ? f->loc.line - 1 : 0;
	size_t k = f->loc.path ? first_marker_at(c, f->loc.path, from) : c->res->ninline;
	bool found = false;

	for (; k < c->res->ninline; k++) {
		size_t i = c->by_place[k];
		const struct iotb_inline_supp *m = &c->res->inline_supps[i];

		if (strcmp(m->path, f->loc.path) != 0 || m->line > f->loc.line)
			break;
		if (!marker_covers(m, f, lim))
			continue;
		if (m->line == f->loc.line) {
			*index = i;
			return true;
		}
		if (!found) {
			*index = i;
			found = true;
		}
	}
	return found;
}

/* Does config entry s of cfg cover f? */
static bool config_covers(const struct iotb_config *cfg,
                          const struct iotb_config_suppression *s,
                          const struct iotb_finding *f, const char *source_root)
{
	if (!s->rule && !s->path && !s->fingerprint)
		return false;
	if (s->rule && !rule_named_by(f->rule, s->rule))
		return false;
	if (s->path && (!f->loc.path ||
			!iotb_config_path_matches(cfg, s->path, f->loc.path, source_root)))
		return false;
	if (s->fingerprint && (!f->fingerprint[0] ||
			       strcasecmp(s->fingerprint, f->fingerprint) != 0))
		return false;
	return true;
}

static bool find_config_for(const struct supp_ctx *c, const struct iotb_finding *f,
                            const struct supp_limits *lim, size_t *index)
{
	size_t i;

	for (i = 0; c->cfg && i < c->cfg->nsuppressions; i++) {
		if (lim->skip_config && i == lim->skip_config_index)
			continue;
		if (config_covers(c->cfg, &c->cfg->suppressions[i], f, c->res->source_root)) {
			*index = i;
			return true;
		}
	}
	return false;
}

/* The first suppression (inline markers first) that covers f. */
static struct supp_match find_suppressor(const struct supp_ctx *c,
                                         const struct iotb_finding *f,
                                         const struct supp_limits *lim)
{
	struct supp_match m = { SUPP_NONE, 0 };

	if (find_marker_for(c, f, lim, &m.index))
		m.kind = SUPP_INLINE;
	else if (find_config_for(c, f, lim, &m.index))
		m.kind = SUPP_CONFIG;
	return m;
}

/* Mark f suppressed by m (counting the use).  Returns whether it was. */
static bool suppress_with(const struct supp_ctx *c, struct iotb_finding *f,
                          struct supp_match m)
{
	const char *reason;

	if (m.kind == SUPP_INLINE) {
		c->res->inline_supps[m.index].used++;
		reason = c->res->inline_supps[m.index].reason;
	} else if (m.kind == SUPP_CONFIG) {
		c->cfg->suppressions[m.index].used++;
		reason = c->cfg->suppressions[m.index].reason;
	} else {
		return false;
	}
	f->suppressed_by = iotb_xstrdup(reason);
	return true;
}

static void refresh_fingerprints(const struct supp_ctx *c)
{
	if (c->need_fingerprints)
		iotb_results_fingerprint(c->res);
}

/* Suppress findings [from, nfindings) not yet suppressed. */
static void suppress_range(const struct supp_ctx *c, size_t from,
                           const struct supp_limits *lim)
{
	size_t i;

	refresh_fingerprints(c);
	for (i = from; i < c->res->nfindings; i++) {
		struct iotb_finding *f = &c->res->findings[i];

		if (!f->suppressed_by)
			suppress_with(c, f, find_suppressor(c, f, lim));
	}
}

/* ---- reports about suppressions ---- */

/* An enabled catalogue rule, or NULL when absent or disabled. */
static const struct iotb_rule *enabled_rule(const struct iotb_catalogue *cat,
                                            const char *id)
{
	const struct iotb_rule *rule = cat ? iotb_catalogue_rule(cat, id) : NULL;

	return rule && rule->enabled ? rule : NULL;
}

static char *marker_text(const struct iotb_inline_supp *m)
{
	struct iotb_strbuf sb;
	size_t i;

	iotb_strbuf_init(&sb);
	iotb_strbuf_adds(&sb, MARKER "[");
	for (i = 0; i < m->rules.n; i++)
		iotb_strbuf_addf(&sb, "%s%s", i ? "," : "", m->rules.v[i]);
	iotb_strbuf_adds(&sb, "]");
	return iotb_strbuf_detach(&sb);
}

static bool has_known_rule(const struct iotb_catalogue *cat,
                           const struct iotb_inline_supp *m)
{
	size_t i;

	for (i = 0; i < m->rules.n; i++)
		if (is_known_target(cat, m->rules.v[i]))
			return true;
	return false;
}

/* Step 2: findings about markers without a reason, malformed ones and
 * unknown rule names. */
static void report_broken_markers(const struct supp_ctx *c)
{
	const struct iotb_rule *no_reason = enabled_rule(c->cat, RULE_WITHOUT_REASON);
	const struct iotb_rule *unused = enabled_rule(c->cat, RULE_UNUSED);
	size_t i, j, n = c->res->ninline;

	for (i = 0; i < n; i++) {
		const struct iotb_inline_supp *m = &c->res->inline_supps[i];
		char *text;

		if (m->problem) {
			if (unused)
				iotb_results_add(c->res, unused, m->path, m->line, m->col,
						 "malformed suppression marker: %s; it suppresses nothing",
						 m->problem);
			continue;
		}
		text = marker_text(m);
		if (no_reason && is_blank(m->reason))
			iotb_results_add(c->res, no_reason, m->path, m->line, m->col,
					 "suppression '%s' has no reason, so it suppresses nothing",
					 text);
		for (j = 0; unused && j < m->rules.n; j++)
			if (!is_known_target(c->cat, m->rules.v[j]))
				iotb_results_add(c->res, unused, m->path, m->line, m->col,
						 "suppression '%s' names unknown rule '%s'",
						 text, m->rules.v[j]);
		free(text);
	}
}

/* Would an unused-suppression finding be reported for marker m when it
 * matches nothing?  (Broken markers and unknown-only lists are reported as
 * such instead.) */
static bool is_reportable_unused_marker(const struct supp_ctx *c,
                                        const struct iotb_inline_supp *m)
{
	return is_active_marker(m) && has_known_rule(c->cat, m);
}

/* Split an origin "file:line:col" (the file may hold ':') into *path
 * (owned), *line and *col; numbers missing → 0. */
static void parse_origin(const char *origin, char **path, unsigned *line, unsigned *col)
{
	char *copy = iotb_xstrdup(origin ? origin : "");
	unsigned popped[2] = { 0, 0 };
	int n;

	for (n = 0; n < 2; n++) {
		char *colon = strrchr(copy, ':'), *end;
		unsigned long v;

		if (!colon || !isdigit((unsigned char)colon[1]))
			break;
		v = strtoul(colon + 1, &end, 10);
		if (*end)
			break;
		popped[n] = (unsigned)v;
		*colon = '\0';
	}
	*path = copy;
	*line = n == 2 ? popped[1] : popped[0];
	*col = n == 2 ? popped[0] : 0;
}

/*
 * The unused-suppression report that suppression `which` (inline marker or
 * config entry `index`) would get, as a probe finding, plus the limits that
 * apply to suppressing it.  probe->loc.path is owned by *owned.
 */
static void unused_probe(const struct supp_ctx *c, const struct iotb_rule *unused,
                         enum supp_kind which, size_t index,
                         struct iotb_finding *probe, struct supp_limits *lim,
                         char **owned)
{
	memset(probe, 0, sizeof(*probe));
	memset(lim, 0, sizeof(*lim));
	probe->rule = unused;
	lim->skip_same_line_inline = true;
	*owned = NULL;
	if (which == SUPP_INLINE) {
		const struct iotb_inline_supp *m = &c->res->inline_supps[index];

		probe->loc.path = m->path;
		probe->loc.line = m->line;
		probe->loc.col = m->col;
		return;
	}
	parse_origin(c->cfg->suppressions[index].origin, owned, &probe->loc.line,
		     &probe->loc.col);
	probe->loc.path = *owned;
	lim->skip_config = true;
	lim->skip_config_index = index;
}

/* Is suppression (which, index) still heading for an unused report? */
static bool is_unused_candidate(const struct supp_ctx *c, enum supp_kind which,
                                size_t index, const bool *will)
{
	if (will[index])
		return false;
	if (which == SUPP_INLINE)
		return is_reportable_unused_marker(c, &c->res->inline_supps[index]);
	return true;
}

/*
 * Before reporting unused suppressions of one kind, mark (in will_inline /
 * will_cfg) every suppression that is going to suppress another one's
 * unused report, until nothing changes: a suppression used only that way
 * must not be reported unused itself.
 */
static void settle_unused(const struct supp_ctx *c, const struct iotb_rule *unused,
                          enum supp_kind which, bool *will_inline, bool *will_cfg)
{
	size_t i, n = which == SUPP_INLINE ? c->res->ninline : c->cfg->nsuppressions;
	bool *will = which == SUPP_INLINE ? will_inline : will_cfg;
	bool changed = true;

	while (changed) {
		changed = false;
		for (i = 0; i < n; i++) {
			struct iotb_finding probe;
			struct supp_limits lim;
			struct supp_match m;
			char *owned;

			if (!is_unused_candidate(c, which, i, will))
				continue;
			unused_probe(c, unused, which, i, &probe, &lim, &owned);
			m = find_suppressor(c, &probe, &lim);
			free(owned);
			if (m.kind == SUPP_INLINE && !will_inline[m.index])
				will_inline[m.index] = changed = true;
			else if (m.kind == SUPP_CONFIG && !will_cfg[m.index])
				will_cfg[m.index] = changed = true;
		}
	}
}

static char *config_entry_text(const struct iotb_config_suppression *s)
{
	struct iotb_strbuf sb;

	iotb_strbuf_init(&sb);
	if (s->rule)
		iotb_strbuf_addf(&sb, "rule '%s'", s->rule);
	if (s->path)
		iotb_strbuf_addf(&sb, "%spath '%s'", sb.len ? ", " : "", s->path);
	if (s->fingerprint)
		iotb_strbuf_addf(&sb, "%sfingerprint '%.12s…'", sb.len ? ", " : "",
				 s->fingerprint);
	return iotb_strbuf_detach(&sb);
}

/* Append the unused report of suppression (which, index) and suppress it
 * by another suppression where one covers it. */
static void report_unused(const struct supp_ctx *c, const struct iotb_rule *unused,
                          enum supp_kind which, size_t index)
{
	struct iotb_finding probe, *f;
	struct supp_limits lim;
	char *owned, *text;

	unused_probe(c, unused, which, index, &probe, &lim, &owned);
	if (which == SUPP_INLINE) {
		text = marker_text(&c->res->inline_supps[index]);
		f = iotb_results_add(c->res, unused, probe.loc.path, probe.loc.line,
				     probe.loc.col, "suppression '%s' matched no finding",
				     text);
	} else {
		text = config_entry_text(&c->cfg->suppressions[index]);
		f = iotb_results_add(c->res, unused, probe.loc.path, probe.loc.line,
				     probe.loc.col,
				     "config suppression (%s) matched no finding", text);
	}
	free(text);
	free(owned);
	refresh_fingerprints(c);
	f = &c->res->findings[c->res->nfindings - 1];
	suppress_with(c, f, find_suppressor(c, f, &lim));
}

/* Steps 3 and 4: report unused inline markers, then unused config entries. */
static void report_unused_all(const struct supp_ctx *c)
{
	const struct iotb_rule *unused = enabled_rule(c->cat, RULE_UNUSED);
	size_t ncfg = c->cfg ? c->cfg->nsuppressions : 0;
	bool *will_inline = iotb_xcalloc(c->res->ninline + 1, sizeof(bool));
	bool *will_cfg = iotb_xcalloc(ncfg + 1, sizeof(bool));
	size_t i;

	if (!unused)
		goto out;
	for (i = 0; i < c->res->ninline; i++)
		will_inline[i] = c->res->inline_supps[i].used > 0;
	for (i = 0; i < ncfg; i++)
		will_cfg[i] = c->cfg->suppressions[i].used > 0;

	settle_unused(c, unused, SUPP_INLINE, will_inline, will_cfg);
	for (i = 0; i < c->res->ninline; i++)
		if (is_unused_candidate(c, SUPP_INLINE, i, will_inline))
			report_unused(c, unused, SUPP_INLINE, i);
	if (!ncfg)
		goto out;
	settle_unused(c, unused, SUPP_CONFIG, will_inline, will_cfg);
	for (i = 0; i < ncfg; i++)
		if (is_unused_candidate(c, SUPP_CONFIG, i, will_cfg))
			report_unused(c, unused, SUPP_CONFIG, i);
out:
	free(will_inline);
	free(will_cfg);
}

static bool has_fingerprint_entry(const struct iotb_config *cfg)
{
	size_t i;

	for (i = 0; cfg && i < cfg->nsuppressions; i++)
		if (cfg->suppressions[i].fingerprint)
			return true;
	return false;
}

int iotb_suppress_apply(struct iotb_results *res, const struct iotb_catalogue *cat,
                        struct iotb_config *cfg)
{
	struct supp_ctx c = { res, cat, cfg, has_fingerprint_entry(cfg), NULL };
	const struct supp_limits engine_lim = { false, false, 0 };
	const struct supp_limits marker_lim = { true, false, 0 };
	size_t before;

	index_markers(&c);
	drop_duplicate_markers(&c);
	suppress_range(&c, 0, &engine_lim);
	before = res->nfindings;
	report_broken_markers(&c);
	if (res->nfindings > before)
		suppress_range(&c, before, &marker_lim);
	report_unused_all(&c);
	free(c.by_place);
	return 0;
}

int iotb_threshold_status(const struct iotb_results *res, int fail_on)
{
	size_t i;

	if (fail_on >= IOTB_SEV_NEVER)
		return 0;
	for (i = 0; i < res->nfindings; i++) {
		const struct iotb_finding *f = &res->findings[i];

		if (!f->suppressed_by && (int)f->severity >= fail_on)
			return 1;
	}
	return 0;
}
