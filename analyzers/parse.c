/*
 * parse.c — parsing one translation unit for the walker (walk.h):
 * CXTranslationUnit_KeepGoing (a missing header is otherwise fatal) and
 * DetailedPreprocessingRecord (macro expansions).  Error diagnostics with a
 * file location make a partial AST ("partial AST, N errors"), still
 * analysed; those without one come from the driver: flags libclang
 * rejects, not parse errors.  Such flags are dropped for every later TU of
 * the same compiler and reported once per compiler.  When libclang makes
 * no AST at all (an unknown CPU, an invalid flag value), the parse is
 * retried without machine and code-generation flags, then without the
 * CPU/architecture ones; failing that the TU is not analysed.
 */
#include <stdlib.h>
#include <string.h>

#include "walk_int.h"

/* --- set-up problems per compiler ------------------------------------------- */

struct compiler_setup *iotb_walk_setup_for(struct iotb_walk *w, const char *compiler)
{
	const char *name = compiler ? compiler : "";
	struct compiler_setup *s;

	for (size_t i = 0; i < w->nsetups; i++)
		if (!strcmp(w->setups[i].compiler, name))
			return &w->setups[i];
	w->setups = iotb_xrealloc(w->setups, (w->nsetups + 1) * sizeof(*w->setups));
	s = &w->setups[w->nsetups++];
	memset(s, 0, sizeof(*s));
	s->compiler = iotb_xstrdup(name);
	iotb_strvec_init(&s->drop);
	iotb_strvec_init(&s->messages);
	return s;
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The quoted pieces ('…') of a driver message. */
static void quoted_pieces(const char *msg, struct iotb_strvec *out)
{
	const char *p = msg;

	while ((p = strchr(p, '\''))) {
		const char *end = strchr(p + 1, '\'');

		if (!end)
			break;
		if (end > p + 1) {
			char *piece = iotb_xstrndup(p + 1, (size_t)(end - p - 1));

			iotb_strvec_push(out, piece);
			free(piece);
		}
		p = end + 1;
	}
}

/* Learn which arguments of args a driver message names (the argument
 * itself, an option prefix ending in '=', or a value after '='). */
static void learn_from_message(struct compiler_setup *s, const struct iotb_strvec *args,
                               const char *msg)
{
	struct iotb_strvec pieces;

	iotb_strvec_init(&pieces);
	quoted_pieces(msg, &pieces);
	for (size_t i = 0; i < args->n; i++) {
		const char *a = args->v[i];
		const char *eq = strchr(a, '=');

		for (size_t k = 0; k < pieces.n; k++) {
			const char *q = pieces.v[k];
			size_t n = strlen(q);
			bool named = !strcmp(a, q) || (n > 1 && q[n - 1] == '=' && starts_with(a, q)) ||
				     (a[0] == '-' && eq && !strcmp(eq + 1, q));

			if (named && a[0] == '-' && !iotb_strvec_contains(&s->drop, a))
				iotb_strvec_push(&s->drop, a);
		}
	}
	if (!iotb_strvec_contains(&s->messages, msg))
		iotb_strvec_push(&s->messages, msg);
	iotb_strvec_release(&pieces);
}

/* -m flags that change the ABI (type sizes, endianness): kept while other
 * machine flags are dropped. */
static bool is_abi_flag(const char *a, bool keep_cpu)
{
	static const char *const abi[] = {
		"-m32", "-m64", "-mx32", "-m16", "-mthumb", "-marm", "-mbig-endian",
		"-mlittle-endian", "-msoft-float", "-mhard-float", "-mabicalls",
		"-mno-abicalls", NULL,
	};
	static const char *const abi_prefix[] = { "-mfloat-abi=", "-mabi=", NULL };
	static const char *const cpu_prefix[] = { "-march=", "-mcpu=", "-mfpu=", "-mips", NULL };

	for (const char *const *p = abi; *p; p++)
		if (!strcmp(a, *p))
			return true;
	for (const char *const *p = abi_prefix; *p; p++)
		if (starts_with(a, *p))
			return true;
	for (const char *const *p = cpu_prefix; keep_cpu && *p; p++)
		if (starts_with(a, *p))
			return true;
	return false;
}

/* -f flags that change what the parser sees (macros, types, keywords). */
static bool is_language_flag(const char *a)
{
	static const char *const prefixes[] = {
		"-fsigned-char", "-funsigned-char", "-fno-signed-char", "-fno-unsigned-char",
		"-fshort-enums", "-fshort-wchar", "-fms-extensions", "-fgnu89-inline",
		"-fno-builtin", "-fbuiltin", "-fcommon", "-fno-common", "-fpack-struct",
		"-fopenmp", "-fblocks", "-fasm", "-fno-asm", "-fgnu-keywords",
		"-fdollars-in-identifiers", "-fno-dollars-in-identifiers",
		"-fstack-protector", "-fno-stack-protector", "-fPIC", "-fpic", "-fPIE",
		"-fpie", "-fno-PIC", "-fno-pic", "-ffreestanding", "-fhosted",
		"-fexceptions", "-fno-exceptions", "-fwrapv", "-fno-strict-aliasing",
		"-fplan9-extensions", "-fextended-identifiers", NULL,
	};

	for (const char *const *p = prefixes; *p; p++)
		if (starts_with(a, *p))
			return true;
	return false;
}

/* Does retry stage (1: drop machine/codegen flags, 2: also CPU flags)
 * drop a? */
static bool stage_drops(const char *a, int stage)
{
	if (starts_with(a, "-m"))
		return !is_abi_flag(a, stage < 2);
	if (starts_with(a, "-f"))
		return !is_language_flag(a);
	return false;
}

/* --- parsing ------------------------------------------------------------------ */

static void args_without(const struct iotb_strvec *args, const struct iotb_strvec *drop,
                         int stage, struct iotb_strvec *out, struct iotb_strvec *dropped)
{
	for (size_t i = 0; i < args->n; i++) {
		const char *a = args->v[i];

		if (iotb_strvec_contains(drop, a))
			continue;
		/* arguments we add ourselves are never dropped */
		if (stage && stage_drops(a, stage) && !starts_with(a, "-ferror-limit") &&
		    !starts_with(a, "-fno-spell")) {
			if (dropped && !iotb_strvec_contains(dropped, a))
				iotb_strvec_push(dropped, a);
			continue;
		}
		iotb_strvec_push(out, a);
	}
}

static CXTranslationUnit parse(CXIndex idx, const char *source, const struct iotb_strvec *args,
                               enum CXErrorCode *code)
{
	CXTranslationUnit tu = NULL;

