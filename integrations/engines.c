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
