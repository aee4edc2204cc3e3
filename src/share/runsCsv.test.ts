import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { GroupStats, Metrics } from '../core/types';
import { runsCsv, type RunForCsv } from './runsCsv';

const ci = { low: 0.1, high: 0.9 };
const group = (cls: string, attribute: string, correct: number, n: number): GroupStats => ({
  class: cls,
  attribute,
  n,
  correct,
  accuracy: correct / n,
  ci95: ci,
});

function metrics(groups: GroupStats[]): Metrics {
  const n = groups.reduce((s, g) => s + g.n, 0);
  const correct = groups.reduce((s, g) => s + g.correct, 0);
  const worst = groups.reduce((a, b) => (b.accuracy < a.accuracy ? b : a));
  return {
    n,
    correct,
    accuracy: correct / n,
    accuracyCi95: ci,
    worstGroupAccuracy: worst.accuracy,
    worstGroup: worst,
    balancedAccuracy: 0,
    gap: 0,
    harmonicMean: 0,
    groups,
  };
}

const runs: RunForCsv[] = [
  {
    label: 'tiny-clip · fp32',
    finishedAt: '2026-12-01T10:00:00.000Z',
    model: 'local:tiny-clip',
    dtype: 'fp32',
    backend: 'wasm',
    k: 1,
    rows: [
      {
        method: 'zeroshot',
        label: 'Zero-shot',
        metrics: metrics([group('bird', 'land', 3, 4), group('bird', 'water', 1, 4)]),
      },
      {
        method: 'sage',
        label: 'SAGE, K = 1',
        metrics: metrics([group('bird', 'land', 4, 4), group('bird', 'water', 2, 4)]),
      },
    ],
  },
  {
    label: '=HYPERLINK("x")',
    finishedAt: '2026-12-01T10:05:00.000Z',
    model: 'local:tiny-clip',
    dtype: 'q8',
    k: 3,
    rows: [{ method: 'zeroshot', label: 'Zero-shot', metrics: metrics([group('bird', 'land', 2, 4)]) }],
  },
];

describe('runsCsv', () => {
  it('has one row per run, method and group, readable with a plain header parse', () => {
    const csv = runsCsv(runs, '9.9.9');
    const parsed = Papa.parse<Record<string, string>>(csv.trim(), { header: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data).toHaveLength(5);
    expect(parsed.meta.fields?.slice(-5)).toEqual(['app', 'model', 'dtype', 'backend', 'date']);
    expect(parsed.data[1]).toMatchObject({
      run: 'A',
      run_label: 'tiny-clip · fp32',
      method: 'zeroshot',
      k: '1',
      class: 'bird',
      attribute: 'water',
      n: '4',
      correct: '1',
      accuracy: '0.25',
      method_accuracy: '0.5',
      method_worst_group_accuracy: '0.25',
      app: 'SAGE Explorer 9.9.9',
      dtype: 'fp32',
      backend: 'wasm',
      date: '2026-12-01T10:00:00.000Z',
    });
    expect(parsed.data[4]).toMatchObject({ run: 'B', k: '3', dtype: 'q8', backend: '' });
    // a name a spreadsheet would evaluate is kept as text
    expect(parsed.data[4].run_label).toBe('\'=HYPERLINK("x")');
    expect(csv.endsWith('\r\n')).toBe(true);
  });
});
