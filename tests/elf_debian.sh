#!/bin/sh
# elf_debian.sh — elfcheck on real Debian 12 binaries of foreign release
# architectures (ctest label "network"): busybox-static, dropbear-bin,
# openssh-client, curl and libcurl4 for armhf, arm64 and mipsel are fetched
# with apt-get download into CACHE (a private apt state under CACHE: the
# system's dpkg architectures and package lists are left alone), unpacked
# with dpkg-deb, scanned with `iotb scan`, and every verdict that readelf
# can decide is cross-checked against `readelf -hlSdW --dyn-syms`:
# machine, class, endianness, type, interpreter, DT_NEEDED, DT_SONAME, NX
# (PT_GNU_STACK), PIE class, RELRO level (GOT sections against
# PT_GNU_RELRO, BIND_NOW), canary and FORTIFY of dynamic binaries (imported
# __stack_chk_* / __*_chk).  Static busybox: the canary must be decided from
# the code on armhf and arm64 (main found from _start), "unknown" on mipsel
# (no idiom table).  No secret finding is expected in these packages
# (openssh holds the OPENSSH PRIVATE KEY marker lines for its parser).
# Exit 77 (skipped) when the packages cannot be downloaded.
#
# usage: elf_debian.sh IOTB SOURCE_DIR CACHE_DIR
# ELF_DEBIAN_FETCH_ONLY=1 only fetches and unpacks (into CACHE/rootfs);
# ELF_DEBIAN_PKGS overrides the package list then (bench/elf_vs_checksec.sh).
set -u
IOTB=${1:?usage: $0 IOTB SOURCE_DIR CACHE_DIR}
CACHE=${3:?usage: $0 IOTB SOURCE_DIR CACHE_DIR}
ARCHES="armhf arm64 mipsel"
PKGS="busybox-static dropbear-bin openssh-client curl libcurl4"
[ -n "${ELF_DEBIAN_FETCH_ONLY:-}" ] && PKGS=${ELF_DEBIAN_PKGS:-$PKGS}

for tool in apt-get dpkg-deb readelf python3; do
	command -v $tool >/dev/null || { echo "skipped: $tool missing"; exit 77; }
done

APT="-q -o Dir::State::Lists=$CACHE/apt/lists -o Dir::Cache=$CACHE/apt/cache"
for a in amd64 $ARCHES; do APT="$APT -o APT::Architectures::=$a"; done

fetch() {
	mkdir -p "$CACHE/apt/lists/partial" "$CACHE/apt/cache/archives/partial" "$CACHE/debs"
	# a transient failure of one index (a mirror syncing) is not fatal:
	# the download below fails if what we need is missing
	timeout 600 apt-get $APT update >"$CACHE/update.log" 2>&1
	list=""
	for a in $ARCHES; do
		for p in $PKGS; do list="$list $p:$a"; done
	done
	(cd "$CACHE/debs" && timeout 600 apt-get $APT download $list) >"$CACHE/download.log" 2>&1
}

