import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A small validator for OCSF events against the schema sources (the OCSF repository's dictionary, class and
 * object JSON, vendored from the 1.4.0 tag under test/fixtures/ocsf-1.4.0 with its Apache-2.0 licence). It
 * compiles a class the way the OCSF server does for what ward emits: the class and its `extends` chain, the
 * cloud profile, object `extends` chains, dictionary types and arrays, class-level enum overrides.
 */
const ROOT = join(__dirname, '..', '..', 'fixtures', 'ocsf-1.4.0');

type Attr = { type?: string; is_array?: boolean; requirement?: string; enum?: Record<string, unknown> };
type Attrs = Record<string, Attr>;

const read = (rel: string) => JSON.parse(readFileSync(join(ROOT, rel), 'utf8'));
const dictionary: Attrs = read('dictionary.json').attributes;

function merge(into: Attrs, from: Record<string, unknown>): Attrs {
  for (const [k, v] of Object.entries(from)) {
    if (k === '$include') continue;
    into[k] = { ...into[k], ...(v as Attr) };
  }
  return into;
}

function objectAttrs(name: string): Attrs {
  const def = read(`objects/${name}.json`);
  const base = def.extends && def.extends !== 'object' ? objectAttrs(def.extends) : {};
  return merge({ ...base }, def.attributes);
}

/** The attributes of the Compliance Finding class (2003) with the cloud profile. */
export function complianceFindingAttrs(): Attrs {
  const attrs = merge({}, read('events/base_event.json').attributes);
  merge(attrs, read('profiles/cloud.json').attributes);
  merge(attrs, read('events/findings/finding.json').attributes);
  return merge(attrs, read('events/findings/compliance_finding.json').attributes);
}

/** The class uid of compliance_finding in category 2 (Findings): 2000 + its uid. */
export function complianceFindingUid(): number {
  return 2000 + read('events/findings/compliance_finding.json').uid;
}

const PRIMITIVE: Record<string, (v: unknown) => boolean> = {
  string_t: (v) => typeof v === 'string',
  integer_t: (v) => Number.isInteger(v),
  long_t: (v) => Number.isInteger(v),
  timestamp_t: (v) => Number.isInteger(v),
  float_t: (v) => typeof v === 'number',
  boolean_t: (v) => typeof v === 'boolean',
  json_t: () => true,
};

const DERIVED = new Set(['class_uid', 'category_uid', 'type_uid']);

/** Every problem of `value` against the attributes (empty when valid). */
export function validate(value: unknown, attrs: Attrs, path = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path || '.'}: not an object`];
  const problems: string[] = [];
  const obj = value as Record<string, unknown>;
  for (const [k, a] of Object.entries(attrs)) {
    if ((a.requirement ?? dictionary[k]?.requirement) === 'required' && !(k in obj))
      problems.push(`${path}.${k}: required`);
  }
  for (const [k, v] of Object.entries(obj)) {
    const a = attrs[k];
    if (a === undefined) {
      problems.push(`${path}.${k}: not an attribute here`);
      continue;
    }
    const d = dictionary[k] ?? {};
    const type = a.type ?? d.type ?? 'string_t';
    const isArray = a.is_array ?? d.is_array ?? false;
    const items = isArray ? (Array.isArray(v) ? v : null) : [v];
    if (items === null) {
      problems.push(`${path}.${k}: expected an array`);
      continue;
    }
    const enumeration = a.enum ?? d.enum;
    items.forEach((item, i) => {
      const at = isArray ? `${path}.${k}[${i}]` : `${path}.${k}`;
      if (type === 'object') {
        // An open object (`unmapped`): any JSON object.
        if (typeof item !== 'object' || item === null) problems.push(`${at}: not an object`);
      } else if (type.endsWith('_t')) {
        const check = PRIMITIVE[type] ?? PRIMITIVE.string_t;
        if (!check(item)) problems.push(`${at}: not a ${type}`);
        // The class and category uids are enumerated by the OCSF server from the class files, checked by the caller.
        if (enumeration && !DERIVED.has(k) && !(String(item) in enumeration))
          problems.push(`${at}: ${String(item)} not in the enum`);
      } else {
        problems.push(...validate(item, objectAttrs(type), at));
      }
    });
  }
  return problems;
}
