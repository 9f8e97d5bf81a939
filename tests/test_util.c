/*
 * test_util.c — globs, UTF-8, paths, hashes, strbuf, error recording.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "iotb_util.h"
#include "test_helpers.h"

static void test_glob_basename(void)
{
	CU_ASSERT_TRUE(iotb_glob_match("*_test.c", "src/net/mqtt_test.c"));
	CU_ASSERT_TRUE(iotb_glob_match("*.c", "a.c"));
	CU_ASSERT_FALSE(iotb_glob_match("*_test.c", "src/net/mqtt.c"));
	CU_ASSERT_FALSE(iotb_glob_match("*.c", "src/a.h"));
}

static void test_glob_double_star(void)
{
	CU_ASSERT_TRUE(iotb_glob_match("**/test*/**", "src/tests/a.c"));
	CU_ASSERT_TRUE(iotb_glob_match("**/test*/**", "tests/a.c"));
	CU_ASSERT_TRUE(iotb_glob_match("**/test*/**", "a/b/testdata/c/d.c"));
	CU_ASSERT_FALSE(iotb_glob_match("**/test*/**", "src/contest.c"));
	CU_ASSERT_TRUE(iotb_glob_match("third_party/**", "third_party/x/y.c"));
	CU_ASSERT_FALSE(iotb_glob_match("third_party/**", "src/third_party/y.c"));
	CU_ASSERT_TRUE(iotb_glob_match("src/*.c", "./src/a.c"));
	CU_ASSERT_FALSE(iotb_glob_match("src/*.c", "src/sub/a.c"));
	CU_ASSERT_TRUE(iotb_glob_match("src/**/*.c", "src/a.c"));
	CU_ASSERT_TRUE(iotb_glob_match("src/**/*.c", "src/x/y/a.c"));
}

/* Many "**" over a deep path (the backtracking matcher took minutes). */
static void test_glob_many_double_stars(void)
{
	struct iotb_strbuf deep;
	int i;

	iotb_strbuf_init(&deep);
	for (i = 0; i < 60; i++)
		iotb_strbuf_adds(&deep, "d/");
	iotb_strbuf_adds(&deep, "f.txt");
	CU_ASSERT_FALSE(iotb_glob_match("**/**/**/**/**/**/**/**/nomatch", deep.buf));
	CU_ASSERT_TRUE(iotb_glob_match("**/**/**/**/**/**/**/**/f.txt", deep.buf));
	CU_ASSERT_TRUE(iotb_glob_match("d/**/d/**/*.txt", deep.buf));
	CU_ASSERT_FALSE(iotb_glob_match("d/**/e/**/*.txt", deep.buf));
	iotb_strbuf_release(&deep);
}

static void test_glob_check(void)
{
	CU_ASSERT_EQUAL(iotb_glob_check("src/**/*.c"), 0);
	CU_ASSERT_EQUAL(iotb_glob_check("src/[ab"), -1);
	CU_ASSERT_STRING_EQUAL(iotb_last_error(), "unterminated '[' in glob 'src/[ab'");
	CU_ASSERT_EQUAL(iotb_glob_check("a/***/b"), -1);
	CU_ASSERT_EQUAL(iotb_glob_check(""), -1);
	CU_ASSERT_STRING_EQUAL(iotb_last_error(), "empty glob");
}

static void test_utf8(void)
{
	char *s;

	CU_ASSERT_TRUE(iotb_is_utf8("h\xc3\xa9llo", 6));
	CU_ASSERT_FALSE(iotb_is_utf8("bad\xff", 4));
	CU_ASSERT_FALSE(iotb_is_utf8("\xc0\xaf", 2));            /* overlong '/' */
	CU_ASSERT_FALSE(iotb_is_utf8("\xed\xa0\x80", 3));        /* surrogate */
	CU_ASSERT_FALSE(iotb_is_utf8("\xe2\x82", 2));            /* truncated */
	s = iotb_utf8_sanitize("bad\xff.c", 6);
	CU_ASSERT_STRING_EQUAL(s, "bad\\xFF.c");
	free(s);
	s = iotb_utf8_sanitize("caf\xc3\xa9", 5);
	CU_ASSERT_STRING_EQUAL(s, "caf\xc3\xa9");
	free(s);
}

