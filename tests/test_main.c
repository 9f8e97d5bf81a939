/*
 * test_main.c — the one CUnit program: `iotb-tests [SUITE]` runs one suite
 * (as ctest does) or all.  Exit 0 when all pass, 1 on failure, 77 when the
 * suite asked to be skipped (th_skip_suite) and ran nothing.
 */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <string.h>

#include "test_helpers.h"

#define IOTB_SUITE(name, label) void register_suite_##name(void);
#include "suites.def"
#undef IOTB_SUITE

static const struct {
	const char *name;
	void (*reg)(void);
} suites[] = {
#define IOTB_SUITE(name, label) { #name, register_suite_##name },
#include "suites.def"
#undef IOTB_SUITE
};

extern const char *th_skip_reason;

int main(int argc, char **argv)
{
	const char *only = argc > 1 ? argv[1] : NULL;
	size_t i, found = 0;
	int rc;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		if (only && strcmp(only, suites[i].name))
			continue;
		suites[i].reg();
		found++;
	}
	if (!found) {
		fprintf(stderr, "iotb-tests: unknown suite '%s'\n", only);
		CU_cleanup_registry();
		return 2;
	}
	if (th_skip_reason && CU_get_registry()->uiNumberOfTests == 0) {
		printf("skipped: %s\n", th_skip_reason);
		CU_cleanup_registry();
		return 77;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	rc = CU_get_number_of_failures() || CU_get_number_of_tests_failed() ? 1 : 0;
	CU_cleanup_registry();
	return rc;
}
