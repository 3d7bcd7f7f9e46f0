import * as z from 'zod';
import { DivisionCode, Id, ListQuery, Role, Text } from './common.ts';

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

export const ClientParams = z.object({ id: Id.meta({ description: 'The client id' }) });

export const ListClientsQuery = ListQuery.extend({
  divisionCode: DivisionCode.optional().meta({ description: 'Only clients within this division' }),
});
