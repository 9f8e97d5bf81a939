/*
 * hardcoded_secret.c — credentials, keys and private keys compiled into
 * the firmware (27402 5.2.6.1.4 primary, 5.2.5.2.3; CWE-798, CWE-259,
 * CWE-321): every device carries the same value and anyone holding the
 * image can read it.
 *
 * secrets.hardcoded-credential: a string literal (concatenated pieces and
 * macros included) or char array initialiser bound to a credential name
 * (`names`, not `ignore_names`): a variable or array initialiser, a struct
 * field in an initialiser (designated or positional) or assignment, a
 * `#define`, a function parameter the literal is passed to, a
 * credential-named buffer a literal is copied into (`copy_functions`), or
 * the other side of a comparison (`compare_functions`: backdoor
 * passwords; inside a function named like authentication code,
 * `auth_functions`, any value not named in `non_secret_names` compared
 * against a password-like literal, letters mixed with digits or symbols);
 * a credential argument of a known API
 * (`credential_functions` role secret, `option_functions` with
 * `credential_options`: curl's "user:password" counts from the colon);
 * and literals of a known credential shape anywhere (`value_patterns`,
 * capture group 1 is the secret).  Values matching `ignore_values` or
 * shorter than `min_length` are not credentials (masks, format strings,
 * UUIDs, digests, placeholders, configuration key names).
 *
 * secrets.hardcoded-key: key material bound to `key_names`: a byte array
 * of at least `min_key_bytes` values, at least half of them distinct, or a
 * string of `min_key_text_length` characters with `min_key_entropy` bits
 * per character; and key loaders (`key_loaders`) fed a constant buffer
 * (role key: its contents parse as a private key; role psk: any).
 *
 * secrets.private-key: a literal or byte array holding a private key whose
 * body parses (iotb_find_keys, OpenSSL libcrypto: PKCS#1, SEC1, DSA,
 * PKCS#8, encrypted PKCS#8, OpenSSH, raw DER).  Certificates, public keys,
 * a header alone or a garbage body are not keys.
 *
 * Evidence is always the masked secret (iotb_finding_set_secret); messages
 * name where the secret is, never its text.  Findings in test sources
 * (`test_paths`, matched against the path relative to the source root or
 * the current directory) are dropped unless `report_in_tests` is true.
 * One literal is reported once per rule (a macro's literal at its
 * definition, not at every use).
 *
 * Known false positives: a literal that is a lookup key for a credential
 * but looks like a value ("adminpass" as an NVRAM name); in authentication
 * code, a comparison with a literal mixing letters and digits that is not
 * a password.  Known gaps: credentials assembled at run time, char-by-char
 * initialisers, literals whose binding name says nothing.
 *
 * YAML (rules/secrets.yaml), all lists of matcher entries unless said:
 * secrets.hardcoded-credential `names`, `ignore_names`, `ignore_values`,
 * `min_length` (integer), `weak_parameter_names`, `value_patterns`
 * (regexes), `auth_functions`, `non_secret_names`, `compare_functions`
 * (args {a, b}), `copy_functions` (args {dst, src}),
 * `credential_functions` (args {secret}), `option_functions` (args
 * {option, value}), `credential_options`, `test_paths` (globs),
 * `report_in_tests` (bool); secrets.hardcoded-key `key_names`,
 * `min_key_bytes`, `min_key_text_length`, `min_key_entropy` (numbers),
 * `key_loaders` (args {key} or {psk}).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <math.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checker.h"
#include "elfcheck.h"
#include "iotb_util.h"
#include "walk_int.h"

enum { RULE_CREDENTIAL, RULE_KEY, RULE_PRIVATE_KEY };

static const char *const rules[] = {
	"secrets.hardcoded-credential", "secrets.hardcoded-key", "secrets.private-key", NULL,
};

#define MAX_ELEMENTS 65536

struct state {
	const struct iotb_param *names, *ignore_names, *ignore_values, *value_patterns;
	const struct iotb_param *compare, *copy, *cred_functions, *option_functions;
	const struct iotb_param *cred_options, *test_paths, *weak_parameter_names;
	const struct iotb_param *auth_functions, *non_secret_names;
	const struct iotb_param *key_names, *key_loaders;
	long min_length, min_key_bytes, min_key_text_length;
	double min_key_entropy;
	bool report_in_tests;
	struct strset reported;   /* "rule\x1ffile\x1foffset" of literals reported */
};

/* --- parameters ------------------------------------------------------------ */

static bool param_bool(const struct iotb_param *p, bool def)
{
	if (!p || p->type != IOTB_PARAM_SCALAR || !p->scalar)
		return def;
	return !strcmp(p->scalar, "true") || !strcmp(p->scalar, "yes");
}

static double param_double(const struct iotb_param *p, double def)
{
	char *end;
	double v;

	if (!p || p->type != IOTB_PARAM_SCALAR || !p->scalar || !*p->scalar)
		return def;
	v = strtod(p->scalar, &end);
	return *end ? def : v;
}

