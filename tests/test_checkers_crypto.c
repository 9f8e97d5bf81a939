/*
 * test_checkers_crypto.c — the checkers of weak cryptography
 * (analyzers/weak_crypto.c), predictable randomness
 * (analyzers/weak_random.c) and the scanf/bounded-copy rules of
 * analyzers/unsafe_string.c: messages, the look-alikes they must leave
 * alone, and the errors for parameters they refuse (file:line:col).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyzers.h"
#include "engine.h"
#include "iotb_util.h"
#include "test_helpers.h"

static char *cache_dir;

static void set_options(void)
{
	struct iotb_analyzers_options o = { 0 };

	if (!cache_dir)
		cache_dir = th_tmpdir("checkers-crypto-cache");
	o.query = IOTB_QUERY_NEVER;
	o.jobs = 1;
	o.cache_dir = cache_dir;
	iotb_analyzers_set_options(&o);
}

/* Run the analyzers engine on C file path with catalogue cat (NULL: the
 * shipped rules). */
static int analyse(const char *path, struct iotb_results *res, const struct iotb_catalogue *cat)
{
	struct iotb_input in = { 0 };
	struct iotb_engine_ctx ctx = { cat ? cat : th_catalogue(), NULL, res, NULL };
	int rc;

	set_options();
	iotb_results_init(res);
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

/* --- strings.scanf-unbounded and strings.bounded-overflow ------------------------ */

static const char strings_c[] =
	"#include <stdio.h>\n"                                              /* 1 */
	"#include <string.h>\n"                                             /* 2 */
	"struct w { char ssid[32]; unsigned char mac[6]; };\n"              /* 3 */
	"void f(struct w *c, const char *in, FILE *fp) {\n"                 /* 4 */
	"\tchar b[16], name[8];\n"                                          /* 5 */
	"\tscanf(\"%s\", b);\n"                                             /* 6 */
	"\tscanf(\"%15s\", b);\n"                                           /* 7 */
	"\tfscanf(fp, \"%d %[^\\n]\", (int *)c, b);\n"                      /* 8 */
	"\tsscanf(in, \"%*s %7s %ms\", name, &in);\n"                        /* 9 */
	"\tstrncpy(c->ssid, \"hello\", sizeof c->ssid);\n"                  /* 10 */
	"\tstrncpy(name, in, 16);\n"                                        /* 11 */
	"\tstrncat(b, in, sizeof b);\n"                                     /* 12 */
	"\tstrncat(b, in, sizeof b - strlen(b) - 1);\n"                     /* 13 */
	"\tmemcpy(c->mac, in, 8);\n"                                        /* 14 */
	"\tmemcpy(c->mac, in, sizeof c->mac);\n"                            /* 15 */
	"\tmemcpy(b, in, strlen(in));\n"                                    /* 16 */
	"\tsscanf(in, \"%2$s %1$d\", (int *)c, b);\n"                       /* 17 */
	"\tsscanf(in, \"%[a-z]\", b);\n"                                    /* 18 */
	"}\n";

static void test_strings(void)
{
	char *dir = th_tmpdir("checkers-strings");
	char *c = th_write(dir, "a.c", strings_c);
	struct iotb_results res;

	CU_ASSERT_EQUAL(analyse(c, &res, NULL), 0);
	CU_ASSERT_EQUAL(th_count_prefix(&res, "strings."), 7);
	TH_ASSERT_STR(th_message(&res, "strings.scanf-unbounded", 6),
		   "'scanf' reads '%s' without a field width: the input decides how many "
		   "bytes are stored");
	CU_ASSERT_PTR_NULL(th_message(&res, "strings.scanf-unbounded", 7));
	TH_ASSERT_STR(th_message(&res, "strings.scanf-unbounded", 8),
		   "'fscanf' reads '%[' without a field width: the input decides how many "
		   "bytes are stored");
	CU_ASSERT_PTR_NULL(th_message(&res, "strings.scanf-unbounded", 9));
	CU_ASSERT_PTR_NULL(th_message(&res, "strings.bounded-overflow", 10));
	TH_ASSERT_STR(th_message(&res, "strings.bounded-overflow", 11),
		   "'strncpy' writes 16 bytes into 'name' (8 bytes)");
	TH_ASSERT_STR(th_message(&res, "strings.bounded-overflow", 12),
		   "'strncat' may append 16 characters and a terminator to 'b' (16 bytes): the "
		   "count must leave room for what is already there and the terminator");
	CU_ASSERT_PTR_NULL(th_message(&res, "strings.bounded-overflow", 13));
	TH_ASSERT_STR(th_message(&res, "strings.bounded-overflow", 14),
		   "'memcpy' writes 8 bytes into 'c->mac' (6 bytes)");
	CU_ASSERT_PTR_NULL(th_message(&res, "strings.bounded-overflow", 15));
	CU_ASSERT_PTR_NULL(th_message(&res, "strings.bounded-overflow", 16));
	TH_ASSERT_STR(th_message(&res, "strings.scanf-unbounded", 17),
		   "'sscanf' reads '%s' without a field width: the input decides how many "
		   "bytes are stored");
	CU_ASSERT_PTR_NOT_NULL(th_message(&res, "strings.scanf-unbounded", 18));
	iotb_results_release(&res);
	free(c);
	free(dir);
}

/* wchar_t strings count in characters. */
static void test_wide_count(void)
{
	char *dir = th_tmpdir("checkers-wide");
	char *c = th_write(dir, "a.c",
			   "#include <wchar.h>\n"
			   "void f(const wchar_t *in) { wchar_t w[8];\n"
			   "\twcsncpy(w, in, 8);\n"
			   "\twcsncpy(w, in, 9);\n"
			   "}\n");
	struct iotb_results res;

	CU_ASSERT_EQUAL(analyse(c, &res, NULL), 0);
	CU_ASSERT_EQUAL(th_count_prefix(&res, "strings.bounded-overflow"), 1);
	TH_ASSERT_STR(th_message(&res, "strings.bounded-overflow", 4),
		   "'wcsncpy' writes 9 characters into 'w' (8 elements)");
	iotb_results_release(&res);
	free(c);
	free(dir);
}

/* A one-element last struct field is the old flexible array member: not
 * judged; a one-element field elsewhere or a local array is. */
static void test_flexible_member(void)
{
	char *dir = th_tmpdir("checkers-flex");
	char *c = th_write(dir, "a.c",
			   "#include <string.h>\n"
			   "struct tlv { unsigned short code, len; unsigned char data[1]; };\n"
			   "void f(struct tlv *t, const unsigned char *a) { unsigned char one[1];\n"
			   "\tmemcpy(t->data, a, 16);\n"
			   "\tmemcpy(one, a, 2);\n"
			   "}\n"
			   "struct g { short up[1]; short dn[2]; };\n"
			   "void h(struct g *g, const short *s) { memcpy(g->up, s, 6); }\n");
	struct iotb_results res;

	CU_ASSERT_EQUAL(analyse(c, &res, NULL), 0);
	CU_ASSERT_EQUAL(th_count_prefix(&res, "strings.bounded-overflow"), 2);
	TH_ASSERT_STR(th_message(&res, "strings.bounded-overflow", 5),
		   "'memcpy' writes 2 bytes into 'one' (1 bytes)");
	TH_ASSERT_STR(th_message(&res, "strings.bounded-overflow", 8),
		   "'memcpy' writes 6 bytes into 'g->up' (2 bytes)");
	iotb_results_release(&res);
	free(c);
	free(dir);
}

/* --- weak cryptography ------------------------------------------------------------- */

static const char crypto_c[] =
	"#include <string.h>\n"                                                   /* 1 */
	"typedef struct evp_cipher_st EVP_CIPHER; typedef struct rsa_st RSA;\n"   /* 2 */
	"const EVP_CIPHER *EVP_des_ede3_cbc(void);\n"                             /* 3 */
	"const EVP_CIPHER *EVP_aes_256_gcm(void);\n"                              /* 4 */
	"const EVP_CIPHER *EVP_get_cipherbyname(const char *);\n"                 /* 5 */
	"int RSA_generate_key_ex(RSA *r, int bits, void *e, void *cb);\n"        /* 6 */
	"unsigned char *MD5(const unsigned char *d, size_t n, unsigned char *md);\n" /* 7 */
	"typedef enum { MBEDTLS_CIPHER_AES_128_ECB = 2, MBEDTLS_CIPHER_AES_128_GCM } ct;\n" /* 8 */
	"struct prof { const char *n; ct t; };\n"                                 /* 9 */
	"static struct prof p[] = { {\"a\", MBEDTLS_CIPHER_AES_128_GCM},\n"       /* 10 */
	"\t{\"b\", MBEDTLS_CIPHER_AES_128_ECB} };\n"                              /* 11 */
	"int f(RSA *r, const char *admin_password, const char *url, const unsigned char *h) {\n" /* 12 */
	"\tunsigned char d[16], e[16];\n"                                         /* 13 */
	"\tconst EVP_CIPHER *(*get)(void) = EVP_des_ede3_cbc;\n"                  /* 14 */
	"\tget();\n"                                                              /* 15 */
	"\tEVP_aes_256_gcm();\n"                                                  /* 16 */
	"\tEVP_get_cipherbyname(\"rc\" \"4\");\n"                                 /* 17 */
	"\tRSA_generate_key_ex(r, 1024, 0, 0);\n"                                 /* 18 */
	"\tRSA_generate_key_ex(r, 2048, 0, 0);\n"                                 /* 19 */
	"\tMD5((const unsigned char *)admin_password, 8, d);\n"                   /* 20 */
	"\tMD5((const unsigned char *)url, strlen(url), e);\n"                    /* 21 */
	"\tif (memcmp(d, h, 16)) return 1;\n"                                     /* 22 */
	"\treturn e[0] + p[0].t;\n"                                               /* 23 */
	"}\n";

static void test_weak_crypto(void)
{
	char *dir = th_tmpdir("checkers-crypto");
	char *c = th_write(dir, "a.c", crypto_c);
	struct iotb_results res;

	CU_ASSERT_EQUAL(analyse(c, &res, NULL), 0);
	CU_ASSERT_EQUAL(th_count_prefix(&res, "crypto."), 6);
	TH_ASSERT_STR(th_message(&res, "crypto.weak-cipher", 11),
		   "'MBEDTLS_CIPHER_AES_128_ECB' selects ECB mode");
	CU_ASSERT_PTR_NULL(th_message(&res, "crypto.weak-cipher", 10));
	TH_ASSERT_STR(th_message(&res, "crypto.weak-cipher", 15),
		   "'EVP_des_ede3_cbc' uses DES/3DES (called through a function pointer)");
	CU_ASSERT_PTR_NULL(th_message(&res, "crypto.weak-cipher", 16));
	TH_ASSERT_STR(th_message(&res, "crypto.weak-cipher", 17),
		   "'EVP_get_cipherbyname' looks up \"rc4\": RC4");
	TH_ASSERT_STR(th_message(&res, "crypto.short-rsa-key", 18),
		   "'RSA_generate_key_ex' generates a 1024-bit RSA key (at least 2048 bits needed)");
	CU_ASSERT_PTR_NULL(th_message(&res, "crypto.short-rsa-key", 19));
	TH_ASSERT_STR(th_message(&res, "crypto.weak-hash", 20),
		   "'MD5' hashes the password 'admin_password' with MD5");
	CU_ASSERT_PTR_NULL(th_message(&res, "crypto.weak-hash", 21));
	TH_ASSERT_STR(th_message(&res, "crypto.weak-hash", 22),
		   "'memcmp' compares a digest made by 'MD5' (MD5)");
	iotb_results_release(&res);
	free(c);
	free(dir);
}

/* Plain MD5 for a cache key or a checksum: nothing. */
static void test_md5_cache_key(void)
{
	char *dir = th_tmpdir("checkers-md5");
	char *c = th_write(dir, "a.c",
			   "#include <stdio.h>\n#include <string.h>\n"
			   "unsigned char *MD5(const unsigned char *d, size_t n, unsigned char *md);\n"
			   "void f(const char *url, char *path, size_t cap) {\n"
			   "\tunsigned char key[16];\n"
			   "\tMD5((const unsigned char *)url, strlen(url), key);\n"
			   "\tsnprintf(path, cap, \"%02x%02x\", key[0], key[1]);\n"
			   "}\n");
	struct iotb_results res;

	CU_ASSERT_EQUAL(analyse(c, &res, NULL), 0);
	CU_ASSERT_EQUAL(res.nfindings, 0);
	iotb_results_release(&res);
	free(c);
	free(dir);
}

/* --- predictable randomness -------------------------------------------------------- */

static const char random_c[] =
	"#include <stdlib.h>\n#include <stdio.h>\n#include <time.h>\n"    /* 1-3 */
	"int AES_set_encrypt_key(const unsigned char *k, int bits, void *key);\n" /* 4 */
	"struct s { unsigned session_id; int ttl; };\n"                   /* 5 */
	"unsigned make_nonce(void) { return (unsigned)random(); }\n"      /* 6 */
	"void f(struct s *s, void *aes) {\n"                               /* 7 */
	"\tunsigned char k[16]; char sid[9]; int (*rng)(void) = rand;\n"  /* 8 */
	"\tsrand((unsigned)time(NULL));\n"                                 /* 9 */
	"\ts->session_id = (unsigned)rng();\n"                             /* 10 */
	"\ts->ttl = 600 + rand() % 60;\n"                                  /* 11 */
	"\tint jitter = rand() % 50;\n"                                    /* 12 */
	"\tint backoff_ms = 100 + jitter;\n"                               /* 13 */
	"\tlong r = lrand48();\n"                                          /* 14 */
	"\tsnprintf(sid, sizeof sid, \"%08lx\", r);\n"                     /* 15 */
	"\tfor (int i = 0; i < 16; i++) k[i] = (unsigned char)rand();\n"  /* 16 */
	"\tAES_set_encrypt_key(k, 128, aes);\n"                            /* 17 */
	"\t(void)backoff_ms;\n"                                            /* 18 */
	"}\n";

static void test_weak_random(void)
{
	char *dir = th_tmpdir("checkers-random");
	char *c = th_write(dir, "a.c", random_c);
	struct iotb_results res;

	CU_ASSERT_EQUAL(analyse(c, &res, NULL), 0);
	CU_ASSERT_EQUAL(th_count_prefix(&res, "random."), 4);
	TH_ASSERT_STR(th_message(&res, "random.predictable", 6),
		   "predictable 'random' value flows into the return value of 'make_nonce'");
	TH_ASSERT_STR(th_message(&res, "random.predictable", 10),
		   "predictable 'rand' value flows into 'session_id'");
	CU_ASSERT_PTR_NULL(th_message(&res, "random.predictable", 11));
	CU_ASSERT_PTR_NULL(th_message(&res, "random.predictable", 12));
	CU_ASSERT_PTR_NULL(th_message(&res, "random.predictable", 13));
	TH_ASSERT_STR(th_message(&res, "random.predictable", 15),
		   "predictable 'lrand48' value flows into 'sid'");
	CU_ASSERT_PTR_NULL(th_message(&res, "random.predictable", 16));   /* k: no secret name */
	TH_ASSERT_STR(th_message(&res, "random.predictable", 17),
		   "predictable 'rand' value flows into the key argument 'k' of "
		   "'AES_set_encrypt_key'");
	iotb_results_release(&res);
	free(c);
	free(dir);
}

/* --- parameters they refuse ---------------------------------------------------------- */

/*
 * Copy the shipped rules, replace old (which must occur once, at the
 * start of a line of the list entry) with new in file, and analyse a
 * trivial source: the error must be "checker 'NAME': FILE:LINE:11: …"
 * with LINE the entry's line.
 */
static void check_refused(const char *file, const char *old, const char *new,
                          const char *checker, const char *why)
{
	char *dir = th_tmpdir("checkers-badrules"), *cmd, *yaml, *text, *c, *want;
	struct iotb_strbuf sb;
	struct iotb_catalogue *cat;
	struct iotb_results res;
	const char *at;
	unsigned line = 1;

	cmd = iotb_xasprintf("rm -f '%s'/*.yaml && cp %s/rules/*.yaml '%s'/", dir,
			     IOTB_SOURCE_DIR, dir);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	yaml = iotb_path_join(dir, file);
	text = th_slurp(yaml);
	at = strstr(text, old);
	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	for (const char *p = text; p < at; p++)
		line += *p == '\n';
	iotb_strbuf_init(&sb);
	iotb_strbuf_add(&sb, text, (size_t)(at - text));
	iotb_strbuf_adds(&sb, new);
	iotb_strbuf_adds(&sb, at + strlen(old));
	free(th_write(dir, file, sb.buf));
	cat = iotb_catalogue_load(dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cat);
	c = th_write(dir, "x.c", "int x;\n");
	want = iotb_xasprintf("checker '%s': %s:%u:11: %s", checker, yaml, line, why);
	CU_ASSERT_EQUAL(analyse(c, &res, cat), -1);
	TH_ASSERT_STR(iotb_last_error(), want);
	iotb_results_release(&res);
	iotb_catalogue_free(cat);
	iotb_strbuf_release(&sb);
	free(want);
	free(c);
	free(text);
	free(yaml);
	free(cmd);
	free(dir);
}

static void test_refused_parameters(void)
{
	check_refused("strings.yaml", "        - name: vscanf\n          args: {fmt: 0}\n",
		      "        - name: vscanf\n          args: {in: 0}\n", "unsafe_string",
		      "'vscanf' needs the argument role 'fmt'");
	check_refused("strings.yaml", "        - name: stpncpy\n          args: {dst: 0, src: 1, size: 2}\n",
		      "        - name: stpncpy\n          args: {dst: 0, src: 1, n: 2}\n",
		      "unsafe_string", "'stpncpy' needs the argument role 'size'");
	check_refused("crypto.yaml", "        - name: RSA_generate_key_ex\n          args: {key: 0, bits: 1}\n",
		      "        - name: RSA_generate_key_ex\n          args: {key: 0, size: 1}\n",
		      "weak_crypto", "'RSA_generate_key_ex' needs the argument role 'bits'");
	check_refused("crypto.yaml", "        - name: EVP_get_cipherbyname\n          args: {name: 0}\n",
		      "        - name: EVP_get_cipherbyname\n          args: {cipher: 0}\n",
		      "weak_crypto", "'EVP_get_cipherbyname' needs the argument role 'name'");
	check_refused("crypto.yaml", "        - name: MD5\n          args: {in: 0, len: 1, out: 2}\n",
		      "        - name: MD5\n          args: {len: 1}\n",
		      "weak_crypto", "'MD5' needs the argument role 'in'");
	check_refused("random.yaml", "        - name: HMAC\n          args: {key: 1}\n",
		      "        - name: HMAC\n          args: {secret: 1}\n",
		      "weak_random", "'HMAC' needs the argument role 'key' or 'iv'");
	check_refused("random.yaml", "        - name: sprintf\n          args: {dst: 0}\n",
		      "        - name: sprintf\n          args: {out: 0}\n",
		      "weak_random", "'sprintf' needs the argument role 'dst'");
}

static const struct th_test tests[] = {
	{ "strings: scanf widths and bounded counts", test_strings },
	{ "strings: wide character counts", test_wide_count },
	{ "strings: one-element struct fields are flexible", test_flexible_member },
	{ "crypto: ciphers, RSA sizes, hashes with evidence", test_weak_crypto },
	{ "crypto: MD5 as a cache key is not reported", test_md5_cache_key },
	{ "random: flows into secrets, not into delays", test_weak_random },
	{ "parameters refused with file:line:col", test_refused_parameters },
	{ NULL, NULL },
};

void register_suite_checkers_crypto(void);
void register_suite_checkers_crypto(void)
{
	th_add_suite("checkers_crypto", tests);
}
