#!/usr/bin/env node
/*
 * The CDK app entry: `ward synth|diff|deploy` run the CDK toolkit on dist/infra/app.js. It reads the
 * configuration named by WARD_CONFIG (default ./ward.config.json), WARD_MODE (the CLI's --mode) and the
 * suppressions file (WARD_SUPPRESSIONS, the CLI's --suppressions; else as `ward scan` finds it), and runs
 * cdk-nag's AwsSolutions checks on every synth.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { rules } from '../rules';
import { loadWardConfig, parseWardConfig } from './config/load';
import { buildWardApp } from './build-app';
import { deploymentSuppressions } from './responder-suppressions';

/** Builds the app from the environment (what the CDK toolkit runs). */
export function main(env: NodeJS.ProcessEnv = process.env): App {
  let config = loadWardConfig(rules, undefined, env);
  // A --mode override is validated like the file (organization mode needs its organization settings).
  if (env.WARD_MODE) config = parseWardConfig({ ...config, mode: env.WARD_MODE }, rules, `--mode ${env.WARD_MODE}`);
  const suppressions = deploymentSuppressions(config, rules, env)?.entries;
  const app = new App();
  buildWardApp(app, config, rules, {
    account: env.CDK_DEFAULT_ACCOUNT,
    region: env.CDK_DEFAULT_REGION,
    ...(suppressions ? { suppressions } : {}),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}

if (require.main === module) {
  try {
    main().synth();
  } catch (err) {
    process.stderr.write(`ward: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