static int init(struct iotb_checker_ctx *cc)
{
	struct state *st = iotb_xcalloc(1, sizeof(*st));

	cc->state = st;
	st->names = iotb_checker_param(cc, RULE_CREDENTIAL, "names");
	st->ignore_names = iotb_checker_param(cc, RULE_CREDENTIAL, "ignore_names");
	st->ignore_values = iotb_checker_param(cc, RULE_CREDENTIAL, "ignore_values");
	st->value_patterns = iotb_checker_param(cc, RULE_CREDENTIAL, "value_patterns");
	st->compare = iotb_checker_param(cc, RULE_CREDENTIAL, "compare_functions");
	st->copy = iotb_checker_param(cc, RULE_CREDENTIAL, "copy_functions");
	st->cred_functions = iotb_checker_param(cc, RULE_CREDENTIAL, "credential_functions");
	st->option_functions = iotb_checker_param(cc, RULE_CREDENTIAL, "option_functions");
	st->cred_options = iotb_checker_param(cc, RULE_CREDENTIAL, "credential_options");
	st->test_paths = iotb_checker_param(cc, RULE_CREDENTIAL, "test_paths");
	st->weak_parameter_names = iotb_checker_param(cc, RULE_CREDENTIAL,
						      "weak_parameter_names");
	st->auth_functions = iotb_checker_param(cc, RULE_CREDENTIAL, "auth_functions");
	st->non_secret_names = iotb_checker_param(cc, RULE_CREDENTIAL, "non_secret_names");
	st->report_in_tests = param_bool(iotb_checker_param(cc, RULE_CREDENTIAL,
							    "report_in_tests"), false);
	st->min_length = iotb_param_long(iotb_checker_param(cc, RULE_CREDENTIAL,
							    "min_length"), 4);
	st->key_names = iotb_checker_param(cc, RULE_KEY, "key_names");
	st->key_loaders = iotb_checker_param(cc, RULE_KEY, "key_loaders");
	st->min_key_bytes = iotb_param_long(iotb_checker_param(cc, RULE_KEY, "min_key_bytes"), 8);
	st->min_key_text_length = iotb_param_long(iotb_checker_param(cc, RULE_KEY,
								     "min_key_text_length"), 16);
	st->min_key_entropy = param_double(iotb_checker_param(cc, RULE_KEY, "min_key_entropy"),
					   3.0);
	for (size_t i = 0; st->value_patterns && i < st->value_patterns->nspecs; i++)
		if (st->value_patterns->specs[i].kind != IOTB_MATCH_REGEX)
			return iotb_fail("%s: value pattern '%s' must be a regex",
					 st->value_patterns->specs[i].origin,
					 st->value_patterns->specs[i].pattern);
	if (iotb_param_require_role(st->compare, "a", NULL) < 0 ||
	    iotb_param_require_role(st->compare, "b", NULL) < 0 ||
	    iotb_param_require_role(st->copy, "dst", NULL) < 0 ||
	    iotb_param_require_role(st->copy, "src", NULL) < 0 ||
	    iotb_param_require_role(st->cred_functions, "secret", NULL) < 0 ||
	    iotb_param_require_role(st->option_functions, "option", NULL) < 0 ||
	    iotb_param_require_role(st->option_functions, "value", NULL) < 0 ||
	    iotb_param_require_role(st->key_loaders, "key", "psk") < 0)
		return -1;
	return 0;
}

static void release(struct iotb_checker_ctx *cc)
{
	struct state *st = cc->state;

	if (st)
		iotb_strset_release(&st->reported);
	free(st);
	cc->state = NULL;
}

/* --- names and values -------------------------------------------------------- */

