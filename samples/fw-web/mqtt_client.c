/*
 * Cloud telemetry over MQTT and HTTPS (sample input): broker and cloud
 * credentials handed to client libraries.  Bad lines carry `expect:`;
 * every other line is a look-alike that must not be reported.
 */
#include <stddef.h>

#include "include/net_api.h"
#include "include/tls_api.h"

#define MQTT_PASS "Mq77-Br0ker!"                               /* expect: secrets.hardcoded-credential */
#define CLOUD_API_KEY "c9f1a7" "e2b84d5f60a3"                   /* expect: secrets.hardcoded-credential */
#define MQTT_USER "device01"
#define BROKER_URI "mqtts://broker.example.com:8883"

struct conn {
	const char *host;
	const char *password;
};

static int (*set_pw)(struct mosquitto *, const char *, const char *) = mosquitto_username_pw_set;
static const char *aws_access_key_id = "AKIAIOSFODNN7EXAMPLE";     /* expect: secrets.hardcoded-credential */
static const char *token_type = "Bearer";
static const char tokenizer_delims[] = " \t,;";

void mqtt_bad(struct mosquitto *mosq, CURL *h, struct conn *c)
{
	MQTTClient_connectOptions opts = { { 'M', 'Q', 'T', 'C' }, 60, "device01",
					   "Pah0-Secret9" };            /* expect: secrets.hardcoded-credential */
	esp_mqtt_client_config_t cfg = {
		.broker = { .uri = BROKER_URI },
		.credentials = { .username = MQTT_USER,
				 .authentication = { .password = "Esp-Mqtt#77" } },  /* expect: secrets.hardcoded-credential */
	};

	mosquitto_username_pw_set(mosq, "device01", "mqttP@ss2024");    /* expect: secrets.hardcoded-credential */
	curl_easy_setopt(h, CURLOPT_USERPWD, "admin:Cl0udPass!");       /* expect: secrets.hardcoded-credential */
	curl_easy_setopt(h, CURLOPT_PASSWORD, MQTT_PASS);
	c->password = "hunter2!";                                       /* expect: secrets.hardcoded-credential */
	mosquitto_tls_psk_set(mosq, "a1b2c3d4e5f60718", "dev", NULL);  /* expect: secrets.hardcoded-credential */
	set_pw(mosq, "device01", "Pw!2345678");                         /* expect: secrets.hardcoded-credential */
	(void)opts;
	(void)cfg;
	(void)CLOUD_API_KEY;
}

void mqtt_good(struct mosquitto *mosq, CURL *h, struct conn *c, const char *user,
	       const char *pass, const char *creds)
{
	MQTTClient_connectOptions opts = { { 'M', 'Q', 'T', 'C' }, 60, MQTT_USER, NULL };
	esp_mqtt_client_config_t cfg = {
		.broker = { .uri = BROKER_URI },
		.credentials = { .username = "device01", .authentication = { .password = pass } },
	};

	mosquitto_username_pw_set(mosq, user, pass);
	mosquitto_username_pw_set(mosq, "device01", NULL);
	curl_easy_setopt(h, CURLOPT_USERNAME, "device01");
	curl_easy_setopt(h, CURLOPT_USERPWD, creds);
	curl_easy_setopt(h, CURLOPT_PASSWORD, "");
	curl_easy_setopt(h, CURLOPT_URL, "https://api.example.com/v1/telemetry");
	c->password = pass;
	c->host = "broker.example.com";
	set_pw(mosq, user, pass);
	(void)opts;
	(void)cfg;
	(void)aws_access_key_id;
	(void)token_type;
	(void)tokenizer_delims;
}
