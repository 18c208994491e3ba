import { defineRule, exemptionParameters } from '../runtime';
import { CONTROLS } from './controls';
import { staleTableWarning } from '../runtime/data-table';
import { FINDING_CODES, LAMBDA_FUNCTION, judgeFunctionRuntime } from './judge';
import { runtimeTableInfo } from './table';
import * as z from '../runtime/zod-mini';

const parameters = z.object({
  warnDays: z
    ._default(
      z.pipe(
        z.transform((v: unknown) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v)),
        z.number().check(z.int(), z.minimum(0), z.maximum(3650)),
      ),
      90,
    )
    .check(z.describe('Days before a runtime deprecation date from which the function is runtime-deprecating.')),
  ...exemptionParameters,
});

/** Parsed parameters of lambda-runtime-supported. */
export type LambdaRuntimeSupportedParams = z.output<typeof parameters>;

/** What `evaluate` needs beyond the item: the clock of the run. */
export interface RuntimeFacts {
  /** When the run judges (the Lambda's invocation time, the scan's start): never the build's. */
  readonly now: Date;
}

/**
 * `lambda-runtime-supported`: every .zip Lambda function runs on a runtime AWS still patches. Change-triggered
 * on `AWS::Lambda::Function`; the dates come from the runtime table beside this file.
 */
export const lambdaRuntimeSupported = defineRule<typeof parameters, RuntimeFacts>({
  meta: {
    id: 'lambda-runtime-supported',
    title: 'Lambda functions run on runtimes AWS still supports',
    rationale:
      'A function on a deprecated runtime gets no security patches for its language runtime or operating system ' +
      '(Security Hub Lambda.2); past the block dates it can no longer even be updated.',
    severity: 'high',
    resourceTypes: [LAMBDA_FUNCTION],
    trigger: { onChange: true },
    parameters,
    permissions: [],
    findingCodes: FINDING_CODES,
    controls: CONTROLS,
    remediations: { 'AWS::Lambda::Function': 'lambda-upgrade-runtime' },
    dataTables: [runtimeTableInfo],
    global: false,
  },
  // No AWS read: the facts are the run's clock, so that a function is judged at the time of the run.
  async gather(_item, ctx) {
    const warning = staleTableWarning('lambda-runtime-supported', runtimeTableInfo, ctx.invokedAt);
    if (warning && ctx.mode === 'lambda') ctx.logger.warn({ rule: 'lambda-runtime-supported' }, warning);
    return { now: ctx.invokedAt };
  },
  evaluate({ item, params, facts }) {
    return [judgeFunctionRuntime(item, facts.now, params.warnDays)];
  },
});
