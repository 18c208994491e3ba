import type { AnyRule } from '../../rules/runtime/types';
import { LIVE_SCAN_PERMISSIONS } from './live';

/** An IAM policy document (the subset we write). */
export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly {
    readonly Sid: string;
    readonly Effect: 'Allow';
    readonly Action: readonly string[];
    readonly Resource: string;
  }[];
}

/** What `--region all` calls (account:ListRegions first, ec2:DescribeRegions when it is denied). */
const REGION_LISTING = ['account:ListRegions', 'ec2:DescribeRegions'] as const;

/**
 * The minimal policy of the reader role `ward scan` assumes in each account: Config reads, the region
 * listing, and every read the selected rules declare in `meta.permissions`. All of these are read-only list or
 * describe actions that do not support resource-level permissions (or are needed on every resource), hence
 * `Resource: *`.
 */
export function readerPolicy(rules: readonly AnyRule[]): PolicyDocument {
  const base: ReadonlySet<string> = new Set(LIVE_SCAN_PERMISSIONS);
  const ruleReads = [...new Set(rules.flatMap((r) => r.meta.permissions))].filter((a) => !base.has(a)).sort();
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'WardScanConfigReads', Effect: 'Allow', Action: [...LIVE_SCAN_PERMISSIONS].sort(), Resource: '*' },
      { Sid: 'WardScanRegions', Effect: 'Allow', Action: [...REGION_LISTING], Resource: '*' },
      ...(ruleReads.length > 0
        ? [{ Sid: 'WardScanRuleReads', Effect: 'Allow' as const, Action: ruleReads, Resource: '*' }]
        : []),
    ],
  };
}

/**
 * The policy of the identity that runs `ward scan` across accounts (in the management, delegated-admin or
 * aggregator account): assume the reader role by name, list the organization, read the aggregator.
 */
export function scannerPolicy(roleName: string, aggregatorArn = '*'): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AssumeReader', Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: `arn:aws:iam::*:role/${roleName}` },
      {
        Sid: 'ListAccounts',
        Effect: 'Allow',
        Action: ['organizations:ListAccounts', 'sts:GetCallerIdentity'],
        Resource: '*',
      },
      {
        Sid: 'ReadAggregator',
        Effect: 'Allow',
        Action: [
          'config:BatchGetAggregateResourceConfig',
          'config:ListAggregateDiscoveredResources',
          'config:SelectAggregateResourceConfig',
        ],
        Resource: aggregatorArn,
      },
    ],
  };
}
