"""Subjects of the peer comparison before deploy (templates.py): each resource of a CloudFormation template or a
Terraform plan, with the resources that only attach a policy to it, and the situations it is in (short-form tags,
`Fn::If`, parameters without a default, split-out policies, values unknown until apply, modules). Test tooling."""
import json
import os
import re
import sys
from collections import defaultdict

from cfnlint.decode import decode

from peer_tools import ROOT

TOOLS = ("ward", "cfn-lint", "cfn-guard", "Checkov")


ATTACHERS_CFN = {
    "AWS::S3::BucketPolicy": ("Bucket",),
    "AWS::SQS::QueuePolicy": ("Queues",),
    "AWS::SNS::TopicPolicy": ("Topics",),
    "AWS::Lambda::Permission": ("FunctionName",),
    "AWS::IAM::Policy": ("Roles", "Users", "Groups"),
    "AWS::IAM::RolePolicy": ("RoleName",),
    "AWS::IAM::UserPolicy": ("UserName",),
    "AWS::IAM::GroupPolicy": ("GroupName",),
}
SHORT_TAG = re.compile(r"!(Ref|Sub|GetAtt|Join|Select|If|ImportValue|FindInMap|GetAZs|Split|Base64|Equals|Cidr)\b")
# Properties ward reads whose absence means AWS's default (encrypted by default, Block Public Access on, or no
# authorization).
DEFAULTED = {
    "AWS::S3::Bucket": ("BucketEncryption", "PublicAccessBlockConfiguration"),
    "AWS::SQS::Queue": ("KmsMasterKeyId", "SqsManagedSseEnabled"),
    "AWS::DynamoDB::Table": ("SSESpecification",),
    "AWS::ECR::Repository": ("EncryptionConfiguration",),
    "AWS::SecretsManager::Secret": ("KmsKeyId",),
    "AWS::Backup::BackupVault": ("EncryptionKeyArn",),
    # Left out, CloudFormation creates the method or route with NONE: callable without authorization.
    "AWS::ApiGateway::Method": ("AuthorizationType",),
    "AWS::ApiGatewayV2::Route": ("AuthorizationType",),
}


def refs_in(value):
    """Logical ids a value names through Ref, GetAtt (either form) or a `${Name}` of Fn::Sub."""
    out = []
    if isinstance(value, dict):
        if "Ref" in value and isinstance(value["Ref"], str):
            out.append(value["Ref"])
        elif "Fn::GetAtt" in value:
            g = value["Fn::GetAtt"]
            out.append(g[0] if isinstance(g, list) else str(g).split(".")[0])
        elif "Fn::Sub" in value:
            sub = value["Fn::Sub"]
            text, names = (sub[0], sub[1] if len(sub) > 1 else {}) if isinstance(sub, list) else (sub, {})
            out.extend(n.split(".")[0] for n in re.findall(r"\$\{([^}!]+)\}", str(text)) if n not in names)
            out.extend(refs_in(names))
        else:
            for v in value.values():
                out.extend(refs_in(v))
    elif isinstance(value, list):
        for v in value:
            out.extend(refs_in(v))
    return out


def has_key(value, key):
    if isinstance(value, dict):
        return key in value or any(has_key(v, key) for v in value.values())
    if isinstance(value, list):
        return any(has_key(v, key) for v in value)
    return False


class Subject:
    def __init__(self, file, rid, rtype, situations):
        self.file, self.id, self.type = file, rid, rtype
        self.members = [(rid, rtype)]
        self.situations = list(situations)
        # tool -> concern -> list of (check, member id, note); tool -> concerns checked and passed
        self.flags = {t: defaultdict(list) for t in TOOLS}
        self.passed = {t: set() for t in TOOLS}
        self.other = {t: set() for t in TOOLS}


