/*
 * test_checkers_secrets.c — the checkers of analyzers/hardcoded_secret.c,
 * tls_verify.c and command_injection.c: every message they produce, the
 * parameters they refuse, private keys generated at test time with openssl
 * and ssh-keygen (never committed), test sources left out by default, and
 * a scan whose every output format must not contain a secret.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyzers.h"
#include "engine.h"
#include "iotb_util.h"
#include "test_helpers.h"

/* --- fixtures ------------------------------------------------------------- */

/* Run the source engine on path in this process, paths relative to root. */
static int analyse(const char *root, const char *path, struct iotb_results *res,
                   const struct iotb_catalogue *cat)
{
	struct iotb_input in = { 0 };
	struct iotb_engine_ctx ctx = { cat ? cat : th_catalogue(), NULL, res, NULL };
	struct iotb_analyzers_options o = { 0 };
	int rc;

	o.query = IOTB_QUERY_NEVER;
	o.jobs = 1;
	iotb_analyzers_set_options(&o);
	iotb_results_init(res);
	res->source_root = iotb_xstrdup(root);
	in.path = path;
	in.kind = "c-source";
	in.fd = open(path, O_RDONLY);
	in.named = 1;
	ctx.artifact = iotb_results_add_artifact(res, path, "c-source");
	iotb_clear_error();
	rc = iotb_engine_analyzers.analyse(&in, &ctx);
	if (in.fd >= 0)
		close(in.fd);
	iotb_analyzers_set_options(NULL);
	return rc;
}

static const char *evidence(const struct iotb_results *res, const char *rule, unsigned line)
{
	const struct iotb_finding *f = th_finding(res, rule, line);

	return f ? f->evidence : NULL;
}

/* Run a shell command; true on exit status 0. */
static bool run(const char *fmt, ...) IOTB_PRINTF(1, 2);

static bool run(const char *fmt, ...)
{
	struct iotb_strbuf sb;
	va_list ap;
	int rc;

	iotb_strbuf_init(&sb);
	va_start(ap, fmt);
	iotb_strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	rc = system(sb.buf);
	iotb_strbuf_release(&sb);
	return rc == 0;
}

/* --- tls.verify-disabled ---------------------------------------------------- */

static const char tls_c[] =
	"#define SSL_VERIFY_NONE 0\n"                                               /* 1 */
	"#define SSL_VERIFY_PEER 1\n"                                               /* 2 */
	"typedef struct ssl_ctx_st SSL_CTX;\n"                                     /* 3 */
	"void SSL_CTX_set_verify(SSL_CTX *c, int mode, void *cb);\n"              /* 4 */
	"enum { MBEDTLS_SSL_VERIFY_NONE, MBEDTLS_SSL_VERIFY_REQUIRED = 2 };\n"   /* 5 */
	"void mbedtls_ssl_conf_authmode(void *conf, int mode);\n"                 /* 6 */
	"typedef enum { CURLOPT_SSL_VERIFYPEER = 64, CURLOPT_TIMEOUT = 13 } CURLoption;\n" /* 7 */
	"int curl_easy_setopt(void *h, CURLoption o, ...);\n"                     /* 8 */
	"static void (*setv)(SSL_CTX *, int, void *) = SSL_CTX_set_verify;\n"     /* 9 */
	"void f(SSL_CTX *c, void *conf, void *h, int m) {\n"                      /* 10 */
	"\tSSL_CTX_set_verify(c, SSL_VERIFY_NONE, 0);\n"                           /* 11 */
	"\tmbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_NONE);\n"            /* 12 */
	"\tcurl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);\n"                     /* 13 */
	"\tsetv(c, 0, 0);\n"                                                       /* 14 */
	"\tSSL_CTX_set_verify(c, SSL_VERIFY_PEER, 0);\n"                           /* 15 */
	"\tSSL_CTX_set_verify(c, m, 0);\n"                                         /* 16 */
	"\tcurl_easy_setopt(h, CURLOPT_TIMEOUT, 0L);\n"                            /* 17 */
	"\tmbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_REQUIRED);\n"        /* 18 */
	"}\n";

