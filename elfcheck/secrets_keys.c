/*
 * secrets_keys.c — finds private keys and certificates in a byte buffer
 * (the data sections of an ELF image): PEM blocks whose base64 body parses
 * as a PKCS#1 RSA, SEC1 EC, DSA or PKCS#8 (plain or encrypted) key, or as an
 * X.509 certificate (OpenSSL libcrypto's DER decoders); OpenSSH private keys
 * whose body parses as the "openssh-key-v1" format (PROTOCOL.key in the
 * OpenSSH sources); and raw DER keys found by their ASN.1 prefix and then
 * parsed.  A marker line alone, a header with a garbage or truncated body,
 * and a public key are never reported (clause 5.2.6.1.4, CWE-321).
 */
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elfcheck.h"
#include "iotb_util.h"

#define PEM_BEGIN "-----BEGIN "
#define PEM_DASHES "-----"
#define MAX_LABEL 40
#define MAX_PEM_BODY (64 * 1024)
#define MIN_DER_KEY 40
#define OPENSSH_MAGIC "openssh-key-v1"

/* PEM labels we parse, and the form their body must have. */
static const struct {
	const char *label;
	enum iotb_key_form form;
} pem_labels[] = {
	{ "RSA PRIVATE KEY", IOTB_KEY_PKCS1 },
	{ "EC PRIVATE KEY", IOTB_KEY_SEC1 },
	{ "DSA PRIVATE KEY", IOTB_KEY_DSA },
	{ "PRIVATE KEY", IOTB_KEY_PKCS8 },
	{ "ENCRYPTED PRIVATE KEY", IOTB_KEY_PKCS8_ENCRYPTED },
	{ "OPENSSH PRIVATE KEY", IOTB_KEY_OPENSSH },
	{ "CERTIFICATE", IOTB_KEY_CERTIFICATE },
	{ "TRUSTED CERTIFICATE", IOTB_KEY_CERTIFICATE },
	{ "X509 CERTIFICATE", IOTB_KEY_CERTIFICATE },
};

const char *iotb_key_form_name(enum iotb_key_form form)
{
	switch (form) {
	case IOTB_KEY_PKCS1: return "PKCS#1";
	case IOTB_KEY_SEC1: return "SEC1";
	case IOTB_KEY_DSA: return "DSA";
	case IOTB_KEY_PKCS8: return "PKCS#8";
	case IOTB_KEY_PKCS8_ENCRYPTED: return "encrypted PKCS#8";
	case IOTB_KEY_OPENSSH: return "OpenSSH";
	case IOTB_KEY_CERTIFICATE: return "X.509 certificate";
	}
	return "?";
}

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

static bool is_b64_space(unsigned char c)
{
	return c == '\n' || c == '\r' || c == ' ' || c == '\t';
}

/* Strict base64 (RFC 4648) with line breaks: owned bytes, or NULL when a
 * character is foreign, padding is misplaced or the length is not whole. */
static unsigned char *b64_decode(const unsigned char *s, size_t n, size_t *outlen)
{
	unsigned char *out = iotb_xmalloc(n / 4 * 3 + 3);
	size_t i, o = 0, pad = 0, k = 0;
	uint32_t acc = 0;

	for (i = 0; i < n; i++) {
		int v = b64_value(s[i]);

		if (is_b64_space(s[i]))
			continue;
		if (s[i] == '=' && k % 4 >= 2 && pad < 2) {
			pad++, k++, acc <<= 6;
		} else if (v < 0 || pad) {
			free(out);
			return NULL;
		} else {
			k++, acc = acc << 6 | (uint32_t)v;
		}
		if (k % 4 == 0) {
			out[o++] = (unsigned char)(acc >> 16);
			out[o++] = (unsigned char)(acc >> 8);
			out[o++] = (unsigned char)acc;
			acc = 0;
		}
	}
	if (k == 0 || k % 4 != 0) {
		free(out);
		return NULL;
	}
	*outlen = o - pad;
	return out;
}

