import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { templateItems } from '../../../../scan/inputs/cloudformation';
import { parseTemplate, TemplateParseError } from '../../../../scan/inputs/cloudformation-parse';
import { findingRows, judgeAll } from './judge-harness';

const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures', 'templates');
const load = (name: string) => parseTemplate(readFileSync(join(FIXTURES, name), 'utf8'), name);

describe('CloudFormation templates as configuration items', () => {
  describe('the short-form YAML template', () => {
    const parsed = load('short-form.yaml');
    const { items, notes } = templateItems(parsed);

    it('reads every short-form tag into its long form', () => {
      const t = parsed.template.Resources as Record<string, { Properties: Record<string, unknown> }>;
      expect(t.EncryptedQueue.Properties.KmsMasterKeyId).toEqual({ Ref: 'DataKey' });
      expect(t.OpenQueuePolicy.Properties.PolicyDocument).toMatchObject({
        Statement: [{ Resource: { 'Fn::GetAtt': ['EncryptedQueue', 'Arn'] } }],
      });
      expect(t.ScratchVolume.Properties.Encrypted).toEqual({ 'Fn::If': ['IsProd', true, { Ref: 'EncryptVolumes' }] });
      expect(t.SharedBucketPolicy.Properties.PolicyDocument).toMatchObject({
        Statement: [{ Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['SharedBucket', 'Arn'] }, '/*']] } }],
      });
      expect(notes).toEqual([]);
    });

    it.each([
      // [rule, resource, code, line]: the line is the resource's, or the attaching policy's for attached policies
      ['encrypted-at-rest', 'PlainTopic', 'unencrypted', 35],
      ['encrypted-at-rest', 'LogVolume', 'unencrypted', 92],
      ['no-public-principals', 'EncryptedQueue', 'public-principal', 44],
      ['no-public-principals', 'SharedBucket', 'external-principal', 67],
      ['no-public-principals', 'Worker', 'public-principal', 126],
      ['no-wildcard-actions', 'WorkerRole', 'full-admin', 105],
      ['no-privilege-escalation', 'WorkerRole', 'effective-admin', 105],
    ])('%s flags %s with %s at line %i', async (rule, resource, code, line) => {
      const rows = findingRows(await judgeAll(items));
      expect(rows).toContain(`${rule} ${resource} ${code} ${line}`);
    });

    it('finds nothing else: the encrypted queue, table, key, bucket encryption and default-encrypted volume pass', async () => {
      expect(findingRows(await judgeAll(items))).toHaveLength(7);
    });

    it('takes Fn::If both ways and says which branch fails', async () => {
      const results = await judgeAll(items);
      const log = results.find((r) => r.e.resourceId === 'LogVolume' && r.e.compliance === 'NON_COMPLIANT');
      expect(log?.e.location?.branch).toBe('IsProd=false');
      expect(log?.e.findings[0]?.message).toMatch(/^\[IsProd=false\] /);
      const scratch = items.filter((t) => t.item.resourceId === 'ScratchVolume').map((t) => t.location.branch);
      expect(scratch.sort()).toEqual(['IsProd=false', 'IsProd=true']);
    });

    it('reports a finding every branch has once, without a branch, and one some branches share once, naming them', async () => {
      const template = {
        Conditions: { IsProd: { 'Fn::Equals': ['a', 'a'] }, Big: { 'Fn::Equals': ['a', 'b'] } },
        Resources: {
          Feed: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: { 'Fn::If': ['IsProd', 'prod', 'test'] } } },
          Disk: {
            Type: 'AWS::EC2::Volume',
            Properties: {
              AvailabilityZone: 'eu-west-1a',
              Size: { 'Fn::If': ['Big', 100, 10] },
              Encrypted: { 'Fn::If': ['IsProd', true, false] },
            },
          },
        },
      };
      const results = await judgeAll(templateItems({ file: 'branches.json', template }).items);
      const failing = (id: string) =>
        results.filter(
          (r) => r.rule === 'encrypted-at-rest' && r.e.resourceId === id && r.e.compliance === 'NON_COMPLIANT',
        );
      expect(failing('Feed')).toHaveLength(1);
      expect(failing('Feed')[0].e.location?.branch).toBeUndefined();
      expect(failing('Feed')[0].e.findings[0]?.message).not.toMatch(/^\[/);
      expect(failing('Disk')).toHaveLength(1);
      expect(failing('Disk')[0].e.location?.branch).toBe('Big=true, IsProd=false | Big=false, IsProd=false');
      expect(failing('Disk')[0].e.findings[0]?.message).toMatch(
        /^\[Big=true, IsProd=false \| Big=false, IsProd=false\] /,
      );
    });

    it('reports a principal that depends on a parameter without a default as unknown, never as trusted', async () => {
      const results = await judgeAll(items);
      const bucket = results.find((r) => r.e.resourceId === 'SharedBucket' && r.rule === 'no-public-principals');
      expect(bucket?.e.compliance).toBe('NON_COMPLIANT');
      expect(bucket?.e.findings[0]?.message).toContain('Unknown before deploy (Ref PartnerAccount (no default))');
    });

    it('counts a key given by reference as set (presence is what matters for encryption)', () => {
      const queue = items.find((t) => t.item.resourceId === 'EncryptedQueue')?.item;
      expect(queue?.configuration?.KmsMasterKeyId).toBe('DataKey');
      expect(queue?.configuration?.SqsManagedSseEnabled).toBe('false');
    });

    it('judges attached policies on their target, as Config records them', () => {
      const role = items.find((t) => t.item.resourceId === 'WorkerRole')?.item;
      const list = role?.configuration?.rolePolicyList as { policyName: string; policyDocument: string }[];
      expect(list.map((p) => p.policyName)).toEqual(['everything']);
      expect(JSON.parse(decodeURIComponent(list[0].policyDocument))).toMatchObject({ Statement: [{ Action: '*' }] });
      const fn = items.find((t) => t.item.resourceId === 'Worker')?.item;
      expect(fn?.supplementaryConfiguration.Policy).toMatchObject({
        Statement: [
          {
            Sid: 'PublicInvoke',
            Principal: '*',
            Resource: 'arn:aws:lambda:us-east-1:123456789012:function:stack-Worker',
          },
        ],
      });
      const bucket = items.find((t) => t.item.resourceId === 'SharedBucket')?.item;
      expect(bucket?.resourceName).toBe('stack-shared-us-east-1');
    });
  });

  describe('the JSON template in the shape of AWS compliant-bucket sample', () => {
    const { items } = templateItems(load('compliant-bucket.json'));

    it('finds nothing non-compliant and reads lines from JSON too', async () => {
      expect(findingRows(await judgeAll(items))).toEqual([]);
      const bucket = items.find((t) => t.item.resourceId === 'Bucket');
      expect(bucket?.location.line).toBeGreaterThan(1);
    });
  });

  describe('resolution', () => {
    const resolve = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
      const { items } = templateItems({
        file: 't.json',
        template: {
          ...extra,
          Resources: { T: { Type: 'AWS::SNS::Topic', Properties: properties } },
        },
      });
      return items;
    };

    it.each([
      [
        'a parameter default',
        { KmsMasterKeyId: { Ref: 'K' } },
        { Parameters: { K: { Type: 'String', Default: 'alias/k' } } },
        'alias/k',
      ],
      [
        'pseudo parameters in Fn::Sub',
        { KmsMasterKeyId: { 'Fn::Sub': 'arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:alias/x' } },
        {},
        'arn:aws:kms:us-east-1:123456789012:alias/x',
      ],
      [
        'Fn::Sub with its own variables and an escaped literal',
        { KmsMasterKeyId: { 'Fn::Sub': ['${A}-${!B}', { A: 'a' }] } },
        {},
        'a-${B}',
      ],
      [
        'Fn::FindInMap',
        { KmsMasterKeyId: { 'Fn::FindInMap': ['Keys', { Ref: 'AWS::Region' }, 'Id'] } },
        { Mappings: { Keys: { 'us-east-1': { Id: 'alias/east' } } } },
        'alias/east',
      ],
      [
        'Fn::Select of Fn::Split',
        { KmsMasterKeyId: { 'Fn::Select': [1, { 'Fn::Split': [',', 'a,alias/b'] }] } },
        {},
        'alias/b',
      ],
    ])('resolves %s', (_name, properties, extra, expected) => {
      const [t] = resolve(properties, extra);
      expect(t.item.configuration?.KmsMasterKeyId).toBe(expected);
      expect(t.unresolved).toEqual([]);
    });

    it.each([
      [
        'an SSM parameter type (its default is a name, not the value)',
        { KmsMasterKeyId: { Ref: 'K' } },
        { Parameters: { K: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/keys/topic' } } },
        'Ref K (SSM parameter)',
      ],
      ['an import', { KmsMasterKeyId: { 'Fn::ImportValue': 'shared-key' } }, {}, 'Fn::ImportValue "shared-key"'],
      [
        'an attribute only AWS assigns',
        { KmsMasterKeyId: { 'Fn::GetAtt': ['Other', 'SomeAttribute'] } },
        {},
        'Fn::GetAtt Other.SomeAttribute',
      ],
    ])('leaves %s unresolved, and says so', (_name, properties, extra, what) => {
      const [t] = resolve(properties, extra);
      expect(t.unresolved).toEqual([what]);
      expect(t.item.configuration?.KmsMasterKeyId).toBe(`{{unresolved:${what}}}`);
      expect(t.worst?.configuration?.KmsMasterKeyId).toBe('*');
    });

    it('drops a property set to AWS::NoValue', () => {
      const items = resolve(
        { KmsMasterKeyId: { 'Fn::If': ['C', 'alias/k', { Ref: 'AWS::NoValue' }] } },
        { Conditions: { C: {} } },
      );
      expect(items.map((t) => [t.location.branch, t.item.configuration?.KmsMasterKeyId])).toEqual([
        ['C=true', 'alias/k'],
        ['C=false', undefined],
      ]);
    });
  });

  it('names the file and line of a template that is not valid YAML', () => {
    expect(() => parseTemplate('Resources:\n  A: [unclosed\n', 'bad.yaml')).toThrow(TemplateParseError);
    expect(() => parseTemplate('Resources:\n  A: [unclosed\n', 'bad.yaml')).toThrow(/^bad\.yaml:\d+: /);
  });

  it('reads YAML 1.1 booleans as cfn-lint does, without turning a key named Y into one', () => {
    const { template } = parseTemplate(
      'Resources:\n  Y:\n    Type: AWS::EC2::Volume\n    Properties:\n      Encrypted: yes\n',
      'b.yaml',
    );
    expect(template.Resources).toEqual({ Y: { Type: 'AWS::EC2::Volume', Properties: { Encrypted: true } } });
  });
});
