/**
 * The exit-code contract of every `ward` command (design.md section 9), in one place: the commands, the scan
 * engine and `ward --help` read it from here, so a new verb or flag cannot drift from it.
 */

/** Exit codes of every `ward` command. */
export const ExitCode = {
  /** Done, and nothing at or above `--fail-on`. */
  OK: 0,
  /** Done, and findings at or above `--fail-on` (`ward pack --check`: the packs drifted). */
  FINDINGS: 1,
  /** The work was not fully done: see {@link EXIT_CODE_TABLE}. */
  INCOMPLETE: 2,
} as const;

/** One of {@link ExitCode}. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** The table printed by `ward --help` and kept in step with README.md by a test. */
export const EXIT_CODE_TABLE: readonly (readonly [ExitCodeValue, string])[] = [
  [ExitCode.OK, 'done, and nothing at or above --fail-on'],
  [ExitCode.FINDINGS, 'findings at or above --fail-on (ward pack --check: the packs are not in step)'],
  [
    ExitCode.INCOMPLETE,
    'the work was not fully done: a usage or configuration error, an unreadable file, a bad item or row, ' +
      'an input that could not be read, an unreachable endpoint, a region, resource type or rule that failed ' +
      '(the report still holds what was judged; its summary lists what was not; stderr has one line per problem)',
  ],
];

/** The exit-code table as `ward --help` prints it. */
export function exitCodeHelp(): string {
  return `\nExit codes (every command):\n${EXIT_CODE_TABLE.map(([code, text]) => `  ${code}  ${text}`).join('\n')}\n`;
}

/**
 * The exit code of a run: 2 when anything was not done (whatever the findings), else 1 when findings reach
 * `--fail-on`, else 0.
 */
export function exitCodeOf(outcome: { readonly incomplete: boolean; readonly failing: boolean }): ExitCodeValue {
  if (outcome.incomplete) return ExitCode.INCOMPLETE;
  return outcome.failing ? ExitCode.FINDINGS : ExitCode.OK;
}

/**
 * The exit code for a tool ward runs to do the work (the CDK toolkit): its success is ours; any failure means
 * the work was not done (the toolkit's own 1 must not read as "findings").
 */
export function exitCodeOfTool(status: number | null): ExitCodeValue {
  return status === 0 ? ExitCode.OK : ExitCode.INCOMPLETE;
}