static void test_tls_messages(void)
{
	char *dir = th_tmpdir("secrets-tls"), *c = th_write(dir, "tls.c", tls_c);
	struct iotb_results res;

	CU_ASSERT_EQUAL(analyse(dir, c, &res, NULL), 0);
	CU_ASSERT_EQUAL(th_count_prefix(&res, "tls."), 4);
	TH_ASSERT_STR(th_message(&res, "tls.verify-disabled", 11),
		   "'SSL_CTX_set_verify' switches peer certificate verification off (mode "
		   "'SSL_VERIFY_NONE')");
	TH_ASSERT_STR(th_message(&res, "tls.verify-disabled", 12),
		   "'mbedtls_ssl_conf_authmode' switches peer certificate verification off "
		   "(mode 'MBEDTLS_SSL_VERIFY_NONE')");
	TH_ASSERT_STR(th_message(&res, "tls.verify-disabled", 13),
		   "'curl_easy_setopt' sets 'CURLOPT_SSL_VERIFYPEER' to 0: the peer's "
		   "certificate is not verified");
	TH_ASSERT_STR(th_message(&res, "tls.verify-disabled", 14),
		   "'SSL_CTX_set_verify' switches peer certificate verification off (mode '0') "
		   "(called through a function pointer)");
	{
		const struct iotb_finding *f = th_finding(&res, "tls.verify-disabled", 14);

		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		CU_ASSERT_EQUAL(f->nrelated, 1);
		CU_ASSERT_EQUAL(f->related[0].line, 9);
		TH_ASSERT_STR(f->related[0].message, "function pointer bound here");
	}
	iotb_results_release(&res);
	free(c);
	free(dir);
}

/* --- command.injection -------------------------------------------------------- */

static const char cmd_c[] =
	"#include <stdio.h>\n"                                                     /* 1 */
	"#include <stdlib.h>\n"                                                    /* 2 */
	"#include <unistd.h>\n"                                                    /* 3 */
	"void f(const char *host, int n) {\n"                                      /* 4 */
	"\tchar c[64], k[64];\n"                                                   /* 5 */
	"\tsnprintf(c, sizeof c, \"ping %s\", host);\n"                           /* 6 */
	"\tsystem(c);\n"                                                           /* 7 */
	"\tpopen(host, \"r\");\n"                                                  /* 8 */
	"\texecl(\"/bin/sh\", \"sh\", \"-c\", host, (char *)0);\n"                 /* 9 */
	"\texeclp(host, host, (char *)0);\n"                                       /* 10 */
	"\tsnprintf(k, sizeof k, \"ping -c %d 10.0.0.1\", n);\n"                  /* 11 */
	"\tsystem(k);\n"                                                           /* 12 */
	"\tsystem(\"reboot\");\n"                                                  /* 13 */
	"\texecl(\"/bin/ping\", \"ping\", host, (char *)0);\n"                     /* 14 */
	"}\n"                                                                      /* 15 */
	"struct act { const char *n; const char *cmd; };\n"                       /* 16 */
	"static const struct act acts[] = { { \"a\", \"reboot\" }, { .n = \"b\", .cmd = \"sync\" } };\n" /* 17 */
	"static struct act user[2];\n"                                             /* 18 */
	"void g(int i) { system(acts[i & 1].cmd); system(user[i & 1].cmd); }\n";  /* 19 */

static void test_command_messages(void)
{
	char *dir = th_tmpdir("secrets-cmd"), *c = th_write(dir, "cmd.c", cmd_c);
	struct iotb_results res;

	CU_ASSERT_EQUAL(analyse(dir, c, &res, NULL), 0);
	CU_ASSERT_EQUAL(th_count_prefix(&res, "command."), 5);
	TH_ASSERT_STR(th_message(&res, "command.injection", 19),
		   "'system' runs command 'user[i&1].cmd', which is not built only from literals");
	TH_ASSERT_STR(th_message(&res, "command.injection", 7),
		   "'system' runs command 'c', which is not built only from literals");
	TH_ASSERT_STR(th_message(&res, "command.injection", 8),
		   "'popen' runs command 'host', which is not built only from literals");
	TH_ASSERT_STR(th_message(&res, "command.injection", 9),
		   "'execl' runs the shell command 'host', which is not built only from literals");
	TH_ASSERT_STR(th_message(&res, "command.injection", 10),
		   "'execlp' runs program 'host', which is not built only from literals");
	CU_ASSERT_PTR_NULL(th_finding(&res, "command.injection", 12));
	CU_ASSERT_PTR_NULL(th_finding(&res, "command.injection", 14));
	iotb_results_release(&res);
	free(c);
	free(dir);
}

