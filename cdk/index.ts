/** `ward/cdk`: ward's rules for CDK apps, at synth. */
export { WardChecks, type WardChecksProps } from './ward-checks';
