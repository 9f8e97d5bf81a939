#!/usr/bin/env python3
"""report_validate.py — validators for iotb's CI report formats.

  report_validate.py [--schema SARIF_SCHEMA] [--rules-dir DIR]
                     [--sarif F]... [--junit F]... [--codequality F]...
                     [--html F]... [--markdown F]...

SARIF: the OASIS 2.1.0 schema (draft-04, jsonschema's Draft4Validator with
its format checker, plus our own URI-reference checks, since the checker
has no "uri" format without extra packages), then GitHub code scanning's
rules, each a separate check:
  G1  tool.driver.rules[] entries have shortDescription, fullDescription and
      help.text (and, with --rules-dir, they equal the rule YAML's title,
      description and start with its remediation)
  G2  properties.security-severity is a string "0.0"-"10.0"
  G3  properties.tags include "security", then "external/cwe/cwe-N" for the
      rule's CWE ids, then its clause ids, primary first; at most 20 tags
  G4  every result has partialFingerprints.primaryLocationLineHash
  G5  every region has startLine, startColumn, endLine, endColumn (>= 1,
      end not before start); results with an address are at line 1 col 1
  G6  URIs are relative to a uriBaseId declared in originalUriBaseIds (an
      absolute file:// URI ending in "/") or absolute file:// URIs
  G7  every run has automationDetails.id; no two runs share tool+category
  G8  limits: <= 20 runs, <= 25,000 results per run (above 5,000 a
      toolExecutionNotification explains), <= 1,000 locations per result,
      <= 10,000 thread-flow locations, gzip size <= 10 MB
  G9  ruleId/ruleIndex point at the same tool.driver.rules[] entry
  G10 baselineState only new/unchanged/updated/absent; suppressions have
      a kind; no "compliant"/"pass" wording about clauses
JUnit: structure (counts agree with the elements).  Schema validation with
xmllint runs in the shell driver (tests/sarif_validate.sh).
GitLab Code Quality: the fields GitLab reads (all tiers): an array of
objects with description (string), check_name (string), fingerprint
(string, unique), severity (info|minor|major|critical|blocker),
location.path (relative, no "./") and location.lines.begin or
location.positions.begin.line (integer >= 1); type "issue" when present.
HTML: self-contained (no script, no external URL in src/href, a
Content-Security-Policy meta), balanced tags, UTF-8, no certification words.
Markdown: UTF-8, no certification words, every clause status is one of the
three phrases.

Exit 0 when everything holds, 1 otherwise, 77 when jsonschema is missing.
With --each-must-fail, every --sarif file must be rejected instead (the
validator's own test: one broken file per rule); each file's first problem
is printed.
"""
import argparse
import gzip
import html.parser
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

try:
    import jsonschema
except ImportError:
    print("skipped: python3 jsonschema not available")
    sys.exit(77)

try:
    import yaml
except ImportError:
    yaml = None

errors = []
checks = []


def fail(where, msg):
    errors.append("%s: %s" % (where, msg))


def ok(what):
    checks.append(what)


CERT_WORDS = re.compile(r"\b(compliant|compliance|pass|passed|passes)\b", re.I)
URI_REF = re.compile(r"^(?:[A-Za-z0-9\-._~/!$&'()*+,;=:@?#]|%[0-9A-Fa-f]{2})*$")
FILE_URI = re.compile(r"^file:///(?:[A-Za-z0-9\-._~/!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*$")
SEVERITY = re.compile(r"^(10\.0|[0-9]\.[0-9])$")
HEX64 = re.compile(r"^[0-9a-f]{64}$")


def load_rule_yaml(rules_dir):
    """{rule id: rule dict} from rules/*.yaml (clauses.yaml skipped)."""
    rules = {}
    if not rules_dir or yaml is None:
        return rules
    for name in sorted(os.listdir(rules_dir)):
        if not name.endswith(".yaml") or name == "clauses.yaml":
            continue
        with open(os.path.join(rules_dir, name), encoding="utf-8") as f:
            doc = yaml.safe_load(f) or {}
        for r in doc.get("rules", []) or []:
            rules[r["id"]] = r
    return rules


