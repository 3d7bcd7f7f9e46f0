import { tokenSigner } from '../../shared/auth/signer.ts';
import { httpHandler, ok } from '../../shared/http/handler.ts';

export const handler = httpHandler({}, async () => {
  const { jwk } = await tokenSigner().publicKey();
  return ok({ keys: [jwk] }, { 'Cache-Control': 'public, max-age=300' });
});
