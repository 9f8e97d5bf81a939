#!/bin/sh
# src_vs_peers.sh — time iotbaseline's C source scan against the compiler
# front end alone (clang -fsyntax-only) and against clang-tidy, flawfinder
# and cppcheck on the same real source tree, with the same parallelism, and
# count each tool's findings (never run by .ci/run).
#
#   bench/src_vs_peers.sh [IOTB_BINARY] [DIR]
#
# DIR holds compile_commands.json (default: the dropbear tree the realworld
# test builds, build/realworld/cache/src/dropbear).  IOTB_BINARY defaults to
# $IOTB, else ./build/iotb.  JOBS (default 2) is the parallelism of every
# tool; CLANG (default /usr/lib/llvm-19/bin/clang) and CLANG_TIDY (default
# clang-tidy-19, else clang-tidy) pick the peers; TOOLS (default
# "iotb clang clang-tidy flawfinder cppcheck") picks which run; KEEP=1
# keeps every tool's output in the printed temporary directory.  A peer
# that is not installed is reported as such and skipped.
#
# Every tool sees the same C translation units: all C entries of the
# database (C++ entries are left out; iotb reports them as not analysed).
# clang and clang-tidy get each TU's own arguments from the database minus
# the output, dependency-file and code-loading flags and minus the flags
# this clang rejects (GCC-only ones such as -mindirect-branch=thunk; iotb
# drops them too), written to a cleaned database that cppcheck also reads.
# flawfinder (single-threaded) gets the unique source files split into JOBS
# chunks run at once.  CPU time is user+sys of the tool and all of its
# children (/usr/bin/time); the page cache is warmed before the first run.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
IOTB=${1:-${IOTB:-./build/iotb}}
DIR=${2:-$HERE/../build/realworld/cache/src/dropbear}
JOBS=${JOBS:-2}
CLANG=${CLANG:-/usr/lib/llvm-19/bin/clang}
TOOLS=${TOOLS:-iotb clang clang-tidy flawfinder cppcheck}
if [ -z "${CLANG_TIDY:-}" ]; then
	CLANG_TIDY=clang-tidy
	command -v clang-tidy-19 >/dev/null 2>&1 && CLANG_TIDY=clang-tidy-19
fi
TIDY_CHECKS='-*,clang-analyzer-security.*,clang-analyzer-unix.cstring.*,bugprone-not-null-terminated-result,cert-env33-c,cert-str34-c,cert-msc30-c,cert-msc32-c,clang-diagnostic-format-security,clang-diagnostic-format-nonliteral'
CPPCHECK_ENABLE=warning,portability

