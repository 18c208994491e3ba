import { CfnStackSet, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { CfnConfigurationAggregator, CfnOrganizationConformancePack } from 'aws-cdk-lib/aws-config';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { AnyRule } from '../../rules/runtime/types';
import { type GeneratedPack, renderPackBody } from '../packs/generate';
import { assertPacksDeployable } from '../packs/limits';
import { packInputParameters } from './pack-stack';
import { memberRoleTemplate } from './member-role-template';

/** Props of {@link OrganizationStack}. */
export interface OrganizationStackProps extends StackProps {
  readonly organizationId: string;
  /** Packs deployed to every member account in this region. */
  readonly packs: readonly GeneratedPack[];
  readonly functionArns: Readonly<Record<string, string>>;
  readonly ruleParameters: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly excludedAccountIds: readonly string[];
  /** Deploy the member-account role StackSet and the aggregator (once, from the global-resources region). */
  readonly organizationWide: boolean;
  readonly memberRoleName: string;
  readonly targetOrganizationalUnitIds: readonly string[];
  readonly rules: readonly AnyRule[];
}

/**
 * Organization mode, in the management or delegated administrator account: organization conformance packs
 * whose custom rules call the central rule Lambdas; once per organization, the member-account role (a
 * service-managed StackSet with automatic deployment) and an organization-wide Config aggregator.
 */
export class OrganizationStack extends Stack {
  readonly packs: readonly CfnOrganizationConformancePack[];
  readonly memberRoleStackSet?: CfnStackSet;
  readonly aggregator?: CfnConfigurationAggregator;

  constructor(scope: Construct, id: string, props: OrganizationStackProps) {
    super(scope, id, props);
    assertPacksDeployable(props.packs, []);
    this.packs = props.packs.map(
      (pack) =>
        new CfnOrganizationConformancePack(this, `OrgPack-${pack.name}`, {
          organizationConformancePackName: pack.name,
          templateBody: renderPackBody(pack),
          conformancePackInputParameters: packInputParameters(pack, props.functionArns, props.ruleParameters),
          excludedAccounts: props.excludedAccountIds.length > 0 ? [...props.excludedAccountIds] : undefined,
        }),
    );
    if (!props.organizationWide) return;

    this.memberRoleStackSet = new CfnStackSet(this, 'MemberRole', {
      stackSetName: 'ward-member-role',
      description: 'ward: the role central rule Lambdas assume in each member account',
      permissionModel: 'SERVICE_MANAGED',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      capabilities: ['CAPABILITY_NAMED_IAM'],
      managedExecution: { Active: true },
      operationPreferences: {
        failureTolerancePercentage: 10,
        maxConcurrentPercentage: 50,
        regionConcurrencyType: 'PARALLEL',
      },
      // IAM is global: one region per member account is enough.
      stackInstancesGroup: [
        {
          regions: [this.region],
          deploymentTargets: { organizationalUnitIds: [...props.targetOrganizationalUnitIds] },
        },
      ],
      templateBody: JSON.stringify(
        memberRoleTemplate({ centralAccountId: this.account, roleName: props.memberRoleName, rules: props.rules }),
      ),
    });

    const aggregatorRole = new Role(this, 'AggregatorRole', {
      assumedBy: new ServicePrincipal('config.amazonaws.com'),
      description: 'ward: Config reads the organization for the aggregator',
      managedPolicies: [ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSConfigRoleForOrganizations')],
    });
    Validations.of(aggregatorRole).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSConfigRoleForOrganizations]',
      reason: 'AWS documents this managed policy as the aggregator role policy; it only lists the organization.',
    });
    this.aggregator = new CfnConfigurationAggregator(this, 'Aggregator', {
      configurationAggregatorName: 'ward',
      organizationAggregationSource: { roleArn: aggregatorRole.roleArn, allAwsRegions: true },
    });
  }
}
