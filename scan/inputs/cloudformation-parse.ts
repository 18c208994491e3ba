/**
 * Reads a CloudFormation template (JSON or YAML, short-form intrinsic tags included) into plain values, keeping
 * the line of every resource and property so a finding can point at it. One parser for both: YAML 1.2 is a
 * superset of JSON, so JSON templates get the same line numbers.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node, type ScalarTag } from 'yaml';
import { WardError } from '../../rules/runtime/errors';

/** A template that cannot be read: the message names the file and the line. */
export class TemplateParseError extends WardError {}

/** The short forms CloudFormation accepts, and the long form each stands for. */
const SHORT_FORMS: Readonly<Record<string, string>> = {
  Ref: 'Ref',
  Condition: 'Condition',
  Sub: 'Fn::Sub',
  GetAtt: 'Fn::GetAtt',
  Join: 'Fn::Join',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  If: 'Fn::If',
  Equals: 'Fn::Equals',
  And: 'Fn::And',
  Or: 'Fn::Or',
  Not: 'Fn::Not',
  FindInMap: 'Fn::FindInMap',
  ImportValue: 'Fn::ImportValue',
  Base64: 'Fn::Base64',
  Cidr: 'Fn::Cidr',
  GetAZs: 'Fn::GetAZs',
  Transform: 'Fn::Transform',
  ToJsonString: 'Fn::ToJsonString',
  Length: 'Fn::Length',
  ForEach: 'Fn::ForEach',
};

// The tags are declared so the parser keeps them on the node without a warning; the value is built below.
const identity = <T>(v: T) => v;
const CUSTOM_TAGS = Object.keys(SHORT_FORMS).flatMap((name) => [
  { tag: `!${name}`, resolve: identity },
  { tag: `!${name}`, collection: 'seq' as const, resolve: identity },
  { tag: `!${name}`, collection: 'map' as const, resolve: identity },
]);

// PyYAML (cfn-lint's parser) and CloudFormation read YAML 1.1 booleans; YAML 1.2's core schema does not, and
// 1.1's `y`/`n` would turn keys into booleans, so only these words are added.
const BOOLEAN_WORDS: ScalarTag[] = [
  {
    tag: 'tag:yaml.org,2002:bool',
    default: true,
    test: /^(?:yes|Yes|YES|on|On|ON)$/,
    resolve: () => true,
  },
  {
    tag: 'tag:yaml.org,2002:bool',
    default: true,
    test: /^(?:no|No|NO|off|Off|OFF)$/,
    resolve: () => false,
  },
];

/** A template read from a file, with the line of each resource and of each resource property. */
export interface ParsedTemplate {
  readonly file: string;
  readonly template: Record<string, unknown>;
  /** 1-based line of a resource's logical id. */
  readonly resourceLines: ReadonlyMap<string, number>;
  /** 1-based line of `Properties.<name>` per resource: `logicalId` -> property -> line. */
  readonly propertyLines: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/** Converts a node to plain values, turning short-form tags into their long form. */
function toValue(node: unknown): unknown {
  if (node === null || node === undefined) return null;
  if (isScalar(node)) return wrap(node, node.value);
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(toValue(pair.key));
      out[key] = toValue(pair.value);
    }
    return wrap(node, out);
  }
  if (isSeq(node)) return wrap(node, node.items.map(toValue));
  if (isPair(node)) return toValue(node.value);
  return (node as Node).toJSON();
}

function wrap(node: Node, value: unknown): unknown {
  const tag = node.tag;
  if (!tag || !tag.startsWith('!')) return value;
  const name = SHORT_FORMS[tag.slice(1)];
  if (!name) return value;
  // `!GetAtt A.B` is the one short form whose scalar is split (on the first dot; the attribute may hold dots).
  if (name === 'Fn::GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { [name]: dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [name]: value };
}

/**
 * Parses template text (JSON or YAML) with the YAML parser, which accepts CloudFormation's short-form tags and
 * keeps positions.
 * @throws TemplateParseError naming the file and the line of the first error.
 */
export function parseTemplate(text: string, file: string): ParsedTemplate {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    customTags: (tags) => [...BOOLEAN_WORDS, ...tags, ...CUSTOM_TAGS],
    uniqueKeys: false,
    prettyErrors: false,
  });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const { line } = lineCounter.linePos(err.pos[0]);
    throw new TemplateParseError(`${file}:${line}: not a readable template (${err.message.split('\n')[0]})`);
  }
  const template = toValue(doc.contents);
  if (typeof template !== 'object' || template === null || Array.isArray(template)) {
    throw new TemplateParseError(`${file}: not a CloudFormation template (the document is not a mapping)`);
  }
  const resourceLines = new Map<string, number>();
  const propertyLines = new Map<string, Map<string, number>>();
  const root = doc.contents;
  const lineOf = (n: Node | null | undefined) => (n?.range ? lineCounter.linePos(n.range[0]).line : 0);
  const resources = isMap(root) ? root.items.find((p) => isScalar(p.key) && p.key.value === 'Resources') : undefined;
  if (resources && isMap(resources.value)) {
    for (const pair of resources.value.items) {
      if (!isScalar(pair.key)) continue;
      const id = String(pair.key.value);
      resourceLines.set(id, lineOf(pair.key));
      const props = isMap(pair.value)
        ? pair.value.items.find((p) => isScalar(p.key) && p.key.value === 'Properties')
        : undefined;
      const lines = new Map<string, number>();
      if (props && isMap(props.value)) {
        for (const p of props.value.items) if (isScalar(p.key)) lines.set(String(p.key.value), lineOf(p.key));
      }
      propertyLines.set(id, lines);
    }
  }
  return { file, template: template as Record<string, unknown>, resourceLines, propertyLines };
}
