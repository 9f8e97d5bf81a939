/* (the embedded private key is for the secrets checker, not written yet) */
/*
 * Device TLS identity compiled into the image (sample input): the key is
 * generated when the samples are copied for a test run, never committed.
 */
static const char device_key_pem[] = "@@IOTB_PEM:ec-sec1@@";
static const char device_cert_pem[] = "@@IOTB_PEM:cert@@";

const char *tls_device_key(void)
{
	return device_key_pem;
}

const char *tls_device_cert(void)
{
	return device_cert_pem;
}
