/**
 * `gather` of no-privilege-escalation: reads what a principal's item only names. Customer-managed policies (and
 * AWS-managed ones newer than the bundled catalogue), a user's groups, and the named roles it may pass: from the
 * snapshot's own items when scanning a snapshot, from IAM in the Lambda (policy versions cached per container:
 * a version's document never changes).
 */
import { isAwsManagedPolicyArn } from '../policy/managed-policy-catalogue';
import { managedPolicyEquivalent } from '../policy/managed-policy-grants';
import {
  IamResourceType,
  type PolicyRef,
  type PrincipalItem,
  type RawPolicy,
  policyNameOf,
  readPrincipalItem,
} from '../policy/principal-item';
import { effectiveAdmin } from '../policy/effective';
import type { ConfigurationItem, RuleContext } from '../runtime';
import { WardError } from '../runtime/errors';
import { UnreadableConfigurationError } from '../runtime/unreadable';
import * as sdk from '../runtime/sdk';
import { type EscalationFacts, type GroupFacts, type ResolvedDocument, assemble, principalArn } from './assemble';
import { LookupMemos } from './lookup-memo';
import { matchMethods, passRoleTargets } from './match';

/** Raised when IAM fails on a read the rule needs (the engine reports an evaluation error, never COMPLIANT). */
export class PolicyReadError extends WardError {}

/** IAM actions `gather` calls (meta.permissions). */
export const GATHER_PERMISSIONS = [
  'iam:GetPolicy',
  'iam:GetPolicyVersion',
  'iam:ListGroupPolicies',
  'iam:GetGroupPolicy',
  'iam:ListAttachedGroupPolicies',
  'iam:ListRolePolicies',
  'iam:GetRolePolicy',
  'iam:ListAttachedRolePolicies',
] as const;

/** The part of the IAM client `gather` uses (the SDK's IAMClient fits; tests may inject their own). */
export interface IamReader {
  send(command: object): Promise<unknown>;
}

/** Policy ARN + version -> document: a version never changes, so a warm Lambda reuses it. */
const versionCache = new Map<string, string>();
const CACHE_LIMIT = 1000;

/** Offline: policy ARN -> its document or why it cannot be judged, per lookup (lookup-memo.ts). */
const offlinePolicies = new LookupMemos<ResolvedDocument | string>();

const isNoSuchEntity = (err: unknown) => (err as { name?: string } | null)?.name === 'NoSuchEntityException';

async function call<T>(iam: IamReader, command: object, what: string): Promise<T> {
  try {
    return (await iam.send(command)) as T;
  } catch (err) {
    if (isNoSuchEntity(err)) throw err;
    throw new PolicyReadError(`${what} failed`, { cause: err });
  }
}

/** Reads a managed policy's default version from IAM; a string says why it could not. */
async function policyFromIam(iam: IamReader, arn: string): Promise<ResolvedDocument | string> {
  const { GetPolicyCommand, GetPolicyVersionCommand } = await sdk.iam();
  let versionId: string | undefined;
  try {
    const out = await call<{ Policy?: { DefaultVersionId?: string } }>(
      iam,
      new GetPolicyCommand({ PolicyArn: arn }),
      `iam:GetPolicy ${arn}`,
    );
    versionId = out.Policy?.DefaultVersionId;
  } catch (err) {
    if (isNoSuchEntity(err)) return 'IAM says it does not exist';
    throw err;
  }
  if (!versionId) throw new PolicyReadError(`iam:GetPolicy returned no default version for ${arn}`);
  const key = `${arn}|${versionId}`;
  let document = versionCache.get(key);
  if (document === undefined) {
    const out = await call<{ PolicyVersion?: { Document?: string } }>(
      iam,
      new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: versionId }),
      `iam:GetPolicyVersion ${arn} ${versionId}`,
    );
    document = out.PolicyVersion?.Document;
    if (document === undefined) throw new PolicyReadError(`iam:GetPolicyVersion returned no document for ${arn}`);
    if (versionCache.size >= CACHE_LIMIT) versionCache.clear();
    versionCache.set(key, document);
  }
  return { document, source: 'iam' };
}

