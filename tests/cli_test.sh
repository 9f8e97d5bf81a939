#!/bin/sh
# cli_test.sh IOTB SOURCE_DIR WORK_DIR — the `iotb` command's output and exit
# codes (DESIGN.md "Errors and exit codes").  Prints one line per check and
# "N passed, N failed" at the end.
set -u
IOTB=$1
SRC=$2
W=$3
rm -rf "$W" && mkdir -p "$W/tree/sub" || exit 2
cd "$W" || exit 2
# Keep the scan outside any git work tree and config of the developer.
unset IOTB_CONFIG IOTB_FAIL_ON IOTB_PROJECT_KEY
git init -q "$W" 2>/dev/null || mkdir -p "$W/.git"

pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }

# check NAME EXPECTED_EXIT PATTERN CMD... — exit code and a grep -E pattern
# over stdout+stderr ("" = no pattern).
check() {
	name=$1 want=$2 pat=$3
	shift 3
	"$@" >"$W/out.txt" 2>&1
	got=$?
	if [ "$got" != "$want" ]; then
		bad "$name: exit $got, expected $want"; sed 's/^/    /' "$W/out.txt" | head -20; return
	fi
	if [ -n "$pat" ] && ! grep -Eq -- "$pat" "$W/out.txt"; then
		bad "$name: output lacks /$pat/"; sed 's/^/    /' "$W/out.txt" | head -20; return
	fi
	ok "$name"
}

cp /bin/true tree/sub/app.elf
printf 'int main(void) { return 0; }\n' > tree/main.c
printf 'just text\n' > tree/README

check "version" 0 '^iotb \(iotbaseline\) [0-9]+\.[0-9]+\.[0-9]+$' "$IOTB" --version
check "help" 0 'scan' "$IOTB" --help
check "no command" 2 'usage' "$IOTB"
check "unknown command" 2 "'frobnicate' is not an iotb command" "$IOTB" frobnicate
check "scan without path" 2 'scan needs at least one PATH' "$IOTB" scan
check "bad job count" 2 "invalid job count 'x'" "$IOTB" scan -j x tree
check "bad format" 2 "unknown format in 'pdf'" "$IOTB" scan --format pdf tree
check "bad fail-on" 2 "invalid fail threshold 'sometimes'" "$IOTB" scan --fail-on sometimes tree
check "missing path" 2 "cannot open 'nope': No such file or directory" "$IOTB" scan nope tree
check "missing path still scans the rest" 2 'app.elf' "$IOTB" scan --fail-on never nope tree
check "rules list" 0 '^scan\.parse-error ' "$IOTB" rules
check "rules explain" 0 'scan\.not-analysed' "$IOTB" rules --explain scan.not-analysed
check "rules explain unknown" 2 "unknown rule 'no.such'" "$IOTB" rules --explain no.such
check "clauses" 0 '^5\.2\.6\.1\.4 +requirement' "$IOTB" clauses
check "clauses recommendation" 0 '^5\.2\.5\.2\.1 +recommendation' "$IOTB" clauses
check "clause with letter" 0 '^5\.1\.1\.1\.5 f ' "$IOTB" clauses

