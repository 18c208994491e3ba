import { WardError } from '../../rules/runtime/errors';
import { type GeneratedPack, renderPackBody } from './generate';

/** Conformance pack limits (AWS Config developer guide, "Service limits" and PutConformancePack). */
export const PACK_LIMITS = {
  /** TemplateBody of PutConformancePack, in bytes. */
  maxTemplateBytes: 51_200,
  /** ConformancePackInputParameters entries. */
  maxInputParameters: 60,
  /** Config rules in one conformance pack. */
  maxRules: 130,
  /** The only resource types a pack template may hold. */
  allowedResourceTypes: ['AWS::Config::ConfigRule', 'AWS::Config::RemediationConfiguration'],
} as const;

/** Every pack that breaks a limit or is unavailable in a target region; `problems` lists them all. */
export class PackLimitError extends WardError {
  constructor(readonly problems: readonly string[]) {
    super(`conformance pack problems (${problems.length}):\n  - ${problems.join('\n  - ')}`);
  }
}

/**
 * Checks a pack against the conformance-pack limits and, for each target region, the availability of its
 * managed rules. Returns every problem found (empty when the pack can be deployed everywhere asked).
 */
export function checkPack(pack: GeneratedPack, regions: readonly string[] = []): string[] {
  const problems: string[] = [];
  const bytes = Buffer.byteLength(renderPackBody(pack), 'utf8');
  if (bytes > PACK_LIMITS.maxTemplateBytes)
    problems.push(`${pack.name}: template body is ${bytes} bytes, over the ${PACK_LIMITS.maxTemplateBytes}-byte limit`);
  const params = Object.keys(pack.template.Parameters).length;
  if (params > PACK_LIMITS.maxInputParameters)
    problems.push(`${pack.name}: ${params} input parameters, over the limit of ${PACK_LIMITS.maxInputParameters}`);
  const resources = Object.entries(pack.template.Resources);
  if (resources.length > PACK_LIMITS.maxRules)
    problems.push(`${pack.name}: ${resources.length} rules, over the limit of ${PACK_LIMITS.maxRules}`);
  const allowed: readonly string[] = PACK_LIMITS.allowedResourceTypes;
  const names = new Map<string, string>();
  for (const [logicalId, resource] of resources) {
    if (!allowed.includes(resource.Type))
      problems.push(
        `${pack.name}: resource ${logicalId} is ${resource.Type}; a pack may hold only ${allowed.join(', ')}`,
      );
    const ruleName = resource.Properties.ConfigRuleName;
    if (typeof ruleName === 'string') {
      const other = names.get(ruleName);
      if (other) problems.push(`${pack.name}: ${logicalId} and ${other} share the rule name ${ruleName}`);
      names.set(ruleName, logicalId);
      if (ruleName.length > 128) problems.push(`${pack.name}: rule name ${ruleName} is longer than 128 characters`);
    }
  }
  for (const region of regions)
    for (const m of pack.managedRules)
      if (m.unavailableIn.includes(region))
        problems.push(`${pack.name}: managed rule ${m.identifier} is not available in ${region}`);
  return problems;
}

/**
 * Checks every pack for every region and throws once with all problems.
 * @throws PackLimitError
 */
export function assertPacksDeployable(packs: readonly GeneratedPack[], regions: readonly string[]): void {
  const problems = packs.flatMap((p) => checkPack(p, regions));
  if (problems.length > 0) throw new PackLimitError(problems);
}
