import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import type { DescribeKeyCommandInput } from '@aws-sdk/client-kms';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { type ConfigurationItem, normalizeConfigurationItem } from './configuration-item';
import { type ConfigReadClient, createConfigResourceLookup, fetchConfigurationItem } from './config-resource-lookup';
import type { RuleContext } from './context';
import { type AssumeRoleClient, createMemberCredentials } from './cross-account';
import { collectEvaluations, evaluateItem } from './engine';
import { describeError, settle } from './errors';
import { errorEvaluation, notApplicable } from './evaluation';
import { type ConfigEvent, configRuleNameOf, parseConfigEvent } from './invoking-event';
import { createKmsKeyLookup } from './key-lookup';
import { createLogger, type Logger } from './logger';
import { parseRuleParameters } from './parameters';
import { type ComplianceDetailsClient, collectionFailed, previouslyJudged, vanished } from './periodic-cleanup';
import { type PutEvaluationsClient, putEvaluations, type ReporterOptions } from './reporter';
import { createRuleContext } from './rule-context';
import type { AnyRule, Evaluation } from './types';
import * as sdk from './sdk';

/** The part of the Lambda context the handler reads. */
export interface LambdaContext {
  readonly invokedFunctionArn: string;
  readonly awsRequestId?: string;
}

/** A Config rule Lambda handler. */
export type ConfigRuleHandler = (event: unknown, context: LambdaContext) => Promise<void>;

/** The account and region an invocation works in, with the credentials to use there. */
export interface AccountTarget {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  /** Member-account credentials; undefined in the Lambda's own account (default chain). */
  readonly credentials?: AwsCredentialIdentityProvider;
}

/** Every Config operation the handler calls (the SDK's ConfigServiceClient fits). */
export type HandlerConfigClient = PutEvaluationsClient & ConfigReadClient & ComplianceDetailsClient;

/** Options of {@link createConfigRuleHandler}; the defaults are what the Lambda uses. */
export interface ConfigRuleHandlerOptions {
  /** @default createLogger({ rule: rule.meta.id }) */
  readonly logger?: Logger;
  /** Creates the Config client for an account and region. @default {@link defaultConfigClient} */
  readonly configClient?: (target: AccountTarget) => HandlerConfigClient;
  /** Creates the STS client for cross-account role assumption. @default new STSClient({}), loaded on first use */
  readonly stsClient?: () => AssumeRoleClient;
  /** The member-account role. @default process.env.WARD_MEMBER_ROLE_NAME ?? "ward-member" */
  readonly memberRoleName?: string;
  /** Retry settings of PutEvaluations. */
  readonly reporter?: ReporterOptions;
}

/** The default Config client: the SDK's default chain, or the member-account credentials. */
export function defaultConfigClient(target: AccountTarget): ConfigServiceClient {
  return new ConfigServiceClient({ region: target.region, credentials: target.credentials });
}

/**
 * IAM actions the handler itself needs (the infra derives rule roles from these plus `meta.permissions`):
 * reporting, the oversized fetch and ctx.resources (Config), ctx.keys (KMS). In organization mode the
 * central role also needs `sts:AssumeRole` on the member role, and the member role these actions.
 */
export const HANDLER_PERMISSIONS = [
  'config:PutEvaluations',
  'config:GetResourceConfigHistory',
  'config:GetComplianceDetailsByConfigRule',
  'config:SelectResourceConfig',
  'config:ListDiscoveredResources',
  'config:BatchGetResourceConfig',
  'kms:DescribeKey',
] as const;

/** A Date from an event's ISO time; now when it is missing or unreadable (Config rejects an invalid one). */
function eventTime(iso: string | undefined): Date {
  const d = iso ? new Date(iso) : new Date(Number.NaN);
  return Number.isNaN(d.getTime()) ? new Date() : d;
}

/**
 * The STS client, its module loaded on the first AssumeRole: only organization mode assumes roles, and each
 * SDK client module a Lambda loads adds to its cold start.
 */
function lazyStsClient(): AssumeRoleClient {
  let client: Promise<AssumeRoleClient> | undefined;
  return {
    async send(command) {
      client ??= sdk.sts().then(({ STSClient }) => new STSClient({}));
      return (await client).send(command);
    },
  };
}

const FUNCTION_ARN = /^arn:(aws[a-z-]*):lambda:([a-z0-9-]+):(\d{12}):function:/;

