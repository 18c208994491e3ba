import { createConfigResourceLookup, type ConfigReadClient } from '../../../rules/runtime/config-resource-lookup';
import { snsTopicApiItem } from '../../fixtures/events/config-events';
import { awsError, FakeClient } from '../../fixtures/events/fakes';

/*
 * The Config-backed ResourceLookup the handler gives rules (ctx.resources). moto's SelectResourceConfig always
 * answers empty in server mode (moto.md section 1), so the query path is covered here with a fake client.
 */

const ARN = 'arn:aws:sns:us-east-2:123456789012:orders';
const lookupOver = (client: FakeClient) => createConfigResourceLookup(() => client as unknown as ConfigReadClient);

describe('createConfigResourceLookup', () => {
  it('gets the latest item with GetResourceConfigHistory (limit 1), normalised from the API form, once', async () => {
    const client = new FakeClient({ GetResourceConfigHistory: () => ({ configurationItems: [snsTopicApiItem()] }) });
    const lookup = lookupOver(client);
    const item = await lookup.get('AWS::SNS::Topic', ARN);
    await lookup.get('AWS::SNS::Topic', ARN);
    expect(item).toEqual(expect.objectContaining({ resourceId: ARN, accountId: '123456789012', arn: ARN }));
    expect(item?.configuration).toEqual(expect.objectContaining({ TopicArn: ARN }));
    expect(client.inputs('GetResourceConfigHistory')).toEqual([
      { resourceType: 'AWS::SNS::Topic', resourceId: ARN, limit: 1 },
    ]);
  });

  it('answers undefined for a resource Config has not discovered, and rethrows other errors', async () => {
    const client = new FakeClient({
      GetResourceConfigHistory: (input) => {
        throw input.resourceId === 'missing'
          ? awsError('ResourceNotDiscoveredException')
          : awsError('AccessDeniedException');
      },
    });
    const lookup = lookupOver(client);
    await expect(lookup.get('AWS::SNS::Topic', 'missing')).resolves.toBeUndefined();
    await expect(lookup.get('AWS::SNS::Topic', 'denied')).rejects.toThrow('AccessDeniedException');
  });

  it('finds an item by ARN with an advanced query, quoting the ARN', async () => {
    const client = new FakeClient({
      SelectResourceConfig: () => ({ Results: [JSON.stringify({ resourceId: ARN })] }),
      GetResourceConfigHistory: () => ({ configurationItems: [snsTopicApiItem()] }),
    });
    const item = await lookupOver(client).findByArn('AWS::SNS::Topic', "arn:aws:sns:us-east-2:123456789012:o'rders");
    expect(item?.resourceId).toBe(ARN);
    expect(client.inputs('SelectResourceConfig')[0].Expression).toBe(
      "SELECT resourceId WHERE resourceType = 'AWS::SNS::Topic' AND arn = 'arn:aws:sns:us-east-2:123456789012:o''rders'",
    );
  });

  it('answers undefined when the query finds nothing', async () => {
    const client = new FakeClient({ SelectResourceConfig: () => ({ Results: [] }) });
    await expect(lookupOver(client).findByArn('AWS::SNS::Topic', ARN)).resolves.toBeUndefined();
    expect(client.inputs('GetResourceConfigHistory')).toEqual([]);
  });

  it('falls back to listing the type and matching ARNs when advanced query is unavailable', async () => {
    const client = new FakeClient({
      SelectResourceConfig: () => {
        throw awsError('AccessDeniedException');
      },
      ListDiscoveredResources: (input) =>
        input.nextToken === undefined
          ? { resourceIdentifiers: [{ resourceId: 'other' }], nextToken: 'p2' }
          : { resourceIdentifiers: [{ resourceId: ARN }] },
      BatchGetResourceConfig: (input) => ({
        baseConfigurationItems: (input.resourceKeys as { resourceId: string }[]).map((k) => ({
          resourceId: k.resourceId,
          arn: k.resourceId === 'other' ? 'arn:other' : ARN,
        })),
      }),
      GetResourceConfigHistory: () => ({ configurationItems: [snsTopicApiItem()] }),
    });
    const item = await lookupOver(client).findByArn('AWS::SNS::Topic', ARN);
    expect(item?.resourceId).toBe(ARN);
    expect(client.inputs('ListDiscoveredResources').map((i) => i.nextToken)).toEqual([undefined, 'p2']);
  });
});
