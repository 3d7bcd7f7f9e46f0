/**
 * Stateless: the REST API, one function per route and the authorizer, all
 * built from the route table in shared/http/routes.ts. Route functions live in
 * nested stacks (see routeStackName); the API itself stays in this stack.
 */
import { Aws, CfnOutput, Duration, NestedStack, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  ApiKeySourceType,
  AuthorizationType,
  AwsIntegration,
  BasePathMapping,
  DomainName,
  EndpointType,
  IdentitySource,
  type IResource,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RequestValidator,
  ResponseType,
  RestApi,
  SecurityPolicy,
  TokenAuthorizer,
} from 'aws-cdk-lib/aws-apigateway';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { ALARM_PERIOD, countAlarm, functionAlarms } from '../constructs/alarms.ts';
import { type ITable, Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { ARecord, HostedZone, RecordTarget } from 'aws-cdk-lib/aws-route53';
import { ApiGatewayDomain } from 'aws-cdk-lib/aws-route53-targets';
import type { Construct } from 'constructs';
import { authorizerHandler, type Route, routes } from '../../shared/http/routes.ts';
import { translate } from '../../shared/i18n/messages.ts';
import { functionEnvironment } from '../config/function-environment.ts';
import { bucketName, stateMachineArn, tableName, usagePlanName } from '../config/names.ts';
import type { StageConfig } from '../config/stages.ts';
import { NodeFunction } from '../constructs/node-function.ts';
import { CLIENT_KEY_HANDLERS, grantClientKeys } from './client-keys.ts';
import { buckets, idempotencyTable, mainTable } from '../definitions/tables.ts';
import { acknowledge, acknowledgeWildcardResource } from '../nag.ts';
import { comparisonWorkflow } from '../workflows/index.ts';
import { REPORTS_PREFIX } from './workflow-stack.ts';
import { grantMaterialRoute } from './materials.ts';
import { grantSearchRoute } from './search.ts';
import { grantBatchRoute } from './batches.ts';

/** Handlers that start comparison executions (shared/services/comparisons.ts startComparison). */
export const COMPARISON_STARTERS = ['declarations/create-declaration', 'declarations/rerun-comparison'];

export interface ApiStackProps extends StackProps {
  config: StageConfig;
  /** The token-signing key of the stateful stack (its ARN reaches functions as SIGNING_KEY_ID). */
  signingKey: IKey;
  routes?: Route[];
}

/** Headers browsers may send on cross-origin calls. */
const CORS_ALLOW_HEADERS = ['Authorization', 'Content-Type', 'Accept-Language', 'Idempotency-Key', 'If-Match'];

const pascal = (operationId: string) => operationId.charAt(0).toUpperCase() + operationId.slice(1);

const pathParams = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);

/**
 * Route functions one nested stack holds at most. A function brings about eight
 * resources (log group, role, two policies, function, invoke permission, two
 * alarms) and a stack may hold 500: 40 keeps a nested stack near 320.
 */
export const MAX_ROUTES_PER_NESTED_STACK = 40;

/**
 * The nested stack of the `index`-th route (from 0) of a group: `<Group>Routes`, then
 * `<Group>Routes2`... once a group outgrows MAX_ROUTES_PER_NESTED_STACK. The group is
 * the route's `nestedStack` if it names one, else its tag, so adding a route to one
 * tag never moves the functions of another.
 */
export function routeStackName(route: Route, index: number): string {
  const group = (route.nestedStack ?? route.tag)
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
  const chunk = Math.floor(index / MAX_ROUTES_PER_NESTED_STACK);
  return `${group}Routes${chunk === 0 ? '' : chunk + 1}`;
}

/** A problem+json body for a response API Gateway produces itself (no Lambda involved). */
interface GatewayProblem {
  type: ResponseType;
  status: number;
  slug: string;
  detailKey?: string;
  headers?: Record<string, string>;
}