static char *lower(const char *s)
{
	char *l = iotb_xstrdup(s ? s : "");

	for (char *p = l; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return l;
}

static bool name_in(const struct iotb_param *list, const struct iotb_param *deny,
                    const char *name)
{
	char *l;
	bool hit;

	if (!name || !*name)
		return false;
	l = lower(name);
	hit = iotb_param_match(list, l) && !iotb_param_match(deny, l);
	free(l);
	return hit;
}

static bool is_credential_name(const struct state *st, const char *name)
{
	return name_in(st->names, st->ignore_names, name);
}

static bool is_key_name(const struct state *st, const char *name)
{
	return name_in(st->key_names, st->ignore_names, name);
}

/* Is value (len bytes) no credential: too short, blank, or matching
 * ignore_values? */
static bool is_ignored_value(const struct state *st, const char *value, size_t len)
{
	size_t blank = 0;

	if (len < (size_t)(st->min_length > 0 ? st->min_length : 1) || memchr(value, 0, len))
		return true;
	for (size_t i = 0; i < len; i++)
		blank += value[i] == ' ' || value[i] == '\t' || value[i] == '\r' || value[i] == '\n';
	return blank == len || iotb_param_match(st->ignore_values, value) != NULL;
}

static double entropy(const unsigned char *p, size_t n)
{
	size_t counts[256] = { 0 };
	double h = 0;

	for (size_t i = 0; i < n; i++)
		counts[p[i]]++;
	for (size_t i = 0; i < 256; i++)
		if (counts[i]) {
			double q = (double)counts[i] / (double)n;

			h -= q * log2(q);
		}
	return h;
}

static size_t distinct(const unsigned char *p, size_t n)
{
	bool seen[256] = { false };
	size_t d = 0;

	for (size_t i = 0; i < n; i++)
		if (!seen[p[i]]) {
			seen[p[i]] = true;
			d++;
		}
	return d;
}

/* Does text look like generated key material rather than words or an
 * identifier: no white space, and at least a fifth of it digits or upper
 * case (hex and base64 keys), or hex of 32 characters or more? */
static bool looks_random(const char *text, size_t len)
{
	size_t upper_digit = 0, hex = 0;

	for (size_t i = 0; i < len; i++) {
		char c = text[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			return false;
		upper_digit += (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
		hex += (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
	}
	return upper_digit * 5 >= len || (hex == len && len >= 32);
}

/* --- where things are ------------------------------------------------------------- */

/* "file\x1foffset" of the spelling of c (a literal inside a macro: in the
 * macro's definition).  Owned. */
static char *spelling_key(CXSourceLocation loc)
{
	CXFile file = NULL;
	unsigned offset = 0;
	char *name, *key;

	clang_getSpellingLocation(loc, &file, NULL, NULL, &offset);
	name = file ? iotb_walk_file_name(file) : iotb_xstrdup("");
	key = iotb_xasprintf("%s\x1f%u", name, offset);
	free(name);
	return key;
}

/* Is the expansion site of loc in a test source? */
static bool is_test_location(struct iotb_checker_ctx *cc, CXSourceLocation loc)
{
	const struct state *st = cc->state;
	const char *root = cc->walk->ctx->out ? cc->walk->ctx->out->source_root : NULL;
	CXFile file = NULL;
	char *name, *rel;
	bool hit;

	if (st->report_in_tests || !st->test_paths)
		return false;
	clang_getExpansionLocation(loc, &file, NULL, NULL, NULL);
	if (!file)
		return false;
	name = iotb_walk_file_name(file);
	rel = root ? iotb_path_relative(root, name) : iotb_walk_display_path(name, true);
	if (rel[0] == '/') {
		char *cwd = getcwd(NULL, 0);
		char *r2 = cwd ? iotb_path_relative(cwd, name) : NULL;

		if (r2 && r2[0] != '/') {
			free(rel);
			rel = r2;
			r2 = NULL;
		}
		free(r2);
		free(cwd);
	}
	hit = rel[0] != '/' && iotb_param_match(st->test_paths, rel) != NULL;
	if (rel[0] == '/') {   /* outside every root: only basename globs apply */
		for (size_t i = 0; i < st->test_paths->nspecs && !hit; i++)
			if (!strchr(st->test_paths->specs[i].pattern, '/'))
				hit = iotb_funcspec_matches(&st->test_paths->specs[i], rel);
	}
	free(rel);
	free(name);
	return hit;
}

/*
 * Report a finding of rule at cursor at with the masked secret as
 * evidence, once per literal (spelled at lit; lit_loc_valid false: no
 * de-duplication by literal), not in test sources.
 */
static void report_secret(struct iotb_checker_ctx *cc, unsigned rule, CXCursor at,
                          CXSourceLocation lit, bool lit_valid, const void *secret,
                          size_t len, const char *fmt, ...) IOTB_PRINTF(8, 9);

static void report_secret(struct iotb_checker_ctx *cc, unsigned rule, CXCursor at,
                          CXSourceLocation lit, bool lit_valid, const void *secret,
                          size_t len, const char *fmt, ...)
{
	struct state *st = cc->state;
	struct iotb_finding *f;
	struct iotb_strbuf msg;
	va_list ap;

	if (!iotb_checker_enabled(cc, rule) || is_test_location(cc, clang_getCursorLocation(at)))
		return;
	if (lit_valid) {
		char *where = spelling_key(lit), *key = iotb_xasprintf("%u\x1f%s", rule, where);
		bool fresh = iotb_strset_add(&st->reported, key);

		free(where);
		free(key);
		if (!fresh)
			return;
	}
	iotb_strbuf_init(&msg);
	va_start(ap, fmt);
	iotb_strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	f = iotb_checker_report(cc, rule, at, "%s", msg.buf);
	if (f)
		iotb_finding_set_secret(f, secret, len);
	iotb_strbuf_release(&msg);
}

/* --- expressions --------------------------------------------------------------- */

/* The name an expression stores into or reads from: variable, parameter,
 * field (p->password, cfg.sta.password), array (pw[0], &pw[0]).  Owned or
 * NULL. */
static char *name_of(CXCursor e)
{
	CXCursor s = iotb_expr_strip(e);

	for (int depth = 0; depth < 4; depth++) {
		enum CXCursorKind k = clang_getCursorKind(s);

		if (k == CXCursor_DeclRefExpr || k == CXCursor_MemberRefExpr)
			return iotb_cursor_name(s);
		if (k == CXCursor_ArraySubscriptExpr || k == CXCursor_UnaryOperator ||
		    k == CXCursor_BinaryOperator)
			s = iotb_expr_strip(iotb_expr_child(s, 0));
		else
			return NULL;
	}
	return NULL;
}

/* The text of a string literal e (stripped; concatenated pieces
 * included), or of a const char array / const pointer initialised with
 * one.  Owned, *lit the literal itself. */
static char *const_text(CXCursor e, size_t *len, CXCursor *lit)
{
	CXCursor s = iotb_expr_strip(e);

	if (clang_getCursorKind(s) == CXCursor_DeclRefExpr) {
		CXCursor var = clang_getCursorReferenced(s), init;
		CXType t = clang_getCursorType(var);

		if (clang_getCursorKind(var) != CXCursor_VarDecl)
			return NULL;
		if (!clang_isConstQualifiedType(t) &&
		    !clang_isConstQualifiedType(clang_getArrayElementType(t)))
			return NULL;
		init = clang_Cursor_getVarDeclInitializer(var);
		if (clang_Cursor_isNull(init))
			return NULL;
		s = iotb_expr_strip(init);
	}
	if (clang_getCursorKind(s) != CXCursor_StringLiteral)
		return NULL;
	*lit = s;
	return iotb_expr_literal_text(s, len);
}

struct collect {
	unsigned char *bytes;
	size_t n, cap;
	bool ok;
};

static enum CXChildVisitResult collect_byte(CXCursor c, CXCursor parent, CXClientData data)
{
	struct collect *col = data;
	CXEvalResult r;

	(void)parent;
	if (col->n >= MAX_ELEMENTS) {
		col->ok = false;
		return CXChildVisit_Break;
	}
	r = clang_Cursor_Evaluate(c);
	if (!r || clang_EvalResult_getKind(r) != CXEval_Int) {
		if (r)
			clang_EvalResult_dispose(r);
		col->ok = false;
		return CXChildVisit_Break;
	}
	if (col->n == col->cap) {
		col->cap = col->cap ? col->cap * 2 : 64;
		col->bytes = iotb_xrealloc(col->bytes, col->cap);
	}
	col->bytes[col->n++] = (unsigned char)clang_EvalResult_getAsLongLong(r);
	clang_EvalResult_dispose(r);
	return CXChildVisit_Continue;
}

/* Values of an initialiser list of integer constants (a byte array of
 * 1-byte elements), owned; NULL when it is not one. */
static unsigned char *init_bytes(CXCursor list, size_t *n)
{
	struct collect col = { NULL, 0, 0, true };
	CXType t = clang_getCanonicalType(clang_getCursorType(list));

	if (t.kind != CXType_ConstantArray ||
	    clang_Type_getSizeOf(clang_getArrayElementType(t)) != 1) {
		return NULL;
	}
	clang_visitChildren(list, collect_byte, &col);
	if (!col.ok || !col.n) {
		free(col.bytes);
		return NULL;
	}
	*n = col.n;
	return col.bytes;
}

/* --- the checks ------------------------------------------------------------- */

/* Is value (len bytes) key material by length, entropy and shape? */
static bool is_key_text(const struct state *st, const char *value, size_t len)
{
	return (long)len >= st->min_key_text_length &&
	       entropy((const unsigned char *)value, len) >= st->min_key_entropy &&
	       looks_random(value, len) && !iotb_param_match(st->ignore_values, value);
}

/* A literal bound to name: a credential (credential name), or key
 * material (key name, enough entropy).  where says how it is bound. */
static void check_bound_text(struct iotb_checker_ctx *cc, CXCursor at, CXCursor lit,
                             const char *name, const char *value, size_t len,
                             const char *where)
{
	const struct state *st = cc->state;
	CXSourceLocation loc = clang_getCursorLocation(lit);

	if (!name || !value || memmem(value, len, "-----BEGIN ", 11))
		return;   /* PEM armour: a key is the private-key rule's, a certificate no secret */
	if (is_credential_name(st, name)) {
		if (!is_ignored_value(st, value, len))
			report_secret(cc, RULE_CREDENTIAL, at, loc, true, value, len,
				      "hard-coded credential %s '%s'", where, name);
		return;
	}
	if (is_key_name(st, name) && is_key_text(st, value, len))
		report_secret(cc, RULE_KEY, at, loc, true, value, len,
			      "hard-coded key material (%zu characters) %s '%s'", len, where, name);
}

struct key_scan {
	struct iotb_checker_ctx *cc;
	CXCursor at;
	const unsigned char *buf;
	bool found;           /* a private key (not a certificate) */
	bool report;
	const char *where;
};

static void on_key(const struct iotb_key_hit *hit, void *arg)
{
	struct key_scan *ks = arg;

	if (hit->form == IOTB_KEY_CERTIFICATE)
		return;
	ks->found = true;
	if (!ks->report)
		return;
	report_secret(ks->cc, RULE_PRIVATE_KEY, ks->at, clang_getCursorLocation(ks->at), true,
		      ks->buf + hit->body_offset, hit->body_length,
		      "%s%s private key (%s) embedded %s",
		      hit->encrypted && hit->form != IOTB_KEY_PKCS8_ENCRYPTED ? "encrypted " : "",
		      iotb_key_form_name(hit->form),
		      hit->alg[0] ? hit->alg : "?", ks->where);
}

/* Does buf hold a private key?  report: report each at at. */
static bool scan_keys(struct iotb_checker_ctx *cc, CXCursor at, const unsigned char *buf,
                      size_t n, bool report, const char *where)
{
	struct key_scan ks = { cc, at, buf, false, report, where };

	iotb_find_keys(buf, n, on_key, &ks);
	return ks.found;
}

/* A byte array initialiser bound to name. */
static void check_bound_bytes(struct iotb_checker_ctx *cc, CXCursor at, const char *name,
                              const unsigned char *bytes, size_t n)
{
	const struct state *st = cc->state;

	if (n >= 64 && scan_keys(cc, at, bytes, n, true, "in a byte array"))
		return;
	if (!name || !(is_key_name(st, name) || is_credential_name(st, name)))
		return;
	if ((long)n < st->min_key_bytes || distinct(bytes, n) * 2 < n)
		return;
	report_secret(cc, RULE_KEY, at, clang_getCursorLocation(at), true, bytes, n,
		      "hard-coded %zu-byte key in '%s'", n, name);
}

/* Fields of a record type in order. */
struct fields {
	char *names[64];
	unsigned n;
};

static enum CXVisitorResult take_field(CXCursor c, CXClientData data)
{
	struct fields *f = data;

	if (f->n < 64)
		f->names[f->n++] = iotb_cursor_name(c);
	return CXVisit_Continue;
}

static void check_init(struct iotb_checker_ctx *cc, CXCursor init, const char *name,
                       int depth);

struct init_walk {
	struct iotb_checker_ctx *cc;
	struct fields fields;
	bool is_record;
	unsigned index;
	const char *name;
	int depth;
};

static enum CXChildVisitResult visit_element(CXCursor c, CXCursor parent, CXClientData data)
{
	struct init_walk *iw = data;
	const char *name = iw->name;
	CXCursor e = c;

	(void)parent;
	if (iw->is_record) {
		name = iw->index < iw->fields.n ? iw->fields.names[iw->index] : NULL;
		/* a designated initialiser: `.field = value` */
		if (clang_getCursorKind(c) == CXCursor_UnexposedExpr) {
			CXCursor first = iotb_expr_child(c, 0);

			if (clang_getCursorKind(first) == CXCursor_MemberRef) {
				char *field = iotb_cursor_name(first);

				for (unsigned i = 0; i < iw->fields.n; i++)
					if (!strcmp(iw->fields.names[i], field))
						iw->index = i;
				name = iw->index < iw->fields.n ? iw->fields.names[iw->index] : NULL;
				free(field);
				e = iotb_expr_child(c, 1);
			}
		}
	}
	iw->index++;
	check_init(iw->cc, e, name, iw->depth + 1);
	return CXChildVisit_Continue;
}

/* An initialiser (of a variable or nested in a list) bound to name. */
static void check_init(struct iotb_checker_ctx *cc, CXCursor init, const char *name,
                       int depth)
{
	CXCursor s = iotb_expr_strip(init), lit;
	char *text;
	size_t len = 0;

	if (clang_Cursor_isNull(s) || depth > 6)
		return;
	if (clang_getCursorKind(s) == CXCursor_InitListExpr) {
		CXType t = clang_getCanonicalType(clang_getCursorType(s));
		unsigned char *bytes;
		struct init_walk iw;
		size_t n;

		if ((bytes = init_bytes(s, &n))) {
			check_bound_bytes(cc, s, name, bytes, n);
			free(bytes);
			return;
		}
		memset(&iw, 0, sizeof(iw));
		iw.cc = cc;
		iw.name = name;
		iw.depth = depth;
		iw.is_record = t.kind == CXType_Record;
		if (iw.is_record)
			clang_Type_visitFields(t, take_field, &iw.fields);
		clang_visitChildren(s, visit_element, &iw);
		for (unsigned i = 0; i < iw.fields.n; i++)
			free(iw.fields.names[i]);
		return;
	}
	if (clang_getCursorKind(s) != CXCursor_StringLiteral)
		return;
	text = iotb_expr_literal_text(s, &len);
	lit = s;
	check_bound_text(cc, s, lit, name, text, len, "in");
	free(text);
}

static void on_var_decl(struct iotb_checker_ctx *cc, const struct iotb_event *ev)
{
	if (clang_Cursor_isNull(ev->rhs) || iotb_cursor_in_system_header(ev->cursor))
		return;
	check_init(cc, ev->rhs, ev->name, 0);
}

static void on_assign(struct iotb_checker_ctx *cc, const struct iotb_event *ev)
{
	CXCursor lit;
	size_t len = 0;
	char *text, *name;

	if (ev->op != CXBinaryOperator_Assign)
		return;
	text = const_text(ev->rhs, &len, &lit);
	if (!text)
		return;
	name = name_of(ev->lhs);
	check_bound_text(cc, ev->rhs, lit, name, text, len, "assigned to");
	free(name);
	free(text);
}

/* --- calls --------------------------------------------------------------- */

static CXCursor role_arg(const struct iotb_call *call, const struct iotb_funcspec *spec,
                         const char *role)
{
	int i = iotb_funcspec_arg(spec, role);

	return i < 0 ? clang_getNullCursor() : iotb_call_arg(call, (unsigned)i);
}

/* Does text look like a password rather than a keyword: letters and
 * digits or symbols mixed, at least min_length long? */
static bool looks_like_password(const struct state *st, const char *text, size_t len)
{
	bool alpha = false, other = false;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c <= ' ' || c >= 0x7f)
			return false;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			alpha = true;
		else
			other = true;
	}
	return alpha && other && (long)len >= (st->min_length > 4 ? st->min_length : 4) &&
	       !is_ignored_value(st, text, len);
}

static void check_compare(struct iotb_checker_ctx *cc, const struct iotb_event *ev,
                          const struct iotb_funcspec *spec)
{
	const struct state *st = cc->state;
	const struct iotb_call *call = ev->call;
	CXCursor a = role_arg(call, spec, "a"), b = role_arg(call, spec, "b"), lit;
	size_t len = 0;
	char *text = const_text(b, &len, &lit), *name, *fn = NULL;

	if (!text) {
		CXCursor t = a;

		a = b;
		b = t;
		text = const_text(b, &len, &lit);
	}
	if (!text)
		return;
	name = name_of(a);
	if (name && is_credential_name(st, name) && !is_ignored_value(st, text, len)) {
		report_secret(cc, RULE_CREDENTIAL, call->expr, clang_getCursorLocation(lit), true,
			      text, len, "'%s' compares '%s' against a hard-coded credential",
			      call->name, name);
	} else if (!clang_Cursor_isNull(ev->function) &&
		   (fn = iotb_cursor_name(ev->function)) &&
		   name_in(st->auth_functions, NULL, fn) &&
		   !name_in(st->non_secret_names, NULL, name) &&
		   looks_like_password(st, text, len)) {
		report_secret(cc, RULE_CREDENTIAL, call->expr, clang_getCursorLocation(lit), true,
			      text, len, "'%s' compares '%s' against a hard-coded password in "
			      "authentication code ('%s')", call->name, name ? name : "?", fn);
	}
	free(fn);
	free(name);
	free(text);
}

static void check_copy(struct iotb_checker_ctx *cc, const struct iotb_call *call,
                       const struct iotb_funcspec *spec)
{
	CXCursor lit;
	size_t len = 0;
	char *text = const_text(role_arg(call, spec, "src"), &len, &lit), *name, *where;

	if (!text)
		return;
	name = name_of(role_arg(call, spec, "dst"));
	where = iotb_xasprintf("copied by '%s' into", call->name);
	check_bound_text(cc, call->expr, lit, name, text, len, where);
	free(where);
	free(name);
	free(text);
}

static void check_api(struct iotb_checker_ctx *cc, const struct iotb_call *call,
                      const struct iotb_funcspec *spec)
{
	const struct state *st = cc->state;
	CXCursor lit;
	size_t len = 0;
	char *text = const_text(role_arg(call, spec, "secret"), &len, &lit);

	if (text && !is_ignored_value(st, text, len))
		report_secret(cc, RULE_CREDENTIAL, call->expr, clang_getCursorLocation(lit), true,
			      text, len, "hard-coded credential passed to '%s'%s%s%s", call->name,
			      spec->note ? " (" : "", spec->note ? spec->note : "",
			      spec->note ? ")" : "");
	free(text);
}

static char *option_name(CXCursor e)
{
	CXCursor ref = clang_getCursorReferenced(iotb_expr_strip(e));

	if (!clang_Cursor_isNull(ref) && clang_getCursorKind(ref) == CXCursor_EnumConstantDecl)
		return iotb_cursor_name(ref);
	return iotb_cursor_text(iotb_expr_strip(e), 60);
}

static void check_option(struct iotb_checker_ctx *cc, const struct iotb_call *call,
                         const struct iotb_funcspec *spec)
{
	const struct state *st = cc->state;
	CXCursor lit;
	size_t len = 0;
	char *opt = option_name(role_arg(call, spec, "option")), *text = NULL;
	const char *secret;

	if (!opt || !iotb_param_match(st->cred_options, opt))
		goto out;
	text = const_text(role_arg(call, spec, "value"), &len, &lit);
	if (!text)
		goto out;
	secret = text;
	if (strstr(opt, "USERPWD") && memchr(text, ':', len)) {
		secret = (const char *)memchr(text, ':', len) + 1;
		len -= (size_t)(secret - text);
	}
	if (!is_ignored_value(st, secret, len))
		report_secret(cc, RULE_CREDENTIAL, call->expr, clang_getCursorLocation(lit), true,
			      secret, len, "hard-coded credential passed to '%s' as '%s'",
			      call->name, opt);
out:
	free(opt);
	free(text);
}

/* The constant contents e designates: a literal, or a variable with a
 * literal or byte-array initialiser.  Owned; *name the variable's name
 * (owned) when there is one. */
static unsigned char *const_buffer(CXCursor e, size_t *n, char **name)
{
	CXCursor s = iotb_expr_strip(e), init;

	*name = NULL;
	if (clang_getCursorKind(s) == CXCursor_UnaryOperator ||
	    clang_getCursorKind(s) == CXCursor_ArraySubscriptExpr)
		s = iotb_expr_strip(iotb_expr_child(s, 0));
	if (clang_getCursorKind(s) == CXCursor_DeclRefExpr) {
		CXCursor var = clang_getCursorReferenced(s);

		if (clang_getCursorKind(var) != CXCursor_VarDecl)
			return NULL;
		init = iotb_expr_strip(clang_Cursor_getVarDeclInitializer(var));
		if (clang_Cursor_isNull(init))
			return NULL;
		*name = iotb_cursor_name(var);
		s = init;
	}
	if (clang_getCursorKind(s) == CXCursor_StringLiteral)
		return (unsigned char *)iotb_expr_literal_text(s, n);
	if (clang_getCursorKind(s) == CXCursor_InitListExpr)
		return init_bytes(s, n);
	return NULL;
}

static void check_loader(struct iotb_checker_ctx *cc, const struct iotb_call *call,
                         const struct iotb_funcspec *spec)
{
	const struct state *st = cc->state;
	bool psk = iotb_funcspec_arg(spec, "key") < 0;
	CXCursor arg = role_arg(call, spec, psk ? "psk" : "key");
	size_t n = 0;
	char *name = NULL;
	unsigned char *buf = const_buffer(arg, &n, &name);

	if (!buf)
		goto out;
	if (psk ? (long)n >= st->min_key_bytes / 2 && n > 0 :
		  scan_keys(cc, call->expr, buf, n, false, ""))
		report_secret(cc, RULE_KEY, call->expr, clang_getCursorLocation(call->expr), false,
			      buf, n, "'%s' loads a %s compiled into the image%s%s%s", call->name,
			      psk ? "pre-shared key" : "private key", name ? " ('" : "",
			      name ? name : "", name ? "')" : "");
out:
	free(buf);
	free(name);
}

/* Literals passed to a parameter of the callee whose name says it takes a
 * credential. */
static void check_parameters(struct iotb_checker_ctx *cc, const struct iotb_call *call)
{
	const struct state *st = cc->state;
	int n = clang_Cursor_isNull(call->callee) ? -1 : clang_Cursor_getNumArguments(call->callee);

	for (int i = 0; i < n && (unsigned)i < call->nargs; i++) {
		CXCursor parm = clang_Cursor_getArgument(call->callee, (unsigned)i), lit;
		char *pname = iotb_cursor_name(parm), *text, *where;
		size_t len = 0;

		text = const_text(iotb_call_arg(call, (unsigned)i), &len, &lit);
		if (text && is_credential_name(st, pname) && !is_ignored_value(st, text, len) &&
		    (!name_in(st->weak_parameter_names, NULL, pname) || is_key_text(st, text, len))) {
			where = iotb_xasprintf("passed to '%s' as parameter", call->name);
			check_bound_text(cc, call->expr, lit, pname, text, len, where);
			free(where);
		}
		free(text);
		free(pname);
	}
}

static void on_call(struct iotb_checker_ctx *cc, const struct iotb_event *ev)
{
	const struct state *st = cc->state;
	const struct iotb_call *call = ev->call;
	const struct iotb_funcspec *spec;

	if (!call->name)
		return;
	if ((spec = iotb_param_match(st->compare, call->name)))
		check_compare(cc, ev, spec);
	else if ((spec = iotb_param_match(st->copy, call->name)))
		check_copy(cc, call, spec);
	else if ((spec = iotb_param_match(st->cred_functions, call->name)))
		check_api(cc, call, spec);
	else if ((spec = iotb_param_match(st->option_functions, call->name)))
		check_option(cc, call, spec);
	else if ((spec = iotb_param_match(st->key_loaders, call->name)))
		check_loader(cc, call, spec);
	else if (!iotb_cursor_in_system_header(call->callee))
		check_parameters(cc, call);
}

/* --- literals anywhere: private keys and credential shapes ------------------ */

static void check_patterns(struct iotb_checker_ctx *cc, CXCursor lit, const char *text,
                           size_t len)
{
	const struct state *st = cc->state;

	for (size_t i = 0; st->value_patterns && i < st->value_patterns->nspecs; i++) {
		const struct iotb_funcspec *spec = &st->value_patterns->specs[i];
		pcre2_match_data *md;
		PCRE2_SIZE *ov;
		int rc;

		if (!spec->regex)
			continue;
		md = pcre2_match_data_create_from_pattern(spec->regex, NULL);
		rc = pcre2_match(spec->regex, (PCRE2_SPTR)text, len, 0, 0, md, NULL);
		if (rc > 0) {
			ov = pcre2_get_ovector_pointer(md);
			if (rc < 2 || ov[2] == PCRE2_UNSET) {
				ov[2] = ov[0];
				ov[3] = ov[1];
			}
			if (!is_ignored_value(st, text + ov[2], ov[3] - ov[2]))
				report_secret(cc, RULE_CREDENTIAL, lit, clang_getCursorLocation(lit),
					      true, text + ov[2], ov[3] - ov[2],
					      "hard-coded credential in a string literal (%s)",
					      spec->note ? spec->note : spec->pattern);
			pcre2_match_data_free(md);
			return;
		}
		pcre2_match_data_free(md);
	}
}

static void on_string_literal(struct iotb_checker_ctx *cc, const struct iotb_event *ev)
{
	size_t len = 0;
	char *text;

	if (iotb_cursor_in_system_header(ev->cursor))
		return;
	text = iotb_expr_literal_text(ev->cursor, &len);
	if (!text)
		return;
	if (memmem(text, len, "-----BEGIN ", 11))
		scan_keys(cc, ev->cursor, (const unsigned char *)text, len, true,
			  "in a string literal");
	check_patterns(cc, ev->cursor, text, len);
	free(text);
}

/* --- #define NAME "literal" --------------------------------------------------- */

/* The unescaped text of string-literal tokens (one or more, concatenated);
 * NULL when a token is anything else.  Owned. */
static char *tokens_text(CXTranslationUnit tu, CXToken *toks, unsigned n, size_t *len)
{
	struct iotb_strbuf sb;

	iotb_strbuf_init(&sb);
	for (unsigned i = 0; i < n; i++) {
		CXString s = clang_getTokenSpelling(tu, toks[i]);
		const char *p = clang_getCString(s);

		if (clang_getTokenKind(toks[i]) != CXToken_Literal || !p || p[0] != '"') {
			clang_disposeString(s);
			iotb_strbuf_release(&sb);
			return NULL;
		}
		/* simple escapes only: the ones credentials use */
		for (p++; *p && *p != '"'; p++) {
			char c = *p;

			if (c == '\\' && p[1]) {
				c = *++p;
				c = c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c;
			}
			iotb_strbuf_add(&sb, &c, 1);
		}
		clang_disposeString(s);
	}
	*len = sb.len;
	return iotb_strbuf_detach(&sb);
}

static void check_macro(struct iotb_checker_ctx *cc, CXCursor def)
{
	CXTranslationUnit tu = clang_Cursor_getTranslationUnit(def);
	CXToken *toks = NULL;
	unsigned n = 0;
	char *name, *text;
	size_t len = 0;

	if (clang_Cursor_isMacroFunctionLike(def) || iotb_cursor_in_system_header(def))
		return;
	name = iotb_cursor_name(def);
	if (!is_credential_name(cc->state, name) && !is_key_name(cc->state, name)) {
		free(name);
		return;
	}
	clang_tokenize(tu, clang_getCursorExtent(def), &toks, &n);
	text = n > 1 ? tokens_text(tu, toks + 1, n - 1, &len) : NULL;
	if (text) {
		const char *where = "defined by macro";
		CXSourceLocation loc = clang_getTokenLocation(tu, toks[1]);
		const struct state *st = cc->state;

		if (is_credential_name(st, name)) {
			if (!is_ignored_value(st, text, len))
				report_secret(cc, RULE_CREDENTIAL, def, loc, true, text, len,
					      "hard-coded credential %s '%s'", where, name);
		} else if (is_key_text(st, text, len)) {
			report_secret(cc, RULE_KEY, def, loc, true, text, len,
				      "hard-coded key material (%zu characters) %s '%s'", len,
				      where, name);
		}
	}
	free(text);
	if (toks)
		clang_disposeTokens(tu, toks, n);
	free(name);
}

static enum CXChildVisitResult visit_macro(CXCursor c, CXCursor parent, CXClientData data)
{
	(void)parent;
	if (clang_getCursorKind(c) == CXCursor_MacroDefinition)
		check_macro(data, c);
	return CXChildVisit_Continue;
}

static void on_tu_begin(struct iotb_checker_ctx *cc, const struct iotb_event *ev)
{
	clang_visitChildren(ev->cursor, visit_macro, cc);
}

const struct iotb_checker iotb_checker_hardcoded_secret = {
	.name = "hardcoded_secret",
	.rules = rules,
	.init = init,
	.release = release,
	.on_tu_begin = on_tu_begin,
	.on_call = on_call,
	.on_var_decl = on_var_decl,
	.on_assign = on_assign,
	.on_string_literal = on_string_literal,
};
