/* secrets.c — firmware constants for elfcheck's secret rules
 * (samples/elf/MANIFEST): a device private key and a CA certificate
 * (generated when the samples are copied for a run, never committed; the
 * certificate must not be reported), an nvram default with a password, and
 * an AES key in a named object next to a CRC table that must not be. */
#include <stdio.h>
#include <string.h>

static const char device_key_pem[] = "@@IOTB_PEM:ec-sec1@@";   /* expect: secrets.private-key */
static const char ca_cert_pem[] = "@@IOTB_PEM:cert@@";
static const char nvram_defaults[] = "lan_ipaddr=192.168.1.1\nhttp_username=admin\n"
	"http_passwd=Adm1n!2024\nwan_proto=dhcp\n";
static const unsigned char fw_aes_key[16] = {   /* expect: secrets.hardcoded-key */
	0x3c, 0x91, 0xe7, 0x0a, 0x5f, 0xd2, 0x48, 0xb6,
	0x21, 0x9e, 0x74, 0xcb, 0x03, 0x6d, 0xf8, 0x57,
};
static const unsigned char crc8_table[16] = {
	0x00, 0x07, 0x0e, 0x09, 0x1c, 0x1b, 0x12, 0x15,
	0x38, 0x3f, 0x36, 0x31, 0x24, 0x23, 0x2a, 0x2d,
};

int main(int argc, char **argv)
{
	const char *what[] = { device_key_pem, ca_cert_pem, nvram_defaults,
			       (const char *)fw_aes_key, (const char *)crc8_table };

	return (int)strlen(what[argc % 5]) + (argv[0][0] == 'x');
}