const GATEWAY_PROBLEMS: GatewayProblem[] = [
  { type: ResponseType.UNAUTHORIZED, status: 401, slug: 'unauthorized', detailKey: 'detail.invalid_token', headers: { 'WWW-Authenticate': 'Bearer' } },
  { type: ResponseType.EXPIRED_TOKEN, status: 401, slug: 'unauthorized', detailKey: 'detail.invalid_token', headers: { 'WWW-Authenticate': 'Bearer' } },
  { type: ResponseType.ACCESS_DENIED, status: 403, slug: 'forbidden' },
  { type: ResponseType.INVALID_API_KEY, status: 403, slug: 'forbidden' },
  { type: ResponseType.INVALID_SIGNATURE, status: 403, slug: 'forbidden' },
  { type: ResponseType.WAF_FILTERED, status: 403, slug: 'forbidden' },
  // API Gateway answers an unknown path or method with 403 "Missing Authentication Token".
  { type: ResponseType.MISSING_AUTHENTICATION_TOKEN, status: 404, slug: 'not-found' },
  { type: ResponseType.RESOURCE_NOT_FOUND, status: 404, slug: 'not-found' },
  { type: ResponseType.BAD_REQUEST_PARAMETERS, status: 400, slug: 'bad-request' },
  { type: ResponseType.BAD_REQUEST_BODY, status: 400, slug: 'bad-request' },
  { type: ResponseType.REQUEST_TOO_LARGE, status: 413, slug: 'payload-too-large' },
  { type: ResponseType.UNSUPPORTED_MEDIA_TYPE, status: 415, slug: 'unsupported-media-type', detailKey: 'detail.json_required' },
  { type: ResponseType.THROTTLED, status: 429, slug: 'too-many-requests', headers: { 'Retry-After': '1' } },
  { type: ResponseType.QUOTA_EXCEEDED, status: 429, slug: 'too-many-requests', headers: { 'Retry-After': '60' } },
  { type: ResponseType.DEFAULT_4XX, status: 400, slug: 'bad-request' },
  { type: ResponseType.AUTHORIZER_FAILURE, status: 500, slug: 'internal-error', detailKey: 'detail.internal' },
  { type: ResponseType.AUTHORIZER_CONFIGURATION_ERROR, status: 500, slug: 'internal-error', detailKey: 'detail.internal' },
  { type: ResponseType.API_CONFIGURATION_ERROR, status: 500, slug: 'internal-error', detailKey: 'detail.internal' },
  { type: ResponseType.INTEGRATION_FAILURE, status: 502, slug: 'internal-error', detailKey: 'detail.internal' },
  { type: ResponseType.INTEGRATION_TIMEOUT, status: 504, slug: 'internal-error', detailKey: 'detail.internal' },
  { type: ResponseType.DEFAULT_5XX, status: 500, slug: 'internal-error', detailKey: 'detail.internal' },
];

/** The platform's problem shape; Chinese, the contract's default language. */
export function gatewayProblemBody(problem: GatewayProblem): string {
  const title = translate(problem.slug, 'zh');
  // Only static text and $context.requestId: nothing from the request is echoed.
  const detail = problem.detailKey
    ? translate(problem.detailKey, 'zh', { requestId: '$context.requestId' })
    : title;
  return JSON.stringify({
    type: `/problems/${problem.slug}`,
    title,
    status: problem.status,
    detail,
    requestId: '$context.requestId',
  });
}

