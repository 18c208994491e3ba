import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rules } from '../../../rules';
import { readResponderSuppressions } from '../../../responder/suppressions';
import { suppressionsEnvironment } from '../../../infra/responder-suppressions';
import { tempDir } from '../scan/scan-harness';

describe('suppressions carried to the responder', () => {
  it('validates the file as ward scan does and gives the responder the same entries', () => {
    const file = join(tempDir(), 'ward.suppressions.yaml');
    writeFileSync(
      file,
      'suppressions:\n  - rule: no-public-principals\n    resource: "arn:aws:s3:::site-*"\n    reason: public website\n',
    );
    const value = suppressionsEnvironment(file, rules);
    expect(readResponderSuppressions(value)).toEqual([
      { rule: 'no-public-principals', resource: 'arn:aws:s3:::site-*', reason: 'public website' },
    ]);
    expect(suppressionsEnvironment(undefined, rules)).toBeUndefined();
  });

  it('refuses an entry without a reason, and entries too large for the Lambda environment', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'a.json'),
      JSON.stringify({ suppressions: [{ rule: 'no-public-principals', resource: '*' }] }),
    );
    expect(() => suppressionsEnvironment(join(dir, 'a.json'), rules)).toThrow(/reason/);
    const many = Array.from({ length: 40 }, (_, i) => ({
      rule: 'no-public-principals',
      resource: `arn:aws:s3:::bucket-${i}`,
      reason: 'a reason long enough to add up',
    }));
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ suppressions: many }));
    expect(() => suppressionsEnvironment(join(dir, 'b.json'), rules)).toThrow(/do not fit the responder's environment/);
  });
});
