import type { SchemeIndicator } from '../../shared/domain/scheme.ts';

/** Infant textiles class A (domain.md §5): GB 31701 / GB 18401 against OEKO-TEX 100 class I. */
export function infantTextiles(): SchemeIndicator[] {
  return [
    {
      code: 'lead',
      name: '可萃取重金属 铅',
      unit: 'mg/kg',
      requirement: 'max',
      core: true,
      weight: 1,
      benchmarks: [{ standard: 'OEKO-TEX STANDARD 100', value: 90 }],
    },
    {
      code: 'cadmium',
      name: '可萃取重金属 镉',
      unit: 'mg/kg',
      requirement: 'max',
      core: true,
      weight: 1,
      benchmarks: [{ standard: 'OEKO-TEX STANDARD 100', value: 40 }],
    },
    {
      code: 'phthalates',
      name: '六种邻苯二甲酸酯',
      unit: 'w-%',
      requirement: 'max',
      core: false,
      weight: 1,
      benchmarks: [{ standard: 'OEKO-TEX STANDARD 100', value: 0.1 }],
    },
    {
      code: 'ph',
      name: 'pH 值',
      requirement: 'range',
      core: false,
      weight: 1,
      benchmarks: [{ standard: 'OEKO-TEX STANDARD 100', value: [4.0, 7.5] }],
    },
  ];
}

/** LED downlight ≤5 W (domain.md §5): GB 30255-2019 efficacy grade 2, EU 2019/2020 flicker; T/TEST is a made-up stricter benchmark. */
export function ledDownlight(): SchemeIndicator[] {
  return [
    {
      code: 'efficacy',
      name: '光效',
      unit: 'lm/W',
      requirement: 'min',
      core: true,
      weight: 2,
      benchmarks: [
        { standard: 'GB 30255-2019', value: 80 },
        { standard: 'T/TEST 1-2020', value: 95 },
      ],
    },
    {
      code: 'pstlm',
      name: '短期闪烁 PstLM',
      requirement: 'max',
      core: false,
      weight: 1,
      benchmarks: [{ standard: 'EU 2019/2020', value: 1.0 }],
    },
    {
      code: 'svm',
      name: '频闪 SVM',
      requirement: 'max',
      core: false,
      weight: 1,
      benchmarks: [{ standard: 'EU 2019/2020', value: 0.4 }],
    },
    {
      code: 'grade',
      name: '能效等级',
      requirement: 'levels',
      core: false,
      weight: 1,
      levels: ['1', '2', '3'],
      benchmarks: [{ standard: 'GB 30255-2019', value: '1' }],
    },
    {
      code: 'dimmable',
      name: '可调光',
      requirement: 'boolean',
      core: false,
      weight: 1,
      benchmarks: [{ standard: 'T/TEST 1-2020', value: true }],
    },
  ];
}
