/*
 * dbindex.c — which C files a scan's compile databases already cover.
 *
 * `iotb scan DIR` over a tree that holds a compile_commands.json analyses
 * every translation unit the database lists with the database's flags; the
 * walker must not analyse the same .c files a second time with clang's
 * defaults.  Before walking, the named PATHs are searched for files called
 * compile_commands.json (never following symlinks, skipping VCS metadata),
 * and the "file" entries of each (resolved against its "directory", JSON
 * Compilation Database format, clang.llvm.org/docs/JSONCompilationDatabase)
 * form a sorted set of absolute paths.  A database that cannot be read is
 * skipped here: the engine that analyses it reports it.
 */
#include <dirent.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dbindex.h"

#define DB_NAME "compile_commands.json"
#define MAX_DB_BYTES (256u << 20)
#define MAX_DEPTH 64

static void add_db_files(struct iotb_strvec *files, const char *db_path)
{
	json_t *root = json_load_file(db_path, 0, NULL), *entry;
	size_t i;

	if (!json_is_array(root)) {
		json_decref(root);
		return;
	}
	json_array_foreach(root, i, entry) {
		const char *dir = json_string_value(json_object_get(entry, "directory"));
		const char *file = json_string_value(json_object_get(entry, "file"));
		char *abs;

		if (!file)
			continue;
		abs = iotb_path_absolute(dir, file);
		iotb_strvec_push(files, abs);
		free(abs);
	}
	json_decref(root);
}

static bool is_vcs_name(const char *name)
{
	return !strcmp(name, ".git") || !strcmp(name, ".svn") || !strcmp(name, ".hg");
}

static void search_dir(struct iotb_strvec *files, const char *dir, unsigned depth)
{
	DIR *d = depth < MAX_DEPTH ? opendir(dir) : NULL;
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		char *path;
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") || is_vcs_name(de->d_name))
			continue;
		path = iotb_path_join(dir, de->d_name);
		if (lstat(path, &st) < 0)
			;   /* gone or unreadable: the walk reports it */
		else if (S_ISDIR(st.st_mode))
			search_dir(files, path, depth + 1);
		else if (S_ISREG(st.st_mode) && !strcmp(de->d_name, DB_NAME) &&
			 (unsigned long long)st.st_size <= MAX_DB_BYTES)
			add_db_files(files, path);
		free(path);
	}
	closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void iotb_dbindex_collect(struct iotb_strvec *files, const char *const *paths)
{
	const char *const *p;
	struct stat st;

	for (p = paths; p && *p; p++) {
		const char *base = strrchr(*p, '/') ? strrchr(*p, '/') + 1 : *p;

		if (stat(*p, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode))
			search_dir(files, *p, 0);
		else if (S_ISREG(st.st_mode) && !strcmp(base, DB_NAME))
			add_db_files(files, *p);
	}
	if (files->n > 1)
		qsort(files->v, files->n, sizeof(*files->v), cmp_str);
}

bool iotb_dbindex_has(const struct iotb_strvec *files, const char *path)
{
	char *abs;
	bool hit;

	if (!files->n)
		return false;
	abs = iotb_path_absolute(NULL, path);
	hit = bsearch(&abs, files->v, files->n, sizeof(*files->v), cmp_str) != NULL;
	free(abs);
	return hit;
}
