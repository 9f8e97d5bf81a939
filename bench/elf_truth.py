#!/usr/bin/env python3
"""elf_truth.py WORK — the disagreement table of bench/elf_vs_checksec.sh.

Reads WORK/files, WORK/iotb.out (iotb JSON), WORK/checksec.out (checksec
CSV) and WORK/hardening-check.out (if present), derives the correct answer
of each property from `readelf -hlSdW --dyn-syms` and prints one line per
file and property where any tool's answer differs from it, then the number
of wrong answers per tool and property.  Properties: relro (none / partial
/ full: full only when BIND_NOW and every GOT section lies inside
PT_GNU_RELRO; static executables with PT_GNU_RELRO: full), nx (PT_GNU_STACK
without PF_X), pie (no-pie / pie / dso), canary and fortify (dynamic
binaries only: __stack_chk_* defined or imported; imported __*_chk).
"""
import csv
import collections
import concurrent.futures
import json
import os
import re
import subprocess
import sys

work = sys.argv[1]
files = [l.rstrip("\n") for l in open(os.path.join(work, "files"))]


def load_iotb():
    out, text, dec, pos = {}, open(os.path.join(work, "iotb.out"), errors="replace").read(), \
        json.JSONDecoder(), 0
    while True:
        pos = text.find("{", pos)
        if pos < 0:
            return out
        try:
            obj, end = dec.raw_decode(text, pos)
        except ValueError:
            pos += 1
            continue
        for a in obj.get("artifacts", []):
            out[a["path"]] = a.get("facts") or {}
        pos = end


def iotb_answers(fx):
    if "machine" not in fx or "relro" not in fx:
        return {}
    pie = {"pie": "pie", "static-pie": "pie", "no-pie": "no-pie", "shared-object": "dso"}
    a = {"relro": fx["relro"].get("level") or "n/a", "nx": fx["nx"]["verdict"],
         "pie": pie.get(fx["pie"].get("class"), "n/a"), "canary": fx["canary"]["verdict"],
         "fortify": fx["fortify"]["verdict"]}
    return a


def load_checksec():
    out = {}
    for row in csv.reader(open(os.path.join(work, "checksec.out"), errors="replace")):
        if len(row) < 11 or row[0] == "RELRO":
            continue
        relro = {"Full RELRO": "full", "Partial RELRO": "partial", "No RELRO": "none"}
        pie = {"PIE enabled": "pie", "No PIE": "no-pie", "DSO": "dso"}
        out[",".join(row[10:])] = {
            "relro": relro.get(row[0], row[0]),
            "canary": "present" if row[1] == "Canary found" else "absent",
            "nx": "present" if row[2] == "NX enabled" else "absent",
            "pie": pie.get(row[3], row[3]),
            "fortify": "present" if row[7] == "Yes" else "absent",
        }
    return out


def load_hardening_check():
    path, out, cur = os.path.join(work, "hardening-check.out"), {}, None
    if not os.path.exists(path):
        return None
    for line in open(path, errors="replace"):
        if not line.startswith(" ") and line.rstrip().endswith(":"):
            cur = out.setdefault(line.rstrip()[:-1], {})
            continue
        m = re.match(r" ([^:]+): (.*)", line)
        if cur is None or not m:
            continue
        key, val = m.group(1), m.group(2)
        word = "present" if val.startswith("yes") else \
            "unknown" if val.startswith("unknown") else "absent"
        if key == "Position Independent Executable":
            cur["pie"] = "pie" if val.startswith("yes") else \
                "dso" if "shared library" in val else "no-pie"
        elif key == "Stack protected":
            cur["canary"] = word
        elif key == "Fortify Source functions":
            cur["fortify"] = word
        elif key == "Read-only relocations":
            cur["ro"] = word
        elif key == "Immediate binding":
            cur["now"] = word
    for v in out.values():
        if "ro" in v:
            v["relro"] = "none" if v["ro"] != "present" else \
                "full" if v.get("now") == "present" else "partial"
    return out


