char *gets(char *s); void f(char *b) { gets(b); } /* expect: scan.parse-error -- wrong on purpose: the real finding is strings.gets */
