/*
 * Unit test of the login (sample input): test sources are not reported by
 * default (secrets.yaml test_paths, report_in_tests: false).
 * expect-none
 */
#include <string.h>

const char *password = "password";
static const char *admin_password = "p@ss#w0rd!$%";

int test_login(const char *password_in)
{
	return strcmp(password_in, "backdoor123") == 0 && admin_password[0] && password[0];
}