def readelf(path):
    try:
        return subprocess.run(["readelf", "-hlSdW", "--dyn-syms", path], capture_output=True,
                              text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


def segment(out, name):
    for line in out.splitlines():
        f = line.split()
        if f and f[0] == name:
            return f
    return None


def dyn_flags(out, tag):
    m = re.search(r"\(%s\)\s+(?:Flags:)?\s*(.*)$" % tag, out, re.M)
    return m.group(1).split() if m else []


def truth(path):
    out = readelf(path)
    m = re.search(r"^\s*Type:\s*(\w+)", out, re.M)
    if not m or m.group(1) not in ("EXEC", "DYN"):
        return path, {}
    etype, t = m.group(1), {}
    interp = "Requesting program interpreter" in out
    pie_flag = "PIE" in dyn_flags(out, "FLAGS_1")
    static = not interp and (etype == "EXEC" or pie_flag)
    soname = "(SONAME)" in out
    t["pie"] = "no-pie" if etype == "EXEC" else "pie" if pie_flag else \
        "dso" if soname or not interp else "pie"
    stack = segment(out, "GNU_STACK")
    t["nx"] = "present" if stack and "E" not in "".join(stack[6:-1]) else "absent"
    relro = segment(out, "GNU_RELRO")
    if not relro:
        t["relro"] = "none" if "(DYNAMIC)" in out or static else "n/a"
    elif static:
        t["relro"] = "full"
    else:
        start, end = int(relro[2], 16), int(relro[2], 16) + int(relro[5], 16)
        now = "(BIND_NOW)" in out or "NOW" in dyn_flags(out, "FLAGS") + dyn_flags(out, "FLAGS_1")
        gots = [(int(a, 16), int(a, 16) + int(s, 16)) for a, s in re.findall(
            r"\]\s+\.got(?:\.plt)?\s+\S+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)", out)]
        covered = all(start <= a and b <= end for a, b in gots)
        t["relro"] = "full" if now and covered else "partial"
    if static:
        t["canary"] = "code"
        return path, t
    syms = re.findall(r"^\s*\d+:\s+\S+\s+\d+\s+\w+\s+\w+\s+\w+\s+(\w+)\s+([^\s@]+)", out, re.M)
    names = {n for _, n in syms}
    t["canary"] = "present" if names & {"__stack_chk_fail", "__stack_chk_guard",
                                        "__stack_chk_fail_local", "__intel_security_cookie"} \
        else "absent"
    und = {n for ndx, n in syms if ndx == "UND"}
    chk = {n for n in und if re.fullmatch(r"__\w+_chk", n) and n != "__stack_chk_fail"}
    t["fortify"] = "present" if chk else "n/a"
    return path, t


def main():
    iotb, cs, hc = load_iotb(), load_checksec(), load_hardening_check()
    tools = [("iotb", lambda p: iotb_answers(iotb.get(p, {}))),
             ("checksec", lambda p: cs.get(p, {}))]
    if hc is not None:
        tools.append(("hardening-check", lambda p: hc.get(p, {})))
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as ex:
        truths = dict(ex.map(truth, files))
    wrong = collections.Counter()
    rows = []
    for path in files:
        t = truths.get(path, {})
        for prop in ("relro", "nx", "pie", "canary", "fortify"):
            right = t.get(prop)
            if right in (None, "n/a"):
                continue
            answers = [(name, get(path).get(prop)) for name, get in tools]
            if right == "code":          # not decidable from readelf: shown, not counted
                if len({a for _, a in answers if a is not None}) > 1:
                    rows.append((path, prop, "(code)", answers))
                continue
            bad = [n for n, a in answers if a is not None and a != right]
            for n in bad:
                wrong[(n, prop)] += 1
            if bad:
                rows.append((path, prop, right, answers))
    print("disagreements with the correct answer (\"(code)\": a static binary's canary, "
          "which readelf cannot decide; listed when the tools differ, not counted):")
    print("  %-58s %-8s %-9s %s" % ("file", "property", "correct",
                                    "  ".join("%-15s" % n for n, _ in tools)))
    for path, prop, right, answers in rows:
        print("  %-58s %-8s %-9s %s" % (path[-58:], prop, right,
                                        "  ".join("%-15s" % (a or "-") for _, a in answers)))
    print("wrong answers per tool and property:")
    for name, _ in tools:
        per = ", ".join("%s %d" % (p, wrong[(name, p)]) for p in
                        ("relro", "nx", "pie", "canary", "fortify"))
        print("  %-16s %s (total %d)" % (name, per, sum(wrong[(name, p)] for p in
                                                         ("relro", "nx", "pie", "canary",
                                                          "fortify"))))


main()