static void describe_pkey(EVP_PKEY *k, char *alg, size_t n)
{
	const char *type = EVP_PKEY_get0_type_name(k);
	int bits = EVP_PKEY_get_bits(k);

	if (!type)
		type = "unknown";
	if (bits > 0 && EVP_PKEY_get_base_id(k) != EVP_PKEY_ED25519 &&
	    EVP_PKEY_get_base_id(k) != EVP_PKEY_ED448)
		snprintf(alg, n, "%s %d-bit", type, bits);
	else
		snprintf(alg, n, "%s", type);
}

/* A whole DER private key of a traditional form (PKCS#1, SEC1, DSA). */
static bool parse_traditional(int type, const unsigned char *der, size_t n, char *alg,
                              size_t alen)
{
	const unsigned char *p = der;
	EVP_PKEY *k = d2i_PrivateKey(type, NULL, &p, (long)n);
	bool ok = k && p == der + n;

	if (ok)
		describe_pkey(k, alg, alen);
	EVP_PKEY_free(k);
	return ok;
}

static bool parse_pkcs8(const unsigned char *der, size_t n, char *alg, size_t alen)
{
	const unsigned char *p = der;
	PKCS8_PRIV_KEY_INFO *p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)n);
	EVP_PKEY *k = p8 && p == der + n ? EVP_PKCS82PKEY(p8) : NULL;

	if (k)
		describe_pkey(k, alg, alen);
	EVP_PKEY_free(k);
	PKCS8_PRIV_KEY_INFO_free(p8);
	return k != NULL;
}

/* EncryptedPrivateKeyInfo with a password-based encryption scheme. */
static bool parse_pkcs8_encrypted(const unsigned char *der, size_t n, char *alg, size_t alen)
{
	const unsigned char *p = der;
	X509_SIG *sig = d2i_X509_SIG(NULL, &p, (long)n);
	const X509_ALGOR *algor = NULL;
	const ASN1_OCTET_STRING *data = NULL;
	bool ok = false;

	if (sig && p == der + n) {
		X509_SIG_get0(sig, &algor, &data);
		int nid = OBJ_obj2nid(algor->algorithm);

		ok = data && data->length > 0 &&
		     EVP_PBE_find(EVP_PBE_TYPE_OUTER, nid, NULL, NULL, NULL) == 1;
		if (ok)
			snprintf(alg, alen, "%s", OBJ_nid2sn(nid));
	}
	X509_SIG_free(sig);
	return ok;
}

static bool parse_certificate(const unsigned char *der, size_t n, char *alg, size_t alen)
{
	const unsigned char *p = der;
	X509 *x = d2i_X509(NULL, &p, (long)n);
	bool ok = x && p == der + n;

	if (ok)
		snprintf(alg, alen, "X.509");
	X509_free(x);
	return ok;
}

/* --- OpenSSH "openssh-key-v1" (OpenSSH PROTOCOL.key) --- */

struct sshbuf_view {
	const unsigned char *p;
	size_t n;
};

static bool ssh_u32(struct sshbuf_view *b, uint32_t *v)
{
	if (b->n < 4)
		return false;
	*v = (uint32_t)b->p[0] << 24 | (uint32_t)b->p[1] << 16 | (uint32_t)b->p[2] << 8 | b->p[3];
	b->p += 4, b->n -= 4;
	return true;
}

static bool ssh_string(struct sshbuf_view *b, struct sshbuf_view *s)
{
	uint32_t len;

	if (!ssh_u32(b, &len) || len > b->n)
		return false;
	s->p = b->p, s->n = len;
	b->p += len, b->n -= len;
	return true;
}

static bool ssh_is(const struct sshbuf_view *s, const char *text)
{
	return s->n == strlen(text) && memcmp(s->p, text, s->n) == 0;
}

/* A printable key-type name ("ssh-ed25519", "ecdsa-sha2-nistp256", …). */
static bool ssh_is_name(const struct sshbuf_view *s)
{
	if (s->n == 0 || s->n > 64)
		return false;
	for (size_t i = 0; i < s->n; i++)
		if (s->p[i] <= ' ' || s->p[i] >= 0x7f)
			return false;
	return true;
}

