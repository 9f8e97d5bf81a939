/*
 * finding_json.c — findings and result sets as JSON (jansson).
 *
 * Two forms share one shape:
 *  - the report form (iotb_finding_to_json, iotb_location_to_json): every
 *    string valid UTF-8 (invalid bytes shown as \xNN) plus a percent-encoded
 *    "uri" (RFC 3986) for each path;
 *  - the transport form (iotb_results_to_json/from_json, worker → parent and
 *    per-TU result files): lossless — a path that is not valid UTF-8 is
 *    carried as "path_hex" (hex of its bytes) instead of "path".
 */
#include <stdlib.h>
#include <string.h>

#include "finding.h"

#define TRANSPORT_VERSION 1

static void set_str(json_t *o, const char *key, const char *s)
{
	char *clean;

	if (!s)
		return;
	clean = iotb_utf8_sanitize(s, strlen(s));
	json_object_set_new(o, key, json_string(clean));
	free(clean);
}

static void set_uint(json_t *o, const char *key, unsigned long long v)
{
	if (v)
		json_object_set_new(o, key, json_integer((json_int_t)v));
}

/* Location keys; report form when lossless is false. */
static json_t *location_json(const struct iotb_location *loc, bool lossless)
{
	json_t *o = json_object();

	if (loc->path && lossless && !iotb_is_utf8(loc->path, strlen(loc->path))) {
		struct iotb_strbuf sb;
		const unsigned char *p;

		iotb_strbuf_init(&sb);
		for (p = (const unsigned char *)loc->path; *p; p++)
			iotb_strbuf_addf(&sb, "%02x", *p);
		json_object_set_new(o, "path_hex", json_string(sb.buf));
		iotb_strbuf_release(&sb);
	} else if (loc->path) {
		set_str(o, "path", loc->path);
		if (!lossless) {
			char *uri = iotb_uri_encode_path(loc->path);

			json_object_set_new(o, "uri", json_string(uri));
			free(uri);
		}
	}
	set_uint(o, "line", loc->line);
	set_uint(o, "column", loc->col);
	set_uint(o, "end_line", loc->end_line);
	set_uint(o, "end_column", loc->end_col);
	set_str(o, "section", loc->section);
	set_str(o, "symbol", loc->symbol);
	if (loc->has_offset)
		json_object_set_new(o, "offset", json_integer((json_int_t)loc->offset));
	set_str(o, "field", loc->field);
	set_str(o, "message", loc->message);
	return o;
}

json_t *iotb_location_to_json(const struct iotb_location *loc)
{
	return location_json(loc, false);
}

static json_t *steps_json(const struct iotb_location *v, size_t n, bool lossless)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, location_json(&v[i], lossless));
	return a;
}

static json_t *finding_json(const struct iotb_finding *f, bool lossless)
{
	json_t *o = json_object(), *clauses = json_array(), *cwe = json_array();
	size_t i;

	json_object_set_new(o, "rule", json_string(f->rule->id));
	json_object_set_new(o, "severity", json_string(iotb_severity_name(f->severity)));
	set_str(o, "message", f->message);
	json_object_set_new(o, "location", location_json(&f->loc, lossless));
	for (i = 0; i < f->rule->nclauses; i++)
		json_array_append_new(clauses, json_string(f->rule->clauses[i]));
	for (i = 0; i < f->rule->ncwes; i++)
		json_array_append_new(cwe, json_integer(f->rule->cwes[i]));
	json_object_set_new(o, "clauses", clauses);
	json_object_set_new(o, "cwe", cwe);
	set_str(o, "evidence", f->evidence);
	set_str(o, "function", f->function);
	set_str(o, "snippet", f->snippet);
	if (f->fingerprint[0])
		json_object_set_new(o, "fingerprint", json_string(f->fingerprint));
	if (f->nrelated)
		json_object_set_new(o, "related", steps_json(f->related, f->nrelated, lossless));
	if (f->nflow)
		json_object_set_new(o, "flow", steps_json(f->flow, f->nflow, lossless));
	if (f->properties)
		json_object_set(o, "properties", f->properties);
	if (f->suppressed_by) {
		json_t *supp = json_object();

		set_str(supp, "reason", f->suppressed_by);
		json_object_set_new(o, "suppressed", supp);
	}
	return o;
}

