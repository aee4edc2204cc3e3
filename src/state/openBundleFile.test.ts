import { beforeEach, describe, expect, it } from 'vitest';
import { runMethod, serializeBinaryBundle } from '../core';
import { syntheticBundle } from '../../cli/testBundle.fixture';
import { answerBundleRequest } from '../worker/bundleParse';
import type { parseBundleInWorker } from '../worker/bundleClient';
import { describeBundleProgress, openBundleFile, useBundleLoading, type BundleLoadProgress } from './openBundleFile';
import { openBundle, useResults } from './results';

/** The worker's code, called directly (no Worker in Node). */
const parseHere: typeof parseBundleInWorker = (file, onProgress) =>
  new Promise((resolve, reject) => {
    void answerBundleRequest({ type: 'parseBundle', requestId: 1, file }, (message) => {
      if (message.type === 'bundleProgress') onProgress?.(message);
      else if (message.type === 'bundleParsed') resolve(message.bundle);
      else reject(new Error(message.message));
    });
  });

beforeEach(() => useResults.getState().clear());

describe('openBundleFile', () => {
  it('fills the results in steps that yield to the page, ending where openBundle ends', async () => {
    // 80 templates × 2 classes × 512 dims: ~300 images per step
    const bundle = syntheticBundle({ n: 1000, dim: 512 });
    bundle.templates = Array.from({ length: 80 }, (_, t) => `template ${t} of a {}.`);
    bundle.text = new Float32Array(80 * 2 * 512).map((_, i) => Math.sin(i * 0.37));
    const seen: BundleLoadProgress[] = [];
    const unsubscribe = useBundleLoading.subscribe((s) => s.progress && seen.push(s.progress));
    let yields = 0;
    const outcome = await openBundleFile(new Blob([serializeBinaryBundle(bundle)]), 'big.sage.zip', {
      parse: parseHere,
      yieldToPage: async () => {
        yields++;
        // between steps the store already holds a prefix of the images
        expect(useResults.getState().records.length).toBeGreaterThan(0);
      },
    });
    unsubscribe();
    expect(outcome).toEqual({ ok: true, images: 1000 });
    expect(yields).toBeGreaterThanOrEqual(3);
    expect(seen.map((p) => p.stage)).toEqual(expect.arrayContaining(['reading', 'checking', 'scoring']));
    expect(seen.at(-1)).toEqual({ name: 'big.sage.zip', stage: 'scoring', done: 1000, total: 1000 });
    expect(useBundleLoading.getState().progress).toBeNull();
    const stepped = useResults.getState();
    expect(stepped.source).toEqual({ kind: 'bundle', label: 'big.sage.zip' });
    expect(stepped.analysis?.n).toBe(1000);
    const steppedSage = runMethod(stepped.analysis ?? fail(), { method: 'sage', k: 3, aggregate: 'embedding' });
    openBundle(bundle, { kind: 'bundle', label: 'at once' });
    const whole = useResults.getState();
    expect(whole.records).toEqual(stepped.records);
    expect(runMethod(whole.analysis ?? fail(), { method: 'sage', k: 3, aggregate: 'embedding' })).toEqual(steppedSage);
  });

  it('returns the reader’s sentence prefixed by the file name, and clears the progress', async () => {
    const outcome = await openBundleFile(new Blob(['{"format":"sage-embeddings/1"}']), 'x.json', {
      parse: parseHere,
      yieldToPage: async () => undefined,
    });
    expect(outcome).toEqual({
      ok: false,
      error: 'x.json: this file is not a SAGE embeddings bundle: it has no embedding size (field "dim")',
    });
    expect(useBundleLoading.getState().progress).toBeNull();
  });

  it('words the progress for the drop zone', () => {
    expect(describeBundleProgress({ name: 'a.sage.zip', stage: 'reading', done: 45, total: 100 })).toBe(
      'Reading a.sage.zip… 45%',
    );
  });
});

function fail(): never {
  throw new Error('no analysis');
}
