/*
 * secrets.c — embedded secrets in an ELF image (clauses 5.2.6.1.4 and
 * 5.2.5.2.3): private keys (secrets_keys.c), hard-coded credentials
 * (secrets_text.c) and high-entropy key material in objects whose symbol
 * names say "key", "psk", "secret", … — each as a finding with masked
 * evidence, the section and the offset inside it (the file offset when
 * there are no section headers) and the symbol covering it.  Certificates
 * are counted, never reported as secrets.
 *
 * Scanned: the sections matching elf.embedded-private-key `sections`
 * (.rodata*, .data*, …), or every PT_LOAD file image when the section
 * headers are gone.  Key material needs symbols (an object's name and
 * size); a stripped binary gets keys, credentials and tokens only.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "elfcheck_int.h"

struct secrets {
	const struct iotb_elf_facts *f;
	const char *path;
	struct iotb_engine_ctx *ctx;
	const struct iotb_elf_region *region;   /* being scanned */
	bool *selected;               /* per region */
	unsigned keys, certs, creds, material;
	uint64_t scanned_bytes;
	struct elfcheck_span *found;    /* reported keys (file offsets) */
	size_t nfound, afound;
};

static void select_regions(struct secrets *s)
{
	const struct iotb_param *names = elfcheck_param(s->ctx, "elf.embedded-private-key", "sections");
	const struct iotb_elf_facts *f = s->f;

	s->selected = iotb_xcalloc(f->nregions ? f->nregions : 1, sizeof(bool));
	for (size_t i = 0; i < f->nregions; i++)
		s->selected[i] = f->regions[i].is_segment ||
				 elfcheck_matches_any(names, f->regions[i].name);
}

/* The symbol of a data object covering offset off of the region. */
const struct iotb_elf_sym *elfcheck_covering_symbol(const struct iotb_elf_facts *f,
                                                  const struct iotb_elf_region *g,
                                                  uint64_t off)
{
	uint64_t key = f->type == ET_REL ? off : g->addr + off;

	for (size_t i = 0; i < f->nsyms; i++) {
		const struct iotb_elf_sym *y = &f->syms[i];

		if (y->shndx == SHN_UNDEF || y->type == STT_FUNC || y->type == STT_SECTION ||
		    y->type == STT_FILE || !y->size)
			continue;
		if (!g->is_segment && y->shndx != g->index)
			continue;
		if (key >= y->value && key - y->value < y->size)
			return y;
	}
	return NULL;
}

void elfcheck_locate(const struct iotb_elf_facts *f, const struct iotb_elf_region *g,
                     struct iotb_finding *fd, uint64_t off)
{
	const struct iotb_elf_sym *y = elfcheck_covering_symbol(f, g, off);

	fd->loc.section = g->is_segment ? NULL : iotb_xstrdup(g->name);
	fd->loc.offset = g->is_segment ? g->offset + off : off;
	fd->loc.has_offset = true;
	if (y) {
		fd->loc.symbol = iotb_xstrdup(y->name);
		fd->function = iotb_xstrdup(y->name);
	}
}

char *elfcheck_hex(const unsigned char *p, size_t n)
{
	char *h = iotb_xmalloc(2 * n + 1);

	for (size_t i = 0; i < n; i++)
		snprintf(h + 2 * i, 3, "%02x", p[i]);
	return h;
}

/* The secret of a key hit: the base64 body without trailing white space,
 * or the DER bytes in hex. */
static void set_key_evidence(struct iotb_finding *fd, const unsigned char *base,
                             const struct iotb_key_hit *h)
{
	size_t n = h->body_length;
	char *hex;

	if (h->pem) {
		while (n && isspace(base[h->body_offset + n - 1]))
			n--;
		iotb_finding_set_secret(fd, (const char *)base + h->body_offset, n);
		return;
	}
	hex = elfcheck_hex(base + h->body_offset, n);
	iotb_finding_set_secret(fd, hex, 2 * n);
	free(hex);
}

static void remember(struct secrets *s, uint64_t start, uint64_t len)
{
	if (s->nfound == s->afound) {
		s->afound = s->afound ? 2 * s->afound : 8;
		s->found = iotb_xrealloc(s->found, s->afound * sizeof(*s->found));
	}
	s->found[s->nfound++] = (struct elfcheck_span){ start, start + len };
}