json_t *iotb_finding_to_json(const struct iotb_finding *f)
{
	return finding_json(f, false);
}

static json_t *inline_json(const struct iotb_inline_supp *s)
{
	struct iotb_location loc = { 0 };
	json_t *o, *rules = json_array();
	size_t i;

	loc.path = s->path;
	loc.line = s->line;
	loc.col = s->col;
	o = location_json(&loc, true);
	for (i = 0; i < s->rules.n; i++)
		json_array_append_new(rules, json_string(s->rules.v[i]));
	json_object_set_new(o, "rules", rules);
	set_str(o, "reason", s->reason);
	set_str(o, "problem", s->problem);
	return o;
}

json_t *iotb_results_to_json(const struct iotb_results *res)
{
	json_t *root = json_object(), *findings = json_array(), *artifacts = json_array();
	json_t *skipped = json_object(), *inl = json_array(), *engines = json_array();
	size_t i;

	for (i = 0; i < res->nfindings; i++)
		json_array_append_new(findings, finding_json(&res->findings[i], true));
	for (i = 0; i < res->nartifacts; i++) {
		const struct iotb_artifact *a = &res->artifacts[i];
		struct iotb_location loc = { .path = a->path };
		json_t *o = location_json(&loc, true);

		json_object_set_new(o, "kind", json_string(a->kind));
		set_str(o, "engine", a->engine);
		if (a->facts)
			json_object_set(o, "facts", a->facts);
		json_array_append_new(artifacts, o);
	}
	for (i = 0; i < res->nskipped; i++)
		json_object_set_new(skipped, res->skipped[i].kind,
				    json_integer((json_int_t)res->skipped[i].count));
	for (i = 0; i < res->ninline; i++)
		json_array_append_new(inl, inline_json(&res->inline_supps[i]));
	for (i = 0; i < res->engines_ran.n; i++)
		json_array_append_new(engines, json_string(res->engines_ran.v[i]));
	json_object_set_new(root, "version", json_integer(TRANSPORT_VERSION));
	json_object_set_new(root, "findings", findings);
	json_object_set_new(root, "artifacts", artifacts);
	json_object_set_new(root, "skipped", skipped);
	json_object_set_new(root, "inline_suppressions", inl);
	json_object_set_new(root, "engines_ran", engines);
	json_object_set_new(root, "files_seen", json_integer((json_int_t)res->files_seen));
	return root;
}

/* --- reading the transport form back --- */

static char *get_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? iotb_xstrdup(s) : NULL;
}

static unsigned get_uint(const json_t *o, const char *key)
{
	json_int_t v = json_integer_value(json_object_get(o, key));

	return v > 0 && v <= 0xffffffffLL ? (unsigned)v : 0;
}

static char *path_from_json(const json_t *o)
{
	const char *hex = json_string_value(json_object_get(o, "path_hex"));
	char *out;
	size_t i, n;

	if (!hex)
		return get_str(o, "path");
	n = strlen(hex) / 2;
	out = iotb_xmalloc(n + 1);
	for (i = 0; i < n; i++) {
		unsigned v = 0;

		sscanf(hex + 2 * i, "%2x", &v);
		out[i] = (char)v;
	}
	out[n] = '\0';
	return out;
}

static void location_from_json(struct iotb_location *loc, const json_t *o)
{
	json_t *off = json_object_get(o, "offset");

	memset(loc, 0, sizeof(*loc));
	loc->path = path_from_json(o);
	loc->line = get_uint(o, "line");
	loc->col = get_uint(o, "column");
	loc->end_line = get_uint(o, "end_line");
	loc->end_col = get_uint(o, "end_column");
	loc->section = get_str(o, "section");
	loc->symbol = get_str(o, "symbol");
	loc->field = get_str(o, "field");
	loc->message = get_str(o, "message");
	if (json_is_integer(off)) {
		loc->has_offset = true;
		loc->offset = (uint64_t)json_integer_value(off);
	}
}

static void steps_from_json(struct iotb_location **v, size_t *n, const json_t *a)
{
	size_t i;

	*n = json_array_size(a);
	*v = *n ? iotb_xcalloc(*n, sizeof(**v)) : NULL;
	for (i = 0; i < *n; i++)
		location_from_json(&(*v)[i], json_array_get(a, i));
}

