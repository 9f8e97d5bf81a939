/*
 * Crypto helpers of the device (sample input): configuration encryption,
 * firmware signatures, the admin password store and the web cache.  Bad
 * lines carry `expect:`; every other call is a look-alike that must not be
 * reported (strong ciphers, 2048-bit keys, MD5 as a cache key).
 */
#include <stdio.h>
#include <string.h>

#include "include/crypto_api.h"

#define LEGACY_CIPHER() EVP_des_ede3_cbc()
#define MODERN_CIPHER() EVP_aes_256_gcm()
#define RSA_BITS_OLD 1024
#define RSA_BITS 2048
#define KEY_BITS(n) ((n) * 8)
#define HASH_PW(p, out) MD5((const unsigned char *)(p), strlen(p), (out))

struct cipher_ops {
	const EVP_CIPHER *(*get)(void);
	int keylen;
};

struct cipher_profile {
	const char *name;
	mbedtls_cipher_type_t type;
};

struct user {
	char name[32];
	char password[64];
	unsigned char stored_md5[16];
};

static const struct cipher_ops legacy_ops = { EVP_rc4, 16 };
static const struct cipher_ops modern_ops = { .get = EVP_chacha20_poly1305, .keylen = 32 };

static const struct cipher_profile profiles[] = {
	{ "legacy", MBEDTLS_CIPHER_DES_EDE3_CBC },   /* expect: crypto.weak-cipher */
	{ "fast", MBEDTLS_CIPHER_AES_128_ECB },      /* expect: crypto.weak-cipher */
	{ "default", MBEDTLS_CIPHER_AES_128_GCM },
	{ "mobile", MBEDTLS_CIPHER_CHACHA20_POLY1305 },
};

/* --- configuration encryption ----------------------------------------------- */

int encrypt_config_legacy(EVP_CIPHER_CTX *ctx, const unsigned char *key, const unsigned char *iv)
{
	return EVP_EncryptInit_ex(ctx, EVP_des_cbc(), NULL, key, iv);   /* expect: crypto.weak-cipher */
}

int encrypt_config_macro(EVP_CIPHER_CTX *ctx, const unsigned char *key, const unsigned char *iv)
{
	return EVP_EncryptInit_ex(ctx, LEGACY_CIPHER(), NULL, key, iv);   /* expect: crypto.weak-cipher */
}

int encrypt_config(EVP_CIPHER_CTX *ctx, const unsigned char *key, const unsigned char *iv)
{
	return EVP_EncryptInit_ex(ctx, MODERN_CIPHER(), NULL, key, iv);
}

int encrypt_block_ecb(EVP_CIPHER_CTX *ctx, const unsigned char *key)
{
	return EVP_EncryptInit_ex(ctx, EVP_aes_128_ecb(), NULL, key, NULL);   /* expect: crypto.weak-cipher */
}

int encrypt_block_cbc(EVP_CIPHER_CTX *ctx, const unsigned char *key, const unsigned char *iv)
{
	return EVP_EncryptInit_ex(ctx, EVP_aes_128_cbc(), NULL, key, iv);
}

int encrypt_with_ops(EVP_CIPHER_CTX *ctx, const unsigned char *key, int modern)
{
	const struct cipher_ops *ops = modern ? &modern_ops : &legacy_ops;

	return EVP_EncryptInit_ex(ctx, ops->get(), NULL, key, NULL);
}

int encrypt_with_rc4_ops(EVP_CIPHER_CTX *ctx, const unsigned char *key)
{
	return EVP_EncryptInit_ex(ctx, legacy_ops.get(), NULL, key, NULL);   /* expect: crypto.weak-cipher */
}

int encrypt_with_modern_ops(EVP_CIPHER_CTX *ctx, const unsigned char *key)
{
	return EVP_EncryptInit_ex(ctx, modern_ops.get(), NULL, key, NULL);
}

