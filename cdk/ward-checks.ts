/**
 * `WardChecks`: ward's rules as a cdk-nag pack, run at synth on each resource's resolved properties through
 * the same CloudFormation adapter `ward scan` uses. A rule's findings are reported as
 * `Ward-<rule>[<code>]` (error for codes rated high or critical, warning otherwise), so each can be acknowledged on
 * its own with cdk-nag's suppressions, or the whole rule with `Ward-<rule>`.
 */
import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { NagMessageLevel, NagPack, type NagPackProps, NagRuleCompliance } from 'cdk-nag';
import { rules as registry } from '../rules';
import { lambdaRuntimeSupported, type RuntimeFacts } from '../rules/lambda-runtime-supported/rule';
import { evaluateWithFacts } from '../rules/runtime/engine';
import { parseRuleParameters } from '../rules/runtime/parameters';
import { Compliance, type AnyRule } from '../rules/runtime/types';
import { atLeast, codeSeverity, ruleMaxSeverity } from '../scan/findings/severity';
import { templateItems, type TemplateItem } from '../scan/inputs/cloudformation';
import { judgeEntryPointItem, judgesTemplateType, runsOnTemplates } from '../scan/inputs/template-entry-points';

/** Options of {@link WardChecks}. */
export interface WardChecksProps extends NagPackProps {
  /** Rule parameters by rule id, as in ward.config.json. @default each rule's defaults */
  readonly parameters?: Readonly<Record<string, unknown>>;
  /** The rules to run. @default every rule of the registry that judges templates (change-triggered, and entry-points-authenticated) */
  readonly rules?: readonly AnyRule[];
}

/** The items of one stack, built once per validation. */
function stackItems(stack: Stack): TemplateItem[] {
  const resources: Record<string, unknown> = {};
  for (const c of stack.node.findAll()) {
    if (!(c instanceof CfnResource) || Stack.of(c) !== stack) continue;
    // The resource's CloudFormation as it will synthesize, tokens resolved to intrinsic functions.
    const cfn = stack.resolve(
      (c as unknown as { _toCloudFormation(): { Resources: Record<string, unknown> } })._toCloudFormation(),
    );
    Object.assign(resources, cfn.Resources);
  }
  const known = (v: string) => (Token.isUnresolved(v) ? undefined : v);
  return templateItems(
    { file: stack.templateFile, template: { Resources: resources } },
    {
      target: {
        ...(known(stack.account) ? { accountId: stack.account } : {}),
        ...(known(stack.region) ? { region: stack.region } : {}),
        stackName: stack.stackName,
      },
    },
  ).items;
}

/**
 * The facts a rule's `gather` would give that need no AWS: lambda-runtime-supported judges at the clock of the
 * run (its gather reads nothing else), here the synth's. Other rules judge the item alone.
 */
function synthFacts(rule: AnyRule): RuntimeFacts | undefined {
  return rule.meta.id === lambdaRuntimeSupported.meta.id ? { now: new Date() } : undefined;
}

/** ward's rules as a cdk-nag pack: `Validations.of(app).addPlugins(new WardChecks(app))`. */
export class WardChecks extends NagPack {
  readonly name = 'Ward';
  private readonly selected: readonly AnyRule[];
  private readonly params = new Map<AnyRule, unknown>();
  private readonly items = new Map<Stack, TemplateItem[]>();

  constructor(scope?: IConstruct, props: WardChecksProps = {}) {
    super(scope, props);
    this.packName = 'Ward';
    this.selected = (props.rules ?? registry).filter(runsOnTemplates);
    for (const rule of this.selected) {
      // A bad parameter is a configuration mistake: thrown here, naming the rule, not at each resource.
      this.params.set(rule, parseRuleParameters(rule.meta.parameters, props.parameters?.[rule.meta.id], rule.meta.id));
    }
  }

  protected checkResource(node: CfnResource): void {
    const stack = Stack.of(node);
    let items = this.items.get(stack);
    if (!items) this.items.set(stack, (items = stackItems(stack)));
    const logicalId = stack.resolve(node.logicalId) as string;
    const mine = items.filter((t) => t.location.logicalId === logicalId);
    if (mine.length === 0) return;
    for (const rule of this.selected) {
      if (!mine.some((t) => judgesTemplateType(rule, t.item.resourceType))) continue;
      const findings = new Map<string, string>();
      for (const t of mine) {
        if (!judgesTemplateType(rule, t.item.resourceType)) continue;
        // Methods, routes and function URLs: the rule's own judges, unknowns taken at their worst inside.
        if (!rule.meta.resourceTypes.includes(t.item.resourceType)) {
          const e = judgeEntryPointItem(t, this.params.get(rule) as never);
          for (const f of e.findings) if (!findings.has(f.code)) findings.set(f.code, f.message);
          continue;
        }
        // Synth has no AWS access: rules judge the item alone (no `gather`), as in an offline scan.
        const judge = (item: TemplateItem['item']) =>
          evaluateWithFacts(rule, item, this.params.get(rule) as never, synthFacts(rule) as never).filter(
            (e) => e.compliance === Compliance.NON_COMPLIANT,
          );
        let failing = judge(t.item);
        let prefix = '';
        // A value unknown at synth (an import, a parameter without default) is judged at its worst, as in a scan.
        if (failing.length === 0 && t.worst) {
          failing = judge(t.worst);
          prefix = `Unknown before deploy (${t.unresolved.join('; ')}); if it resolves to "*": `;
        }
        for (const e of failing) {
          for (const f of e.findings) if (!findings.has(f.code)) findings.set(f.code, `${prefix}${f.message}`);
        }
      }
      // cdk-nag gives one level per report: findings are grouped by their code's severity (error for high and
      // critical, warning below), each group reported on its own; a compliant rule is reported once.
      const levelOf = (code: string) =>
        atLeast(codeSeverity(rule, code), 'high') ? NagMessageLevel.ERROR : NagMessageLevel.WARN;
      const groups = new Map<NagMessageLevel, [string, string][]>();
      for (const [code, message] of findings) {
        groups.set(levelOf(code), [...(groups.get(levelOf(code)) ?? []), [code, message]]);
      }
      if (groups.size === 0)
        groups.set(atLeast(ruleMaxSeverity(rule), 'high') ? NagMessageLevel.ERROR : NagMessageLevel.WARN, []);
      for (const [level, found] of groups) {
        this.applyRule({
          ruleSuffixOverride: rule.meta.id,
          info: `${rule.meta.title}: ${found.map(([code, message]) => `${code}: ${message}`).join(' ') || 'compliant'}`,
          explanation: rule.meta.rationale,
          level,
          node,
          rule: () => (found.length > 0 ? found.map(([code]) => code) : NagRuleCompliance.COMPLIANT),
        });
      }
    }
  }
}
