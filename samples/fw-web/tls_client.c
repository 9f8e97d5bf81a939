/*
 * Cloud and update connections of the device (sample input): TLS
 * verification switched off in several spellings.  Bad lines carry
 * `expect:`; every other call is a look-alike that must not be reported.
 */
#include "include/tls_api.h"

#define NO_VERIFY SSL_VERIFY_NONE
#define INSECURE_MODE 0
#define CLOUD_VERIFY (SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT)
#define SETOPT(h, o, v) curl_easy_setopt((h), (o), (v))

enum auth_level { AUTH_OFF, AUTH_ON };

struct tls_ops {
	void (*set_verify)(SSL_CTX *, int, SSL_verify_cb);
	int (*setopt)(CURL *, CURLoption, ...);
};

static const int insecure = SSL_VERIFY_NONE;
static const int secure = SSL_VERIFY_PEER;
static const struct tls_ops ops = { .set_verify = SSL_CTX_set_verify, .setopt = curl_easy_setopt };

/* A project's own helper that happens to share a name (different arity). */
static void SSL_set_verify_depth_of(SSL *s, int depth) { (void)s; (void)depth; }

void tls_bad(SSL_CTX *ctx, SSL *ssl, WOLFSSL_CTX *wctx, mbedtls_ssl_config *conf, CURL *h)
{
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);           /* expect: tls.verify-disabled */
	SSL_set_verify(ssl, 0, NULL);                               /* expect: tls.verify-disabled */
	SSL_CTX_set_verify(ctx, NO_VERIFY, NULL);                   /* expect: tls.verify-disabled */
	SSL_CTX_set_verify(ctx, insecure, NULL);                    /* expect: tls.verify-disabled */
	wolfSSL_CTX_set_verify(wctx, WOLFSSL_VERIFY_NONE, NULL);    /* expect: tls.verify-disabled */
	mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_NONE);   /* expect: tls.verify-disabled */
	mbedtls_ssl_conf_authmode(conf, INSECURE_MODE);             /* expect: tls.verify-disabled */
	mbedtls_ssl_conf_authmode(conf, AUTH_OFF);                  /* expect: tls.verify-disabled */
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);            /* expect: tls.verify-disabled */
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0);             /* expect: tls.verify-disabled */
	SETOPT(h, CURLOPT_SSL_VERIFYPEER, 0L);                      /* expect: tls.verify-disabled */
	ops.set_verify(ctx, SSL_VERIFY_NONE, NULL);                 /* expect: tls.verify-disabled */
	ops.setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);                  /* expect: tls.verify-disabled */
}

void tls_good(SSL_CTX *ctx, SSL *ssl, WOLFSSL_CTX *wctx, mbedtls_ssl_config *conf, CURL *h,
	      int runtime_mode)
{
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	SSL_CTX_set_verify(ctx, CLOUD_VERIFY, NULL);
	SSL_set_verify(ssl, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	SSL_CTX_set_verify(ctx, secure, NULL);
	SSL_CTX_set_verify(ctx, runtime_mode, NULL);
	wolfSSL_CTX_set_verify(wctx, WOLFSSL_VERIFY_PEER, NULL);
	mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_REQUIRED);
	mbedtls_ssl_conf_authmode(conf, AUTH_ON + 1);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 0L);
	SETOPT(h, CURLOPT_SSL_VERIFYPEER, 1L);
	ops.set_verify(ctx, SSL_VERIFY_PEER, NULL);
	ops.setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	SSL_set_verify_depth_of(ssl, 0);
	SSL_CTX_load_verify_locations(ctx, "/etc/ssl/ca.pem", NULL);
}