	*code = clang_parseTranslationUnit2(idx, source, (const char *const *)args->v,
					    (int)args->n, NULL, 0,
					    CXTranslationUnit_KeepGoing |
					    CXTranslationUnit_DetailedPreprocessingRecord, &tu);
	if (*code != CXError_Success && tu) {
		clang_disposeTranslationUnit(tu);
		tu = NULL;
	}
	return tu;
}

static const char *error_code_text(enum CXErrorCode code)
{
	switch (code) {
	case CXError_Crashed: return "libclang crashed";
	case CXError_InvalidArguments: return "libclang rejected the arguments";
	case CXError_ASTReadError: return "libclang could not build an AST (invalid compiler flags?)";
	case CXError_Failure: return "libclang could not build an AST";
	default: return "libclang failed";
	}
}

static char *diagnostic_text(const struct iotb_walk *w, CXDiagnostic d, bool with_location)
{
	CXString spelling = clang_getDiagnosticSpelling(d);
	const char *s = clang_getCString(spelling);
	char *text;

	if (with_location) {
		CXFile file = NULL;
		unsigned line = 0, col = 0;
		char *name, *path;

		clang_getExpansionLocation(clang_getDiagnosticLocation(d), &file, &line, &col, NULL);
		name = file ? iotb_walk_file_name(file) : iotb_xstrdup("");
		path = iotb_walk_display_path(name, w->relative_paths);
		text = iotb_xasprintf("%s:%u:%u: %s", path, line, col, s ? s : "");
		free(path);
		free(name);
	} else {
		text = iotb_xstrdup(s ? s : "");
	}
	clang_disposeString(spelling);
	return text;
}

/* Count errors; learn driver complaints; build the partial-AST message. */
static void examine_diagnostics(struct iotb_walk *w, CXTranslationUnit tu,
                                struct compiler_setup *setup, const struct iotb_strvec *args,
                                struct iotb_tu_result *r)
{
	unsigned n = clang_getNumDiagnostics(tu), shown = 0;
	struct iotb_strbuf first;