/** Reads the inline and attached policies of a group or role from IAM (paginated). */
async function principalFromIam(
  iam: IamReader,
  kind: 'group' | 'role',
  name: string,
): Promise<{ inline: RawPolicy[]; attached: PolicyRef[] }> {
  const c = await sdk.iam();
  // The group and role variants take the same input but one key; one loop reads both.
  const ctor = (group: unknown, role: unknown) => (kind === 'group' ? group : role) as new (input: object) => object;
  const inline: RawPolicy[] = [];
  const attached: PolicyRef[] = [];
  const key = kind === 'group' ? { GroupName: name } : { RoleName: name };
  let marker: string | undefined;
  do {
    const list = new (ctor(c.ListGroupPoliciesCommand, c.ListRolePoliciesCommand))({ ...key, Marker: marker });
    const out = await call<{ PolicyNames?: string[]; IsTruncated?: boolean; Marker?: string }>(
      iam,
      list,
      `list ${kind} policies of ${name}`,
    );
    for (const policyName of out.PolicyNames ?? []) {
      const get = new (ctor(c.GetGroupPolicyCommand, c.GetRolePolicyCommand))({ ...key, PolicyName: policyName });
      const doc = await call<{ PolicyDocument?: string }>(iam, get, `get ${kind} policy ${policyName} of ${name}`);
      inline.push({ label: `inline policy "${policyName}"`, path: '', document: doc.PolicyDocument });
    }
    marker = out.IsTruncated ? out.Marker : undefined;
  } while (marker);
  do {
    const list = new (ctor(c.ListAttachedGroupPoliciesCommand, c.ListAttachedRolePoliciesCommand))({
      ...key,
      Marker: marker,
    });
    const out = await call<{
      AttachedPolicies?: { PolicyName?: string; PolicyArn?: string }[];
      IsTruncated?: boolean;
      Marker?: string;
    }>(iam, list, `list attached ${kind} policies of ${name}`);
    for (const p of out.AttachedPolicies ?? []) {
      if (p.PolicyArn) attached.push({ name: p.PolicyName ?? policyNameOf(p.PolicyArn), arn: p.PolicyArn, path: '' });
    }
    marker = out.IsTruncated ? out.Marker : undefined;
  } while (marker);
  return { inline, attached };
}

class Gatherer {
  readonly documents: Record<string, ResolvedDocument> = {};
  readonly unresolved: Record<string, string> = {};
  readonly groups: Record<string, GroupFacts> = {};
  readonly privilegedRoles: Record<string, string> = {};
  private iamClient?: IamReader;

  constructor(
    private readonly ctx: RuleContext,
    iam?: IamReader,
  ) {
    this.iamClient = iam;
  }

  private async iam(): Promise<IamReader> {
    this.iamClient ??= this.ctx.client((await sdk.iam()).IAMClient);
    return this.iamClient;
  }

  facts(): EscalationFacts {
    return {
      documents: this.documents,
      unresolved: this.unresolved,
      groups: this.groups,
      privilegedRoles: this.privilegedRoles,
    };
  }

  async policy(arn: string): Promise<void> {
    if (managedPolicyEquivalent(arn) || this.documents[arn] || this.unresolved[arn]) return;
    if (this.ctx.offline) {
      const resources = this.ctx.resources;
      const memo = resources ? offlinePolicies.of(resources) : undefined;
      let known = memo?.get(arn);
      if (known === undefined) {
        known = policyFromSnapshot(arn, await resources?.findByArn(IamResourceType.POLICY, arn));
        memo?.set(arn, known);
      }
      if (typeof known === 'string') this.unresolved[arn] = known;
      else this.documents[arn] = known;
      return;
    }
    const result = await policyFromIam(await this.iam(), arn);
    if (typeof result === 'string') this.unresolved[arn] = result;
    else this.documents[arn] = result;
  }

  async group(name: string, item: ConfigurationItem): Promise<void> {
    if (this.groups[name]) return;
    const partition = /^arn:([^:]+):/.exec(item.arn ?? '')?.[1] ?? 'aws';
    const guess = `arn:${partition}:iam::${item.accountId}:group/${name}`;
    if (this.ctx.offline) {
      // The guess misses a group with a path (arn:...:group/team/devs): then its name finds it.
      const ci = (await this.ctx.resources?.findByArn(IamResourceType.GROUP, guess)) ?? (await this.groupNamed(name));
      if (!ci) {
        this.unresolved[`group/${name}`] = 'the snapshot holds no AWS::IAM::Group item for it';
        return;
      }
      const read = readOther(ci);
      if (typeof read === 'string') this.unresolved[`group/${name}`] = read;
      else this.groups[name] = { arn: ci.arn ?? guess, inline: read.inline, attached: read.attached };
      return;
    }
    try {
      const read = await principalFromIam(await this.iam(), 'group', name);
      this.groups[name] = { arn: guess, ...read };
    } catch (err) {
      if (!isNoSuchEntity(err)) throw err;
      this.unresolved[`group/${name}`] = 'IAM says it does not exist';
    }
  }

