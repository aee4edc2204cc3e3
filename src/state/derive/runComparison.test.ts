import { describe, expect, it } from 'vitest';
import type { GroupStats, Metrics, MethodId } from '../../core';
import type { SavedRun } from '../runHistory';
import type { SetupSnapshot } from '../staleness';
import {
  DIFFERENT_IMAGES_NOTE,
  REGROUPED_NOTE,
  bestMarks,
  compareRuns,
  differentKNote,
  groupBreakdown,
  imagesMatch,
} from './runComparison';

const ci = { low: 0, high: 1 };

function group(cls: string, attribute: string, correct: number, n: number): GroupStats {
  return { class: cls, attribute, n, correct, accuracy: n > 0 ? correct / n : NaN, ci95: ci };
}

/** Metrics from per-group counts (WGA = the lowest group accuracy, as core computes it). */
function metrics(groups: GroupStats[]): Metrics {
  const n = groups.reduce((s, g) => s + g.n, 0);
  const correct = groups.reduce((s, g) => s + g.correct, 0);
  const worst = groups.filter((g) => g.n > 0).reduce((a, b) => (b.accuracy < a.accuracy ? b : a));
  return {
    n,
    correct,
    accuracy: correct / n,
    accuracyCi95: ci,
    worstGroupAccuracy: worst.accuracy,
    worstGroup: worst,
    balancedAccuracy: 0,
    gap: correct / n - worst.accuracy,
    harmonicMean: 0,
    groups,
  };
}

const IMAGES = ['a/land/1.jpg\u0000a\u0000land', 'a/water/2.jpg\u0000a\u0000water', 'b/water/3.jpg\u0000b\u0000water'];

function run(
  label: string,
  rows: Partial<Record<MethodId, GroupStats[]>>,
  setup: Partial<SetupSnapshot> = {},
  k = 1,
): SavedRun {
  return {
    id: label,
    label,
    finishedAt: '2026-12-01T10:00:00.000Z',
    setup: { classes: ['a', 'b'], attributes: ['land', 'water'], templates: ['{}'], images: IMAGES, ...setup },
    runtime: null,
    k,
    rows: Object.entries(rows).map(([method, groups]) => ({
      method: method as MethodId,
      label: method,
      metrics: metrics(groups),
    })),
  };
}

const A = run('fp32', {
  zeroshot: [group('a', 'land', 8, 10), group('a', 'water', 3, 10), group('b', 'water', 9, 10)],
  sage: [group('a', 'land', 9, 10), group('a', 'water', 6, 10), group('b', 'water', 9, 10)],
});
const B = run('q8', {
  zeroshot: [group('a', 'land', 8, 10), group('a', 'water', 5, 10), group('b', 'water', 9, 10)],
  sage: [group('a', 'land', 9, 10), group('a', 'water', 6, 10), group('b', 'water', 8, 10)],
});

describe('best marks', () => {
  it('mark the one highest value, or every tied highest, and nothing when all are equal or alone', () => {
    expect(bestMarks([0.3, 0.5, 0.4])).toEqual([null, 'best', null]);
    expect(bestMarks([0.5, 0.5, 0.4])).toEqual(['tied best', 'tied best', null]);
    expect(bestMarks([0.5, 0.5])).toEqual([null, null]);
    expect(bestMarks([0.5, null])).toEqual([null, null]);
    expect(bestMarks([NaN, 0.2, 0.1])).toEqual([null, 'best', null]);
  });
});