const EVP_CIPHER *cipher_by_name(int legacy)
{
	if (legacy)
		return EVP_get_cipherbyname("des" "-ede3-cbc");   /* expect: crypto.weak-cipher */
	return EVP_get_cipherbyname("aes-256" "-gcm");
}

const EVP_CIPHER *cipher_by_mode(void)
{
	return EVP_get_cipherbyname("aes-128-ecb");   /* expect: crypto.weak-cipher */
}

const EVP_CIPHER *cipher_desc(void)
{
	return EVP_get_cipherbyname("description");   /* a name starting with "des", not DES */
}

void obfuscate_nvram(mbedtls_arc4_context *arc4, const unsigned char *key, unsigned char *buf,
                     size_t n)
{
	mbedtls_arc4_setup(arc4, key, 16);   /* expect: crypto.weak-cipher */
	mbedtls_arc4_crypt(arc4, n, buf, buf);   /* expect: crypto.weak-cipher */
}

int wrap_key_des(Des *des, const uint8_t *key, const uint8_t *iv, uint8_t *out, const uint8_t *in)
{
	wc_Des_SetKey(des, key, iv, 0);   /* expect: crypto.weak-cipher */
	return wc_Des_CbcEncrypt(des, out, in, 16);   /* expect: crypto.weak-cipher */
}

int wrap_key_aes(void *aes, const uint8_t *key, const uint8_t *iv)
{
	return wc_AesSetKey(aes, key, 32, iv, 0);
}

const mbedtls_cipher_info_t *profile_cipher(int i)
{
	mbedtls_cipher_type_t t = MBEDTLS_CIPHER_AES_128_GCM;

	if (i == 7)
		t = MBEDTLS_CIPHER_ARC4_128;   /* expect: crypto.weak-cipher */
	if (i < 4)
		t = profiles[i].type;
	return mbedtls_cipher_info_from_type(t);
}

const mbedtls_cipher_info_t *default_cipher(void)
{
	return mbedtls_cipher_info_from_type(MBEDTLS_CIPHER_AES_128_CBC);
}

/* --- device keys ------------------------------------------------------------------ */

int make_device_key(RSA *rsa, BIGNUM *e)
{
	return RSA_generate_key_ex(rsa, RSA_BITS_OLD, e, NULL);   /* expect: crypto.short-rsa-key */
}

int make_device_key_2048(RSA *rsa, BIGNUM *e)
{
	return RSA_generate_key_ex(rsa, RSA_BITS, e, NULL);
}

int make_device_key_evp(EVP_PKEY_CTX *ctx)
{
	return EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, KEY_BITS(64));   /* expect: crypto.short-rsa-key */
}

int make_device_key_evp_3072(EVP_PKEY_CTX *ctx)
{
	return EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, KEY_BITS(384));
}

int make_device_key_evp_var(EVP_PKEY_CTX *ctx, int bits)
{
	return EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, bits);   /* not a constant: not judged */
}

int make_tls_key(mbedtls_rsa_context *rsa, int (*rng)(void *, unsigned char *, size_t), void *p)
{
	return mbedtls_rsa_gen_key(rsa, rng, p, 512, 65537);   /* expect: crypto.short-rsa-key */
}

int make_tls_key_4096(mbedtls_rsa_context *rsa, int (*rng)(void *, unsigned char *, size_t),
                      void *p)
{
	return mbedtls_rsa_gen_key(rsa, rng, p, 4096, 65537);
}

int make_cloud_key(RsaKey *key, WC_RNG *rng)
{
	return wc_MakeRsaKey(key, 1536, 65537, rng);   /* expect: crypto.short-rsa-key */
}

/* --- passwords and signatures -------------------------------------------------------- */

int store_password(struct user *u, const char *password)
{
	return MD5((const unsigned char *)password, strlen(password), u->stored_md5) != NULL;   /* expect: crypto.weak-hash */
}

