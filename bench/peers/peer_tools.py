"""Runs ward, cfn-lint, cfn-guard and Checkov for the peer comparison before deploy (templates.py), and
synthesizes the CDK apps it compares on. Test tooling, not product code."""
import glob
import json
import os
import re
import subprocess
import sys
from collections import defaultdict

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def rel(path):
    path = path if os.path.isabs(path) else os.path.join(ROOT, path)
    return os.path.relpath(os.path.normpath(path), ROOT)


def run(cmd, env=None, ok=(0,)):
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})})
    if proc.returncode not in ok:
        sys.exit(f"{' '.join(cmd[:3])} ... exited {proc.returncode}: {proc.stderr.strip()[:800]}")
    return proc


def version(cmd):
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True).stdout.strip().splitlines()[-1]


def run_ward(inputs, params=None):
    extra = ["--params", params] if params else []
    proc = run(["node", "bin/ward", "scan", *inputs, "--format", "json", *extra], ok=(0, 1, 2))
    report = json.loads(proc.stdout)
    findings = []
    for e in report["evaluations"]:
        location = e.get("location") or {}
        file = rel(location["file"]) if location.get("file") else None
        for f in e["findings"]:
            note = []
            if f["message"].startswith("Unknown before deploy"):
                note.append("unknown")
            if location.get("branch"):
                note.append(location["branch"])
            findings.append((file, e["resourceId"], e["rule"], f"`{f['code']}`", ", ".join(note)))
        if e["compliance"] == "COMPLIANT":
            findings.append((file, e["resourceId"], e["rule"], None, ""))
    return findings, proc.returncode, report["summary"]


def run_cfn_lint(files):
    proc = run([os.path.join(ROOT, ".venv/bin/cfn-lint"), "--format", "json", *files], ok=(0, 2, 4, 6, 8, 10, 12, 14))
    out = []
    for m in json.loads(proc.stdout or "[]"):
        path = m["Location"]["Path"]
        rid = path[1] if len(path) > 1 and path[0] == "Resources" else None
        out.append((rel(m["Filename"]), rid, m["Rule"]["Id"], m["Level"]))
    return out


def guard_rule_types(registry):
    """rule name -> resource types it selects, read from the rule files."""
    types = {}
    for path in glob.glob(os.path.join(registry, "rules/aws/**/*.guard"), recursive=True):
        # Every resource type the file names outside comments: the registry's rules select their types by
        # `Type == '...'` or through a list variable (`Type in %applicable_types`).
        text = "\n".join(line for line in open(path).read().splitlines() if not line.lstrip().startswith("#"))
        found = set(re.findall(r"['\"](AWS::[A-Za-z0-9]+::[A-Za-z0-9]+)['\"]", text))
        for name in re.findall(r"^\s*rule\s+([A-Za-z0-9_]+)", text, re.M):
            types.setdefault(name, set()).update(found)
    return types


def resource_paths(node, out):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "path" and isinstance(v, str) and v.startswith("/Resources/"):
                out.add(v.split("/")[2])
            else:
                resource_paths(v, out)
    elif isinstance(node, list):
        for v in node:
            resource_paths(v, out)


def run_guard(guard, registry, files):
    proc = run(
        [guard, "validate", *[a for f in files for a in ("--data", f)], "--rules", os.path.join(registry, "rules/aws"),
         "--output-format", "json", "--show-summary", "none"],
        ok=(0, 19),
    )
    decoder, text, i = json.JSONDecoder(), proc.stdout, 0
    failed, applied = [], defaultdict(set)  # (file, rid, rule); file -> rules that ran (PASS or FAIL)
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            break
        doc, i = decoder.raw_decode(text, i)
        file = rel(doc["name"])
        for rule in doc.get("compliant", []):
            applied[file].add(rule)
        for nc in doc.get("not_compliant", []):
            name = nc["Rule"]["name"]
            applied[file].add(name)
            ids = set()
            resource_paths(nc, ids)
            for rid in sorted(ids):
                failed.append((file, rid, name))
    return failed, applied


def run_checkov(checkov, files, framework):
    env = {"BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false", "BC_API_KEY": ""}
    proc = run(
        [checkov, *[a for f in files for a in ("-f", f)], "--framework", framework, "-o", "json", "--skip-download",
         "--compact"],
        env=env,
        ok=(0, 1),
    )
    reports = json.loads(proc.stdout)
    reports = reports if isinstance(reports, list) else [reports]
    out = []
    for r in reports:
        for status, key in (("failed", "failed_checks"), ("passed", "passed_checks")):
            for c in r["results"].get(key, []):
                rid = c["resource"].split(".", 1)[1] if framework == "cloudformation" else c["resource"]
                out.append((rel(c["file_abs_path"]), rid, c["check_id"], c["check_name"], status))
    return out


def synth_fixture_app(outdir):
    """The CDK fixture app of the tests (test/fixtures/cdk-app: a stack, a nested stack, deliberate problems)."""
    bundle = os.path.join(outdir, "fixture-app.js")
    run(["node", "-e", "require('esbuild').buildSync({entryPoints:['test/fixtures/cdk-app/app.ts'],bundle:true,"
         f"platform:'node',packages:'external',outfile:{json.dumps(bundle)},logLevel:'error'}})"])
    out = os.path.join(outdir, "fixture.cdk.out")
    run(["node", "-e", f"require({json.dumps(bundle)}).buildFixtureApp({json.dumps(out)}).app.synth()"],
        env={"NODE_PATH": os.path.join(ROOT, "node_modules")})
    return out


def synth_own_assembly(outdir):
    """ward's own cloud assembly (rules, responder, ops and hook stacks) with the hook enabled."""
    config = os.path.join(outdir, "ward.config.json")
    os.makedirs(outdir, exist_ok=True)
    with open(config, "w") as f:
        json.dump({"hook": {"enabled": True, "failureMode": "FAIL"}}, f)
    run(
        ["node", "dist/infra/app.js"],
        env={"CDK_OUTDIR": os.path.join(outdir, "cdk.out"), "WARD_CONFIG": config,
             "CDK_DEFAULT_ACCOUNT": "111122223333", "CDK_DEFAULT_REGION": "eu-west-1"},
    )
    return os.path.join(outdir, "cdk.out")
