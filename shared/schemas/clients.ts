import * as z from 'zod';
import { DivisionCode, Id, ListQuery, Role, Text, Timestamp } from './common.ts';

export const CreateClientBody = z
  .object({
    name: Text(100),
    role: Role,
    territory: z
      .string()
      .trim()
      .max(64)
      .default('')
      .meta({
        description:
          'A division code for province and city, a credit code for enterprise, the expert id for expert, empty for national',
      }),
  })
  .strict()
  .meta({ id: 'CreateClientRequest' });

export const Client = z
  .object({
    clientId: Id,
    name: z.string(),
    role: Role,
    territory: z.string(),
    createdBy: z.string(),
    createdAt: Timestamp,
  })
  .meta({ id: 'Client' });

export const ClientWithSecret = Client.extend({
  clientSecret: z.string().meta({ description: 'Shown once; store it safely' }),
}).meta({ id: 'ClientWithSecret' });

export const ClientParams = z.object({ id: Id.meta({ description: 'The client id' }) });

export const ListClientsQuery = ListQuery.extend({
  divisionCode: DivisionCode.optional().meta({ description: 'Only clients within this division' }),
});

export const RotatedSecret = z
  .object({
    clientId: Id,
    clientSecret: z.string().meta({ description: 'The new secret, shown once; the old one and its tokens no longer work' }),
  })
  .meta({ id: 'RotatedSecret' });

export const TokenRequest = z
  .object({
    grant_type: z.literal('client_credentials'),
    client_id: z.string().optional(),
    client_secret: z.string().optional(),
  })
  .meta({ id: 'TokenRequest', description: 'application/x-www-form-urlencoded' });

export const TokenResponse = z
  .object({
    access_token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int(),
  })
  .meta({ id: 'TokenResponse' });

export const OAuthError = z
  .object({
    error: z.enum(['invalid_request', 'invalid_client', 'unsupported_grant_type', 'slow_down']),
    error_description: z.string().optional(),
  })
  .meta({ id: 'OAuthError', description: 'RFC 6749 §5.2' });
