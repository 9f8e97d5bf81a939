/* expect: scan.parse-error -- wrong on purpose: the real finding is scan.not-analysed */
int f(void) { return 0; }
