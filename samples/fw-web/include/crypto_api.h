/*
 * crypto_api.h — the parts of OpenSSL, mbedTLS and wolfSSL the crypto
 * samples call, declared as those libraries declare them (sample input;
 * the real headers are not installed everywhere the samples run).
 */
#ifndef SAMPLE_CRYPTO_API_H
#define SAMPLE_CRYPTO_API_H

#include <stddef.h>
#include <stdint.h>

/* OpenSSL */
typedef struct evp_cipher_st EVP_CIPHER;
typedef struct evp_cipher_ctx_st EVP_CIPHER_CTX;
typedef struct evp_md_st EVP_MD;
typedef struct evp_md_ctx_st EVP_MD_CTX;
typedef struct evp_pkey_st EVP_PKEY;
typedef struct evp_pkey_ctx_st EVP_PKEY_CTX;
typedef struct engine_st ENGINE;
typedef struct rsa_st RSA;
typedef struct bignum_st BIGNUM;
typedef struct bn_gencb_st BN_GENCB;
typedef struct aes_key_st { uint32_t rd_key[60]; int rounds; } AES_KEY;
typedef struct MD5state_st { uint32_t A, B, C, D, Nl, Nh, data[16]; unsigned num; } MD5_CTX;
typedef struct SHAstate_st { uint32_t h[5], Nl, Nh, data[16]; unsigned num; } SHA_CTX;

#define NID_md5 4
#define NID_sha1 64
#define NID_sha256 672
#define MD5_DIGEST_LENGTH 16
#define SHA_DIGEST_LENGTH 20
#define SHA256_DIGEST_LENGTH 32

const EVP_CIPHER *EVP_des_cbc(void);
const EVP_CIPHER *EVP_des_ede3_cbc(void);
const EVP_CIPHER *EVP_rc4(void);
const EVP_CIPHER *EVP_aes_128_ecb(void);
const EVP_CIPHER *EVP_aes_256_ecb(void);
const EVP_CIPHER *EVP_aes_128_cbc(void);
const EVP_CIPHER *EVP_aes_256_gcm(void);
const EVP_CIPHER *EVP_chacha20_poly1305(void);
const EVP_CIPHER *EVP_get_cipherbyname(const char *name);
const EVP_MD *EVP_md5(void);
const EVP_MD *EVP_sha1(void);
const EVP_MD *EVP_sha256(void);
int EVP_EncryptInit_ex(EVP_CIPHER_CTX *ctx, const EVP_CIPHER *type, ENGINE *impl,
                       const unsigned char *key, const unsigned char *iv);
int EVP_DigestInit_ex(EVP_MD_CTX *ctx, const EVP_MD *type, ENGINE *impl);
int EVP_DigestSignInit(EVP_MD_CTX *ctx, EVP_PKEY_CTX **pctx, const EVP_MD *type, ENGINE *e,
                       EVP_PKEY *pkey);
int EVP_DigestVerifyInit(EVP_MD_CTX *ctx, EVP_PKEY_CTX **pctx, const EVP_MD *type,
                         ENGINE *e, EVP_PKEY *pkey);
int EVP_PKEY_CTX_set_rsa_keygen_bits(EVP_PKEY_CTX *ctx, int mbits);
int RSA_generate_key_ex(RSA *rsa, int bits, BIGNUM *e, BN_GENCB *cb);
int RSA_sign(int type, const unsigned char *m, unsigned int m_length, unsigned char *sigret,
             unsigned int *siglen, RSA *rsa);
int RSA_verify(int type, const unsigned char *m, unsigned int m_length,
               const unsigned char *sigbuf, unsigned int siglen, RSA *rsa);
unsigned char *MD5(const unsigned char *d, size_t n, unsigned char *md);
int MD5_Init(MD5_CTX *c);
int MD5_Update(MD5_CTX *c, const void *data, size_t len);
int MD5_Final(unsigned char *md, MD5_CTX *c);
unsigned char *SHA1(const unsigned char *d, size_t n, unsigned char *md);
unsigned char *SHA256(const unsigned char *d, size_t n, unsigned char *md);
int AES_set_encrypt_key(const unsigned char *userKey, const int bits, AES_KEY *key);
int CRYPTO_memcmp(const void *a, const void *b, size_t len);
int RAND_bytes(unsigned char *buf, int num);
unsigned char *HMAC(const EVP_MD *evp_md, const void *key, int key_len,
                    const unsigned char *d, size_t n, unsigned char *md, unsigned int *md_len);

