import * as z from 'zod/mini';
import { DivisionCode, Id, ListQuery, Role, Text } from './common.ts';

export const CreateClientBody = z
  .strictObject({
    name: Text(100),
    role: Role,
    territory: z._default(z.string().check(z.trim(), z.maxLength(64)), '').register(z.globalRegistry, {
      description:
        'A division code for province and city, a credit code for enterprise, the expert id for expert, empty for national',
    }),
  })
  .register(z.globalRegistry, { id: 'CreateClientRequest' });

export const ClientParams = z.object({ id: Id.check(z.meta({ description: 'The client id' })) });

export const ListClientsQuery = z.extend(ListQuery, {
  divisionCode: z.optional(DivisionCode).register(z.globalRegistry, { description: 'Only clients within this division' }),
});
