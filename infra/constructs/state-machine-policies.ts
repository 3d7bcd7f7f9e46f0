/**
 * The policies every state machine role needs besides invoking its tasks:
 * vended log delivery and X-Ray. Their actions take no resource-level
 * permissions, so each stands alone with its acknowledged `*`.
 */
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { acknowledge } from '../nag.ts';

export function logDeliveryPolicy(scope: Construct, id: string): Policy {
  const policy = new Policy(scope, id, {
    statements: [
      new PolicyStatement({
        actions: [
          'logs:CreateLogDelivery',
          'logs:GetLogDelivery',
          'logs:UpdateLogDelivery',
          'logs:DeleteLogDelivery',
          'logs:ListLogDeliveries',
          'logs:PutResourcePolicy',
          'logs:DescribeResourcePolicies',
          'logs:DescribeLogGroups',
        ],
        resources: ['*'],
      }),
    ],
  });
  acknowledge(
    policy,
    'AwsSolutions-IAM5[Resource::*]',
    'CloudWatch Logs vended log delivery actions (CreateLogDelivery, PutResourcePolicy...) support no resource-level permissions; this policy holds only them.',
  );
  return policy;
}

export function tracingPolicy(scope: Construct, id: string): Policy {
  const policy = new Policy(scope, id, {
    statements: [
      new PolicyStatement({
        actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
        resources: ['*'],
      }),
    ],
  });
  acknowledge(policy, 'AwsSolutions-IAM5[Resource::*]', 'X-Ray trace and sampling actions support no resource-level permissions; this policy holds only them.');
  return policy;
}
