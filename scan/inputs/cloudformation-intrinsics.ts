/**
 * Resolves CloudFormation intrinsic functions as far as a template alone allows: parameter defaults, pseudo
 * parameters, references and attributes of the template's own resources, `Fn::Sub`/`Join`/`Select`/`Split`/
 * `FindInMap`, and `Fn::If` on a chosen branch. What cannot be known before deploy (a parameter without a
 * default, an SSM parameter, an import, an attribute AWS assigns) becomes an unresolved marker, recorded so the
 * scan can say so; in the "worst case" pass the marker is `*` instead, the broadest value it could take.
 */

/** Pseudo parameters and where the template will be deployed (as far as known). */
export interface DeployTarget {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly stackName: string;
}

/** How references to the template's own resources resolve (physical names and ARNs ward makes up). */
export interface ResourceNaming {
  /** `Ref` of a resource; undefined when it cannot be known. */
  ref(logicalId: string): string | undefined;
  /** `Fn::GetAtt`; undefined when it cannot be known. */
  att(logicalId: string, attribute: string): string | undefined;
}

/** The state of one resolution pass. */
export interface ResolveScope {
  readonly target: DeployTarget;
  /** Set once the naming (which resolves name properties through this scope) exists. */
  naming: ResourceNaming;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly mappings: Readonly<Record<string, unknown>>;
  /** The branch taken per condition name; a condition not listed takes `true` and is added to `seen`. */
  readonly branch: ReadonlyMap<string, boolean>;
  /** Condition names met in `Fn::If` during the pass. */
  readonly seen: Set<string>;
  /** What could not be resolved (`Ref Param`, `Fn::ImportValue x`), in order met. */
  readonly unresolved: string[];
  /** True: an unresolved value becomes `*` (the worst case) instead of a marker. */
  readonly worst: boolean;
}

/** Removed from its object or list (`AWS::NoValue`). */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

/** Marks an unresolved value: `{{unresolved:Ref Param}}`. No principal, ARN or action looks like it. */
export function unresolvedMarker(what: string): string {
  return `{{unresolved:${what}}}`;
}

/** True when a resolved value holds an unresolved marker anywhere. */
export function holdsUnresolved(value: unknown): boolean {
  return JSON.stringify(value ?? null).includes('{{unresolved:');
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function unresolved(scope: ResolveScope, what: string): string {
  scope.unresolved.push(what);
  return scope.worst ? '*' : unresolvedMarker(what);
}

function parameterValue(scope: ResolveScope, name: string): unknown {
  const p = scope.parameters[name];
  if (!isRecord(p)) return undefined;
  const type = typeof p.Type === 'string' ? p.Type : 'String';
  // The default of an SSM parameter type is the parameter's name, not its value.
  if (type.startsWith('AWS::SSM::Parameter::')) return unresolved(scope, `Ref ${name} (SSM parameter)`);
  if (!('Default' in p)) return unresolved(scope, `Ref ${name} (no default)`);
  const d = p.Default;
  if (type.startsWith('List<') || type === 'CommaDelimitedList') {
    return typeof d === 'string' ? d.split(',').map((s) => s.trim()) : d;
  }
  return typeof d === 'number' || typeof d === 'boolean' ? String(d) : d;
}

function pseudo(scope: ResolveScope, name: string): unknown {
  const t = scope.target;
  switch (name) {
    case 'AWS::AccountId':
      return t.accountId;
    case 'AWS::Region':
      return t.region;
    case 'AWS::Partition':
      return t.partition;
    case 'AWS::URLSuffix':
      return t.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
    case 'AWS::StackName':
      return t.stackName;
    case 'AWS::StackId':
      return `arn:${t.partition}:cloudformation:${t.region}:${t.accountId}:stack/${t.stackName}/ward-stack-id`;
    case 'AWS::NotificationARNs':
      return [];
    case 'AWS::NoValue':
      return NO_VALUE;
  }
  return undefined;
}

/** `Ref` of a name: a pseudo parameter, a parameter or a resource. */
export function refValue(scope: ResolveScope, name: string): unknown {
  if (name.startsWith('AWS::')) return pseudo(scope, name) ?? unresolved(scope, `Ref ${name}`);
  if (name in scope.parameters) return parameterValue(scope, name);
  return scope.naming.ref(name) ?? unresolved(scope, `Ref ${name}`);
}

function getAtt(scope: ResolveScope, args: unknown): unknown {
  const list = Array.isArray(args) ? args.map((a) => resolveValue(a, scope)) : [args];
  const [id, attr] = list.length === 1 && typeof list[0] === 'string' ? list[0].split(/\.(.*)/s) : list;
  if (typeof id !== 'string' || typeof attr !== 'string')
    return unresolved(scope, `Fn::GetAtt ${JSON.stringify(args)}`);
  return scope.naming.att(id, attr) ?? unresolved(scope, `Fn::GetAtt ${id}.${attr}`);
}

function sub(scope: ResolveScope, args: unknown): unknown {
  const [text, vars] = Array.isArray(args) ? args : [args, {}];
  if (typeof text !== 'string') return unresolved(scope, 'Fn::Sub of a non-string');
  const locals = isRecord(vars) ? vars : {};
  return text.replace(/\$\{([^}]*)\}/g, (whole, raw: string) => {
    if (raw.startsWith('!')) return `\${${raw.slice(1)}}`;
    const name = raw.trim();
    let v: unknown;
    if (name in locals) v = resolveValue(locals[name], scope);
    else if (name.includes('.') && !name.startsWith('AWS::')) {
      const dot = name.indexOf('.');
      v = scope.naming.att(name.slice(0, dot), name.slice(dot + 1)) ?? unresolved(scope, `Fn::GetAtt ${name}`);
    } else v = refValue(scope, name);
    if (Array.isArray(v)) return v.join(',');
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : whole;
  });
}

