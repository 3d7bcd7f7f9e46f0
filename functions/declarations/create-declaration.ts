import { created, httpHandler } from '../../shared/http/handler.ts';
import { presentDeclaration } from '../../shared/http/presenters.ts';
import { CreateDeclarationBody } from '../../shared/schemas/declarations.ts';
import { submitDeclaration } from '../../shared/services/declarations.ts';

export const handler = httpHandler(
  { body: CreateDeclarationBody, roles: ['national', 'province', 'city', 'enterprise'], idempotent: true },
  async ({ body, principal }) => {
    const declaration = await submitDeclaration(principal, body);
    return created(`/v1/declarations/${declaration.id}`, presentDeclaration(declaration), {
      ETag: `"${declaration.version}"`,
    });
  },
);
