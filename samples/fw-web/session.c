/*
 * Web session and pairing code of the device (sample input): where the
 * random numbers of the admin interface come from.  Bad lines carry
 * `expect:`; randomised delays, retry back-off and CSPRNG-backed secrets
 * are look-alikes that must not be reported.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "include/crypto_api.h"

#define SESSION_LEN 16
#define RND() rand()
#define RANDOM_BYTE() (rand() & 0xff)

struct session {
	char user[32];
	unsigned session_id;
	unsigned char csrf_token[16];
	int ttl;
};

struct rng_ops {
	int (*next)(void);
};

static int csprng_int(void)
{
	int v;

	RAND_bytes((unsigned char *)&v, sizeof v);
	return v;
}

static const struct rng_ops weak_rng = { rand };
static const struct rng_ops strong_rng = { .next = csprng_int };

void session_seed(void)
{
	srand((unsigned)time(NULL));
}

void session_open(struct session *s, const char *user)
{
	snprintf(s->user, sizeof s->user, "%s", user);
	s->session_id = (unsigned)rand();   /* expect: random.predictable */
	s->ttl = 600 + rand() % 60;
}

void session_open_safe(struct session *s)
{
	RAND_bytes((unsigned char *)&s->session_id, sizeof s->session_id);
	s->ttl = 600 + rand() % 60;
}

void make_csrf(struct session *s)
{
	for (int i = 0; i < 16; i++)
		s->csrf_token[i] = RANDOM_BYTE();   /* expect: random.predictable */
}

void make_csrf_safe(struct session *s)
{
	RAND_bytes(s->csrf_token, sizeof s->csrf_token);
}

unsigned new_token(void)
{
	return (unsigned)random() ^ (unsigned)time(NULL);   /* expect: random.predictable */
}

unsigned new_request_number(void)
{
	return (unsigned)random();
}

void cookie_value(char *out, size_t cap)
{
	long r = lrand48();
	char sid[24];

	snprintf(sid, sizeof sid, "%08" "lx", r);   /* expect: random.predictable */
	snprintf(out, cap, "SID=%s", sid);
}

void cookie_value_safe(char *out, size_t cap)
{
	unsigned char raw[8];
	char sid[24];

	RAND_bytes(raw, sizeof raw);
	snprintf(sid, sizeof sid, "%02x%02x%02x%02x", raw[0], raw[1], raw[2], raw[3]);
	snprintf(out, cap, "SID=%s", sid);
}

void pairing_pin(char *out, size_t cap)
{
	int pin_code = RND() % 1000000;   /* expect: random.predictable */

	snprintf(out, cap, "%06d", pin_code);
}

void pairing_pin_safe(char *out, size_t cap)
{
	int pin = csprng_int() % 1000000;

	snprintf(out, cap, "%06d", pin < 0 ? -pin : pin);
}

void wrap_config(EVP_CIPHER_CTX *ctx)
{
	unsigned char aes_key[32], iv[16];

	for (size_t i = 0; i < sizeof aes_key; i++)
		aes_key[i] = (unsigned char)rand();   /* expect: random.predictable */
	RAND_bytes(iv, sizeof iv);
	EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, aes_key, iv);   /* expect: random.predictable */
}

void wrap_config_iv(EVP_CIPHER_CTX *ctx, const unsigned char *k)
{
	unsigned char buf[16];

	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (unsigned char)random();
	EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, k, buf);   /* expect: random.predictable */
}

void wrap_config_safe(EVP_CIPHER_CTX *ctx)
{
	unsigned char aes_key[32], iv[16];

	RAND_bytes(aes_key, sizeof aes_key);
	RAND_bytes(iv, sizeof iv);
	EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, aes_key, iv);
}

void nonce_from_pointer(unsigned char *nonce, size_t n)
{
	for (size_t i = 0; i < n; i++)
		nonce[i] = (unsigned char)weak_rng.next();   /* expect: random.predictable */
}

void nonce_from_strong_pointer(unsigned char *nonce, size_t n)
{
	for (size_t i = 0; i < n; i++)
		nonce[i] = (unsigned char)strong_rng.next();
}

void salt_for(struct session *s, unsigned char salt[8])
{
	int r = rand();

	memcpy(salt, &r, sizeof r);   /* expect: random.predictable */
	(void)s;
}

/* --- randomised delays: not findings ---------------------------------------- */

void retry_connect(int (*connect_once)(void))
{
	int backoff = 100;

	for (int attempt = 0; attempt < 5; attempt++) {
		if (connect_once() == 0)
			return;
		int jitter = rand() % 50;

		usleep((unsigned)(backoff + jitter) * 1000);
		backoff *= 2;
	}
}

void poll_interval(void)
{
	unsigned delay_ms = 1000 + (unsigned)(random() % 250);

	usleep(delay_ms * 1000);
}

int pick_server(int n)
{
	return rand() % n;
}

void shuffle_leds(int *order, int n)
{
	for (int i = n - 1; i > 0; i--) {
		int j = rand() % (i + 1), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
}

void keyboard_repeat(int *keyboard_rate)
{
	*keyboard_rate = 20 + rand() % 5;
}

void blink_random_led(void (*gpio_toggle)(int))
{
	int pin = rand() % 8;

	gpio_toggle(pin);
}

int retry_token_bucket_wait(void)
{
	int retry_delay = rand() % 100;

	return retry_delay;
}