def folded(s):
    return " ".join((s or "").split())


# --- SARIF ---


def walk_uris(node, path="$"):
    """Yield (json path, uri) of every "uri" string in the log."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "uri" and isinstance(v, str):
                yield path + "." + k, v
            else:
                yield from walk_uris(v, path + "." + k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk_uris(v, "%s[%d]" % (path, i))


def check_region(where, region):
    for key in ("startLine", "startColumn", "endLine", "endColumn"):
        v = region.get(key)
        if not isinstance(v, int) or v < 1:
            fail(where, "region.%s missing or < 1 (G5): %r" % (key, v))
            return
    if (region["endLine"], region["endColumn"]) < (region["startLine"], region["startColumn"]):
        fail(where, "region ends before it starts (G5): %r" % region)


def check_location(where, loc, base_ids):
    phys = loc.get("physicalLocation")
    if not isinstance(phys, dict):
        fail(where, "no physicalLocation")
        return
    art = phys.get("artifactLocation", {})
    uri = art.get("uri")
    base = art.get("uriBaseId")
    if not isinstance(uri, str):
        fail(where, "artifactLocation.uri missing (G6)")
    elif base is not None:
        if base not in base_ids:
            fail(where, "uriBaseId %r not in originalUriBaseIds (G6)" % base)
        if uri.startswith("/") or ":" in uri.split("/")[0]:
            fail(where, "uri %r with a uriBaseId is not relative (G6)" % uri)
    elif not FILE_URI.match(uri):
        fail(where, "uri %r is neither relative to a base id nor an absolute file URI (G6)"
             % uri)
    region = phys.get("region")
    if not isinstance(region, dict):
        fail(where, "no region (G5)")
        return
    check_region(where, region)
    if "address" in phys:
        if region.get("startLine") != 1 or region.get("startColumn") != 1:
            fail(where, "binary location not at line 1 column 1 (G5)")
        addr = phys["address"]
        if not any(k in addr for k in ("absoluteAddress", "relativeAddress", "name")):
            fail(where, "address without offset or name (G5)")


def check_rule(where, rule, yaml_rules):
    for key in ("shortDescription", "fullDescription", "help"):
        text = rule.get(key, {}).get("text")
        if not isinstance(text, str) or not text.strip():
            fail(where, "%s.text missing or empty (G1)" % key)
    props = rule.get("properties", {})
    sev = props.get("security-severity")
    if not isinstance(sev, str) or not SEVERITY.match(sev) or not 0.0 <= float(sev) <= 10.0:
        fail(where, "security-severity %r is not a string 0.0-10.0 (G2)" % (sev,))
    tags = props.get("tags")
    if not isinstance(tags, list) or "security" not in tags:
        fail(where, "tags %r lack 'security' (G3)" % (tags,))
        return
    if len(tags) > 20:
        fail(where, "%d tags, GitHub rejects more than 20 (G3)" % len(tags))
    if len(set(tags)) != len(tags):
        fail(where, "repeated tags %r (G3)" % tags)
    y = yaml_rules.get(rule.get("id"))
    if y is None:
        return
    if rule["shortDescription"]["text"] != folded(y.get("title")):
        fail(where, "shortDescription differs from the YAML title (G1)")
    if folded(rule["fullDescription"]["text"]) != folded(y.get("description")):
        fail(where, "fullDescription differs from the YAML description (G1)")
    want_help = folded(y.get("remediation") or y.get("description"))
    if not folded(rule["help"]["text"]).startswith(want_help):
        fail(where, "help.text does not start with the YAML remediation (G1)")
    want_tags = ["security"] + ["external/cwe/cwe-%d" % c for c in (y.get("cwe") or [])] + \
        list(y.get("clauses") or [])
    if tags != want_tags[:20]:
        fail(where, "tags %r, want %r (G3)" % (tags, want_tags[:20]))
    if "security_severity" in y and abs(float(sev) - float(y["security_severity"])) > 0.05:
        fail(where, "security-severity %s, YAML says %s (G2)" % (sev, y["security_severity"]))


def check_sarif(path, schema, yaml_rules):
    raw = open(path, "rb").read()
    try:
        log = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        fail(path, "not UTF-8 JSON: %s" % e)
        return
    validator = jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    n = 0
    for err in sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path)):
        n += 1
        fail(path, "schema: %s at %s" % (err.message,
                                         "/".join(map(str, err.absolute_path))))
    if n == 0:
        ok("%s: SARIF 2.1.0 schema (draft-04, format checker)" % os.path.basename(path))
    for where, uri in walk_uris(log):
        if not URI_REF.match(uri):
            fail(path, "%s: %r is not a percent-encoded URI reference" % (where, uri))
    if len(gzip.compress(raw)) > 10 * 1024 * 1024:
        fail(path, "gzip size over 10 MB (G8)")
    runs = log.get("runs", [])
    if len(runs) > 20:
        fail(path, "%d runs, GitHub takes at most 20 (G8)" % len(runs))
    seen_categories = set()
    for ri, run in enumerate(runs):
        where = "%s runs[%d]" % (path, ri)
        driver = run.get("tool", {}).get("driver", {})
        auto = run.get("automationDetails", {}).get("id")
        if not isinstance(auto, str) or not auto:
            fail(where, "no automationDetails.id (G7)")
        else:
            key = (driver.get("name"), auto.rsplit("/", 1)[0] if "/" in auto else auto)
            if key in seen_categories:
                fail(where, "tool and category %r repeat another run's (G7)" % (key,))
            seen_categories.add(key)
        base_ids = run.get("originalUriBaseIds", {})
        for name, base in base_ids.items():
            uri = base.get("uri", "")
            if not FILE_URI.match(uri) or not uri.endswith("/"):
                fail(where, "originalUriBaseIds[%s].uri %r is not an absolute file URI "
                     "ending in '/' (G6)" % (name, uri))
        rules = driver.get("rules", [])
        ids = [r.get("id") for r in rules]
        if len(set(ids)) != len(ids):
            fail(where, "repeated rule ids (G9)")
        for i, rule in enumerate(rules):
            check_rule("%s rule %s" % (where, rule.get("id", i)), rule, yaml_rules)
        results = run.get("results", [])
        if len(results) > 25000:
            fail(where, "%d results, GitHub rejects more than 25,000 (G8)" % len(results))
        if len(results) > 5000:
            notes = [n for inv in run.get("invocations", [])
                     for n in inv.get("toolExecutionNotifications", [])]
            if not any(re.search(r"\b(5000|25000)\b", n.get("message", {}).get("text", ""))
                       for n in notes):
                fail(where, "more than 5,000 results without a note (G8)")
        if not run.get("invocations"):
            fail(where, "no invocations")
        fps = set()
        for i, res in enumerate(results):
            rw = "%s results[%d]" % (where, i)
            rid, ridx = res.get("ruleId"), res.get("ruleIndex")
            if res.get("baselineState") != "absent" or rid is not None:
                if rid not in ids:
                    fail(rw, "ruleId %r not in tool.driver.rules (G9)" % rid)
                elif ridx is not None and (ridx >= len(ids) or ids[ridx] != rid):
                    fail(rw, "ruleIndex %r does not point at %r (G9)" % (ridx, rid))
            fp = res.get("partialFingerprints", {}).get("primaryLocationLineHash")
            if not isinstance(fp, str) or not fp:
                fail(rw, "no partialFingerprints.primaryLocationLineHash (G4)")
            elif fp in fps:
                fail(rw, "fingerprint %s repeats within the run (G4)" % fp)
            fps.add(fp)
            if not res.get("message", {}).get("text"):
                fail(rw, "no message.text")
            locs = res.get("locations", [])
            if len(locs) > 1000:
                fail(rw, "more than 1,000 locations (G8)")
            if not locs and res.get("baselineState") != "absent":
                fail(rw, "no location (G5)")
            for li, loc in enumerate(locs):
                check_location("%s locations[%d]" % (rw, li), loc, base_ids)
            for li, loc in enumerate(res.get("relatedLocations", [])):
                check_location("%s relatedLocations[%d]" % (rw, li), loc, base_ids)
            for fi, flow in enumerate(res.get("codeFlows", [])):
                for ti, tf in enumerate(flow.get("threadFlows", [])):
                    steps = tf.get("locations", [])
                    if len(steps) > 10000:
                        fail(rw, "more than 10,000 thread-flow locations (G8)")
                    for si, step in enumerate(steps):
                        check_location("%s codeFlows[%d].threadFlows[%d].locations[%d]"
                                       % (rw, fi, ti, si), step.get("location", {}), base_ids)
            state = res.get("baselineState")
            if state is not None and state not in ("new", "unchanged", "updated", "absent"):
                fail(rw, "baselineState %r (G10)" % state)
            for s in res.get("suppressions", []):
                if s.get("kind") not in ("inSource", "external"):
                    fail(rw, "suppression kind %r (G10)" % s.get("kind"))
    if CERT_WORDS.search(json.dumps([r.get("properties", {}) for r in runs])):
        fail(path, "certification wording in run properties (G10)")
    ok("%s: GitHub code scanning rules G1-G10 (%d runs, %d results)" % (
        os.path.basename(path), len(runs), sum(len(r.get("results", [])) for r in runs)))


# --- JUnit ---


def check_junit(path):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        fail(path, "not well-formed XML: %s" % e)
        return
    if root.tag != "testsuites":
        fail(path, "root element is <%s>, want <testsuites>" % root.tag)
        return
    total = fails = 0
    for suite in root.findall("testsuite"):
        cases = suite.findall("testcase")
        nfail = sum(1 for c in cases if c.find("failure") is not None)
        if int(suite.get("tests", -1)) != len(cases):
            fail(path, "suite %r: tests=%s but %d cases" % (suite.get("name"),
                                                           suite.get("tests"), len(cases)))
        if int(suite.get("failures", -1)) != nfail:
            fail(path, "suite %r: failures=%s but %d failing" % (
                suite.get("name"), suite.get("failures"), nfail))
        for c in cases:
            if c.get("classname") != suite.get("name"):
                fail(path, "case %r: classname is not its suite's name" % c.get("name"))
            f = c.find("failure")
            if f is not None and not (f.text or "").strip():
                fail(path, "case %r: failure without its findings" % c.get("name"))
        total += len(cases)
        fails += nfail
    if int(root.get("tests", -1)) != total or int(root.get("failures", -1)) != fails:
        fail(path, "testsuites counts %s/%s, elements say %d/%d" % (
            root.get("tests"), root.get("failures"), total, fails))
    ok("%s: JUnit structure (%d cases, %d failing)" % (os.path.basename(path), total, fails))


# --- GitLab Code Quality ---


def check_codequality(path):
    try:
        issues = json.loads(open(path, "rb").read().decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        fail(path, "not UTF-8 JSON: %s" % e)
        return
    if not isinstance(issues, list):
        fail(path, "top level is not an array")
        return
    fps = set()
    for i, it in enumerate(issues):
        w = "%s[%d]" % (path, i)
        for key in ("description", "check_name", "fingerprint"):
            if not isinstance(it.get(key), str) or not it[key]:
                fail(w, "%s missing or not a non-empty string" % key)
        if it.get("fingerprint") in fps:
            fail(w, "fingerprint repeats")
        fps.add(it.get("fingerprint"))
        if it.get("severity") not in ("info", "minor", "major", "critical", "blocker"):
            fail(w, "severity %r" % it.get("severity"))
        if "type" in it and it["type"] != "issue":
            fail(w, "type %r" % it["type"])
        loc = it.get("location", {})
        p = loc.get("path")
        if not isinstance(p, str) or not p or p.startswith("./"):
            fail(w, "location.path %r" % p)
        begin = loc.get("lines", {}).get("begin")
        if begin is None:
            begin = loc.get("positions", {}).get("begin", {}).get("line")
        if not isinstance(begin, int) or begin < 1:
            fail(w, "no location.lines.begin or positions.begin.line >= 1")
    ok("%s: GitLab Code Quality fields (%d issues)" % (os.path.basename(path), len(issues)))


# --- HTML / Markdown ---


class HtmlCheck(html.parser.HTMLParser):
    VOID = {"meta", "br", "hr", "img", "link", "input", "col", "area", "base", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.problems, self.text, self.status_text = [], [], [], []
        self.csp = self.charset = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.problems.append("has a <script>")
        if tag == "meta" and a.get("charset", "").lower() == "utf-8":
            self.charset = True
        if tag == "meta" and a.get("http-equiv", "").lower() == "content-security-policy":
            self.csp = "default-src 'none'" in a.get("content", "")
        for k in ("src", "href", "action"):
            if k in a and re.match(r"^\s*(https?:|//|javascript:)", a[k] or "", re.I):
                self.problems.append("external %s=%r" % (k, a[k]))
        if tag == "link":
            self.problems.append("has a <link>")
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append("unbalanced </%s> (open: %s)" % (tag, self.stack[-3:]))
            return
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)
        if self.stack and self.stack[-1] in ("td", "h1", "h2", "h3", "th", "title") \
                and not self.in_finding():
            self.status_text.append(data)

    def in_finding(self):
        """Finding messages and evidence are the engines' words, not the
        report's: inside a list item or <code> they are not checked."""
        return any(t in ("li", "code", "pre") for t in self.stack)


