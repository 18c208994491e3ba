import { stringify } from 'yaml';
import { z } from 'zod';
import { describeParameters, toInputParameterValue } from '../../rules/runtime/parameters';
import { ruleControls } from '../../rules/runtime/controls';
import type { AnyRule } from '../../rules/runtime/types';
import { MANAGED_RULES, type ManagedRuleSpec, managedRuleName } from './managed-rules';

/** The packs ward generates: regional rules, and rules over global (IAM) resources for one region only. */
export const PACK_SCOPES = ['regional', 'global'] as const;

/** One of {@link PACK_SCOPES}. */
export type PackScope = (typeof PACK_SCOPES)[number];

/** Options of {@link generatePack}. */
export interface PackOptions {
  /** Add the AWS managed rules of {@link MANAGED_RULES}. @default true */
  readonly includeManagedRules?: boolean;
  /** Pack name; the file is `<name>.yaml` (regional) or `<name>-global.yaml`. @default 'ward' */
  readonly name?: string;
}

/** A generated conformance pack template with the names of its input parameters. */
export interface GeneratedPack {
  readonly scope: PackScope;
  /** Conformance pack name, also the file name without `.yaml`. */
  readonly name: string;
  readonly template: PackTemplate;
  /** Rule id -> the pack parameter that carries the rule Lambda's ARN. */
  readonly functionArnParameters: Readonly<Record<string, string>>;
  /** Rule id -> rule parameter name -> pack parameter name. */
  readonly ruleParameters: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly customRuleIds: readonly string[];
  readonly managedRules: readonly ManagedRuleSpec[];
}

/** The CloudFormation shape of a pack template (only what ward writes). */
export interface PackTemplate {
  readonly Description?: string;
  readonly Parameters: Record<string, { Type: 'String'; Description: string; Default?: string }>;
  readonly Resources: Record<
    string,
    { Type: string; Metadata?: Record<string, unknown>; Properties: Record<string, unknown> }
  >;
}

const pascal = (s: string) =>
  s
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');

/** Name of the pack parameter carrying a rule's Lambda ARN. */
export function functionArnParameter(ruleId: string): string {
  return `${pascal(ruleId)}FunctionArn`;
}

/** True when a rule goes into the global pack (it judges global IAM resources). */
export function isGlobalRule(rule: AnyRule): boolean {
  return rule.meta.global === true;
}

function customRuleResource(rule: AnyRule, parameters: Record<string, string>) {
  const { meta } = rule;
  const sourceDetails: Record<string, string>[] = [];
  if (meta.trigger.onChange) {
    sourceDetails.push({ EventSource: 'aws.config', MessageType: 'ConfigurationItemChangeNotification' });
    sourceDetails.push({ EventSource: 'aws.config', MessageType: 'OversizedConfigurationItemChangeNotification' });
  }
  if (meta.trigger.periodic)
    sourceDetails.push({
      EventSource: 'aws.config',
      MessageType: 'ScheduledNotification',
      MaximumExecutionFrequency: meta.trigger.periodic,
    });
  const controls = ruleControls(meta.controls);
  return {
    Type: 'AWS::Config::ConfigRule',
    // The framework controls the rule's findings fail (rules/<id>/controls.ts), for auditors reading the pack.
    ...(controls.length > 0 ? { Metadata: { WardControls: controls } } : {}),
    Properties: {
      ConfigRuleName: `ward-${meta.id}`,
      Description: meta.title,
      ...(meta.trigger.onChange ? { Scope: { ComplianceResourceTypes: [...meta.resourceTypes] } } : {}),
      ...(Object.keys(parameters).length > 0
        ? { InputParameters: Object.fromEntries(Object.entries(parameters).map(([k, p]) => [k, { Ref: p }])) }
        : {}),
      Source: {
        Owner: 'CUSTOM_LAMBDA',
        SourceIdentifier: { Ref: functionArnParameter(meta.id) },
        SourceDetails: sourceDetails,
      },
    },
  };
}

