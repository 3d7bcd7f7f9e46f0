/**
 * cdk-nag (AwsSolutions, run as a CDK validation plugin), construct
 * annotations, acknowledgements and IAM wildcards, for both stages, on the
 * app exactly as it deploys: the one infra test file that bundles functions.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
// cdk-nag's own rendering of CloudFormation references in finding ids.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stage } from '../../infra/config/stages.ts';
import { ESM_REQUIRE_BANNER } from '../../infra/constructs/node-function.ts';
import { routes } from '../../shared/http/routes.ts';
import {
  acknowledgementsOf,
  allAcknowledgements,
  type CfnTemplate,
  constructByLogicalId,
  resourcesOf,
  SYNTH_TIMEOUT_MS,
  type Synthesized,
  synthStagesBundled,
} from './synth.ts';

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

interface Finding {
  ruleName: string;
  severity: string;
  paths: string[];
}

/** What AwsSolutions reports, optionally ignoring every acknowledgement. */
function nagFindings(synth: Synthesized, ignoreAcknowledgements = false): Finding[] {
  const pack = new AwsSolutionsChecks();
  if (ignoreAcknowledgements) (pack as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
  return pack.validateScope(synth.app).violations.map((violation) => ({
    ruleName: violation.ruleName,
    severity: violation.severity ?? 'error',
    paths: violation.violatingResources.map((resource) => resource.constructPath ?? '?'),
  }));
}

/** IAM5-style findings of one policy document: wildcard actions and resources of Allow statements. */
function wildcardFindings(document: { Statement?: unknown }): string[] {
  const findings = new Set<string>();
  for (const statement of asArray(document.Statement as any[])) {
    if (statement.Effect !== 'Allow') continue;
    for (const action of asArray<string>(statement.Action)) if (action.includes('*')) findings.add(`Action::${action}`);
    if (statement.NotAction || statement.NotResource) findings.add('NotAction/NotResource');
    for (const resource of asArray(statement.Resource)) {
      const flat = flattenCfnReference(resource);
      if (flat.includes('*')) findings.add(`Resource::${flat}`);
    }
  }
  return [...findings];
}

/** Identity policies of a template: [logicalId, document] for policies and roles' inline policies. */
function identityPolicies(template: CfnTemplate): [string, { Statement?: unknown }][] {
  const policies: [string, { Statement?: unknown }][] = [];
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
    for (const [id, policy] of resourcesOf(template, type)) policies.push([id, policy.Properties.PolicyDocument]);
  }
  for (const type of ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group']) {
    for (const [id, entity] of resourcesOf(template, type)) {
      for (const inline of asArray<any>(entity.Properties?.Policies)) policies.push([id, inline.PolicyDocument]);
    }
  }
  return policies;
}

const STAGES: Stage[] = ['dev', 'prod'];
let bundled: ReturnType<typeof synthStagesBundled> | undefined;

// Synth itself fails on any unacknowledged AwsSolutions error (the plugin is part of the app).
beforeAll(() => {
  bundled = synthStagesBundled(STAGES);
}, 2 * SYNTH_TIMEOUT_MS);
afterAll(() => bundled?.cleanup());

