/*
 * frontend.h — from a build's compile commands to the arguments libclang
 * parses a translation unit with.
 *
 * Two ways in, as the analyzers issue lists its traps:
 *  - a compile database read by clang_CompilationDatabase_fromDirectory,
 *    which splits `command` strings, expands @file response files, removes
 *    a ccache-like launcher and — once clang_createIndex has registered the
 *    targets — inserts a `--target=` derived from the compiler's name at
 *    argv[1];
 *  - a compiler's argv as a build runs it (iotb-cc): neither expanded nor
 *    target-inferred by libclang, so this module does both.
 * Both then go through one translation: the compiler's target, sysroot and
 * libc include directories come from a driver query (driver.c) when the
 * compiler may be run, else from its name; flags that load code or write
 * files are stripped, GCC-only flags clang rejects are dropped, exactly one
 * --target is passed.
 *
 * Ownership: every char * and strvec field is owned by its struct.
 */
#ifndef IOTB_FRONTEND_H
#define IOTB_FRONTEND_H

#include <stdbool.h>
#include <stddef.h>

#include "analyzers.h"
#include "iotb_util.h"

/* One compile command. */
struct iotb_compile_cmd {
	char *directory;          /* the command's working directory (absolute) */
	char *file;               /* the source file as the command names it */
	struct iotb_strvec argv;  /* argv[0] is the compiler */
	bool target_inferred;     /* argv[1] is a name-derived --target= that
	                             libclang inserted (compile databases) */
};

void iotb_compile_cmd_init(struct iotb_compile_cmd *cmd);
void iotb_compile_cmd_release(struct iotb_compile_cmd *cmd);

/*
 * Every command of the compile database at path (a compile_commands.json
 * or the directory holding one), in database order, into *cmds (owned
 * array of *n).  A libclang index must exist (clang_createIndex registers
 * the targets the name inference needs).  0, or -1 with "cannot load
 * compile database 'path': …".
 */
int iotb_cdb_load(const char *path, struct iotb_compile_cmd **cmds, size_t *n);
void iotb_cdb_free(struct iotb_compile_cmd *cmds, size_t n);

/*
 * A command from a compiler's argv (argv[0] the compiler or a launcher such
 * as ccache) run in directory on file: @file arguments are expanded (GCC
 * quoting, relative to directory, nested at most 16 deep) and a launcher
 * is removed.  0, or -1 with "cannot read response file '…': …".
 */
int iotb_compile_cmd_from_argv(struct iotb_compile_cmd *cmd, const char *directory,
                               const char *file, int argc, const char *const *argv);

/* Is the command a C++ (or Objective-C) compile?  By -x, the driver's name
 * (g++, c++, clang++) or the file's extension. */
bool iotb_compile_cmd_is_cxx(const struct iotb_compile_cmd *cmd);

/* What a driver query found (driver.c). */
struct iotb_driver_info {
	char *triple;               /* -dumpmachine */
	char *sysroot;              /* -print-sysroot; NULL or "" when none */
	struct iotb_strvec includes; /* <...> search list without GCC's own
	                                include and include-fixed directories */
	struct iotb_strvec builtin;  /* the GCC directories left out */
};

void iotb_driver_info_init(struct iotb_driver_info *di);
void iotb_driver_info_release(struct iotb_driver_info *di);

/* Inputs of a translation beyond the command itself. */
struct iotb_frontend_env {
	const struct iotb_analyzers_options *opt;
	struct iotb_strvec roots;   /* scanned roots (absolute): never run a
	                               driver or read a -specs= file from there */
	const char *cache_dir;      /* resolved cache directory, NULL = none */
};

/* The arguments for clang_parseTranslationUnit2 (no argv[0]). */
struct iotb_tu_args {
	char *source;               /* absolute path of the main file */
	struct iotb_strvec args;
	char *compiler;             /* the compiler as named (NULL for plain sources) */
	char *target;               /* the --target passed, or NULL */
	const char *target_origin;  /* "command", "query", "name" or NULL */
	char *query_note;           /* why the driver was not queried or what
	                               went wrong, or NULL */
	struct iotb_strvec stripped; /* flags removed (code-loading, file-writing,
	                               GCC-only), for the artifact's facts */
};

void iotb_tu_args_init(struct iotb_tu_args *ta);
void iotb_tu_args_release(struct iotb_tu_args *ta);

/*
 * Translate cmd into ta (see the top of this file).  Never fails: a driver
 * that cannot be queried falls back to name inference and says why in
 * ta->query_note.
 */
void iotb_frontend_translate(const struct iotb_compile_cmd *cmd,
                             const struct iotb_frontend_env *env,
                             struct iotb_tu_args *ta);

/* Arguments for a plain source file (no compile command): the options'
 * extra_args plus the fixed parse flags. */
void iotb_frontend_plain(const char *path, const struct iotb_frontend_env *env,
                         struct iotb_tu_args *ta);

/* The target clang would infer from a compiler's name ("arm-linux-gnueabihf"
 * from "/usr/bin/arm-linux-gnueabihf-gcc-12"), or NULL.  Owned. */
char *iotb_target_from_compiler_name(const char *compiler);

/* Does the compiler look like GCC (gcc, cc, g++, c++ with any prefix or
 * version suffix)? */
bool iotb_is_gcc_like(const char *compiler);

/* --- driver.c ----------------------------------------------------------- */

/*
 * The absolute path of compiler as run from directory: with a '/', made
 * absolute against directory; else the first executable regular file of
 * that name in $PATH.  Owned, or NULL when not found.
 */
char *iotb_driver_resolve(const char *compiler, const char *directory);

/*
 * May the driver at path (absolute) be run?  Per env->opt->query
 * (analyzers.h).  When not, *why (owned) says so.
 */
bool iotb_driver_allowed(const char *path, const struct iotb_frontend_env *env,
                         char **why);

/*
 * Ask the driver at path for its triple, sysroot and <...> include search
 * list, passing only flags (already filtered: -m*, --sysroot, -nostdinc,
 * -specs=).  Answers are cached under env->cache_dir, keyed by the driver's
 * real path, mtime and size and the flags; the file is written atomically.
 * 0, or -1 with "cannot query compiler 'path': …".
 */
int iotb_driver_query(const char *path, const struct iotb_strvec *flags,
                      const struct iotb_frontend_env *env, struct iotb_driver_info *di);

/* Is dir one of GCC's own include or include-fixed directories (clang has
 * its own and must not see GCC's)? */
bool iotb_is_gcc_builtin_include(const char *dir);

/* The cache directory per options and environment (owned), or NULL. */
char *iotb_driver_cache_dir(const struct iotb_analyzers_options *opt);

/* Is path (absolute, normalised) inside root (same or below)? */
bool iotb_path_is_inside(const char *path, const char *root);

#endif
