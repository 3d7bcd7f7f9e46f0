/**
 * Creates the first national client in a deployed stage (every other client is
 * created through the API from it). Run with AWS credentials for the account:
 *
 *   TABLE_NAME=<MainTableName output> npm run create-national-client -- [--client-id national-admin]
 *
 * Prints the secret once; only its salted hash is stored.
 */
import { parseArgs } from 'node:util';
import { generateSecret, hashSecret } from '../../shared/auth/secrets.ts';
import { putClient } from '../../shared/store/clients.ts';

const { values } = parseArgs({ options: { 'client-id': { type: 'string', default: 'national-admin' } } });
if (!process.env.TABLE_NAME) {
  console.error('Set TABLE_NAME to the MainTableName output of the stateful stack.');
  process.exit(2);
}
// Only the table is used here; the token settings belong to the deployed functions.
process.env.IDEMPOTENCY_TABLE_NAME ??= 'unused';
process.env.TOKEN_ISSUER ??= 'unused';
process.env.TOKEN_AUDIENCE ??= 'unused';
process.env.SIGNING_KEY_ID ??= 'unused';

const clientId = values['client-id']!;
const secret = generateSecret();
const result = await putClient({
  clientId,
  name: '国家级管理员 National administrator',
  role: 'national',
  territory: '',
  divisionCode: '',
  secretHash: await hashSecret(secret),
  createdBy: 'deployer',
  createdAt: new Date().toISOString(),
});
if (result === 'exists') {
  console.error(`Client ${clientId} already exists; choose another --client-id.`);
  process.exit(1);
}
console.log(`client_id     ${clientId}\nclient_secret ${secret}\n(shown once: store it in your secrets manager)`);
