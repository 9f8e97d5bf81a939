#!/bin/sh
# realworld_test.sh IOTB SOURCE_DIR CACHE_DIR PACKAGE MAX_PARSE_ERRORS — scan
# a real Debian source package through its compile database (fetched and
# built with `bear -- make` by fetch_sources.sh) and check that the scan
# completes: every C translation unit analysed (no `not_analysed`), at most
# MAX_PARSE_ERRORS partly parsed units.  Prints the finding counts per rule.
#
# Opt-in (it downloads and builds a package): runs when IOTB_REALWORLD=1 or
# the package is already in CACHE_DIR; otherwise exits 77 (skipped), as it
# does offline.
set -u
IOTB=$1
SRC=$2
CACHE=$3
PKG=$4
MAX_PARTIAL=$5

if [ "${IOTB_REALWORLD:-0}" != 1 ] && [ ! -f "$CACHE/src/$PKG/compile_commands.json" ]; then
	echo "realworld: skipped: set IOTB_REALWORLD=1 to fetch and build '$PKG'" >&2
	exit 77
fi
command -v python3 >/dev/null 2>&1 || { echo "realworld: skipped: no python3" >&2; exit 77; }
sh "$SRC/tests/realworld/fetch_sources.sh" "$CACHE" "$PKG"
rc=$?
[ "$rc" = 0 ] || exit "$rc"

out=$CACHE/$PKG.scan.json
cd "$CACHE/src/$PKG" || exit 1
start=$(date +%s)
"$IOTB" scan -p . --format "json:$out" > "$CACHE/$PKG.scan.txt" 2>&1
status=$?
end=$(date +%s)
if [ "$status" != 0 ] && [ "$status" != 1 ]; then
	echo "realworld: FAIL: iotb scan exited $status"
	tail -20 "$CACHE/$PKG.scan.txt"
	exit 1
fi
python3 - "$out" "$MAX_PARTIAL" "$PKG" "$((end - start))" <<'PY'
import collections, json, sys
path, max_partial, pkg, secs = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
report = json.load(open(path))
facts = {}
for a in report.get("artifacts", []):
    for k, v in (a.get("facts") or {}).items():
        if isinstance(v, int):
            facts[k] = facts.get(k, 0) + v
rules = collections.Counter(f["rule"] for f in report.get("findings", []))
print(f"realworld {pkg}: {facts.get('translation_units', 0)} TUs, "
      f"{facts.get('parsed', 0)} parsed, {facts.get('partial', 0)} partial, "
      f"{facts.get('not_analysed', 0)} not analysed, {facts.get('errors', 0)} errors, "
      f"{secs} s")
for rule, n in sorted(rules.items()):
    print(f"  {rule}: {n}")
ok = True
if facts.get("translation_units", 0) == 0:
    print("FAIL: no translation unit scanned"); ok = False
if facts.get("not_analysed", 0) != 0:
    print("FAIL: C translation units not analysed"); ok = False
if facts.get("partial", 0) > max_partial:
    print(f"FAIL: {facts['partial']} partly parsed units (at most {max_partial})"); ok = False
if rules.get("scan.not-analysed", 0):
    print("FAIL: scan.not-analysed findings"); ok = False
sys.exit(0 if ok else 1)
PY
