import { ruleStatements } from '../../../infra/constructs/rule-function';
import { entryPointsAuthenticated } from '../../../rules/entry-points-authenticated/rule';
import { entryPointsLogged } from '../../../rules/entry-points-logged/rule';
import { lambdaRuntimeSupported } from '../../../rules/lambda-runtime-supported/rule';
import type { AnyRule } from '../../../rules/runtime/types';

const statementsOf = (rule: AnyRule) =>
  ruleStatements(rule, 'aws', 'eu-west-1', '111122223333').map((s) => s.toStatementJson());

describe('the serverless rules are least privilege', () => {
  it('gives entry-points-authenticated apigateway:GET on the API collections only, and the Lambda URL reads on the functions of the account', () => {
    const statements = statementsOf(entryPointsAuthenticated as AnyRule);
    const get = statements.find((s) => s.Action === 'apigateway:GET');
    expect(get?.Resource).toEqual([
      'arn:aws:apigateway:eu-west-1::/restapis',
      'arn:aws:apigateway:eu-west-1::/restapis/*',
      'arn:aws:apigateway:eu-west-1::/apis',
      'arn:aws:apigateway:eu-west-1::/apis/*',
    ]);
    const urls = statements.find((s) => JSON.stringify(s.Action).includes('lambda:ListFunctionUrlConfigs'));
    expect(urls?.Action).toEqual(['lambda:GetFunctionUrlConfig', 'lambda:ListFunctionUrlConfigs']);
    expect(urls?.Resource).toBe('arn:aws:lambda:eu-west-1:111122223333:function:*');
    // ListFunctions supports no resource-level permission: it alone is on `*`.
    const unscoped = statements.filter((s) => s.Resource === '*' && s.Sid !== 'ReportEvaluations');
    expect(unscoped.map((s) => s.Action)).toEqual(['lambda:ListFunctions']);
    const apigateway = statements.filter((s) => JSON.stringify(s.Action).includes('apigateway:'));
    expect(apigateway).toHaveLength(1);
  });

  it('gives the two change-triggered rules no read beyond reporting', () => {
    for (const rule of [lambdaRuntimeSupported, entryPointsLogged]) {
      const statements = statementsOf(rule as AnyRule);
      expect(statements.map((s) => s.Sid)).toEqual(['ReportEvaluations']);
    }
  });
});
