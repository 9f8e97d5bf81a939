/*
 * engines.c — the engine table built from integrations/engines.def and the
 * lookups the walker and reporters use (by input kind, by rule area).
 */
#include <string.h>

#include "engine.h"

#define IOTB_ENGINE(name) extern const struct iotb_engine iotb_engine_##name;
#include "engines.def"
#undef IOTB_ENGINE

const struct iotb_engine *const iotb_engines[] = {
#define IOTB_ENGINE(name) &iotb_engine_##name,
#include "engines.def"
#undef IOTB_ENGINE
	NULL,
};

static bool is_listed(const char *const *list, const char *s)
{
	for (; list && *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

const struct iotb_engine *iotb_engine_for_kind(const char *kind)
{
	const struct iotb_engine *const *e;

	if (!kind)
		return NULL;
	for (e = iotb_engines; *e; e++)
		if (is_listed((*e)->kinds, kind))
			return *e;
	return NULL;
}

const struct iotb_engine *iotb_engine_for_area(const char *area)
{
	const struct iotb_engine *const *e;

	if (!area)
		return NULL;
	for (e = iotb_engines; *e; e++)
		if (is_listed((*e)->areas, area))
			return *e;
	return NULL;
}

/* Rule ids the core itself emits (walker, suppressions). */
static const char *const core_rules[] = {
	"scan.parse-error", "scan.not-analysed", "scan.malformed-input",
	"scan.suppression-without-reason", "scan.unused-suppression", NULL,
};

static bool has_area(const struct iotb_catalogue *cat, const char *area)
{
	size_t i;

	for (i = 0; i < cat->nrules; i++)
		if (!strcmp(cat->rules[i].area, area))
			return true;
	return false;
}

int iotb_engines_check_catalogue(const struct iotb_catalogue *cat)
{
	const struct iotb_engine *const *e;
	const char *const *p;

	for (p = core_rules; *p; p++)
		if (!iotb_catalogue_rule(cat, *p))
			return iotb_fail("the rule catalogue in '%s' lacks '%s', which iotb itself "
					 "reports (is rules/scan.yaml missing?)", cat->dir, *p);
	for (e = iotb_engines; *e; e++)
		for (p = (*e)->areas; p && *p; p++)
			if (!has_area(cat, *p))
				return iotb_fail("the rule catalogue in '%s' has no '%s' rules, which "
						 "engine '%s' reports (is rules/%s.yaml missing?)",
						 cat->dir, *p, (*e)->name, *p);
	return 0;
}