def check_html(path):
    try:
        text = open(path, "rb").read().decode("utf-8")
    except UnicodeDecodeError as e:
        fail(path, "not UTF-8: %s" % e)
        return
    p = HtmlCheck()
    p.feed(text)
    p.close()
    for prob in p.problems:
        fail(path, prob)
    if p.stack:
        fail(path, "unclosed elements %r" % p.stack)
    if not text.startswith("<!DOCTYPE html>"):
        fail(path, "no <!DOCTYPE html>")
    if not p.charset or not p.csp:
        fail(path, "no utf-8 charset or no Content-Security-Policy default-src 'none'")
    if re.search(r"@import|url\(", text):
        fail(path, "CSS loads something")
    check_wording(path, "\n".join(p.status_text))
    ok("%s: self-contained HTML, balanced, no script" % os.path.basename(path))


def check_wording(path, text):
    """The report's own words about clauses (headings, status cells and
    lines) never certify; finding messages are left out by the callers."""
    m = CERT_WORDS.search(text)
    if m:
        fail(path, "certification wording %r" % m.group(0))
    if not re.search(r"evidence against it|no evidence found by|not checked", text):
        fail(path, "no clause status phrase")


def check_markdown(path):
    try:
        text = open(path, "rb").read().decode("utf-8")
    except UnicodeDecodeError as e:
        fail(path, "not UTF-8: %s" % e)
        return
    if re.search(r"<\s*script", text, re.I):
        fail(path, "raw <script>")
    # finding lines are "- " items; the report's own lines are the rest
    check_wording(path, "\n".join(l for l in text.splitlines()
                                  if not l.lstrip().startswith("- ")))
    ok("%s: Markdown wording and encoding" % os.path.basename(path))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--schema")
    ap.add_argument("--rules-dir")
    ap.add_argument("--each-must-fail", action="store_true")
    for kind in ("sarif", "junit", "codequality", "html", "markdown"):
        ap.add_argument("--" + kind, action="append", default=[])
    a = ap.parse_args()
    yaml_rules = load_rule_yaml(a.rules_dir)
    if a.sarif:
        with open(a.schema, encoding="utf-8") as f:
            schema = json.load(f)
        jsonschema.Draft4Validator.check_schema(schema)
        if a.each_must_fail:
            accepted = 0
            for p in a.sarif:
                del errors[:]
                check_sarif(p, schema, yaml_rules)
                if errors:
                    print("rejected: %s" % errors[0])
                else:
                    print("ACCEPTED: %s" % p)
                    accepted += 1
            return 1 if accepted else 0
        for p in a.sarif:
            check_sarif(p, schema, yaml_rules)
    for p in a.junit:
        check_junit(p)
    for p in a.codequality:
        check_codequality(p)
    for p in a.html:
        check_html(p)
    for p in a.markdown:
        check_markdown(p)
    for c in checks:
        print("ok:", c)
    for e in errors:
        print("FAIL:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
