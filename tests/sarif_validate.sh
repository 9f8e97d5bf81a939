#!/bin/sh
# sarif_validate.sh IOTB SOURCE_DIR WORK_DIR [FIXTURE_DIR]
#
# The Reports issue's "done when", run for real:
#   iotb scan samples/ --format sarif:out.sarif --format junit:out.xml \
#        --format codequality:cq.json --format html:r.html
# then every validator on what it wrote:
#   - SARIF: OASIS 2.1.0 schema (tests/schemas, draft-04, jsonschema with its
#     format checker) and GitHub code scanning's rules G1-G10
#     (tests/report_validate.py, rule texts checked against rules/*.yaml);
#   - JUnit: xmllint --schema tests/schemas/junit.xsd, plus structure;
#   - GitLab Code Quality: the fields GitLab reads;
#   - HTML: self-contained, balanced, no script.
# The same on a tree with ELF binaries, a C file and file names that are not
# UTF-8 or hold markup (all eight formats), -j1 against -j2 byte for byte,
# a baseline round trip (baseline write, --baseline: new / unchanged /
# absent), the rich reports test_report_formats.c leaves in FIXTURE_DIR,
# and a check that the validator rejects broken SARIF (it can fail).
# Exit 77 (skipped) without python3 + jsonschema or xmllint.
set -u
IOTB=$1
SRC=$2
W=$3
FIX=${4:-}

if ! python3 -c 'import jsonschema' 2>/dev/null; then
	echo "skipped: python3 jsonschema not available"
	exit 77
fi
if ! command -v xmllint >/dev/null 2>&1; then
	echo "skipped: xmllint (libxml2-utils) not available"
	exit 77
fi

SCHEMA=$SRC/tests/schemas/sarif-schema-2.1.0.json
XSD=$SRC/tests/schemas/junit.xsd
CHECK="python3 $SRC/tests/report_validate.py --schema $SCHEMA"
unset IOTB_CONFIG IOTB_FAIL_ON IOTB_PROJECT_KEY IOTB_SARIF_CATEGORY
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }

# run NAME CMD... — the validator's own lines, then one verdict.
run() {
	name=$1
	shift
	if "$@" >"$W/check.txt" 2>&1; then
		sed 's/^/    /' "$W/check.txt"
		ok "$name"
	else
		sed 's/^/    /' "$W/check.txt"
		bad "$name"
	fi
}

# Under -DIOTB_SANITIZE a sanitizer report also exits 1: look for it.
sanitizer_clean() {
	if grep -Eq 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$1"; then
		bad "sanitizer report in $1"; grep -E -m3 'Sanitizer|runtime error' "$1"
		return 1
	fi
	return 0
}

# scan_in DIR ARGS...: iotb scan ARGS in DIR; exit 0 or 1 is fine.
scan_in() {
	dir=$1
	shift
	(cd "$dir" && exec "$IOTB" scan "$@") >"$W/scan.out" 2>"$W/scan.err"
	rc=$?
	sanitizer_clean "$W/scan.err" || return 1
	if [ "$rc" -gt 1 ]; then
		bad "iotb scan $* exited $rc"
		sed 's/^/    /' "$W/scan.err" | head -20
		return 1
	fi
	return 0
}

rm -rf "$W" && mkdir -p "$W" || exit 2

# --- 1. the done-when command, on samples/ from the source top ---
(cd "$SRC" && "$IOTB" scan samples/ --format "sarif:$W/out.sarif" --format "junit:$W/out.xml" \
	--format "codequality:$W/cq.json" --format "html:$W/r.html") >"$W/samples.out" 2>&1
rc=$?
sanitizer_clean "$W/samples.out"
if [ "$rc" -le 1 ] && [ -s "$W/out.sarif" ] && [ -s "$W/out.xml" ] && [ -s "$W/cq.json" ] &&
   [ -s "$W/r.html" ]; then
	ok "iotb scan samples/ wrote sarif, junit, codequality and html (exit $rc)"
else
	bad "iotb scan samples/ (exit $rc)"; sed 's/^/    /' "$W/samples.out" | head -20
fi
run "samples: SARIF schema + GitHub rules, Code Quality, HTML" \
	$CHECK --rules-dir "$SRC/rules" --sarif "$W/out.sarif" --codequality "$W/cq.json" \
	--html "$W/r.html" --junit "$W/out.xml"
run "samples: JUnit against tests/schemas/junit.xsd (xmllint)" \
	xmllint --noout --schema "$XSD" "$W/out.xml"
