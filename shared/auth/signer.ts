/**
 * Token signing keys. On AWS a KMS asymmetric key signs and never leaves KMS;
 * locally a P-256 key kept in DATA_DIR. Both produce ES256 JWS signatures and
 * publish the public key as a JWK.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { derToJose } from 'ecdsa-sig-formatter';
import { calculateJwkThumbprint, CompactSign, type JWK } from 'jose';
import { clientOptions } from '../aws/clients.ts';
import { config } from '../config/env.ts';
import { tracer } from '../observability.ts';

export interface TokenSigner {
  /** A compact JWS of the payload with the protected header (alg and kid added). */
  sign(payload: Uint8Array, header: Record<string, unknown>): Promise<string>;
  publicKey(): Promise<{ key: KeyObject; jwk: JWK & { kid: string } }>;
}

async function toPublicJwk(key: KeyObject) {
  const jwk = key.export({ format: 'jwk' }) as JWK;
  const kid = await calculateJwkThumbprint(jwk);
  return { key, jwk: { ...jwk, kid, alg: 'ES256', use: 'sig' } };
}

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');

class LocalSigner implements TokenSigner {
  private readonly privateKey: KeyObject;
  private readonly published: ReturnType<typeof toPublicJwk>;

  constructor(file: string) {
    this.privateKey = createPrivateKey(readFileSync(file));
    this.published = toPublicJwk(createPublicKey(this.privateKey));
  }

  async sign(payload: Uint8Array, header: Record<string, unknown>): Promise<string> {
    const { jwk } = await this.published;
    return new CompactSign(payload)
      .setProtectedHeader({ ...header, alg: 'ES256', kid: jwk.kid })
      .sign(this.privateKey);
  }

  publicKey() {
    return this.published;
  }
}

class KmsSigner implements TokenSigner {
  private readonly kms = tracer.captureAWSv3Client(new KMSClient(clientOptions(undefined)));
  private published?: ReturnType<typeof toPublicJwk>;

  constructor(private readonly keyId: string) {}

  async sign(payload: Uint8Array, header: Record<string, unknown>): Promise<string> {
    const { jwk } = await this.publicKey();
    const signingInput = `${b64url(JSON.stringify({ ...header, alg: 'ES256', kid: jwk.kid }))}.${b64url(payload)}`;
    const { Signature } = await this.kms.send(
      new SignCommand({
        KeyId: this.keyId,
        Message: Buffer.from(signingInput),
        MessageType: 'RAW',
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
    );
    if (!Signature) throw new Error('KMS returned no signature');
    // KMS returns a DER signature; JWS wants the raw r||s form.
    return `${signingInput}.${derToJose(Buffer.from(Signature), 'ES256')}`;
  }

  publicKey() {
    this.published ??= this.kms
      .send(new GetPublicKeyCommand({ KeyId: this.keyId }))
      .then(({ PublicKey }) => {
        if (!PublicKey) throw new Error('KMS returned no public key');
        return toPublicJwk(createPublicKey({ key: Buffer.from(PublicKey), format: 'der', type: 'spki' }));
      });
    return this.published;
  }
}

let signer: TokenSigner | undefined;

export function tokenSigner(): TokenSigner {
  if (!signer) {
    const { signingKeyId, localSigningKeyFile } = config();
    signer = signingKeyId ? new KmsSigner(signingKeyId) : new LocalSigner(localSigningKeyFile!);
  }
  return signer;
}

export function resetSigner(): void {
  signer = undefined;
}

/** Creates the local signing key on first start; keeps it across restarts. */
export function ensureLocalSigningKey(file: string): void {
  if (existsSync(file)) return;
  mkdirSync(dirname(file), { recursive: true });
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
}
