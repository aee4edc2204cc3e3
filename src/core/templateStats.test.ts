import { describe, expect, it } from 'vitest';
import { buildAnalysis } from './analysis';
import { HAND } from './handCase.fixture';
import { runMethod } from './methods';
import { similarityTensor } from './similarityTensor';
import { meanSeparation, selectionFrequency, singleTemplateStats } from './templateStats';

// Hand case (handCase.fixture.ts) with labels: image A is a c0 on "land", image B a c1 on "water".
const RECORDS = [
  { id: 'A', class: 'c0', attribute: 'land' },
  { id: 'B', class: 'c1', attribute: 'water' },
];
const analysis = buildAnalysis(
  similarityTensor({ imageEmbeddings: HAND.images, n: 2, textEmbeddings: HAND.text, m: 2, c: 2, dim: 2 }),
);

describe('templateStats', () => {
  it('averages separation per template, overall and per group', () => {
    // sep: A [0.2, 0.16], B [0.2, 0.4]
    const s = meanSeparation(analysis, RECORDS, HAND.classes);
    expect(s.overall[0]).toBeCloseTo(0.2, 6);
    expect(s.overall[1]).toBeCloseTo(0.28, 6);
    expect(s.groups.map((g) => [g.class, g.attribute, g.n])).toEqual([
      ['c0', 'land', 1],
      ['c1', 'water', 1],
    ]);
    expect(s.groups[0].values[1]).toBeCloseTo(0.16, 6);
    expect(s.groups[1].values[1]).toBeCloseTo(0.4, 6);
  });

  it('scores every template alone', () => {
    // t0 predicts [c0, c1] → both right; t1 predicts [c1, c1] → A wrong
    const stats = singleTemplateStats(analysis, RECORDS, HAND.classes);
    expect(stats.map((s) => [s.template, s.accuracy, s.worstGroupAccuracy])).toEqual([
      [0, 1, 1],
      [1, 0.5, 0],
    ]);
    expect(stats[1].worstGroup.class).toBe('c0');
  });

  it('counts how often SAGE selects each template, per group', () => {
    const k1 = selectionFrequency(
      runMethod(analysis, { method: 'sage', k: 1, aggregate: 'embedding' }),
      RECORDS,
      HAND.classes,
      2,
    );
    expect(k1.overall).toEqual([0.5, 0.5]);
    expect(k1.groups.map((g) => g.values)).toEqual([
      [1, 0],
      [0, 1],
    ]);
    const k2 = selectionFrequency(
      runMethod(analysis, { method: 'sage', k: 2, aggregate: 'embedding' }),
      RECORDS,
      HAND.classes,
      2,
    );
    expect(k2.overall).toEqual([1, 1]);
    expect(() =>
      selectionFrequency(runMethod(analysis, { method: 'ensemble', aggregate: 'score' }), RECORDS, HAND.classes, 2),
    ).toThrow(/^result: ensemble selects no templates/);
  });

  it('checks that records match the analysis', () => {
    expect(() => meanSeparation(analysis, RECORDS.slice(1), HAND.classes)).toThrow(/^images: expected 2 image records/);
  });
});
