/** The hash the AWS-managed policy catalogue stores names as (its own file: the generator imports it). */

/**
 * FNV-1a (32-bit) of a policy's name with its path, in base 36. The catalogue stores these instead of the ~1,600
 * names (12 KB instead of 62 KB in every Lambda bundle). A new policy colliding with a known one (odds about
 * 1 in 2.7 million per new policy) would be taken for known and not fetched; admin policies are stored by name.
 */
export function managedPolicyHash(nameWithPath: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < nameWithPath.length; i++) {
    h ^= nameWithPath.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}
