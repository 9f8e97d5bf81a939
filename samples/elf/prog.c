/* prog.c — sample program for the ELF flag matrix (samples/elf/MANIFEST)
 * (the source engine reports its strcpy, line 15): a stack
 * array (canary), strcpy/memcpy/read/printf (fortifiable), strcpy/system
 * (dangerous imports). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	char buf[64], small[16];
	ssize_t n;

	if (argc > 1)
		strcpy(buf, argv[1]);   /* expect: strings.unsafe-copy */
	n = read(0, small, sizeof(small));
	memcpy(buf, small, n > 0 ? (size_t)n : 0);
	printf("%s %d\n", buf, argc);
	if (argc > 2)
		return system(argv[2]);   /* expect: command.injection */
	return 0;
}