if grep -q '"uri": "samples/' "$W/out.sarif" && grep -q '"%SRCROOT%"' "$W/out.sarif"; then
	ok "samples: URIs relative to %SRCROOT% (the git top level)"
else
	bad "samples: URIs not repository-relative"
fi

# --- 2. a tree with binaries, a C file and odd names; every format ---
T=$W/tree
mkdir -p "$T/bin" "$T/src" || exit 2
cp /bin/true "$T/bin/true" && cp /bin/ls "$T/bin/ls" || exit 2
printf 'int main(void) { return 0; }\n' > "$T/src/main.c"
cp /bin/true "$T/bin/$(printf 'odd\377 <b>&amp;.elf')"
# Paths relative to the tree: --source-root . (cwd = the tree) everywhere.
for j in 1 2; do
	scan_in "$T" -j$j --source-root . --fail-on never . \
		--format "sarif:$W/t$j.sarif" --format "junit:$W/t$j.xml" \
		--format "codequality:$W/t$j-cq.json" --format "html:$W/t$j.html" \
		--format "markdown:$W/t$j.md" --format "table:$W/t$j.txt" \
		--format "json:$W/t$j.json" --format "text:$W/t$j-text.txt"
done
same=1
for f in t.sarif t.xml t-cq.json t.html t.md t.txt t.json t-text.txt; do
	a=$W/$(echo "$f" | sed 's/^t/t1/')
	b=$W/$(echo "$f" | sed 's/^t/t2/')
	cmp -s "$a" "$b" || { same=0; echo "    differs: $a $b"; }
done
[ "$same" = 1 ] && ok "tree: -j1 and -j2 reports byte-identical (8 formats)" ||
	bad "tree: -j1 and -j2 reports differ"
run "tree: SARIF, JUnit, Code Quality, HTML, Markdown" \
	$CHECK --rules-dir "$SRC/rules" --sarif "$W/t1.sarif" --junit "$W/t1.xml" \
	--codequality "$W/t1-cq.json" --html "$W/t1.html" --markdown "$W/t1.md"
run "tree: JUnit against junit.xsd (xmllint)" xmllint --noout --schema "$XSD" "$W/t1.xml"
if grep -q '"facts"' "$W/t1.sarif" && grep -q 'odd%FF%20%3Cb%3E%26amp%3B.elf' "$W/t1.sarif"; then
	ok "tree: facts in run.artifacts, odd names percent-encoded"
else
	bad "tree: facts or encoded names missing in SARIF"
fi
if grep -Eq '^bin/ls +x86-64|^bin/ls +[A-Za-z0-9_-]+ +DYN' "$W/t1.txt" &&
   grep -q '^FILE ' "$W/t1.txt"; then
	ok "tree: hardening table has a row per binary"
else
	bad "tree: hardening table"; sed 's/^/    /' "$W/t1.txt" | head
fi

# --- 3. baselines: write, then a new binary (new) and a removed one (absent) ---
(cd "$T" && "$IOTB" baseline write "$W/bl.json" --source-root . --fail-on note . \
	>/dev/null 2>"$W/bl.err")
rc=$?
sanitizer_clean "$W/bl.err"
if [ "$rc" = 0 ] && grep -q '"baseline_version": 1' "$W/bl.json" &&
   grep -q "^iotb: wrote [0-9]* findings\? to baseline" "$W/bl.err"; then
	ok "baseline write exits 0 and writes a versioned file"
else
	bad "baseline write (exit $rc)"; cat "$W/bl.err"
fi
(cd "$T" && "$IOTB" scan --source-root . --fail-on note --baseline "$W/bl.json" . \
	>/dev/null 2>&1)
rc=$?
[ "$rc" = 0 ] && ok "--baseline: nothing new, exit 0 at --fail-on note" ||
	bad "--baseline: exit $rc with nothing new"
cp /bin/cat "$T/bin/cat"
rm -f "$T/bin/ls"
scan_in "$T" --source-root . --fail-on never --baseline "$W/bl.json" . \
	--format "sarif:$W/bl.sarif" \
	--format "text:$W/bl.txt"
python3 - "$W/bl.sarif" <<'EOF' > "$W/states.txt"
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
states = {}
for r in run["results"]:
    uri = r.get("locations", [{}])[0].get("physicalLocation", {}).get("artifactLocation", {}).get("uri")
    states.setdefault(r.get("baselineState"), set()).add(uri)