int store_password_macro(struct user *u, const char *new_pwd)
{
	return HASH_PW(new_pwd, u->stored_md5) != NULL;   /* expect: crypto.weak-hash */
}

int check_login(const struct user *u, const char *given)
{
	unsigned char digest[16];

	MD5((const unsigned char *)given, strlen(given), digest);
	return memcmp(digest, u->stored_md5, sizeof digest) == 0;   /* expect: crypto.weak-hash */
}

int check_login_sha1(const unsigned char *stored, const char *attempt)
{
	unsigned char out[20];

	mbedtls_sha1((const unsigned char *)attempt, strlen(attempt), out);
	return CRYPTO_memcmp(out, stored, 20) == 0;   /* expect: crypto.weak-hash */
}

int check_login_sha256(const unsigned char *stored, const char *password)
{
	unsigned char out[32];

	mbedtls_sha256((const unsigned char *)password, strlen(password), out, 0);
	return CRYPTO_memcmp(out, stored, 32) == 0;
}

int hash_user_pin(const struct user *u, uint8_t *hash)
{
	return wc_ShaHash((const uint8_t *)u->password, 64, hash);   /* expect: crypto.weak-hash */
}

int sign_image(const unsigned char *image, size_t n, unsigned char *sig, unsigned *siglen, RSA *rsa)
{
	unsigned char md[SHA_DIGEST_LENGTH];

	SHA1(image, n, md);
	return RSA_sign(NID_sha1, md, sizeof md, sig, siglen, rsa);   /* expect: crypto.weak-hash */
}

int sign_image_sha256(const unsigned char *image, size_t n, unsigned char *sig, unsigned *siglen,
                      RSA *rsa)
{
	unsigned char md[SHA256_DIGEST_LENGTH];

	SHA256(image, n, md);
	return RSA_sign(NID_sha256, md, sizeof md, sig, siglen, rsa);
}

int verify_manifest(EVP_MD_CTX *ctx, EVP_PKEY *pkey)
{
	return EVP_DigestVerifyInit(ctx, NULL, EVP_sha1(), NULL, pkey);   /* expect: crypto.weak-hash */
}

int verify_manifest_sha256(EVP_MD_CTX *ctx, EVP_PKEY *pkey)
{
	return EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, pkey);
}

int verify_update(mbedtls_pk_context *pk, const unsigned char *sig, size_t n)
{
	return mbedtls_pk_verify(pk, MBEDTLS_MD_MD5, (const unsigned char *)"", 16, sig, n);   /* expect: crypto.weak-hash */
}

int verify_update_sha256(mbedtls_pk_context *pk, const unsigned char *hash, const unsigned char *sig,
                         size_t n)
{
	return mbedtls_pk_verify(pk, MBEDTLS_MD_SHA256, hash, 32, sig, n);
}

/* --- MD5 as a cache key or checksum: not a security use ----------------------------------- */

void cache_path(const char *url, char *path, size_t cap)
{
	unsigned char key[MD5_DIGEST_LENGTH];

	MD5((const unsigned char *)url, strlen(url), key);
	snprintf(path, cap, "/tmp/cache/%02x%02x%02x%02x", key[0], key[1], key[2], key[3]);
}

unsigned etag_of(const unsigned char *body, size_t n)
{
	unsigned char sum[16];

	wc_Md5Hash(body, (uint32_t)n, sum);
	return (unsigned)sum[0] << 8 | sum[1];
}

void log_checksum(const unsigned char *blob, size_t n)
{
	unsigned char md[16];
	MD5_CTX c;

	MD5_Init(&c);
	MD5_Update(&c, blob, n);
	MD5_Final(md, &c);
	printf("md5 %02x%02x\n", md[0], md[1]);
}

int hash_password_field_name(const char *password_hint, unsigned char out[32])
{
	return mbedtls_sha256((const unsigned char *)password_hint, strlen(password_hint), out, 0);
}

int compare_names(const struct user *a, const char *b)
{
	return strcmp(a->name, b);
}
