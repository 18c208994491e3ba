import type { Command } from 'commander';

/** Shells `ward completion` writes a script for. */
export const COMPLETION_SHELLS = ['bash', 'zsh'] as const;

/** Every command of the program with its long and short flags, from commander's own definitions. */
export function commandWords(program: Command): { name: string; flags: string[] }[] {
  return program.commands.map((c) => ({
    name: c.name(),
    flags: [...new Set(c.options.flatMap((o) => [o.long, o.short].filter((f): f is string => typeof f === 'string')))],
  }));
}

/**
 * The completion script for a shell: commands after `ward`, then each command's flags. Generated from the
 * program's definitions, so a new flag completes without editing this file.
 */
export function completionScript(program: Command, shell: (typeof COMPLETION_SHELLS)[number]): string {
  const words = commandWords(program);
  const names = words.map((w) => w.name).join(' ');
  const cases = words.map((w) => `    ${w.name}) flags="${w.flags.join(' ')}" ;;`).join('\n');
  const body = `_ward_complete() {
  local cur cmd flags
  cur="\${COMP_WORDS[COMP_CWORD]}"
  cmd="\${COMP_WORDS[1]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${names}" -- "$cur") )
    return
  fi
  case "$cmd" in
${cases}
    *) flags="" ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$flags" -- "$cur") )
  else
    COMPREPLY=( $(compgen -f -- "$cur") )
  fi
}
complete -F _ward_complete ward
`;
  if (shell === 'bash') return `# ward completion for bash: eval "$(ward completion bash)"\n${body}`;
  // zsh runs the bash function through bashcompinit: one script to keep in step, not two.
  return `# ward completion for zsh: eval "$(ward completion zsh)"\nautoload -U +X bashcompinit && bashcompinit\n${body}`;
}

/** `ward completion bash|zsh`: prints a shell completion script. */
export function registerCompletionCommand(program: Command): void {
  program
    .command('completion')
    .description('Print a shell completion script: eval "$(ward completion bash)" (or zsh)')
    .argument('<shell>', COMPLETION_SHELLS.join(' or '))
    .action((shell: string) => {
      if (!(COMPLETION_SHELLS as readonly string[]).includes(shell)) {
        process.stderr.write(`ward completion: unknown shell ${shell} (use ${COMPLETION_SHELLS.join(' or ')})\n`);
        process.exitCode = 2;
        return;
      }
      process.stdout.write(completionScript(program, shell as (typeof COMPLETION_SHELLS)[number]));
    });
}
