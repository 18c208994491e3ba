import { assumeRoleCredentials } from '../../../scan/inputs/live-credentials';
import { awsError, FakeClient } from '../../fixtures/events/fakes';

const ROLE = 'arn:aws:iam::111111111111:role/ward-reader';

/** An STS fake whose sessions last `minutes` from the fake clock's now. */
function sts(clock: { now: number }, minutes = 60) {
  let n = 0;
  return new FakeClient({
    AssumeRole: () => {
      n++;
      return {
        Credentials: {
          AccessKeyId: `ASIA${n}`,
          SecretAccessKey: 'secret',
          SessionToken: `token-${n}`,
          Expiration: new Date(clock.now + minutes * 60_000),
        },
      };
    },
  });
}

describe('assumeRoleCredentials', () => {
  it('assumes the role with the external id once and reuses the session while it is fresh', async () => {
    const clock = { now: Date.parse('2026-12-05T10:00:00Z') };
    const client = sts(clock);
    const provider = assumeRoleCredentials({ roleArn: ROLE, externalId: 'x-123', sts: client, now: () => clock.now });
    const [a, b] = await Promise.all([provider(), provider()]);
    clock.now += 50 * 60_000;
    const c = await provider();
    expect([a.accessKeyId, b.accessKeyId, c.accessKeyId]).toEqual(['ASIA1', 'ASIA1', 'ASIA1']);
    expect(client.inputs('AssumeRole')).toEqual([
      { RoleArn: ROLE, RoleSessionName: 'ward-scan', DurationSeconds: 3600, ExternalId: 'x-123' },
    ]);
  });

  it('refreshes the session five minutes before it expires, so a long scan never uses expired credentials', async () => {
    const clock = { now: Date.parse('2026-12-05T10:00:00Z') };
    const client = sts(clock);
    const provider = assumeRoleCredentials({ roleArn: ROLE, sts: client, now: () => clock.now });
    expect((await provider()).accessKeyId).toBe('ASIA1');
    clock.now += 56 * 60_000;
    const refreshed = await provider();
    expect(refreshed.accessKeyId).toBe('ASIA2');
    expect(refreshed.expiration?.getTime()).toBe(clock.now + 60 * 60_000);
    expect(client.inputs('AssumeRole')).toHaveLength(2);
  });

  it('names the role when STS refuses it, and tries again on the next call', async () => {
    let refuse = true;
    const client = new FakeClient({
      AssumeRole: () => {
        if (refuse) throw awsError('AccessDenied', 403, 'is not authorized to perform: sts:AssumeRole');
        return { Credentials: { AccessKeyId: 'ASIA9', SecretAccessKey: 's', SessionToken: 't' } };
      },
    });
    const provider = assumeRoleCredentials({ roleArn: ROLE, sts: client });
    await expect(provider()).rejects.toThrow(
      `cannot assume ${ROLE}: AccessDenied: is not authorized to perform: sts:AssumeRole`,
    );
    refuse = false;
    expect((await provider()).accessKeyId).toBe('ASIA9');
  });
});