def cfn_subjects(file, nested_children):
    template, matches = decode(os.path.join(ROOT, file))
    if template is None:
        sys.exit(f"{file}: cfn-lint cannot decode it: {matches}")
    text = open(os.path.join(ROOT, file)).read().splitlines()
    params = template.get("Parameters", {}) or {}
    no_default = {p for p, d in params.items() if "Default" not in d}
    resources = template.get("Resources", {}) or {}
    subjects, attach = {}, {}
    for rid, res in resources.items():
        rtype = res.get("Type", "")
        props = res.get("Properties", {}) or {}
        sit = []
        cdk_path = (res.get("Metadata") or {}).get("aws:cdk:path")
        if cdk_path:
            sit.append(f"construct {cdk_path}")
        if file.endswith((".yaml", ".yml")):
            start, end = res.start_mark.line, res.end_mark.line
            tags = sorted({m.group(1) for line in text[start:end] for m in SHORT_TAG.finditer(line)})
            if tags:
                sit.append("short-form " + " ".join(f"`!{t}`" for t in tags))
        if has_key(props, "Fn::If"):
            sit.append("`Fn::If`")
        unresolved = sorted({r for r in refs_in(props) if r in no_default})
        if unresolved:
            given = " (given by the parent stack)" if file in nested_children else ""
            sit.append(f"Ref of a parameter without default ({', '.join(unresolved)}){given}")
        missing = [p for p in DEFAULTED.get(rtype, ()) if p not in props]
        if len(missing) == len(DEFAULTED.get(rtype, ("x",))):
            sit.append(f"{'/'.join(missing)} left out (AWS's default)")
        if rtype == "AWS::CloudFormation::Stack":
            sit.append("nested stack")
        if rtype == "AWS::IAM::ManagedPolicy":
            sit.append("managed policy attached to " + ", ".join(refs_in(props.get("Roles", []))) or "nothing")
        if rtype in ATTACHERS_CFN:
            targets = [t for key in ATTACHERS_CFN[rtype] for t in refs_in(props.get(key)) if t in resources]
            if targets:
                attach[rid] = (rtype, targets, sit)
                continue
        subjects[rid] = Subject(file, rid, rtype, sit)
    for rid, (rtype, targets, sit) in attach.items():
        s = subjects[targets[0]]
        s.members.append((rid, rtype))
        also = [f"also on {', '.join(targets[1:])}"] if targets[1:] else []
        detail = "; ".join(also + sit)
        s.situations.append(f"split-out `{rtype}` {rid}" + (f" ({detail})" if detail else ""))
    return subjects


# Terraform resources that only attach something to another resource, and the argument naming it.
ATTACHERS_TF = {
    "aws_s3_bucket_policy": "bucket",
    "aws_s3_bucket_server_side_encryption_configuration": "bucket",
    "aws_s3_bucket_public_access_block": "bucket",
    "aws_s3_bucket_acl": "bucket",
    "aws_sqs_queue_policy": "queue_url",
    "aws_sns_topic_policy": "arn",
    "aws_iam_role_policy": "role",
    "aws_iam_role_policy_attachment": "role",
    "aws_iam_user_policy": "user",
    "aws_iam_user_policy_attachment": "user",
    "aws_iam_group_policy": "group",
    "aws_iam_group_policy_attachment": "group",
    "aws_lambda_permission": "function_name",
    "aws_ecr_repository_policy": "repository",
    "aws_efs_file_system_policy": "file_system_id",
    # ward folds a stage's method settings into the stage (its execution logging), as GetStage shows them.
    "aws_api_gateway_method_settings": "stage_name",
}
COMPUTED = {"id", "arn", "tags_all", "unique_id", "create_date", "owner", "url", "policy_id", "attachment_count"}


def tf_config_resources(module, prefix=""):
    for r in module.get("resources", []):
        yield prefix + r["address"], r
    for name, call in (module.get("module_calls") or {}).items():
        yield from tf_config_resources(call.get("module", {}), f"{prefix}module.{name}.")


def tf_subjects(file):
    plan = json.load(open(os.path.join(ROOT, file)))
    config = dict(tf_config_resources(plan.get("configuration", {}).get("root_module", {})))
    changes = {c["address"]: c for c in plan.get("resource_changes", [])}
    subjects, attach = {}, {}

    def walk(module):
        yield from module.get("resources", [])
        for child in module.get("child_modules", []):
            yield from walk(child)

    for r in walk(plan["planned_values"]["root_module"]):
        if r.get("mode") != "managed":
            continue
        address, rtype = r["address"], r["type"]
        base = re.sub(r"\[[^\]]*\]$", "", address)
        prefix = base[: -len(f"{rtype}.{r['name']}")]
        expressions = config.get(base, {}).get("expressions", {})
        unknown = changes.get(address, {}).get("change", {}).get("after_unknown", {}) or {}
        sit = []
        if address.startswith("module."):
            sit.append(f"in module {prefix.rstrip('.')}")
        if "[" in address:
            sit.append("count/for_each instance")
        set_unknown = sorted(k for k, v in unknown.items() if v is True and k not in COMPUTED and k in expressions)
        if set_unknown:
            sit.append(f"unknown until apply: {', '.join(set_unknown)}")
        if rtype in ATTACHERS_TF:
            refs = expressions.get(ATTACHERS_TF[rtype], {}).get("references", [])
            targets = [prefix + ".".join(x.split(".")[:2]) for x in refs if x.startswith("aws_")]
            if targets:
                attach[address] = (rtype, targets[0], sit)
                continue
        subjects[address] = Subject(file, address, rtype, sit)
    for address, (rtype, target, sit) in attach.items():
        s = next((v for k, v in subjects.items() if re.sub(r"\[[^\]]*\]$", "", k) == target), None)
        if s is None:
            subjects[address] = Subject(file, address, rtype, [f"attaches to {target} (not in the plan)"])
            continue
        s.members.append((address, rtype))
        detail = "; ".join(x for x in sit if not x.startswith("in module"))
        s.situations.append(f"split-out `{rtype}`" + (f" ({detail})" if detail else ""))
    return subjects
