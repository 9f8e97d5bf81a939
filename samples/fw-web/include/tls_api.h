/*
 * The parts of OpenSSL, wolfSSL, mbedTLS and libcurl the TLS samples call
 * (sample header): declarations and constants as those libraries have
 * them, so the samples parse without the libraries installed.
 */
#ifndef SAMPLE_TLS_API_H
#define SAMPLE_TLS_API_H

#include <stddef.h>

typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_st SSL;
typedef struct x509_store_ctx_st X509_STORE_CTX;
typedef int (*SSL_verify_cb)(int preverify_ok, X509_STORE_CTX *x509_ctx);

#define SSL_VERIFY_NONE 0x00
#define SSL_VERIFY_PEER 0x01
#define SSL_VERIFY_FAIL_IF_NO_PEER_CERT 0x02

typedef struct bio_st BIO;
typedef struct evp_pkey_st EVP_PKEY;
BIO *BIO_new_mem_buf(const void *buf, int len);
EVP_PKEY *PEM_read_bio_PrivateKey(BIO *bp, EVP_PKEY **x, void *cb, void *u);
int SSL_CTX_use_PrivateKey(SSL_CTX *ctx, EVP_PKEY *pkey);
int SSL_CTX_use_PrivateKey_ASN1(int pk, SSL_CTX *ctx, const unsigned char *d, long len);
#define EVP_PKEY_EC 408

void SSL_CTX_set_verify(SSL_CTX *ctx, int mode, SSL_verify_cb callback);
void SSL_set_verify(SSL *s, int mode, SSL_verify_cb callback);
int SSL_CTX_load_verify_locations(SSL_CTX *ctx, const char *CAfile, const char *CApath);

typedef struct WOLFSSL_CTX WOLFSSL_CTX;
enum { WOLFSSL_VERIFY_NONE = 0, WOLFSSL_VERIFY_PEER = 1 };
void wolfSSL_CTX_set_verify(WOLFSSL_CTX *ctx, int mode, void *verify_callback);

typedef struct mbedtls_ssl_config mbedtls_ssl_config;
#define MBEDTLS_SSL_VERIFY_NONE 0
#define MBEDTLS_SSL_VERIFY_OPTIONAL 1
#define MBEDTLS_SSL_VERIFY_REQUIRED 2
void mbedtls_ssl_conf_authmode(mbedtls_ssl_config *conf, int authmode);
typedef struct mbedtls_pk_context { void *pk_ctx; } mbedtls_pk_context;
int mbedtls_pk_parse_key(mbedtls_pk_context *ctx, const unsigned char *key, size_t keylen,
			 const unsigned char *pwd, size_t pwdlen);
int mbedtls_ssl_conf_psk(mbedtls_ssl_config *conf, const unsigned char *psk, size_t psk_len,
			 const unsigned char *psk_identity, size_t psk_identity_len);

typedef void CURL;
typedef enum {
	CURLOPT_URL = 10002,
	CURLOPT_SSL_VERIFYPEER = 64,
	CURLOPT_SSL_VERIFYHOST = 81,
	CURLOPT_TIMEOUT = 13,
	CURLOPT_USERPWD = 10005,
	CURLOPT_PASSWORD = 10174,
	CURLOPT_USERNAME = 10173,
} CURLoption;
int curl_easy_setopt(CURL *curl, CURLoption option, ...);

#endif
