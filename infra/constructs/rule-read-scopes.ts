/**
 * The resources a rule Lambda's declared read actions are granted on: this account's ARNs where the service
 * supports resource-level permissions for the action (Service Authorization Reference), `*` where it does not
 * (List* of a whole service, tag:GetResources, Describe* of EC2 and friends) and for any action not listed here.
 * Patterns use `${Partition}`, `${Region}` and `${Account}`.
 */
export const READ_SCOPES: Readonly<Record<string, readonly string[]>> = {
  // REST and HTTP/WebSocket APIs of this region and their children only: not API keys, usage plans, client
  // certificates or domain names, which the same action would otherwise read (API Gateway ARNs have no account).
  'apigateway:GET': [
    'arn:${Partition}:apigateway:${Region}::/restapis',
    'arn:${Partition}:apigateway:${Region}::/restapis/*',
    'arn:${Partition}:apigateway:${Region}::/apis',
    'arn:${Partition}:apigateway:${Region}::/apis/*',
  ],
  'ecr:GetRepositoryPolicy': ['arn:${Partition}:ecr:${Region}:${Account}:repository/*'],
  'elasticache:DescribeReplicationGroups': ['arn:${Partition}:elasticache:${Region}:${Account}:replicationgroup:*'],
  'elasticache:ListTagsForResource': ['arn:${Partition}:elasticache:${Region}:${Account}:*'],
  'elasticfilesystem:DescribeFileSystemPolicy': [
    'arn:${Partition}:elasticfilesystem:${Region}:${Account}:file-system/*',
  ],
  // Customer-managed policies of this account, and the AWS-managed ones they are compared with.
  'iam:GetPolicy': ['arn:${Partition}:iam::${Account}:policy/*', 'arn:${Partition}:iam::aws:policy/*'],
  'iam:GetPolicyVersion': ['arn:${Partition}:iam::${Account}:policy/*', 'arn:${Partition}:iam::aws:policy/*'],
  // A resource may be encrypted with another account's key, which the rule must describe to judge: any account,
  // keys only, this region.
  // A user's groups and the roles a principal may pass (no-privilege-escalation): this account's only.
  'iam:GetGroupPolicy': ['arn:${Partition}:iam::${Account}:group/*'],
  'iam:GetRolePolicy': ['arn:${Partition}:iam::${Account}:role/*'],
  'iam:ListAttachedGroupPolicies': ['arn:${Partition}:iam::${Account}:group/*'],
  'iam:ListAttachedRolePolicies': ['arn:${Partition}:iam::${Account}:role/*'],
  'iam:ListGroupPolicies': ['arn:${Partition}:iam::${Account}:group/*'],
  'iam:ListRolePolicies': ['arn:${Partition}:iam::${Account}:role/*'],
  'kms:DescribeKey': ['arn:${Partition}:kms:${Region}:*:key/*'],
  'kms:GetKeyPolicy': ['arn:${Partition}:kms:${Region}:${Account}:key/*'],
  'kms:ListGrants': ['arn:${Partition}:kms:${Region}:${Account}:key/*'],
  'kms:ListResourceTags': ['arn:${Partition}:kms:${Region}:${Account}:key/*'],
  'lambda:GetFunctionUrlConfig': ['arn:${Partition}:lambda:${Region}:${Account}:function:*'],
  'lambda:GetPolicy': ['arn:${Partition}:lambda:${Region}:${Account}:function:*'],
  'lambda:ListFunctionUrlConfigs': ['arn:${Partition}:lambda:${Region}:${Account}:function:*'],
  'lambda:ListTags': ['arn:${Partition}:lambda:${Region}:${Account}:function:*'],
  'logs:DescribeLogGroups': ['arn:${Partition}:logs:${Region}:${Account}:log-group:*'],
  'logs:ListTagsForResource': ['arn:${Partition}:logs:${Region}:${Account}:log-group:*'],
};

/** Fills a pattern with the stack's partition, region and account. */
export function fillScope(pattern: string, partition: string, region: string, account: string): string {
  return pattern
    .replace(/\$\{Partition\}/g, partition)
    .replace(/\$\{Region\}/g, region)
    .replace(/\$\{Account\}/g, account);
}

/** Read actions grouped by the resources they are granted on (`*` for the unscoped), each group sorted. */
export function groupReadsByScope(actions: readonly string[]): { resources: readonly string[]; actions: string[] }[] {
  const groups = new Map<string, { resources: readonly string[]; actions: string[] }>();
  for (const action of [...new Set(actions)].sort()) {
    const resources = READ_SCOPES[action] ?? ['*'];
    const key = resources.join(' ');
    const g = groups.get(key) ?? { resources, actions: [] };
    g.actions.push(action);
    groups.set(key, g);
  }
  return [...groups.values()];
}