	iotb_strbuf_init(&first);
	for (unsigned i = 0; i < n; i++) {
		CXDiagnostic d = clang_getDiagnostic(tu, i);
		enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(d);
		CXFile file = NULL;

		clang_getExpansionLocation(clang_getDiagnosticLocation(d), &file, NULL, NULL, NULL);
		if (sev >= CXDiagnostic_Error && !file) {
			char *msg = diagnostic_text(w, d, false);

			learn_from_message(setup, args, msg);
			free(msg);
		} else if (sev >= CXDiagnostic_Error) {
			r->errors++;
			if (shown < FIRST_DIAGNOSTICS) {
				char *msg = diagnostic_text(w, d, true);

				iotb_strbuf_addf(&first, "%s%s", shown ? "; " : "", msg);
				free(msg);
				shown++;
			}
		}
		clang_disposeDiagnostic(d);
	}
	if (r->errors) {
		r->outcome = IOTB_TU_PARTIAL;
		r->message = iotb_xasprintf("partial AST, %u error%s (analysed as far as it "
					    "parsed); first: %s", r->errors,
					    r->errors == 1 ? "" : "s", first.buf);
	}
	w->errors += r->errors;
	iotb_strbuf_release(&first);
}

void iotb_walk_tu(struct iotb_walk *w, CXIndex idx, const struct iotb_tu_args *ta,
                  struct iotb_tu_result *r)
{
	struct compiler_setup *setup = iotb_walk_setup_for(w, ta->compiler);
	struct iotb_strvec args, dropped;
	CXTranslationUnit tu = NULL;
	enum CXErrorCode code = CXError_Success;

