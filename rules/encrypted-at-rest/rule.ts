import { z } from 'zod';
import { defineRule, exemptionParameters, type Finding, getPath, judge } from '../runtime';

const parameters = z.object({ ...exemptionParameters });

/**
 * First version of encrypted-at-rest (S3 buckets and SNS topics); the encrypted-at-rest issue completes it.
 */
export const encryptedAtRest = defineRule({
  meta: {
    id: 'encrypted-at-rest',
    title: 'Data stores are encrypted at rest',
    rationale: 'Unencrypted data stores expose data to anyone who reaches the storage layer or a copy of it.',
    severity: 'high',
    resourceTypes: ['AWS::S3::Bucket', 'AWS::SNS::Topic'],
    trigger: { onChange: true },
    parameters,
    permissions: [],
    findingCodes: { unencrypted: 'The store has no encryption at rest.' },
  },
  evaluate({ item }) {
    const findings: Finding[] = [];
    if (item.resourceType === 'AWS::S3::Bucket') {
      const rules = getPath(item.supplementaryConfiguration, 'ServerSideEncryptionConfiguration.rules');
      if (!Array.isArray(rules) || rules.length === 0) {
        findings.push({
          code: 'unencrypted',
          message: 'S3 bucket has no default encryption configuration.',
          path: 'supplementaryConfiguration.ServerSideEncryptionConfiguration',
        });
      }
    } else if (item.resourceType === 'AWS::SNS::Topic') {
      if (!getPath(item.configuration, 'KmsMasterKeyId')) {
        findings.push({
          code: 'unencrypted',
          message: 'SNS topic has no KmsMasterKeyId.',
          path: 'configuration.KmsMasterKeyId',
        });
      }
    }
    return [judge(item, findings, 'Encrypted at rest.', 'high')];
  },
});
