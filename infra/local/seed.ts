/**
 * Demo data for an empty local platform, written through the API itself:
 * the sample schemes of the domain brief with their standards, cities in the
 * three campaign rounds, enterprises, declarations and a few bureau clients.
 */
import { creditCodeCheckCharacter } from '../../shared/domain/credit-code.ts';
import type { ApiClient } from './api-client.ts';

/** A valid credit code registered in `division`, numbered `serial`. */
export function demoCreditCode(division: string, serial: number): string {
  const first17 = `91${division}MA${String(serial).padStart(7, '0')}`;
  const check = creditCodeCheckCharacter(first17);
  if (!check) throw new Error(`cannot make a credit code from ${first17}`);
  return first17 + check;
}

const standards = [
  {
    number: 'GB 30255-2019',
    title: '室内照明用LED产品能效限定值及能效等级',
    titleEn: 'Minimum allowable values of energy efficiency and energy efficiency grades for indoor LED lighting products',
    aliases: ['LED筒灯', 'LED downlight'],
    org: 'SAC',
    kind: 'domestic',
  },
  {
    number: 'EU 2019/2020',
    title: '欧盟光源与独立控制装置生态设计法规',
    titleEn: 'Ecodesign requirements for light sources and separate control gears',
    aliases: ['照明生态设计', 'ecodesign lighting'],
    org: 'EU',
    kind: 'foreign',
  },
  {
    number: 'GB 21455-2019',
    title: '房间空气调节器能效限定值及能效等级',
    titleEn: 'Minimum allowable values of the energy efficiency and energy efficiency grades for room air conditioners',
    aliases: ['空调', '房间空调器'],
    org: 'SAC',
    kind: 'domestic',
  },
  {
    number: 'ISO 16358-1:2013',
    title: '风冷空调器和热泵 季节性能系数的测试和计算方法 第1部分：制冷季节性能系数',
    titleEn: 'Air-cooled air conditioners and air-to-air heat pumps — Testing and calculating methods for seasonal performance factors — Part 1: Cooling seasonal performance factor',
    aliases: ['空调', '空气调节器', 'heat pumps', 'air conditioner'],
    org: 'ISO',
    kind: 'international',
    adoption: { number: 'GB/T 40363.1-2021', degree: 'MOD' },
  },
  {
    number: 'JIS C 9612:2013',
    title: '房间空调器',
    titleEn: 'Room air conditioners',
    aliases: ['空调', 'room air conditioner'],
    org: 'JIS',
    kind: 'foreign',
  },
  {
    number: 'GB 31701-2015',
    title: '婴幼儿及儿童纺织产品安全技术规范',
    titleEn: 'Safety technical code for infants and children textile products',
    aliases: ['婴幼儿纺织品', 'infant textiles'],
    org: 'SAC',
    kind: 'domestic',
  },
  {
    number: 'OEKO-TEX STANDARD 100',
    title: 'OEKO-TEX 生态纺织品标准100',
    titleEn: 'OEKO-TEX STANDARD 100',
    aliases: ['生态纺织品', 'eco textiles'],
    org: 'OEKO-TEX',
    kind: 'foreign',
  },
] as const;

