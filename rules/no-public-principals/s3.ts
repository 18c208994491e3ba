/**
 * S3 specifics: ACL grants to AllUsers/AuthenticatedUsers, the bucket-level Public Access Block settings that
 * neutralise public policies and ACLs, and the owner's canonical id (which a bucket policy may name).
 */
import { type ConfigurationItem, type Finding, getPath, unreadable } from '../runtime';
import type { PublicAccessBlock } from './sources';
import { finding } from './findings';

/** The public ACL groups, by the short name Config uses and the URI the S3 API uses. */
const PUBLIC_GROUPS: Readonly<Record<string, string>> = {
  allusers: 'AllUsers',
  authenticatedusers: 'AuthenticatedUsers',
  'http://acs.amazonaws.com/groups/global/allusers': 'AllUsers',
  'http://acs.amazonaws.com/groups/global/authenticatedusers': 'AuthenticatedUsers',
};

const ACL_PATH = 'supplementaryConfiguration.AccessControlList';

/** Reads the two flags from a Public Access Block configuration (booleans, or "true" strings). */
export function readPublicAccessBlock(raw: unknown): PublicAccessBlock {
  const pab = decodeDeep(raw);
  const flag = (k: string) => {
    const v = getPath(pab, k);
    return v === true || v === 'true';
  };
  return { ignorePublicAcls: flag('ignorePublicAcls'), restrictPublicBuckets: flag('restrictPublicBuckets') };
}

/**
 * The effective flags: S3 applies the most restrictive combination of the bucket's
 * `supplementaryConfiguration.PublicAccessBlockConfiguration` and the account-level setting.
 */
export function publicAccessBlock(item: ConfigurationItem, account?: PublicAccessBlock): PublicAccessBlock {
  const bucket = readPublicAccessBlock(item.supplementaryConfiguration.PublicAccessBlockConfiguration);
  return {
    ignorePublicAcls: bucket.ignorePublicAcls || (account?.ignorePublicAcls ?? false),
    restrictPublicBuckets: bucket.restrictPublicBuckets || (account?.restrictPublicBuckets ?? false),
  };
}

/** Decodes a value that may be JSON encoded several times (the API form encodes the already-string ACL again). */
export function decodeDeep(raw: unknown): unknown {
  let v = raw;
  for (let depth = 0; depth < 3 && typeof v === 'string'; depth++) {
    try {
      v = JSON.parse(v);
    } catch {
      return v;
    }
  }
  return v;
}

/** The bucket ACL; undefined when the item has none. @throws UnreadableConfigurationError when it is not an object. */
function acl(item: ConfigurationItem): Record<string, unknown> | undefined {
  const v = decodeDeep(item.supplementaryConfiguration.AccessControlList);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) unreadable(ACL_PATH, 'an access control list object', v);
  return v as Record<string, unknown>;
}

/** The bucket owner's canonical user id, from the ACL or the configuration. */
export function ownerCanonicalId(item: ConfigurationItem): string | undefined {
  const id = getPath(acl(item), 'owner.id') ?? getPath(item.configuration, 'owner.id');
  return typeof id === 'string' ? id : undefined;
}

function groupOf(grantee: unknown): string | undefined {
  if (typeof grantee === 'string') return PUBLIC_GROUPS[grantee.toLowerCase()];
  const uri = getPath(grantee, 'uri') ?? getPath(grantee, 'URI') ?? getPath(grantee, 'id');
  return typeof uri === 'string' ? PUBLIC_GROUPS[uri.toLowerCase()] : undefined;
}

/** `public-acl` findings for each grant to AllUsers or AuthenticatedUsers (the caller applies IgnorePublicAcls). */
export function publicAclFindings(item: ConfigurationItem): Finding[] {
  const a = acl(item);
  if (!a) return [];
  const out: Finding[] = [];
  for (const listName of ['grantList', 'grantSet']) {
    const grants = a[listName];
    if (grants === undefined || grants === null) continue;
    if (!Array.isArray(grants)) unreadable(`${ACL_PATH}.${listName}`, 'a list of grants', grants);
    grants.forEach((g, i) => {
      const group = groupOf(getPath(g, 'grantee'));
      if (!group) return;
      const permission = getPath(g, 'permission');
      out.push(
        finding(
          'public-acl',
          `Bucket ACL grants ${typeof permission === 'string' ? permission : 'access'} to ${group}.`,
          `${ACL_PATH}.${listName}[${i}]`,
        ),
      );
    });
  }
  return out;
}