	memset(r, 0, sizeof(*r));
	w->tus++;
	iotb_strvec_init(&dropped);
	for (int stage = 0; stage <= 2 && !tu; stage++) {
		iotb_strvec_init(&args);
		args_without(&ta->args, &setup->drop, stage, &args, &dropped);
		tu = parse(idx, ta->source, &args, &code);
		if (tu) {
			for (size_t i = 0; stage && i < dropped.n; i++)
				if (!iotb_strvec_contains(&setup->drop, dropped.v[i]))
					iotb_strvec_push(&setup->drop, dropped.v[i]);
			if (stage && dropped.n) {
				char *msg = iotb_xasprintf("no AST with these flags: %s",
							   dropped.v[0]);

				if (!iotb_strvec_contains(&setup->messages, msg))
					iotb_strvec_push(&setup->messages, msg);
				free(msg);
			}
			examine_diagnostics(w, tu, setup, &args, r);
		}
		iotb_strvec_release(&args);
		if (code == CXError_Crashed)
			break;
	}
	iotb_strvec_release(&dropped);
	if (!tu) {
		r->outcome = IOTB_TU_FAILED;
		r->message = iotb_xstrdup(error_code_text(code));
		w->failed++;
		return;
	}
	if (r->outcome == IOTB_TU_PARTIAL)
		w->partial++;
	else
		w->parsed++;
	iotb_walk_traverse(w, tu);
	clang_disposeTranslationUnit(tu);
}

void iotb_walk_finish(struct iotb_walk *w, const char *path)
{
	struct iotb_rule_ctx rc = iotb_rule_ctx_get(w->ctx, "scan.parse-error");

	for (size_t i = 0; i < w->nsetups; i++) {
		struct compiler_setup *s = &w->setups[i];
		struct iotb_strbuf msg;

		if (s->reported || (!s->drop.n && !s->messages.n))
			continue;
		iotb_strbuf_init(&msg);
		iotb_strbuf_addf(&msg, "set-up: libclang rejected flags of compiler '%s'",
				 *s->compiler ? s->compiler : "(command line)");
		for (size_t k = 0; k < s->messages.n; k++)
			iotb_strbuf_addf(&msg, "%s%s", k ? "; " : ": ", s->messages.v[k]);
		if (s->drop.n) {
			iotb_strbuf_adds(&msg, "; dropped for every translation unit:");
			for (size_t k = 0; k < s->drop.n; k++)
				iotb_strbuf_addf(&msg, " %s", s->drop.v[k]);
		}
		iotb_emit(&rc, path, 0, 0, "%s", msg.buf);
		s->reported = true;
		iotb_strbuf_release(&msg);
	}
}

static json_t *strvec_json(const struct iotb_strvec *sv)
{
	json_t *arr = json_array();

	for (size_t k = 0; k < sv->n; k++)
		json_array_append_new(arr, json_string(sv->v[k]));
	return arr;
}

json_t *iotb_walk_facts(const struct iotb_walk *w)
{
	json_t *rejected = json_object(), *messages = json_object();

	for (size_t i = 0; i < w->nsetups; i++) {
		const struct compiler_setup *s = &w->setups[i];
		const char *name = *s->compiler ? s->compiler : "(command line)";

		if (s->drop.n)
			json_object_set_new(rejected, name, strvec_json(&s->drop));
		if (s->messages.n)
			json_object_set_new(messages, name, strvec_json(&s->messages));
	}
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:o, s:o}", "translation_units",
			 (json_int_t)w->tus, "parsed", (json_int_t)w->parsed, "partial",
			 (json_int_t)w->partial, "not_analysed", (json_int_t)w->failed,
			 "errors", (json_int_t)w->errors, "rejected_flags", rejected,
			 "rejected_messages", messages);
}

static void absorb_list(struct iotb_walk *w, json_t *obj, bool messages)
{
	const char *name;
	json_t *arr, *v;
	size_t i;

	json_object_foreach(obj, name, arr) {
		struct compiler_setup *s = iotb_walk_setup_for(w, strcmp(name, "(command line)") ? name : "");
		struct iotb_strvec *sv = messages ? &s->messages : &s->drop;

		json_array_foreach(arr, i, v)
			if (json_is_string(v) && !iotb_strvec_contains(sv, json_string_value(v)))
				iotb_strvec_push(sv, json_string_value(v));
	}
}

void iotb_walk_absorb_facts(struct iotb_walk *w, const json_t *facts)
{
	if (!json_is_object(facts))
		return;
	w->tus += (unsigned long)json_integer_value(json_object_get(facts, "translation_units"));
	w->parsed += (unsigned long)json_integer_value(json_object_get(facts, "parsed"));
	w->partial += (unsigned long)json_integer_value(json_object_get(facts, "partial"));
	w->failed += (unsigned long)json_integer_value(json_object_get(facts, "not_analysed"));
	w->errors += (unsigned long)json_integer_value(json_object_get(facts, "errors"));
	absorb_list(w, json_object_get(facts, "rejected_flags"), false);
	absorb_list(w, json_object_get(facts, "rejected_messages"), true);
}

void iotb_walk_setups_release(struct iotb_walk *w)
{
	for (size_t i = 0; i < w->nsetups; i++) {
		free(w->setups[i].compiler);
		iotb_strvec_release(&w->setups[i].drop);
		iotb_strvec_release(&w->setups[i].messages);
	}
	free(w->setups);
	w->setups = NULL;
	w->nsetups = 0;
}
