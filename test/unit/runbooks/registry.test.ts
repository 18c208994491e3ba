import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { automatedRunbooks, findRunbook, managedRemediation, runbooks } from '../../../runbooks';

const dir = join(__dirname, '..', '..', '..', 'runbooks');

describe('the runbook registry', () => {
  it('has unique kebab-case ids', () => {
    const ids = runbooks.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
  });

  it.each(runbooks.map((r) => [r.id, r] as const))('%s has a playbook beside it with manual steps', (id) => {
    const md = join(dir, `${id}.md`);
    expect(existsSync(md)).toBe(true);
    expect(readFileSync(md, 'utf8')).toMatch(/## Manual steps/);
  });

  it.each(automatedRunbooks.map((r) => [r.id, r] as const))('%s has its code in runbooks/<id>.ts', (id) => {
    expect(existsSync(join(dir, `${id}.ts`))).toBe(true);
  });

  it('keeps the notify-by-default runbooks out of auto', () => {
    for (const id of ['kms-remove-public-statements', 'kms-revoke-external-grant', 'iam-deactivate-exposed-access-key'])
      expect(findRunbook(id)).toMatchObject({ automated: true, safeForAuto: false });
  });

  it.each([
    ['s3-bucket-server-side-encryption-enabled', 'AWS::S3::Bucket', 's3-enable-default-encryption'],
    [
      's3-bucket-server-side-encryption-enabled-conformance-pack-abc123',
      'AWS::S3::Bucket',
      's3-enable-default-encryption',
    ],
    ['rds-storage-encrypted', 'AWS::RDS::DBInstance', 'rds-reencrypt'],
    ['ward-aws-sns-encrypted-kms', 'AWS::SNS::Topic', 'sns-enable-encryption'],
    ['ward-aws-s3-bucket-level-public-access-prohibited', 'AWS::S3::Bucket', 's3-block-public-access'],
    ['s3-bucket-server-side-encryption-enabled', 'AWS::SNS::Topic', undefined],
    ['unknown-rule', 'AWS::S3::Bucket', undefined],
  ])('maps managed rule %s on %s to %s', (rule, type, id) => {
    expect(managedRemediation(rule, type)).toBe(id);
  });
});
