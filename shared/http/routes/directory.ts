/** The directory of experts and third-party technical bodies (资讯查询). */
import { page } from '../../schemas/common.docs.ts';
import { ExpertBody, InstitutionBody, ListMembersQuery, MemberParams } from '../../schemas/directory.ts';
import { Expert, Institution } from '../../schemas/directory.docs.ts';
import { inInformationStack } from './information-stack.ts';
import { json, type Route } from './types.ts';

const memberRoutes = (
  kind: 'expert' | 'institution',
  plural: string,
  schemas: { body: typeof ExpertBody; item: typeof Expert },
  noun: string,
): Route[] => {
  const Name = kind.charAt(0).toUpperCase() + kind.slice(1);
  const Plural = plural.charAt(0).toUpperCase() + plural.slice(1);
  return [
    {
      operationId: `create${Name}`,
      method: 'POST',
      path: `/v1/${plural}`,
      handler: `directory/create-${kind}`,
      auth: 'bearer',
      tag: 'directory',
      summary: `Add ${noun} with fields, region and assigned schemes (national)`,
      request: { body: schemas.body },
      responses: { 201: json('Created', schemas.item) },
      errors: [400, 401, 403, 409, 415, 422],
      idempotent: true,
    },
    {
      operationId: `list${Plural}`,
      method: 'GET',
      path: `/v1/${plural}`,
      handler: `directory/list-${plural}`,
      auth: 'bearer',
      tag: 'directory',
      summary: `${Plural} by assigned scheme, field and division`,
      request: { query: ListMembersQuery },
      responses: { 200: json(`A page of ${plural}`, page(schemas.item, `${Name}Page`)) },
      errors: [401, 422],
    },
    {
      operationId: `get${Name}`,
      method: 'GET',
      path: `/v1/${plural}/{id}`,
      handler: `directory/get-${kind}`,
      auth: 'bearer',
      tag: 'directory',
      summary: `One ${kind}`,
      request: { params: MemberParams },
      responses: { 200: json(`The ${kind}`, schemas.item) },
      errors: [401, 404],
    },
    {
      operationId: `update${Name}`,
      method: 'PUT',
      path: `/v1/${plural}/{id}`,
      handler: `directory/update-${kind}`,
      auth: 'bearer',
      tag: 'directory',
      summary: `Change ${noun}: fields, region, scheme assignments (national, If-Match required)`,
      request: { params: MemberParams, body: schemas.body },
      responses: { 200: json(`The ${kind}`, schemas.item) },
      errors: [400, 401, 403, 404, 412, 415, 422, 428],
      ifMatch: true,
    },
  ];
};

export const directoryRoutes: Route[] = inInformationStack([
  ...memberRoutes('expert', 'experts', { body: ExpertBody, item: Expert }, 'an expert'),
  ...memberRoutes('institution', 'institutions', { body: InstitutionBody, item: Institution }, 'a technical body'),
]);
