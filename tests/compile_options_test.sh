#!/bin/sh
# compile_options_test.sh IOTB WORK_DIR — `iotb scan -I/-D/--target` and the
# .iotb.yml `compile:` key reach libclang for C sources outside a compile
# database: a source that needs all three parses only with them.  Prints one
# line per check and "N passed, N failed" at the end.
set -u
IOTB=$1
W=$2
rm -rf "$W" && mkdir -p "$W/inc" "$W/cfg/inc" || exit 2
cd "$W" || exit 2
unset IOTB_CONFIG IOTB_FAIL_ON IOTB_PROJECT_KEY
git init -q "$W" 2>/dev/null || mkdir -p "$W/.git"

pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }

# check NAME EXPECTED_EXIT PATTERN NOT_PATTERN CMD...
check() {
	name=$1 want=$2 pat=$3 notpat=$4
	shift 4
	"$@" >"$W/out.txt" 2>&1
	got=$?
	if [ "$got" != "$want" ]; then
		bad "$name: exit $got, expected $want"; sed 's/^/    /' "$W/out.txt" | head -20; return
	fi
	if [ -n "$pat" ] && ! grep -Eq -- "$pat" "$W/out.txt"; then
		bad "$name: no match for '$pat'"; sed 's/^/    /' "$W/out.txt" | head -20; return
	fi
	if [ -n "$notpat" ] && grep -Eq -- "$notpat" "$W/out.txt"; then
		bad "$name: unexpected '$notpat'"; sed 's/^/    /' "$W/out.txt" | head -20; return
	fi
	ok "$name"
}

echo '#define BOARD_BUF 8' > inc/board.h
cat > a.c <<'C'
#include <string.h>
#include "board.h"
#ifndef FEATURE_X
#error FEATURE_X missing
#endif
_Static_assert(sizeof(long) == 4, "32-bit target");
void f(const char *in) { char b[BOARD_BUF]; strncpy(b, in, 16); }
C
cp a.c cfg/a.c
cp inc/board.h cfg/inc/board.h

check "without flags: partial AST" 0 "partial AST, 4 errors" "" \
	"$IOTB" scan a.c
check "-I -D --target: parsed, finding" 1 "a.c:7:45: .*strings.bounded-overflow" "parse-error" \
	"$IOTB" scan -I inc -D FEATURE_X=1 --target i686-linux-gnu a.c
check "--target repeatable, last wins" 1 "static assertion failed" "" \
	"$IOTB" scan -I inc -D FEATURE_X --target i686-linux-gnu --target x86_64-linux-gnu a.c
check "bad -D" 2 "invalid define '1X' \(expected NAME or NAME=VALUE\)" "" \
	"$IOTB" scan -D 1X a.c
check "bad --target" 2 "invalid target triple 'arm' \(expected e.g. arm-linux-gnueabihf\)" "" \
	"$IOTB" scan --target arm a.c
check "-I with an empty value" 2 "iotb: -I needs a directory" "" \
	"$IOTB" scan -I "" a.c
check "-I without value" 2 "option '-I' needs a value" "" \
	"$IOTB" scan a.c -I

cd cfg || exit 2
git init -q . 2>/dev/null || mkdir -p .git
printf 'compile:\n  includes: [inc]\n  defines: [FEATURE_X]\n  target: i686-linux-gnu\n' > .iotb.yml
check ".iotb.yml compile: parsed" 1 "a.c:7:45: .*strings.bounded-overflow" "parse-error" \
	"$IOTB" scan a.c
check "command line --target replaces the config's" 1 "static assertion failed" "" \
	"$IOTB" scan --target x86_64-linux-gnu a.c
printf 'compile:\n  defines: ["9bad"]\n' > .iotb.yml
check ".iotb.yml bad define" 2 "\.iotb\.yml:2:13: bad define '9bad' in compile\.defines" "" \
	"$IOTB" scan a.c

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