/* mbedTLS */
typedef enum {
	MBEDTLS_CIPHER_NONE = 0,
	MBEDTLS_CIPHER_AES_128_ECB = 2,
	MBEDTLS_CIPHER_AES_256_ECB = 4,
	MBEDTLS_CIPHER_AES_128_CBC = 5,
	MBEDTLS_CIPHER_AES_128_GCM = 29,
	MBEDTLS_CIPHER_DES_CBC = 34,
	MBEDTLS_CIPHER_DES_EDE3_CBC = 38,
	MBEDTLS_CIPHER_ARC4_128 = 42,
	MBEDTLS_CIPHER_CHACHA20_POLY1305 = 73,
} mbedtls_cipher_type_t;
typedef enum { MBEDTLS_MD_NONE = 0, MBEDTLS_MD_MD5, MBEDTLS_MD_SHA1, MBEDTLS_MD_SHA224,
	       MBEDTLS_MD_SHA256 } mbedtls_md_type_t;
typedef struct { uint32_t sk[32]; } mbedtls_des_context;
typedef struct { int x, y; unsigned char m[256]; } mbedtls_arc4_context;
typedef struct { int nr; uint32_t buf[68]; } mbedtls_aes_context;
typedef struct { int ver; size_t len; } mbedtls_rsa_context;
typedef struct { int type; } mbedtls_pk_context;
typedef struct { const void *info; } mbedtls_cipher_info_t;

int mbedtls_des_setkey_enc(mbedtls_des_context *ctx, const unsigned char key[8]);
int mbedtls_des_crypt_cbc(mbedtls_des_context *ctx, int mode, size_t length,
                          unsigned char iv[8], const unsigned char *input, unsigned char *output);
void mbedtls_arc4_setup(mbedtls_arc4_context *ctx, const unsigned char *key, unsigned int keylen);
int mbedtls_arc4_crypt(mbedtls_arc4_context *ctx, size_t length, const unsigned char *input,
                       unsigned char *output);
int mbedtls_aes_setkey_enc(mbedtls_aes_context *ctx, const unsigned char *key, unsigned int keybits);
int mbedtls_aes_crypt_cbc(mbedtls_aes_context *ctx, int mode, size_t length, unsigned char iv[16],
                          const unsigned char *input, unsigned char *output);
const mbedtls_cipher_info_t *mbedtls_cipher_info_from_type(const mbedtls_cipher_type_t cipher_type);
int mbedtls_rsa_gen_key(mbedtls_rsa_context *ctx, int (*f_rng)(void *, unsigned char *, size_t),
                        void *p_rng, unsigned int nbits, int exponent);
int mbedtls_md5(const unsigned char *input, size_t ilen, unsigned char output[16]);
int mbedtls_sha1(const unsigned char *input, size_t ilen, unsigned char output[20]);
int mbedtls_sha256(const unsigned char *input, size_t ilen, unsigned char output[32], int is224);
int mbedtls_pk_sign(mbedtls_pk_context *ctx, mbedtls_md_type_t md_alg, const unsigned char *hash,
                    size_t hash_len, unsigned char *sig, size_t sig_size, size_t *sig_len,
                    int (*f_rng)(void *, unsigned char *, size_t), void *p_rng);
int mbedtls_pk_verify(mbedtls_pk_context *ctx, mbedtls_md_type_t md_alg,
                      const unsigned char *hash, size_t hash_len, const unsigned char *sig,
                      size_t sig_len);

/* wolfSSL */
typedef struct { uint32_t key[32]; uint32_t reg[2]; } Des;
typedef struct { uint8_t x, y, state[256]; } Arc4;
typedef struct { uint32_t buffLen, loLen, hiLen, buffer[16], digest[4]; } wc_Md5;
typedef struct { int type; } RsaKey;
typedef struct { int seed; } WC_RNG;
int wc_Des_SetKey(Des *des, const uint8_t *key, const uint8_t *iv, int dir);
int wc_Des_CbcEncrypt(Des *des, uint8_t *out, const uint8_t *in, uint32_t sz);
int wc_Arc4SetKey(Arc4 *arc4, const uint8_t *key, uint32_t length);
int wc_Arc4Process(Arc4 *arc4, uint8_t *out, const uint8_t *in, uint32_t length);
int wc_Md5Hash(const uint8_t *data, uint32_t len, uint8_t *hash);
int wc_ShaHash(const uint8_t *data, uint32_t len, uint8_t *hash);
int wc_Sha256Hash(const uint8_t *data, uint32_t len, uint8_t *hash);
int wc_MakeRsaKey(RsaKey *key, int size, long e, WC_RNG *rng);
int wc_RsaSSL_Verify(const uint8_t *in, uint32_t inLen, uint8_t *out, uint32_t outLen,
                     RsaKey *key);
int wc_AesSetKey(void *aes, const uint8_t *key, uint32_t len, const uint8_t *iv, int dir);

#endif
