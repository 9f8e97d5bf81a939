/*
 * Diagnostics page of the router's web admin (sample input): ping,
 * traceroute and log commands run through the shell.  Bad lines carry
 * `expect:`; every other call is a look-alike that must not be reported.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REBOOT_CMD "reboot -f"
#define FLUSH_CMD "ip route flush " "cache"
#define RUN(c) system(c)

struct cgi_request {
	const char *host;
	const char *iface;
	int count;
};

struct runner {
	int (*run)(const char *);
	FILE *(*open)(const char *, const char *);
};

static const char status_cmd[] = "cat /proc/net/dev";
static const char *const uptime_cmd = "uptime";
static char global_cmd[128];
static const struct runner shell = { .run = system, .open = popen };

struct action {
	const char *name;
	const char *cmd;
};

static const struct action actions[] = {
	{ "reboot", "reboot -f" },
	{ .name = "flush", .cmd = FLUSH_CMD },
};
static const struct action factory = { .name = "reset", .cmd = "mtd erase config" };
static struct action user_actions[4];
static const struct action mixed[] = {
	{ "ping", global_cmd },
	{ "sync", "sync" },
};

int doSystemCmd(const char *fmt, ...);

void diag_bad(const struct cgi_request *rq, char *const envp[])
{
	char cmd[256], line[128];
	char *argv[] = { "/bin/sh", "-c", global_cmd, NULL };
	FILE *p;

	snprintf(cmd, sizeof cmd, "ping -c 3 %s", rq->host);
	system(cmd);                                            /* expect: command.injection */
	p = popen(rq->iface, "r");                              /* expect: command.injection */
	if (p && fgets(line, sizeof line, p))
		pclose(p);
	RUN(rq->host);                                          /* expect: command.injection */
	shell.run(rq->host);                                    /* expect: command.injection */
	execl("/bin/sh", "sh", "-c", rq->host, (char *)NULL);   /* expect: command.injection */
	execlp(rq->iface, rq->iface, "up", (char *)NULL);      /* expect: command.injection */
	execv("/bin/sh", argv);                                 /* expect: command.injection */
	execve(rq->host, argv, envp);                           /* expect: command.injection */
	doSystemCmd(rq->host);                                  /* expect: command.injection */
	snprintf(global_cmd, sizeof global_cmd, "ifconfig %s down", rq->iface);
	system(global_cmd);                                     /* expect: command.injection */
	strcpy(cmd, "traceroute ");
	snprintf(cmd + 11, sizeof cmd - 11, "%s", rq->host);
	shell.open(cmd, "r");                                   /* expect: command.injection */
	system(user_actions[rq->count & 3].cmd);                /* expect: command.injection */
	system(mixed[rq->count & 1].cmd);                       /* expect: command.injection */
}

void diag_good(const struct cgi_request *rq, char *const envp[])
{
	char cmd[256], msg[64];
	char *argv[] = { "/bin/ping", "-c", "3", NULL };
	const char *fixed = "sync";

	system("reboot");
	system(REBOOT_CMD);
	system(FLUSH_CMD);
	system(rq->count > 3 ? "led on" : "led off");
	system(status_cmd);
	system(uptime_cmd);
	system(fixed);
	RUN("killall -HUP dnsmasq");
	shell.run("iptables -F");
	popen("logread", "r");
	snprintf(cmd, sizeof cmd, "ping -c %d 192.168.1.1", rq->count);
	system(cmd);
	snprintf(msg, sizeof msg, "%s %s", "echo", "done");
	shell.open(msg, "r");
	execl("/bin/ping", "ping", "-c", "3", rq->host, (char *)NULL);
	execv("/bin/ping", argv);
	execve("/sbin/ifconfig", argv, envp);
	execl("/bin/sh", "sh", "-c", "mount -o remount,ro /", (char *)NULL);
	doSystemCmd("nvram commit");
	system(actions[rq->count & 1].cmd);
	system(factory.cmd);
}