describe('compareRuns', () => {
  it('gives each method WGA and accuracy per run, the best WGA marked, and B − A for two runs', () => {
    const data = compareRuns([A, B]);
    expect(data.methods.map((m) => m.method)).toEqual(['zeroshot', 'sage']);
    const [zeroshot, sage] = data.methods;
    expect(zeroshot.cells.map((c) => c?.worstGroupAccuracy)).toEqual([0.3, 0.5]);
    expect(zeroshot.cells.map((c) => c?.mark)).toEqual([null, 'best']);
    expect(zeroshot.cells[1]?.worstGroup).toEqual({ class: 'a', attribute: 'water', n: 10 });
    expect(zeroshot.delta?.worstGroupAccuracy).toBeCloseTo(0.2, 12);
    expect(zeroshot.delta?.accuracy).toBeCloseTo(2 / 30, 12);
    // both 60%: no run is better
    expect(sage.cells.map((c) => c?.mark)).toEqual([null, null]);
    expect(sage.delta?.worstGroupAccuracy).toBe(0);
    expect(zeroshot.label).toBe('Zero-shot (one template)');
    expect(data.notes).toEqual([]);
  });

  it('has no difference column with three runs, and an empty cell for a method a run lacks', () => {
    const C = run('fp16', { zeroshot: [group('a', 'land', 10, 10), group('a', 'water', 4, 10)] });
    const data = compareRuns([A, B, C]);
    expect(data.methods.every((m) => m.delta === null)).toBe(true);
    expect(data.methods[1].cells[2]).toBeNull();
    expect(data.methods[0].cells.map((c) => c?.mark)).toEqual([null, 'best', null]);
  });

  it('says when the runs used different images, or the same images in other groups', () => {
    const other = run('other', { zeroshot: [group('a', 'land', 1, 1)] }, { images: IMAGES.slice(1) });
    expect(imagesMatch([A, other])).toBe('different');
    expect(compareRuns([A, other]).notes).toContain(DIFFERENT_IMAGES_NOTE);
    const retagged = run(
      'retag',
      {},
      { images: [IMAGES[0], IMAGES[1].replace('\u0000water', '\u0000land'), IMAGES[2]] },
    );
    expect(imagesMatch([A, retagged])).toBe('regrouped');
    expect(compareRuns([A, retagged]).notes).toEqual([REGROUPED_NOTE]);
    // an opened bundle lists its ids instead
    const bundle = { ...run('bundle', {}), setup: { classes: ['a', 'b'], attributes: [], templates: [] } };
    expect(imagesMatch([A, { ...bundle, imageIds: ['b/water/3.jpg', 'a/land/1.jpg', 'a/water/2.jpg'] }])).toBe('same');
    expect(imagesMatch([A, { ...bundle, imageIds: ['a/land/1.jpg'] }])).toBe('different');
    expect(imagesMatch([A, bundle])).toBe('different');
    expect(imagesMatch([A, B])).toBe('same');
  });

  it('says when SAGE and random were kept at different K', () => {
    const K3 = run('k3', { sage: [group('a', 'land', 1, 1)] }, {}, 3);
    expect(differentKNote([A, B])).toBeNull();
    expect(differentKNote([A, K3])).toBe(
      'SAGE and random templates use K = 1 in “fp32”, K = 3 in “k3”: their rows compare different K. The K slider recomputes the column of the results on screen; the other runs keep their K.',
    );
    // a run without SAGE or random rows has no K to compare
    expect(differentKNote([run('zs', { zeroshot: [group('a', 'land', 1, 1)] }, {}, 5), A])).toBeNull();
  });
});

describe('groupBreakdown', () => {
  it('lists each group with every run’s accuracy and n, the best marked, and B − A', () => {
    const rows = groupBreakdown([A, B], 'zeroshot');
    expect(rows.map((r) => `${r.class}/${r.attribute}`)).toEqual(['a/land', 'a/water', 'b/water']);
    const water = rows[1];
    expect(water.cells.map((c) => [c?.correct, c?.n, c?.mark])).toEqual([
      [3, 10, null],
      [5, 10, 'best'],
    ]);
    expect(water.delta).toBeCloseTo(0.2, 12);
    expect(rows[0].cells.map((c) => c?.mark)).toEqual([null, null]);
  });

  it('lines groups up by class position when a class string was edited', () => {
    const edited = run(
      'edited',
      { zeroshot: [group('a bird of the land', 'land', 2, 10), group('b', 'water', 9, 10)] },
      { classes: ['a bird of the land', 'b'] },
    );
    const rows = groupBreakdown([A, edited], 'zeroshot');
    expect(rows).toHaveLength(3);
    expect(rows[0].otherClassNames).toEqual(['a bird of the land']);
    expect(rows[0].cells.map((c) => c?.correct)).toEqual([8, 2]);
    expect(rows[1].cells[1]).toBeNull();
    expect(rows[1].delta).toBeNull();
  });
});
