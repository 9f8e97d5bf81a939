#!/bin/sh
# elf_vs_checksec.sh — time iotbaseline's ELF pass against checksec and
# hardening-check on the same files (never run by .ci/run), and list every
# answer of any tool that disagrees with the correct one.
#
#   bench/elf_vs_checksec.sh IOTB_BINARY [DIR...]
#
# Default DIRs: /usr/bin /usr/sbin /usr/lib/x86_64-linux-gnu plus a foreign
# root file system: Debian 12 packages for armhf, arm64 and mipsel (libc6,
# libssl3, busybox-static, dropbear-bin, openssh-client/server, curl,
# libcurl4, coreutils, iproute2) fetched by tests/elf_debian.sh with a
# private apt state into ROOTFS_CACHE (default: next to IOTB_BINARY).
# FOREIGN=0 leaves it out.  JOBS (default: nproc) sets the parallelism of
# every tool; SKIP_HARDENING_CHECK=1 skips hardening-check.
#
# Prints tool versions, commands, ELF file count and bytes, CPU and wall
# time per tool, the checksec/iotb and hardening-check/iotb CPU ratios, and
# a disagreement table: file, property, the correct answer and where it
# comes from (readelf -hlSdW --dyn-syms: RELRO from PT_GNU_RELRO against
# the GOT sections and BIND_NOW, NX from PT_GNU_STACK, PIE from the type,
# DF_1_PIE and DT_SONAME, canary and FORTIFY of dynamic binaries from
# __stack_chk_* / __*_chk symbols; canaries of static binaries are not
# decidable from readelf and are listed as "code"), then each tool's answer.
set -eu
IOTB=${1:?usage: $0 IOTB_BINARY [DIR...]}
shift
HERE=$(cd "$(dirname "$0")" && pwd)
JOBS=${JOBS:-$(nproc)}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
command -v checksec >/dev/null || { echo "checksec not installed (apt-get install checksec)"; exit 77; }

if [ $# -eq 0 ]; then
	set -- /usr/bin /usr/sbin /usr/lib/x86_64-linux-gnu
	if [ "${FOREIGN:-1}" != 0 ]; then
		CACHE=${ROOTFS_CACHE:-$(cd "$(dirname "$IOTB")" && pwd)/elf-bench-rootfs}
		ELF_DEBIAN_FETCH_ONLY=1 ELF_DEBIAN_PKGS="libc6 libssl3 busybox-static dropbear-bin \
openssh-client openssh-server curl libcurl4 coreutils iproute2" \
			sh "$HERE/../tests/elf_debian.sh" "$IOTB" "$HERE/.." "$CACHE" &&
			set -- "$@" "$CACHE/rootfs" || echo "foreign root file system not available"
	fi
fi

# The ELF file set: regular files with the ELF magic, symlinks not followed.
find "$@" -type f 2>/dev/null | while read -r f; do
	if [ "$(head -c 4 "$f" 2>/dev/null | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; then
		echo "$f"
	fi
done > "$WORK/files"
N=$(wc -l < "$WORK/files")
BYTES=$(xargs -d '\n' stat -c %s < "$WORK/files" | awk '{s+=$1} END {print s}')
echo "files: $N ELF, $BYTES bytes, from: $*; jobs: $JOBS"
echo "iotb: $("$IOTB" --version 2>&1 | head -1)"
echo "checksec: $(checksec --version 2>&1 | head -1)"
command -v hardening-check >/dev/null &&
	echo "hardening-check: devscripts $(dpkg-query -W -f '${Version}' devscripts 2>/dev/null)"

timed() { # NAME CMD... ; prints "NAME wall user sys"
	name=$1; shift
	/usr/bin/time -f "$name wall=%e user=%U sys=%S" "$@" > "$WORK/$name.out" 2> "$WORK/$name.time" || true
	tail -1 "$WORK/$name.time"
}

echo "command: iotb scan -j$JOBS --fail-on never --format json FILES..."
timed iotb sh -c "xargs -d '\n' -n 100000 '$IOTB' scan -j$JOBS --fail-on never --format json < '$WORK/files'"
# One output file per input or batch: parallel runs would interleave lines.
mkdir "$WORK/cs" "$WORK/hc"
echo "command: xargs -P$JOBS -n1 checksec --output=csv --file=FILE"
timed checksec sh -c "xargs -d '\n' -P$JOBS -I{} sh -c 'checksec --output=csv --file=\"\$1\" > \"\$2/\$(printf %s \"\$1\" | md5sum | cut -c1-32)\"' sh {} '$WORK/cs' < '$WORK/files'"
cat "$WORK"/cs/* > "$WORK/checksec.out"
HC=0
if [ -z "${SKIP_HARDENING_CHECK:-}" ] && command -v hardening-check >/dev/null; then
	HC=1
	echo "command: xargs -P$JOBS -n50 hardening-check FILES"
	timed hardening-check sh -c "xargs -d '\n' -P$JOBS -n50 sh -c 'hardening-check \"\$@\" > \$(mktemp -p \"$WORK/hc\") 2>/dev/null; true' sh < '$WORK/files'"
	cat "$WORK"/hc/* > "$WORK/hardening-check.out"
fi

cpu() { sed -n 's/.*user=\([0-9.]*\) sys=\([0-9.]*\).*/\1 \2/p' "$WORK/$1.time" | awk '{print $1+$2}'; }
awk -v a="$(cpu checksec)" -v b="$(cpu iotb)" -v n="$N" 'BEGIN { if (b > 0) printf "ratio (checksec CPU / iotb CPU): %.1fx (iotb %.2f ms CPU per file)\n", a / b, 1000 * b / n }'
[ $HC = 1 ] && awk -v a="$(cpu hardening-check)" -v b="$(cpu iotb)" 'BEGIN { if (b > 0) printf "ratio (hardening-check CPU / iotb CPU): %.1fx\n", a / b }'

exec python3 "$HERE/elf_truth.py" "$WORK"
