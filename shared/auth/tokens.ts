/** Access tokens: ES256 JWTs with the client's role and territory. */
import { errors, jwtVerify } from 'jose';
import { ulid } from 'ulid';
import { config } from '../config/env.ts';
import type { Principal, Role } from '../domain/territory.ts';
import { tokenSigner } from './signer.ts';

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
}

export async function issueAccessToken(client: {
  clientId: string;
  role: Role;
  territory: string;
  credentialVersion?: number;
}): Promise<IssuedToken> {
  const { tokenIssuer, tokenAudience, tokenTtlSeconds } = config();
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: tokenIssuer,
    aud: tokenAudience,
    sub: client.clientId,
    role: client.role,
    territory: client.territory,
    // The client's credential version: a secret rotation revokes older tokens.
    cver: client.credentialVersion ?? 1,
    jti: ulid(),
    iat: now,
    exp: now + tokenTtlSeconds,
  };
  const accessToken = await tokenSigner().sign(new TextEncoder().encode(JSON.stringify(claims)), { typ: 'JWT' });
  return { accessToken, expiresIn: tokenTtlSeconds };
}

export interface VerifiedToken extends Principal {
  credentialVersion: number;
  jti: string;
  issuedAt: number;
  expiresAt: number;
}

export class InvalidTokenError extends Error {}

/** Verifies signature (ES256 only: `alg: none` and HS256 are refused), issuer, audience and expiry. */
export async function verifyAccessToken(token: string): Promise<VerifiedToken> {
  const { tokenIssuer, tokenAudience } = config();
  const { key } = await tokenSigner().publicKey();
  try {
    const { payload } = await jwtVerify(token, key, {
      issuer: tokenIssuer,
      audience: tokenAudience,
      algorithms: ['ES256'],
      requiredClaims: ['sub', 'exp', 'iat', 'jti'],
    });
    if (typeof payload.role !== 'string' || typeof payload.sub !== 'string') {
      throw new InvalidTokenError('token lacks role');
    }
    return {
      clientId: payload.sub,
      role: payload.role as Role,
      territory: typeof payload.territory === 'string' ? payload.territory : '',
      credentialVersion: typeof payload.cver === 'number' ? payload.cver : 1,
      jti: String(payload.jti),
      issuedAt: payload.iat!,
      expiresAt: payload.exp!,
    };
  } catch (error) {
    if (error instanceof errors.JOSEError || error instanceof InvalidTokenError) {
      throw new InvalidTokenError(error.message);
    }
    throw error;
  }
}
