/**
 * SDK clients, created once per process. Locally the endpoints point at the
 * emulators; on AWS they are absent and the SDK's defaults apply.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { SQSClient } from '@aws-sdk/client-sqs';
import { config } from '../config/env.ts';
import { tracer } from '../observability.ts';

const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** A client as it is made, for local tooling that adds SDK middleware (the cost model). */
export type ObservedClient =
  | { service: 'dynamodb'; client: DynamoDBClient }
  | { service: 's3'; client: S3Client }
  | { service: 'sfn'; client: SFNClient }
  | { service: 'sqs'; client: SQSClient };

let clientHook: ((observed: ObservedClient) => void) | undefined;

/**
 * Local tooling only (infra/cost/meter.ts through startPlatform): called with every
 * client made from now on. Deployed functions never set it, so their clients are
 * exactly as built below.
 */
export function setClientHook(hook: ((observed: ObservedClient) => void) | undefined): void {
  clientHook = hook;
  resetClients();
}

let documentClient: DynamoDBDocumentClient | undefined;

export function dynamo(): DynamoDBDocumentClient {
  if (!documentClient) {
    const { region, dynamodbEndpoint } = config();
    const client = new DynamoDBClient({
      region,
      ...(dynamodbEndpoint ? { endpoint: dynamodbEndpoint, credentials: localCredentials } : {}),
    });
    clientHook?.({ service: 'dynamodb', client });
    documentClient = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(client), {
      marshallOptions: { removeUndefinedValues: true },
    });
  }
  return documentClient;
}

/** Options for other SDK clients built lazily by the capabilities that need them. */
export function clientOptions(endpoint: string | undefined): {
  region: string;
  endpoint?: string;
  credentials?: typeof localCredentials;
  forcePathStyle?: boolean;
} {
  const { region } = config();
  return endpoint
    ? { region, endpoint, credentials: localCredentials, forcePathStyle: true }
    : { region };
}

let sfn: SFNClient | undefined;

export function stepFunctions(): SFNClient {
  if (!sfn) {
    const client = new SFNClient(clientOptions(config().stepFunctionsEndpoint));
    clientHook?.({ service: 'sfn', client });
    sfn = tracer.captureAWSv3Client(client);
  }
  return sfn;
}

let s3: S3Client | undefined;

export function s3Client(): S3Client {
  if (!s3) {
    const client = new S3Client(clientOptions(config().s3Endpoint));
    clientHook?.({ service: 's3', client });
    s3 = tracer.captureAWSv3Client(client);
  }
  return s3;
}

let apiGatewayClient: APIGatewayClient | undefined;

/** The API Gateway control plane (API keys, usage plans, authorizer cache). */
export function apiGateway(): APIGatewayClient {
  apiGatewayClient ??= new APIGatewayClient(clientOptions(config().apiGateway.endpoint));
  return apiGatewayClient;
}

let sqsClient: SQSClient | undefined;

export function sqs(): SQSClient {
  if (!sqsClient) {
    sqsClient = new SQSClient(clientOptions(config().webhooks.sqsEndpoint));
    clientHook?.({ service: 'sqs', client: sqsClient });
  }
  return sqsClient;
}

/** Drop cached clients (tests that switch endpoints). */
export function resetClients(): void {
  documentClient = undefined;
  sfn = undefined;
  s3 = undefined;
  apiGatewayClient = undefined;
  sqsClient = undefined;
}
