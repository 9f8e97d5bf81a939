/*
 * The parts of mosquitto, Paho MQTT, ESP-IDF and the board's Wi-Fi driver
 * the credential samples call (sample header): declarations as those
 * libraries have them, so the samples parse without them installed.
 */
#ifndef SAMPLE_NET_API_H
#define SAMPLE_NET_API_H

#include <stddef.h>
#include <stdint.h>

struct mosquitto;
int mosquitto_username_pw_set(struct mosquitto *mosq, const char *username,
			      const char *password);
int mosquitto_tls_psk_set(struct mosquitto *mosq, const char *psk, const char *identity,
			  const char *ciphers);

typedef struct {
	char struct_id[4];
	int keepAliveInterval;
	const char *username;
	const char *password;
} MQTTClient_connectOptions;

typedef struct {
	struct {
		const char *uri;
	} broker;
	struct {
		const char *username;
		struct {
			const char *password;
		} authentication;
	} credentials;
} esp_mqtt_client_config_t;

typedef struct {
	uint8_t ssid[32];
	uint8_t password[64];
} wifi_sta_config_t;

typedef union {
	wifi_sta_config_t sta;
} wifi_config_t;

int esp_wifi_set_config(int interface, wifi_config_t *conf);
int wifi_connect_ap(const char *ssid, const char *password);
void uart_send(const char *line);

#endif
