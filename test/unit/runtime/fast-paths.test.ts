/*
 * The scan's hot paths take shortcuts for the common case (an annotation already fitted, a capture time already
 * in ISO form, a value that is plainly not JSON, a policy text that is plainly not empty). Each shortcut must
 * give exactly what the general path gives: these tests hold them to a reference written the plain way.
 */
import { fitAnnotation, MAX_ANNOTATION } from '../../../rules/runtime/evaluation';
import { getPath, maybeJson, normalizeConfigurationItem } from '../../../rules/runtime/configuration-item';
import { isEmptyPolicy } from '../../../rules/no-public-principals/sources';

function referenceFit(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length === 0) return '-';
  return t.length <= MAX_ANNOTATION ? t : `${t.slice(0, MAX_ANNOTATION - 1)}…`;
}

function referenceMaybeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const t = value.trimStart();
  if (t === 'null') return null;
  if (t[0] !== '{' && t[0] !== '[') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function referenceIsEmpty(raw: unknown): boolean {
  const v = referenceMaybeJson(raw);
  if (v === undefined || v === null || v === '') return true;
  return typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0;
}

const TEXTS = [
  '',
  ' ',
  'ok',
  'Bucket is encrypted with SSE-KMS.',
  ' leading space',
  'trailing space ',
  'two  spaces',
  'tab\there',
  'line\nbreak',
  'cr\rreturn',
  '\u00a0nbsp first',
  'nbsp\u00a0inside',
  'ideographic\u3000space',
  'line separator\u2028inside',
  'zero-width\u200bjoiner is not whitespace',
  'é ✓ "quoted" \\ backslash',
  'x'.repeat(MAX_ANNOTATION),
  'x'.repeat(MAX_ANNOTATION + 1),
  `${'word '.repeat(60)}end`,
  '\ufeffbom first',
];

describe('fast paths agree with the general path', () => {
  it.each(TEXTS.map((t) => [JSON.stringify(t).slice(0, 40), t]))('fitAnnotation(%s)', (_name, text) => {
    expect(fitAnnotation(text)).toBe(referenceFit(text));
  });

  it.each([
    '{"a":1}',
    '  {"a":1}',
    '\u00a0{"a":1}',
    '\n[1,2]',
    'null',
    '  null',
    'null ',
    'nullable',
    'n',
    '{not json',
    '%7B%22a%22%3A1%7D',
    '',
    '   ',
    'plain text',
    '["x"]',
  ])('maybeJson(%j)', (value) => {
    expect(maybeJson(value)).toEqual(referenceMaybeJson(value));
  });

  it.each([
    undefined,
    null,
    '',
    '{}',
    ' { } ',
    '{\n}\n',
    'null',
    '  null',
    'null  ',
    '   ',
    '[]',
    '{"Version":"2012-10-17","Statement":[]}',
    '%7B%7D',
    '{not json}',
    {},
    { Statement: [] },
    [],
  ])('isEmptyPolicy(%j)', (raw) => {
    expect(isEmptyPolicy(raw)).toBe(referenceIsEmpty(raw));
  });

  it.each([
    ['2021-01-13T05:00:23.319Z', '2021-01-13T05:00:23.319Z'],
    ['2021-01-13T05:00:23Z', '2021-01-13T05:00:23.000Z'],
    ['2021-01-13 05:00:23.319', new Date('2021-01-13T05:00:23.319').toISOString()],
    ['2021-01-13T07:00:23.319+02:00', '2021-01-13T05:00:23.319Z'],
    ['1610514023.319', '2021-01-13T05:00:23.319Z'],
    ['not a time', 'not a time'],
  ])('capture time %s reads as %s', (raw, expected) => {
    const item = normalizeConfigurationItem({
      resourceType: 'AWS::SNS::Topic',
      resourceId: 't',
      configuration: {},
      configurationItemCaptureTime: raw,
    });
    expect(item.captureTime).toBe(expected);
  });

  it('getPath reads the same path on different values (paths are split once and reused)', () => {
    expect(getPath({ a: { b: [{ c: 1 }] } }, 'a.b[0].c')).toBe(1);
    expect(getPath({ a: { b: [{ c: 2 }, { c: 3 }] } }, 'a.b[1].c')).toBe(3);
    expect(getPath({ a: { b: [] } }, 'a.b[0].c')).toBeUndefined();
    expect(getPath({ a: 'x' }, 'a.b[0].c')).toBeUndefined();
  });
});
