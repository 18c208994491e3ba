import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { bundleLambdas, MAX_BUNDLE_BYTES } from '../../../infra/bundling';
import { projectRoot } from '../../../infra/paths';

/*
 * The deployed hook artefact, not the sources: bundled as the hook stack bundles it, run in a fresh Node
 * process on a real-shaped hook request.
 */
const entry = join(projectRoot(), 'hook', 'handler.ts');
const dir = bundleLambdas([entry]).get(entry) as string;

describe('the hook bundle', () => {
  it('stays within the Lambda bundle budget', () => {
    expect(statSync(join(dir, 'index.js')).size).toBeLessThanOrEqual(MAX_BUNDLE_BYTES);
  });

  it('answers a real-shaped request from the bundle alone', () => {
    const event = {
      clientRequestToken: 'token-1',
      awsAccountId: '111122223333',
      stackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/app/1a2345b6-0000-00a0-a123-00abc0abc000',
      hookTypeName: 'Ward::Compliance::Hook',
      actionInvocationPoint: 'CREATE_PRE_PROVISION',
      requestData: {
        targetName: 'AWS::EC2::Volume',
        targetType: 'AWS::EC2::Volume',
        targetLogicalId: 'Scratch',
        targetModel: { resourceProperties: { Size: '10', AvailabilityZone: 'eu-west-1a' } },
      },
    };
    const script = `require(process.argv[1]).handler(JSON.parse(process.argv[2])).then((r) => process.stdout.write(JSON.stringify(r)));`;
    const run = spawnSync(process.execPath, ['-e', script, join(dir, 'index.js'), JSON.stringify(event)], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, LOG_LEVEL: 'silent' },
    });
    const response = JSON.parse(run.stdout) as { hookStatus: string; errorCode: string; clientRequestToken: string };
    expect(response).toMatchObject({ hookStatus: 'FAILED', errorCode: 'NonCompliant', clientRequestToken: 'token-1' });
  });
});
