/*
 * Device TLS identity compiled into the image (sample input; keys generated
 * at test time from @@IOTB_PEM…@@ templates, never committed).  Bad lines
 * carry `expect:`; the certificate, PEM headers and broken bodies must not.
 */
static const char device_key_pem[] = "@@IOTB_PEM:ec-sec1@@";            /* expect: secrets.private-key */
static const char device_cert_pem[] = "@@IOTB_PEM:cert@@";
#include <stddef.h>
#include <string.h>

#include "include/tls_api.h"

#define EC_KEY_HEADER "-----BEGIN EC PRIVATE KEY-----"

static const char *const ota_signing_key = "@@IOTB_PEM:rsa-pkcs1@@";    /* expect: secrets.private-key */
static const char cloud_key_pkcs8[] = "@@IOTB_PEM:rsa-pkcs8@@";         /* expect: secrets.private-key */
static const char ssh_host_key[] = "@@IOTB_PEM:openssh@@";              /* expect: secrets.private-key */
static const char admin_key[] = "@@IOTB_PEM:ed25519-pkcs8@@";           /* expect: secrets.private-key */
static const char broken_key_pem[] =
	"-----BEGIN RSA PRIVATE KEY-----\n"
	"MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n"
	"-----END RSA PRIVATE KEY-----\n";
static const char garbage_key_pem[] =
	"-----BEGIN PRIVATE KEY-----\nnot base64 at all!\n-----END PRIVATE KEY-----\n";

const char *tls_device_key(void)
{
	return device_key_pem;
}

const char *tls_device_cert(void)
{
	return device_cert_pem;
}

int tls_load_openssl(SSL_CTX *ctx)
{
	BIO *key = BIO_new_mem_buf(cloud_key_pkcs8, -1);                    /* expect: secrets.hardcoded-key */
	BIO *cert = BIO_new_mem_buf(device_cert_pem, -1);
	BIO *broken = BIO_new_mem_buf(broken_key_pem, -1);

	(void)cert;
	(void)broken;
	SSL_CTX_use_PrivateKey_ASN1(EVP_PKEY_EC, ctx, (const unsigned char *)admin_key,  /* expect: secrets.hardcoded-key */
				    (long)sizeof admin_key);
	SSL_CTX_use_PrivateKey_ASN1(EVP_PKEY_EC, ctx, (const unsigned char *)garbage_key_pem,
				    (long)sizeof garbage_key_pem);
	return SSL_CTX_use_PrivateKey(ctx, PEM_read_bio_PrivateKey(key, NULL, NULL, NULL));
}

int tls_load(mbedtls_pk_context *pk, const char *line)
{
	if (!strcmp(line, "-----BEGIN EC PRIVATE KEY-----") || !strcmp(line, EC_KEY_HEADER))
		return 1;
	mbedtls_pk_parse_key(pk, (const unsigned char *)device_key_pem,       /* expect: secrets.hardcoded-key */
			     sizeof device_key_pem, NULL, 0);
	mbedtls_pk_parse_key(pk, (const unsigned char *)broken_key_pem, sizeof broken_key_pem,
			     NULL, 0);
	mbedtls_pk_parse_key(pk, (const unsigned char *)line, strlen(line) + 1, NULL, 0);
	return ota_signing_key[0] + cloud_key_pkcs8[0] + ssh_host_key[0] + admin_key[0] +
	       garbage_key_pem[0];
}