case $IOTB in */*) ;; *) IOTB=./$IOTB ;; esac
[ -x "$IOTB" ] || { echo "iotb binary '$IOTB' not found (give it as the first argument or \$IOTB)" >&2; exit 2; }
IOTB=$(cd "$(dirname "$IOTB")" && pwd)/$(basename "$IOTB")
[ -f "$DIR/compile_commands.json" ] || { echo "no compile_commands.json in '$DIR'" >&2; exit 2; }
DIR=$(cd "$DIR" && pwd)
WORK=$(mktemp -d)
if [ -n "${KEEP:-}" ]; then echo "keeping outputs in $WORK"; else trap 'rm -rf "$WORK"' EXIT; fi

has_tool() { case " $TOOLS " in *" $1 "*) return 0 ;; esac; return 1; }
have_clang=0; [ -x "$CLANG" ] && have_clang=1

# --- the translation units ---------------------------------------------------
# prepare.py: C entries of the database -> tus.sh (one clang -fsyntax-only
# command line per TU), db/compile_commands.json (cleaned), files (unique).
cat > "$WORK/prepare.py" <<'EOF'
import json, os, shlex, subprocess, sys
src_db, work, clang = sys.argv[1], sys.argv[2], sys.argv[3]
CXX_EXT = ('.cc', '.cpp', '.cxx', '.c++', '.C', '.mm')
LAUNCHERS = ('ccache', 'sccache', 'distcc', 'icecc', 'buildcache')
DROP = {'-c', '-S', '-E', '-M', '-MM', '-MD', '-MMD', '-MP', '-MG', '-pipe'}
DROP_WITH_VALUE = {'-o', '-MF', '-MT', '-MQ'}
DROP_PREFIX = ('-o', '-MF', '-MT', '-MQ', '-Wp,-M', '-fplugin=', '-fpass-plugin=')
WITH_VALUE = {'-I', '-D', '-U', '-include', '-imacros', '-isystem', '-iquote',
              '-idirafter', '-isysroot', '--sysroot', '-x', '-Xclang', '-target'}
entries = json.load(open(src_db))
tus, cleaned, files, rejected_cache = [], [], [], {}

def clang_rejects(flag):
    if flag not in rejected_cache:
        r = subprocess.run([clang, '-fsyntax-only', '-x', 'c', flag, os.devnull],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        rejected_cache[flag] = r.returncode != 0
    return rejected_cache[flag]

skipped_cxx = 0
for e in entries:
    args = e.get('arguments') or shlex.split(e['command'])
    d = e['directory']
    f = os.path.normpath(os.path.join(d, e['file']))
    while len(args) > 1 and os.path.basename(args[0]) in LAUNCHERS:
        args = args[1:]
    if f.endswith(CXX_EXT) or '++' in os.path.basename(args[0]):
        skipped_cxx += 1
        continue
    out, i, a = [], 1, args
    while i < len(a):
        x = a[i]
        if x in DROP_WITH_VALUE:
            i += 2; continue
        if x == '-Xclang' and i + 1 < len(a) and a[i + 1] in ('-load', '-add-plugin', '-plugin'):
            i += 2; continue
        if x in DROP or x.startswith(DROP_PREFIX):
            i += 1; continue
        if x in WITH_VALUE and i + 1 < len(a):
            out += [x, a[i + 1]]; i += 2; continue
        if x.startswith('-') and not x.startswith(('-I', '-D', '-U')) and clang_rejects(x):
            i += 1; continue
        out.append(x); i += 1
    srcs = [x for x in out if os.path.normpath(os.path.join(d, x)) == f]
    if not srcs:
        out.append(f)
    tus.append('cd %s && exec %s -fsyntax-only %s' % (shlex.quote(d), shlex.quote(clang),
               ' '.join(shlex.quote(x) for x in out)))
    cleaned.append({'directory': d, 'file': f, 'arguments': [clang] + out})
    if f not in files:
        files.append(f)

os.makedirs(os.path.join(work, 'db'))
json.dump(cleaned, open(os.path.join(work, 'db', 'compile_commands.json'), 'w'), indent=1)
open(os.path.join(work, 'tus.sh'), 'w').write(''.join(t + '\n' for t in tus))
open(os.path.join(work, 'files'), 'w').write(''.join(x + '\n' for x in files))
print('translation units: %d C (%d database entries, %d C++ left out), %d unique files'
      % (len(tus), len(entries), skipped_cxx, len(files)))
dropped = sorted(k for k, v in rejected_cache.items() if v)
print('flags dropped for clang/clang-tidy/cppcheck (this clang rejects them): %s'
      % (' '.join(dropped) or 'none'))
EOF
echo "tree: $DIR"
echo "jobs: $JOBS; machine: $(nproc) CPUs, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1); $(date -u '+%Y-%m-%d %H:%M UTC')"
CLANG_FOR_PREP=$CLANG; [ $have_clang = 1 ] || CLANG_FOR_PREP=true
python3 "$WORK/prepare.py" "$DIR/compile_commands.json" "$WORK" "$CLANG_FOR_PREP"
NTU=$(wc -l < "$WORK/tus.sh")

# --- versions ----------------------------------------------------------------
echo "versions:"
echo "  iotb: $("$IOTB" --version 2>&1 | head -1)"
[ $have_clang = 1 ] && echo "  clang: $("$CLANG" --version | head -1)" || echo "  clang: not installed ($CLANG)"
if command -v "$CLANG_TIDY" >/dev/null 2>&1; then
	echo "  clang-tidy: $("$CLANG_TIDY" --version | sed -n 's/^ *\(.*LLVM version.*\)/\1/p' | head -1)"
else
	echo "  clang-tidy: not installed (apt-get install clang-tidy-19)"
fi
command -v flawfinder >/dev/null 2>&1 && echo "  flawfinder: $(flawfinder --version 2>&1 | head -1)" ||
	echo "  flawfinder: not installed (apt-get install flawfinder)"
command -v cppcheck >/dev/null 2>&1 && echo "  cppcheck: $(cppcheck --version 2>&1 | head -1)" ||
	echo "  cppcheck: not installed (apt-get install cppcheck)"

# Warm the page cache (sources, headers) so that the first tool does not pay for it.
{ xargs -d '\n' cat < "$WORK/files"; find "$DIR" /usr/include -name '*.h' -exec cat {} +; } > /dev/null 2>&1 || true

timed() { # NAME CMD... ; stdout -> WORK/NAME.out, stderr -> WORK/NAME.err
	name=$1; shift
	/usr/bin/time -o "$WORK/$name.time" -f "wall=%e user=%U sys=%S" "$@" \
		> "$WORK/$name.out" 2> "$WORK/$name.err" || true
	echo "  $name: $(tail -1 "$WORK/$name.time")"
}

echo "load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commands and times (JOBS=$JOBS):"
# 1. iotb
if has_tool iotb; then
	echo "  \$ $IOTB scan -p $DIR -j $JOBS --fail-on never --format json:OUT"
	timed iotb "$IOTB" scan -p "$DIR" -j "$JOBS" --fail-on never --format "json:$WORK/iotb.json"
fi
# 2. clang -fsyntax-only
if has_tool clang; then
	if [ $have_clang = 1 ]; then
		echo "  \$ xargs -P$JOBS -n1 sh -c 'cd TU_DIR && $CLANG -fsyntax-only TU_ARGS' < tus  # $NTU TUs"
		echo "    first TU: $(head -1 "$WORK/tus.sh")"
		timed clang sh -c "tr '\n' '\0' < '$WORK/tus.sh' | xargs -0 -P$JOBS -n1 sh -c"
	else
		echo "  clang: not installed"
	fi
fi
# 2b. the fixed cost of one clang process (dynamic loading of libclang-cpp
# and libLLVM) times the TU count: what a per-TU compiler pays and iotb's
# forked workers do not.  CLANG_STARTUP=0 skips it.
if has_tool clang && [ $have_clang = 1 ] && [ "${CLANG_STARTUP:-1}" != 0 ]; then
	echo "  \$ $NTU x (cd TU_DIR && $CLANG -fsyntax-only -x c /dev/null), xargs -P$JOBS  # process start-up only"
	timed clang-startup sh -c "sed 's|-fsyntax-only .*|-fsyntax-only -x c /dev/null|' '$WORK/tus.sh' | tr '\n' '\0' | xargs -0 -P$JOBS -n1 sh -c"
fi
# 3. clang-tidy
if has_tool clang-tidy; then
	if command -v "$CLANG_TIDY" >/dev/null 2>&1; then
		echo "  \$ xargs -P$JOBS -n1 $CLANG_TIDY -p CLEANED_DB --quiet --checks='$TIDY_CHECKS' FILE < files"
		timed clang-tidy sh -c "xargs -d '\n' -P$JOBS -n1 '$CLANG_TIDY' -p '$WORK/db' --quiet --checks='$TIDY_CHECKS' < '$WORK/files'"
	else
		echo "  clang-tidy: not installed"
	fi
fi
# 4. flawfinder: JOBS chunks, one output file each (parallel writes would interleave).
if has_tool flawfinder; then
	if command -v flawfinder >/dev/null 2>&1; then
		mkdir "$WORK/ff"
		split -n "l/$JOBS" "$WORK/files" "$WORK/ff/chunk."
		echo "  \$ flawfinder --csv CHUNK_FILES  # $JOBS chunks at once"
		timed flawfinder sh -c "for c in '$WORK'/ff/chunk.*; do [ -s \"\$c\" ] || continue; xargs -d '\n' flawfinder --csv < \"\$c\" > \"\$c.csv\" & done; wait"
	else
		echo "  flawfinder: not installed"
	fi
fi
# 5. cppcheck
if has_tool cppcheck; then
	if command -v cppcheck >/dev/null 2>&1; then
		echo "  \$ cppcheck --project=CLEANED_DB/compile_commands.json -j$JOBS --quiet --enable=$CPPCHECK_ENABLE --output-file=OUT --template='{file}:{line}:{column}: {severity}: {message} [{id}]'"
		timed cppcheck cppcheck --project="$WORK/db/compile_commands.json" -j"$JOBS" --quiet \
			--enable=$CPPCHECK_ENABLE --output-file="$WORK/cppcheck.txt" \
			--template='{file}:{line}:{column}: {severity}: {message} [{id}]'
	else
		echo "  cppcheck: not installed"
	fi
fi

echo "load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews the times)"

# --- summary -----------------------------------------------------------------
cat > "$WORK/summary.py" <<'EOF'
import collections, csv, glob, json, os, re, sys
work, ntu = sys.argv[1], int(sys.argv[2])

def times(name):
    p = os.path.join(work, name + '.time')
    if not os.path.exists(p):
        return None
    m = re.search(r'wall=([\d.]+) user=([\d.]+) sys=([\d.]+)', open(p).read())
    return (float(m.group(1)), float(m.group(2)) + float(m.group(3))) if m else None

def top(counter, n=12):
    items = counter.most_common()
    s = ', '.join('%s %d' % kv for kv in items[:n])
    return s + (', … (%d more kinds)' % (len(items) - n) if len(items) > n else '')

diag = re.compile(r'^(.+?):(\d+):(\d+): (warning|error): (.*?)(?: \[([^\]]+)\])?$')
rows = []
counts = {}
t = {k: times(k) for k in ('iotb', 'clang', 'clang-startup', 'clang-tidy', 'flawfinder', 'cppcheck')}

if t['iotb']:
    try:
        j = json.load(open(os.path.join(work, 'iotb.json')))
        per = collections.Counter(f['rule'] for f in j['findings'])
        facts = {}
        for a in j.get('artifacts', []):
            if a.get('kind') == 'compile-db':
                facts = a.get('facts', {})
        counts['iotb'] = (len(j['findings']), 'per rule: ' + top(per, 30))
        print('iotb TUs: %s in the database, %s parsed, %s partial, %s not analysed, %s errors'
              % tuple(facts.get(k, '?') for k in ('translation_units', 'parsed', 'partial',
                                                   'not_analysed', 'errors')))
    except Exception as e:
        counts['iotb'] = (None, 'no JSON report (%s); stderr: %s' % (e, open(os.path.join(work, 'iotb.err')).read()[-300:]))
if t['clang']:
    c = collections.Counter()
    for line in open(os.path.join(work, 'clang.err'), errors='replace'):
        m = diag.match(line.rstrip('\n'))
        if m:
            c[m.group(4)] += 1
    counts['clang'] = (sum(c.values()), 'compiler diagnostics (not security findings): %d errors, %d warnings'
                       % (c['error'], c['warning']))
if t['clang-tidy']:
    seen, c = set(), collections.Counter()
    for line in open(os.path.join(work, 'clang-tidy.out'), errors='replace'):
        m = diag.match(line.rstrip('\n'))
        if m and m.group(6):
            key = (m.group(1), m.group(2), m.group(3), m.group(6))
            if key not in seen:
                seen.add(key)
                c[m.group(6)] += 1
    counts['clang-tidy'] = (sum(c.values()), 'per check (unique file:line:col): ' + top(c, 20))
if t['flawfinder']:
    c, lv = collections.Counter(), collections.Counter()
    for p in sorted(glob.glob(os.path.join(work, 'ff', '*.csv'))):
        for r in csv.DictReader(open(p, errors='replace')):
            if r.get('Name') and r.get('Level'):
                c[r['Name']] += 1
                lv[r['Level']] += 1
    counts['flawfinder'] = (sum(c.values()), 'per level: %s; per function: %s'
                            % (', '.join('%s: %d' % kv for kv in sorted(lv.items())), top(c)))
if t['cppcheck']:
    c = collections.Counter()
    p = os.path.join(work, 'cppcheck.txt')
    for line in (open(p, errors='replace') if os.path.exists(p) else []):
        m = re.match(r'^.*?:\d+:\d+: (\w+): .* \[(\w+)\]$', line.rstrip('\n'))
        if m:
            c['%s/%s' % (m.group(1), m.group(2))] += 1
    counts['cppcheck'] = (sum(c.values()), 'per severity/id: ' + top(c, 20))

print()
print('%-13s %9s %9s %11s %9s' % ('tool', 'wall s', 'CPU s', 'CPU ms/TU', 'findings'))
for k in ('iotb', 'clang', 'clang-startup', 'clang-tidy', 'flawfinder', 'cppcheck'):
    if t[k]:
        n = counts.get(k, (None,))[0]
        print('%-13s %9.2f %9.2f %11.1f %9s' % (k, t[k][0], t[k][1], 1000 * t[k][1] / max(ntu, 1),
                                            '-' if n is None else n))
    else:
        print('%-13s %9s' % (k, 'not run'))
print()
if t['iotb'] and t['clang'] and t['clang'][0] > 0:
    w, c = t['iotb'][0] / t['clang'][0], t['iotb'][1] / max(t['clang'][1], 0.01)
    print('iotb / clang -fsyntax-only: wall %.2fx, CPU %.2fx (target <= 1.3x: %s)'
          % (w, c, 'met' if w <= 1.3 else 'NOT met'))
    if t['clang-startup']:
        s = t['clang-startup']
        print('  of clang\'s time, process start-up alone (%d empty TUs): wall %.2f s, CPU %.2f s; '
              'iotb / (clang minus start-up): wall %.2fx, CPU %.2fx'
              % (ntu, s[0], s[1], t['iotb'][0] / max(t['clang'][0] - s[0], 0.01),
                 t['iotb'][1] / max(t['clang'][1] - s[1], 0.01)))
    print('  iotb had no path analysis (none exists yet); libclang parsed with the detailed '
          'preprocessing record (macro expansions) and KeepGoing; clang -fsyntax-only has no '
          'preprocessing record.')
for k in ('clang-tidy', 'flawfinder', 'cppcheck'):
    if t['iotb'] and t[k] and t['iotb'][0] > 0:
        print('%s / iotb: wall %.2fx, CPU %.2fx' % (k, t[k][0] / t['iotb'][0],
                                                    t[k][1] / max(t['iotb'][1], 0.01)))
print()
print('findings:')
for k in ('iotb', 'clang', 'clang-tidy', 'flawfinder', 'cppcheck'):
    if k in counts:
        print('  %s: %s — %s' % (k, '-' if counts[k][0] is None else counts[k][0], counts[k][1]))
EOF
python3 "$WORK/summary.py" "$WORK" "$NTU"
