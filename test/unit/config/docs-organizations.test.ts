import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rules } from '../../../rules';
import { projectRoot } from '../../../infra/paths';
import { readerPolicy, scannerPolicy } from '../../../scan/inputs/live-reader-policy';

/*
 * docs/organizations.md lists the reader and scanner policies as IAM JSON; the organization integration test
 * runs every rule through roles holding exactly readerPolicy and scannerPolicy with IAM enforced. This keeps the
 * JSON in the docs the same as what is tested.
 */
const doc = readFileSync(join(projectRoot(), 'docs', 'organizations.md'), 'utf8');

function block(marker: string): unknown {
  const m = new RegExp(`<!-- ${marker} -->\\s*\`\`\`json\\n([\\s\\S]*?)\`\`\`\\s*<!-- /${marker} -->`).exec(doc);
  if (!m) throw new Error(`docs/organizations.md has no ${marker} block`);
  return JSON.parse(m[1]);
}

describe('docs/organizations.md', () => {
  it('lists the reader policy the integration test proves enough for every rule', () => {
    expect(block('reader-policy')).toEqual(readerPolicy(rules));
  });

  it('lists the policy of the identity that runs the scan', () => {
    expect(block('scanner-policy')).toEqual(scannerPolicy('ward-reader'));
  });
});