function managedRuleResource(spec: ManagedRuleSpec) {
  return {
    Type: 'AWS::Config::ConfigRule',
    Properties: {
      ConfigRuleName: managedRuleName(spec.identifier),
      Description: spec.description,
      ...(spec.resourceTypes ? { Scope: { ComplianceResourceTypes: [...spec.resourceTypes] } } : {}),
      ...(Object.keys(spec.parameters).length > 0 ? { InputParameters: { ...spec.parameters } } : {}),
      ...(spec.periodic ? { MaximumExecutionFrequency: spec.periodic } : {}),
      Source: { Owner: 'AWS', SourceIdentifier: spec.identifier },
    },
  };
}

/**
 * Generates one conformance pack from rules: every custom rule calls its Lambda, whose ARN is a pack input
 * parameter; every rule parameter is a pack parameter defaulting to the rule's default (or the value in
 * `parameterValues`); managed rules carry their parameters explicitly.
 */
export function generatePack(
  rules: readonly AnyRule[],
  scope: PackScope,
  options: PackOptions = {},
  parameterValues: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {},
): GeneratedPack {
  const base = options.name ?? 'ward';
  const name = scope === 'global' ? `${base}-global` : base;
  const custom = rules.filter((r) => isGlobalRule(r) === (scope === 'global'));
  const managed =
    options.includeManagedRules === false ? [] : MANAGED_RULES.filter((m) => m.global === (scope === 'global'));
  const template: PackTemplate = {
    Description: `ward ${scope} conformance pack, generated by \`ward pack\` from the rule registry.`,
    Parameters: {},
    Resources: {},
  };
  const functionArnParameters: Record<string, string> = {};
  const ruleParameters: Record<string, Record<string, string>> = {};
  for (const rule of custom) {
    const id = rule.meta.id;
    const arnParam = functionArnParameter(id);
    functionArnParameters[id] = arnParam;
    template.Parameters[arnParam] = { Type: 'String', Description: `ARN of the ward-${id} rule Lambda.` };
    const mapping: Record<string, string> = {};
    const defaults = z.parse(rule.meta.parameters, parameterValues[id] ?? {}) as Record<string, unknown>;
    for (const p of describeParameters(rule.meta.parameters)) {
      const packParam = `${pascal(id)}${pascal(p.name)}`;
      mapping[p.name] = packParam;
      template.Parameters[packParam] = {
        Type: 'String',
        Description: `ward-${id} ${p.name}: ${p.description}`.slice(0, 4000),
        Default: toInputParameterValue(defaults[p.name]),
      };
    }
    ruleParameters[id] = mapping;
    template.Resources[`Ward${pascal(id)}`] = customRuleResource(rule, mapping);
  }
  for (const spec of managed)
    template.Resources[`Aws${pascal(spec.identifier.toLowerCase())}`] = managedRuleResource(spec);
  return {
    scope,
    name,
    template,
    functionArnParameters,
    ruleParameters,
    customRuleIds: custom.map((r) => r.meta.id),
    managedRules: managed,
  };
}

/** Generates both packs (regional and global); a pack with no rules is left out. */
export function generatePacks(rules: readonly AnyRule[], options: PackOptions = {}): GeneratedPack[] {
  return PACK_SCOPES.map((s) => generatePack(rules, s, options)).filter(
    (p) => Object.keys(p.template.Resources).length > 0,
  );
}

const HEADER = `# Generated by \`ward pack\` from the rule registry: do not edit. \`ward pack --check\` fails when it drifts.
# Deploy with the console or \`aws configservice put-conformance-pack\`, passing each *FunctionArn parameter
# (the rule Lambdas come from \`ward deploy --mode pack\`, which also deploys this pack for you).
`;

/** The pack as committed YAML (stable key order, no line folding). */
export function renderPackYaml(pack: GeneratedPack): string {
  return HEADER + stringify(pack.template, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** The template body deployed (without the header comment, which would count against the size limit). */
export function renderPackBody(pack: GeneratedPack): string {
  return stringify(pack.template, { lineWidth: 0, aliasDuplicateObjects: false });
}
