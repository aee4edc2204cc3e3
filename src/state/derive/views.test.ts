import { describe, expect, it } from 'vitest';
import { buildAnalysis, computeMetrics, mulberry32, similarityTensor, type ImageRecord } from '../../core';
import { DEFAULT_VIEW } from '../results';
import { compareMethods, imageDetail, methodRow, softmaxScaled, templateTable, type ResultsInput } from './views';

function makeInput(n: number, m: number, c: number, dim: number): ResultsInput {
  const rand = mulberry32(7);
  const images = Float32Array.from({ length: n * dim }, () => rand() - 0.5);
  const text = Float32Array.from({ length: m * c * dim }, () => rand() - 0.5);
  const classes = Array.from({ length: c }, (_, i) => `class${i}`);
  const records: ImageRecord[] = Array.from({ length: n }, (_, i) => ({
    id: `img${i}`,
    class: classes[i % c],
    attribute: i % 3 === 0 ? 'a' : 'b',
  }));
  const analysis = buildAnalysis(similarityTensor({ imageEmbeddings: images, n, textEmbeddings: text, m, c, dim }));
  const groupPrompts = classes.flatMap((cls, ci) =>
    ['a', 'b'].map((attribute, ai) => ({
      class: cls,
      attribute,
      prompt: `${cls} ${attribute}`,
      embedding: text.slice((ci + ai * c) * dim, (ci + ai * c + 1) * dim),
    })),
  );
  return {
    analysis,
    records,
    classes,
    templates: Array.from({ length: m }, (_, t) => `t${t} {}`),
    embeddings: images,
    dim,
    groupPrompts,
  };
}

describe('derived result views', () => {
  const input = makeInput(30, 6, 3, 8);

  it('compares every method; SAGE with K = all equals the ensemble', () => {
    const rows = compareMethods(input, { ...DEFAULT_VIEW, k: 6 });
    expect(rows.map((r) => r.method)).toEqual(['zeroshot', 'ensemble', 'random', 'sage', 'groupprompt']);
    const sage = rows.find((r) => r.method === 'sage');
    const ensemble = rows.find((r) => r.method === 'ensemble');
    expect(Array.from(sage?.result.predicted ?? [])).toEqual(Array.from(ensemble?.result.predicted ?? []));
    expect(rows.find((r) => r.method === 'groupprompt')?.usesAttributes).toBe(true);
    // metrics are the core's for the same predictions
    expect(sage?.metrics.worstGroupAccuracy).toBe(
      computeMetrics(input.records, input.classes, sage?.result.predicted ?? []).worstGroupAccuracy,
    );
  });

  it('memoises: the same K returns the same result object, another K a different one', () => {
    const a = methodRow(input, 'sage', { ...DEFAULT_VIEW, k: 2 });
    const b = methodRow(input, 'sage', { ...DEFAULT_VIEW, k: 2 });
    const c = methodRow(input, 'sage', { ...DEFAULT_VIEW, k: 3 });
    expect(b.result).toBe(a.result);
    expect(c.result).not.toBe(a.result);
    expect(c.result.kSelected).toBe(3);
  });

  it('counts SAGE picks per template: they sum to N × K', () => {
    const sage = methodRow(input, 'sage', { ...DEFAULT_VIEW, k: 2 });
    const table = templateTable(input, sage);
    expect(table.rows.reduce((s, r) => s + r.sagePicks, 0)).toBe(30 * 2);
    expect(table.groups.length).toBe(3); // class0 is always "a", classes 1–2 always "b"
    expect(table.rows[0].groupSeparation.length).toBe(3);
    const top = table.mostPicked[0];
    expect(table.rows.every((r) => r.sagePicks <= table.rows[top].sagePicks)).toBe(true);
  });

  it('explains one image: SAGE picks its highest-separation template at K = 1', () => {
    const rows = compareMethods(input, DEFAULT_VIEW);
    const detail = imageDetail(input, rows, 4);
    expect(detail.sagePicked).toEqual([detail.topTemplates[0].template]);
    for (let i = 1; i < detail.topTemplates.length; i++) {
      expect(detail.topTemplates[i - 1].separation).toBeGreaterThanOrEqual(detail.topTemplates[i].separation);
    }
    for (const m of detail.perMethod) expect(m.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it('softmax uses the logit scale 100', () => {
    const p = softmaxScaled([0.3, 0.29]);
    expect(p[0]).toBeCloseTo(Math.exp(1) / (Math.exp(1) + 1), 6);
  });
});
