/* expect: scan.parse-error -- board_config.h is not in this tree: partial AST */
/*
 * Peer-tool case: a macro from a header that is not found must not stop
 * the analysis of the rest of the file (sample input).
 */
#include <string.h>
#include "board_config.h"

BOARD_SECTION(".rodata.cfg") int board_revision = 3;

void handle_rx(const char *rx)
{
	char dst[16];

	strcpy(dst, rx);   /* expect: strings.unsafe-copy */
}
