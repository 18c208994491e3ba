/**
 * The CloudFormation Lambda hook contract for resource operations (AWS CloudFormation Hooks user guide,
 * "Create Lambda functions to evaluate resources for Lambda Hooks"): the request CloudFormation sends and the
 * response it expects. Read with zod so a malformed request fails closed with a clear reason.
 */
import { z } from 'zod';

/** The request of a resource-operation invocation. */
export const hookRequestSchema = z.object({
  clientRequestToken: z.string().min(1),
  awsAccountId: z.string().optional(),
  stackId: z.string().optional(),
  changeSetId: z.string().nullish(),
  hookTypeName: z.string().optional(),
  hookTypeVersion: z.string().optional(),
  hookModel: z.record(z.string(), z.unknown()).optional(),
  actionInvocationPoint: z.string(),
  requestData: z.object({
    targetName: z.string(),
    targetType: z.string(),
    targetLogicalId: z.string(),
    targetModel: z
      .object({
        resourceProperties: z.record(z.string(), z.unknown()).nullish(),
        previousResourceProperties: z.record(z.string(), z.unknown()).nullish(),
      })
      .optional(),
  }),
  requestContext: z.object({ invocation: z.number().optional(), callbackContext: z.unknown().optional() }).optional(),
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
