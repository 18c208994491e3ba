import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { credentialsNotShared } from '../../../rules/credentials-not-shared/rule';
import { type FunctionFacts, judgeFunctions } from '../../../rules/credentials-not-shared/judge';
import { collectFunctions } from '../../../rules/credentials-not-shared/inventory';
import { fingerprint } from '../../../rules/credentials-not-shared/detect';
import {
  type ClientConstructor,
  type Evaluation,
  type RuleContext,
  collectEvaluations,
  parseRuleParameters,
} from '../../../rules/runtime';
import { captureLogger, FakeClient, awsError } from '../../fixtures/events/fakes';
import { deepFreeze } from '../../fixtures/events/config-events';

const ACCOUNT = '111122223333';
const ROLE = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const FN_ARN = (name: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;
const GITHUB = 'ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
const STRIPE = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc';

const params = (raw: Record<string, unknown> = {}) =>
  parseRuleParameters(credentialsNotShared.meta.parameters, raw, credentialsNotShared.meta.id);

const fn = (name: string, o: Partial<FunctionFacts> = {}): FunctionFacts =>
  deepFreeze({ name, arn: FN_ARN(name), role: ROLE(`${name}-role`), tags: {}, credentials: [], ...o });

const cred = (variable: string, value: string, kind: FunctionFacts['credentials'][number]['kind']) => ({
  variable,
  kind,
  fingerprint: fingerprint(value),
});

const summary = (evaluations: Evaluation[]) =>
  evaluations.map((e) => [e.resourceId, e.compliance, e.findings.map((f) => f.code)]);

describe('credentials-not-shared judgement', () => {
  it.each<[string, FunctionFacts[], [string, string, string[]][]]>([
    ['reports a function with no credential and its own role compliant', [fn('a')], [['a', 'COMPLIANT', []]]],
    [
      'flags a plaintext credential',
      [fn('a', { credentials: [cred('GITHUB_TOKEN', GITHUB, 'github-token')] })],
      [['a', 'NON_COMPLIANT', ['plaintext-credential']]],
    ],
    [
      'flags the same credential in two functions on both, naming the other',
      [
        fn('a', { credentials: [cred('STRIPE', STRIPE, 'stripe-live-key')] }),
        fn('b', { credentials: [cred('PAYMENTS_KEY', STRIPE, 'stripe-live-key')] }),
        fn('c', { credentials: [cred('GITHUB_TOKEN', GITHUB, 'github-token')] }),
      ],
      [
        ['a', 'NON_COMPLIANT', ['shared-credential', 'plaintext-credential']],
        ['b', 'NON_COMPLIANT', ['shared-credential', 'plaintext-credential']],
        ['c', 'NON_COMPLIANT', ['plaintext-credential']],
      ],
    ],
    [
      'flags one role used by functions of two stacks',
      [
        fn('a', { role: ROLE('shared'), tags: { 'aws:cloudformation:stack-name': 'orders' } }),
        fn('b', { role: ROLE('shared'), tags: { 'aws:cloudformation:stack-name': 'billing' } }),
      ],
      [
        ['a', 'NON_COMPLIANT', ['shared-execution-role']],
        ['b', 'NON_COMPLIANT', ['shared-execution-role']],
      ],
    ],
    [
      'accepts one role shared inside one stack',
      [
        fn('a', { role: ROLE('shared'), tags: { 'aws:cloudformation:stack-name': 'orders' } }),
        fn('b', { role: ROLE('shared'), tags: { 'aws:cloudformation:stack-name': 'orders' } }),
      ],
      [
        ['a', 'COMPLIANT', []],
        ['b', 'COMPLIANT', []],
      ],
    ],
    [
      'treats each untagged function as its own component',
      [fn('a', { role: ROLE('shared') }), fn('b', { role: ROLE('shared') })],
      [
        ['a', 'NON_COMPLIANT', ['shared-execution-role']],
        ['b', 'NON_COMPLIANT', ['shared-execution-role']],
      ],
    ],
    [
      'fails closed when Lambda cannot return the environment',
      [fn('a', { environmentError: 'KMSAccessDeniedException' })],
      [['a', 'NON_COMPLIANT', ['environment-unreadable']]],
    ],
  ])('%s', (_name, functions, expected) => {
    expect(summary(judgeFunctions(functions, params()))).toEqual(expected);
  });

  it.each(['constructor', '__proto__', 'toString'])(
    'treats a componentTagKey "%s" the function does not have as no tag (no inherited member)',
    (key) => {
      const shared = { role: ROLE('shared') };
      const out = judgeFunctions([fn('a', shared), fn('b', shared)], params({ componentTagKey: key }));
      expect(summary(out)).toEqual([
        ['a', 'NON_COMPLIANT', ['shared-execution-role']],
        ['b', 'NON_COMPLIANT', ['shared-execution-role']],
      ]);
    },
  );

  it('uses the componentTagKey parameter', () => {
    const functions = [
      fn('a', { role: ROLE('shared'), tags: { component: 'x', 'aws:cloudformation:stack-name': 's' } }),
      fn('b', { role: ROLE('shared'), tags: { component: 'y', 'aws:cloudformation:stack-name': 's' } }),
    ];
    expect(summary(judgeFunctions(functions, params()))).toEqual([
      ['a', 'COMPLIANT', []],
      ['b', 'COMPLIANT', []],
    ]);
    expect(summary(judgeFunctions(functions, params({ componentTagKey: 'component' })))).toEqual([
      ['a', 'NON_COMPLIANT', ['shared-execution-role']],
      ['b', 'NON_COMPLIANT', ['shared-execution-role']],
    ]);
  });

  it('reports an exempt function NOT_APPLICABLE but still names it as the other holder of a shared credential', () => {
    const functions = [
      fn('legacy', { credentials: [cred('K', STRIPE, 'stripe-live-key')], tags: { 'ward:exempt': 'yes' } }),
      fn('new', { credentials: [cred('K', STRIPE, 'stripe-live-key')] }),
    ];
    const [legacy, fresh] = judgeFunctions(functions, params({ exemptTag: 'ward:exempt' }));
    expect(legacy.compliance).toBe('NOT_APPLICABLE');
    expect(fresh.findings.map((f) => f.message)).toContain('The credential in K is also in function legacy.');
  });

  it('names the variable and the kind, never the value, in findings and annotations', () => {
    const functions = [
      fn('a', { credentials: [cred('GITHUB_TOKEN', GITHUB, 'github-token')] }),
      fn('b', { credentials: [cred('GH', GITHUB, 'github-token')] }),
    ];
    const out = JSON.stringify(judgeFunctions(functions, params()));
    expect(out).toContain('GITHUB_TOKEN holds a GitHub token in plaintext');
    expect(out).not.toContain(GITHUB);
    expect(out).not.toContain(fingerprint(GITHUB));
  });

  it('reports NOT_APPLICABLE for a configuration item, since environments are not in items', () => {
    const item = deepFreeze({
      resourceType: 'AWS::Lambda::Function',
      resourceId: 'a',
      accountId: ACCOUNT,
      awsRegion: 'us-east-1',
      captureTime: '',
      status: 'OK' as const,
      configuration: {},
      supplementaryConfiguration: {},
      tags: {},
      relationships: [],
    });
    const [e] = credentialsNotShared.evaluate({ item, params: params(), facts: undefined, accountId: ACCOUNT });
    expect(e.compliance).toBe('NOT_APPLICABLE');
  });
});

/** A RuleContext whose Lambda and tagging clients are fakes. */
function fakeContext(lambda: FakeClient, tagging: FakeClient) {
  const log = captureLogger();
  const ctx: RuleContext = {
    mode: 'lambda',
    accountId: ACCOUNT,
    region: 'us-east-1',
    logger: log.logger,
    offline: false,
    keys: { describe: async () => undefined },
    invokedAt: new Date('2026-11-20T12:00:00Z'),
    client<T>(ctor: ClientConstructor<T>): T {
      return (ctor.name === 'LambdaClient' ? lambda : tagging) as unknown as T;
    },
  };
  return { ctx, log };
}

const page = (names: string[], next?: string, env: Record<string, string> = {}) => ({
  Functions: names.map((n) => ({
    FunctionName: n,
    FunctionArn: FN_ARN(n),
    Role: ROLE('shared'),
    Environment: { Variables: env },
  })),
  NextMarker: next,
});

describe('credentials-not-shared collection', () => {
  it('pages ListFunctions and GetResources and joins tags by ARN', async () => {
    const lambda = new FakeClient({
      ListFunctions: (input) => (input.Marker ? page(['b'], undefined, { TOKEN: GITHUB }) : page(['a'], 'm1')),
    });
    const tagging = new FakeClient({
      GetResources: (input) =>
        input.PaginationToken
          ? { ResourceTagMappingList: [{ ResourceARN: FN_ARN('b'), Tags: [{ Key: 'team', Value: 'y' }] }] }
          : {
              ResourceTagMappingList: [{ ResourceARN: `${FN_ARN('a')}:live`, Tags: [{ Key: 'team', Value: 'x' }] }],
              PaginationToken: 't1',
            },
    });
    const { ctx } = fakeContext(lambda, tagging);
    const functions = await collectFunctions(ctx, { componentTagKey: 'team', needAllTags: false });
    expect(functions.map((f) => [f.name, f.tags, f.credentials.map((c) => c.kind)])).toEqual([
      ['a', { team: 'x' }, []],
      ['b', { team: 'y' }, ['github-token']],
    ]);
    expect(lambda.inputs('ListFunctions').map((i) => i.Marker)).toEqual([undefined, 'm1']);
    expect(tagging.inputs('GetResources')).toEqual([
      { ResourceTypeFilters: ['lambda:function'], PaginationToken: undefined },
      { ResourceTypeFilters: ['lambda:function'], PaginationToken: 't1' },
    ]);
  });

  it('reads every version and reports a credential left only in published versions', async () => {
    const version = (v: string, env: Record<string, string>) => ({
      FunctionName: 'a',
      FunctionArn: v === '$LATEST' ? FN_ARN('a') : `${FN_ARN('a')}:${v}`,
      Version: v,
      Role: ROLE('a'),
      Environment: { Variables: env },
    });
    const lambda = new FakeClient();
    lambda.on('ListFunctions', (input) => {
      expect(input.FunctionVersion).toBe('ALL');
      return {
        Functions: [
          version('$LATEST', { GITHUB_TOKEN: '/ci/github-token', STRIPE }),
          version('2', { GITHUB_TOKEN: GITHUB, STRIPE }),
          version('10', { GITHUB_TOKEN: GITHUB }),
        ],
      };
    });
    const { ctx } = fakeContext(lambda, new FakeClient({ GetResources: () => ({ ResourceTagMappingList: [] }) }));
    const functions = await collectFunctions(ctx, { componentTagKey: 'team', needAllTags: false });
    expect(functions.map((f) => [f.name, f.arn, f.credentials.map((c) => [c.variable, c.publishedOnly])])).toEqual([
      [
        'a',
        FN_ARN('a'),
        [
          ['GITHUB_TOKEN', ['2', '10']],
          ['STRIPE', undefined],
        ],
      ],
    ]);
    const [e] = judgeFunctions(functions, params());
    expect(e.findings.map((f) => f.message)).toContain(
      'GITHUB_TOKEN holds a GitHub token in plaintext in published versions 2, 10 only (rotate it and delete those versions); keep it in Secrets Manager or SSM and pass a reference.',
    );
  });

  it('falls back to ListTags for functions sharing a role when the tagging API is unavailable', async () => {
    const lambda = new FakeClient({
      ListFunctions: () => ({
        Functions: [
          { FunctionName: 'a', FunctionArn: FN_ARN('a'), Role: ROLE('shared') },
          { FunctionName: 'b', FunctionArn: FN_ARN('b'), Role: ROLE('shared') },
          { FunctionName: 'c', FunctionArn: FN_ARN('c'), Role: ROLE('own') },
        ],
      }),
      ListTags: (input) => ({ Tags: { team: String(input.Resource).endsWith(':a') ? 'x' : 'y' } }),
    });
    const tagging = new FakeClient({
      GetResources: () => {
        throw awsError('AccessDeniedException', 403);
      },
    });
    const { ctx, log } = fakeContext(lambda, tagging);
    const functions = await collectFunctions(ctx, { componentTagKey: 'team', needAllTags: false });
    expect(functions.map((f) => [f.name, f.tags])).toEqual([
      ['a', { team: 'x' }],
      ['b', { team: 'y' }],
      ['c', {}],
    ]);
    expect(lambda.inputs('ListTags').map((i) => i.Resource)).toEqual([FN_ARN('a'), FN_ARN('b')]);
    expect(log.text()).toContain('tag:GetResources failed');
  });

  it('reports an evaluation error on the account when ListFunctions fails, never COMPLIANT', async () => {
    const lambda = new FakeClient({
      ListFunctions: () => {
        throw awsError('AccessDeniedException', 403);
      },
    });
    const { ctx } = fakeContext(lambda, new FakeClient());
    const out = await collectEvaluations(credentialsNotShared, params(), ctx);
    expect(summary(out)).toEqual([[ACCOUNT, 'NON_COMPLIANT', ['evaluation-error']]]);
  });

  it.each([
    ['a string', 'TOKEN=x'],
    ['a list', ['TOKEN']],
    ['a number', 7],
  ])('reports Environment.Variables that is %s as environment-unreadable, never COMPLIANT', async (_n, variables) => {
    const lambda = new FakeClient({
      ListFunctions: () => ({
        Functions: [
          { FunctionName: 'a', FunctionArn: FN_ARN('a'), Role: ROLE('a'), Environment: { Variables: variables } },
        ],
      }),
    });
    const tagging = new FakeClient({ GetResources: () => ({ ResourceTagMappingList: [] }) });
    const { ctx } = fakeContext(lambda, tagging);
    const out = await collectEvaluations(credentialsNotShared, params(), ctx);
    expect(out.map((e) => [e.compliance, e.findings.map((f) => f.code)])).toEqual([
      ['NON_COMPLIANT', ['environment-unreadable']],
    ]);
  });

  it('keeps credential values out of logs and evaluations', async () => {
    const lambda = new FakeClient({ ListFunctions: () => page(['a', 'b'], undefined, { API_TOKEN: GITHUB }) });
    const tagging = new FakeClient({
      GetResources: () => {
        throw awsError('ThrottlingException', 400, `throttled while reading ${FN_ARN('a')}`);
      },
    });
    const { ctx, log } = fakeContext(lambda, tagging);
    lambda.on('ListTags', () => ({ Tags: {} }));
    const out = await collectEvaluations(credentialsNotShared, params(), ctx);
    expect(summary(out)).toEqual([
      ['a', 'NON_COMPLIANT', ['shared-credential', 'plaintext-credential', 'shared-execution-role']],
      ['b', 'NON_COMPLIANT', ['shared-credential', 'plaintext-credential', 'shared-execution-role']],
    ]);
    expect(JSON.stringify(out) + log.text()).not.toContain(GITHUB);
  });
});

describe('credentials-not-shared metadata', () => {
  it('declares every API its collection calls in meta.permissions', async () => {
    const lambda = new FakeClient({
      ListFunctions: () => page(['a', 'b'], undefined, {}),
      ListTags: () => ({ Tags: {} }),
    });
    const tagging = new FakeClient({
      GetResources: () => {
        throw awsError('AccessDeniedException', 403);
      },
    });
    await collectEvaluations(
      credentialsNotShared,
      params({ exemptTag: 'ward:exempt' }),
      fakeContext(lambda, tagging).ctx,
    );
    const called = [
      ...lambda.calls.map((c) => `lambda:${c.operation}`),
      ...tagging.calls.map((c) => `tag:${c.operation}`),
    ];
    expect([...new Set(called)].sort()).toEqual([...credentialsNotShared.meta.permissions].sort());
  });

  it('documents every finding code in its README', () => {
    const readme = readFileSync(
      join(__dirname, '..', '..', '..', 'rules', 'credentials-not-shared', 'README.md'),
      'utf8',
    );
    for (const code of Object.keys(credentialsNotShared.meta.findingCodes)) expect(readme).toContain(`\`${code}\``);
  });
});
