#!/bin/sh
# install_test.sh BUILD_DIR SOURCE_DIR WORK — `cmake --install` into a temp
# prefix, then: the installed iotb finds its installed rules (no
# IOTB_RULES_DIR), --version works, and a consumer project uses
# find_package(iotbaseline) + iotb_add_scan and its test passes.
set -eu
B=$1 S=$2 W=$3
rm -rf "$W" && mkdir -p "$W"
unset IOTB_RULES_DIR
cmake --install "$B" --prefix "$W/prefix" >/dev/null
"$W/prefix/bin/iotb" --version
"$W/prefix/bin/iotb" rules | grep -q '^scan\.not-analysed '
test -f "$W/prefix/share/iotbaseline/rules/clauses.yaml"
test -f "$W/prefix/share/cmake/iotbaseline/iotbaselineConfig.cmake"
cmake -S "$S/tests/data/cmake-consumer" -B "$W/consumer" -DCMAKE_PREFIX_PATH="$W/prefix" >/dev/null
ctest --test-dir "$W/consumer" --output-on-failure
grep -q '"schema_version"' "$W/consumer/report.json"
echo "install test: ok"
