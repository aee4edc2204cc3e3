import { describe, expect, it } from 'vitest';
import { buildAnalysis, reorderAnalysis } from './analysis';
import { similarityTensor } from './similarityTensor';

const n = 7;
const m = 5;
const c = 3;
const dim = 4;
const text = Float32Array.from({ length: m * c * dim }, (_, i) => Math.sin(i * 1.7 + 0.3));
const rows = Array.from({ length: n }, (_, i) => Array.from({ length: dim }, (_, d) => Math.cos(i * 2.1 + d * 0.9)));

function analysisOf(imageRows: number[][]) {
  return buildAnalysis(
    similarityTensor({ imageEmbeddings: Float32Array.from(imageRows.flat()), n, textEmbeddings: text, m, c, dim }),
  );
}

describe('reorderAnalysis', () => {
  it('equals the analysis built from the images in the new order, random draws included', () => {
    const streamed = [3, 0, 6, 1, 5, 2, 4];
    const analysis = analysisOf(streamed.map((i) => rows[i]));
    // image i of the canonical order sits at position streamed.indexOf(i) of the streamed one
    const order = Int32Array.from(rows.map((_, i) => streamed.indexOf(i)));
    const reordered = reorderAnalysis(analysis, order);
    const reference = analysisOf(rows);
    expect(Array.from(reordered.tensor.values)).toEqual(Array.from(reference.tensor.values));
    expect(Array.from(reordered.separation)).toEqual(Array.from(reference.separation));
    for (const key of ['order', 'scoreSums', 'invNorms'] as const) {
      expect(Array.from(reordered.sage[key])).toEqual(Array.from(reference.sage[key]));
      expect(Array.from(reordered.randomTables(5)[key])).toEqual(Array.from(reference.randomTables(5)[key]));
    }
  });

  it('refuses an order that is not a permutation of the images', () => {
    const analysis = analysisOf(rows);
    expect(() => reorderAnalysis(analysis, Int32Array.from([0, 1, 2, 3, 4, 5, 5]))).toThrow(/not a permutation/);
    expect(() => reorderAnalysis(analysis, Int32Array.from([0, 1]))).toThrow(/expected 7 positions/);
  });
});