unpack() {
	rm -rf "$CACHE/rootfs"
	for d in "$CACHE"/debs/*.deb; do
		a=$(dpkg-deb -f "$d" Architecture) || return 1
		mkdir -p "$CACHE/rootfs/$a" && dpkg-deb -x "$d" "$CACHE/rootfs/$a" || return 1
	done
	touch "$CACHE/rootfs/.complete"
}

if [ ! -f "$CACHE/rootfs/.complete" ]; then
	if ! fetch; then
		echo "skipped: cannot download the Debian packages (offline?); see $CACHE/download.log"
		exit 77
	fi
	unpack || { echo "cannot unpack the packages in $CACHE/debs"; exit 1; }
fi
[ -n "${ELF_DEBIAN_FETCH_ONLY:-}" ] && exit 0

"$IOTB" scan -j2 --fail-on never --format json:"$CACHE/scan.json" "$CACHE/rootfs" >/dev/null ||
	{ echo "iotb scan failed"; exit 1; }

exec python3 - "$CACHE/scan.json" "$CACHE/rootfs" <<'EOF'
import json, re, subprocess, sys

scan, root = sys.argv[1], sys.argv[2]
doc = json.load(open(scan))
MACHINE = {"ARM": "ARM", "AArch64": "AArch64", "MIPS R3000": "MIPS32"}
SECRETS = ("elf.embedded-private-key", "elf.hardcoded-credential", "elf.embedded-key-material")
bad = []


def readelf(path):
    return subprocess.run(["readelf", "-hlSdW", "--dyn-syms", path], capture_output=True,
                          text=True, check=True).stdout


def header(out, key):
    m = re.search(r"^\s*%s:\s*(.*)$" % re.escape(key), out, re.M)
    return m.group(1).strip() if m else None


def segment(out, name):
    for line in out.splitlines():
        f = line.split()
        if f and f[0] == name:
            return f
    return None


def dyn_values(out, tag):
    return re.findall(r"\(%s\)\s+[^\[]*\[([^\]]*)\]" % tag, out)


def dyn_flags(out, tag):
    m = re.search(r"\(%s\)\s+(?:Flags:)?\s*(.*)$" % tag, out, re.M)
    return m.group(1).split() if m else []


def got_ranges(out):
    ranges = []
    for m in re.finditer(r"\]\s+(\.got(?:\.plt)?|\.got2)\s+\S+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)", out):
        start = int(m.group(2), 16)
        ranges.append((start, start + int(m.group(3), 16)))
    return ranges


def relro_level(out, static):
    r = segment(out, "GNU_RELRO")
    if not r:
        return "none"
    if static:
        return "full"
    start, size = int(r[2], 16), int(r[5], 16)
    now = "BIND_NOW" in out or "NOW" in dyn_flags(out, "FLAGS") + dyn_flags(out, "FLAGS_1")
    covered = all(start <= a and b <= start + size for a, b in got_ranges(out))
    return "full" if now and covered else "partial"


def undefined(out):
    return set(re.findall(r"\sUND\s+([^\s@]+)", out))


def expect(path, what, got, want):
    if got != want:
        bad.append("%s: %s: iotb says %r, readelf says %r" % (path, what, got, want))


def check(a):
    fx, path = a["facts"], a["path"]
    out = readelf(path)
    etype = header(out, "Type").split()[0]
    interp = re.search(r"Requesting program interpreter: ([^\]]+)\]", out)
    static = interp is None and (etype == "EXEC" or "PIE" in dyn_flags(out, "FLAGS_1"))
    stack = segment(out, "GNU_STACK")
    expect(path, "static", fx["static"], static)
    expect(path, "machine", fx["machine"], MACHINE.get(header(out, "Machine")))
    expect(path, "class", fx["class"], header(out, "Class"))
    expect(path, "endianness", fx["endianness"], "little" if "little" in header(out, "Data") else "big")
    expect(path, "type", fx["type"], etype)
    expect(path, "interpreter", fx["interpreter"], interp.group(1) if interp else None)
    expect(path, "needed", fx["needed"], dyn_values(out, "NEEDED"))
    expect(path, "soname", fx["soname"], (dyn_values(out, "SONAME") or [None])[0])
    expect(path, "nx", fx["nx"]["verdict"],
           "absent" if not stack or "E" in "".join(stack[6:-1]) else "present")
    if etype == "EXEC":
        expect(path, "pie", fx["pie"]["verdict"], "absent")
    elif "PIE" in dyn_flags(out, "FLAGS_1"):
        expect(path, "pie", fx["pie"]["class"], "pie")
    elif dyn_values(out, "SONAME"):
        expect(path, "pie", fx["pie"]["class"], "shared-object")
    expect(path, "relro", fx["relro"]["level"], relro_level(out, fx["static"]))
    if fx["static"]:
        return
    und = undefined(out)
    expect(path, "canary", fx["canary"]["verdict"],
           "present" if und & {"__stack_chk_fail", "__stack_chk_guard"} else "absent")
    chk = {s for s in und if re.fullmatch(r"__\w+_chk", s) and s != "__stack_chk_fail"}
    if chk:
        expect(path, "fortify", fx["fortify"]["verdict"], "present")


elfs = [a for a in doc["artifacts"] if a.get("facts") and "machine" in a["facts"]]
for a in elfs:
    check(a)
for a in elfs:
    if not a["path"].endswith("/bin/busybox"):
        continue
    arch = a["path"].split("/rootfs/")[1].split("/")[0]
    c = a["facts"]["canary"]
    want = "unknown" if arch == "mipsel" else "present"
    expect(a["path"], "canary (code)", c["verdict"], want)
    if want == "present":
        expect(a["path"], "main found by", c["coverage"].get("main_found_by"),
               "the first argument of the call to __libc_start_main in _start")
for f in doc["findings"]:
    if f["rule"] in SECRETS or f["rule"].startswith("scan."):
        bad.append("%s: unexpected %s: %s" % (f["location"]["path"], f["rule"], f["message"]))
by_arch = {}
for a in elfs:
    by_arch[a["facts"]["machine"]] = by_arch.get(a["facts"]["machine"], 0) + 1
print("ELF files checked: %d (%s)" % (len(elfs), ", ".join("%s %d" % kv for kv in sorted(by_arch.items()))))
for a in elfs:
    fx = a["facts"]
    print("  %-60s %-8s canary=%-8s nx=%-7s pie=%-13s relro=%s" % (
        a["path"].split("/rootfs/")[1], fx["machine"], fx["canary"]["verdict"],
        fx["nx"]["verdict"], fx["pie"].get("class") or fx["pie"]["verdict"], fx["relro"]["level"]))
for b in bad:
    print("MISMATCH " + b)
if len(elfs) < 20:
    print("too few ELF files (%d): the packages did not unpack as expected" % len(elfs))
    sys.exit(1)
sys.exit(1 if bad else 0)
EOF