print(" ".join("%s=%s" % (k, ",".join(sorted(v))) for k, v in sorted(states.items())))
EOF
if grep -q 'absent=[^ ]*bin/ls' "$W/states.txt" && grep -q 'new=[^ ]*bin/cat' "$W/states.txt" &&
   grep -q 'unchanged=[^ ]*bin/true' "$W/states.txt" && ! grep -q 'bin/true' "$W/bl.txt"; then
	ok "--baseline: baselineState new (bin/cat), unchanged (bin/true), absent (bin/ls)"
else
	bad "--baseline states: $(cat "$W/states.txt")"
fi
run "baseline SARIF: schema + GitHub rules" $CHECK --rules-dir "$SRC/rules" --sarif "$W/bl.sarif"
"$IOTB" baseline write "$W/bl2.json" "$W/no-such-dir" >"$W/bl2.txt" 2>&1
rc=$?
[ "$rc" = 2 ] && ok "baseline write with a missing PATH: exit 2" ||
	bad "baseline write with a missing PATH: exit $rc"
"$IOTB" baseline write >"$W/bl4.txt" 2>&1
rc=$?
[ "$rc" = 2 ] && grep -q "baseline write needs a FILE" "$W/bl4.txt" &&
	ok "baseline write without FILE: exit 2 and the message" ||
	bad "baseline write without FILE (exit $rc)"
"$IOTB" baseline frob >"$W/bl3.txt" 2>&1
rc=$?
if [ "$rc" = 2 ] && grep -q "baseline needs a subcommand: 'baseline write FILE PATH...'" \
	"$W/bl3.txt"; then
	ok "baseline without 'write': exit 2 and the message"
else
	bad "baseline frob (exit $rc)"; cat "$W/bl3.txt"
fi
"$IOTB" scan --baseline "$W/none.json" "$T" >"$W/nobl.txt" 2>&1
rc=$?
if [ "$rc" = 2 ] && grep -q "cannot read '$W/none.json': No such file or directory" "$W/nobl.txt"; then
	ok "--baseline with a missing file: exit 2 and the message"
else
	bad "--baseline missing file (exit $rc)"; cat "$W/nobl.txt"
fi

# --- 4. the rich fixture reports of test_report_formats.c ---
if [ -n "$FIX" ] && [ -s "$FIX/fixture.sarif" ]; then
	run "fixture reports (related, flows, binary, suppressed, baselined, absent)" \
		$CHECK --rules-dir "$FIX/../report-formats-cat" --sarif "$FIX/fixture.sarif" \
		--junit "$FIX/fixture.xml" --codequality "$FIX/fixture-cq.json" \
		--html "$FIX/fixture.html" --markdown "$FIX/fixture.md"
	run "fixture JUnit against junit.xsd (xmllint)" \
		xmllint --noout --schema "$XSD" "$FIX/fixture.xml"
else
	echo "note: no fixture reports in '$FIX' (run the report_formats suite first)"
fi

# --- 5. the validator rejects what GitHub would reject ---
python3 - "$W/t1.sarif" "$W" <<'EOF'
import copy, json, sys
log = json.load(open(sys.argv[1]))
def mutate(name, fn):
    m = copy.deepcopy(log)
    fn(m["runs"][0])
    json.dump(m, open("%s/bad-%s.sarif" % (sys.argv[2], name), "w"))
rules = lambda run: run["tool"]["driver"]["rules"]
loc0 = lambda run: run["results"][0]["locations"][0]["physicalLocation"]
mutate("no-end-column", lambda run: loc0(run)["region"].pop("endColumn"))
mutate("severity-number", lambda run: rules(run)[0]["properties"].__setitem__("security-severity", 5.0))
mutate("no-security-tag", lambda run: rules(run)[0]["properties"].__setitem__("tags", ["x"]))
mutate("no-fingerprint", lambda run: run["results"][0].pop("partialFingerprints"))
mutate("no-help", lambda run: rules(run)[0].pop("help"))
mutate("bad-base-id", lambda run: loc0(run)["artifactLocation"].__setitem__("uriBaseId", "NOPE"))
mutate("no-category", lambda run: run.pop("automationDetails"))
mutate("schema", lambda run: run.__setitem__("colour", 1))
EOF
set --
for m in no-end-column severity-number no-security-tag no-fingerprint no-help bad-base-id \
	 no-category schema; do
	set -- "$@" --sarif "$W/bad-$m.sarif"
done
run "validator rejects each broken SARIF (one per GitHub rule, and the schema)" \
	$CHECK --each-must-fail "$@"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
