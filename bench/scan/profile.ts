/*
 * Reads a V8 CPU profile of `ward scan` (node --cpu-prof) and prints where the time went: self time per phase
 * of the scan (read, split, parse, normalise, each rule, findings, output, ...) and the top functions by self
 * time. Each sample is given to the first phase its call stack matches, in the order of PHASES below.
 *
 * Usage (after `npm run build`):
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof dist/bench/scan/measure.js scan bench/data/snapshot-100000.json
 *   node dist/bench/scan/profile.js /tmp/prof/<file>.cpuprofile [top]
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: number[];
}
interface CpuProfile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}

/** A frame's script, relative to dist/ (or node_modules/) so that it reads as a source path. */
const short = (url: string) => url.replace(/^.*\/dist\//, '').replace(/^.*node_modules\//, 'npm:');

/** The phase of one sample's stack (leaf first). */
function phaseOf(frames: readonly CallFrame[]): string {
  const leaf = frames[0];
  const urls = frames.map((f) => short(f.url));
  const names = new Set(frames.map((f) => f.functionName));
  const has = (re: RegExp) => urls.some((u) => re.test(u));
  if (leaf.functionName === '(garbage collector)') return 'garbage collection';
  if (leaf.functionName === '(idle)' || leaf.functionName === '(program)') return 'idle / V8 internals';
  if (names.has('wrapSafe') || names.has('compileFunction')) return 'start-up (module loading)';
  if (has(/^scan\/outputs\//) || names.has('finish')) return 'output (JSON writer, spool)';
  if (has(/^scan\/findings\//)) return 'findings (identity, fingerprint, report)';
  // ItemJudge.judge's own time is the item's toString and JSON.parse, which V8 inlines into it.
  if (leaf.functionName === 'judge' && urls[0] === 'scan/parallel/item-judge.js')
    return 'parse (toString + JSON.parse)';
  if (has(/^scan\/parallel\//) && !has(/^rules\//)) return 'worker messaging';
  // The outermost rule folder on the stack: shared policy code counts for the rule that called it.
  const rule = [...urls].reverse().find((u) => /^rules\/(?!runtime\/|policy\/)[^/]+\//.test(u));
  if (rule) return `rule ${rule.split('/')[1]}`;
  if (names.has('normalizeConfigurationItem')) return 'normalise';
  if (has(/item-splitter/)) return 'split (pass 1)';
  if (names.has('indexInput') || (leaf.functionName === '' && urls[0] === 'scan/inputs/snapshot.js')) {
    return 'index (pass 1: parse indexed types, item table)';
  }
  if (names.has('cut')) return 'cut (pass 2: item table)';
  if (names.has('evaluateItem')) return 'engine (evaluateItem)';
  if (names.has('judgeBatch') || names.has('evaluateBatch')) return 'parse (toString + JSON.parse)';
  if (['read', 'readFile', 'onStreamRead'].includes(leaf.functionName) || has(/zlib|internal\/fs/)) {
    return 'read / decompress';
  }
  return 'other';
}

function main(): void {
  const [file, top = '25'] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile.js <file.cpuprofile> [top]');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const phases = new Map<string, number>();
  const functions = new Map<string, number>();
  const phaseOfNode = new Map<number, string>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    total += us;
    let phase = phaseOfNode.get(id);
    if (phase === undefined) {
      const frames: CallFrame[] = [];
      for (let k: number | undefined = id; k !== undefined; k = parent.get(k)) {
        frames.push((byId.get(k) as ProfileNode).callFrame);
      }
      phase = phaseOf(frames);
      phaseOfNode.set(id, phase);
    }
    phases.set(phase, (phases.get(phase) ?? 0) + us);
    const f = (byId.get(id) as ProfileNode).callFrame;
    const name = `${f.functionName || '(anonymous)'} ${short(f.url)}:${f.lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
  });
  const print = (title: string, m: Map<string, number>, n: number) => {
    process.stdout.write(`\n| ${title} | ms | % |\n|---|---:|---:|\n`);
    for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n)) {
      process.stdout.write(`| ${k} | ${(us / 1e3).toFixed(0)} | ${((100 * us) / total).toFixed(1)} |\n`);
    }
  };
  process.stdout.write(`${file}: ${(total / 1e6).toFixed(2)} s sampled\n`);
  print('phase (self time)', phases, 40);
  print('function (self time)', functions, Number(top));
}

main();