/* --- secrets: credentials and keys --------------------------------------------- */

static const char cred_c[] =
	"#include <string.h>\n"                                                     /* 1 */
	"#define ROOT_PW \"Adm1n$%!@#\"\n"                                         /* 2 */
	"struct acct { const char *user; const char *password; };\n"              /* 3 */
	"void set_login(const char *user, const char *password);\n"               /* 4 */
	"typedef enum { CURLOPT_USERPWD = 10005 } CURLoption;\n"                   /* 5 */
	"int curl_easy_setopt(void *h, CURLoption o, ...);\n"                     /* 6 */
	"int mosquitto_username_pw_set(void *m, const char *u, const char *p);\n" /* 7 */
	"char pw[] = \"R00t$%!@#pass\";\n"                                         /* 8 */
	"static const struct acct a = { .user = \"admin\", .password = \"admin\" };\n" /* 9 */
	"static const unsigned char aes_key[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };\n" /* 10 */
	"static const char hmac_key[] = \"f3Kq9ZpL2vX8mN4bR7tY\";\n"              /* 11 */
	"static const char *at = \"AT+CWJAP=\\\"HomeNet\\\",\\\"Xk9vT2qLm7\\\"\\r\\n\";\n" /* 12 */
	"int f(const char *password, void *h, void *m) {\n"                        /* 13 */
	"\tset_login(\"admin\", \"Zx9!qLm2vB\");\n"                                /* 14 */
	"\tcurl_easy_setopt(h, CURLOPT_USERPWD, \"admin:Cl0udPass!\");\n"          /* 15 */
	"\tmosquitto_username_pw_set(m, \"dev\", \"mqttP@ss2024\");\n"             /* 16 */
	"\tif (!strcmp(password, \"backdoor123\")) return 1;\n"                    /* 17 */
	"\tif (!strcmp(password, ROOT_PW)) return 1;\n"                            /* 18 */
	"\tif (!strcmp(password, \"********\")) return 1;\n"                       /* 19 */
	"\tif (!strcmp(password, \"\")) return 1;\n"                               /* 20 */
	"\treturn pw[0] + a.user[0] + aes_key[0] + hmac_key[0] + at[0];\n"         /* 21 */
	"}\n";

static void test_secret_messages(void)
{
	char *dir = th_tmpdir("secrets-cred"), *c = th_write(dir, "cred.c", cred_c);
	struct iotb_results res;
	const char *cred = "secrets.hardcoded-credential", *key = "secrets.hardcoded-key";

	CU_ASSERT_EQUAL(analyse(dir, c, &res, NULL), 0);
	CU_ASSERT_EQUAL(th_count_prefix(&res, "secrets."), 10);
	TH_ASSERT_STR(th_message(&res, cred, 2), "hard-coded credential defined by macro 'ROOT_PW'");
	TH_ASSERT_STR(evidence(&res, cred, 2), "<10 chars>");
	TH_ASSERT_STR(th_message(&res, cred, 8), "hard-coded credential in 'pw'");
	TH_ASSERT_STR(evidence(&res, cred, 8), "R0…ss (13 chars)");
	TH_ASSERT_STR(th_message(&res, cred, 9), "hard-coded credential in 'password'");
	TH_ASSERT_STR(th_message(&res, key, 10), "hard-coded 16-byte key in 'aes_key'");
	TH_ASSERT_STR(th_message(&res, key, 11),
		   "hard-coded key material (20 characters) in 'hmac_key'");
	TH_ASSERT_STR(evidence(&res, key, 11), "f3…tY (20 chars)");
	TH_ASSERT_STR(th_message(&res, cred, 12), "hard-coded credential in a string literal (Wi-Fi "
		   "password in an ESP-AT join command)");
	TH_ASSERT_STR(evidence(&res, cred, 12), "<10 chars>");
	TH_ASSERT_STR(th_message(&res, cred, 14),
		   "hard-coded credential passed to 'set_login' as parameter 'password'");
	TH_ASSERT_STR(th_message(&res, cred, 15),
		   "hard-coded credential passed to 'curl_easy_setopt' as 'CURLOPT_USERPWD'");
	TH_ASSERT_STR(evidence(&res, cred, 15), "<10 chars>");   /* the password part only */
	TH_ASSERT_STR(th_message(&res, cred, 16), "hard-coded credential passed to "
		   "'mosquitto_username_pw_set' (mosquitto MQTT password)");
	TH_ASSERT_STR(th_message(&res, cred, 17),
		   "'strcmp' compares 'password' against a hard-coded credential");
	CU_ASSERT_PTR_NULL(th_finding(&res, cred, 18));   /* the macro: reported at its definition */
	CU_ASSERT_PTR_NULL(th_finding(&res, cred, 19));
	CU_ASSERT_PTR_NULL(th_finding(&res, cred, 20));
	iotb_results_release(&res);
	free(c);
	free(dir);
}

