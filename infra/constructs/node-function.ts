/**
 * The one Lambda construct: every function default lives here (modelled on
 * Powertools' examples/app/cdk/function-with-logstream-construct.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, Validations } from 'aws-cdk-lib';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, type CfnFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BUNDLE_ALIASES, BUNDLE_OPTIONS, ESM_REQUIRE_BANNER } from '../bundling/esbuild.ts';
import { functionNodeOptions, type StageConfig } from '../config/stages.ts';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** `functions/<handler>.ts` for a handler name such as `auth/issue-token`. */
export function handlerEntry(handler: string): string {
  return join(PROJECT_ROOT, 'functions', `${handler}.ts`);
}

export { ESM_REQUIRE_BANNER };

export const DEFAULT_MEMORY_MB = 512;
export const DEFAULT_TIMEOUT_SECONDS = 10;

export interface NodeFunctionProps {
  /** `functions/<handler>.ts`, exporting `handler`. */
  handler: string;
  config: StageConfig;
  /** Variables every function of the stack shares (table and bucket names...). */
  environment?: Record<string, string>;
  memoryMb?: number;
  timeoutSeconds?: number;
  description?: string;
}

export class NodeFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly handlerName: string;

  constructor(scope: Construct, id: string, props: NodeFunctionProps) {
    super(scope, id);
    const { config } = props;
    const entry = handlerEntry(props.handler);
    if (!existsSync(entry)) {
      throw new Error(`Handler file missing: functions/${props.handler}.ts (needed to bundle ${id})`);
    }
    this.handlerName = props.handler;

    // Explicit log group: retention and removal per stage, no log-retention custom resource.
    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });

    // Own role with write access to its own log group only, instead of the
    // AWSLambdaBasicExecutionRole managed policy (logs:* on every group).
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs functions/${props.handler}.ts (${config.stage})`,
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, 'Function', {
      entry,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      // Node 22 on purpose: the same major the project runs locally (package.json `node`).
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memoryMb ?? DEFAULT_MEMORY_MB,
      timeout: Duration.seconds(props.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS),
      description: props.description ?? `functions/${props.handler}.ts`,
      role: this.role,
      logGroup: this.logGroup,
      environment: {
        ...functionNodeOptions(config),
        POWERTOOLS_SERVICE_NAME: config.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: config.metricsNamespace,
        POWERTOOLS_LOG_LEVEL: config.logLevel,
        ...props.environment,
      },
      bundling: {
        // The same options as infra/bundling/esbuild.ts, in NodejsFunction's terms.
        format: OutputFormat.ESM,
        target: BUNDLE_OPTIONS.target,
        mainFields: [...BUNDLE_OPTIONS.mainFields],
        banner: BUNDLE_OPTIONS.banner.js,
        esbuildArgs: Object.fromEntries(Object.entries(BUNDLE_ALIASES).map(([from, to]) => [`--alias:${from}`, to])),
        minify: BUNDLE_OPTIONS.minify,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT, // index.mjs.map next to the bundle
        sourcesContent: false,
        // Ship the SDK versions we test with, not the runtime's.
        bundleAwsSDK: true,
        externalModules: [],
        forceDockerBundling: false,
        logLevel: LogLevel.WARNING,
      },
    });

    // Tracing is switched on at the L1 level so that the X-Ray statement
    // (which needs Resource "*") lives in its own policy, acknowledged alone.
    (this.fn.node.defaultChild as CfnFunction).tracingConfig = { mode: 'Active' };
    const tracing = new Policy(this, 'TracingPolicy', {
      statements: [
        new PolicyStatement({
          actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
          resources: ['*'],
        }),
      ],
    });
    this.role.attachInlinePolicy(tracing);
    this.fn.node.addDependency(tracing);
    Validations.of(tracing).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions; this policy holds only them.',
    });
    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'nodejs22.x is deliberate: the same Node major the project runs and tests on locally.',
    });
  }

  addEnvironment(name: string, value: string): void {
    this.fn.addEnvironment(name, value);
  }
}
