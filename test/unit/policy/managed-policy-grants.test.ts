import { effectiveGrants } from '../../../rules/policy/effective';
import { managedPolicyEquivalent, SCOPED_RESOURCE } from '../../../rules/policy/managed-policy-grants';

const ARN = (name: string) => `arn:aws:iam::aws:policy/${name}`;

/** The grants of one action through one AWS-managed policy's equivalent document. */
function grantsOf(name: string, action: string) {
  const document = managedPolicyEquivalent(ARN(name));
  if (!document) throw new Error(`${name} is not in the bundled catalogue`);
  return effectiveGrants({ identity: [{ label: name, path: '', document }], boundary: [] }, action);
}

describe('AWS-managed policies as the escalation model sees them', () => {
  it('keeps that a grant holds only under a condition (iam:PassRole limited by iam:PassedToService)', () => {
    // AmazonDynamoDBFullAccess passes roles only to Application Auto Scaling and DAX.
    const pass = grantsOf('AmazonDynamoDBFullAccess', 'iam:PassRole');
    expect(pass).toHaveLength(1);
    expect(pass[0]).toMatchObject({ resource: '*', conditional: true });
    // Its DynamoDB and Lambda actions are unconditional.
    expect(grantsOf('AmazonDynamoDBFullAccess', 'lambda:CreateFunction')[0]?.conditional).toBe(false);
  });

  it('marks an unconditional grant as such, and grants on named resources as scoped, with or without a condition', () => {
    expect(grantsOf('IAMFullAccess', 'iam:CreatePolicyVersion')[0]).toMatchObject({
      resource: '*',
      conditional: false,
    });
    // cloudformation:CreateStack on stacks named in the policy; iam:PassRole on named roles, to one service only.
    expect(grantsOf('AWSAppMeshFullAccess', 'cloudformation:CreateStack')[0]).toMatchObject({
      resource: SCOPED_RESOURCE,
      conditional: false,
    });
    expect(grantsOf('AWS-SSM-DiagnosisAutomation-ExecutionRolePolicy', 'iam:PassRole')[0]).toMatchObject({
      resource: SCOPED_RESOURCE,
      conditional: true,
    });
  });

  it('stands for an administrator policy with an unconditional "*" on "*"', () => {
    expect(managedPolicyEquivalent(ARN('AdministratorAccess'))?.statements).toEqual([
      expect.objectContaining({ actions: ['*'], resources: ['*'], conditional: false }),
    ]);
  });
});
