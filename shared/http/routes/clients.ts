/** API clients: registration, lists, deletion and secret rotation. */
import { ClientParams, CreateClientBody, ListClientsQuery } from '../../schemas/clients.ts';
import { Client, ClientWithSecret, RotatedSecret } from '../../schemas/clients.docs.ts';
import { page } from '../../schemas/common.docs.ts';
import { json, type Route } from './types.ts';

export const clientRoutes: Route[] = [
  {
    operationId: 'createClient',
    method: 'POST',
    path: '/v1/clients',
    handler: 'clients/create-client',
    auth: 'bearer',
    tag: 'clients',
    summary: 'Register an API client (the secret is shown once)',
    description:
      'National registers any client; a province city and enterprise clients inside it; a city enterprise clients inside it. The secret is stored only as a salted hash.',
    request: { body: CreateClientBody },
    responses: { 201: json('Created', ClientWithSecret) },
    errors: [400, 401, 403, 409, 415, 422],
    idempotent: true,
  },
  {
    operationId: 'listClients',
    method: 'GET',
    path: '/v1/clients',
    handler: 'clients/list-clients',
    auth: 'bearer',
    tag: 'clients',
    summary: 'Clients in the caller’s territory (national: all)',
    description: 'Never shows secrets or their hashes.',
    request: { query: ListClientsQuery },
    responses: { 200: json('A page of clients', page(Client, 'ClientPage')) },
    errors: [401, 403, 422],
  },
  {
    operationId: 'deleteClient',
    method: 'DELETE',
    path: '/v1/clients/{id}',
    handler: 'clients/delete-client',
    auth: 'bearer',
    tag: 'clients',
    summary: 'Delete a client: its tokens stop working at once',
    description:
      'Who may register a client may delete it. Its API key and webhooks go with it; a client cannot delete itself (409).',
    request: { params: ClientParams },
    responses: { 204: { description: 'Deleted' } },
    errors: [401, 403, 404, 409],
  },
  {
    operationId: 'rotateClientSecret',
    method: 'POST',
    path: '/v1/clients/{id}/secret',
    handler: 'clients/rotate-client-secret',
    auth: 'bearer',
    tag: 'clients',
    summary: 'A new secret (shown once): the old secret and tokens issued with it stop working',
    description: 'A client may rotate its own secret; a bureau or national the secrets of clients it may register.',
    request: { params: ClientParams },
    responses: { 200: json('The new secret', RotatedSecret) },
    errors: [401, 403, 404, 422],
    idempotent: true,
  },
];