static void test_paths(void)
{
	char *s;

	s = iotb_path_join("a/", "/b");
	CU_ASSERT_STRING_EQUAL(s, "a/b");
	free(s);
	s = iotb_path_relative("/repo", "/repo/src/x.c");
	CU_ASSERT_STRING_EQUAL(s, "src/x.c");
	free(s);
	s = iotb_path_relative("/repo", "/repository/x.c");
	CU_ASSERT_STRING_EQUAL(s, "/repository/x.c");
	free(s);
	s = iotb_path_relative("/repo/", "/repo/a/../b/./c.c");
	CU_ASSERT_STRING_EQUAL(s, "b/c.c");
	free(s);
}

static void test_worktree_top(void)
{
	char *dir = th_tmpdir("worktree");
	char *git = th_write(dir, ".git", "gitdir: elsewhere\n");
	char *sub = iotb_path_join(dir, "a/b");
	char *marker = th_write(sub, "f", "x");
	char *top = iotb_find_worktree_top(sub);

	CU_ASSERT_PTR_NOT_NULL_FATAL(top);
	CU_ASSERT_STRING_EQUAL(top, dir);
	free(top);
	free(marker);
	free(sub);
	free(git);
	free(dir);
}

static void test_hashes(void)
{
	char hex[65];

	/* FIPS 180-4 example "abc" */
	iotb_sha256_hex("abc", 3, hex);
	CU_ASSERT_STRING_EQUAL(hex,
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	/* RFC 4231 test case 2 */
	iotb_hmac_sha256_hex("Jefe", 4, "what do ya want for nothing?", 28, hex);
	CU_ASSERT_STRING_EQUAL(hex,
		"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

static void test_strbuf_and_errors(void)
{
	struct iotb_strbuf sb;
	char big[300];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	iotb_strbuf_init(&sb);
	iotb_strbuf_addf(&sb, "%s-%d", big, 7);
	CU_ASSERT_EQUAL(sb.len, 301);
	CU_ASSERT_STRING_EQUAL(sb.buf + 299, "-7");
	iotb_strbuf_release(&sb);
	CU_ASSERT_EQUAL(iotb_fail_at("f.yaml", 3, 7, "unknown key '%s'", "x"), -1);
	CU_ASSERT_STRING_EQUAL(iotb_last_error(), "f.yaml:3:7: unknown key 'x'");
}

static void test_read_write_file(void)
{
	char *dir = th_tmpdir("rw");
	char *path = iotb_path_join(dir, "f.txt"), *data = NULL;
	size_t len;

	CU_ASSERT_EQUAL(iotb_write_file_atomic(path, "hello", 5), 0);
	CU_ASSERT_EQUAL(iotb_read_file(path, 100, &data, &len), 0);
	CU_ASSERT_EQUAL(len, 5);
	CU_ASSERT_STRING_EQUAL(data, "hello");
	free(data);
	CU_ASSERT_EQUAL(iotb_read_file(path, 3, &data, &len), -1);
	CU_ASSERT_TRUE(th_contains(iotb_last_error(), "File too large"));
	free(path);
	path = iotb_path_join(dir, "missing");
	CU_ASSERT_EQUAL(iotb_read_file(path, 100, &data, &len), -1);
	CU_ASSERT_TRUE(th_contains(iotb_last_error(), "No such file or directory"));
	free(path);
	/* a FIFO (as a config or rule file) is refused at once, never read */
	path = iotb_path_join(dir, "fifo.yml");
	CU_ASSERT_FATAL(mkfifo(path, 0600) == 0);
	CU_ASSERT_EQUAL(iotb_read_file(path, 100, &data, &len), -1);
	CU_ASSERT_TRUE(th_contains(iotb_last_error(), "fifo.yml': not a regular file"));
	CU_ASSERT_EQUAL(iotb_read_file("/dev/zero", 100, &data, &len), -1);
	CU_ASSERT_STRING_EQUAL(iotb_last_error(), "cannot read '/dev/zero': not a regular file");
	free(path);
	free(dir);
}

static const struct th_test tests[] = {
	{ "glob basename", test_glob_basename },
	{ "glob double star", test_glob_double_star },
	{ "glob with many double stars", test_glob_many_double_stars },
	{ "glob check", test_glob_check },
	{ "utf8", test_utf8 },
	{ "paths", test_paths },
	{ "worktree top", test_worktree_top },
	{ "sha256 and hmac vectors", test_hashes },
	{ "strbuf and errors", test_strbuf_and_errors },
	{ "read/write file", test_read_write_file },
	{ NULL, NULL },
};

void register_suite_util(void)
{
	th_add_suite("util", tests);
}
