/*
 * test_elf_secrets.c — embedded secrets in ELF files: private keys (PKCS#1,
 * SEC1, DSA, PKCS#8, encrypted PKCS#8, OpenSSH, raw DER) generated at test
 * time with openssl and ssh-keygen (never committed), certificates, public
 * keys and broken blocks that must not be reported, hard-coded credentials
 * and their look-alikes, and key material in named objects next to CRC/AES
 * tables, hashes, UUIDs and base64 images that must not be reported.  Every
 * finding's evidence is masked (no output holds a whole secret).
 */
#include <elf.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_helpers.h"
#include "elfcheck.h"
#include "iotb_util.h"
#include "test_helpers.h"

static char *dir;

struct keyfile {
	const char *name;
	const char *cmd;                /* writes the key to stdout */
};

static const struct keyfile keyfiles[] = {
	{ "rsa1.pem", "openssl genrsa -traditional 1024" },
	{ "ec.pem", "openssl ecparam -name prime256v1 -genkey -noout" },
	{ "p8rsa.pem", "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024" },
	{ "ed.pem", "openssl genpkey -algorithm ED25519" },
	{ "enc.pem", "openssl genpkey -algorithm ED25519 | openssl pkcs8 -topk8 -v2 aes-256-cbc "
	  "-passout pass:iotb-test" },
	{ "dsa.pem", "openssl dsaparam -noout -genkey 1024 | openssl pkey -traditional" },
	{ "cert.pem", "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
	  "-keyout /dev/null -subj /CN=iotb-test -days 1" },
	{ "ecpub.pem", "openssl ecparam -name prime256v1 -genkey -noout | openssl pkey -pubout" },
	{ "rsa1.der", "openssl genrsa -traditional 1024 | openssl pkey -traditional -outform DER" },
	{ "ec.der", "openssl ecparam -name prime256v1 -genkey -noout -outform DER" },
	{ "p8.der", "openssl genpkey -algorithm ED25519 -outform DER" },
	{ "ssh", "ssh-keygen -q -t ed25519 -N '' -C iotb -f sshkey && cat sshkey" },
	{ "ssh-enc", "ssh-keygen -q -t ed25519 -N iotb-pass -C iotb -f sshenc && cat sshenc" },
	{ "ssh-rsa", "ssh-keygen -q -t rsa -b 1024 -N '' -C iotb -f sshrsa && cat sshrsa" },
};

static void make_keys(void)
{
	if (dir)
		return;
	dir = th_tmpdir("elf-secrets");
	for (size_t i = 0; i < sizeof(keyfiles) / sizeof(keyfiles[0]); i++) {
		char *cmd = iotb_xasprintf("cd '%s' && (%s) > '%s' 2>/dev/null", dir,
					   keyfiles[i].cmd, keyfiles[i].name);

		CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
		free(cmd);
	}
}

