import { z } from 'zod';

/*
 * The schema of ward.config.json: one file that both the CLI and the CDK app read. Every field has a default,
 * so `{}` is a valid configuration (all registry rules, individual Config rules, notify-only responder).
 * docs/configuration.md documents each field; a test keeps that page in step with this schema.
 */

const accountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit account id');
const organizationId = z.string().regex(/^o-[a-z0-9]{10,32}$/, 'must be an organization id (o-...)');
const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be a region code such as eu-west-1');
const responseMode = z.enum(['notify', 'dry-run', 'auto']);

export { DeployMode, type DeployModeType } from './deploy-mode';

/** Settings of one rule, keyed by rule id in `rules`. */
export const ruleSettingsSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Deploy this rule.'),
    parameters: z
      .record(z.string(), z.unknown())
      .default({})
      .describe("The rule's parameters (see `ward rules`); unknown names are rejected."),
    remediation: responseMode.optional().describe('Responder mode for this rule; default `responder.defaultMode`.'),
  })
  .strict();

/** The whole configuration file. */
export const wardConfigSchema = z
  .object({
    $schema: z.string().optional().describe('Editor hint; ignored.'),
    mode: z.enum(['rules', 'pack', 'organization']).default('rules').describe('Deploy mode.'),
    account: accountId.optional().describe('Account to deploy to; default: the account of the current credentials.'),
    regions: z
      .array(region)
      .default([])
      .describe('Regions to deploy to; default: the region of the current credentials.'),
    globalResourcesRegion: region
      .optional()
      .describe('The one region where rules over global (IAM) resources are deployed; default: the first region.'),
    trustedAccountIds: z
      .array(accountId)
      .default([])
      .describe('Accounts trusted by every rule that judges sharing (merged into their parameters).'),
    trustedOrganizationIds: z
      .array(organizationId)
      .default([])
      .describe('Organizations trusted by every rule that judges sharing (merged into their parameters).'),
    rules: z
      .record(z.string(), ruleSettingsSchema)
      .default({})
      .describe('Per-rule settings keyed by rule id; rules not listed are deployed with their defaults.'),
    responder: z
      .object({
        enabled: z.boolean().default(true).describe('Deploy the incident responder.'),
        defaultMode: responseMode.default('notify').describe('Mode of rules without `rules.<id>.remediation`.'),
        killSwitch: z.boolean().default(false).describe('When true the responder never changes anything.'),
        maxAutoChangesPerHour: z.number().int().min(0).default(10).describe('Automatic changes per account per hour.'),
        remediationKeyArn: z
          .string()
          .regex(
            /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/,
            'a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)',
          )
          .optional()
          .describe(
            'Customer-managed KMS key the encryption runbooks use (SNS, DynamoDB need it; S3, SQS fall back to SSE-S3/SSE-SQS without it).',
          ),
        forwardToSecurityHub: z
          .boolean()
          .default(false)
          .describe(
            "Also import each compliance change of a ward rule into Security Hub of the resource's account (BatchImportFindings, the finding `ward scan --to securityhub` writes).",
          ),
      })
      .strict()
      .default({
        enabled: true,
        defaultMode: 'notify',
        killSwitch: false,
        maxAutoChangesPerHour: 10,
        forwardToSecurityHub: false,
      })
      .describe('The responder (compliance changes to alerts and runbooks).'),
    hook: z
      .object({
        enabled: z
          .boolean()
          .default(false)
          .describe('Deploy the CloudFormation Lambda hook (prevention before deploy).'),
        failureMode: z
          .enum(['FAIL', 'WARN'])
          .default('FAIL')
          .describe('FAIL stops a create/update of a non-compliant resource; WARN lets it proceed with a warning.'),
        targets: z
          .array(z.string().regex(/^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$/, 'a resource type such as AWS::S3::Bucket'))
          .default([])
          .describe('Resource types the hook judges; default: every type ward builds items for.'),
      })
      .strict()
      .default({ enabled: false, failureMode: 'FAIL', targets: [] })
      .describe(
        'The CloudFormation Lambda hook: the same rules, judging resources before they are created or updated.',
      ),
    alerts: z
      .object({
        emails: z.array(z.email()).default([]).describe('Email addresses subscribed to the alerts topic.'),
        httpsEndpoints: z
          .array(z.url({ protocol: /^https$/ }))
          .default([])
          .describe('HTTPS endpoints (chat webhooks, incident tools) subscribed to the alerts topic.'),
      })
      .strict()
      .default({ emails: [], httpsEndpoints: [] })
      .describe('Who receives alerts (drift, remediation, and the operations alarms).'),
    lambda: z
      .object({
        memorySize: z.number().int().min(128).max(10240).default(256).describe('Memory of each rule Lambda (MB).'),
        timeoutSeconds: z.number().int().min(10).max(900).default(120).describe('Timeout of each rule Lambda.'),
        logRetentionDays: z
          .union([
            z.literal(1),
            z.literal(3),
            z.literal(5),
            z.literal(7),
            z.literal(14),
            z.literal(30),
            z.literal(60),
            z.literal(90),
            z.literal(180),
            z.literal(365),
            z.literal(400),
            z.literal(545),
            z.literal(731),
            z.literal(1827),
            z.literal(3653),
          ])
          .default(90)
          .describe('Retention of the Lambda log groups (a CloudWatch Logs retention value).'),
        logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info').describe('LOG_LEVEL of the Lambdas.'),
      })
      .strict()
      .default({ memorySize: 256, timeoutSeconds: 120, logRetentionDays: 90, logLevel: 'info' })
      .describe('Rule Lambda settings.'),
    recorder: z
      .object({
        create: z.boolean().default(false).describe('Create a Config recorder and delivery channel (recorder stack).'),
        includeGlobalResourceTypes: z
          .boolean()
          .default(true)
          .describe('Record IAM resources (only in `globalResourcesRegion`).'),
        createServiceLinkedRole: z
          .boolean()
          .default(false)
          .describe("Create Config's service-linked role (set when the account never used Config)."),
      })
      .strict()
      .default({ create: false, includeGlobalResourceTypes: true, createServiceLinkedRole: false })
      .describe('The optional recorder stack.'),
    pack: z
      .object({
        name: z
          .string()
          .regex(/^[a-zA-Z][-a-zA-Z0-9]{0,50}$/)
          .default('ward')
          .describe('Conformance pack name (pack and organization modes).'),
        includeManagedRules: z
          .boolean()
          .default(true)
          .describe('Add the AWS managed rules that complete the three concerns.'),
      })
      .strict()
      .default({ name: 'ward', includeManagedRules: true })
      .describe('Conformance pack settings.'),
    organization: z
      .object({
        organizationId: organizationId.optional().describe('The organization (required in organization mode).'),
        memberRoleName: z
          .string()
          .regex(/^[\w+=,.@-]{1,64}$/)
          .default('ward-member')
          .describe('Role the central rule Lambdas assume in each member account.'),
        targetOrganizationalUnitIds: z
          .array(z.string().regex(/^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/))
          .default([])
          .describe('OUs (or the root r-...) that receive the member-account role (StackSet targets).'),
        excludedAccountIds: z.array(accountId).default([]).describe('Accounts left out of the organization pack.'),
        memberAccountIds: z
          .array(accountId)
          .default([])
          .describe(
            'Accounts whose Config may invoke the central rule Lambdas (one aws:SourceAccount-scoped permission ' +
              'each: Lambda resource policies cannot test aws:SourceOrgID); list them with ' +
              '`aws organizations list-accounts`.',
          ),
      })
      .strict()
      .default({
        memberRoleName: 'ward-member',
        targetOrganizationalUnitIds: [],
        excludedAccountIds: [],
        memberAccountIds: [],
      })
      .describe('Organization mode settings (deploy from the management or delegated administrator account).'),
    tags: z.record(z.string(), z.string()).default({}).describe('Tags on every stack.'),
    suppressions: z
      .string()
      .min(1)
      .optional()
      .describe('Suppressions file (JSON or YAML, relative to this file) that `ward scan` applies.'),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.mode === 'organization') {
      if (!c.organization.organizationId)
        ctx.addIssue({
          code: 'custom',
          path: ['organization', 'organizationId'],
          message: 'required in organization mode',
        });
      if (c.organization.memberAccountIds.length === 0)
        ctx.addIssue({
          code: 'custom',
          path: ['organization', 'memberAccountIds'],
          message: 'organization mode needs the member account ids (aws organizations list-accounts)',
        });
      if (c.organization.targetOrganizationalUnitIds.length === 0)
        ctx.addIssue({
          code: 'custom',
          path: ['organization', 'targetOrganizationalUnitIds'],
          message: 'organization mode needs at least one OU or the root id for the member-account role',
        });
    }
  });

/** A parsed, defaulted configuration. */
export type WardConfig = z.output<typeof wardConfigSchema>;

/** Settings of one rule after defaults. */
export type RuleSettings = z.output<typeof ruleSettingsSchema>;
