import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { dynamo } from '../aws/clients.ts';
import { divisionPrefix, provinceCodes } from '../domain/division-code.ts';
import { byProvince, enterpriseKey } from './keys.ts';
import { type Item, mainTableName, type Page, queryPage, withoutKeys } from './table.ts';

export interface EnterpriseRecord {
  creditCode: string;
  name: string;
  divisionCode: string;
  industry: string;
  tags: string[];
  createdAt: string;
  createdBy: string;
}

export function enterpriseItem(enterprise: EnterpriseRecord): Item {
  return {
    ...enterpriseKey(enterprise.creditCode),
    gsi1pk: byProvince('ENT', enterprise.divisionCode),
    gsi1sk: `${enterprise.divisionCode}#${enterprise.creditCode}`,
    kind: 'enterprise',
    ...enterprise,
  };
}

/** One enterprise per credit code, anywhere: the put of a new one, alone or in a transaction. */
export function newEnterprisePut(enterprise: EnterpriseRecord) {
  return { TableName: mainTableName(), Item: enterpriseItem(enterprise), ConditionExpression: 'attribute_not_exists(pk)' };
}

export async function putEnterprise(enterprise: EnterpriseRecord): Promise<'created' | 'exists'> {
  try {
    await dynamo().send(new PutCommand(newEnterprisePut(enterprise)));
    return 'created';
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return 'exists';
    throw error;
  }
}

export async function getEnterprise(creditCode: string): Promise<EnterpriseRecord | undefined> {
  const { Item: item } = await dynamo().send(
    new GetCommand({ TableName: mainTableName(), Key: enterpriseKey(creditCode) }),
  );
  return item ? withoutKeys<EnterpriseRecord>(item) : undefined;
}

/** `division` null: all provinces, one shard after the other. */
export async function listEnterprises(options: {
  division: string | null;
  industry?: string;
  limit: number;
  cursor?: string;
}): Promise<Page<EnterpriseRecord>> {
  const partitions = options.division
    ? [byProvince('ENT', options.division)]
    : provinceCodes.map((p) => `ENT#P#${p}`);
  const page = await queryPage({
    index: 'gsi1',
    partitions,
    sortKeyPrefix: options.division ? divisionPrefix(options.division) : undefined,
    filter: options.industry
      ? { expression: 'industry = :industry', values: { ':industry': options.industry } }
      : undefined,
    limit: options.limit,
    cursor: options.cursor,
  });
  return { items: page.items.map((item) => withoutKeys<EnterpriseRecord>(item)), nextCursor: page.nextCursor };
}
