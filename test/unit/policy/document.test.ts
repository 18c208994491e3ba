import { parsePolicy } from '../../../rules/policy/document';

const doc = { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' } };

describe('parsePolicy', () => {
  it.each([
    ['an object', doc],
    ['a JSON string', JSON.stringify(doc)],
    ['a JSON string inside a JSON string', JSON.stringify(JSON.stringify(doc))],
    ['a URL-encoded string (RFC 3986)', encodeURIComponent(JSON.stringify(doc, null, 2))],
  ])('decodes %s and normalises single values to arrays', (_label, raw) => {
    const r = parsePolicy(raw);
    if (!r.ok) throw new Error(r.error);
    expect(r.document.statements).toHaveLength(1);
    expect(r.document.statements[0]).toMatchObject({
      index: 0,
      effect: 'Allow',
      actions: ['s3:GetObject'],
      resources: ['*'],
    });
  });

  it('keeps a plus sign in a URL-encoded document (RFC 3986, not form encoding)', () => {
    const d = {
      Statement: [
        { Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:userid': 'a+b' } } },
      ],
    };
    const r = parsePolicy(encodeURIComponent(JSON.stringify(d)));
    expect(r.ok && r.document.statements[0].conditions.StringEquals['aws:userid']).toEqual(['a+b']);
  });

  it('normalises principals, including "*" and {"AWS": "*"}', () => {
    const r = parsePolicy({
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: '*' },
        {
          Effect: 'Allow',
          Principal: { AWS: '*', Service: ['s3.amazonaws.com'] },
          Action: 'sns:Publish',
          Resource: '*',
        },
      ],
    });
    if (!r.ok) throw new Error(r.error);
    expect(r.document.statements[0].principals?.anyone).toBe(true);
    expect(r.document.statements[1].principals).toMatchObject({
      anyone: false,
      aws: ['*'],
      service: ['s3.amazonaws.com'],
    });
  });

  it('reports a malformed document instead of throwing', () => {
    expect(parsePolicy('{"Statement": [')).toEqual({ ok: false, error: 'document is not valid JSON' });
    expect(parsePolicy({ Statement: [{ Effect: 'Maybe', Action: '*' }] })).toEqual({
      ok: false,
      error: 'Statement[0].Effect must be Allow or Deny',
    });
  });

  it('treats an absent policy as an empty document', () => {
    expect(parsePolicy(null)).toEqual({ ok: true, document: { statements: [] } });
    expect(parsePolicy({})).toEqual({ ok: true, document: { statements: [] } });
  });
});
