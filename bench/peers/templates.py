#!/usr/bin/env python3
"""Peer comparison before deploy (test tooling, not product code): ward, cfn-lint, cfn-guard and Checkov on the
same CloudFormation templates, Terraform plans and CDK cloud assemblies (the test's CDK fixture app, synthesized
with esbuild, and ward's own app with the hook enabled).

Each tool runs once on every input. Its findings are grouped by subject: a resource together with the resources
that only attach a policy to it (an `AWS::S3::BucketPolicy` and its bucket, a Lambda permission and its function,
a Terraform `aws_sqs_queue_policy` and its queue), because ward judges such a policy on its target, as AWS Config
records it, while the peers judge the attaching resource alone. Findings are sorted into the concerns ward has
rules for (peer_concerns.py: by check name, with named exceptions; the report lists every check it sorted, so the
mapping can be checked). ward runs twice: as configured by default, and with encrypted-at-rest's
requireCustomerManagedKey for the peers' customer-managed-key checks. Prints a Markdown report: the per-subject
tables (fixtures and plans, the CDK fixture app, the subjects of ward's own assembly any tool flags), counts per
concern, the disagreements, the sorted checks, the checks each peer reported that ward has no rule for, and every
cfn-lint finding.

Tools (none is a dependency of ward or of its test suite):
  - ward: `node bin/ward scan <inputs> --format json` (after `npm run build`);
  - cfn-lint: .venv (requirements-test.txt);
  - cfn-guard 3.x with the AWS Guard Rules Registry's `rules/aws/` (every rule, no selection):
      git clone https://github.com/aws-cloudformation/aws-guard-rules-registry /tmp/aws-guard-rules-registry
  - Checkov 3.x in its own virtualenv (`python3 -m venv /tmp/checkov-venv && /tmp/checkov-venv/bin/pip install
    checkov`), run offline (`--skip-download`, BC_SKIP_MAPPING=TRUE).

Run from the repository root:
  npm run build
  .venv/bin/python bench/peers/templates.py --guard "$(command -v cfn-guard)" \
    --registry /tmp/aws-guard-rules-registry --checkov /tmp/checkov-venv/bin/checkov > /tmp/peers-templates.md
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict

from cfnlint.decode import decode

from peer_concerns import ORDER, concern_of
from peer_subjects import TOOLS, cfn_subjects, tf_subjects
from peer_tools import (ROOT, guard_rule_types, rel, run_cfn_lint, run_checkov, run_guard, run_ward, synth_fixture_app,
                        synth_own_assembly, version)

FIXTURES = "test/fixtures/templates"


def fixture_inputs():
    """Every template and Terraform plan (`terraform show -json`: a JSON object with `planned_values`) under
    FIXTURES, in path order, so that a fixture added there is compared without editing this list."""
    templates, plans = [], []
    for path in sorted(glob.glob(os.path.join(ROOT, FIXTURES, "**", "*"), recursive=True)):
        if not path.endswith((".json", ".yaml", ".yml")) or not os.path.isfile(path):
            continue
        is_plan = False
        if path.endswith(".json"):
            with open(path) as f:
                doc = json.load(f)
            is_plan = isinstance(doc, dict) and "planned_values" in doc
        (plans if is_plan else templates).append(rel(path))
    return templates, plans


TEMPLATES, PLANS = fixture_inputs()
SEEN = {}  # (tool, check) -> concern, every check that ran


def assign(subjects, unmatched):
    index = {(s.file, m): s for s in subjects for m, _ in s.members}
    counted = set()

    def put(tool, file, rid, check, concern, status, note=""):
        SEEN[(tool, check)] = concern
        s = index.get((file, rid))
        if s is None:
            # A finding on a resource of another input (or none): listed, never dropped.
            if status == "failed":
                unmatched.append((tool, file, rid, check))
            return
        if concern == "other":
            if status == "failed":
                s.other[tool].add(check)
            return
        if status == "failed":
            key = (tool, s.file, s.id, concern, check, rid, note)
            if key not in counted:
                counted.add(key)
                s.flags[tool][concern].append((check, rid, note))
        else:
            s.passed[tool].add(concern)

    return put


def cell(s, tool):
    parts = []
    for concern in sorted(s.flags[tool]):
        hits = s.flags[tool][concern]
        shown = []
        for check, rid, note in hits:
            where = f" on {rid}" if rid != s.id else ""
            extra = f" ({note})" if note else ""
            text = f"{check}{extra}{where}"
            if text not in shown:
                shown.append(text)
        parts.append(f"✗ {concern}: " + ", ".join(shown))
    passed = sorted(s.passed[tool] - set(s.flags[tool]))
    if passed:
        parts.append("✓ " + ", ".join(passed))
    return "; ".join(parts) if parts else "—"


def lint_cell(s, lint):
    ids = sorted({f"{rule}" for (file, rid, rule, _level) in lint if file == s.file and rid in dict(s.members)})
    return ", ".join(ids) if ids else ("valid" if s.file not in PLANS else "n/a")


def disagreements(s):
    """(concern, flagged by, passed by, not checked by) where the security tools do not all agree."""
    out = []
    security = ("ward", "cfn-guard", "Checkov")
    concerns = set()
    for t in security:
        concerns.update(s.flags[t])
    for concern in sorted(concerns):
        flagged = [t for t in security if concern in s.flags[t]]
        passed = [t for t in security if concern not in s.flags[t] and concern in s.passed[t]]
        unchecked = [t for t in security if t not in flagged and t not in passed]
        if s.file in PLANS:
            unchecked = [t for t in unchecked if t != "cfn-guard"]
        if passed or unchecked:
            out.append((concern, flagged, passed, unchecked))
    return out


def short(file):
    return re.sub(r"^.*?cdk\.out/", "cdk.out/", file).replace(FIXTURES + "/", "")


def table(subjects, lint, title):
    print(f"### {title}\n")
    print("| Input | Resource (and what attaches to it) | Situation | ward | cfn-lint | cfn-guard | Checkov |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for s in subjects:
        guard = "n/a (no Terraform rules)" if s.file in PLANS else cell(s, "cfn-guard")
        members = s.id + "".join(f" + {m}" for m, _ in s.members[1:])
        situation = "; ".join(s.situations) or "plain"
        print(f"| {short(s.file)} | {members} `{s.type}` | {situation} | {cell(s, 'ward')} | {lint_cell(s, lint)} "
              f"| {guard} | {cell(s, 'Checkov')} |")
    print()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--guard", default=shutil.which("cfn-guard"), help="cfn-guard binary")
    ap.add_argument("--registry", required=True, help="a checkout of aws-cloudformation/aws-guard-rules-registry")
    ap.add_argument("--checkov", default=shutil.which("checkov"), help="checkov executable")
    ap.add_argument("--cdk-out", help="a synthesized cloud assembly to compare on (default: synthesize ward's own)")
    ap.add_argument("--no-cdk", action="store_true", help="leave the cloud assembly out")
    args = ap.parse_args()
    if not args.guard or not args.checkov:
        sys.exit("cfn-guard and checkov are needed: --guard <path> --checkov <path>")

    tmp = tempfile.mkdtemp(prefix="ward-peers-")
    try:
        assemblies = [] if args.no_cdk else [
            ("CDK fixture app (test/fixtures/cdk-app: a nested stack, deliberate problems)", synth_fixture_app(tmp), False),
            ("ward's own cloud assembly (default configuration, hook enabled)", args.cdk_out or synth_own_assembly(tmp), True),
        ]
        cdk_templates = {title: [rel(f) for f in sorted(glob.glob(os.path.join(d, "*.template.json")))]
                         for title, d, _ in assemblies}
        nested_children = set()
        for file in TEMPLATES:
            template, _ = decode(os.path.join(ROOT, file))
            for res in (template.get("Resources") or {}).values():
                url = (res.get("Properties") or {}).get("TemplateURL")
                if res.get("Type") == "AWS::CloudFormation::Stack" and isinstance(url, str) and "://" not in url:
                    nested_children.add(rel(os.path.join(os.path.dirname(file), url)))
        fixture_subjects, cdk_subjects = [], {}
        for file in TEMPLATES:
            fixture_subjects.extend(cfn_subjects(file, nested_children).values())
        for file in PLANS:
            fixture_subjects.extend(tf_subjects(file).values())
        for title, files in cdk_templates.items():
            cdk_subjects[title] = [x for file in files for x in cfn_subjects(file, set()).values()]
        subjects = fixture_subjects + [x for group in cdk_subjects.values() for x in group]
        unmatched = []
        put = assign(subjects, unmatched)

        ward_inputs = TEMPLATES + PLANS + [rel(d) for _, d, _ in assemblies]
        ward, ward_exit, ward_summary = run_ward(ward_inputs)
        for file, rid, rule, code, note in ward:
            put("ward", file, rid, code or rule, concern_of(rule), "failed" if code else "passed", note)
        # The same scan with requireCustomerManagedKey: its key findings are the "cmk" concern.
        params = os.path.join(tmp, "cmk-params.json")
        with open(params, "w") as f:
            json.dump({"encrypted-at-rest": {"requireCustomerManagedKey": True}}, f)
        cmk, _, _ = run_ward(ward_inputs, params)
        for file, rid, rule, code, note in cmk:
            if rule == "encrypted-at-rest":
                put("ward", file, rid, code or rule, "cmk", "failed" if code else "passed", note)
        cfn_files = TEMPLATES + [f for files in cdk_templates.values() for f in files]
        lint = run_cfn_lint(cfn_files)
        guard_failed, guard_applied = run_guard(args.guard, args.registry, cfn_files)
        rule_types = guard_rule_types(args.registry)
        for file, rid, rule in guard_failed:
            put("cfn-guard", file, rid, rule, concern_of(rule), "failed")
        failed_keys = {(f, r, n) for f, r, n in guard_failed}
        for s in subjects:
            for rule in guard_applied.get(s.file, ()):
                for rid, rtype in s.members:
                    if rtype in rule_types.get(rule, ()) and (s.file, rid, rule) not in failed_keys:
                        put("cfn-guard", s.file, rid, rule, concern_of(rule), "passed")
        checkov = run_checkov(args.checkov, cfn_files, "cloudformation")
        checkov += run_checkov(args.checkov, PLANS, "terraform_plan")
        names = {}
        for file, rid, check, name, status in checkov:
            names[check] = name
            put("Checkov", file, rid, check, concern_of(check, name), status)

        print(f"Measured {subprocess.run(['date', '-u', '+%Y-%m-%d %H:%M UTC'], capture_output=True, text=True).stdout.strip()}"
              f" with ward {version(['node', 'bin/ward', '--version'])}, {version([os.path.join(ROOT, '.venv/bin/cfn-lint'), '--version'])},"
              f" {version([args.guard, '--version'])} (AWS Guard Rules Registry"
              f" {version(['git', '-C', args.registry, 'rev-parse', '--short', 'HEAD']) if os.path.isdir(os.path.join(args.registry, '.git')) else '(no git metadata)'}"
              f", {len(rule_types)} rules), Checkov {version([args.checkov, '--version'])}.")
        not_judged = ward_summary.get("notJudged", {}).get("entries", []) + ward_summary.get("errors", [])
        print(f"ward exit code {ward_exit}: {ward_summary['itemsRead']} items, {ward_summary['evaluations']} evaluations"
              f"{'; not judged: ' + json.dumps(not_judged) if not_judged else ''}.\n")
        print("Cells: ✗ concern: the tool's check ids (ward: finding codes), with the resource they are on when it is"
              " not the subject's own; ✓ concerns the tool checked on the subject and passed; — none of its checks of"
              " these concerns ran. Concerns: enc (encrypted at rest), cmk (with a customer-managed KMS key; ward: the"
              " same scan with encrypted-at-rest requireCustomerManagedKey=true, off by default), public (a policy or"
              " ACL grants the public or another account), bpa (the bucket declares Block Public Access; ward raises no"
              " finding for it and applies AWS's default, all four on), wildcard (wildcard actions in identity"
              " policies), escalation, runtime (Lambda), auth (an API method or route, or a function URL, without"
              " authorization), logging (an API stage without access logs, or a REST stage without execution logs).\n")
        table(fixture_subjects, lint, "Fixture templates and Terraform plans")
        for title, _, only_flagged in assemblies:
            group = cdk_subjects[title]
            shown = [s for s in group if any(s.flags[t] for t in TOOLS)] if only_flagged else group
            label = f"{title}: the {len(shown)} of {len(group)} subjects any tool flags" if only_flagged else title
            table(shown, lint, label)
        print("### Counts\n")
        print("Subject and concern pairs flagged (all inputs; bpa and cmk apart, as ward has no finding for the"
              " first and checks the second only when asked):\n")
        print("| Concern | ward | cfn-guard | Checkov | ward and a peer | ward only | peers only (one or both) |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for concern in ORDER:
            by = {t: {id(s) for s in subjects if concern in s.flags[t]} for t in ("ward", "cfn-guard", "Checkov")}
            peers = by["cfn-guard"] | by["Checkov"]
            print(f"| {concern} | {len(by['ward'])} | {len(by['cfn-guard'])} | {len(by['Checkov'])} "
                  f"| {len(by['ward'] & peers)} | {len(by['ward'] - peers)} "
                  f"| {len(peers - by['ward'])} |")
        print()
        print("### Disagreements\n")
        print("| Input | Subject | Concern | Flagged by | Passed by | Not checked by |")
        print("| --- | --- | --- | --- | --- | --- |")
        rows = [(s, *d) for s in subjects for d in disagreements(s)]
        for s, concern, flagged, passed, unchecked in sorted(rows, key=lambda r: ORDER.index(r[1])):
            print(f"| {short(s.file)} | {s.id} | {concern} | {', '.join(flagged) or '-'} | {', '.join(passed) or '-'}"
                  f" | {', '.join(unchecked) or '-'} |")
        print()
        print("### Peer checks sorted into ward's concerns (every one that ran on an input, passed or failed)\n")
        print("| Tool | Check | Concern |")
        print("| --- | --- | --- |")
        seen = sorted((t, c, k) for (t, c), k in SEEN.items() if t in ("cfn-guard", "Checkov") and k != "other")
        for tool, check, concern in seen:
            label = f"{check} ({names[check]})" if check in names else check
            print(f"| {tool} | {label} | {concern} |")
        print()
        print("### Other peer findings (checks ward has no rule for), by check\n")
        counts = defaultdict(int)
        for s in subjects:
            for tool in TOOLS:
                for check in s.other[tool]:
                    counts[(tool, check)] += 1
        print("| Tool | Check | Subjects |")
        print("| --- | --- | ---: |")
        for (tool, check), n in sorted(counts.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1])):
            label = f"{check} ({names[check]})" if check in names else check
            print(f"| {tool} | {label} | {n} |")
        print()
        # Every cfn-lint finding, those on subjects the tables above leave out (ward's own assembly) included.
        print("### cfn-lint findings, by rule\n")
        print("| Rule | Level | Findings | Inputs |")
        print("| --- | --- | ---: | --- |")
        by_rule = defaultdict(list)
        for file, _rid, rule, level in lint:
            by_rule[(rule, level)].append(short(file))
        for (rule, level), files in sorted(by_rule.items()):
            print(f"| {rule} | {level} | {len(files)} | {', '.join(sorted(set(files)))} |")
        print()
        if unmatched:
            print("### Findings on no subject of the inputs\n")
            for tool, file, rid, check in unmatched:
                print(f"- {tool}: {short(file or '')} {rid}: {check}")
            print()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
