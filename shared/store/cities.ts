import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../aws/clients.ts';
import { divisionPrefix } from '../domain/division-code.ts';
import { cityKey } from './keys.ts';
import { mainTableName, type Page, queryPage, withoutKeys } from './table.ts';

export interface CityRecord {
  divisionCode: string;
  name: string;
  round: 1 | 2 | 3;
  createdAt: string;
  createdBy: string;
}

export async function putCity(city: CityRecord): Promise<'created' | 'exists'> {
  try {
    await dynamo().send(
      new PutCommand({
        TableName: mainTableName(),
        Item: { ...cityKey(city.divisionCode), gsi1pk: 'CITY', gsi1sk: city.divisionCode, kind: 'city', ...city },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return 'created';
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return 'exists';
    throw error;
  }
}

export async function listCities(options: {
  division: string | null;
  limit: number;
  cursor?: string;
}): Promise<Page<CityRecord>> {
  const page = await queryPage({
    index: 'gsi1',
    partitions: ['CITY'],
    sortKeyPrefix: options.division ? divisionPrefix(options.division) : undefined,
    limit: options.limit,
    cursor: options.cursor,
  });
  return { items: page.items.map((item) => withoutKeys<CityRecord>(item)), nextCursor: page.nextCursor };
}