static int finding_from_json(struct iotb_results *res, const json_t *o,
			     const struct iotb_catalogue *cat)
{
	const char *id = json_string_value(json_object_get(o, "rule"));
	const char *sev = json_string_value(json_object_get(o, "severity"));
	const char *fp = json_string_value(json_object_get(o, "fingerprint"));
	const struct iotb_rule *rule = id ? iotb_catalogue_rule(cat, id) : NULL;
	json_t *supp = json_object_get(o, "suppressed"), *props;
	struct iotb_finding *f;

	if (!rule)
		return iotb_fail("result names unknown rule '%s'", id ? id : "(none)");
	f = iotb_results_add(res, rule, "", 0, 0, "%s",
			     json_string_value(json_object_get(o, "message")) ?: "");
	iotb_location_release(&f->loc);
	location_from_json(&f->loc, json_object_get(o, "location"));
	if (sev && iotb_severity_parse(sev, false) > 0)
		f->severity = (enum iotb_severity)iotb_severity_parse(sev, false);
	f->evidence = get_str(o, "evidence");
	f->function = get_str(o, "function");
	f->snippet = get_str(o, "snippet");
	if (fp && strlen(fp) == 64)
		memcpy(f->fingerprint, fp, 65);
	steps_from_json(&f->related, &f->nrelated, json_object_get(o, "related"));
	steps_from_json(&f->flow, &f->nflow, json_object_get(o, "flow"));
	props = json_object_get(o, "properties");
	f->properties = props ? json_incref(props) : NULL;
	if (supp)
		f->suppressed_by = get_str(supp, "reason");
	return 0;
}

static void inline_from_json(struct iotb_results *res, const json_t *o)
{
	struct iotb_inline_supp *s;
	json_t *rules = json_object_get(o, "rules");
	size_t i;

	if (res->ninline == res->ainline) {
		res->ainline = res->ainline ? res->ainline * 2 : 8;
		res->inline_supps = iotb_xrealloc(res->inline_supps,
						  res->ainline * sizeof(*res->inline_supps));
	}
	s = &res->inline_supps[res->ninline++];
	memset(s, 0, sizeof(*s));
	iotb_strvec_init(&s->rules);
	s->path = path_from_json(o);
	s->line = get_uint(o, "line");
	s->col = get_uint(o, "column");
	s->reason = get_str(o, "reason");
	s->problem = get_str(o, "problem");
	for (i = 0; i < json_array_size(rules); i++)
		iotb_strvec_push(&s->rules, json_string_value(json_array_get(rules, i)) ?: "");
}

int iotb_results_from_json(struct iotb_results *res, const json_t *root,
			   const struct iotb_catalogue *cat)
{
	const char *kind;
	json_t *v, *a;
	size_t i;

	if (json_integer_value(json_object_get(root, "version")) != TRANSPORT_VERSION)
		return iotb_fail("unsupported result version (expected %d)", TRANSPORT_VERSION);
	json_array_foreach(json_object_get(root, "findings"), i, v)
		if (finding_from_json(res, v, cat) < 0)
			return -1;
	json_array_foreach(json_object_get(root, "artifacts"), i, v) {
		char *path = path_from_json(v);
		struct iotb_artifact *art = iotb_results_add_artifact(
			res, path ? path : "", json_string_value(json_object_get(v, "kind")) ?: "other");

		free(path);
		art->engine = get_str(v, "engine");
		a = json_object_get(v, "facts");
		art->facts = a ? json_incref(a) : NULL;
	}
	json_object_foreach(json_object_get(root, "skipped"), kind, v)
		if (json_integer_value(v) > 0)
			iotb_results_add_skipped(res, kind, (unsigned long)json_integer_value(v));
	json_array_foreach(json_object_get(root, "inline_suppressions"), i, v)
		inline_from_json(res, v);
	json_array_foreach(json_object_get(root, "engines_ran"), i, v)
		if (!iotb_strvec_contains(&res->engines_ran, json_string_value(v) ?: ""))
			iotb_strvec_push(&res->engines_ran, json_string_value(v) ?: "");
	res->files_seen += (unsigned long)json_integer_value(json_object_get(root, "files_seen"));
	return 0;
}
