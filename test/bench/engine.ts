/**
 * Comparison engine throughput on one core: verdicts per second (one indicator
 * against its reference benchmark) beside a bare loop doing only the
 * arithmetic of a verdict on the same data, in the same run.
 */
import { compareDeclaration, indicatorVerdict } from '../../shared/domain/comparison.ts';
import type { SchemeIndicator } from '../../shared/domain/scheme.ts';
import type { Row } from './stats.ts';

const N = 2_000_000;

function indicators(): SchemeIndicator[] {
  return [
    { code: 'efficacy', name: 'e', unit: 'lm/W', requirement: 'min', core: true, weight: 1, benchmarks: [{ standard: 'A', value: 95 }, { standard: 'B', value: 90 }] },
    { code: 'cadmium', name: 'c', unit: 'mg/kg', requirement: 'max', core: true, weight: 1, benchmarks: [{ standard: 'A', value: 40 }] },
    { code: 'ph', name: 'p', requirement: 'range', core: false, weight: 1, benchmarks: [{ standard: 'A', value: [4, 7.5] }] },
  ];
}

function timeLoop(run: () => number): { seconds: number; sink: number } {
  const start = process.hrtime.bigint();
  const sink = run();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, sink };
}

export function benchEngine(): Row[] {
  const [minIndicator, maxIndicator] = indicators() as [SchemeIndicator, SchemeIndicator];
  const values = new Float64Array(N);
  for (let i = 0; i < N; i++) values[i] = 60 + ((i * 7919) % 700) / 10;

  // Baseline: only the arithmetic of a min/max verdict with the tolerance.
  const bare = () => {
    let stricter = 0;
    for (let i = 0; i < N; i++) {
      const a = values[i]!;
      const tolerance = 1e-9 * Math.max(Math.abs(a), 95);
      const d = a - 95;
      if (d > tolerance) stricter++;
      else if (d >= -tolerance) stricter += 0;
    }
    return stricter;
  };
  const engine = () => {
    let stricter = 0;
    for (let i = 0; i < N; i++) {
      if (indicatorVerdict(i & 1 ? minIndicator : maxIndicator, values[i]!) === 'stricter') stricter++;
    }
    return stricter;
  };
  // Warm both, then measure the best of three.
  bare();
  engine();
  const best = (run: () => number) => Math.min(...[0, 1, 2].map(() => timeLoop(run).seconds));
  const bareRate = N / best(bare);
  const engineRate = N / best(engine);

  const scheme = { indicators: indicators() };
  const declared = [
    { code: 'efficacy', value: 100, unit: 'lm/W' },
    { code: 'cadmium', value: 30, unit: 'mg/kg' },
    { code: 'ph', value: [4.5, 7] as [number, number] },
  ];
  const declarations = 200_000;
  compareDeclaration(scheme, declared);
  const full = Math.min(
    ...[0, 1, 2].map(() => timeLoop(() => {
      let meets = 0;
      for (let i = 0; i < declarations; i++) if (compareDeclaration(scheme, declared).meets) meets++;
      return meets;
    }).seconds),
  );
  const fmt = (rate: number) => `${(rate / 1e6).toFixed(1)} M/s`;
  return [
    {
      name: 'engine verdicts (reference benchmark)',
      value: fmt(engineRate),
      baselineName: 'bare arithmetic loop',
      baseline: fmt(bareRate),
      ratio: `${(engineRate / bareRate).toFixed(3)}x`,
      target: '>= 0.02x',
    },
    {
      name: 'full declaration results (3 indicators)',
      value: `${(declarations / full / 1e3).toFixed(0)} k/s`,
      baselineName: 'bare arithmetic loop',
      baseline: fmt(bareRate),
      ratio: `${((declarations * 3) / full / bareRate).toFixed(3)}x (per indicator)`,
    },
  ];
}