static void on_key(const struct iotb_key_hit *h, void *arg)
{
	struct secrets *s = arg;
	const unsigned char *base = s->f->image + s->region->offset;
	struct iotb_finding *fd;

	if (h->form == IOTB_KEY_CERTIFICATE) {
		s->certs++;
		return;
	}
	s->keys++;
	remember(s, s->region->offset + h->offset, h->length);
	fd = elfcheck_emit(s->ctx, "elf.embedded-private-key", s->path,
			   "embedded %sprivate key: %s (%s, %s)%s", h->encrypted ? "encrypted " : "",
			   h->alg, iotb_key_form_name(h->form), h->pem ? "PEM" : "DER",
			   h->encrypted ? "; usable by whoever finds its passphrase, which "
			   "firmware usually holds too" : "");
	if (!fd)
		return;
	elfcheck_locate(s->f, s->region, fd, h->offset);
	set_key_evidence(fd, base, h);
	fd->snippet = iotb_xasprintf("%s private key %s", iotb_key_form_name(h->form), h->alg);
	fd->properties = json_pack("{s:s,s:s,s:b}", "format", iotb_key_form_name(h->form),
				   "algorithm", h->alg, "encrypted", h->encrypted);
	if (h->encrypted && fd->rule->severity == fd->rule->default_severity)
		fd->severity = IOTB_SEV_WARNING;
}

static void on_credential(const struct iotb_cred_hit *h, void *arg)
{
	struct secrets *s = arg;
	const unsigned char *base = s->f->image + s->region->offset;
	struct iotb_finding *fd;

	s->creds++;
	if (strcmp(h->kind, "token") == 0)
		fd = elfcheck_emit(s->ctx, "elf.hardcoded-credential", s->path,
				   "hard-coded token: %s (%zu characters)", h->name, h->value_length);
	else if (strcmp(h->kind, "url") == 0)
		fd = elfcheck_emit(s->ctx, "elf.hardcoded-credential", s->path,
				   "hard-coded credential: a password in a URL (user:password@), "
				   "%zu characters", h->value_length);
	else
		fd = elfcheck_emit(s->ctx, "elf.hardcoded-credential", s->path,
				   "hard-coded credential: '%s' is assigned a %zu-character value",
				   h->name, h->value_length);
	if (!fd)
		return;
	elfcheck_locate(s->f, s->region, fd, h->offset);
	iotb_finding_set_secret(fd, (const char *)base + h->value_offset, h->value_length);
	fd->snippet = iotb_xasprintf("%s %s", h->kind, h->name);
}

static void scan_region(struct secrets *s, const struct iotb_cred_params *cp)
{
	const unsigned char *p = s->f->image + s->region->offset;
	size_t n = (size_t)s->region->size;

	s->scanned_bytes += n;
	iotb_find_keys(p, n, on_key, s);
	iotb_find_credentials(p, n, cp, on_credential, s);
}

static void scan_regions(struct secrets *s)
{
	const char *rule = "elf.hardcoded-credential";
	struct iotb_cred_params cp = {
		elfcheck_param(s->ctx, rule, "names"), elfcheck_param(s->ctx, rule, "placeholders"),
		elfcheck_param(s->ctx, rule, "tokens"),
		(size_t)elfcheck_param_num(s->ctx, rule, "min_value_length", 4),
	};

	for (size_t i = 0; i < s->f->nregions; i++) {
		if (!s->selected[i])
			continue;
		s->region = &s->f->regions[i];
		scan_region(s, &cp);
	}
}

static json_t *secrets_facts(const struct secrets *s)
{
	json_t *regions = json_array();

	for (size_t i = 0; i < s->f->nregions; i++)
		if (s->selected[i] && s->f->regions[i].name)
			json_array_append_new(regions, elfcheck_json_string(s->f->regions[i].name));
	return json_pack("{s:i,s:i,s:i,s:i,s:o,s:I,s:s}", "private_keys", (int)s->keys,
			 "certificates", (int)s->certs, "credentials", (int)s->creds,
			 "key_material", (int)s->material, "sections", regions,
			 "scanned_bytes", (json_int_t)s->scanned_bytes, "key_material_from",
			 s->f->nsyms ? "symbols (object names and sizes)" :
			 "nothing: no symbols, so objects have no names");
}

void elfcheck_report_secrets(const struct iotb_elf_facts *f, const char *path,
                             struct iotb_engine_ctx *ctx, json_t *facts)
{
	struct secrets s = { .f = f, .path = path, .ctx = ctx };

	select_regions(&s);
	scan_regions(&s);
	s.material = elfcheck_key_material(f, path, ctx, s.selected, s.found, s.nfound);
	if (facts)
		json_object_set_new(facts, "secrets", secrets_facts(&s));
	free(s.selected);
	free(s.found);
}
