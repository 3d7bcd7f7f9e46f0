/** Only for the OpenAPI document (see openapi.ts): no function imports this module. */
import * as z from 'zod';
import { Id, Role } from './common.ts';
import { Timestamp } from './common.docs.ts';

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

export const RotatedSecret = z
  .object({
    clientId: Id,
    clientSecret: z.string().meta({ description: 'The new secret, shown once; the old one and its tokens no longer work' }),
  })
  .meta({ id: 'RotatedSecret' });

/** POST /oauth2/token reads its form itself (functions/auth/issue-token.ts); this documents it. */
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
