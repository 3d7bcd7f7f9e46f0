import { NestedStack, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizerHandler, routes } from '../../shared/http/routes.ts';
import { stages, type Stage } from '../../infra/config/stages.ts';
import { flattenReference } from '../../infra/nag.ts';
import { MAX_ROUTES_PER_NESTED_STACK, routeStackName } from '../../infra/stacks/api-stack.ts';
import { CLIENT_KEY_HANDLERS } from '../../infra/stacks/client-keys.ts';
import { type CfnTemplate, methodPath, resourcesOf, SYNTH_TIMEOUT_MS, type Synthesized, synthStage } from './synth.ts';

/**
 * Resources any one stack (nested or not) may hold here: CloudFormation stops
 * at 500, and this leaves room to notice growth before a deployment fails.
 */
const STACK_RESOURCE_BUDGET = 450;

const ENV_VARS = [
  'STAGE',
  'TABLE_NAME',
  'IDEMPOTENCY_TABLE_NAME',
  'MATERIALS_BUCKET',
  'REPORTS_BUCKET',
  'BATCHES_BUCKET',
  'TOKEN_ISSUER',
  'TOKEN_AUDIENCE',
  'SIGNING_KEY_ID',
  'COMPARISON_STATE_MACHINE_ARN',
];

const READ_ACTIONS = new Set([
  'dynamodb:BatchGetItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
  'dynamodb:GetItem',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:Query',
  'dynamodb:Scan',
]);
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** The method of a route: [logicalId, resource]. */
function methodFor(template: CfnTemplate, method: string, path: string) {
  return resourcesOf(template, 'AWS::ApiGateway::Method').find(
    ([, resource]) => resource.Properties.HttpMethod === method && methodPath(template, resource) === path,
  );
}

/** The Lambda function a method integrates with. */
function functionOf(template: CfnTemplate, method: { Properties: any }) {
  const parts = method.Properties.Integration.Uri['Fn::Join'][1] as unknown[];
  const arn = parts.find((part: any) => part?.['Fn::GetAtt']?.[1] === 'Arn') as { 'Fn::GetAtt': [string, string] };
  const logicalId = arn['Fn::GetAtt'][0];
  return { logicalId, resource: template.Resources[logicalId]! };
}

/** All Allow statements of the policies attached to a function's role. */
function statementsOf(template: CfnTemplate, fn: { Properties: any }) {
  const roleId = fn.Properties.Role['Fn::GetAtt'][0];
  return resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([, policy]) => asArray(policy.Properties.Roles).some((role: any) => role.Ref === roleId))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as any[]);
}

const resourceText = (statement: any) => JSON.stringify(statement.Resource);