const schemes = [
  {
    name: 'LED筒灯（≤5W）对标技术方案',
    productCategory: 'LED筒灯',
    industry: '照明电器',
    field: 'consumer',
    indicators: [
      {
        code: 'efficacy',
        name: '光效',
        unit: 'lm/W',
        requirement: 'min',
        core: true,
        weight: 2,
        benchmarks: [{ standard: 'GB 30255-2019', value: 95 }],
      },
      {
        code: 'pstlm',
        name: '闪烁 PstLM',
        requirement: 'max',
        core: true,
        benchmarks: [{ standard: 'EU 2019/2020', value: 1.0 }],
      },
      {
        code: 'svm',
        name: '频闪效应 SVM',
        requirement: 'max',
        benchmarks: [{ standard: 'EU 2019/2020', value: 0.4 }],
      },
    ],
  },
  {
    name: '房间空气调节器（≤4.5kW）对标技术方案',
    productCategory: '房间空气调节器',
    industry: '家用电器',
    field: 'equipment',
    indicators: [
      {
        code: 'apf',
        name: '全年能源消耗效率 APF',
        requirement: 'min',
        core: true,
        benchmarks: [
          { standard: 'ISO 16358-1:2013', value: 4.5 },
          { standard: 'JIS C 9612:2013', value: 5.0 },
        ],
      },
    ],
  },
  {
    name: '婴幼儿纺织品（A类）对标技术方案',
    productCategory: '婴幼儿纺织品',
    industry: '纺织服装',
    field: 'consumer',
    leaderShare: 0.2,
    indicators: [
      { code: 'lead', name: '可萃取重金属 铅', unit: 'mg/kg', requirement: 'max', core: true, benchmarks: [{ standard: 'OEKO-TEX STANDARD 100', value: 90 }] },
      { code: 'cadmium', name: '可萃取重金属 镉', unit: 'mg/kg', requirement: 'max', core: true, benchmarks: [{ standard: 'OEKO-TEX STANDARD 100', value: 40 }] },
      { code: 'phthalates', name: '六种邻苯二甲酸酯', unit: '%', requirement: 'max', benchmarks: [{ standard: 'OEKO-TEX STANDARD 100', value: 0.1 }] },
      { code: 'ph', name: 'pH值', unit: 'pH', requirement: 'range', core: true, benchmarks: [{ standard: 'OEKO-TEX STANDARD 100', value: [4.0, 7.5] }] },
    ],
  },
];

const cities = [
  { divisionCode: '330100', name: '杭州市', round: 1 },
  { divisionCode: '320500', name: '苏州市', round: 1 },
  { divisionCode: '440300', name: '深圳市', round: 1 },
  { divisionCode: '350100', name: '福州市', round: 2 },
  { divisionCode: '370200', name: '青岛市', round: 2 },
  { divisionCode: '510100', name: '成都市', round: 3 },
  { divisionCode: '420100', name: '武汉市', round: 3 },
];

export interface SeedSummary {
  standards: number;
  schemes: { id: string; name: string }[];
  enterprises: number;
  declarations: number;
  clients: { clientId: string; clientSecret: string; role: string; territory: string }[];
}