/* The unencrypted private section: two equal check words, then each key
 * starting with the type its public key names. */
static bool ssh_private_ok(struct sshbuf_view priv, const struct sshbuf_view *type)
{
	uint32_t c1, c2;
	struct sshbuf_view t;

	if (!ssh_u32(&priv, &c1) || !ssh_u32(&priv, &c2) || c1 != c2)
		return false;
	return ssh_string(&priv, &t) && t.n == type->n && memcmp(t.p, type->p, t.n) == 0;
}

static bool parse_openssh(const unsigned char *raw, size_t n, char *alg, size_t alen,
                          bool *encrypted)
{
	struct sshbuf_view b = { raw, n }, cipher, kdf, kdfopt, pub, priv, pb, type;
	uint32_t nkeys;
	size_t magic = sizeof(OPENSSH_MAGIC);

	if (n < magic || memcmp(raw, OPENSSH_MAGIC, magic) != 0)
		return false;
	b.p += magic, b.n -= magic;
	if (!ssh_string(&b, &cipher) || !ssh_string(&b, &kdf) || !ssh_string(&b, &kdfopt) ||
	    !ssh_u32(&b, &nkeys) || nkeys != 1 || !ssh_string(&b, &pub) ||
	    !ssh_string(&b, &priv) || b.n != 0 || priv.n == 0 || !ssh_is_name(&cipher))
		return false;
	pb = pub;
	if (!ssh_string(&pb, &type) || !ssh_is_name(&type) || pb.n == 0)
		return false;
	*encrypted = !ssh_is(&cipher, "none");
	if (*encrypted ? (ssh_is(&kdf, "none") || priv.n % 8 != 0)
		       : (!ssh_is(&kdf, "none") || !ssh_private_ok(priv, &type)))
		return false;
	snprintf(alg, alen, "%.*s", (int)type.n, (const char *)type.p);
	return true;
}

static bool parse_body(enum iotb_key_form form, const unsigned char *der, size_t n,
                       struct iotb_key_hit *hit)
{
	char *alg = hit->alg;
	size_t alen = sizeof(hit->alg);

	hit->encrypted = form == IOTB_KEY_PKCS8_ENCRYPTED;
	switch (form) {
	case IOTB_KEY_PKCS1: return parse_traditional(EVP_PKEY_RSA, der, n, alg, alen);
	case IOTB_KEY_SEC1: return parse_traditional(EVP_PKEY_EC, der, n, alg, alen);
	case IOTB_KEY_DSA: return parse_traditional(EVP_PKEY_DSA, der, n, alg, alen);
	case IOTB_KEY_PKCS8: return parse_pkcs8(der, n, alg, alen);
	case IOTB_KEY_PKCS8_ENCRYPTED: return parse_pkcs8_encrypted(der, n, alg, alen);
	case IOTB_KEY_OPENSSH: return parse_openssh(der, n, alg, alen, &hit->encrypted);
	case IOTB_KEY_CERTIFICATE: return parse_certificate(der, n, alg, alen);
	}
	return false;
}

/* --- PEM armour --- */

/* The label after "-----BEGIN " at p (n bytes left): its table index and
 * where the body starts, or -1. */
static int pem_label(const unsigned char *p, size_t n, size_t *body)
{
	size_t skip = sizeof(PEM_BEGIN) - 1, len, i;
	const unsigned char *end;

	end = memmem(p + skip, n - skip < MAX_LABEL + 5 ? n - skip : MAX_LABEL + 5,
		     PEM_DASHES, 5);
	if (!end)
		return -1;
	len = (size_t)(end - p) - skip;
	*body = (size_t)(end - p) + 5;
	if (*body < n && p[*body] == '\r')
		(*body)++;
	if (*body >= n || p[*body] != '\n')
		return -1;
	(*body)++;
	for (i = 0; i < sizeof(pem_labels) / sizeof(pem_labels[0]); i++)
		if (strlen(pem_labels[i].label) == len &&
		    memcmp(p + skip, pem_labels[i].label, len) == 0)
			return (int)i;
	return -1;
}