static unsigned char *key_bytes(const char *name, size_t *len)
{
	char *path = iotb_path_join(dir, name);
	unsigned char *d = elf_slurp(path, len);

	free(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	return d;
}

/* --- iotb_find_keys on buffers --- */

struct hits {
	struct iotb_key_hit h[8];
	size_t n;
};

static void on_hit(const struct iotb_key_hit *h, void *arg)
{
	struct hits *hs = arg;

	if (hs->n < 8)
		hs->h[hs->n] = *h;
	hs->n++;
}

/* Find keys in "junk\0" + data + "\0junk" and return the hits. */
static void find_in(const unsigned char *data, size_t len, struct hits *hs)
{
	unsigned char *buf = iotb_xmalloc(len + 16);

	memcpy(buf, "junk\0\x01\x02", 8);
	memcpy(buf + 8, data, len);
	memcpy(buf + 8 + len, "\0more\0\0", 8);
	memset(hs, 0, sizeof(*hs));
	iotb_find_keys(buf, len + 16, on_hit, hs);
	free(buf);
}

static void expect_form(const char *file, enum iotb_key_form form, bool pem, bool enc,
                        const char *alg)
{
	size_t len;
	unsigned char *d = key_bytes(file, &len);
	struct hits hs;

	find_in(d, len, &hs);
	if (hs.n != 1 || hs.h[0].form != form || strncmp(hs.h[0].alg, alg, strlen(alg)) != 0)
		printf("\n  %s: %zu hits, form %d, alg '%s'\n", file, hs.n, (int)hs.h[0].form,
		       hs.h[0].alg);
	CU_ASSERT_EQUAL(hs.n, 1);
	CU_ASSERT_EQUAL(hs.h[0].form, form);
	CU_ASSERT_EQUAL(hs.h[0].pem, pem);
	CU_ASSERT_EQUAL(hs.h[0].encrypted, enc);
	CU_ASSERT_EQUAL(hs.h[0].offset, 8);
	CU_ASSERT(pem ? hs.h[0].length == len - (d[len - 1] == '\n') : hs.h[0].length == len);
	CU_ASSERT_EQUAL(strncmp(hs.h[0].alg, alg, strlen(alg)), 0);
	free(d);
}

static void test_key_forms(void)
{
	make_keys();
	expect_form("rsa1.pem", IOTB_KEY_PKCS1, true, false, "RSA 1024-bit");
	expect_form("ec.pem", IOTB_KEY_SEC1, true, false, "EC 256-bit");
	expect_form("p8rsa.pem", IOTB_KEY_PKCS8, true, false, "RSA 1024-bit");
	expect_form("ed.pem", IOTB_KEY_PKCS8, true, false, "ED25519");
	expect_form("enc.pem", IOTB_KEY_PKCS8_ENCRYPTED, true, true, "PBES2");
	expect_form("dsa.pem", IOTB_KEY_DSA, true, false, "DSA 1024-bit");
	expect_form("cert.pem", IOTB_KEY_CERTIFICATE, true, false, "X.509");
	expect_form("rsa1.der", IOTB_KEY_PKCS1, false, false, "RSA 1024-bit");
	expect_form("ec.der", IOTB_KEY_SEC1, false, false, "EC 256-bit");
	expect_form("p8.der", IOTB_KEY_PKCS8, false, false, "ED25519");
	expect_form("ssh", IOTB_KEY_OPENSSH, true, false, "ssh-ed25519");
	expect_form("ssh-enc", IOTB_KEY_OPENSSH, true, true, "ssh-ed25519");
	expect_form("ssh-rsa", IOTB_KEY_OPENSSH, true, false, "ssh-rsa");
	CU_ASSERT_STRING_EQUAL(iotb_key_form_name(IOTB_KEY_SEC1), "SEC1");
	CU_ASSERT_STRING_EQUAL(iotb_key_form_name(IOTB_KEY_PKCS8_ENCRYPTED), "encrypted PKCS#8");
}

static size_t count_in(const char *text)
{
	struct hits hs;

	find_in((const unsigned char *)text, strlen(text), &hs);
	return hs.n;
}

/* The PEM of file with its body replaced by base64 of len random-looking
 * bytes (a valid header around garbage). */
static char *with_garbage_body(const char *label, size_t len)
{
	unsigned char *raw = iotb_xmalloc(len);
	char *b64 = iotb_xmalloc(4 * len / 3 + 8), *pem;

	for (size_t i = 0; i < len; i++)
		raw[i] = (unsigned char)(i * 131 + 7 * (i >> 3) + 0x5a);
	EVP_EncodeBlock((unsigned char *)b64, raw, (int)len);
	pem = iotb_xasprintf("-----BEGIN %s-----\n%s\n-----END %s-----\n", label, b64, label);
	free(raw);
	free(b64);
	return pem;
}

/* The first half of a PEM body, then the END line. */
static char *truncated(const char *file)
{
	size_t len;
	char *d = (char *)key_bytes(file, &len), *end = strstr(d, "-----END"), *body;
	char *out;

	CU_ASSERT_PTR_NOT_NULL_FATAL(end);
	body = strchr(d, '\n') + 1;
	out = iotb_xasprintf("%.*s%s", (int)(body - d + (end - body) / 2 / 65 * 65), d, end);
	free(d);
	return out;
}

static void test_key_rejects(void)
{
	static const char *const labels[] = { "RSA PRIVATE KEY", "EC PRIVATE KEY", "PRIVATE KEY",
		"ENCRYPTED PRIVATE KEY", "OPENSSH PRIVATE KEY", "DSA PRIVATE KEY" };
	static const char *const files[] = { "rsa1.pem", "ec.pem", "p8rsa.pem", "enc.pem", "ssh",
		"dsa.pem" };
	size_t i, len;
	unsigned char *pub;
	char *s;

	make_keys();
	for (i = 0; i < 6; i++) {
		s = with_garbage_body(labels[i], 600);
		CU_ASSERT_EQUAL(count_in(s), 0);
		free(s);
		s = truncated(files[i]);
		CU_ASSERT_EQUAL(count_in(s), 0);
		free(s);
	}
	/* marker strings alone, as OpenSSH's own parser holds them */
	CU_ASSERT_EQUAL(count_in("-----BEGIN OPENSSH PRIVATE KEY-----\n"), 0);
	find_in((const unsigned char *)"-----BEGIN OPENSSH PRIVATE KEY-----\n\0"
		"-----END OPENSSH PRIVATE KEY-----\n", 72, &(struct hits){ 0 });
	CU_ASSERT_EQUAL(count_in("-----BEGIN RSA PRIVATE KEY-----\n-----END RSA PRIVATE KEY-----\n"),
			0);
	CU_ASSERT_EQUAL(count_in("-----BEGIN PRIVATE KEY-----\nMIIB%%%\n-----END PRIVATE KEY-----\n"),
			0);
	pub = key_bytes("ecpub.pem", &len);
	find_in(pub, len, &(struct hits){ 0 });
	CU_ASSERT_EQUAL(count_in((const char *)pub), 0);
	free(pub);
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* An unencrypted OpenSSH key whose check words differ is not a key. */
static void test_openssh_checkints(void)
{
	const char *begin = "-----BEGIN OPENSSH PRIVATE KEY-----\n";
	size_t len, blen = 0, i, off = 15;
	char *pem, *out;
	unsigned char *raw, *b64;
	int n;

	make_keys();
	pem = (char *)key_bytes("ssh", &len);
	raw = iotb_xmalloc(len);
	b64 = iotb_xmalloc(len);
	for (i = strlen(begin); pem[i] != '-'; i++)
		if (pem[i] != '\n')
			b64[blen++] = (unsigned char)pem[i];
	n = EVP_DecodeBlock(raw, b64, (int)blen);
	n -= (b64[blen - 1] == '=') + (b64[blen - 2] == '=');
	CU_ASSERT_FATAL(n > 100);
	for (int k = 0; k < 3; k++)           /* cipher, kdf, kdf options */
		off += 4 + be32(raw + off);
	off += 4;                             /* number of keys */
	off += 4 + be32(raw + off);           /* public key */
	off += 4;                             /* private section length */
	CU_ASSERT_EQUAL(be32(raw + off), be32(raw + off + 4));
	/* intact, re-encoded: still a key */
	EVP_EncodeBlock(b64, raw, n);
	out = iotb_xasprintf("%s%s\n-----END OPENSSH PRIVATE KEY-----\n", begin, (char *)b64);
	CU_ASSERT_EQUAL(count_in(out), 1);
	free(out);
	raw[off] ^= 0x55;
	EVP_EncodeBlock(b64, raw, n);
	out = iotb_xasprintf("%s%s\n-----END OPENSSH PRIVATE KEY-----\n", begin, (char *)b64);
	CU_ASSERT_EQUAL(count_in(out), 0);
	free(out);
	free(pem);
	free(raw);
	free(b64);
}

/* --- binaries --- */

static char *c_string(const unsigned char *s, size_t n)
{
	struct iotb_strbuf sb;

	iotb_strbuf_init(&sb);
	iotb_strbuf_adds(&sb, "\"");
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			iotb_strbuf_adds(&sb, "\\n\"\n\"");
		else if (s[i] == '"' || s[i] == '\\')
			iotb_strbuf_addf(&sb, "\\%c", s[i]);
		else if (s[i] < 0x20 || s[i] >= 0x7f)
			iotb_strbuf_addf(&sb, "\\%03o", s[i]);
		else
			iotb_strbuf_add(&sb, &s[i], 1);
	}
	iotb_strbuf_adds(&sb, "\"");
	return iotb_strbuf_detach(&sb);
}

static char *c_bytes(const unsigned char *d, size_t n)
{
	struct iotb_strbuf sb;

	iotb_strbuf_init(&sb);
	iotb_strbuf_adds(&sb, "{");
	for (size_t i = 0; i < n; i++)
		iotb_strbuf_addf(&sb, "%s0x%02x", i ? "," : "", d[i]);
	iotb_strbuf_adds(&sb, "}");
	return iotb_strbuf_detach(&sb);
}

/* "U static const char NAME[] = <file as a string>;\n" into sb. */
static void add_key_string(struct iotb_strbuf *sb, const char *var, const char *file)
{
	size_t len;
	unsigned char *d = key_bytes(file, &len);
	char *lit = c_string(d, len);

	iotb_strbuf_addf(sb, "U static const char %s[] = %s;\n", var, lit);
	free(lit);
	free(d);
}

static void add_key_bytes(struct iotb_strbuf *sb, const char *var, const char *file)
{
	size_t len;
	unsigned char *d = key_bytes(file, &len);
	char *lit = c_bytes(d, len);

	iotb_strbuf_addf(sb, "U static const unsigned char %s[] = %s;\n", var, lit);
	free(lit);
	free(d);
}

static char *keys_source(void)
{
	struct iotb_strbuf sb;

	iotb_strbuf_init(&sb);
	iotb_strbuf_adds(&sb, "#define U __attribute__((used))\n");
	add_key_string(&sb, "server_key_pem", "rsa1.pem");
	add_key_string(&sb, "ec_key_pem", "ec.pem");
	add_key_string(&sb, "ed_key_pem", "ed.pem");
	add_key_string(&sb, "enc_key_pem", "enc.pem");
	add_key_string(&sb, "ssh_host_key", "ssh");
	add_key_string(&sb, "ca_cert_pem", "cert.pem");
	add_key_string(&sb, "ec_pub_pem", "ecpub.pem");
	add_key_bytes(&sb, "rsa_der", "rsa1.der");
	iotb_strbuf_adds(&sb, "U static const char marker1[] = \"-----BEGIN OPENSSH PRIVATE KEY-----\\n\";\n"
			 "U static const char marker2[] = \"-----END OPENSSH PRIVATE KEY-----\\n\";\n"
			 "int main(void) { return 0; }\n");
	return iotb_strbuf_detach(&sb);
}

static char *build_src(const char *cc, const char *name, const char *src, const char *flags)
{
	char *c = iotb_xasprintf("%s.c", name);
	char *bin = elf_build(dir, cc, c, src, name, flags);

	free(c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(bin);
	return bin;
}

static const struct iotb_finding *nth(const struct elf_run *r, const char *rule, size_t k)
{
	for (size_t i = 0; i < r->res.nfindings; i++)
		if (strcmp(r->res.findings[i].rule->id, rule) == 0 && k-- == 0)
			return &r->res.findings[i];
	return NULL;
}

static const struct iotb_finding *with_symbol(const struct elf_run *r, const char *rule,
                                              const char *sym)
{
	for (size_t i = 0; i < r->res.nfindings; i++) {
		const struct iotb_finding *f = &r->res.findings[i];

		if (strcmp(f->rule->id, rule) == 0 && f->loc.symbol && strcmp(f->loc.symbol, sym) == 0)
			return f;
	}
	return NULL;
}

static json_int_t secrets_fact(const struct elf_run *r, const char *key)
{
	json_t *s = json_object_get(r->facts, "secrets");

	return json_integer_value(json_object_get(s, key));
}

/* No finding's JSON holds line 2 of any PEM body or the start of the DER. */
static void assert_masked(const struct elf_run *r)
{
	static const char *const files[] = { "rsa1.pem", "ec.pem", "ed.pem", "enc.pem", "ssh" };

	for (size_t i = 0; i < r->res.nfindings; i++) {
		json_t *j = iotb_finding_to_json(&r->res.findings[i]);
		char *s = json_dumps(j, 0);

		for (size_t k = 0; k < sizeof(files) / sizeof(files[0]); k++) {
			size_t len;
			char *d = (char *)key_bytes(files[k], &len), *l2 = strchr(d, '\n') + 1;

			l2[12] = '\0';
			CU_ASSERT(!th_contains(s, l2));
			free(d);
		}
		free(s);
		json_decref(j);
	}
}

static const struct iotb_finding *with_message(const struct elf_run *r, const char *rule,
                                               const char *prefix)
{
	for (size_t i = 0; i < r->res.nfindings; i++) {
		const struct iotb_finding *f = &r->res.findings[i];

		if (strcmp(f->rule->id, rule) == 0 && strncmp(f->message, prefix, strlen(prefix)) == 0)
			return f;
	}
	return NULL;
}

/* The key finding named by its symbol (with symbols) or its message. */
static const struct iotb_finding *key_finding(const struct elf_run *r, bool symbols,
                                              const char *sym, const char *message)
{
	const struct iotb_finding *f = symbols ? with_symbol(r, "elf.embedded-private-key", sym)
					       : with_message(r, "elf.embedded-private-key", message);

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT(th_contains(f->message, message));
	CU_ASSERT(f->loc.has_offset);
	return f;
}

static void check_key_findings(const struct elf_run *r, bool sections)
{
	const struct iotb_finding *f;

	CU_ASSERT_EQUAL(elf_count(r, "elf.embedded-private-key"), 6);
	CU_ASSERT_EQUAL(secrets_fact(r, "private_keys"), 6);
	CU_ASSERT_EQUAL(secrets_fact(r, "certificates"), 1);
	f = key_finding(r, sections, "server_key_pem",
			"embedded private key: RSA 1024-bit (PKCS#1, PEM)");
	CU_ASSERT_STRING_EQUAL(f->message, "embedded private key: RSA 1024-bit (PKCS#1, PEM)");
	CU_ASSERT_EQUAL(f->severity, IOTB_SEV_ERROR);
	if (sections)
		CU_ASSERT_STRING_EQUAL(f->loc.section, ".rodata");
	CU_ASSERT(th_contains(f->evidence, "(") && th_contains(f->evidence, "chars)"));
	CU_ASSERT_EQUAL(strncmp(f->evidence, "MI", 2), 0);
	f = key_finding(r, sections, "enc_key_pem",
			"embedded encrypted private key: PBES2 (encrypted PKCS#8, PEM)");
	CU_ASSERT_EQUAL(f->severity, IOTB_SEV_WARNING);
	key_finding(r, sections, "ssh_host_key", "embedded private key: ssh-ed25519 (OpenSSH, PEM)");
	key_finding(r, sections, "rsa_der", "embedded private key: RSA 1024-bit (PKCS#1, DER)");
	key_finding(r, sections, "ec_key_pem", "embedded private key: EC 256-bit (SEC1, PEM)");
	key_finding(r, sections, "ed_key_pem", "embedded private key: ED25519 (PKCS#8, PEM)");
	CU_ASSERT(with_symbol(r, "elf.embedded-private-key", "ca_cert_pem") == NULL);
	CU_ASSERT(with_symbol(r, "elf.embedded-private-key", "ec_pub_pem") == NULL);
	assert_masked(r);
}

static void test_binary_keys(void)
{
	char *src, *bin;
	struct elf_run r;

	make_keys();
	src = keys_source();
	bin = build_src("gcc", "keys", src, "-O0");
	elf_run_file(bin, &r);
	check_key_findings(&r, true);
	/* the offset is inside .rodata: the block starts there */
	elf_run_release(&r);
	free(bin);
	bin = build_src("gcc", "keys.o", src, "-c");
	elf_run_file(bin, &r);
	check_key_findings(&r, true);
	CU_ASSERT_STRING_EQUAL(elf_fact(&r, "type", NULL), "REL");
	elf_run_release(&r);
	free(bin);
	free(src);
}

/* Offsets: inside the section, or the file offset without section headers. */
static void test_key_offsets(void)
{
	char *src, *bin;
	unsigned char *d;
	size_t len;
	struct elf_run r;
	const struct iotb_finding *f;
	Elf64_Ehdr *eh;
	Elf64_Shdr *sh;

	make_keys();
	src = keys_source();
	bin = build_src("gcc", "keys-noshdr", src, "-O0");
	free(src);
	d = elf_slurp(bin, &len);
	eh = (Elf64_Ehdr *)d;
	sh = (Elf64_Shdr *)(d + eh->e_shoff);
	elf_run_file(bin, &r);
	f = with_symbol(&r, "elf.embedded-private-key", "ssh_host_key");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	for (size_t i = 1; i < eh->e_shnum; i++) {
		const char *name = (const char *)d + sh[eh->e_shstrndx].sh_offset + sh[i].sh_name;

		if (strcmp(name, ".rodata") == 0)
			CU_ASSERT_EQUAL(memcmp(d + sh[i].sh_offset + f->loc.offset,
					       "-----BEGIN OPENSSH", 18), 0);
	}
	elf_run_release(&r);
	eh->e_shoff = 0, eh->e_shnum = 0, eh->e_shstrndx = 0;
	elf_spew(bin, d, len);
	elf_run_file(bin, &r);
	check_key_findings(&r, false);
	f = nth(&r, "elf.embedded-private-key", 0);
	CU_ASSERT_PTR_NULL(f->loc.section);
	CU_ASSERT_EQUAL(memcmp(d + f->loc.offset, "-----BEGIN ", 11), 0);
	elf_run_release(&r);
	free(d);
	free(bin);
}

/* Big-endian MIPS: the same keys in a foreign byte order. */
static void test_keys_cross(void)
{
	char *src, *bin;
	struct elf_run r;

	if (!elf_have_tool("mips-linux-gnu-gcc"))
		return;
	make_keys();
	src = keys_source();
	bin = build_src("mips-linux-gnu-gcc", "keys-mips", src, "-O0");
	elf_run_file(bin, &r);
	CU_ASSERT_STRING_EQUAL(elf_fact(&r, "endianness", NULL), "big");
	check_key_findings(&r, true);
	elf_run_release(&r);
	free(bin);
	free(src);
}

/* --- credentials --- */

static const char creds_src[] =
	"#define U __attribute__((used))\n"
	"U static const char c1[] = \"http_passwd=admin123\";\n"
	"U static const char c2[] = \"wifi_psk=\\\"s3cr3tPSK!\\\"\";\n"
	"U static const char c3[] = \"ftp://admin:hunter22@10.0.0.1/fw.bin\";\n"
	"U static const char c4[] = \"aws_id AKIAIOSFODNN7EXAMPLE\";\n"
	"U static const char c5[] = \"user=admin&password=Sup3rS3cret&x=1\";\n"
	"U static const char c6[] = \"api_token:9f86d081884c7d65\";\n"
	"U static const char c7[] = \"DB_PASSWORD='hunter2hunter2'\";\n"
	"U static const char c8[] = \"[wifi]\\nssid=home\\npassphrase=correcthorse\\n\";\n"
	"int main(void) { return 0; }\n";

static const char lookalike_src[] =
	"#define U __attribute__((used))\n"
	"U static const char l1[] = \"password=%s\";\n"
	"U static const char l2[] = \"Password: \";\n"
	"U static const char l3[] = \"passwd: unknown user %s\";\n"
	"U static const char l4[] = \"  --password=PASSWORD  set the password\";\n"
	"U static const char l5[] = \"password=\";\n"
	"U static const char l6[] = \"token=<token>\";\n"
	"U static const char l7[] = \"HIGH:!aNULL:!PSK:!SRP:!CAMELLIA\";\n"
	"U static const char l8[] = \"this.password = options.password;\";\n"
	"U static const char l9[] = \"password_file=/etc/ppp/pap-secrets\";\n"
	"U static const char l10[] = \"secret=${SECRET}\";\n"
	"U static const char l11[] = \"session_token=550e8400-e29b-41d4-a716-446655440000\";\n"
	"U static const char l12[] = \"psk=xxxxxxxx\";\n"
	"U static const char l13[] = \"password=none\";\n"
	"U static const char l14[] = \"https://example.com:8443/path\";\n"
	"U static const char l15[] = \"http://user@host/x\";\n"
	"U static const char l16[] = \"ldap://HOST:PORT/[bindname=BINDNAME,password=PASSWORD]\";\n"
	"U static const char l17[] = \"HOST:PORT:BINDNAME:PASSWORD:BASEDN:FLAGS:\";\n"
	"U static const char l18[] = \"password:%s\";\n"
	"U static const char l19[] = \"-----BEGIN CERTIFICATE-----\\n\";\n"
	"U static const char l20[] = \"Enter PEM pass phrase: \";\n"
	"U static const char l21[] = \"the secret = known to all\";\n"
	"int main(void) { return 0; }\n";

static void expect_cred(const struct elf_run *r, const char *sym, const char *message,
                        const char *evidence)
{
	const struct iotb_finding *f = with_symbol(r, "elf.hardcoded-credential", sym);

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	if (strcmp(f->message, message) != 0 || strcmp(f->evidence, evidence) != 0)
		printf("\n  %s: '%s' / '%s'\n", sym, f->message, f->evidence);
	CU_ASSERT_STRING_EQUAL(f->message, message);
	CU_ASSERT_STRING_EQUAL(f->evidence, evidence);
	CU_ASSERT_STRING_EQUAL(f->loc.section, ".rodata");
	CU_ASSERT_EQUAL(f->severity, IOTB_SEV_WARNING);
}

static void test_credentials(void)
{
	char *bin;
	struct elf_run r;

	make_keys();
	bin = build_src("gcc", "creds", creds_src, "-O0");
	elf_run_file(bin, &r);
	CU_ASSERT_EQUAL(elf_count(&r, "elf.hardcoded-credential"), 8);
	CU_ASSERT_EQUAL(secrets_fact(&r, "credentials"), 8);
	expect_cred(&r, "c1", "hard-coded credential: 'http_passwd' is assigned a 8-character value",
		    "<8 chars>");
	expect_cred(&r, "c2", "hard-coded credential: 'wifi_psk' is assigned a 10-character value",
		    "<10 chars>");
	expect_cred(&r, "c3", "hard-coded credential: a password in a URL (user:password@), "
		    "8 characters", "<8 chars>");
	expect_cred(&r, "c4", "hard-coded token: AWS access key id (20 characters)",
		    "AK…LE (20 chars)");
	expect_cred(&r, "c5", "hard-coded credential: 'password' is assigned a 11-character value",
		    "<11 chars>");
	expect_cred(&r, "c6", "hard-coded credential: 'api_token' is assigned a 16-character value",
		    "9f…65 (16 chars)");
	expect_cred(&r, "c7", "hard-coded credential: 'db_password' is assigned a 14-character "
		    "value", "hu…r2 (14 chars)");
	expect_cred(&r, "c8", "hard-coded credential: 'passphrase' is assigned a 12-character "
		    "value", "co…se (12 chars)");
	elf_run_release(&r);
	free(bin);
}

static void test_credential_lookalikes(void)
{
	char *bin;
	struct elf_run r;

	make_keys();
	bin = build_src("gcc", "lookalikes", lookalike_src, "-O0");
	elf_run_file(bin, &r);
	for (size_t i = 0; i < r.res.nfindings; i++)
		if (strcmp(r.res.findings[i].rule->id, "elf.hardcoded-credential") == 0)
			printf("\n  unexpected: %s %s\n", r.res.findings[i].loc.symbol,
			       r.res.findings[i].message);
	CU_ASSERT_EQUAL(elf_count(&r, "elf.hardcoded-credential"), 0);
	CU_ASSERT_EQUAL(elf_count(&r, "elf.embedded-private-key"), 0);
	CU_ASSERT_EQUAL(secrets_fact(&r, "credentials"), 0);
	elf_run_release(&r);
	free(bin);
}

/* --- key material --- */

static void random_bytes(unsigned char *p, size_t n)
{
	FILE *f = fopen("/dev/urandom", "rb");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(fread(p, 1, n, f), n);
	fclose(f);
}

static void add_crc_table(struct iotb_strbuf *sb)
{
	iotb_strbuf_adds(sb, "U static const unsigned int crc32_table[256] = {");
	for (unsigned n = 0; n < 256; n++) {
		unsigned c = n;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		iotb_strbuf_addf(sb, "%s0x%08xu", n ? "," : "", c);
	}
	iotb_strbuf_adds(sb, "};\n");
}

/* The AES S-box (FIPS-197 5.1.1): inverse in GF(2^8), then the affine map. */
static void add_aes_sbox(struct iotb_strbuf *sb)
{
	unsigned char p = 1, q = 1, s[256];

	do {
		p = (unsigned char)(p ^ (p << 1) ^ (p & 0x80 ? 0x1b : 0));
		q ^= (unsigned char)(q << 1);
		q ^= (unsigned char)(q << 2);
		q ^= (unsigned char)(q << 4);
		if (q & 0x80)
			q ^= 0x09;
		s[p] = (unsigned char)(q ^ (q << 1 | q >> 7) ^ (q << 2 | q >> 6) ^
				       (q << 3 | q >> 5) ^ (q << 4 | q >> 4) ^ 0x63);
	} while (p != 1);
	s[0] = 0x63;
	CU_ASSERT_EQUAL(s[1], 0x7c);
	CU_ASSERT_EQUAL(s[0x53], 0xed);
	iotb_strbuf_addf(sb, "U static const unsigned char aes_sbox[256] = ");
	{
		char *lit = c_bytes(s, 256);

		iotb_strbuf_addf(sb, "%s;\n", lit);
		free(lit);
	}
}

static char *material_source(char *secret_text, size_t text_len)
{
	static const char b62[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char key[16], pub[32], png[96], seq[16];
	char *b64 = iotb_xmalloc(200), *lit;
	struct iotb_strbuf sb;
	char sha[65];

	random_bytes(key, sizeof(key));
	random_bytes(pub, sizeof(pub));
	random_bytes(png, sizeof(png));
	random_bytes((unsigned char *)secret_text, text_len);
	for (size_t i = 0; i < text_len; i++)
		secret_text[i] = b62[(unsigned char)secret_text[i] % 62];
	secret_text[text_len] = '\0';
	memcpy(png, "\x89PNG\r\n\x1a\n", 8);
	for (size_t i = 0; i < 16; i++)
		seq[i] = (unsigned char)i;
	iotb_sha256_hex("firmware", 8, sha);
	EVP_EncodeBlock((unsigned char *)b64, png, sizeof(png));
	iotb_strbuf_init(&sb);
	iotb_strbuf_adds(&sb, "#define U __attribute__((used))\n");
	lit = c_bytes(key, 16);
	iotb_strbuf_addf(&sb, "U static const unsigned char aes_key[16] = %s;\n", lit);
	free(lit);
	iotb_strbuf_addf(&sb, "U static const char api_secret[] = \"%s\";\n", secret_text);
	lit = c_bytes(pub, 32);
	iotb_strbuf_addf(&sb, "U static const unsigned char public_key[32] = %s;\n", lit);
	free(lit);
	lit = c_bytes(seq, 16);
	iotb_strbuf_addf(&sb, "U static const unsigned char default_key[16] = %s;\n", lit);
	free(lit);
	add_crc_table(&sb);
	add_aes_sbox(&sb);
	iotb_strbuf_addf(&sb, "U static const char fw_sha256[] = \"%s\";\n"
			 "U static const char device_uuid[] = \"550e8400-e29b-41d4-a716-446655440000\";\n"
			 "U static const char session_token[] = \"550e8400-e29b-41d4-a716-446655440000\";\n"
			 "U static const char logo_png_b64[] = \"data:image/png;base64,%s\";\n"
			 "U static const char hash_key[] = \"%s\";\n"
			 "int main(void) { return 0; }\n", sha, b64, sha);
	free(b64);
	return iotb_strbuf_detach(&sb);
}

static void test_key_material(void)
{
	char secret[33], *src, *bin;
	struct elf_run r;
	const struct iotb_finding *f;

	make_keys();
	src = material_source(secret, 32);
	bin = build_src("gcc", "material", src, "-O0");
	elf_run_file(bin, &r);
	for (size_t i = 0; i < r.res.nfindings; i++)
		if (strcmp(r.res.findings[i].rule->id, "elf.embedded-key-material") == 0)
			printf("\n  material: %s\n", r.res.findings[i].message);
	CU_ASSERT_EQUAL(elf_count(&r, "elf.embedded-key-material"), 2);
	CU_ASSERT_EQUAL(secrets_fact(&r, "key_material"), 2);
	CU_ASSERT_EQUAL(elf_count(&r, "elf.hardcoded-credential") +
			elf_count(&r, "elf.embedded-private-key"), 0);
	f = with_symbol(&r, "elf.embedded-key-material", "aes_key");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT(th_contains(f->message, "high-entropy key material in 'aes_key': an array of "
			      "16 bytes, "));
	CU_ASSERT(th_contains(f->evidence, "(32 chars)"));
	CU_ASSERT_STRING_EQUAL(f->loc.section, ".rodata");
	f = with_symbol(&r, "elf.embedded-key-material", "api_secret");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT(th_contains(f->message, "'api_secret': a string of 32 characters"));
	CU_ASSERT(!th_contains(f->evidence, secret));
	CU_ASSERT(th_contains(f->evidence, "(32 chars)"));
	elf_run_release(&r);
	/* stripped: no names, so no key material (and no guess) */
	free(bin);
	bin = build_src("gcc", "material-s", src, "-O0 -s");
	elf_run_file(bin, &r);
	CU_ASSERT_EQUAL(elf_count(&r, "elf.embedded-key-material"), 0);
	elf_run_release(&r);
	free(bin);
	free(src);
}

static void test_system_binaries_quiet(void)
{
	static const char *const bins[] = { "/usr/bin/ssh", "/usr/sbin/sshd", "/usr/bin/ssh-keygen",
		"/usr/bin/curl", "/usr/bin/openssl", "/bin/ls" };
	struct elf_run r;

	for (size_t i = 0; i < sizeof(bins) / sizeof(bins[0]); i++) {
		FILE *f = fopen(bins[i], "rb");

		if (!f)
			continue;
		fclose(f);
		elf_run_file(bins[i], &r);
		/* openssh holds the OPENSSH PRIVATE KEY markers for its parser */
		CU_ASSERT_EQUAL(elf_count(&r, "elf.hardcoded-credential"), 0);
		CU_ASSERT_EQUAL(elf_count(&r, "elf.embedded-key-material"), 0);
		if (!th_contains(bins[i], "openssl"))
			CU_ASSERT_EQUAL(elf_count(&r, "elf.embedded-private-key"), 0);
		elf_run_release(&r);
	}
}

static const struct th_test tests[] = {
	{ "PEM, DER and OpenSSH keys of every form are parsed", test_key_forms },
	{ "garbage, truncated, marker-only and public blocks are not keys", test_key_rejects },
	{ "OpenSSH key with mismatched check words is not a key", test_openssh_checkints },
	{ "keys in an executable and an object file", test_binary_keys },
	{ "key offsets: in .rodata, or file offsets without section headers", test_key_offsets },
	{ "keys in a big-endian MIPS binary", test_keys_cross },
	{ "hard-coded credentials and tokens", test_credentials },
	{ "credential look-alikes are not reported", test_credential_lookalikes },
	{ "key material in named objects, not tables, hashes, UUIDs, images",
	  test_key_material },
	{ "system binaries: markers and prose are not secrets", test_system_binaries_quiet },
	{ NULL, NULL },
};

void register_suite_elf_secrets(void)
{
	if (!elf_have_tool("gcc") || !elf_have_tool("openssl") || !elf_have_tool("ssh-keygen")) {
		th_skip_suite("gcc, openssl or ssh-keygen missing");
		return;
	}
	th_add_suite("elf_secrets", tests);
}