/* Backdoor passwords in authentication code: the other side need not be
 * named like a password. */
static void test_auth_code(void)
{
	char *dir = th_tmpdir("secrets-auth");
	char *c = th_write(dir, "auth.c",
			   "#include <string.h>\n"
			   "int telnet_login(const char *in, const char *user) {\n"
			   "\tif (!strcmp(in, \"xc3511\")) return 1;\n"
			   "\tif (!strcmp(user, \"admin01\")) return 2;\n"
			   "\tif (!strcmp(in, \"logout\")) return 3;\n"
			   "\treturn 0;\n"
			   "}\n"
			   "int parse(const char *in) { return !strcmp(in, \"v2.1-beta\"); }\n");
	struct iotb_results res;

	CU_ASSERT_EQUAL(analyse(dir, c, &res, NULL), 0);
	CU_ASSERT_EQUAL(res.nfindings, 1);
	TH_ASSERT_STR(th_message(&res, "secrets.hardcoded-credential", 3),
		   "'strcmp' compares 'in' against a hard-coded password in authentication "
		   "code ('telnet_login')");
	TH_ASSERT_STR(evidence(&res, "secrets.hardcoded-credential", 3), "<6 chars>");
	iotb_results_release(&res);
	free(c);
	free(dir);
}

/* Look-alikes of the issue that peers report: none is a finding. */
static void test_secret_lookalikes(void)
{
	char *dir = th_tmpdir("secrets-lookalikes");
	char *c = th_write(dir, "ok.c",
			   "static const char *password_prompt = \"Password: \";\n"
			   "char password_buf[64] = \"\";\n"
			   "static const char *pw_fmt = \"%s:%s\";\n"
			   "char pw_mask[] = \"********\";\n"
			   "static const char *token = \"550e8400-e29b-41d4-a716-446655440000\";\n"
			   "static const char *secret_digest = \"5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8\";\n"
			   "static const char region[] = \"ASIAANDPACIFICREGION\";\n"
			   "static const char keyboard_map[] = \"qwertzuiopasdfghjklyxcvbnm\";\n"
			   "static const unsigned char keycode[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };\n"
			   "static const unsigned char hotkey[8] = { 9, 8, 7, 6, 5, 4, 3, 2 };\n"
			   "#define NVRAM_PASSWORD \"http_passwd\"\n"
			   "static const char *pem = \"-----BEGIN EC PRIVATE KEY-----\";\n"
			   "void *lookup(void *tbl, const char *key);\n"
			   "int expect_token(void *lx, const char *token);\n"
			   "int gpio_request(unsigned pin, const char *label);\n"
			   "void f(void *t) {\n"
			   "\tlookup(t, \"network_config_item_name2\");\n"
			   "\texpect_token(t, \"return\");\n"
			   "\tgpio_request(4, \"status_led_pin\");\n"
			   "}\n");
	struct iotb_results res;

	CU_ASSERT_EQUAL(analyse(dir, c, &res, NULL), 0);
	CU_ASSERT_EQUAL(res.nfindings, 0);
	for (size_t i = 0; i < res.nfindings; i++)
		printf("\n      unexpected: %u %s\n", res.findings[i].loc.line,
		       res.findings[i].message);
	iotb_results_release(&res);
	free(c);
	free(dir);
}

/* The same line in a test source is not reported; report_in_tests: true
 * (a copy of the rules) reports it. */
