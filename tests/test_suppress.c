#include "test_helpers.h"

static const struct th_test tests[] = {
	{ NULL, NULL },
};

void register_suite_suppress(void)
{
	th_add_suite("suppress", tests);
}
