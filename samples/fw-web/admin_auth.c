/*
 * Login of the router's web admin (sample input): default and backdoor
 * passwords in every form a C source spells them.  Bad lines carry
 * `expect:`; every other line is a look-alike that must not be reported.
 */
#include <stdio.h>
#include <string.h>

#define ROOT_PW "Adm1n$%!@#"                                 /* expect: secrets.hardcoded-credential */
#define DEFAULT_PIN "1234"                                   /* expect: secrets.hardcoded-credential */
#define PASSWORD_MAX_LEN 64
#define NVRAM_PASSWORD "http_passwd"
#define LOGIN_PROMPT "Password: "

struct account {
	const char *user;
	const char *password;
};

struct admin_cfg {
	const char *user;
	const char *passwd;
	int level;
};

void set_admin_credentials(const char *user, const char *password);
void set_display_name(const char *user, const char *label);

char root_pw[] = "R00t$%!@#pass";                            /* expect: secrets.hardcoded-credential */
static const char *admin_password = "p@ss#w0rd!$%";          /* expect: secrets.hardcoded-credential */
const char *password = "password";                           /* expect: secrets.hardcoded-credential */
static const char api_token[] = "tk_9f8a7b"                  /* expect: secrets.hardcoded-credential */
				"6c5d4e3f2a1b";
static const struct account accounts[] = {
	{ "admin", "admin" },                                /* expect: secrets.hardcoded-credential */
	{ .user = "support", .password = "support1234" },     /* expect: secrets.hardcoded-credential */
	{ "guest", NULL },
};
static const char *fw_update_url = "http://admin:s3cr3tPass@192.168.1.1/fw";  /* expect: secrets.hardcoded-credential */
static int (*cmp)(const char *, const char *) = strcmp;

/* look-alikes */
char pw_mask[] = "********";
static const char *password_prompt = "Password: ";
char password_buf[PASSWORD_MAX_LEN] = "";
static const char *password_fmt = "%s:%s";
static const char *token = "550e8400-e29b-41d4-a716-446655440000";
static const char *password_sha256 =
	"5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8";
static const char aws_region_name[] = "ASIAANDPACIFICREGION";
static const char keyboard_layout[] = "qwertzuiopasdfghjklyxcvbnm";
static const char *status_url = "http://192.168.1.1/status";
static const struct admin_cfg empty_cfg = { "admin", "", 0 };

int check_login(const char *user, const char *password_in, struct admin_cfg *cfg)
{
	char line[80];

	if (!strcmp(password_in, "backdoor123"))                 /* expect: secrets.hardcoded-credential */
		return 1;
	if (!strcmp(password_in, ROOT_PW))
		return 1;
	if (cmp(password_in, "letmein99") == 0)                  /* expect: secrets.hardcoded-credential */
		return 1;
	cfg->passwd = "changeme";                                /* expect: secrets.hardcoded-credential */
	set_admin_credentials("admin", "Zx9!qLm2vB");            /* expect: secrets.hardcoded-credential */

	/* look-alikes */
	if (strcmp(user, "admin") == 0)
		cfg->level = 2;
	if (!strcmp(password_in, ""))
		return 0;
	snprintf(line, sizeof line, "password=%s", password_in);
	set_display_name("admin", "Administrator");
	set_admin_credentials(user, password_in);
	cfg->passwd = password_in;
	cfg->user = "admin";
	if (!strcmp(line, "-----BEGIN EC PRIVATE KEY-----"))
		return 0;
	printf("%s %s %s %s %s %s\n", NVRAM_PASSWORD, LOGIN_PROMPT, pw_mask, password_prompt,
	       password_fmt, token);
	printf("%s %s %s %s %s\n", password_sha256, aws_region_name, keyboard_layout,
	       status_url, DEFAULT_PIN);
	return root_pw[0] + admin_password[0] + password[0] + api_token[0] + accounts[0].user[0] +
	       fw_update_url[0] + password_buf[0] + empty_cfg.level;
}

/* A telnet login with backdoor passwords of the Mirai kind. */
int telnet_login(const char *input, const char *method)
{
	if (!strcmp(input, "xc3511"))                                /* expect: secrets.hardcoded-credential */
		return 1;
	if (!memcmp(input, "7ujMko0admin", 12))                       /* expect: secrets.hardcoded-credential */
		return 1;
	/* look-alikes */
	if (!strcmp(method, "POST1"))
		return 0;
	if (!strcmp(input, "logout"))
		return 0;
	if (!strncmp(input, "%s", 2))
		return 0;
	return -1;
}

/* Not authentication code: versions and commands compared. */
int parse_version(const char *input)
{
	return !strcmp(input, "v2.1-beta") || !strcmp(input, "fw-1.0.3");
}