/* Parse the PEM block at buf+at; fills hit and returns true when its body
 * decodes and parses as the form its label names. */
static bool parse_pem(const unsigned char *buf, size_t n, size_t at, struct iotb_key_hit *hit)
{
	size_t body, limit, dlen, endlen;
	int li = pem_label(buf + at, n - at, &body);
	const unsigned char *end;
	unsigned char *der;
	char marker[MAX_LABEL + 16];
	bool ok;

	if (li < 0)
		return false;
	body += at;
	endlen = (size_t)snprintf(marker, sizeof(marker), "-----END %s-----",
				  pem_labels[li].label);
	limit = n - body < MAX_PEM_BODY ? n - body : MAX_PEM_BODY;
	end = memmem(buf + body, limit, marker, endlen);
	if (!end || !(der = b64_decode(buf + body, (size_t)(end - buf) - body, &dlen)))
		return false;
	memset(hit, 0, sizeof(*hit));
	ok = parse_body(pem_labels[li].form, der, dlen, hit);
	free(der);
	ERR_clear_error();
	hit->form = pem_labels[li].form;
	hit->pem = true;
	hit->offset = at;
	hit->length = (size_t)(end - buf) + endlen - at;
	hit->body_offset = body;
	hit->body_length = (size_t)(end - buf) - body;
	return ok;
}

/* --- raw DER --- */

/* The form a DER SEQUENCE at p looks like (by its first fields) and its
 * total length; -1 when it does not look like a private key. */
static int der_candidate(const unsigned char *p, size_t n, size_t *total)
{
	size_t hdr, len;
	const unsigned char *b;

	if (n < 8 || p[0] != 0x30)
		return -1;
	if (p[1] == 0x82)
		hdr = 4, len = (size_t)p[2] << 8 | p[3];
	else if (p[1] == 0x81)
		hdr = 3, len = p[2];
	else if (p[1] < 0x80)
		hdr = 2, len = p[1];
	else
		return -1;
	if (len < MIN_DER_KEY || len > n - hdr)
		return -1;
	b = p + hdr;
	*total = hdr + len;
	if (b[0] == 0x02 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x30)
		return IOTB_KEY_PKCS8;
	if (b[0] == 0x02 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x02)
		return IOTB_KEY_PKCS1;
	if (b[0] == 0x02 && b[1] == 0x01 && b[2] == 0x01 && b[3] == 0x04)
		return IOTB_KEY_SEC1;
	return -1;
}

static bool parse_der(const unsigned char *buf, size_t n, size_t at, struct iotb_key_hit *hit)
{
	size_t total;
	int form = der_candidate(buf + at, n - at, &total);
	bool ok;

	if (form < 0)
		return false;
	memset(hit, 0, sizeof(*hit));
	ok = parse_body((enum iotb_key_form)form, buf + at, total, hit);
	if (!ok && form == IOTB_KEY_PKCS1) {
		form = IOTB_KEY_DSA;
		ok = parse_body(IOTB_KEY_DSA, buf + at, total, hit);
	}
	ERR_clear_error();
	hit->form = (enum iotb_key_form)form;
	hit->offset = hit->body_offset = at;
	hit->length = hit->body_length = total;
	return ok;
}

size_t iotb_find_keys(const unsigned char *buf, size_t n, iotb_key_cb cb, void *arg)
{
	struct iotb_key_hit hit;
	const unsigned char *p;
	size_t at = 0, count = 0;

	while (at < n && (p = memmem(buf + at, n - at, PEM_BEGIN, sizeof(PEM_BEGIN) - 1))) {
		at = (size_t)(p - buf);
		if (parse_pem(buf, n, at, &hit)) {
			cb(&hit, arg), count++;
			at += hit.length;
		} else {
			at++;
		}
	}
	for (at = 0; at + 8 < n && (p = memchr(buf + at, 0x30, n - at - 8)); ) {
		at = (size_t)(p - buf);
		if (parse_der(buf, n, at, &hit)) {
			cb(&hit, arg), count++;
			at += hit.length;
		} else {
			at++;
		}
	}
	return count;
}
