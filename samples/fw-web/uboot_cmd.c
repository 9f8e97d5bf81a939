/*
 * Peer-tool case: a U-Boot style command registered by a top-level macro,
 * followed by its handler copying argv[1] (sample input).
 */
#include <string.h>
#include "include/command.h"

static int do_setname(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[]);

U_BOOT_CMD(setname, 3, 0, do_setname, "", "");

static char board_name[32];

static int do_setname(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	if (argc < 2)
		return 1;
	strcpy(board_name, argv[1]);   /* expect: strings.unsafe-copy */
	return 0;
}