describe.each<Stage>(['dev', 'prod'])('API stack (%s)', (stage) => {
  const config = stages[stage];
  let synth: Synthesized;
  let api: CfnTemplate;

  beforeAll(() => {
    synth = synthStage(stage);
    api = synth.json.api;
  }, SYNTH_TIMEOUT_MS);
  afterAll(() => synth?.cleanup());

  it('names the stacks after the stage prefix', () => {
    expect(synth.stateful.stackName).toBe(`${config.prefix}-stateful`);
    expect(synth.api.stackName).toBe(`${config.prefix}-api`);
    expect(synth.api.dependencies).toContain(synth.stateful);
  });

  it('is a regional REST API whose usage identifier keys come from the authorizer', () => {
    synth.templates.api.hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['REGIONAL'] },
      ApiKeySourceType: 'AUTHORIZER',
    });
  });

  it.each(routes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    'has %s with the right authorization and its own function',
    (_, route) => {
      const found = methodFor(api, route.method, route.path);
      expect(found, `${route.method} ${route.path}`).toBeDefined();
      const [, method] = found!;
      expect(method.Properties.Integration.Type).toBe('AWS_PROXY');
      if (route.auth === 'bearer') {
        expect(method.Properties.AuthorizationType).toBe('CUSTOM');
        expect(method.Properties.AuthorizerId).toEqual({ Ref: expect.stringMatching(/^Authorizer/) });
      } else {
        expect(method.Properties.AuthorizationType).toBe('NONE');
        expect(method.Properties.AuthorizerId).toBeUndefined();
      }
      expect(method.Properties.ApiKeyRequired ?? false).toBe(route.auth === 'bearer' && config.api.usagePlanKeyRequired);
      expect(method.Properties.RequestValidatorId).toBeDefined();
      for (const [, name] of route.path.matchAll(/\{(\w+)\}/g)) {
        expect(method.Properties.RequestParameters[`method.request.path.${name}`]).toBe(true);
      }
      const fn = functionOf(api, method).resource;
      expect(fn.Type).toBe('AWS::Lambda::Function');
      expect(fn.Properties.Description).toBe(`${route.method} ${route.path}`);
      if (route.memoryMb) expect(fn.Properties.MemorySize).toBe(route.memoryMb);
    },
  );

  it('has one function per route plus the authorizer, and no other methods', () => {
    const methods = resourcesOf(api, 'AWS::ApiGateway::Method').filter(([, m]) => m.Properties.HttpMethod !== 'OPTIONS');
    expect(methods).toHaveLength(routes.length);
    expect(resourcesOf(api, 'AWS::Lambda::Function')).toHaveLength(routes.length + 1);
    expect(synth.api.authorizerFunction.handlerName).toBe(authorizerHandler);
  });

  it('runs a cached TOKEN authorizer on the Authorization header', () => {
    const authorizers = resourcesOf(api, 'AWS::ApiGateway::Authorizer');
    expect(authorizers).toHaveLength(1);
    const [, authorizer] = authorizers[0]!;
    expect(authorizer.Properties).toMatchObject({
      Type: 'TOKEN',
      IdentitySource: 'method.request.header.Authorization',
      AuthorizerResultTtlInSeconds: config.api.authorizerCacheTtlSeconds,
    });
    expect(config.api.authorizerCacheTtlSeconds).toBeGreaterThan(0);
    const uri = JSON.stringify(authorizer.Properties.AuthorizerUri);
    const authorizerFn = resourcesOf(api, 'AWS::Lambda::Function').find(([, fn]) =>
      fn.Properties.Description?.startsWith('Lambda authorizer'),
    );
    expect(uri).toContain(authorizerFn![0]);
  });

  it('gives every function the Lambda defaults and the shared environment', () => {
    for (const [, fn] of resourcesOf(api, 'AWS::Lambda::Function')) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        Timeout: 10,
        LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
      });
      expect(fn.Properties.MemorySize).toBeGreaterThanOrEqual(512);
      const variables = fn.Properties.Environment.Variables;
      for (const name of ENV_VARS) expect(variables[name], name).toBeDefined();
      expect(variables).toMatchObject({
        STAGE: stage,
        TABLE_NAME: `${config.prefix}-main`,
        IDEMPOTENCY_TABLE_NAME: `${config.prefix}-idempotency`,
        TOKEN_ISSUER: config.token.issuer,
        TOKEN_AUDIENCE: config.token.audience,
        POWERTOOLS_SERVICE_NAME: config.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: config.metricsNamespace,
        POWERTOOLS_LOG_LEVEL: config.logLevel,
      });
      // Source-mapped stack traces cost every cold start their map's parse: dev only.
      expect(variables.NODE_OPTIONS).toBe(stage === 'dev' ? '--enable-source-maps' : undefined);
      expect(variables.SIGNING_KEY_ID).toEqual({ 'Fn::ImportValue': expect.stringContaining('TokenSigningKey') });
      expect(JSON.stringify(variables.SIGNING_KEY_ID)).toContain('Arn');
      const logGroupId = fn.Properties.LoggingConfig.LogGroup.Ref;
      expect(api.Resources[logGroupId]!.Properties.RetentionInDays).toBe(config.logRetention);
      expect(fn.Properties.Role['Fn::GetAtt']).toBeDefined();
    }
  });

  it(`keeps every stack, nested ones included, under ${STACK_RESOURCE_BUDGET} resources and CloudFormation's other template limits`, () => {
    const counts = synth.stacks.map(({ stack, json }) => [stack.node.path, Object.keys(json.Resources).length] as const);
    console.info(`resources (${stage}): ${counts.map(([path, count]) => `${path} ${count}`).join(', ')}`);
    expect(synth.stacks.filter(({ stack }) => stack.nestedStackParent === synth.api).length).toBeGreaterThan(1);
    for (const { stack, json } of synth.stacks) {
      expect(Object.keys(json.Resources).length, stack.node.path).toBeLessThan(STACK_RESOURCE_BUDGET);
      expect(Object.keys(json.Outputs ?? {}).length, stack.node.path).toBeLessThanOrEqual(200);
      expect(Object.keys(json.Parameters ?? {}).length, stack.node.path).toBeLessThanOrEqual(200);
    }
  });

  it('builds route functions in nested stacks by tag, and the API, its methods and the authorizer in the API stack', () => {
    const own = (stack: Stack) => synth.stacks.find((s) => s.stack === stack)!.json;
    const parent = own(synth.api);
    expect(resourcesOf(parent, 'AWS::ApiGateway::Method').filter(([, m]) => m.Properties.HttpMethod !== 'OPTIONS')).toHaveLength(routes.length);
    expect(Stack.of(synth.api.authorizerFunction)).toBe(synth.api);
    const perStack = new Map<Stack, number>();
    for (const route of routes) {
      const stack = Stack.of(synth.api.functions[route.operationId]!);
      perStack.set(stack, (perStack.get(stack) ?? 0) + 1);
      const label = `${route.method} ${route.path}`;
      // Their policy names the usage plan, which depends on the methods (client-keys.ts).
      if (CLIENT_KEY_HANDLERS[route.handler]) {
        expect(stack, label).toBe(synth.api);
        continue;
      }
      expect(NestedStack.isNestedStack(stack), label).toBe(true);
      expect(stack.nestedStackParent, label).toBe(synth.api);
      expect(stack.node.id, label).toMatch(new RegExp(`^${routeStackName(route, 0)}\\d*$`));
    }
    for (const [stack, count] of perStack) {
      if (stack === synth.api) continue;
      expect(count, stack.node.id).toBeLessThanOrEqual(MAX_ROUTES_PER_NESTED_STACK);
      expect(Object.values(own(stack).Resources).filter((r) => r.Type.startsWith('AWS::ApiGateway::')), stack.node.id).toEqual([]);
    }
  });

  it('lets API Gateway invoke each route function for its own method and path on the stage only, by one permission beside the function', () => {
    const permissions = resourcesOf(api, 'AWS::Lambda::Permission');
    // The route functions' and the authorizer's, no test-invoke ones.
    expect(permissions).toHaveLength(routes.length + 1);
    const [restApiId] = resourcesOf(api, 'AWS::ApiGateway::RestApi').map(([id]) => id);
    for (const route of routes) {
      const fn = synth.api.functions[route.operationId]!;
      const stack = Stack.of(fn);
      const fnId = stack.getLogicalId(fn.fn.node.defaultChild as CfnFunction);
      const label = `${route.method} ${route.path}`;
      const mine = permissions.filter(([, p]) => p.Properties.FunctionName['Fn::GetAtt']?.[0] === fnId);
      expect(mine, label).toHaveLength(1);
      const [permissionId, permission] = mine[0]!;
      expect(synth.stacks.find((s) => s.stack === stack)!.json.Resources[permissionId], label).toBeDefined();
      expect(permission.Properties).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' });
      const sourceArn = flattenReference(permission.Properties.SourceArn);
      expect(sourceArn, label).toBe(
        `arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${restApiId}>/${stage}/${route.method}${route.path.replace(/\{\w+\}/g, '*')}`,
      );
    }
  });

  it('grants tables and the key per route, least privilege', () => {
    for (const route of routes) {
      const [, method] = methodFor(api, route.method, route.path)!;
      const statements = statementsOf(api, functionOf(api, method).resource);
      const actions = statements.flatMap((s) => asArray<string>(s.Action));
      const onTable = (table: string) =>
        statements.filter((s) => resourceText(s).includes(`table/${config.prefix}-${table}`)).flatMap((s) => asArray<string>(s.Action));
      const label = `${route.method} ${route.path}`;

      const kms = actions.filter((a) => a.startsWith('kms:'));
      if (route.handler === 'auth/issue-token') expect(kms, label).toEqual(['kms:Sign']);
      else if (route.handler === 'auth/get-jwks') expect(kms, label).toEqual(['kms:GetPublicKey']);
      else expect(kms, label).toEqual([]);

      const main = onTable('main');
      expect(main.length, label).toBeGreaterThan(0);
      const readOnly = route.method === 'GET' || route.handler.startsWith('auth/');
      if (readOnly) expect(main.every((a) => READ_ACTIONS.has(a)), label).toBe(true);
      else expect(main, label).toEqual(expect.arrayContaining(WRITE_ACTIONS));

      const idempotency = onTable('idempotency');
      if (route.idempotent) expect(idempotency, label).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem']));
      else expect(idempotency, label).toEqual([]);

      // Indexes of the Main table are reachable, nothing else in DynamoDB.
      const tableResources = statements.filter((s) => asArray<string>(s.Action).some((a) => a.startsWith('dynamodb:'))).map(resourceText).join(' ');
      expect(tableResources).toContain(`table/${config.prefix}-main/index/*`);
    }
  });

  it('lets the authorizer read public keys and the Main table only', () => {
    const [, authorizerFn] = resourcesOf(api, 'AWS::Lambda::Function').find(([, fn]) =>
      fn.Properties.Description?.startsWith('Lambda authorizer'),
    )!;
    const actions = statementsOf(api, authorizerFn).flatMap((s) => asArray<string>(s.Action));
    expect(actions).toContain('kms:GetPublicKey');
    expect(actions).not.toContain('kms:Sign');
    expect(actions.filter((a) => a.startsWith('dynamodb:')).every((a) => READ_ACTIONS.has(a))).toBe(true);
  });

  it('logs access as JSON, traces, logs errors and throttles the stage', () => {
    const [, apiStage] = resourcesOf(api, 'AWS::ApiGateway::Stage')[0]!;
    expect(apiStage.Properties.StageName).toBe(stage);
    expect(apiStage.Properties.TracingEnabled).toBe(true);
    // $context.error.messageString is a quoted JSON string at runtime.
    const format = JSON.parse(apiStage.Properties.AccessLogSetting.Format.replace('$context.error.messageString', '"x"'));
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
    expect(apiStage.Properties.AccessLogSetting.DestinationArn).toBeDefined();
    expect(apiStage.Properties.MethodSettings).toContainEqual(
      expect.objectContaining({
        HttpMethod: '*',
        ResourcePath: '/*',
        LoggingLevel: 'ERROR',
        DataTraceEnabled: false,
        ThrottlingRateLimit: config.api.throttle.rateLimit,
        ThrottlingBurstLimit: config.api.throttle.burstLimit,
      }),
    );
  });

  it('has a default usage plan with the per-client throttle', () => {
    synth.templates.api.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      Throttle: { RateLimit: config.api.clientThrottle.rateLimit, BurstLimit: config.api.clientThrottle.burstLimit },
      ApiStages: [Match.objectLike({ ApiId: Match.anyValue(), Stage: Match.anyValue() })],
    });
  });

  it('handles the API Gateway CloudWatch role as configured', () => {
    const accounts = resourcesOf(api, 'AWS::ApiGateway::Account');
    expect(accounts).toHaveLength(config.api.manageCloudWatchRole ? 1 : 0);
    if (config.api.manageCloudWatchRole) expect(accounts[0]![1].DeletionPolicy).toBe('Retain');
  });

  it('validates request parameters and bodies', () => {
    synth.templates.api.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
      ValidateRequestParameters: true,
      ValidateRequestBody: true,
    });
  });

  it('answers gateway errors with problem+json in the platform shape', () => {
    const responses = new Map(resourcesOf(api, 'AWS::ApiGateway::GatewayResponse').map(([, r]) => [r.Properties.ResponseType, r.Properties]));
    const expectProblem = (type: string, status: number, slug: string) => {
      const response = responses.get(type);
      expect(response, type).toBeDefined();
      expect(response.StatusCode).toBe(String(status));
      expect(response.ResponseParameters['gatewayresponse.header.Content-Type']).toBe("'application/problem+json'");
      const body = JSON.parse(response.ResponseTemplates['application/json']);
      expect(body).toMatchObject({ type: `/problems/${slug}`, status, title: expect.any(String), detail: expect.any(String) });
      return response;
    };
    const unauthorized = expectProblem('UNAUTHORIZED', 401, 'unauthorized');
    expect(unauthorized.ResponseParameters['gatewayresponse.header.WWW-Authenticate']).toBe("'Bearer'");
    const throttled = expectProblem('THROTTLED', 429, 'too-many-requests');
    expect(throttled.ResponseParameters['gatewayresponse.header.Retry-After']).toBeDefined();
    expectProblem('QUOTA_EXCEEDED', 429, 'too-many-requests');
    expectProblem('ACCESS_DENIED', 403, 'forbidden');
    expectProblem('MISSING_AUTHENTICATION_TOKEN', 404, 'not-found');
    expectProblem('REQUEST_TOO_LARGE', 413, 'payload-too-large');
    expectProblem('UNSUPPORTED_MEDIA_TYPE', 415, 'unsupported-media-type');
    expectProblem('DEFAULT_4XX', 400, 'bad-request');
    expectProblem('DEFAULT_5XX', 500, 'internal-error');
    const timeout = expectProblem('INTEGRATION_TIMEOUT', 504, 'internal-error');
    expect(timeout.ResponseTemplates['application/json']).toContain('$context.requestId');
  });

  it('answers CORS preflight for the configured origins only', () => {
    const options = resourcesOf(api, 'AWS::ApiGateway::Method').filter(([, m]) => m.Properties.HttpMethod === 'OPTIONS');
    if (config.cors.allowedOrigins.length === 0) {
      expect(options).toHaveLength(0);
      return;
    }
    expect(options.length).toBeGreaterThan(0);
    const text = JSON.stringify(options);
    for (const origin of config.cors.allowedOrigins) expect(text).toContain(origin);
    expect(text).toContain('Idempotency-Key');
    expect(text).not.toContain("'*'");
  });

  it('alarms on API errors and latency and on every function', () => {
    const alarms = resourcesOf(api, 'AWS::CloudWatch::Alarm');
    expect(alarms.length).toBe(2 + 2 * (routes.length + 1));
    synth.templates.api.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: '5XXError',
      Threshold: config.alarms.api5xxErrors,
    });
  });

  it('outputs the API, token and docs URLs and the bucket names', () => {
    const outputs = Object.keys(api.Outputs ?? {});
    expect(outputs).toEqual(
      expect.arrayContaining(['ApiUrl', 'TokenUrl', 'DocsUrl', 'MaterialsBucketName', 'ReportsBucketName', 'BatchesBucketName']),
    );
    expect(JSON.stringify(api.Outputs!.TokenUrl!.Value)).toContain('/oauth2/token');
    expect(JSON.stringify(api.Outputs!.DocsUrl!.Value)).toContain('/docs');
  });

  it('synthesizes in reasonable time', () => {
    console.info(`synth ${stage}: ${synth.seconds.toFixed(1)} s`);
    expect(synth.seconds).toBeLessThan(240);
  });
});
