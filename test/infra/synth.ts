/**
 * Synthesizes one stage of the real app into a temp directory: call once per
 * stage in a file's beforeAll. Bundling every function with esbuild is the slow
 * part and changes nothing in the templates but asset hashes, so it is skipped
 * unless asked for (`aws:cdk:bundling-stacks` = []: NodejsFunction then points
 * at its source directory instead of a bundle). compliance.test.ts bundles,
 * both stages into one directory so that the second reuses the bundles.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CfnResource, NestedStack, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { IConstruct } from 'constructs';
import type { Stage } from '../../infra/config/stages.ts';
import { createApp, type PlatformApp } from '../../infra/create-app.ts';

export const SYNTH_TIMEOUT_MS = 300_000;

export interface CfnTemplate {
  Resources: Record<string, { Type: string; Properties: any; DeletionPolicy?: string; UpdateReplacePolicy?: string; DependsOn?: string[] }>;
  Outputs?: Record<string, { Value: unknown }>;
  Parameters?: Record<string, unknown>;
}

/** One stack of the app, top-level or nested, with its own template as deployed. */
export interface StackTemplate {
  stack: Stack;
  json: CfnTemplate;
}

type StackKey = 'stateful' | 'workflows' | 'batches' | 'api' | 'events' | 'monitoring';

export interface Synthesized extends PlatformApp {
  assembly: CloudAssembly;
  outdir: string;
  stateful: PlatformApp['stateful'];
  /** Each top-level stack as one template, its nested stacks' resources merged in (see flatten). */
  templates: Record<StackKey, Template>;
  json: Record<StackKey, CfnTemplate>;
  /** Every stack, nested ones included, each with its own template: for per-stack limits. */
  stacks: StackTemplate[];
  /** validation-report.json of the cloud assembly. */
  validationReport: { pluginReports: { pluginName: string; violations: unknown[] }[] };
  seconds: number;
  cleanup(): void;
}

export interface SynthOptions {
  /** Bundle every function with esbuild (slow); by default bundling is skipped. */
  bundle?: boolean;
  /** Synthesize into this directory (kept by cleanup()) instead of a new temp directory. */
  outdir?: string;
}

export function synthStage(stage: Stage, options: SynthOptions = {}): Synthesized {
  const started = performance.now();
  const outdir = options.outdir ?? mkdtempSync(join(tmpdir(), `infra-${stage}-`));
  const platform = createApp({
    stage,
    outdir,
    context: options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] },
  });
  const assembly = platform.app.synth();
  const read = (stack: Stack): CfnTemplate =>
    JSON.parse(
      readFileSync(
        NestedStack.isNestedStack(stack)
          ? join(assembly.directory, stack.templateFile)
          : assembly.getStackArtifact(stack.artifactId).templateFullPath,
        'utf8',
      ),
    );
  const stacks = platform.app.node
    .findAll()
    .filter((construct): construct is Stack => Stack.isStack(construct))
    .map((stack) => ({ stack, json: read(stack) }));
  const json = {
    stateful: flatten(platform.stateful, read),
    workflows: flatten(platform.workflows, read),
    batches: flatten(platform.batches, read),
    api: flatten(platform.api, read),
    events: flatten(platform.events, read),
    monitoring: flatten(platform.monitoring, read),
  };
  return {
    ...platform,
    assembly,
    outdir,
    json,
    templates: {
      stateful: Template.fromJSON(json.stateful),
      workflows: Template.fromJSON(json.workflows),
      batches: Template.fromJSON(json.batches),
      api: Template.fromJSON(json.api),
      events: Template.fromJSON(json.events),
      monitoring: Template.fromJSON(json.monitoring),
    },
    stacks,
    validationReport: JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')),
    seconds: (performance.now() - started) / 1000,
    cleanup: () => {
      if (!options.outdir) rmSync(outdir, { recursive: true, force: true });
    },
  };
}

/**
 * Both stages with real bundling, into one directory: the second stage's
 * functions have the same bundling options, so it reuses the first's bundles.
 */
export function synthStagesBundled(stages: Stage[]): { synths: Record<Stage, Synthesized>; cleanup(): void } {
  const outdir = mkdtempSync(join(tmpdir(), 'infra-bundled-'));
  const synths = {} as Record<Stage, Synthesized>;
  // Each synthesis writes its own manifest into the shared directory: read everything per stage at once.
  for (const stage of stages) synths[stage] = synthStage(stage, { bundle: true, outdir });
  return { synths, cleanup: () => rmSync(outdir, { recursive: true, force: true }) };
}

/** The nested stacks directly under a stack. */
export function nestedStacksOf(stack: Stack): NestedStack[] {
  return stack.node
    .findAll()
    .filter((construct): construct is NestedStack => NestedStack.isNestedStack(construct) && construct.nestedStackParent === stack);
}

/**
 * A stack's template with its nested stacks' resources in it, as if it were one
 * stack: a nested stack's parameters become the parent's values, and the
 * parent's `Fn::GetAtt [nested, Outputs.X]` becomes what the output X is. So a
 * method's integration points at its function and a function's grants are
 * found beside it, wherever CDK put them. Per-stack limits: Synthesized.stacks.
 */
export function flatten(stack: Stack, read: (stack: Stack) => CfnTemplate): CfnTemplate {
  const template = structuredClone(read(stack));
  for (const nested of nestedStacksOf(stack)) {
    const inner = flatten(nested, read);
    const resourceId = stack.resolve(nested.nestedStackResource!.logicalId) as string;
    const parameters: Record<string, unknown> = template.Resources[resourceId]?.Properties?.Parameters ?? {};
    const fromParameter = (node: Record<string, unknown>) =>
      typeof node.Ref === 'string' && node.Ref in parameters ? parameters[node.Ref] : undefined;
    const outputs = substitute(inner.Outputs ?? {}, fromParameter) as NonNullable<CfnTemplate['Outputs']>;
    delete template.Resources[resourceId];
    const resources = substitute(inner.Resources, fromParameter) as CfnTemplate['Resources'];
    for (const [logicalId, resource] of Object.entries(resources)) {
      if (logicalId in template.Resources) throw new Error(`${logicalId} is in ${stack.stackName} and its nested stack ${nested.node.id}`);
      template.Resources[logicalId] = resource;
    }
    const fromOutput = (node: Record<string, unknown>) => {
      const getAtt = node['Fn::GetAtt'] as [string, string] | undefined;
      if (!getAtt || getAtt[0] !== resourceId || !getAtt[1].startsWith('Outputs.')) return undefined;
      const output = outputs[getAtt[1].slice('Outputs.'.length)];
      if (!output) throw new Error(`No output ${getAtt[1]} in the nested stack ${nested.node.id}`);
      return output.Value;
    };
    template.Resources = substitute(template.Resources, fromOutput) as CfnTemplate['Resources'];
    if (template.Outputs) template.Outputs = substitute(template.Outputs, fromOutput) as CfnTemplate['Outputs'];
    for (const resource of Object.values(template.Resources)) {
      if (!resource.DependsOn) continue;
      resource.DependsOn = resource.DependsOn.filter((id) => id !== resourceId);
      if (resource.DependsOn.length === 0) delete resource.DependsOn;
    }
  }
  return template;
}

/** A copy of a JSON value with each object the replacer answers for replaced (depth first from the top). */
function substitute(value: unknown, replacer: (node: Record<string, unknown>) => unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => substitute(item, replacer));
  if (value && typeof value === 'object') {
    const replaced = replacer(value as Record<string, unknown>);
    if (replaced !== undefined) return replaced;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, replacer)]));
  }
  return value;
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