static void test_test_paths(void)
{
	char *dir = th_tmpdir("secrets-testpaths"), *sub = iotb_path_join(dir, "tests");
	char *rules = iotb_path_join(dir, "rules"), *yaml, *text, *at;
	struct iotb_catalogue *cat;
	struct iotb_results res;
	char *c, *c2;

	CU_ASSERT_FATAL(run("mkdir -p '%s' '%s' && cp %s/rules/*.yaml '%s'/", sub, rules,
			    IOTB_SOURCE_DIR, rules));
	c = th_write(sub, "auth.c", "const char *password = \"password\";\n");
	c2 = th_write(dir, "login_test.c", "const char *password = \"password\";\n");
	CU_ASSERT_EQUAL(analyse(dir, c, &res, NULL), 0);
	CU_ASSERT_EQUAL(res.nfindings, 0);
	iotb_results_release(&res);
	CU_ASSERT_EQUAL(analyse(dir, c2, &res, NULL), 0);
	CU_ASSERT_EQUAL(res.nfindings, 0);
	iotb_results_release(&res);

	yaml = iotb_path_join(rules, "secrets.yaml");
	text = th_slurp(yaml);
	at = strstr(text, "report_in_tests: false");
	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	memcpy(at + strlen("report_in_tests: "), "true ", 5);
	free(th_write(rules, "secrets.yaml", text));
	cat = iotb_catalogue_load(rules);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	CU_ASSERT_EQUAL(analyse(dir, c, &res, cat), 0);
	CU_ASSERT_EQUAL(res.nfindings, 1);
	TH_ASSERT_STR(th_message(&res, "secrets.hardcoded-credential", 1),
		   "hard-coded credential in 'password'");
	iotb_results_release(&res);
	iotb_catalogue_free(cat);
	free(text);
	free(yaml);
	free(c);
	free(c2);
	free(rules);
	free(sub);
	free(dir);
}

/* --- private keys generated now ------------------------------------------------ */

/* The PEM file at path as one C string literal ("…\n…"), owned. */
static char *pem_literal(const char *path, size_t keep_body_lines, bool keep_end)
{
	char *pem = th_slurp(path), *line, *save = NULL;
	struct iotb_strbuf sb;
	size_t body = 0;

	iotb_strbuf_init(&sb);
	iotb_strbuf_adds(&sb, "\"");
	for (line = strtok_r(pem, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		bool armour = !strncmp(line, "-----", 5);

		if (!armour && body++ >= keep_body_lines)
			continue;
		if (armour && !keep_end && strstr(line, "-----END"))
			continue;
		iotb_strbuf_addf(&sb, "%s\\n", line);
	}
	iotb_strbuf_adds(&sb, "\"");
	free(pem);
	return iotb_strbuf_detach(&sb);
}

static void test_private_keys(void)
{
	char *dir = th_tmpdir("secrets-keys");
	struct iotb_strbuf src;
	struct iotb_results res;
	const char *pk = "secrets.private-key";
	static const struct {
		const char *file;
		size_t lines;      /* body lines kept (big = all) */
	} keys[] = {
		{ "rsa1.pem", 1000 },      /* line 1: PKCS#1 */
		{ "ec.pem", 1000 },        /* line 2: SEC1 */
		{ "p8.pem", 1000 },        /* line 3: PKCS#8 */
		{ "enc.pem", 1000 },       /* line 4: encrypted PKCS#8 */
		{ "ssh", 1000 },           /* line 5: OpenSSH */
		{ "cert.pem", 1000 },      /* line 6: certificate: nothing */
		{ "rsa1.pem", 3 },         /* line 7: truncated body: nothing */
	};
	char *c;

	if (!run("cd '%s' && openssl genrsa -traditional -out rsa1.pem 2048 2>/dev/null && "
		 "openssl ecparam -name prime256v1 -genkey -noout -out ec.pem && "
		 "openssl pkey -in rsa1.pem -out p8.pem && "
		 "openssl pkcs8 -topk8 -in p8.pem -passout pass:iotb-test -v2 aes-256-cbc "
		 "-out enc.pem && "
		 "ssh-keygen -q -t ed25519 -N '' -C iotb -f ssh && "
		 "openssl req -x509 -new -key ec.pem -subj /CN=iotb -days 1 -out cert.pem",
		 dir)) {
		CU_FAIL("openssl or ssh-keygen could not make the test keys");
		free(dir);
		return;
	}
	iotb_strbuf_init(&src);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		char *path = iotb_path_join(dir, keys[i].file);
		char *lit = pem_literal(path, keys[i].lines, true);

		iotb_strbuf_addf(&src, "const char *blob%zu = %s;\n", i, lit);
		free(lit);
		free(path);
	}
	iotb_strbuf_adds(&src, "const char *blob7 = \"-----BEGIN PRIVATE KEY-----\\nAAAA!!garbage"
			       "\\n-----END PRIVATE KEY-----\\n\";\n");   /* line 8 */
	c = th_write(dir, "keys.c", src.buf);
	CU_ASSERT_EQUAL(analyse(dir, c, &res, NULL), 0);
	CU_ASSERT_EQUAL(th_count_prefix(&res, "secrets."), 5);
	TH_ASSERT_STR(th_message(&res, pk, 1),
		   "PKCS#1 private key (RSA 2048-bit) embedded in a string literal");
	TH_ASSERT_STR(th_message(&res, pk, 2),
		   "SEC1 private key (EC 256-bit) embedded in a string literal");
	TH_ASSERT_STR(th_message(&res, pk, 3),
		   "PKCS#8 private key (RSA 2048-bit) embedded in a string literal");
	TH_ASSERT_STR(th_message(&res, pk, 4),
		   "encrypted PKCS#8 private key (PBES2) embedded in a string literal");
	TH_ASSERT_STR(th_message(&res, pk, 5),
		   "OpenSSH private key (ssh-ed25519) embedded in a string literal");
	CU_ASSERT_PTR_NULL(th_finding(&res, pk, 6));
	CU_ASSERT_PTR_NULL(th_finding(&res, pk, 7));
	CU_ASSERT_PTR_NULL(th_finding(&res, pk, 8));
	for (size_t i = 0; i < res.nfindings; i++)
		CU_ASSERT(th_contains(res.findings[i].evidence, "chars)"));
	iotb_results_release(&res);
	iotb_strbuf_release(&src);
	free(c);
	free(dir);
}

