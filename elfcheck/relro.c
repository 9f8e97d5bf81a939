/*
 * relro.c — the RELRO verdict: none / partial / full from what
 * PT_GNU_RELRO actually covers.  Full means every area the dynamic linker
 * writes while relocating (each GOT) lies inside PT_GNU_RELRO and binding
 * is immediate (BIND_NOW / DF_1_NOW).  The GOTs come from the section
 * headers (.got, .got.plt, …); without them from PT_DYNAMIC: DT_PLTGOT,
 * and on MIPS DT_PLTGOT with DT_MIPS_LOCAL_GOTNO + DT_MIPS_SYMTABNO -
 * DT_MIPS_GOTSYM entries, plus DT_MIPS_PLTGOT.
 */
#include <string.h>

#include "elfcheck.h"
#include "iotb_util.h"

static bool has_bind_now(const struct iotb_elf_facts *f)
{
	return f->has_bind_now_tag || (f->dt_flags & DF_BIND_NOW) || (f->dt_flags_1 & DF_1_NOW);
}

/* The GOT ranges to check: from sections when present, else from tags. */
static size_t got_ranges(const struct iotb_elf_facts *f, struct iotb_elf_range *out)
{
	uint64_t word = f->elfclass == ELFCLASS64 ? 8 : 4, n = 0;

	if (f->has_shdrs && f->ngots) {
		memcpy(out, f->gots, f->ngots * sizeof(*out));
		return f->ngots;
	}
	if (f->has_pltgot && f->machine == EM_MIPS && f->has_mips_got) {
		uint64_t entries = f->mips_local_gotno;

		if (f->mips_symtabno > f->mips_gotsym)
			entries += f->mips_symtabno - f->mips_gotsym;
		out[n++] = (struct iotb_elf_range){ "GOT (DT_PLTGOT, DT_MIPS_*)", f->pltgot,
						    f->pltgot + entries * word };
	} else if (f->has_pltgot) {
		out[n++] = (struct iotb_elf_range){ "DT_PLTGOT", f->pltgot, f->pltgot + word };
	}
	if (f->has_mips_pltgot)
		out[n++] = (struct iotb_elf_range){ "DT_MIPS_PLTGOT", f->mips_pltgot,
						    f->mips_pltgot + word };
	return n;
}

static bool is_covered(const struct iotb_elf_facts *f, const struct iotb_elf_range *g)
{
	return g->start >= f->relro_start && g->end <= f->relro_end;
}

static void relro_static(const struct iotb_elf_facts *f, struct iotb_elf_verdict *vd)
{
	if (f->has_relro)
		vd->v = IOTB_V_PRESENT, vd->detail = "full", vd->reason = iotb_xstrdup(
			"static executable: libc's start-up code applies PT_GNU_RELRO "
			"and there is no lazy binding");
	else
		vd->v = IOTB_V_ABSENT, vd->detail = "none", vd->reason = iotb_xstrdup(
			"static executable without PT_GNU_RELRO: what libc relocates at "
			"start-up (IRELATIVE GOT entries) stays writable");
}

static void relro_dynamic(const struct iotb_elf_facts *f, struct iotb_elf_verdict *vd)
{
	const struct iotb_elf_arch *a = iotb_elf_arch_lookup(f->machine, f->elfclass);
	struct iotb_elf_range g[IOTB_ELF_MAX_GOTS + 2];
	size_t n = got_ranges(f, g), i;
	bool now = has_bind_now(f);

	for (i = 0; i < n && is_covered(f, &g[i]); i++)
		;
	vd->v = IOTB_V_PARTIAL;
	vd->detail = "partial";
	if (i < n) {
		vd->reason = iotb_xasprintf("PT_GNU_RELRO [0x%llx, 0x%llx) does not cover %s "
			"[0x%llx, 0x%llx): the GOT stays writable%s%s",
			(unsigned long long)f->relro_start, (unsigned long long)f->relro_end,
			g[i].what, (unsigned long long)g[i].start, (unsigned long long)g[i].end,
			a->relro_note ? "; " : "", a->relro_note ? a->relro_note : "");
	} else if (!now) {
		vd->reason = iotb_xstrdup("PT_GNU_RELRO without BIND_NOW: the PLT GOT is "
					  "written lazily");
	} else {
		vd->v = IOTB_V_PRESENT;
		vd->detail = "full";
		vd->reason = iotb_xstrdup(n ? "PT_GNU_RELRO covers every GOT and BIND_NOW is set"
					  : "PT_GNU_RELRO and BIND_NOW; no GOT found to check");
	}
}

void iotb_elf_relro(const struct iotb_elf_facts *f, struct iotb_elf_verdict *vd)
{
	iotb_elf_verdict_release(vd);
	if (!iotb_elf_is_loadable(f)) {
		vd->v = IOTB_V_NOT_APPLICABLE, vd->detail = NULL;
		vd->reason = iotb_xstrdup("not an executable or shared object");
	} else if (iotb_elf_is_static(f)) {
		relro_static(f, vd);
	} else if (!f->has_dynamic) {
		vd->v = IOTB_V_NOT_APPLICABLE, vd->detail = NULL;
		vd->reason = iotb_xstrdup("no PT_DYNAMIC: nothing is relocated at load time");
	} else if (!f->has_relro) {
		vd->v = IOTB_V_ABSENT, vd->detail = "none";
		vd->reason = iotb_xstrdup(has_bind_now(f) ?
			"no PT_GNU_RELRO (BIND_NOW alone leaves the GOT writable)" :
			"no PT_GNU_RELRO");
	} else {
		relro_dynamic(f, vd);
	}
}