/**
 * Creates the Lambda handler of a Config custom rule (design.md section 4). Call it at module scope: the
 * logger, SDK clients, member credentials and rule contexts it creates are reused across invocations.
 *
 * A malformed event or an unknown message type is logged and the invocation ends without error (a retry
 * would not help). An item of a live resource whose configuration cannot be read is NON_COMPLIANT
 * `unreadable-configuration` (the engine decides it, as in `ward scan`); invalid `ruleParameters` make every
 * resource of the invocation NON_COMPLIANT naming the problem; an item that cannot be normalised at all but
 * names an in-scope resource is an `evaluation-error` on it, so it never keeps a stale COMPLIANT. A failure to
 * fetch the item, assume the member role or deliver evaluations throws, so Lambda retries the invocation.
 */
export function createConfigRuleHandler(rule: AnyRule, options: ConfigRuleHandlerOptions = {}): ConfigRuleHandler {
  const ruleId = rule.meta.id;
  const log = options.logger ?? createLogger();
  const makeConfig = options.configClient ?? defaultConfigClient;
  let sts: AssumeRoleClient | undefined;
  const members = createMemberCredentials(() => (sts ??= options.stsClient?.() ?? lazyStsClient()), {
    roleName: options.memberRoleName,
    sessionName: `ward-${ruleId}`,
  });
  const configClients = new Map<string, HandlerConfigClient>();
  const contexts = new Map<string, RuleContext>();

  const targetFor = (accountId: string, context: LambdaContext, configRuleArn?: string): AccountTarget => {
    const fn = FUNCTION_ARN.exec(context.invokedFunctionArn ?? '');
    const partition = fn?.[1] ?? 'aws';
    const region = process.env.AWS_REGION ?? fn?.[2] ?? configRuleArn?.split(':')[3] ?? 'us-east-1';
    if (!fn || fn[3] === accountId) return { accountId, region, partition };
    return { accountId, region, partition, credentials: () => members.credentialsFor(accountId, partition) };
  };

  const configFor = (t: AccountTarget): HandlerConfigClient => {
    const key = `${t.accountId}|${t.region}`;
    let c = configClients.get(key);
    if (!c) configClients.set(key, (c = makeConfig(t)));
    return c;
  };

  const contextFor = (t: AccountTarget, invokedAt: Date): RuleContext => {
    const key = `${t.accountId}|${t.region}`;
    let base = contexts.get(key);
    if (!base) {
      // The key lookup calls KMS through the context's own client cache (same credentials and endpoint).
      const ctx: RuleContext = createRuleContext({
        mode: 'lambda',
        accountId: t.accountId,
        region: t.region,
        logger: log,
        credentials: t.credentials,
        keys: createKmsKeyLookup(
          (region) => ({
            async send(input) {
              const { DescribeKeyCommand, KMSClient } = await sdk.kms();
              return ctx.client(KMSClient, region).send(new DescribeKeyCommand(input as DescribeKeyCommandInput));
            },
          }),
          (keyId): DescribeKeyCommandInput => ({ KeyId: keyId }),
        ),
        resources: createConfigResourceLookup(() => configFor(t)),
      });
      base = ctx;
      contexts.set(key, base);
    }
    // The context's clients are closures, so a copy with this invocation's time shares them.
    return { ...base, invokedAt };
  };

  const evaluate = async (
    event: ConfigEvent,
    target: AccountTarget,
    bindings: Record<string, unknown>,
  ): Promise<{ evaluations: Evaluation[]; orderingTimestamp: Date } | undefined> => {
    let params: unknown;
    let paramsError: unknown;
    try {
      params = parseRuleParameters(rule.meta.parameters, event.ruleParameters, ruleId);
    } catch (err) {
      paramsError = err;
      log.error({ ...bindings, problem: describeError(err) }, 'invalid rule parameters: reporting evaluation-error');
    }
    const judge = async (item: ConfigurationItem, invokedAt: Date): Promise<Evaluation[]> =>
      paramsError === undefined
        ? evaluateItem(rule, item, params, contextFor(target, invokedAt), { eventLeftScope: event.eventLeftScope })
        : [errorEvaluation(item, ruleId, paramsError)];

    switch (event.kind) {
      case 'change': {
        let item: ConfigurationItem;
        try {
          item = normalizeConfigurationItem(event.configurationItem);
        } catch (err) {
          const raw = event.configurationItem;
          const resourceType = typeof raw.resourceType === 'string' ? raw.resourceType : undefined;
          const resourceId = typeof raw.resourceId === 'string' && raw.resourceId !== '' ? raw.resourceId : undefined;
          if (resourceType && resourceId && rule.meta.resourceTypes.includes(resourceType)) {
            // The item names its resource: fail closed on it (an ignored item would keep its last verdict).
            const problem = describeError(err);
            log.error({ ...bindings, resourceType, resourceId, problem }, 'malformed configuration item');
            const captured = raw.configurationItemCaptureTime;
            return {
              evaluations: [errorEvaluation({ resourceType, resourceId }, ruleId, err)],
              orderingTimestamp: eventTime(typeof captured === 'string' ? captured : undefined),
            };
          }
          log.error({ ...bindings, problem: describeError(err) }, 'malformed configuration item ignored');
          return undefined;
        }
        const at = eventTime(item.captureTime);
        return { evaluations: await judge(item, at), orderingTimestamp: at };
      }
      case 'oversized': {
        const s = event.summary;
        const at = eventTime(s.captureTime);
        const item = await fetchConfigurationItem(configFor(target), s.resourceType, s.resourceId, at);
        if (item) return { evaluations: await judge(item, at), orderingTimestamp: at };
        const ref = { resourceType: s.resourceType, resourceId: s.resourceId };
        const gone = event.eventLeftScope || /Deleted/.test(s.status ?? '');
        log.warn({ ...bindings, resourceType: s.resourceType, resourceId: s.resourceId }, 'oversized item not found');
        return {
          evaluations: [
            gone
              ? notApplicable(ref, 'The resource was deleted or left the rule scope.')
              : errorEvaluation(ref, ruleId, new Error('Config has no configuration item for this resource')),
          ],
          orderingTimestamp: at,
        };
      }
      case 'scheduled': {
        if (!rule.collect) {
          log.warn(bindings, 'scheduled notification ignored: the rule is not periodic');
          return undefined;
        }
        const at = eventTime(event.notificationTime);
        if (paramsError !== undefined) {
          const account = { resourceType: 'AWS::::Account', resourceId: target.accountId };
          return { evaluations: [errorEvaluation(account, ruleId, paramsError)], orderingTimestamp: at };
        }
        // What Config holds from earlier runs is read while collect runs (a round trip less on every run).
        const previous = settle(previouslyJudged(configFor(target), event.configRuleName, rule));
        const evaluations = await collectEvaluations(rule, params, contextFor(target, at));
        if (!collectionFailed(evaluations)) {
          const read = await previous;
          if (read.ok) evaluations.push(...vanished(read.value, evaluations));
          // The current results still go out; the next run retries the clean-up.
          else log.error({ ...bindings, problem: describeError(read.error) }, 'cannot read previous evaluations');
        }
        return { evaluations, orderingTimestamp: at };
      }
      default:
        log.warn({ ...bindings, messageType: event.messageType }, 'message type ignored');
        return undefined;
    }
  };

  return async function handler(event: unknown, context: LambdaContext): Promise<void> {
    let parsed: ConfigEvent;
    try {
      parsed = parseConfigEvent(event);
    } catch (err) {
      log.error(
        { rule: ruleId, configRuleName: configRuleNameOf(event), problem: describeError(err) },
        'malformed Config event ignored',
      );
      return;
    }
    const bindings = {
      rule: ruleId,
      configRuleName: parsed.configRuleName,
      accountId: parsed.accountId,
      requestId: context?.awsRequestId,
    };
    const target = targetFor(parsed.accountId, context, parsed.configRuleArn);
    if (target.credentials) {
      // Fail fast and clearly when the member role cannot be assumed (Lambda retries the invocation).
      try {
        await target.credentials();
      } catch (err) {
        log.error({ ...bindings, problem: describeError(err) }, 'cannot assume the member-account role');
        throw err;
      }
    }
    const result = await evaluate(parsed, target, bindings);
    if (!result || result.evaluations.length === 0) return;
    for (const e of result.evaluations) {
      log.info(
        {
          ...bindings,
          resourceType: e.resourceType,
          resourceId: e.resourceId,
          compliance: e.compliance,
          findings: e.findings.map((f) => f.code),
          annotation: e.annotation,
        },
        'evaluation',
      );
    }
    const sent = await putEvaluations(
      configFor(target),
      { resultToken: parsed.resultToken, evaluations: result.evaluations, orderingTimestamp: result.orderingTimestamp },
      options.reporter,
    );
    log.info({ ...bindings, sent }, 'evaluations delivered');
  };
}