/* --- no secret in any output format --------------------------------------------- */

static void test_no_secret_in_outputs(void)
{
	static const char *const formats[] = {
		"text", "json", "sarif", "junit", "codequality", "markdown", "html", "table", NULL,
	};
	static const char password[] = "Zq8#pLm4vX2!kR7t";
	char *dir = th_tmpdir("secrets-outputs"), *self = realpath("/proc/self/exe", NULL);
	char *iotb, *key_body, *c, *lit, *pem;
	struct iotb_strbuf cmd;
	const char *p;

	CU_ASSERT_PTR_NOT_NULL_FATAL(self);
	*strrchr(self, '/') = '\0';
	iotb = iotb_xasprintf("%s/../iotb", self);
	CU_ASSERT_FATAL(access(iotb, X_OK) == 0);
	CU_ASSERT_FATAL(run("cd '%s' && openssl ecparam -name prime256v1 -genkey -noout "
			    "-out ec.pem", dir));
	{
		char *path = iotb_path_join(dir, "ec.pem");

		lit = pem_literal(path, 1000, true);
		pem = th_slurp(path);
		free(path);
	}
	/* a 24-character piece of the key's base64 body */
	p = strchr(pem, '\n');
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	key_body = iotb_xstrndup(p + 10, 24);
	{
		char *src = iotb_xasprintf("static const char *admin_password = \"%s\";\n"
					   "static const char *device_key = %s;\n", password, lit);

		c = th_write(dir, "fw.c", src);
		free(src);
	}
	iotb_strbuf_init(&cmd);
	iotb_strbuf_addf(&cmd, "cd '%s' && '%s' scan fw.c --fail-on never", dir, iotb);
	for (size_t i = 0; formats[i]; i++)
		iotb_strbuf_addf(&cmd, " -f %s:out.%s", formats[i], formats[i]);
	iotb_strbuf_adds(&cmd, " > out.stdout 2> out.stderr");
	CU_ASSERT_FATAL(run("%s", cmd.buf));
	for (size_t i = 0; formats[i]; i++) {
		char *name = iotb_xasprintf("%s/out.%s", dir, formats[i]);
		char *out = th_slurp(name);

		CU_ASSERT_PTR_NOT_NULL(out);
		if (out) {
			/* the findings are there */
			CU_ASSERT(th_contains(out, "hardcoded-credential") ||
				  th_contains(out, "Hard-coded password"));
			CU_ASSERT(!th_contains(out, password));
			CU_ASSERT(!th_contains(out, "Zq8#pLm4"));
			CU_ASSERT(!th_contains(out, key_body));
		}
		free(out);
		free(name);
	}
	{
		char *o = iotb_path_join(dir, "out.stdout"), *e = iotb_path_join(dir, "out.stderr");
		char *so = th_slurp(o), *se = th_slurp(e);

		CU_ASSERT(!so || !th_contains(so, password));
		CU_ASSERT(!se || !th_contains(se, password));
		free(so);
		free(se);
		free(o);
		free(e);
	}
	iotb_strbuf_release(&cmd);
	free(c);
	free(lit);
	free(pem);
	free(key_body);
	free(iotb);
	free(self);
	free(dir);
}

