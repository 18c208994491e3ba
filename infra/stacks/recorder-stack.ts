import { Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { CfnConfigurationRecorder, CfnDeliveryChannel } from 'aws-cdk-lib/aws-config';
import { CfnServiceLinkedRole, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

/** Props of {@link RecorderStack}. */
export interface RecorderStackProps extends StackProps {
  /** Record global (IAM) resources here: true only in the global-resources region. */
  readonly includeGlobalResourceTypes: boolean;
  /** Create Config's service-linked role (accounts that never used Config). */
  readonly createServiceLinkedRole: boolean;
}

/**
 * For accounts without Config: a recorder of all supported resource types (global ones in one region only),
 * using Config's service-linked role, and a delivery channel to an encrypted, TLS-only, private bucket.
 */
export class RecorderStack extends Stack {
  readonly bucket: Bucket;
  readonly recorder: CfnConfigurationRecorder;

  constructor(scope: Construct, id: string, props: RecorderStackProps) {
    super(scope, id, props);
    const slr = props.createServiceLinkedRole
      ? new CfnServiceLinkedRole(this, 'ConfigServiceLinkedRole', { awsServiceName: 'config.amazonaws.com' })
      : undefined;
    this.bucket = new Bucket(this, 'Deliveries', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'Only AWS Config writes here (snapshots and history); CloudTrail records who reads it.',
    });
    this.recorder = new CfnConfigurationRecorder(this, 'Recorder', {
      name: 'default',
      roleArn: `arn:${this.partition}:iam::${this.account}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
      recordingGroup: { allSupported: true, includeGlobalResourceTypes: props.includeGlobalResourceTypes },
    });
    if (slr) this.recorder.addResourceDependency(slr);
    const channel = new CfnDeliveryChannel(this, 'DeliveryChannel', {
      name: 'default',
      s3BucketName: this.bucket.bucketName,
      configSnapshotDeliveryProperties: { deliveryFrequency: 'TwentyFour_Hours' },
    });
    channel.addResourceDependency(this.recorder);
    // Config writes with its service-linked role; the bucket policy lets it, for this account only.
    const config = new ServicePrincipal('config.amazonaws.com');
    const thisAccount = { StringEquals: { 'aws:SourceAccount': this.account } };
    this.bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'ConfigAclCheck',
        principals: [config],
        actions: ['s3:GetBucketAcl', 's3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: thisAccount,
      }),
    );
    this.bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'ConfigDelivery',
        principals: [config],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`AWSLogs/${this.account}/Config/*`)],
        conditions: { StringEquals: { ...thisAccount.StringEquals, 's3:x-amz-acl': 'bucket-owner-full-control' } },
      }),
    );
  }
}
