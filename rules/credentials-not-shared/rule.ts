import { defineRule, exemptionParameters, notApplicable } from '../runtime';
import { collectFunctions } from './inventory';
import { FINDING_CODES, LAMBDA_FUNCTION, judgeFunctions } from './judge';
import * as z from '../runtime/zod-mini';
import { CONTROLS } from './controls';

const parameters = z.object({
  componentTagKey: z
    ._default(z.string().check(z.minLength(1)), 'aws:cloudformation:stack-name')
    .check(
      z.describe('Tag whose value names the component a function belongs to; untagged functions are each their own.'),
    ),
  ...exemptionParameters,
});

/**
 * `credentials-not-shared`: plaintext credentials in Lambda environments, the same credential in several
 * functions, and one execution role across components. Periodic: environments are not in configuration items.
 */
export const credentialsNotShared = defineRule({
  meta: {
    id: 'credentials-not-shared',
    title: 'Each component keeps its own credentials, out of plaintext',
    rationale:
      'A credential in a Lambda environment is readable by anyone who can read the function configuration, and one ' +
      'credential or role shared by several components turns the compromise of one into the compromise of all.',
    severity: 'high',
    resourceTypes: [],
    periodicResourceTypes: [LAMBDA_FUNCTION],
    trigger: { onChange: false, periodic: 'TwentyFour_Hours' },
    parameters,
    controls: CONTROLS,
    permissions: ['lambda:ListFunctions', 'lambda:ListTags', 'tag:GetResources'],
    findingCodes: FINDING_CODES,
  },
  // Configuration items carry no environment variables: every judgement happens in `collect`.
  evaluate({ item }) {
    return [
      notApplicable(
        item,
        'credentials-not-shared is periodic: Lambda environments are not in configuration items (use --live).',
      ),
    ];
  },
  async collect(ctx, params) {
    const functions = await collectFunctions(ctx, {
      componentTagKey: params.componentTagKey,
      needAllTags: params.exemptTag !== undefined,
    });
    return judgeFunctions(functions, params);
  },
});
