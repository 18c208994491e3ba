/**
 * The CloudFormation Lambda hook contract for resource operations (AWS CloudFormation Hooks user guide,
 * "Create Lambda functions to evaluate resources for Lambda Hooks"): the request CloudFormation sends and the
 * response it expects. Read with zod so a malformed request fails closed with a clear reason.
 */
import * as z from '../rules/runtime/zod-mini';

const record = () => z.record(z.string(), z.unknown());

/** The request of a resource-operation invocation. */
export const hookRequestSchema = z.object({
  clientRequestToken: z.string().check(z.minLength(1)),
  awsAccountId: z.optional(z.string()),
  stackId: z.optional(z.string()),
  changeSetId: z.nullish(z.string()),
  hookTypeName: z.optional(z.string()),
  hookTypeVersion: z.optional(z.string()),
  hookModel: z.optional(record()),
  actionInvocationPoint: z.string(),
  requestData: z.object({
    targetName: z.string(),
    targetType: z.string(),
    targetLogicalId: z.string(),
    targetModel: z.optional(
      z.object({
        resourceProperties: z.nullish(record()),
        previousResourceProperties: z.nullish(record()),
      }),
    ),
  }),
  requestContext: z.optional(z.object({ invocation: z.optional(z.number()), callbackContext: z.optional(z.unknown()) })),
});

/** A parsed hook request. */
export type HookRequest = z.infer<typeof hookRequestSchema>;

/** One annotation of the response: the result of one rule. */
export interface HookAnnotation {
  readonly annotationName: string;
  readonly status: 'PASSED' | 'FAILED' | 'SKIPPED';
  readonly statusMessage: string;
  readonly remediationMessage?: string;
  readonly remediationLink?: string;
  readonly severityLevel: 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
}

/** The response CloudFormation expects. */
export interface HookResponse {
  readonly hookStatus: 'SUCCESS' | 'FAILED';
  readonly errorCode?: 'NonCompliant' | 'InternalFailure';
  /** At most {@link MAX_MESSAGE} characters (CloudFormation truncates there). */
  readonly message: string;
  readonly clientRequestToken: string;
  readonly annotations?: readonly HookAnnotation[];
}

/** CloudFormation keeps this many characters of the message for CloudFormation operations. */
export const MAX_MESSAGE = 4096;

/** Annotation fields are short texts: kept under this many characters each. */
export const MAX_ANNOTATION_TEXT = 1024;

/** Cuts text to a length, marking the cut. */
export function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
