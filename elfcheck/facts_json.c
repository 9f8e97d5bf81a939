/*
 * facts_json.c — the descriptive part of an ELF artifact's facts record
 * (DESIGN.md "Facts"): class, machine, type, endianness, ABI, interpreter,
 * SONAME, DT_NEEDED, build-id, stripped, search paths.  Verdicts are added
 * by elfcheck/report.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elfcheck.h"
#include "elfcheck_int.h"

static const char *type_name(unsigned type)
{
	switch (type) {
	case ET_NONE: return "NONE";
	case ET_REL: return "REL";
	case ET_EXEC: return "EXEC";
	case ET_DYN: return "DYN";
	case ET_CORE: return "CORE";
	default: return "OTHER";
	}
}

static const char *osabi_name(unsigned osabi)
{
	switch (osabi) {
	case ELFOSABI_SYSV: return "SYSV";
	case ELFOSABI_GNU: return "GNU";
	case ELFOSABI_FREEBSD: return "FreeBSD";
	case ELFOSABI_ARM: return "ARM";
	case ELFOSABI_STANDALONE: return "standalone";
	default: return "other";
	}
}

/* Processor ABI from e_flags where it matters (ARM EABI, MIPS o32/n32/n64). */
static const char *proc_abi(const struct iotb_elf_facts *f, char *buf, size_t n)
{
	if (f->machine == EM_ARM && (f->eflags & EF_ARM_EABIMASK)) {
		snprintf(buf, n, "EABI%u%s", (unsigned)(f->eflags & EF_ARM_EABIMASK) >> 24,
			 f->eflags & EF_ARM_ABI_FLOAT_HARD ? " hard-float" : "");
		return buf;
	}
	if (f->machine == EM_MIPS)
		return f->elfclass == ELFCLASS64 ? "n64" :
		       (f->eflags & EF_MIPS_ABI2) ? "n32" : "o32";
	return NULL;
}

static void set_str(json_t *o, const char *key, const char *value)
{
	json_object_set_new(o, key, value ? elfcheck_json_string(value) : json_null());
}

json_t *elfcheck_json_string(const char *s)
{
	char *clean = iotb_utf8_sanitize(s, strlen(s));
	json_t *j = json_string(clean);

	free(clean);
	return j;
}

/* "a:b:c" → ["a","b","c"] (empty entries kept). */
json_t *elfcheck_json_path_list(const char *s)
{
	json_t *arr = json_array();
	const char *p = s, *colon;

	for (;;) {
		char *e;

		colon = strchr(p, ':');
		e = iotb_xstrndup(p, colon ? (size_t)(colon - p) : strlen(p));
		json_array_append_new(arr, elfcheck_json_string(e));
		free(e);
		if (!colon)
			return arr;
		p = colon + 1;
	}
}

void elfcheck_json_header(const struct iotb_elf_facts *f, json_t *o)
{
	char buf[32], abi[32];
	const char *pabi = proc_abi(f, abi, sizeof(abi));

	json_object_set_new(o, "class", json_string(f->elfclass == ELFCLASS64 ? "ELF64" : "ELF32"));
	json_object_set_new(o, "endianness",
			    json_string(f->data == ELFDATA2MSB ? "big" : "little"));
	json_object_set_new(o, "machine", json_string(iotb_elf_machine_name(f->machine,
						f->elfclass, buf, sizeof(buf))));
	json_object_set_new(o, "type", json_string(type_name(f->type)));
	json_object_set_new(o, "osabi", json_string(osabi_name(f->osabi)));
	set_str(o, "abi", pabi);
	json_object_set_new(o, "size", json_integer((json_int_t)f->size));
}

void elfcheck_json_content(const struct iotb_elf_facts *f, json_t *o)
{
	json_t *needed = json_array();
	size_t i;

	set_str(o, "interpreter", f->has_interp ? f->interp : NULL);
	set_str(o, "soname", f->soname);
	for (i = 0; i < f->nneeded; i++)
		json_array_append_new(needed, elfcheck_json_string(f->needed[i]));
	json_object_set_new(o, "needed", needed);
	set_str(o, "build_id", f->build_id[0] ? f->build_id : NULL);
	json_object_set_new(o, "stripped", json_boolean(!f->has_symtab));
	json_object_set_new(o, "section_headers", json_boolean(f->has_shdrs));
	json_object_set_new(o, "static", json_boolean(iotb_elf_is_static(f)));
	json_object_set_new(o, "kernel_module", json_boolean(f->is_kernel_module));
	json_object_set_new(o, "rpath", f->rpath ? elfcheck_json_path_list(f->rpath) : json_null());
	json_object_set_new(o, "runpath",
			    f->runpath ? elfcheck_json_path_list(f->runpath) : json_null());
	json_object_set_new(o, "textrel", json_boolean(iotb_elf_has_textrel(f)));
}
