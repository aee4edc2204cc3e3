import { describe, expect, it } from 'vitest';
import { analyzeBundle, prepareBundle } from './analyzeBundle';
import { HAND } from './handCase.fixture';
import { computeMetrics } from './metrics';
import { runMethod } from './methods';
import type { EmbeddingBundle } from './types';

function handBundle(withGroupPrompts: boolean): EmbeddingBundle {
  const bundle: EmbeddingBundle = {
    format: 'sage-embeddings/1',
    model: 'hand',
    dim: 2,
    classes: [...HAND.classes],
    templates: [...HAND.templates],
    text: HAND.text,
    images: [
      { id: 'A', class: 'c0', attribute: 'land' },
      { id: 'B', class: 'c1', attribute: 'water' },
    ],
    imageEmbeddings: HAND.images,
  };
  if (withGroupPrompts) {
    bundle.groupPrompts = [
      { class: 'c0', attribute: 'land', prompt: 'c0 on land', embedding: Float32Array.from([0, 1]) },
      { class: 'c1', attribute: 'water', prompt: 'c1 on water', embedding: Float32Array.from([1, 0]) },
    ];
  }
  return bundle;
}

describe('analyzeBundle', () => {
  it('runs a method and its metrics, reusing a prepared analysis', () => {
    const bundle = handBundle(false);
    const first = analyzeBundle(bundle, { method: 'zeroshot', template: 1 });
    expect(Array.from(first.result.predicted)).toEqual([1, 1]);
    expect(first.metrics.accuracy).toBe(0.5);
    const again = analyzeBundle(bundle, { method: 'sage', k: 1, aggregate: 'embedding' }, { prepared: first.prepared });
    expect(again.prepared).toBe(first.prepared);
    expect(again.metrics.accuracy).toBe(1);
    expect(Array.from(again.result.predicted)).toEqual(
      Array.from(runMethod(first.prepared.analysis, { method: 'sage', k: 1, aggregate: 'embedding' }).predicted),
    );
    expect(() =>
      analyzeBundle(handBundle(false), { method: 'ensemble', aggregate: 'score' }, { prepared: first.prepared }),
    ).toThrow(/^prepared:/);
  });

  it('dispatches groupprompt to the bundle prompts (inverted here on purpose: both wrong)', () => {
    const bundle = handBundle(true);
    const r = analyzeBundle(bundle, { method: 'groupprompt' }, { weights: { 'c0/land': 1, 'c1/water': 3 } });
    // A (0.8,0.6): c0 prompt (0,1) → 0.6, c1 prompt (1,0) → 0.8 → c1; B (0.6,0.8) → c0
    expect(Array.from(r.result.predicted)).toEqual([1, 0]);
    expect(r.metrics).toEqual(computeMetrics(bundle.images, bundle.classes, [1, 0], { 'c0/land': 1, 'c1/water': 3 }));
    expect(() => analyzeBundle(handBundle(false), { method: 'groupprompt' })).toThrow(
      /^groupPrompts: the bundle has no group prompts/,
    );
  });

  it('honours a template subset', () => {
    const prepared = prepareBundle(handBundle(false), [1]);
    expect(Array.from(prepared.analysis.pool)).toEqual([1]);
  });
});
