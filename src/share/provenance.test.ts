import { describe, expect, it } from 'vitest';
import type { RuntimeInfo } from '../core/config';
import { BUNDLE_BACKEND, inferredAttributeNote, makeProvenance, provenanceEntries, provenanceLine } from './provenance';

const runtime: RuntimeInfo = {
  backend: 'wasm',
  dtype: 'q8',
  threads: 2,
  modelId: 'local:tiny',
  crossOriginIsolated: true,
  notes: [],
};
const date = new Date('2026-11-23T14:07:55.123Z');

describe('provenance', () => {
  it('prefers what actually ran (runtime) over the configuration', () => {
    const p = makeProvenance({ model: 'Xenova/clip-vit-base-patch32', dtype: 'fp32' }, runtime, date, '1.2.3');
    expect(p).toEqual({
      appVersion: '1.2.3',
      model: 'local:tiny',
      dtype: 'q8',
      backend: 'wasm (2 threads)',
      date: '2026-11-23T14:07:55.123Z',
    });
    expect(provenanceLine(p)).toBe('SAGE Explorer 1.2.3 · local:tiny · q8 · wasm (2 threads) · 2026-11-23 14:07 UTC');
    expect(provenanceEntries(p)[0]).toEqual(['app', 'SAGE Explorer 1.2.3']);
  });

  it('says when results came from a bundle, and keeps the footer on one line', () => {
    const p = makeProvenance({ model: 'my\nmodel', dtype: 'fp16' }, null, date, '1.2.3');
    expect(p.backend).toBe(BUNDLE_BACKEND);
    expect(provenanceLine(p)).toBe(
      'SAGE Explorer 1.2.3 · my model · fp16 · precomputed embeddings · 2026-11-23 14:07 UTC',
    );
  });

  it('says when the attributes are CLIP’s guess, in the chart footer, and only then', () => {
    const config = { model: 'm', dtype: 'fp32' as const };
    const tags = makeProvenance(
      { ...config, inferred: { words: ['water', 'lake'], how: 'tags' } },
      null,
      date,
      '1.2.3',
    );
    expect(tags.attributes).toBe("inferred from CLIP tags for the words water, lake (not the images' own labels)");
    expect(provenanceLine(tags)).toBe(
      "SAGE Explorer 1.2.3 · m · fp32 · precomputed embeddings · 2026-11-23 14:07 UTC · attribute: inferred from CLIP tags for the words water, lake (not the images' own labels)",
    );
    expect(inferredAttributeNote({ words: ['land', 'water'], how: 'argmax' })).toBe(
      "inferred as the closest of the words land, water by CLIP (not the images' own labels)",
    );
    const own = makeProvenance({ ...config, inferred: null }, null, date, '1.2.3');
    expect(own.attributes).toBeUndefined();
    expect(provenanceLine(own)).not.toContain('attribute');
    // the CSV's provenance columns stay the documented five
    expect(provenanceEntries(tags).map(([key]) => key)).toEqual(['app', 'model', 'dtype', 'backend', 'date']);
  });
});
