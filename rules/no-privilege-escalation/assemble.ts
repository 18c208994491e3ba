/**
 * Puts a principal's policies together from its item and what `gather` found (pure): inline documents, attached
 * AWS-managed policies (bundled catalogue), attached customer-managed policies (fetched), a user's groups and
 * their policies, and the permissions boundary. What cannot be read becomes a problem, never a gap.
 */
import { parsePolicy } from '../policy/document';
import type { PrincipalPolicies, SourcedDocument } from '../policy/effective';
import { managedPolicyEquivalent } from '../policy/managed-policy-grants';
import { IamResourceType, type PolicyRef, type PrincipalItem, type RawPolicy } from '../policy/principal-item';
import type { ConfigurationItem } from '../runtime';
import { EscalationCode } from './codes';

/** A policy document `gather` read (raw: URL-encoded from IAM, or as the snapshot holds it). */
export interface ResolvedDocument {
  readonly document: unknown;
  /** Where it came from: the IAM API, or an AWS::IAM::Policy item of the snapshot being scanned. */
  readonly source: 'iam' | 'snapshot';
}

/** A group of a user, as `gather` read it (from the group's item, or from IAM). */
export interface GroupFacts {
  readonly arn: string;
  readonly inline: readonly RawPolicy[];
  readonly attached: readonly PolicyRef[];
}

/** What `gather` found out; `evaluate` never reads AWS. */
export interface EscalationFacts {
  /** Policy ARN -> its default version, for customer-managed policies and AWS-managed ones the catalogue lacks. */
  readonly documents: Readonly<Record<string, ResolvedDocument>>;
  /** Policy ARN, or `group/<name>` -> why it could not be read (reported, never assumed harmless). */
  readonly unresolved: Readonly<Record<string, string>>;
  /** Group name -> its policies. */
  readonly groups: Readonly<Record<string, GroupFacts>>;
  /** Role ARN -> why it is privileged, for the named roles the principal may pass. */
  readonly privilegedRoles: Readonly<Record<string, string>>;
}

/** No facts: nothing fetched (a policy item, or a rule run without `gather`). */
export const NO_FACTS: EscalationFacts = { documents: {}, unresolved: {}, groups: {}, privilegedRoles: {} };

/** A problem found while assembling (becomes a finding). */
export interface AssemblyProblem {
  readonly code: typeof EscalationCode.UNRESOLVED_POLICY | typeof EscalationCode.MALFORMED_POLICY;
  readonly message: string;
  readonly path: string;
}

/** A principal's policies, who it is, and what could not be read. */
export interface Assembled {
  readonly policies: PrincipalPolicies;
  /** The principal's own ARN and its groups' ARNs. */
  readonly self: readonly string[];
  readonly problems: readonly AssemblyProblem[];
}

class Assembler {
  readonly identity: SourcedDocument[] = [];
  readonly boundary: SourcedDocument[] = [];
  readonly problems: AssemblyProblem[] = [];

  constructor(private readonly facts: EscalationFacts) {}

  inline(raw: RawPolicy, prefix = ''): void {
    const parsed = parsePolicy(raw.document);
    const label = `${prefix}${raw.label}`;
    if (!parsed.ok) {
      this.problems.push({
        code: EscalationCode.MALFORMED_POLICY,
        message: `${label} is malformed: ${parsed.error}`,
        path: raw.path,
      });
      return;
    }
    this.identity.push({ label, path: raw.path, document: parsed.document });
  }

  managed(ref: PolicyRef, into: SourcedDocument[], label: string, path = ref.path): void {
    const equivalent = managedPolicyEquivalent(ref.arn);
    if (equivalent) {
      into.push({ label: `${label} (AWS-managed)`, path, document: equivalent, equivalent: true });
      return;
    }
    const fetched = this.facts.documents[ref.arn];
    if (!fetched) {
      const why = this.facts.unresolved[ref.arn] ?? 'its document was not read';
      this.problems.push({
        code: EscalationCode.UNRESOLVED_POLICY,
        message: `${label} (${ref.arn}) could not be judged: ${why}`,
        path,
      });
      return;
    }
    const parsed = parsePolicy(fetched.document);
    if (!parsed.ok) {
      this.problems.push({
        code: EscalationCode.MALFORMED_POLICY,
        message: `${label} is malformed: ${parsed.error}`,
        path,
      });
      return;
    }
    into.push({ label, path, document: parsed.document });
  }
}

/** The ARN of the principal an item describes; undefined for a policy item (it has no principal of its own). */
export function principalArn(item: ConfigurationItem): string | undefined {
  if (item.resourceType === IamResourceType.POLICY) return undefined;
  return item.arn ?? (typeof item.configuration?.arn === 'string' ? item.configuration.arn : undefined);
}

/**
 * Assembles a principal's policies from what its item says (`read`) and what `gather` found; `arn` is the
 * principal's own ARN (undefined for a policy item).
 */
export function assemble(arn: string | undefined, read: PrincipalItem, facts: EscalationFacts = NO_FACTS): Assembled {
  const a = new Assembler(facts);
  for (const raw of read.inline) a.inline(raw);
  for (const ref of read.attached) a.managed(ref, a.identity, `attached policy "${ref.name}"`);
  const self: string[] = arn ? [arn] : [];
  for (const g of read.groups) {
    const group = facts.groups[g.name];
    if (!group) {
      const why = facts.unresolved[`group/${g.name}`] ?? 'its policies were not read';
      a.problems.push({
        code: EscalationCode.UNRESOLVED_POLICY,
        message: `group "${g.name}" could not be judged: ${why}`,
        path: g.path,
      });
      continue;
    }
    self.push(group.arn);
    for (const raw of group.inline) a.inline({ ...raw, path: g.path }, `group "${g.name}" `);
    for (const ref of group.attached)
      a.managed(ref, a.identity, `group "${g.name}" attached policy "${ref.name}"`, g.path);
  }
  if (read.boundary) a.managed(read.boundary, a.boundary, `permissions boundary "${read.boundary.name}"`);
  return { policies: { identity: a.identity, boundary: a.boundary }, self, problems: a.problems };
}
