import { RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { AnyPrincipal, Effect, PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';

/**
 * Data-plane actions that would change or remove an audit record, or the table: denied to every principal by
 * the audit table's resource policy, whatever their IAM policies say.
 */
export const AUDIT_TAMPER_ACTIONS = [
  'dynamodb:BatchWriteItem',
  'dynamodb:DeleteItem',
  'dynamodb:DeleteTable',
  'dynamodb:PartiQLDelete',
  'dynamodb:PartiQLUpdate',
  'dynamodb:UpdateItem',
] as const;

/** Control-plane actions that could weaken the audit table; the responder's role is denied them explicitly. */
export const AUDIT_TABLE_CHANGES = [
  'dynamodb:DeleteResourcePolicy',
  'dynamodb:PutResourcePolicy',
  'dynamodb:UpdateContinuousBackups',
  'dynamodb:UpdateTable',
  'dynamodb:UpdateTimeToLive',
] as const;

/**
 * The append-only audit table (responder/audit-store.ts): one item per step of a response (`pk` event#<id>,
 * `sk` <rank>#<step>), indexed by resource, no time to live, deletion protection, point-in-time recovery, and a
 * resource policy denying every change and delete of a record to every principal. Created in the stack's own
 * scope so its logical id is `AuditLog`.
 */
export function createAuditTable(scope: Stack, key: IKey): TableV2 {
  return new TableV2(scope, 'AuditLog', {
    partitionKey: { name: 'pk', type: AttributeType.STRING },
    sortKey: { name: 'sk', type: AttributeType.STRING },
    billing: Billing.onDemand(),
    encryption: TableEncryptionV2.customerManagedKey(key),
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
    resourcePolicy: new PolicyDocument({
      statements: [
        new PolicyStatement({
          sid: 'AuditRecordsAreAppendOnly',
          effect: Effect.DENY,
          principals: [new AnyPrincipal()],
          actions: [...AUDIT_TAMPER_ACTIONS],
          resources: ['*'],
        }),
      ],
    }),
    globalSecondaryIndexes: [
      {
        indexName: 'byResource',
        partitionKey: { name: 'resourceKey', type: AttributeType.STRING },
        sortKey: { name: 'createdAt', type: AttributeType.STRING },
      },
    ],
  });
}

/**
 * The state table (responder/state-store.ts): locks, hourly counters, flapping state and the kill switch, each
 * item expiring by time to live (`expiresAt`) but the kill switch.
 */
export function createStateTable(scope: Stack, key: IKey): TableV2 {
  return new TableV2(scope, 'State', {
    partitionKey: { name: 'pk', type: AttributeType.STRING },
    billing: Billing.onDemand(),
    encryption: TableEncryptionV2.customerManagedKey(key),
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    timeToLiveAttribute: 'expiresAt',
    removalPolicy: RemovalPolicy.RETAIN,
  });
}
