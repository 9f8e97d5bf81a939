#!/bin/sh
# elf_vs_checksec.sh — time iotbaseline's ELF pass against checksec and
# hardening-check on the same directory (never run by .ci/run).
#
#   bench/elf_vs_checksec.sh IOTB_BINARY [DIR...]     (default DIR: /usr/bin /usr/sbin /usr/lib/x86_64-linux-gnu)
#
# Prints tool versions, commands, ELF file count and bytes, CPU and wall
# time per tool, the checksec/iotb ratio, and the RELRO/canary/NX/PIE
# disagreements between iotb and checksec (one line per file and property,
# with both answers; decide the correct one from readelf -lSdW output).
# JOBS (default: nproc) sets the parallelism of both tools;
# SKIP_HARDENING_CHECK=1 skips hardening-check (about 0.5 s CPU per file).
set -eu
IOTB=${1:?usage: $0 IOTB_BINARY [DIR...]}
shift
[ $# -gt 0 ] || set -- /usr/bin /usr/sbin /usr/lib/x86_64-linux-gnu
JOBS=${JOBS:-$(nproc)}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
command -v checksec >/dev/null || { echo "checksec not installed (apt-get install checksec)"; exit 77; }

# The ELF file set: regular files with the ELF magic, symlinks not followed.
find "$@" -type f 2>/dev/null | while read -r f; do
	[ "$(head -c 4 "$f" 2>/dev/null | od -An -tx1 | tr -d ' ')" = 7f454c46 ] && echo "$f"
done > "$WORK/files"
N=$(wc -l < "$WORK/files")
BYTES=$(xargs -d '\n' stat -c %s < "$WORK/files" | awk '{s+=$1} END {print s}')
echo "files: $N ELF, $BYTES bytes; jobs: $JOBS"
echo "iotb: $("$IOTB" --version 2>&1 | head -1)"
echo "checksec: $(checksec --version 2>&1 | head -1)"
command -v hardening-check >/dev/null && echo "hardening-check: devscripts $(dpkg-query -W -f '${Version}' devscripts 2>/dev/null)"

timed() { # NAME CMD... ; prints "NAME wall user sys"
	name=$1; shift
	/usr/bin/time -f "$name wall=%e user=%U sys=%S" "$@" > "$WORK/$name.out" 2> "$WORK/$name.time" || true
	tail -1 "$WORK/$name.time"
}

echo "command: iotb scan -j$JOBS --fail-on never --format json FILES..."
timed iotb sh -c "xargs -d '\n' -n 100000 '$IOTB' scan -j$JOBS --fail-on never --format json < '$WORK/files'"
# One output file per input: parallel checksec runs would interleave lines.
mkdir "$WORK/cs"
echo "command: xargs -P$JOBS -n1 checksec --output=csv --file=FILE"
timed checksec sh -c "xargs -d '\n' -P$JOBS -I{} sh -c 'checksec --output=csv --file=\"\$1\" > \"\$2/\$(printf %s \"\$1\" | md5sum | cut -c1-32)\"' sh {} '$WORK/cs' < '$WORK/files'"
cat "$WORK"/cs/* > "$WORK/checksec.out"
if [ -z "${SKIP_HARDENING_CHECK:-}" ] && command -v hardening-check >/dev/null; then
	echo "command: xargs -P$JOBS -n50 hardening-check --quiet"
	timed hardening-check sh -c "xargs -d '\n' -P$JOBS -n50 hardening-check --quiet < '$WORK/files'"
fi

cpu() { sed -n 's/.*user=\([0-9.]*\) sys=\([0-9.]*\).*/\1 \2/p' "$WORK/$1.time" | awk '{print $1+$2}'; }
awk -v a="$(cpu checksec)" -v b="$(cpu iotb)" 'BEGIN { if (b > 0) printf "ratio (checksec CPU / iotb CPU): %.1fx\n", a / b }'

# Disagreements: checksec csv "RELRO,STACK CANARY,NX,PIE,..." per file.
python3 - "$WORK" <<'PY'
import csv, glob, json, sys
work = sys.argv[1]
iotb = {}
text = open(f"{work}/iotb.out", errors="replace").read()
dec = json.JSONDecoder(); pos = 0
while True:
    pos = text.find("{", pos)
    if pos < 0: break
    try:
        obj, end = dec.raw_decode(text, pos)
    except ValueError:
        pos += 1; continue
    for a in obj.get("artifacts", []):
        iotb[a["path"]] = a.get("facts") or {}
    pos = end
def ours(f, key):
    v = f.get(key) or {}
    if key == "relro": return {"full": "Full RELRO", "partial": "Partial RELRO", "none": "No RELRO"}.get(v.get("level"), v.get("verdict"))
    if key == "canary": return {"present": "Canary found", "absent": "No Canary found"}.get(v.get("verdict"), v.get("verdict"))
    if key == "nx": return {"present": "NX enabled", "absent": "NX disabled"}.get(v.get("verdict"), v.get("verdict"))
    if key == "pie": return {"pie": "PIE enabled", "static-pie": "PIE enabled", "no-pie": "No PIE", "shared-object": "DSO"}.get(v.get("class"), v.get("verdict"))
n = 0
print("disagreements (file, property, iotb, checksec):")
for row in csv.reader(open(f"{work}/checksec.out", errors="replace")):
    if len(row) < 11 or row[0] == "RELRO": continue
    path = ",".join(row[10:])
    f = iotb.get(path)
    if f is None: continue
    for key, theirs in (("relro", row[0]), ("canary", row[1]), ("nx", row[2]), ("pie", row[3])):
        mine = ours(f, key)
        if mine != theirs:
            n += 1
            print(f"  {path}\t{key}\t{mine}\t{theirs}")
print(f"{n} disagreements")
PY