export class ApiStack extends Stack {
  readonly api: RestApi;
  readonly functions: Record<string, NodeFunction> = {};
  readonly authorizerFunction: NodeFunction;
  private readonly data: { main: ITable; idempotency: ITable; signingKey: IKey };
  private readonly stageConfig: StageConfig;
  private readonly indexedTables = new Set<ITable>();

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config, signingKey } = props;
    this.stageConfig = config;
    const routeList = props.routes ?? routes;

    // Tables by their deterministic names (see config/names.ts).
    const main = Table.fromTableAttributes(this, 'MainTable', {
      tableName: tableName(config, mainTable.id),
      grantIndexPermissions: mainTable.globalSecondaryIndexes.length > 0,
    });
    const idempotency = Table.fromTableAttributes(this, 'IdempotencyTable', {
      tableName: tableName(config, idempotencyTable.id),
      grantIndexPermissions: idempotencyTable.globalSecondaryIndexes.length > 0,
    });

    this.data = { main, idempotency, signingKey };
    if (mainTable.globalSecondaryIndexes.length > 0) this.indexedTables.add(main);
    if (idempotencyTable.globalSecondaryIndexes.length > 0) this.indexedTables.add(idempotency);

    const environment = functionEnvironment(config, signingKey);

    // The authorizer: verifies the ES256 token with the public key and checks the client still exists.
    this.authorizerFunction = new NodeFunction(this, 'AuthorizerFunction', {
      handler: authorizerHandler,
      config,
      environment,
      description: 'Lambda authorizer: verifies bearer tokens',
    });
    signingKey.grant(this.authorizerFunction.role, 'kms:GetPublicKey');
    this.grantRead(this.authorizerFunction, main);

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });

    const cors = config.cors.allowedOrigins.length > 0;
    this.api = new RestApi(this, 'Api', {
      restApiName: `${config.prefix}-api`,
      description: `Benchmarking platform API (${config.stage})`,
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      // The authorizer returns the client's usage identifier key.
      apiKeySourceType: ApiKeySourceType.AUTHORIZER,
      binaryMediaTypes: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      cloudWatchRole: config.api.manageCloudWatchRole,
      // One setting per account and region, maybe used by other APIs: keep it on deletion.
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: config.stage,
        tracingEnabled: true,
        loggingLevel: MethodLoggingLevel.ERROR,
        // Bodies carry client secrets and tokens: never log them.
        dataTraceEnabled: false,
        throttlingRateLimit: config.api.throttle.rateLimit,
        throttlingBurstLimit: config.api.throttle.burstLimit,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            extendedRequestId: '$context.extendedRequestId',
            requestTime: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            httpMethod: '$context.httpMethod',
            resourcePath: '$context.resourcePath',
            path: '$context.path',
            protocol: '$context.protocol',
            status: '$context.status',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integration.latency',
            integrationStatus: '$context.integration.status',
            principalId: '$context.authorizer.principalId',
            authorizerStatus: '$context.authorizer.status',
            authorizerLatency: '$context.authorizer.latency',
            authorizerError: '$context.authorizer.error',
            apiKeyId: '$context.identity.apiKeyId',
            errorType: '$context.error.responseType',
            errorMessage: '$context.error.messageString',
            xrayTraceId: '$context.xrayTraceId',
          }).replace('"$context.error.messageString"', '$context.error.messageString'), // already a quoted JSON string
        ),
      },
      defaultCorsPreflightOptions: cors
        ? {
            allowOrigins: config.cors.allowedOrigins,
            allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
            allowHeaders: CORS_ALLOW_HEADERS,
            maxAge: Duration.hours(1),
          }
        : undefined,
    });
    if (config.api.manageCloudWatchRole) {
      acknowledge(
        this.api,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        'The account-level API Gateway logging role needs the AWS-managed push policy: API Gateway names and creates the execution log groups itself.',
      );
    }
    acknowledge(
      this.api,
      'AwsSolutions-APIG3',
      'No WAF in front of the API: every route but the public ones needs a bearer token, and throttling is enforced per stage and per client usage plan.',
    );

    // Gateway-generated errors speak the platform's problem+json too.
    const singleOrigin = config.cors.allowedOrigins.length === 1 ? config.cors.allowedOrigins[0] : undefined;
    for (const problem of GATEWAY_PROBLEMS) {
      this.api.addGatewayResponse(`Gateway${problem.type.responseType}`, {
        type: problem.type,
        statusCode: String(problem.status),
        responseHeaders: {
          'Content-Type': "'application/problem+json'",
          'Content-Language': "'zh-CN'",
          ...(singleOrigin ? { 'Access-Control-Allow-Origin': `'${singleOrigin}'` } : {}),
          ...Object.fromEntries(
            Object.entries(problem.headers ?? {}).map(([name, value]) => [name, `'${value}'`]),
          ),
        },
        templates: { 'application/json': gatewayProblemBody(problem) },
      });
    }

    // TOKEN type: functions/auth/authorize.ts takes APIGatewayTokenAuthorizerEvent.
    const authorizer = new TokenAuthorizer(this, 'Authorizer', {
      authorizerName: `${config.prefix}-bearer`,
      handler: this.authorizerFunction.fn,
      identitySource: IdentitySource.header('Authorization'),
      resultsCacheTtl: Duration.seconds(config.api.authorizerCacheTtlSeconds),
    });

    // Path parameters are declared required; bodies are validated by the handlers with zod
    // (the contract wants 422 with errors[] paths, which API Gateway models cannot produce).
    const validator = new RequestValidator(this, 'RequestValidator', {
      restApi: this.api,
      requestValidatorName: 'parameters-and-body',
      validateRequestParameters: true,
      validateRequestBody: true,
    });

    const resourceFor = (path: string): IResource => {
      let resource: IResource = this.api.root;
      for (const part of path.split('/').filter(Boolean)) {
        resource = resource.getResource(part) ?? resource.addResource(part);
      }
      return resource;
    };

    // Route functions live in nested stacks: with about eight resources each, one
    // stack would pass CloudFormation's 500. Methods stay here with the API. Client
    // key handlers stay too: their policy names the usage plan, which depends on the
    // methods, so from a nested stack it would be a dependency cycle (client-keys.ts).
    const nestedStacks = new Map<string, NestedStack>();
    const routesInGroup = new Map<string, number>();
    const scopeOf = (route: Route): Construct => {
      if (CLIENT_KEY_HANDLERS[route.handler]) return this;
      const group = routeStackName(route, 0);
      const index = routesInGroup.get(group) ?? 0;
      routesInGroup.set(group, index + 1);
      const name = routeStackName(route, index);
      let nested = nestedStacks.get(name);
      if (!nested) {
        nested = new NestedStack(this, name, {
          description: `Benchmarking platform ${config.stage}: functions of the ${route.nestedStack ?? route.tag} routes`,
        });
        nestedStacks.set(name, nested);
      }
      return nested;
    };

    for (const route of routeList) {
      const id = pascal(route.operationId);
      const fn = new NodeFunction(scopeOf(route), `${id}Function`, {
        handler: route.handler,
        config,
        environment,
        memoryMb: route.memoryMb,
        description: `${route.method} ${route.path}`,
      });
      this.functions[route.operationId] = fn;
      this.grantFor(route, fn);

      // The invoke permission sits with the function, in its nested stack, rather than
      // with the method (LambdaIntegration's place): one resource per route less here.
      // Scoped to this method and path on the stage, as LambdaIntegration scopes it.
      fn.fn.addPermission('ApiInvoke', {
        principal: new ServicePrincipal('apigateway.amazonaws.com'),
        sourceArn: this.api.arnForExecuteApi(route.method, route.path.replace(/\{\w+\}/g, '*'), config.stage),
      });
      const bearer = route.auth === 'bearer';
      const method = resourceFor(route.path).addMethod(
        route.method,
        // LambdaIntegration without its permission: the proxy integration it builds.
        new AwsIntegration({ proxy: true, service: 'lambda', path: `2015-03-31/functions/${fn.fn.functionArn}/invocations` }),
        {
          operationName: route.operationId,
          authorizationType: bearer ? AuthorizationType.CUSTOM : AuthorizationType.NONE,
          authorizer: bearer ? authorizer : undefined,
          apiKeyRequired: bearer && config.api.usagePlanKeyRequired,
          requestValidator: validator,
          requestParameters: Object.fromEntries(
            pathParams(route.path).map((name) => [`method.request.path.${name}`, true]),
          ),
        },
      );
      if (bearer) {
        acknowledge(
          method,
          'AwsSolutions-COG4',
          'Protected by the Lambda authorizer verifying the platform\'s own ES256 client-credentials tokens; Cognito is not used (per-client pricing and app-client limits, no local equivalent).',
        );
      } else {
        const reason = route.path.startsWith('/v1/public/')
          ? `${route.method} ${route.path} is public by contract (api.md): /v1/public/* serves published information (public notices and threads, accepted results, forerunners) to anyone without a token.`
          : `${route.method} ${route.path} is public by contract (api.md): health, the OpenAPI document and docs, the token endpoint and JWKS must be reachable without a token.`;
        acknowledge(method, 'AwsSolutions-APIG4', reason);
        acknowledge(method, 'AwsSolutions-COG4', reason);
      }
    }

    // Default plan for clients; the authorizer's usage identifier key selects it.
    const usagePlan = this.api.addUsagePlan('DefaultUsagePlan', {
      name: usagePlanName(config),
      description: 'Default per-client throttling',
      throttle: config.api.clientThrottle,
      apiStages: [{ api: this.api, stage: this.api.deploymentStage }],
    });
    // Client handlers give each client an API key in this plan and flush cached authorizer results.
    for (const route of routeList) {
      const capabilities = CLIENT_KEY_HANDLERS[route.handler];
      if (capabilities) grantClientKeys(this.functions[route.operationId]!, capabilities, { api: this.api, usagePlan, stage: config.stage });
    }

    if (config.customDomain) {
      const domain = new DomainName(this, 'CustomDomain', {
        domainName: config.customDomain.domainName,
        certificate: Certificate.fromCertificateArn(this, 'Certificate', config.customDomain.certificateArn),
        endpointType: EndpointType.REGIONAL,
        securityPolicy: SecurityPolicy.TLS_1_2,
      });
      new BasePathMapping(this, 'BasePathMapping', { domainName: domain, restApi: this.api });
      if (config.customDomain.hostedZone) {
        new ARecord(this, 'CustomDomainRecord', {
          zone: HostedZone.fromHostedZoneAttributes(this, 'Zone', config.customDomain.hostedZone),
          recordName: config.customDomain.domainName,
          target: RecordTarget.fromAlias(new ApiGatewayDomain(domain)),
        });
      }
      new CfnOutput(this, 'CustomDomainTarget', { value: domain.domainNameAliasDomainName });
    }

    this.addAlarms(config);

    const base = config.customDomain ? `https://${config.customDomain.domainName}/` : this.api.url;
    new CfnOutput(this, 'ApiUrl', { value: base });
    new CfnOutput(this, 'TokenUrl', { value: `${base}oauth2/token` });
    new CfnOutput(this, 'DocsUrl', { value: `${base}docs` });
    new CfnOutput(this, 'JwksUrl', { value: `${base}.well-known/jwks.json` });
    new CfnOutput(this, 'UsagePlanId', { value: usagePlan.usagePlanId });
    new CfnOutput(this, 'UsagePlanName', { value: usagePlanName(config) });
    for (const bucket of buckets) {
      new CfnOutput(this, `${bucket.id}BucketName`, { value: bucketName(config, bucket.id) });
    }
  }

  /** Least privilege per route: what its handler is known to need, nothing more. */
  private grantFor(route: Route, fn: NodeFunction): void {
    const { main, idempotency, signingKey } = this.data;
    if (route.handler === 'auth/issue-token') {
      signingKey.grant(fn.role, 'kms:Sign');
      this.grantRead(fn, main);
    } else if (route.handler === 'auth/get-jwks') {
      signingKey.grant(fn.role, 'kms:GetPublicKey');
      this.grantRead(fn, main);
    } else if (route.method === 'GET') {
      this.grantRead(fn, main);
    } else {
      this.grantReadWrite(fn, main);
      if (route.idempotent) this.grantReadWrite(fn, idempotency);
    }
    if (COMPARISON_STARTERS.includes(route.handler)) {
      fn.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['states:StartExecution'],
          resources: [stateMachineArn(this.stageConfig, comparisonWorkflow.name)],
        }),
      );
    }
    grantMaterialRoute(fn, route.handler, this.stageConfig);
    grantSearchRoute(fn, route.handler, this.stageConfig);
    grantBatchRoute(fn, route.handler, this.stageConfig);
    if (route.handler === 'comparisons/get-comparison') {
      // Presigned report links are signed with this role; reports the workflow did not
      // render (batch rows', other languages) are rendered on first request
      // (shared/services/reports.ts): Get and Put on reports only.
      const reports = `arn:${Aws.PARTITION}:s3:::${bucketName(this.stageConfig, 'Reports')}/${REPORTS_PREFIX}*`;
      fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject'], resources: [reports] }));
      // Without ListBucket, S3 answers a HeadObject of a report not rendered yet with 403, not 404.
      fn.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [`arn:${Aws.PARTITION}:s3:::${bucketName(this.stageConfig, 'Reports')}`],
          conditions: { StringLike: { 's3:prefix': `${REPORTS_PREFIX}*` } },
        }),
      );
      acknowledgeWildcardResource(
        fn.role,
        reports,
        'Presigned links to comparison reports (comparisons/<comparisonId>/report.<lang>.<ext>) and reports rendered on first request; Get and Put under that prefix of the Reports bucket only.',
      );
    }
  }

  private grantRead(fn: NodeFunction, table: ITable): void {
    table.grantReadData(fn.role);
    this.acknowledgeIndexes(fn, table);
  }

  private grantReadWrite(fn: NodeFunction, table: ITable): void {
    table.grantReadWriteData(fn.role);
    this.acknowledgeIndexes(fn, table);
  }

  /** Table grants include `table/<name>/index/*` when the table has indexes. */
  private acknowledgeIndexes(fn: NodeFunction, table: ITable): void {
    if (!this.indexedTables.has(table)) return;
    acknowledgeWildcardResource(
      fn.role,
      `${table.tableArn}/index/*`,
      "The grant covers this table's own global secondary indexes (table/<name>/index/*), which the list queries use; no other table is reachable.",
    );
  }

  private addAlarms(config: StageConfig): void {
    const stage = this.api.deploymentStage;
    countAlarm(this, 'Api5xxAlarm', config, 'API Gateway 5XX responses', stage.metricServerError({ period: ALARM_PERIOD, statistic: 'Sum' }), config.alarms.api5xxErrors);
    // Sustained, not a spike: three periods above the threshold.
    new Alarm(this, 'ApiLatencyAlarm', {
      alarmDescription: `${config.prefix}: API Gateway p99 latency`,
      metric: stage.metricLatency({ period: ALARM_PERIOD, statistic: 'p99' }),
      threshold: config.alarms.apiLatencyP99Ms,
      evaluationPeriods: 3,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    for (const fn of [this.authorizerFunction, ...Object.values(this.functions)]) functionAlarms(fn, config);
  }
}
