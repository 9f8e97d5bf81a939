#!/bin/sh
# json_schema_test.sh IOTB_BINARY SOURCE_DIR WORKDIR
#
# Scans a small tree (a C file, a file whose name is not UTF-8, an ELF, a
# text file) with `--format json`, validates the report against
# docs/report.schema.json (python3-jsonschema, format checker on), checks
# that non-UTF-8 names come out as valid UTF-8 with a percent-encoded URI,
# that no absolute work path leaks, and that -j1 and -j2 give the same bytes.
# Exit 77 (skipped) when python3 or jsonschema is missing.
set -u

IOTB=$1
SRC=$2
W=$3

if ! python3 -c 'import jsonschema' 2>/dev/null; then
	echo "skipped: python3 jsonschema not available"
	exit 77
fi

fail() {
	echo "FAIL: $*"
	exit 1
}

rm -rf "$W"
mkdir -p "$W/tree/src" "$W/tree/bin" "$W/extra" || fail "cannot create '$W'"
cd "$W" || fail "cannot enter '$W'"

cat > tree/src/main.c <<'EOF'
#include <string.h>

static const char *admin_password = "hunter2-default-pw";

int copy_name(char *dst, const char *src)
{
	strcpy(dst, src);
	return admin_password[0];
}
EOF
printf 'int odd_name(void) { return 1; }\n' > "tree/src/$(printf 'bad\377.c')"
cp /bin/true tree/bin/true || fail "cannot copy /bin/true"
printf 'just some notes\n' > tree/notes.txt
# A file named on the command line that no engine handles: a finding at it.
printf 'opaque\001\002\003' > "extra/$(printf 'odd\376 name.dat')"

run_scan() {
	# $1 = jobs, $2 = output file
	"$IOTB" scan -j"$1" --format "json:$2" tree "extra/$(printf 'odd\376 name.dat')" \
		> "$W/stdout-j$1.txt" 2> "$W/stderr-j$1.txt"
	rc=$?
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
		cat "$W/stderr-j$1.txt"
		fail "iotb scan -j $1 exited $rc (want 0 or 1)"
	fi
	[ -s "$2" ] || fail "iotb scan -j $1 wrote no report to '$2'"
}

run_scan 1 "$W/out-j1.json"
run_scan 2 "$W/out-j2.json"
cmp "$W/out-j1.json" "$W/out-j2.json" || fail "-j1 and -j2 JSON reports differ"

python3 - "$SRC/docs/report.schema.json" "$W/out-j1.json" "$W" <<'EOF' || exit 1
import json
import re
import sys

import jsonschema

schema_path, report_path, workdir = sys.argv[1:4]
errors = []

with open(schema_path, encoding="utf-8") as f:
    schema = json.load(f)
validator_cls = jsonschema.validators.validator_for(schema)
validator_cls.check_schema(schema)
validator = validator_cls(schema, format_checker=validator_cls.FORMAT_CHECKER)

raw = open(report_path, "rb").read()
try:
    text = raw.decode("utf-8", errors="strict")
except UnicodeDecodeError as e:
    print("FAIL: report is not valid UTF-8:", e)
    sys.exit(1)
if not text.endswith("}\n"):
    errors.append("report does not end with '}\\n'")
if workdir in text:
    errors.append("report contains the absolute work directory %r" % workdir)
report = json.loads(text)

for err in sorted(validator.iter_errors(report), key=lambda e: list(e.absolute_path)):
    errors.append("schema: %s at %s" % (err.message, "/".join(map(str, err.absolute_path))))

URI_RE = re.compile(r"^(?:[A-Za-z0-9\-._~/!$&'()*+,;=:@]|%[0-9A-F]{2})*$")


def places(rep):
    """Every object in the report that names a file: (what, object)."""
    for a in rep.get("artifacts", []):
        yield "artifact", a
    for i, f in enumerate(rep.get("findings", [])):
        yield "finding %d location" % i, f.get("location", {})
        for key in ("related", "flow"):
            for step in f.get(key, []):
                yield "finding %d %s" % (i, key), step


def check_names(path, uri):
    seen = 0
    for what, obj in places(report):
        if obj.get("path") != path:
            continue
        seen += 1
        if obj.get("uri") != uri:
            errors.append("%s: uri %r, want %r" % (what, obj.get("uri"), uri))
    return seen


for what, obj in places(report):
    uri = obj.get("uri")
    if uri is not None and not URI_RE.match(uri):
        errors.append("%s: malformed URI %r" % (what, uri))
    if "path" in obj and "\ufffd" in obj["path"]:
        errors.append("%s: path uses U+FFFD instead of \\xNN: %r" % (what, obj["path"]))

# The named, unhandled file must be reported (finding or artifact).
if check_names("extra/odd\\xFE name.dat", "extra/odd%FE%20name.dat") == 0:
    errors.append("nothing in the report names 'extra/odd\\xFE name.dat'")
# The C file with a non-UTF-8 name appears when an engine analysed it.
check_names("tree/src/bad\\xFF.c", "tree/src/bad%FF.c")

summary = report.get("summary", {})
clauses = [c["id"] for c in summary.get("clauses", [])]


def clause_key(cid):
    num, _, suffix = cid.partition(" ")
    return ([int(p) for p in num.split(".")], suffix)


if clauses != sorted(clauses, key=clause_key):
    errors.append("clauses not in numeric id order: %r" % clauses)
if not clauses:
    errors.append("summary.clauses is empty")
summary_text = json.dumps(summary)
for word in ("compliant", "compliance", "pass", "passed"):
    if re.search(r"\b%s\b" % word, summary_text, re.I):
        errors.append("summary uses the word %r about clauses" % word)

if errors:
    for e in errors:
        print("FAIL:", e)
    sys.exit(1)
print("ok: %d findings, %d artifacts, %d clauses; schema valid" %
      (len(report["findings"]), len(report["artifacts"]), len(clauses)))
EOF

echo "ok: json schema test"
exit 0
