/**
 * The snapshot index's lookups that rules use through `ctx.resources` (scan/inputs/snapshot-index.ts): IAM
 * groups by name (a user's groupList names them), items by ARN, items read back from a file at their offset.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ConfigurationItem, normalizeConfigurationItem } from '../../../rules/runtime/configuration-item';
import { SnapshotIndex } from '../../../scan/inputs/snapshot-index';
import { ACCOUNT, allow, apiForm, doc, group, policy, role } from '../rules/no-privilege-escalation.fixtures';
import { tempDir } from './scan-harness';

type Doc = Record<string, unknown>;

/** An index fed as pass 1 feeds it: the normalised item and its raw bytes. */
function indexOf(items: readonly Doc[]): SnapshotIndex {
  const index = new SnapshotIndex();
  for (const raw of items) {
    const bytes = Buffer.from(JSON.stringify(raw));
    index.add(normalizeConfigurationItem(JSON.parse(bytes.toString('utf8'))), bytes);
  }
  return index;
}

/** Writes `items` to `file` as JSON Lines and indexes them as pass 1 does a plain file: by offset only. */
function indexFromFile(index: SnapshotIndex, items: readonly Doc[], file: string): void {
  const texts = items.map((i) => JSON.stringify(i));
  writeFileSync(file, texts.join('\n'));
  let start = 0;
  for (const text of texts) {
    const bytes = Buffer.from(text);
    index.add(normalizeConfigurationItem(JSON.parse(text)), bytes, { path: file, start });
    start += bytes.length + 1;
  }
}

/** A group whose ARN carries a path, so that no ARN built from its name finds it. */
function groupWithPath(name: string, id: string, path = '/team/'): Doc {
  const g = group(name);
  const arn = `arn:aws:iam::${ACCOUNT}:group${path}${name}`;
  return { ...g, resourceId: id, ARN: arn, configuration: { ...(g.configuration as Doc), groupId: id, path, arn } };
}

const nameOf = (ci: ConfigurationItem | undefined) => ci?.configuration?.groupName;

describe('SnapshotIndex lookups', () => {
  it('finds a group by the name a user lists, whatever the path in its ARN', async () => {
    const index = indexOf([groupWithPath('devs', 'AGPADEVS'), groupWithPath('ops', 'AGPAOPS')]);
    const found = await index.resources.findByName?.('AWS::IAM::Group', 'ops');
    expect(found?.resourceId).toBe('AGPAOPS');
    expect(found?.arn).toBe(`arn:aws:iam::${ACCOUNT}:group/team/ops`);
    await expect(index.resources.findByName?.('AWS::IAM::Group', 'nobody')).resolves.toBeUndefined();
  });

  it('finds groups in the API form by name too', async () => {
    const index = indexOf([apiForm(groupWithPath('devs', 'AGPADEVS'))]);
    expect((await index.resources.findByName?.('AWS::IAM::Group', 'devs'))?.resourceId).toBe('AGPADEVS');
  });

  it('answers with the first group of that name in the order of the snapshot, as a walk of the groups would', async () => {
    const index = indexOf([groupWithPath('devs', 'AGPAFIRST', '/a/'), groupWithPath('devs', 'AGPASECOND', '/b/')]);
    expect((await index.resources.findByName?.('AWS::IAM::Group', 'devs'))?.resourceId).toBe('AGPAFIRST');
    const walked: string[] = [];
    for await (const g of index.resources.list?.('AWS::IAM::Group') ?? []) walked.push(g.resourceId);
    expect(walked).toEqual(['AGPAFIRST', 'AGPASECOND']);
  });

  it('follows a newer capture of a group under another name, keeping its place', async () => {
    const index = indexOf([
      groupWithPath('devs', 'AGPAFIRST'),
      groupWithPath('devs', 'AGPASECOND'),
      groupWithPath('renamed', 'AGPAFIRST'),
      groupWithPath('renamed', 'AGPATHIRD'),
    ]);
    expect((await index.resources.findByName?.('AWS::IAM::Group', 'devs'))?.resourceId).toBe('AGPASECOND');
    const renamed = await index.resources.findByName?.('AWS::IAM::Group', 'renamed');
    // AGPAFIRST keeps the first place of the snapshot (as `list` walks it), so it answers before AGPATHIRD.
    expect(renamed?.resourceId).toBe('AGPAFIRST');
  });

  it('finds every one of more groups than its parsed-item cache holds, each by its own name', async () => {
    const groups = Array.from({ length: 1500 }, (_, i) => groupWithPath(`g${i}`, `AGPA${i}`));
    const index = indexOf(groups);
    for (const i of [0, 511, 512, 1499, 3, 1000]) {
      expect(nameOf(await index.resources.findByName?.('AWS::IAM::Group', `g${i}`))).toBe(`g${i}`);
    }
  });

  it('finds roles and policies by name through a walk of their type, and nothing of other types', async () => {
    const admin = policy('break-glass', doc(allow('*', '*')));
    const index = indexOf([role('ops'), role('deployer'), admin]);
    expect((await index.resources.findByName?.('AWS::IAM::Role', 'deployer'))?.configuration?.roleName).toBe(
      'deployer',
    );
    expect((await index.resources.findByName?.('AWS::IAM::Policy', 'break-glass'))?.arn).toBe(
      `arn:aws:iam::${ACCOUNT}:policy/break-glass`,
    );
    await expect(index.resources.findByName?.('AWS::S3::Bucket', 'ops')).resolves.toBeUndefined();
  });

  it('reads a group back from its offset in a plain file when only the offset is kept', async () => {
    const items = [groupWithPath('devs', 'AGPADEVS'), groupWithPath('ops', 'AGPAOPS')];
    const index = new SnapshotIndex();
    indexFromFile(index, items, join(tempDir(), 'groups.json'));
    try {
      expect((await index.resources.findByName?.('AWS::IAM::Group', 'ops'))?.resourceId).toBe('AGPAOPS');
      expect((await index.resources.findByArn('AWS::IAM::Group', items[0].ARN as string))?.resourceId).toBe('AGPADEVS');
    } finally {
      index.close();
    }
  });
  it('reads items back from the offsets of several plain files, a newer capture in a later file answering', async () => {
    // More items than the offset table's first allocation (256), over two files, the last group in both.
    const first = Array.from({ length: 300 }, (_, i) => groupWithPath(`g${i}`, `AGPA${i}`));
    const second = [groupWithPath('renamed', 'AGPA299'), policy('break-glass', doc(allow('*', '*')))];
    const index = new SnapshotIndex();
    for (const [n, items] of [first, second].entries()) indexFromFile(index, items, join(tempDir(), `part-${n}.json`));
    try {
      for (const i of [0, 255, 256, 298]) {
        expect(nameOf(await index.resources.findByName?.('AWS::IAM::Group', `g${i}`))).toBe(`g${i}`);
      }
      await expect(index.resources.findByName?.('AWS::IAM::Group', 'g299')).resolves.toBeUndefined();
      expect((await index.resources.get('AWS::IAM::Group', 'AGPA299'))?.configuration?.groupName).toBe('renamed');
      const admin = await index.resources.findByArn('AWS::IAM::Policy', `arn:aws:iam::${ACCOUNT}:policy/break-glass`);
      expect(admin?.configuration?.policyName).toBe('break-glass');
      const walked: string[] = [];
      for await (const g of index.resources.list?.('AWS::IAM::Group') ?? []) walked.push(g.resourceId);
      expect(walked).toHaveLength(300);
      expect(walked.slice(-2)).toEqual(['AGPA298', 'AGPA299']);
    } finally {
      index.close();
    }
  });
});
