/**
 * Creates the first national client in a deployed stage (every other client is
 * created through the API from it), with its API key in the stage's usage
 * plan. Run with AWS credentials for the account:
 *
 *   TABLE_NAME=<MainTableName output> USAGE_PLAN_NAME=<UsagePlanName output> \
 *     npm run create-national-client -- [--client-id national-admin]
 *
 * Prints the secret once; only its salted hash is stored.
 */
import { parseArgs } from 'node:util';
import { AppError } from '../../shared/http/errors.ts';
import { registerClient } from '../../shared/services/clients.ts';

const { values } = parseArgs({ options: { 'client-id': { type: 'string', default: 'national-admin' } } });
if (!process.env.TABLE_NAME || !process.env.USAGE_PLAN_NAME) {
  console.error('Set TABLE_NAME and USAGE_PLAN_NAME to the MainTableName and UsagePlanName outputs of the deployed stacks.');
  process.exit(2);
}
// Only the table and the usage plan are used here; the token settings belong to the deployed functions.
process.env.IDEMPOTENCY_TABLE_NAME ??= 'unused';
process.env.TOKEN_ISSUER ??= 'unused';
process.env.TOKEN_AUDIENCE ??= 'unused';
process.env.SIGNING_KEY_ID ??= 'unused';

const clientId = values['client-id']!;
try {
  const { secret } = await registerClient(
    { clientId: 'deployer', role: 'national', territory: '' },
    { clientId, name: '国家级管理员 National administrator', role: 'national', territory: '' },
  );
  console.log(`client_id     ${clientId}\nclient_secret ${secret}\n(shown once: store it in your secrets manager)`);
} catch (error) {
  if (!(error instanceof AppError && error.slug === 'duplicate')) throw error;
  console.error(`Client ${clientId} already exists; choose another --client-id.`);
  process.exit(1);
}
