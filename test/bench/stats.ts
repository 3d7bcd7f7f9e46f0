/** Small helpers for benchmark figures. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export async function timeEach(count: number, run: (i: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    await run(i);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return samples.sort((a, b) => a - b);
}

export interface Row {
  name: string;
  value: string;
  baselineName: string;
  baseline: string;
  ratio: string;
  target?: string;
}

export function printTable(rows: Row[]): void {
  const header: Row = { name: 'measure', value: 'value', baselineName: 'same-run baseline', baseline: 'baseline', ratio: 'ratio', target: 'target' };
  const all = [header, ...rows];
  const width = (key: keyof Row) => Math.max(...all.map((r) => String(r[key] ?? '').length));
  const keys: (keyof Row)[] = ['name', 'value', 'baselineName', 'baseline', 'ratio', 'target'];
  const line = (r: Row) => `| ${keys.map((k) => String(r[k] ?? '').padEnd(width(k))).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${keys.map((k) => '-'.repeat(width(k) + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

export const ms = (value: number) => `${value.toFixed(3)} ms`;
