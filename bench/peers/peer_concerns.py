"""How the peer comparison before deploy (templates.py) sorts each tool's checks into the concerns ward has rules
for. Test tooling, not product code."""
import re

ORDER = ("enc", "public", "bpa", "wildcard", "escalation", "runtime", "auth", "logging", "cmk")


# Concerns, and how each check is sorted into them. ward's rules by id; a peer check first by CHECKS (checks whose
# name alone would mislead), then by the first pattern its name (Checkov's check_name, cfn-guard's rule name)
# matches; no match is "other" (a check ward has no rule for, counted apart).
#   enc       encrypted at rest at all (the service's default encryption counts)
#   cmk       encrypted with a KMS key the customer manages (ward: encrypted-at-rest with
#             requireCustomerManagedKey=true, code not-customer-managed-key)
#   public    a policy or ACL grants the public or another account (ward: no-public-principals, kms-keys-not-shared)
#   bpa       the bucket declares Block Public Access (ward has no such finding: it applies AWS's default, all on)
#   wildcard  wildcard actions in identity policies (ward: no-wildcard-actions)
#   escalation  privilege escalation (ward: no-privilege-escalation)
#   runtime   deprecated Lambda runtime (ward: lambda-runtime-supported)
#   auth      an API Gateway method or route, or a Lambda function URL, callable without authorization
#             (ward: entry-points-authenticated)
#   logging   an API Gateway stage without access logs, or a REST stage without execution logs
#             (ward: entry-points-logged)
WARD_RULES = {
    "encrypted-at-rest": "enc",
    "no-public-principals": "public",
    "kms-keys-not-shared": "public",
    "no-wildcard-actions": "wildcard",
    "no-privilege-escalation": "escalation",
    "lambda-runtime-supported": "runtime",
    "entry-points-authenticated": "auth",
    "entry-points-logged": "logging",
}
CHECKS = {
    # SNS has no default encryption: a KMS key (AWS-managed accepted) is encryption at all.
    "SNS_ENCRYPTED_KMS": "enc",
    # Passes SSE-SQS only through KmsMasterKeyId: written before SQS encrypted by default.
    "SQS_QUEUE_KMS_MASTER_KEY_ID_RULE": "enc",
    "EBS_VOLUME_ENCRYPTION_KEY_RULE": "cmk",
    "CLOUDWATCH_LOG_GROUP_ENCRYPTED": "cmk",
    "S3_BUCKET_NO_PUBLIC_RW_ACL": "public",
    # Despite its name, any default encryption (AES256 included) passes it.
    "S3_DEFAULT_ENCRYPTION_KMS": "enc",
    "CKV_AWS_274": "wildcard",  # AdministratorAccess attached (ward: attached-admin-policy)
    "CKV2_AWS_56": "wildcard",  # IAMFullAccess attached
    "CKV_AWS_393": "public",  # GitHub OIDC trust without safe claims (ward: oidc-without-subject)
    "CKV_AWS_61": "public",  # trust policy: assume role across all services
    "CKV_AWS_72": "other",  # SQS policy allows all actions: a resource policy, not an identity policy
    "CKV_AWS_40": "other",  # IAM policies attached to users: not about principals
    "S3_BUCKET_PUBLIC_READ_PROHIBITED": "bpa",
    "S3_BUCKET_PUBLIC_WRITE_PROHIBITED": "bpa",
    "S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED": "bpa",
    # ward's no-wildcard-actions codes not-action-allow, not-resource-allow and attached-admin-policy.
    "IAM_ROLE_OR_POLICY_NO_ALLOW_PLUS_NOT_ACTION": "wildcard",
    "IAM_ROLE_OR_POLICY_NO_ALLOW_PLUS_NOT_RESOURCE": "wildcard",
    "IAM_ROLE_ADMINISTRATOR_ACCESS_POLICY_RULE": "wildcard",
    # Any action on "*", wildcard actions in resource or trust policies: ward has no rule for these.
    "IAM_POLICYDOCUMENT_NO_WILDCARD_RESOURCE": "other",
    "IAM_ROLE_NO_FULL_ACCESS_ON_TRUST_POLICY": "other",
    "IAM_ROLE_NO_ALLOW_PLUS_NOT_ACTION_ON_TRUST_POLICY": "other",
    "S3_BUCKET_POLICY_NO_WILDCARD_ACTION": "other",
    "SQS_QUEUEPOLICY_NO_WILDCARD_ACTION": "other",
    # Encryption ward does not judge: Lambda environment variables (the names differ between Checkov's
    # CloudFormation and Terraform checks), API Gateway caches (the registry's rule also requires caching on).
    "CKV_AWS_173": "other",
    "CKV_AWS_308": "other",
    "API_GW_CACHE_ENABLED_AND_ENCRYPTED": "other",
    "CKV2_AWS_29": "other",  # "public API gateway protected by WAF": a WAF, not a grant to the public
    # Entry points, by id: their names ("no open access to back-end resources", "AuthType is not None") match no
    # pattern, and a name pattern on "logging" would also take S3 and ELB access logs, which ward has no rule for.
    "CKV_AWS_59": "auth",  # REST method AuthorizationType NONE, unless OPTIONS or ApiKeyRequired
    "CKV2_AWS_70": "auth",  # Terraform REST method without authorization or API key
    "CKV_AWS_309": "auth",  # Terraform v2 route without authorization_type
    "CKV_AWS_258": "auth",  # Lambda function URL AuthType NONE
    "API_GW_METHOD_AUTHORIZATION_TYPE_RULE": "auth",
    "CKV_AWS_76": "logging",  # REST (Terraform: also v2) stage access log destination
    "CKV_AWS_95": "logging",  # v2 stage access log destination (CloudFormation)
    "CKV2_AWS_4": "logging",  # Terraform REST stage logging level ERROR or INFO, and metrics, in method settings
    "API_GW_STAGE_ACCESS_LOGGING_RULE": "logging",
    "API_GW_EXECUTION_LOGGING_ENABLED": "logging",
    "API_GWV2_ACCESS_LOGS_ENABLED": "logging",
}
CONCERNS = [
    ("other", re.compile(
        r"transit|node.to.node|environment variable|public ip|publicly accessible|PUBLIC_ACCESS_CHECK|endpoint|"
        r"launch config|rotation|in transit", re.I)),
    ("cmk", re.compile(r"CMK|customer managed|using KMS|by KMS|with KMS|_KMS\b|USING_CMK", re.I)),
    ("enc", re.compile(r"encrypt|KMS_MASTER_KEY|_SSE_|\bsse\b", re.I)),
    ("bpa", re.compile(r"block public|RestrictPublicBuckets|ignore public ACLs|Public Access block", re.I)),
    ("public", re.compile(r"principal|public|everyone|assume it|grantee", re.I)),
    ("wildcard", re.compile(
        r"wildcard.{0,12}action|WILDCARD_ACTIONS|\"\*\" as a statement's actions|\"\*-\*\"|"
        r"FULL_ACCESS|ADMIN_ACCESS|ADMINISTRATOR_ACCESS|allow all \(\*\) actions|full IAM privileges", re.I)),
    ("escalation", re.compile(r"privilege escalation|ELEVATED_MANAGED_POLICY", re.I)),
    ("runtime", re.compile(r"runtime", re.I)),
]


def concern_of(check, name=None):
    if check in WARD_RULES:
        return WARD_RULES[check]
    if check in CHECKS:
        return CHECKS[check]
    for concern, pattern in CONCERNS:
        if pattern.search(name or check):
            return concern
    return "other"
