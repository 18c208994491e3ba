import { Stack, type StackProps, Token } from 'aws-cdk-lib';
import { CfnConformancePack } from 'aws-cdk-lib/aws-config';
import type { Construct } from 'constructs';
import { type GeneratedPack, renderPackBody } from '../packs/generate';
import { assertPacksDeployable } from '../packs/limits';

/** Props of {@link PackStack}. */
export interface PackStackProps extends StackProps {
  /** The packs to deploy in this region (the global pack only in the global-resources region). */
  readonly packs: readonly GeneratedPack[];
  /** Rule id -> ARN of its Lambda (from the rules stack). */
  readonly functionArns: Readonly<Record<string, string>>;
  /** Rule id -> Config InputParameters (strings), from the configuration. */
  readonly ruleParameters: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** The pack's input parameters: each rule Lambda's ARN and each configured rule parameter. */
export function packInputParameters(
  pack: GeneratedPack,
  functionArns: Readonly<Record<string, string>>,
  ruleParameters: Readonly<Record<string, Readonly<Record<string, string>>>>,
): CfnConformancePack.ConformancePackInputParameterProperty[] {
  const out: CfnConformancePack.ConformancePackInputParameterProperty[] = [];
  for (const [ruleId, param] of Object.entries(pack.functionArnParameters)) {
    const arn = functionArns[ruleId];
    if (!arn) throw new Error(`PackStack props.functionArns: no Lambda ARN for rule ${ruleId}`);
    out.push({ parameterName: param, parameterValue: arn });
  }
  for (const [ruleId, mapping] of Object.entries(pack.ruleParameters))
    for (const [name, packParam] of Object.entries(mapping)) {
      const value = ruleParameters[ruleId]?.[name];
      // Unset values keep the pack default, which is the rule's own default.
      if (value !== undefined) out.push({ parameterName: packParam, parameterValue: value });
    }
  return out;
}

/**
 * Conformance packs instead of individual Config rules: the generated template body, with the rule Lambda
 * ARNs and the configured parameters passed as pack input parameters. Limits are checked before synth.
 */
export class PackStack extends Stack {
  readonly packs: readonly CfnConformancePack[];

  constructor(scope: Construct, id: string, props: PackStackProps) {
    super(scope, id, props);
    assertPacksDeployable(props.packs, Token.isUnresolved(this.region) ? [] : [this.region]);
    this.packs = props.packs.map(
      (pack) =>
        new CfnConformancePack(this, `Pack-${pack.name}`, {
          conformancePackName: pack.name,
          templateBody: renderPackBody(pack),
          conformancePackInputParameters: packInputParameters(pack, props.functionArns, props.ruleParameters),
        }),
    );
  }
}
