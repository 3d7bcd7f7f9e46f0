import { divisionLevel } from '../../shared/domain/division-code.ts';
import { canSeeDivision } from '../../shared/domain/territory.ts';
import { created, httpHandler } from '../../shared/http/handler.ts';
import { duplicate, invalidField } from '../../shared/http/errors.ts';
import { presentCity } from '../../shared/http/presenters.ts';
import { CreateCityBody } from '../../shared/schemas/cities.ts';
import { type CityRecord, putCity } from '../../shared/store/cities.ts';
import { nowIso } from '../../shared/store/table.ts';

export const handler = httpHandler(
  { body: CreateCityBody, roles: ['national', 'province'], idempotent: true },
  async ({ body, principal }) => {
    if (divisionLevel(body.divisionCode) !== 'city') throw invalidField(['divisionCode'], 'not_a_city');
    if (!canSeeDivision(principal, body.divisionCode)) throw invalidField(['divisionCode'], 'not_in_territory');
    const city: CityRecord = { ...body, createdAt: nowIso(), createdBy: principal.clientId };
    if ((await putCity(city)) === 'exists') {
      throw duplicate('detail.duplicate_city', { divisionCode: city.divisionCode });
    }
    return created(`/v1/cities/${city.divisionCode}`, presentCity(city));
  },
);
