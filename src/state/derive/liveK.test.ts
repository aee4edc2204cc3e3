/** What a K change recomputes in the results views: SAGE and random only, with the same numbers as from scratch. */
import { describe, expect, it } from 'vitest';
import {
  accuracyDiscrepancy,
  buildAnalysis,
  computeMetrics,
  mulberry32,
  runMethod,
  similarityTensor,
  type ImageRecord,
} from '../../core';
import { DEFAULT_METHOD_SETTINGS } from '../methodSettings';
import { DEFAULT_VIEW } from '../results';
import {
  attributeMethodTexts,
  compareAll,
  discrepancies,
  methodRow,
  parameterSummary,
  pseudoAttributeGroups,
  type ResultsInput,
} from './views';

/** n images over c classes × 2 attributes, m templates, and every text the §7 methods need. */
function makeInput(n: number, m: number, c: number, dim: number): ResultsInput {
  const rand = mulberry32(5);
  const images = Float32Array.from({ length: n * dim }, () => rand() - 0.5);
  const text = Float32Array.from({ length: m * c * dim }, () => rand() - 0.5);
  const classes = Array.from({ length: c }, (_, i) => `class${i}`);
  const records: ImageRecord[] = Array.from({ length: n }, (_, i) => ({
    id: `img${i}`,
    class: classes[i % c],
    attribute: rand() < 0.7 ? 'land' : 'water',
  }));
  const methodSettings = { ...DEFAULT_METHOD_SETTINGS, groupPromptPattern: 'a photo of a {class} on {attribute}.' };
  const attributeWords = ['land', 'water'];
  const prompts = new Map(
    attributeMethodTexts(classes, attributeWords, methodSettings).map(
      (t) => [t, Float32Array.from({ length: dim }, () => rand() - 0.5)] as const,
    ),
  );
  const groupPrompts = classes.flatMap((cls) =>
    attributeWords.map((attribute) => ({
      class: cls,
      attribute,
      prompt: `a photo of a ${cls} on ${attribute}.`,
      embedding: prompts.get(`a photo of a ${cls} on ${attribute}.`) ?? new Float32Array(dim),
    })),
  );
  return {
    analysis: buildAnalysis(similarityTensor({ imageEmbeddings: images, n, textEmbeddings: text, m, c, dim })),
    records,
    classes,
    templates: Array.from({ length: m }, (_, t) => `t${t} {}`),
    embeddings: images,
    dim,
    groupPrompts,
    prompts,
    attributeKeys: attributeWords,
    attributeWords,
    methodSettings,
  };
}

describe('a K change in the results views', () => {
  const input = makeInput(90, 8, 3, 12);

  it('recomputes SAGE and random only: every other row is the same object, numbers and all', () => {
    const before = compareAll(input, { ...DEFAULT_VIEW, k: 1 });
    const after = compareAll(input, { ...DEFAULT_VIEW, k: 2 });
    // all ten methods run on this input
    expect(after.unavailable).toEqual([]);
    expect(after.rows.map((r) => r.method)).toEqual(before.rows.map((r) => r.method));
    expect(after.rows).toHaveLength(10);
    for (const [i, row] of after.rows.entries()) {
      if (row.method === 'sage' || row.method === 'random') {
        expect(row).not.toBe(before.rows[i]);
        expect(row.result.kSelected).toBe(2);
      } else {
        expect(row).toBe(before.rows[i]);
      }
      // the metrics (grouped once per record list) are the core's for the same predictions
      expect(row.metrics).toEqual(computeMetrics(input.records, input.classes, row.result.predicted));
      expect(discrepancies(input, row)).toEqual(
        accuracyDiscrepancy(input.records, input.classes, row.result.predicted),
      );
    }
    // the row-level notes are memoised with their rows
    const tiestar = after.rows.find((r) => r.method === 'tiestar');
    expect(tiestar && pseudoAttributeGroups(input, tiestar)).toBe(tiestar && pseudoAttributeGroups(input, tiestar));
    expect(tiestar && parameterSummary(input, tiestar)).toMatch(/attribute guessed right/);
  });

  it('SAGE and random at every K equal running the core from scratch on a fresh analysis', () => {
    const fresh = buildAnalysis(input.analysis.tensor);
    for (let k = 1; k <= input.analysis.m; k++) {
      for (const method of ['sage', 'random'] as const) {
        const row = methodRow(input, method, { ...DEFAULT_VIEW, k, seed: 3 });
        const scratch = runMethod(fresh, row.config);
        expect(Array.from(row.result.selected)).toEqual(Array.from(scratch.selected));
        expect(Array.from(row.result.predicted)).toEqual(Array.from(scratch.predicted));
        expect(Array.from(row.result.scores)).toEqual(Array.from(scratch.scores));
      }
    }
  });

  it('keeps the last K results only (memory stays flat however far the slider travels), a recent K instantly', () => {
    const big = makeInput(20, 40, 2, 6);
    const first = methodRow(big, 'sage', { ...DEFAULT_VIEW, k: 1 });
    expect(methodRow(big, 'sage', { ...DEFAULT_VIEW, k: 1 })).toBe(first);
    for (let k = 2; k <= 40; k++) methodRow(big, 'sage', { ...DEFAULT_VIEW, k });
    const recent = methodRow(big, 'sage', { ...DEFAULT_VIEW, k: 39 });
    expect(methodRow(big, 'sage', { ...DEFAULT_VIEW, k: 39 })).toBe(recent);
    // K = 1 was dropped long ago: recomputed, with the same numbers
    const again = methodRow(big, 'sage', { ...DEFAULT_VIEW, k: 1 });
    expect(again).not.toBe(first);
    expect(Array.from(again.result.predicted)).toEqual(Array.from(first.result.predicted));
    expect(again.metrics).toEqual(first.metrics);
  });
});