# Threshold: the ELF is at least a note (scan.not-analysed while no ELF
# engine is built, elf.* findings once it is); main.c likewise.
check "fail-on note" 1 '' "$IOTB" scan --fail-on note tree
check "fail-on never" 0 '' "$IOTB" scan --fail-on never tree
IOTB_FAIL_ON=note check "IOTB_FAIL_ON env" 1 '' "$IOTB" scan tree
IOTB_FAIL_ON=note check "--fail-on beats env" 0 '' "$IOTB" scan --fail-on never tree
printf 'fail_on: note\n' > .iotb.yml
check "config fail_on" 1 '' "$IOTB" scan tree
check "--fail-on beats config" 0 '' "$IOTB" scan --fail-on never tree
printf 'fail_on: sometimes\n' > .iotb.yml
check "broken config names file:line:col" 2 '\.iotb\.yml:1:10: ' "$IOTB" scan tree
printf 'fail_on: [\n' > .iotb.yml
check "config syntax error" 2 '\.iotb\.yml:[0-9]+:[0-9]+: ' "$IOTB" scan tree
rm -f .iotb.yml
check "explicit config missing" 2 "cannot read 'missing.yml': No such file or directory" "$IOTB" scan -c missing.yml tree
printf 'rules:\n  - id: bad\n' > rules.yaml
mkdir -p badrules && cp "$SRC"/rules/*.yaml badrules/ && cp rules.yaml badrules/zz.yaml
IOTB_RULES_DIR=$W/badrules check "broken rule file" 2 'zz\.yaml:[0-9]+:[0-9]+: ' "$IOTB" rules

# A rules directory missing what the code reports is an error, never a
# silent loss of findings; a renamed rule is reported on each input.
rm -rf noscan && cp -r "$SRC/rules" noscan && rm noscan/scan.yaml
IOTB_RULES_DIR=$W/noscan check "rules without scan.yaml" 2 "lacks 'scan\.parse-error', which iotb itself reports" "$IOTB" scan tree
rm -rf noelf && cp -r "$SRC/rules" noelf && rm noelf/elf.yaml
IOTB_RULES_DIR=$W/noelf check "rules without elf.yaml" 2 "has no 'elf' rules, which engine 'elfcheck' reports" "$IOTB" scan tree
rm -rf renamed && cp -r "$SRC/rules" renamed && sed -i 's/id: elf\.no-canary$/id: elf.no-canary-renamed/' renamed/elf.yaml
IOTB_RULES_DIR=$W/renamed check "renamed rule reported" 0 "rule 'elf\.no-canary' is not in the rule catalogue" "$IOTB" scan --fail-on never tree

# A regex that hits PCRE2's match limit is said, not taken as a silent miss.
printf 'extend:\n  elf.dangerous-import:\n    functions: [{regex: "^(?:(?:(?:[a-z_]|[a-z_])+)+Z|__libc_start_main)$"}]\n' > rx.yml
check "regex match limit reported" 0 "partly analysed: [0-9]+ regex match(es)? hit PCRE2's match limit" "$IOTB" scan -c rx.yml --fail-on never tree/sub/app.elf
rm -f rx.yml

# Text output: per-clause summary, never "compliant"/"pass" about a clause.
"$IOTB" scan --fail-on never tree >text.txt 2>&1
if grep -q '5\.2\.5\.2\.1' text.txt && ! grep -Eiq 'compliant|\bpass(ed)?\b' text.txt; then
	ok "text summary lists clauses, no certification words"
else
	bad "text summary"; sed 's/^/    /' text.txt | head -30
fi

# Determinism: -j1 and -j2 give byte-identical reports.
"$IOTB" scan -j1 --fail-on never --format json:j1.json --format text:t1.txt tree >/dev/null 2>&1
"$IOTB" scan -j2 --fail-on never --format json:j2.json --format text:t2.txt tree >/dev/null 2>&1
if cmp -s j1.json j2.json && cmp -s t1.txt t2.txt && [ -s j1.json ]; then
	ok "-j1 and -j2 byte-identical"
else
	bad "-j1 and -j2 differ"
fi

# --strict: an input not analysed (an unreadable kind named on the command
# line) makes the exit status 2.
printf 'x' > tree/blob.bin
check "not analysed named input" 0 'scan\.not-analysed' "$IOTB" scan --fail-on never tree/blob.bin
check "--strict" 2 '' "$IOTB" scan --strict --fail-on never tree/blob.bin

# Config globs (exclude and suppression paths) are relative to the config's
# directory, wherever the scan runs from.
printf 'suppressions:\n  - {path: "tree/sub/**", reason: "vendor binary, tracked"}\n' > .iotb.yml
cd tree/sub && check "suppression path from a subdirectory" 0 ' [1-9][0-9]* suppressed' "$IOTB" scan --fail-on note .
cd / && check "suppression path with -c from elsewhere" 0 ' [1-9][0-9]* suppressed' "$IOTB" scan -c "$W/.iotb.yml" --fail-on note "$W/tree/sub"
cd "$W" || exit 2
rm -f .iotb.yml

check "--source-root must exist" 2 "--source-root 'nowhere' is not a directory" "$IOTB" scan --source-root nowhere tree

# A tree holding a compile database: the files it lists are analysed once,
# through it (with its flags), the others as plain sources.
mkdir -p dbtree/src dbtree/build
printf '#include <string.h>\nvoid f(char *d, const char *s) { strcpy(d, s); }\n' > dbtree/src/a.c
printf '#include <string.h>\nvoid g(char *d, const char *s) { strcpy(d, s); }\n' > dbtree/src/b.c
printf '[{"directory": "%s/dbtree/build", "file": "../src/a.c", "arguments": ["cc", "-c", "../src/a.c"]}]\n' "$W" > dbtree/build/compile_commands.json
"$IOTB" scan --fail-on never -f json:db.json dbtree >/dev/null 2>&1
count_findings() {
	python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(sum(f["location"].get("path","").endswith(sys.argv[2]) for f in r["findings"]))' db.json "$1"
}
n_a=$(count_findings src/a.c)
n_b=$(count_findings src/b.c)
if [ "$n_a" = 1 ] && [ "$n_b" = 1 ] && grep -q '"in-compile-database": 1' db.json; then
	ok "files listed in a compile database analysed once"
else
	bad "compile database files: a.c $n_a findings, b.c $n_b (want 1 and 1)"
fi

# A header found through a relative -I of a compile command is named from
# the command's directory, not from where iotb runs.
mkdir -p dbtree2/src dbtree2/inc dbtree2/build
printf '#include <string.h>\nstatic inline void h(char *d, const char *s) { strcpy(d, s); }\n' > dbtree2/inc/h.h
printf '#include "h.h"\nvoid m(char *d) { h(d, "x"); }\n' > dbtree2/src/m.c
printf '[{"directory": "%s/dbtree2/build", "file": "../src/m.c", "arguments": ["cc", "-I../inc", "-c", "../src/m.c"]}]\n' "$W" > dbtree2/build/compile_commands.json
check "header path from the command's directory" 0 '^dbtree2/inc/h\.h:2:[0-9]+: warning: .*strings\.unsafe-copy' "$IOTB" scan --fail-on never -p dbtree2/build

# Options may follow PATHs (GNU argument permutation).
check "options after PATH" 0 '' "$IOTB" scan tree --fail-on never
check "two reports to stdout" 2 "two reports to stdout in 'json'" "$IOTB" scan -f text -f json tree
check "two reports to one file" 2 "two reports to 'o.json'" "$IOTB" scan -f json:o.json -f text:o.json tree
check "option without value" 2 "option '-j' needs a value" "$IOTB" scan tree -j
check "--strict says why" 2 '1 input not analysed \(--strict\)' "$IOTB" scan --strict --fail-on never tree/blob.bin
check "bad IOTB_FAIL_ON names the variable" 2 "invalid fail threshold 'bogus' in \\\$IOTB_FAIL_ON" env IOTB_FAIL_ON=bogus "$IOTB" scan tree
check "clauses takes no argument" 2 "unexpected argument 'junk' for 'clauses'" "$IOTB" clauses junk
check "rules takes no argument" 2 "unexpected argument 'elf' for 'rules'" "$IOTB" rules elf

# The JSON report carries the real exit status, and names a missing PATH.
"$IOTB" scan --fail-on never -f json:miss.json nope tree >/dev/null 2>&1
if grep -q '"exit_status": 2' miss.json && grep -q "cannot open 'nope'" miss.json; then
	ok "JSON exit_status 2 and the missing PATH as a finding"
else
	bad "JSON exit_status for a missing PATH"
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
