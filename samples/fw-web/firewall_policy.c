/* expect-none */
/*
 * Peer-tool case: a buffer initialised from a constant is not an unsafe
 * write; only writes into it could be (sample input).
 */
#include <stdio.h>
#include <string.h>

#define DEFAULT_POLICY "allow lan; deny wan; log dropped"

static char policy[512] = DEFAULT_POLICY;
static char ssid[32];

const char *firewall_policy(void)
{
	return policy;
}

void firewall_reset(void)
{
	strcpy(policy, DEFAULT_POLICY);
	strncpy(ssid, "hello", sizeof ssid);
	printf("%s\n", policy);
}
