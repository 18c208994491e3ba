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

describe('parsePolicy on a document read again (decoded documents are kept)', () => {
  const long = encodeURIComponent(
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*' }],
    }),
  );

  it('gives the same document to every rule that reads it, required or not', () => {
    const first = parsePolicy(long, { required: true });
    expect(first.ok && first.document.statements.map((s) => s.actions)).toEqual([['s3:GetObject']]);
    expect(parsePolicy(long)).toEqual(first);
    expect(parsePolicy(`${long}`, { required: true })).toEqual(first);
  });

  it('still fails a required document that is absent after an optional read found it empty', () => {
    const padded = `${' '.repeat(70)}null`;
    expect(parsePolicy(padded)).toEqual({ ok: true, document: { statements: [] } });
    expect(parsePolicy(padded, { required: true })).toEqual({ ok: false, error: 'document is empty' });
    const emptyObject = encodeURIComponent(`{${' '.repeat(70)}}`);
    expect(parsePolicy(emptyObject)).toEqual({ ok: true, document: { statements: [] } });
    expect(parsePolicy(emptyObject, { required: true })).toEqual({ ok: false, error: 'document has no Statement' });
  });

  it('decodes a document read again to the same statements, whatever was read between', () => {
    const first = parsePolicy(long);
    for (let n = 0; n < 1500; n++) {
      const other = { Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::bucket-${n}/*` };
      expect(parsePolicy(encodeURIComponent(JSON.stringify({ Statement: [other] }))).ok).toBe(true);
    }
    const huge = encodeURIComponent(
      JSON.stringify({ Statement: [{ Effect: 'Deny', Action: '*', Resource: 'x'.repeat(200_000) }] }),
    );
    const once = parsePolicy(huge);
    expect(once.ok && once.document.statements[0].effect).toBe('Deny');
    expect(parsePolicy(huge)).toEqual(once);
    expect(parsePolicy(long)).toEqual(first);
  });

  it('reports a malformed document the same way each time', () => {
    const bad = `%7B${'x'.repeat(80)}`;
    const first = parsePolicy(bad, { required: true });
    expect(first.ok).toBe(false);
    expect(parsePolicy(bad)).toEqual(first);
  });
});
