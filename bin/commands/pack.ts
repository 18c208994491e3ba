import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Command } from 'commander';

/** An AWS region name: `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`, `ap-southeast-5`. */
const REGION =
  /^[a-z]{2}(-gov|-iso[a-z]?)?-(north|south|east|west|central|northeast|southeast|northwest|southwest)-\d{1,2}$/;

/** Options of `ward pack`. */
interface PackOptions {
  readonly check?: boolean;
  readonly dir?: string;
  readonly region?: string[];
}

/**
 * `ward pack [--check] [--region R ...]`: writes conformance-packs/*.yaml from the registry, or with `--check`
 * fails when the committed files drift from it. Both check the pack limits (and, with `--region`, the
 * availability of the managed rules there) and report every problem at once.
 */
export function registerPackCommand(program: Command): void {
  program
    .command('pack')
    .description('Generate the conformance packs (conformance-packs/*.yaml) from the rule registry')
    .option('--check', 'fail when the committed packs differ from what the registry generates')
    .option('--dir <dir>', "directory of the packs (default: the package's conformance-packs/)")
    .option('--region <region...>', 'also check that every managed rule is available in these regions')
    .action(async (opts: PackOptions) => {
      // A mistyped region would otherwise pass the availability check silently (nothing is known about it).
      const unknown = (opts.region ?? []).filter((r) => !REGION.test(r));
      if (unknown.length > 0) {
        throw new Error(`--region ${unknown.join(', ')}: not an AWS region name (for example us-east-1)`);
      }
      const { expectedPackFiles, packDirectory, packDrift } = await import('../../infra/packs/files');
      const { generatePacks } = await import('../../infra/packs/generate');
      const { checkPack } = await import('../../infra/packs/limits');
      const { rules } = await import('../../rules');
      const dir = opts.dir ?? packDirectory();
      const problems = generatePacks(rules).flatMap((p) => checkPack(p, opts.region ?? []));
      if (opts.check) {
        const drift = packDrift(rules, dir);
        for (const d of drift)
          problems.push(`${join(relative(process.cwd(), dir) || '.', d.file)}: ${d.problem} (run \`ward pack\`)`);
        if (problems.length > 0) {
          process.stderr.write(`ward pack --check: ${problems.length} problem(s):\n  - ${problems.join('\n  - ')}\n`);
          process.exitCode = 1;
          return;
        }
        process.stdout.write('conformance packs are in step with the registry\n');
        return;
      }
      mkdirSync(dir, { recursive: true });
      const files = expectedPackFiles(rules);
      for (const d of packDrift(rules, dir)) if (d.problem === 'not generated') rmSync(join(dir, d.file));
      for (const [file, text] of files) writeFileSync(join(dir, file), text);
      process.stdout.write(
        `wrote ${[...files.keys()].map((f) => join(relative(process.cwd(), dir) || '.', f)).join(', ')}\n`,
      );
      if (problems.length > 0) {
        process.stderr.write(`ward pack: ${problems.length} problem(s):\n  - ${problems.join('\n  - ')}\n`);
        process.exitCode = 1;
      }
    });
}