export async function seedDemoData(api: ApiClient): Promise<SeedSummary> {
  for (const standard of standards) await api.call('POST', '/v1/standards', standard);
  const created: { id: string; name: string }[] = [];
  for (const scheme of schemes) created.push(await api.call('POST', '/v1/schemes', scheme));
  for (const city of cities) await api.call('POST', '/v1/cities', city);
  const [led, aircon, textiles] = created as unknown as [{ id: string }, { id: string }, { id: string }];

  const enterprises = [
    { creditCode: '91350100M000100Y43', name: '福州示范纺织有限公司', divisionCode: '350102', industry: '纺织服装', tags: ['hidden_champion'] },
    { creditCode: demoCreditCode('330106', 1), name: '杭州明光照明科技有限公司', divisionCode: '330106', industry: '照明电器', tags: ['gazelle'] },
    { creditCode: demoCreditCode('330108', 2), name: '杭州滨江智能家电有限公司', divisionCode: '330108', industry: '家用电器', tags: [] },
    { creditCode: demoCreditCode('320505', 3), name: '苏州高新空调设备有限公司', divisionCode: '320505', industry: '家用电器', tags: ['single_champion'] },
    { creditCode: demoCreditCode('440305', 4), name: '深圳南山光电股份有限公司', divisionCode: '440305', industry: '照明电器', tags: ['unicorn'] },
    { creditCode: demoCreditCode('330106', 5), name: '杭州西湖母婴用品有限公司', divisionCode: '330106', industry: '纺织服装', tags: [] },
  ];
  for (const enterprise of enterprises) await api.call('POST', '/v1/enterprises', enterprise);
  const code = (i: number) => enterprises[i]!.creditCode;

  const declarations = [
    {
      creditCode: code(0),
      schemeId: textiles.id,
      product: '婴儿连体衣',
      standardNumber: 'Q/FZSF 001-2024',
      indicators: [
        { code: 'lead', value: 90 },
        { code: 'cadmium', value: 100 },
        { code: 'phthalates', value: 0.1 },
        { code: 'ph', value: [4.0, 7.5] },
      ],
    },
    {
      creditCode: code(5),
      schemeId: textiles.id,
      product: '婴儿睡袋',
      standardNumber: 'T/CNTAC 55-2020',
      indicators: [
        { code: 'lead', value: 0.05, unit: 'g/kg' },
        { code: 'cadmium', value: 30 },
        { code: 'phthalates', value: 500, unit: 'mg/kg' },
        { code: 'ph', value: [4.5, 7.0] },
      ],
    },
    {
      creditCode: code(1),
      schemeId: led.id,
      product: 'LED筒灯 3W',
      standardNumber: 'Q/HZMG 002-2023',
      indicators: [
        { code: 'efficacy', value: 105 },
        { code: 'pstlm', value: 0.8 },
        { code: 'svm', value: 0.4 },
      ],
    },
    {
      creditCode: code(4),
      schemeId: led.id,
      product: 'LED筒灯 5W',
      standardNumber: 'Q/SZNS 010-2022',
      indicators: [
        { code: 'efficacy', value: 92 },
        { code: 'pstlm', value: 1.0 },
      ],
    },
    {
      creditCode: code(2),
      schemeId: aircon.id,
      product: '变频挂壁式空调 KFR-35GW',
      standardNumber: 'GB 21455-2019',
      indicators: [{ code: 'apf', value: 5.3 }],
    },
    {
      creditCode: code(3),
      schemeId: aircon.id,
      product: '定频空调 KFR-26GW',
      standardNumber: 'T/CAS 115-2005',
      indicators: [{ code: 'apf', value: 4.6 }],
    },
  ];
  for (const declaration of declarations) await api.call('POST', '/v1/declarations', declaration);

  // Information services: the directory and a public notice (search indexes them from the stream).
  await api.call('POST', '/v1/experts', {
    name: '陈立新', fields: ['家用电器', '制冷空调'], divisionCode: '330100', schemeIds: [aircon.id],
  });
  await api.call('POST', '/v1/institutions', {
    name: '国家家用电器质量检验检测中心', fields: ['家用电器', '能效检测'], divisionCode: '110000', schemeIds: [aircon.id],
  });
  const notice = await api.call<{ id: string }>('POST', '/v1/notices', {
    title: '关于开展百城千业万企对标达标提升专项行动的通知',
    body: '各有关单位：\n请按对标技术方案组织企业开展对标，并在平台提交对标结果。',
    audience: {},
    public: true,
  });
  await api.call('POST', `/v1/notices/${notice.id}/publish`);

  const clients: SeedSummary['clients'] = [];
  for (const client of [
    { name: '浙江省市场监督管理局', role: 'province', territory: '330000' },
    { name: '杭州市市场监督管理局', role: 'city', territory: '330100' },
    { name: '江苏省市场监督管理局', role: 'province', territory: '320000' },
    { name: enterprises[1]!.name, role: 'enterprise', territory: code(1) },
  ]) {
    const registered = await api.call<{ clientId: string; clientSecret: string }>('POST', '/v1/clients', client);
    clients.push({ clientId: registered.clientId, clientSecret: registered.clientSecret, role: client.role, territory: client.territory });
  }
  return {
    standards: standards.length,
    schemes: created.map(({ id, name }) => ({ id, name })),
    enterprises: enterprises.length,
    declarations: declarations.length,
    clients,
  };
}