/* --- parameters the checkers refuse ---------------------------------------------- */

/* Copy the rules to a temporary directory with `from` replaced by `to` in
 * file; the analysis must fail with "checker 'NAME': FILE:LINE:COL: …"
 * where LINE is the line of `from`. */
static void check_refused(const char *tag, const char *file, const char *from, const char *to,
                          unsigned below, const char *want_fmt)
{
	char *dir = th_tmpdir(tag), *yaml = iotb_path_join(dir, file), *text, *at, *want, *c;
	struct iotb_catalogue *cat;
	struct iotb_results res;
	struct iotb_strbuf sb;
	unsigned line = 1;

	CU_ASSERT_FATAL(run("cp %s/rules/*.yaml '%s'/", IOTB_SOURCE_DIR, dir));
	text = th_slurp(yaml);
	at = strstr(text, from);
	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	for (const char *p = text; p < at; p++)
		line += *p == '\n';
	iotb_strbuf_init(&sb);
	iotb_strbuf_add(&sb, text, (size_t)(at - text));
	iotb_strbuf_adds(&sb, to);
	iotb_strbuf_adds(&sb, at + strlen(from));
	free(th_write(dir, file, sb.buf));
	cat = iotb_catalogue_load(dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	c = th_write(dir, "x.c", "int x;\n");
	want = iotb_xasprintf(want_fmt, yaml, line + below);
	CU_ASSERT_EQUAL(analyse(dir, c, &res, cat), -1);
	TH_ASSERT_STR(iotb_last_error(), want);
	iotb_results_release(&res);
	iotb_catalogue_free(cat);
	iotb_strbuf_release(&sb);
	free(want);
	free(c);
	free(text);
	free(yaml);
	free(dir);
}

static void test_bad_parameters(void)
{
	check_refused("secrets-bad-tls", "tls.yaml",
		      "        - name: SSL_CTX_set_verify\n          args: {ctx: 0, mode: 1}\n",
		      "        - name: SSL_CTX_set_verify\n          args: {ctx: 0}\n", 0,
		      "checker 'tls_verify': %s:%u:11: 'SSL_CTX_set_verify' needs the argument "
		      "role 'mode'");
	check_refused("secrets-bad-cmd", "command.yaml",
		      "        - name: popen\n          args: {cmd: 0}\n",
		      "        - name: popen\n          args: {command: 0}\n", 0,
		      "checker 'command_injection': %s:%u:11: 'popen' needs the argument role "
		      "'cmd'");
	check_refused("secrets-bad-pattern", "secrets.yaml",
		      "      value_patterns:\n        - regex:",
		      "      value_patterns:\n        - AT+CWJAP\n        - regex:", 1,
		      "checker 'hardcoded_secret': %s:%u:11: value pattern 'AT+CWJAP' must be a "
		      "regex");
	check_refused("secrets-bad-compare", "secrets.yaml",
		      "        - name: strcmp\n          args: {a: 0, b: 1}\n",
		      "        - name: strcmp\n          args: {a: 0}\n", 0,
		      "checker 'hardcoded_secret': %s:%u:11: 'strcmp' needs the argument role 'b'");
}

static const struct th_test tests[] = {
	{ "tls_messages", test_tls_messages },
	{ "command_messages", test_command_messages },
	{ "secret_messages", test_secret_messages },
	{ "secret_lookalikes", test_secret_lookalikes },
	{ "auth_code", test_auth_code },
	{ "test_paths", test_test_paths },
	{ "private_keys", test_private_keys },
	{ "no_secret_in_outputs", test_no_secret_in_outputs },
	{ "bad_parameters", test_bad_parameters },
	{ NULL, NULL },
};

void register_suite_checkers_secrets(void);
void register_suite_checkers_secrets(void)
{
	th_add_suite("checkers_secrets", tests);
}
