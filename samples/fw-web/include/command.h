/*
 * Command registration as U-Boot does it (sample header): a table entry
 * placed in a linker list by a top-level macro invocation.
 */
#ifndef SAMPLE_COMMAND_H
#define SAMPLE_COMMAND_H

struct cmd_tbl {
	const char *name;
	int maxargs;
	int repeatable;
	int (*cmd)(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[]);
	const char *usage;
	const char *help;
};

#define U_BOOT_CMD(_name, _maxargs, _rep, _cmd, _usage, _help) \
	__attribute__((used, section(".u_boot_list_2_cmd_2_" #_name))) \
	struct cmd_tbl _u_boot_list_2_cmd_2_##_name = { \
		#_name, _maxargs, _rep, _cmd, _usage, _help }

#endif
