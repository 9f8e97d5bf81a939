/*
 * elf_helpers.c — fixtures shared by the ELF suites (see elf_helpers.h).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf_helpers.h"
#include "engine.h"
#include "iotb_util.h"
#include "test_helpers.h"

extern const struct iotb_engine iotb_engine_elfcheck;

const char elf_prog_src[] =
	"#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include <unistd.h>\n"
	"int main(int argc, char **argv)\n{\n"
	"\tchar buf[64], small[16];\n\tssize_t n;\n\n"
	"\tif (argc > 1)\n\t\tstrcpy(buf, argv[1]);\n"
	"\tn = read(0, small, sizeof(small));\n"
	"\tmemcpy(buf, small, n > 0 ? (size_t)n : 0);\n"
	"\tprintf(\"%s %d\\n\", buf, argc);\n"
	"\tif (argc > 2)\n\t\treturn system(argv[2]);\n"
	"\treturn 0;\n}\n";

static void dump(const struct elf_run *run, const char *path)
{
	char *s;

	if (!getenv("IOTB_ELF_DUMP"))
		return;
	s = run->facts ? json_dumps(run->facts, JSON_INDENT(1) | JSON_SORT_KEYS) : NULL;
	printf("\n== %s\n%s\n", path, s ? s : "(no facts)");
	free(s);
	for (size_t i = 0; i < run->res.nfindings; i++)
		printf("  [%s %s] %s\n", run->res.findings[i].rule->id,
		       iotb_severity_name(run->res.findings[i].severity),
		       run->res.findings[i].message);
}

void elf_run_file(const char *path, struct elf_run *run)
{
	struct iotb_input in = { 0 };
	struct iotb_engine_ctx ctx = { 0 };
	unsigned char head[64];
	struct stat st;
	int fd = open(path, O_RDONLY);
	ssize_t n;

	iotb_results_init(&run->res);
	run->facts = NULL;
	run->rc = -1;
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(fstat(fd, &st) == 0);
	n = pread(fd, head, sizeof(head), 0);
	in.path = path;
	in.kind = "elf";
	in.fd = fd;
	in.size = (unsigned long long)st.st_size;
	in.head = head;
	in.headlen = n > 0 ? (size_t)n : 0;
	in.named = 1;
	ctx.cat = th_catalogue();
	ctx.out = &run->res;
	ctx.artifact = iotb_results_add_artifact(&run->res, path, "elf");
	run->rc = iotb_engine_elfcheck.analyse(&in, &ctx);
	run->facts = run->res.artifacts[0].facts;
	close(fd);
	dump(run, path);
}

void elf_run_release(struct elf_run *run)
{
	iotb_results_release(&run->res);
	run->facts = NULL;
}

const char *elf_fact(const struct elf_run *run, const char *key, const char *sub)
{
	json_t *o = run->facts ? json_object_get(run->facts, key) : NULL;

	if (sub)
		o = o ? json_object_get(o, sub) : NULL;
	return o ? json_string_value(o) : NULL;
}

const char *elf_verdict(const struct elf_run *run, const char *key)
{
	return elf_fact(run, key, "verdict");
}

size_t elf_count(const struct elf_run *run, const char *rule)
{
	size_t n = 0;

	for (size_t i = 0; i < run->res.nfindings; i++)
		n += strcmp(run->res.findings[i].rule->id, rule) == 0;
	return n;
}

size_t elf_count_area(const struct elf_run *run)
{
	size_t n = 0;

	for (size_t i = 0; i < run->res.nfindings; i++)
		n += strncmp(run->res.findings[i].rule->id, "elf.", 4) == 0;
	return n;
}

const struct iotb_finding *elf_finding(const struct elf_run *run, const char *rule)
{
	for (size_t i = 0; i < run->res.nfindings; i++)
		if (strcmp(run->res.findings[i].rule->id, rule) == 0)
			return &run->res.findings[i];
	return NULL;
}

bool elf_have_tool(const char *name)
{
	char *cmd = iotb_xasprintf("command -v '%s' >/dev/null 2>&1", name);
	int rc = system(cmd);

	free(cmd);
	return rc == 0;
}

char *elf_build(const char *dir, const char *cc, const char *src_name,
                const char *src_text, const char *out, const char *flags)
{
	char *src = th_write(dir, src_name, src_text);
	char *bin = iotb_path_join(dir, out);
	char *cmd = iotb_xasprintf("%s '%s' %s -o '%s' 2>&1", cc, src, flags, bin);
	int rc = system(cmd);

	if (rc != 0) {
		printf("\nbuild failed: %s\n", cmd);
		free(bin);
		bin = NULL;
	}
	free(cmd);
	free(src);
	return bin;
}

unsigned char *elf_slurp(const char *path, size_t *len)
{
	char *data = NULL;

	if (iotb_read_file(path, 1 << 28, &data, len) < 0)
		return NULL;
	return (unsigned char *)data;
}

void elf_spew(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	CU_ASSERT_FATAL(f != NULL);
	CU_ASSERT(fwrite(data, 1, len, f) == len);
	fclose(f);
}
