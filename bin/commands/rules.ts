import type { Command } from 'commander';

/**
 * `ward rules`: lists the rules with title, resource types, finding codes (each with its severity) and
 * parameters, from their metadata.
 */
export function registerRulesCommand(program: Command): void {
  program
    .command('rules')
    .description('List the rules with their title, resource types, finding codes with severities, and parameters')
    .option('--format <format>', 'text or json', 'text')
    .action(async (opts: { format: string }) => {
      const { rules } = await import('../../rules');
      const { describeParameters } = await import('../../rules/runtime/parameters');
      const described = rules.map((r) => ({
        id: r.meta.id,
        configRuleName: `ward-${r.meta.id}`,
        title: r.meta.title,
        severity: r.meta.severity,
        trigger: r.meta.trigger,
        resourceTypes: r.meta.resourceTypes,
        periodicResourceTypes: r.meta.periodicResourceTypes ?? [],
        findingCodes: r.meta.findingCodes,
        parameters: describeParameters(r.meta.parameters),
        dataTables: r.meta.dataTables ?? [],
      }));
      if (opts.format === 'json') {
        process.stdout.write(`${JSON.stringify(described, null, 2)}\n`);
        return;
      }
      if (opts.format !== 'text') throw new Error(`unknown --format ${opts.format} (use text or json)`);
      const out: string[] = [];
      for (const r of described) {
        const trig = [
          r.trigger.onChange ? 'on change' : '',
          r.trigger.periodic ? `periodic (${r.trigger.periodic})` : '',
        ]
          .filter(Boolean)
          .join(' + ');
        out.push(`${r.id}  [${r.severity}]  ${r.title}`);
        out.push(`  Config rule: ${r.configRuleName}   trigger: ${trig}`);
        out.push(`  resource types: ${[...new Set([...r.resourceTypes, ...r.periodicResourceTypes])].join(', ')}`);
        out.push('  finding codes:');
        const width = Math.max(...Object.keys(r.findingCodes).map((c) => c.length));
        for (const [code, info] of Object.entries(r.findingCodes)) {
          out.push(`    ${code.padEnd(width)}  ${info.severity.padEnd(13)} ${info.description}`);
        }
        for (const t of r.dataTables) {
          out.push(`  data: ${t.name}, taken ${t.takenAt} from ${t.source} (a run warns after ${t.maxAgeDays} days)`);
        }
        if (r.parameters.length) {
          out.push('  parameters:');
          for (const p of r.parameters) {
            const def = Array.isArray(p.default) ? p.default.join(',') || '(none)' : (p.default ?? '(none)');
            out.push(`    ${p.name} (${p.type}, default ${def}): ${p.description}`);
          }
        }
        out.push('');
      }
      process.stdout.write(out.join('\n'));
    });
}