  /**
   * The snapshot's group of that name: from the lookup's name index where it has one (a walk of every group per
   * user would grow with users times groups), else the first group of the walk.
   */
  private async groupNamed(name: string): Promise<ConfigurationItem | undefined> {
    const resources = this.ctx.resources;
    if (resources?.findByName) return resources.findByName(IamResourceType.GROUP, name);
    if (!resources?.list) return undefined;
    for await (const g of resources.list(IamResourceType.GROUP)) if (g.configuration?.groupName === name) return g;
    return undefined;
  }

  /** Learns whether a named role is privileged: administrator, or able to escalate itself. */
  async role(arn: string): Promise<void> {
    let inline: readonly RawPolicy[];
    let attached: readonly PolicyRef[];
    const name = arn.split('/').pop() ?? arn;
    if (this.ctx.offline) {
      const ci = await this.ctx.resources?.findByArn(IamResourceType.ROLE, arn);
      // Unknown (or unreadable): a named role defuses PassRole unless it is known to be privileged.
      const read = ci ? readOther(ci) : undefined;
      if (typeof read !== 'object') return;
      ({ inline, attached } = read);
    } else {
      try {
        ({ inline, attached } = await principalFromIam(await this.iam(), 'role', name));
      } catch (err) {
        if (isNoSuchEntity(err)) return;
        throw err;
      }
    }
    for (const ref of attached) await this.policy(ref.arn);
    const { policies } = assemble(arn, { inline, attached, groups: [], problems: [] }, this.facts());
    const admin = effectiveAdmin(policies);
    if (admin) {
      this.privilegedRoles[arn] = `${admin.source.label} allows every action`;
      return;
    }
    const methods = matchMethods(policies, { self: [arn], privilegedRoles: {} });
    if (methods.length > 0) this.privilegedRoles[arn] = `it can escalate itself (${methods[0].method.name})`;
  }
}

/** An attached policy's document as an offline lookup holds it, or why it cannot be judged (a string). */
function policyFromSnapshot(arn: string, ci: ConfigurationItem | undefined): ResolvedDocument | string {
  const read = ci ? readOther(ci) : undefined;
  if (typeof read === 'string') return read;
  const source = read?.inline[0];
  if (source) return { document: source.document, source: 'snapshot' };
  return isAwsManagedPolicyArn(arn)
    ? 'not in the bundled catalogue, and IAM is not read when scanning a snapshot'
    : 'the snapshot holds no AWS::IAM::Policy item for it';
}

/**
 * Reads another item the judged one refers to (an attached policy, a group, a passable role). A field of the
 * wrong type there is not the judged item's: it makes that item unresolved, with the reason.
 */
function readOther(ci: ConfigurationItem): PrincipalItem | string {
  try {
    return readPrincipalItem(ci);
  } catch (err) {
    if (err instanceof UnreadableConfigurationError)
      return `its ${ci.resourceType} item cannot be read: ${err.message}`;
    throw err;
  }
}

/**
 * Reads what the item names but does not hold.
 * @throws PolicyReadError when IAM fails (the engine reports an evaluation error, never COMPLIANT).
 */
export async function gatherEscalationFacts(
  item: ConfigurationItem,
  ctx: RuleContext,
  iam?: IamReader,
): Promise<EscalationFacts> {
  const g = new Gatherer(ctx, iam);
  if (item.resourceType === IamResourceType.POLICY) {
    // A policy is judged alone; only the roles it lets its holders pass need reading.
    await passTargets(item, g);
    return g.facts();
  }
  const read = readPrincipalItem(item);
  for (const ref of read.attached) await g.policy(ref.arn);
  if (read.boundary) await g.policy(read.boundary.arn);
  for (const group of read.groups) {
    await g.group(group.name, item);
    for (const ref of g.groups[group.name]?.attached ?? []) await g.policy(ref.arn);
  }
  await passTargets(item, g);
  return g.facts();
}

async function passTargets(item: ConfigurationItem, g: Gatherer): Promise<void> {
  const { policies } = assemble(principalArn(item), readPrincipalItem(item), g.facts());
  for (const arn of passRoleTargets(policies)) await g.role(arn);
}
