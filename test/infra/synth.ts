/**
 * Synthesizes one stage of the real app (real esbuild bundling) into a temp
 * directory. Bundling all functions is the slow part: call once per stage in
 * a file's beforeAll; a second stage in the same process reuses the bundles.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { IConstruct } from 'constructs';
import type { Stage } from '../../infra/config/stages.ts';
import { createApp, type PlatformApp } from '../../infra/create-app.ts';

export const SYNTH_TIMEOUT_MS = 300_000;

export interface CfnTemplate {
  Resources: Record<string, { Type: string; Properties: any; DeletionPolicy?: string; UpdateReplacePolicy?: string; DependsOn?: string[] }>;
  Outputs?: Record<string, { Value: unknown }>;
}

export interface Synthesized extends PlatformApp {
  assembly: CloudAssembly;
  outdir: string;
  stateful: PlatformApp['stateful'];
  templates: { stateful: Template; workflows: Template; api: Template; events: Template };
  json: { stateful: CfnTemplate; workflows: CfnTemplate; api: CfnTemplate; events: CfnTemplate };
  /** validation-report.json of the cloud assembly. */
  validationReport: { pluginReports: { pluginName: string; violations: unknown[] }[] };
  seconds: number;
  cleanup(): void;
}

export function synthStage(stage: Stage): Synthesized {
  const started = performance.now();
  const outdir = mkdtempSync(join(tmpdir(), `infra-${stage}-`));
  const platform = createApp({ stage, outdir });
  const assembly = platform.app.synth();
  const read = (stack: Stack): CfnTemplate =>
    JSON.parse(readFileSync(assembly.getStackArtifact(stack.artifactId).templateFullPath, 'utf8'));
  const json = {
    stateful: read(platform.stateful),
    workflows: read(platform.workflows),
    api: read(platform.api),
    events: read(platform.events),
  };
  return {
    ...platform,
    assembly,
    outdir,
    json,
    templates: {
      stateful: Template.fromJSON(json.stateful),
      workflows: Template.fromJSON(json.workflows),
      api: Template.fromJSON(json.api),
      events: Template.fromJSON(json.events),
    },
    validationReport: JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')),
    seconds: (performance.now() - started) / 1000,
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

/** Resources of one type, as [logicalId, resource] pairs. */
export function resourcesOf(template: CfnTemplate, type: string) {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

/** The construct behind a logical id of a stack. */
export function constructByLogicalId(stack: Stack, logicalId: string): CfnResource {
  for (const child of stack.node.findAll()) {
    const cfn = child as CfnResource;
    if ((cfn as { cfnResourceType?: string }).cfnResourceType && stack.resolve(cfn.logicalId) === logicalId) {
      return cfn;
    }
  }
  throw new Error(`No construct for ${logicalId} in ${stack.stackName}`);
}

/** Acknowledged rule ids (with reasons) on a construct and its ancestors, as cdk-nag reads them. */
export function acknowledgementsOf(construct: IConstruct): Map<string, string> {
  const acknowledged = new Map<string, string>();
  for (let current: IConstruct | undefined = construct; current; current = current.node.scope) {
    for (const entry of current.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        acknowledged.set(id.replace(/^annotation::/i, ''), reason);
      }
    }
  }
  return acknowledged;
}

/** Every acknowledgement in the app: rule id, reason and the construct path it sits on. */
export function allAcknowledgements(root: IConstruct) {
  const result: { id: string; reason: string; path: string }[] = [];
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        result.push({ id: id.replace(/^annotation::/i, ''), reason, path: construct.node.path });
      }
    }
  }
  return result;
}

/** Full API Gateway resource paths (`/v1/clients/{id}`) by logical id. */
export function apiResourcePaths(template: CfnTemplate): Map<string, string> {
  const resources = new Map(resourcesOf(template, 'AWS::ApiGateway::Resource'));
  const paths = new Map<string, string>();
  const pathOf = (logicalId: string): string => {
    const known = paths.get(logicalId);
    if (known !== undefined) return known;
    const resource = resources.get(logicalId);
    if (!resource) return ''; // the root resource (Fn::GetAtt RootResourceId)
    const parent = resource.Properties.ParentId;
    const parentPath = parent?.Ref ? pathOf(parent.Ref) : '';
    const path = `${parentPath}/${resource.Properties.PathPart}`;
    paths.set(logicalId, path);
    return path;
  };
  for (const logicalId of resources.keys()) pathOf(logicalId);
  return paths;
}

/** Path of a method's resource: `/` for the root. */
export function methodPath(template: CfnTemplate, method: { Properties: any }): string {
  const resourceId = method.Properties.ResourceId;
  if (resourceId?.Ref) return apiResourcePaths(template).get(resourceId.Ref) ?? '?';
  return '/';
}