function text(scope: ResolveScope, v: unknown, what: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return unresolved(scope, what);
}

function applyFunction(name: string, args: unknown, scope: ResolveScope): unknown {
  switch (name) {
    case 'Ref':
      return typeof args === 'string' ? refValue(scope, args) : unresolved(scope, 'Ref of a non-string');
    case 'Fn::GetAtt':
      return getAtt(scope, args);
    case 'Fn::Sub':
      return sub(scope, args);
    case 'Fn::Join': {
      if (!Array.isArray(args) || args.length !== 2) return unresolved(scope, 'Fn::Join');
      const parts = resolveValue(args[1], scope);
      if (!Array.isArray(parts)) return text(scope, parts, 'Fn::Join of a list not known');
      const sep = text(scope, resolveValue(args[0], scope), 'Fn::Join separator');
      return parts.map((p) => text(scope, p, 'Fn::Join part')).join(sep);
    }
    case 'Fn::Select': {
      if (!Array.isArray(args) || args.length !== 2) return unresolved(scope, 'Fn::Select');
      const index = Number(resolveValue(args[0], scope));
      const list = resolveValue(args[1], scope);
      return Array.isArray(list) && Number.isInteger(index) && index >= 0 && index < list.length
        ? list[index]
        : unresolved(scope, 'Fn::Select of a list not known');
    }
    case 'Fn::Split': {
      if (!Array.isArray(args) || args.length !== 2) return unresolved(scope, 'Fn::Split');
      const sep = resolveValue(args[0], scope);
      const value = resolveValue(args[1], scope);
      return typeof sep === 'string' && typeof value === 'string'
        ? value.split(sep)
        : [unresolved(scope, 'Fn::Split of a value not known')];
    }
    case 'Fn::If': {
      if (!Array.isArray(args) || args.length !== 3 || typeof args[0] !== 'string') return unresolved(scope, 'Fn::If');
      const condition = args[0];
      scope.seen.add(condition);
      return resolveValue(scope.branch.get(condition) === false ? args[2] : args[1], scope);
    }
    case 'Fn::FindInMap': {
      if (!Array.isArray(args) || args.length < 3) return unresolved(scope, 'Fn::FindInMap');
      const [map, top, second] = args.slice(0, 3).map((a) => resolveValue(a, scope));
      const m = isRecord(scope.mappings[String(map)]) ? (scope.mappings[String(map)] as Record<string, unknown>) : {};
      const level = isRecord(m[String(top)]) ? (m[String(top)] as Record<string, unknown>) : undefined;
      if (level && String(second) in level) return resolveValue(level[String(second)], scope);
      return args.length > 3 && isRecord(args[3]) && 'DefaultValue' in args[3]
        ? resolveValue(args[3].DefaultValue, scope)
        : unresolved(scope, `Fn::FindInMap ${String(map)}.${String(top)}.${String(second)}`);
    }
    case 'Fn::ImportValue':
      return unresolved(scope, `Fn::ImportValue ${JSON.stringify(resolveValue(args, scope))}`);
    case 'Fn::Base64':
      return resolveValue(args, scope);
    case 'Fn::GetAZs': {
      const region = resolveValue(args, scope);
      const r = typeof region === 'string' && region !== '' ? region : scope.target.region;
      return [`${r}a`, `${r}b`, `${r}c`];
    }
    case 'Fn::ToJsonString':
      return JSON.stringify(resolveValue(args, scope));
    case 'Fn::Length': {
      const list = resolveValue(args, scope);
      return Array.isArray(list) ? list.length : unresolved(scope, 'Fn::Length');
    }
    default:
      // Fn::Cidr, Fn::Transform, conditions used as values, and anything newer: not known before deploy.
      return unresolved(scope, name);
  }
}

/**
 * Resolves every intrinsic function in a value. `AWS::NoValue` (and a branch that yields it) removes the key
 * or list entry that holds it; a whole value that is `AWS::NoValue` resolves to {@link NO_VALUE}.
 */
export function resolveValue(value: unknown, scope: ResolveScope): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) {
      const r = resolveValue(v, scope);
      if (r !== NO_VALUE) out.push(r);
    }
    return out;
  }
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
    return applyFunction(keys[0], value[keys[0]], scope);
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const r = resolveValue(value[k], scope);
    if (r !== NO_VALUE) out[k] = r;
  }
  return out;
}
