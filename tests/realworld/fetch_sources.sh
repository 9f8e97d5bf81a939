#!/bin/sh
# fetch_sources.sh CACHE_DIR PACKAGE... — real C sources for the realworld
# tests: Debian source packages unpacked under CACHE_DIR/src/PACKAGE, each
# built once with `bear -- make` so CACHE_DIR/src/PACKAGE/compile_commands.json
# lists its translation units with the flags GCC really got.
#
# The sources come from a private apt configuration under CACHE_DIR: a
# deb-src copy of this machine's /etc/apt/sources.list.d/debian.sources
# (same URIs, Suites, Components and Signed-By), so the system's apt state
# is not touched.  Idempotent: a package already built is not fetched or
# built again.  Exit 77 (skipped) when offline or when apt-get, dpkg-source
# or bear is missing; 1 when a package fails to download or build.
set -u
CACHE=$1
shift
SYSTEM_SOURCES=${IOTB_DEBIAN_SOURCES:-/etc/apt/sources.list.d/debian.sources}

skip() { echo "fetch_sources: skipped: $*" >&2; exit 77; }
die() { echo "fetch_sources: error: $*" >&2; exit 1; }

for tool in apt-get dpkg-source bear make gcc; do
	command -v "$tool" >/dev/null 2>&1 || skip "'$tool' is not installed"
done
[ -r "$SYSTEM_SOURCES" ] || skip "cannot read '$SYSTEM_SOURCES'"
mkdir -p "$CACHE/apt/lists/partial" "$CACHE/apt/archives/partial" "$CACHE/apt/etc" \
	"$CACHE/src" "$CACHE/downloads" || die "cannot create '$CACHE'"
CACHE=$(cd "$CACHE" && pwd)

# The deb-src stanzas: every stanza of the system file, Types: deb-src.
sed 's/^Types:.*/Types: deb-src/' "$SYSTEM_SOURCES" > "$CACHE/apt/etc/debian-src.sources.tmp" &&
	mv "$CACHE/apt/etc/debian-src.sources.tmp" "$CACHE/apt/etc/debian-src.sources" ||
	die "cannot write the deb-src list"

apt_private() {
	apt-get -q \
		-o Dir::Etc::SourceList=/dev/null \
		-o Dir::Etc::SourceParts="$CACHE/apt/etc" \
		-o Dir::State::Lists="$CACHE/apt/lists" \
		-o Dir::Cache::Archives="$CACHE/apt/archives" \
		-o Dir::Cache::pkgcache="" -o Dir::Cache::srcpkgcache="" \
		-o APT::Sandbox::User=root \
		"$@"
}

need_update=false
for pkg in "$@"; do
	[ -f "$CACHE/src/$pkg/compile_commands.json" ] || need_update=true
done
if $need_update && [ ! -f "$CACHE/apt/updated" ]; then
	apt_private update > "$CACHE/apt/update.log" 2>&1 ||
		skip "apt-get update failed (offline?); see $CACHE/apt/update.log"
	grep -q "Sources" "$CACHE/apt/update.log" || ls "$CACHE/apt/lists" | grep -q Sources ||
		skip "no source indices downloaded (offline?)"
	touch "$CACHE/apt/updated"
fi

for pkg in "$@"; do
	dir=$CACHE/src/$pkg
	[ -f "$dir/compile_commands.json" ] && { echo "fetch_sources: $pkg: cached"; continue; }
	rm -rf "$CACHE/downloads/$pkg" "$dir"
	mkdir -p "$CACHE/downloads/$pkg" || die "cannot create the download directory"
	(cd "$CACHE/downloads/$pkg" && apt_private source --download-only "$pkg") \
		> "$CACHE/downloads/$pkg.log" 2>&1 ||
		skip "cannot download the source of '$pkg' (offline?); see $CACHE/downloads/$pkg.log"
	dsc=$(ls "$CACHE/downloads/$pkg"/*.dsc 2>/dev/null | head -n 1)
	[ -n "$dsc" ] || die "no .dsc for '$pkg'"
	dpkg-source --no-check -x "$dsc" "$dir.tmp" >> "$CACHE/downloads/$pkg.log" 2>&1 ||
		die "cannot unpack '$dsc'"
	mv "$dir.tmp" "$dir" || die "cannot move the sources of '$pkg'"
	build_log=$CACHE/downloads/$pkg.build.log
	case $pkg in
	dropbear)
		(cd "$dir" && ./configure --disable-zlib --enable-bundled-libtom > "$build_log" 2>&1 &&
			bear -- make -j2 PROGRAMS="dropbear dbclient dropbearkey dropbearconvert scp" \
				>> "$build_log" 2>&1) || die "cannot build '$pkg'; see $build_log" ;;
	busybox)
		(cd "$dir" && make defconfig > "$build_log" 2>&1 &&
			bear -- make -j2 >> "$build_log" 2>&1) || die "cannot build '$pkg'; see $build_log" ;;
	*)
		(cd "$dir" && { [ ! -x configure ] || ./configure > "$build_log" 2>&1; } &&
			bear -- make -j2 >> "$build_log" 2>&1) || die "cannot build '$pkg'; see $build_log" ;;
	esac
	[ -s "$dir/compile_commands.json" ] || die "bear wrote no compile database for '$pkg'"
	echo "fetch_sources: $pkg: $(grep -c '"file"' "$dir/compile_commands.json") entries"
done
exit 0