describe.each<Stage>(STAGES)('compliance (%s)', (stage) => {
  let synth: Synthesized;
  /** Every stack with its own template, nested stacks included. */
  const stacks = (): [Stack, CfnTemplate][] => synth.stacks.map(({ stack, json }) => [stack, json]);

  beforeAll(() => {
    synth = bundled!.synths[stage];
  });

  it('bundles every function as minified ESM with the createRequire banner and source maps, node:http required, zod shaken and mini outside the OpenAPI document, credentials from the environment', () => {
    const functions = synth.app.node.findAll().filter((c): c is CfnFunction => c instanceof CfnFunction);
    expect(functions.length).toBeGreaterThan(routes.length);
    for (const fn of functions) {
      const key: string = Stack.of(fn).resolve((fn.code as CfnFunction.CodeProperty).s3Key);
      const bundle = readFileSync(join(synth.assembly.directory, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs'), 'utf8');
      expect(bundle.startsWith(ESM_REQUIRE_BANNER), fn.node.path).toBe(true);
      expect(bundle, fn.node.path).toMatch(/sourceMappingURL=index\.mjs\.map/);
      // Minified: very long lines (only template literals keep their newlines).
      expect(bundle.length / bundle.split('\n').length, fn.node.path).toBeGreaterThan(1000);
      // node:http through require (infra/bundling/node-http.cjs), never as an ESM import.
      expect(bundle, fn.node.path).not.toMatch(/from\s*"(node:)?http"/);
      // zod imported as a namespace, so its locales and unused schemas are shaken out.
      expect(bundle, fn.node.path).not.toContain('zu haben'); // from zod's German messages
      // Schemas on zod/mini: classic zod ("ZodType" names its base schema) only where the OpenAPI
      // document is built, with the documentation schemas of shared/schemas/*.docs.ts.
      if (fn.node.path.includes('/GetOpenApiFunction/')) expect(bundle, fn.node.path).toContain('"ZodType"');
      else expect(bundle, fn.node.path).not.toContain('"ZodType"');
      // Credentials from the environment (infra/bundling/lambda-credentials.ts): no SDK default chain, no STS client.
      expect(bundle, fn.node.path).not.toContain('skipping fromEnv provider');
      expect(bundle, fn.node.path).not.toContain('AssumeRoleWithWebIdentity');
    }
  });

  it('registers AwsSolutions as a validation plugin of the app', () => {
    const plugins = (synth.app as unknown as { _validationPlugins: { name: string }[] })._validationPlugins;
    expect(plugins.map((plugin) => plugin.name)).toContain('AwsSolutions');
  });

  it('has no unacknowledged cdk-nag errors or warnings', () => {
    expect(nagFindings(synth)).toEqual([]);
  });

  it('writes a validation report without violations', () => {
    const violations = synth.validationReport.pluginReports.flatMap((report) => report.violations);
    expect(violations).toEqual([]);
  });

  it('has no warnings or errors in construct annotations', () => {
    // A top-level stack's annotations include its nested stacks'.
    for (const [stack] of stacks().filter(([stack]) => !stack.nestedStackParent)) {
      const annotations = Annotations.fromStack(stack);
      const messages = [
        ...annotations.findError('*', Match.anyValue()),
        ...annotations.findWarning('*', Match.anyValue()),
      ].map((message) => `${message.id}: ${JSON.stringify(message.entry.data)}`);
      expect(messages, stack.stackName).toEqual([]);
    }
  });

  it('acknowledges only findings that occur, each with a specific reason', () => {
    const raw = nagFindings(synth, true);
    const acknowledgements = allAcknowledgements(synth.app);
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const acknowledgement of acknowledgements) {
      const label = `${acknowledgement.id} at ${acknowledgement.path}`;
      expect(acknowledgement.reason.length, label).toBeGreaterThanOrEqual(60);
      const used = raw.some(
        (finding) =>
          finding.ruleName === acknowledgement.id &&
          finding.paths.some((path) => path === acknowledgement.path || path.startsWith(`${acknowledgement.path}/`)),
      );
      expect(used, `unused acknowledgement ${label}`).toBe(true);
    }
  });

  it('acknowledges no rule wholesale on a stack or the app', () => {
    for (const acknowledgement of allAcknowledgements(synth.app)) {
      expect(acknowledgement.path.split('/').length, acknowledgement.id).toBeGreaterThan(1);
    }
  });

  it('has no wildcard action or resource in any IAM policy unless acknowledged', () => {
    const unacknowledged: string[] = [];
    let checked = 0;
    for (const [stack, template] of stacks()) {
      for (const [logicalId, document] of identityPolicies(template)) {
        checked++;
        const acknowledged = acknowledgementsOf(constructByLogicalId(stack, logicalId));
        for (const finding of wildcardFindings(document)) {
          if (finding === 'Action::*' || finding === 'NotAction/NotResource') {
            unacknowledged.push(`${stack.stackName}/${logicalId}: ${finding} (never allowed)`);
          } else if (!acknowledged.has(`AwsSolutions-IAM5[${finding}]`)) {
            unacknowledged.push(`${stack.stackName}/${logicalId}: ${finding}`);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
    expect(unacknowledged).toEqual([]);
  });

  it('uses AWS managed policies only where acknowledged', () => {
    const unacknowledged: string[] = [];
    for (const [stack, template] of stacks()) {
      for (const [logicalId, role] of resourcesOf(template, 'AWS::IAM::Role')) {
        const acknowledged = acknowledgementsOf(constructByLogicalId(stack, logicalId));
        for (const arn of asArray(role.Properties.ManagedPolicyArns)) {
          const flat = flattenCfnReference(arn);
          if (flat.includes(':iam::aws:') && !acknowledged.has(`AwsSolutions-IAM4[Policy::${flat}]`)) {
            unacknowledged.push(`${stack.stackName}/${logicalId}: ${flat}`);
          }
        }
      }
    }
    expect(unacknowledged).toEqual([]);
  });

  it('gives functions no AWSLambdaBasicExecutionRole: each writes only to its own log group', () => {
    const functions = [synth.json.api, synth.json.workflows, synth.json.batches, synth.json.events].flatMap((template) =>
      resourcesOf(template, 'AWS::Lambda::Function').map(([, fn]) => [template, fn] as const),
    );
    expect(functions.length).toBeGreaterThan(0);
    for (const [template, fn] of functions) {
      const roleId = fn.Properties.Role['Fn::GetAtt'][0];
      expect(template.Resources[roleId]!.Properties.ManagedPolicyArns).toBeUndefined();
      const logGroupId = fn.Properties.LoggingConfig.LogGroup.Ref;
      const logStatements = resourcesOf(template, 'AWS::IAM::Policy')
        .filter(([, p]) => asArray<any>(p.Properties.Roles).some((r) => r.Ref === roleId))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as any[])
        .filter((s) => asArray<string>(s.Action).some((a) => a.startsWith('logs:')));
      expect(logStatements).toHaveLength(1);
      expect(logStatements[0].Resource).toEqual({ 'Fn::GetAtt': [logGroupId, 'Arn'] });
    }
  });
});
