/*
 * Serial console and Wi-Fi set-up of the device (sample input): scanf
 * conversions and bounded copies whose bound is wrong.  Bad lines carry
 * `expect:`; every other call is a look-alike that must not be reported.
 */
#include <stdio.h>
#include <string.h>

#define SSID_MAX 32
#define CMD_FMT "%s %s"
#define SAFE_CMD_FMT "%15s %63s"
#define READ_WORD(b) scanf("%" "s", (b))
#define COPY_SSID(d, s) strncpy((d), (s), 33)

struct wifi_cfg {
	char ssid[SSID_MAX];
	char psk[64];
	unsigned char bssid[6];
};

struct scan_ops {
	int (*scan)(const char *, const char *, ...);
	char *(*ncopy)(char *, const char *, size_t);
};

static const struct scan_ops ops = { sscanf, strncpy };

/* --- scanf family ---------------------------------------------------------------- */

void console_read_command(void)
{
	char verb[16], arg[64];

	scanf("%s %s", verb, arg);   /* expect: strings.scanf-unbounded */
	scanf("%15s %63s", verb, arg);
	scanf(CMD_FMT, verb, arg);   /* expect: strings.scanf-unbounded */
	scanf(SAFE_CMD_FMT, verb, arg);
}

void console_read_word(void)
{
	char word[32];

	READ_WORD(word);   /* expect: strings.scanf-unbounded */
	scanf("%31s", word);
}

void parse_config_line(FILE *fp, struct wifi_cfg *c)
{
	int channel;

	fscanf(fp, "ssid=%[^\n]", c->ssid);   /* expect: strings.scanf-unbounded */
	fscanf(fp, "ssid=%31[^\n]", c->ssid);
	fscanf(fp, "channel=%d", &channel);
	fscanf(fp, "%*s %d", &channel);
}

void parse_request(const char *line, struct wifi_cfg *c)
{
	char method[8];
	char *owned = NULL;

	sscanf(line, "%" "s" " %s", method, c->psk);   /* expect: strings.scanf-unbounded */
	sscanf(line, "%7s %63s", method, c->psk);
	sscanf(line, "%ms", &owned);
	sscanf(line, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &c->bssid[0], &c->bssid[1], &c->bssid[2],
	       &c->bssid[3], &c->bssid[4], &c->bssid[5]);
	ops.scan(line, "%s", method);   /* expect: strings.scanf-unbounded */
	ops.scan(line, "%7s", method);
	sscanf(line, "100%%s");
}

/* --- bounded copies with the wrong bound ---------------------------------------- */

void set_ssid(struct wifi_cfg *c, const char *value)
{
	strncpy(c->ssid, "hello", sizeof c->ssid);
	strncpy(c->ssid, value, sizeof c->ssid - 1);
	strncpy(c->ssid, value, 64);   /* expect: strings.bounded-overflow */
	COPY_SSID(c->ssid, value);   /* expect: strings.bounded-overflow */
	strncpy(c->ssid, value, SSID_MAX);
}

void set_psk(struct wifi_cfg *c, const char *value)
{
	ops.ncopy(c->psk, value, 128);   /* expect: strings.bounded-overflow */
	ops.ncopy(c->psk, value, sizeof c->psk);
}

void append_suffix(struct wifi_cfg *c, const char *suffix)
{
	char name[SSID_MAX] = "dev-";

	strncat(name, suffix, sizeof name);   /* expect: strings.bounded-overflow */
	strncat(name, suffix, sizeof name - strlen(name) - 1);
	strncat(name, suffix, 8);
	strncat(c->ssid, suffix, SSID_MAX);   /* expect: strings.bounded-overflow */
}

void copy_bssid(struct wifi_cfg *c, const unsigned char *mac)
{
	unsigned char tmp[6];

	memcpy(c->bssid, mac, 8);   /* expect: strings.bounded-overflow */
	memcpy(c->bssid, mac, sizeof c->bssid);
	memmove(tmp, mac, sizeof(struct wifi_cfg));   /* expect: strings.bounded-overflow */
	memmove(tmp, mac, sizeof tmp);
	memset(c->psk, 0, sizeof *c);   /* expect: strings.bounded-overflow */
	memset(c->psk, 0, sizeof c->psk);
}

struct tlv {
	unsigned short code, len;
	unsigned char data[1];   /* flexible: sized by the allocation */
};

void fill_tlv(struct tlv *t, const unsigned char *addr)
{
	memcpy(t->data, addr, 16);
}

void copy_header(unsigned *words, const unsigned *src)
{
	unsigned local[4];

	memcpy(local, src, 4 * sizeof(unsigned));
	memcpy(local, src, 20);   /* expect: strings.bounded-overflow */
	memcpy(words, src, 64);
}
