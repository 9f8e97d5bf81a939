/*
 * dbindex.h — the C files a scan's compile databases cover (dbindex.c), so
 * the walker analyses each of them once, with the database's flags.
 */
#ifndef IOTB_DBINDEX_H
#define IOTB_DBINDEX_H

#include <stdbool.h>

#include "iotb_util.h"

/* Add to files (then sorted) the absolute, normalised "file" paths of every
 * compile_commands.json named in paths or found below a named directory
 * (symlinks not followed, .git/.svn/.hg skipped).  Unreadable or malformed
 * databases are skipped (their engine reports them). */
void iotb_dbindex_collect(struct iotb_strvec *files, const char *const *paths);

/* Is path (made absolute against the cwd) one of files (sorted)? */
bool iotb_dbindex_has(const struct iotb_strvec *files, const char *path);

#endif
