/*
 * Wi-Fi bring-up and LoRaWAN join of the device (sample input): network
 * passwords and keys compiled in.  Bad lines carry `expect:`; every other
 * line is a look-alike that must not be reported.
 */
#include <stdint.h>
#include <string.h>

#include "include/net_api.h"
#include "include/tls_api.h"

#define WIFI_PSK "S3cretWPA2key"                                 /* expect: secrets.hardcoded-credential */
#define AT_JOIN "AT+CWJAP=\"HomeNet\",\"Xk9vT2qLm7\"\r\n"
#define AT_QUERY "AT+CWJAP?\r\n"

static const uint8_t aes_key[16] = {                            /* expect: secrets.hardcoded-key */
	0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6, 0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c,
};
static const uint8_t APPKEY[16] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,  /* expect: secrets.hardcoded-key */
				    0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe };
static const char hmac_key[] = "f3Kq9ZpL2vX8mN4bR7tY";                                /* expect: secrets.hardcoded-key */
static const unsigned char psk_bytes[] = { 0x5a, 0x11, 0xc3, 0x9e, 0x42, 0x7d, 0xe8, 0x06 };  /* expect: secrets.hardcoded-key */
static const char *wpa_passphrase = "correct horse battery";                          /* expect: secrets.hardcoded-credential */

/* look-alikes */
static const uint8_t crc8_table[16] = { 0x00, 0x07, 0x0e, 0x09, 0x1c, 0x1b, 0x12, 0x15,
					0x38, 0x3f, 0x36, 0x31, 0x24, 0x23, 0x2a, 0x2d };
static const uint8_t keymap[16] = { 0x1e, 0x30, 0x2e, 0x20, 0x12, 0x21, 0x22, 0x23,
				    0x17, 0x24, 0x25, 0x26, 0x32, 0x31, 0x18, 0x19 };
static const uint8_t hotkey_codes[8] = { 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x40, 0x41, 0x42 };
static const uint8_t aes_key_unset[16] = { 0 };
static const char *psk_hint = "Enter the WPA key:";
static const char session_key_label[] = "session key";
static const char device_key_name[] = "dev_key_v2";

void wifi_bad(mbedtls_ssl_config *conf)
{
	wifi_config_t cfg = { .sta = { .ssid = "HomeNet", .password = "Xk9vT2qLm7" } };  /* expect: secrets.hardcoded-credential */

	strcpy((char *)cfg.sta.password, "W1f1Pass!");                /* expect: secrets.hardcoded-credential */
	esp_wifi_set_config(0, &cfg);
	wifi_connect_ap("HomeNet", "Xk9vT2qLm7x");                      /* expect: secrets.hardcoded-credential */
	wifi_connect_ap("HomeNet", WIFI_PSK);
	uart_send(AT_JOIN);                                             /* expect: secrets.hardcoded-credential */
	uart_send("AT+CWJAP_CUR=\"Office\",\"Qw3rty!9\"\r\n");          /* expect: secrets.hardcoded-credential */
	mbedtls_ssl_conf_psk(conf, psk_bytes, sizeof psk_bytes,          /* expect: secrets.hardcoded-key */
			     (const unsigned char *)"dev", 3);
}

void wifi_good(const char *ssid, const char *pass, const uint8_t *psk, size_t psk_len,
	       mbedtls_ssl_config *conf)
{
	wifi_config_t cfg = { .sta = { .ssid = "HomeNet", .password = "" } };

	strncpy((char *)cfg.sta.password, pass, sizeof cfg.sta.password);
	wifi_connect_ap(ssid, pass);
	uart_send(AT_QUERY);
	uart_send("AT+CWJAP=\"%s\",\"%s\"\r\n");
	mbedtls_ssl_conf_psk(conf, psk, psk_len, (const unsigned char *)"dev", 3);
	esp_wifi_set_config(0, &cfg);
	(void)aes_key;
	(void)APPKEY;
	(void)hmac_key;
	(void)wpa_passphrase;
	(void)crc8_table;
	(void)keymap;
	(void)hotkey_codes;
	(void)aes_key_unset;
	(void)psk_hint;
	(void)session_key_label;
	(void)device_key_name;
}
