import { beforeEach, describe, expect, it } from 'vitest';
import { runMethod, serializeBinaryBundle } from '../core';
import { kCurve } from '../core/kCurve';
import { templatesAlone } from '../core/templateStats';
import type { PrecomputedBundleAnalysis } from '../worker/bundleAnalysis';
import { projectionOf } from './derive/embeddingProjection';
import { kCurveCached } from './derive/kCurve';
import { templateStats } from './derive/templateStats';
import { syntheticBundle } from '../../cli/testBundle.fixture';
import { answerBundleRequest } from '../worker/bundleParse';
import type { parseBundleInWorker } from '../worker/bundleClient';
import { describeBundleProgress, openBundleFile, useBundleLoading, type BundleLoadProgress } from './openBundleFile';
import { openBundle, useResults } from './results';

/** The worker's code, called directly (no Worker in Node). */
const handedOver: PrecomputedBundleAnalysis[] = [];
const parseHere: typeof parseBundleInWorker = (file, onProgress, analyse) =>
  new Promise((resolve, reject) => {
    void answerBundleRequest({ type: 'parseBundle', requestId: 1, file, analyse }, (message) => {
      if (message.type === 'bundleProgress') onProgress?.(message);
      else if (message.type === 'bundleParsed') {
        if (message.precomputed) handedOver.push(message.precomputed);
        resolve({ bundle: message.bundle, precomputed: message.precomputed });
      } else reject(new Error(message.message));
    });
  });

beforeEach(() => useResults.getState().clear());

describe('openBundleFile', () => {
  it('shows the tables the worker built: the same results as opening the bundle here, nothing recomputed', async () => {
    const bundle = syntheticBundle({ n: 1000, dim: 64 });
    bundle.templates = Array.from({ length: 20 }, (_, t) => `template ${t} of a {}.`);
    bundle.text = new Float32Array(20 * 2 * 64).map((_, i) => Math.sin(i * 0.37));
    useResults.getState().setView({ seed: 3, aggregate: 'score' });
    const seen: BundleLoadProgress[] = [];
    const unsubscribe = useBundleLoading.subscribe((s) => s.progress && seen.push(s.progress));
    const outcome = await openBundleFile(new Blob([serializeBinaryBundle(bundle)]), 'big.sage.zip', {
      parse: parseHere,
    });
    unsubscribe();
    expect(outcome).toEqual({ ok: true, images: 1000 });
    expect(seen.map((p) => p.stage)).toEqual(expect.arrayContaining(['reading', 'checking', 'scoring', 'analysing']));
    expect(useBundleLoading.getState().progress).toBeNull();
    const opened = useResults.getState();
    expect(opened.source).toEqual({ kind: 'bundle', label: 'big.sage.zip' });
    const analysis = opened.analysis ?? fail();
    expect(analysis.n).toBe(1000);
    // the views find the worker's K curve (for the view's seed and aggregate), templates statistics and map
    const precomputed = handedOver.at(-1) ?? fail();
    const { records, classes, templates, embeddings, dim } = opened;
    expect(precomputed.kCurve.options).toEqual({ seed: 3, aggregate: 'score' });
    expect(kCurveCached(analysis, records, classes, { seed: 3, aggregate: 'score' })).toBe(precomputed.kCurve.curve);
    expect(projectionOf(embeddings, 1000, dim)).toBe(precomputed.projection);
    const sageHere = runMethod(analysis, { method: 'sage', k: 3, aggregate: 'embedding' });
    const sage = { ...sageHere, config: sageHere.config };
    const stats = templateStats(analysis, records, classes, templates, sage);
    expect(stats.templates[0].accuracyAlone).toBe(precomputed.templatesAlone.templates[0].accuracyAlone);
    expect(analysis.randomTables(3)).toBe(precomputed.analysis.random?.tables);

    openBundle(bundle, { kind: 'bundle', label: 'here' });
    const here = useResults.getState().analysis ?? fail();
    expect(useResults.getState().records).toEqual(records);
    for (const config of [
      { method: 'sage', k: 3, aggregate: 'embedding' },
      { method: 'random', k: 5, seed: 3, aggregate: 'score' },
      { method: 'ensemble', aggregate: 'embedding' },
    ] as const) {
      expect(runMethod(analysis, config)).toEqual(runMethod(here, config));
    }
    expect(kCurve(here, records, classes, { seed: 3, aggregate: 'score' })).toEqual(precomputed.kCurve.curve);
    expect(templatesAlone(here, records, classes, templates)).toEqual(precomputed.templatesAlone);
  });

  it('returns the reader’s sentence prefixed by the file name, and clears the progress', async () => {
    const outcome = await openBundleFile(new Blob(['{"format":"sage-embeddings/1"}']), 'x.json', {
      parse: parseHere,
    });
    expect(outcome).toEqual({
      ok: false,
      error: 'x.json: this file is not a SAGE embeddings bundle: it has no embedding size (field "dim")',
    });
    expect(useBundleLoading.getState().progress).toBeNull();
  });

  it('holds the bundle’s own embeddings as the store: no second N × dim array is ever allocated', async () => {
    const bundle = syntheticBundle({ n: 300, dim: 32 });
    let parsed: Float32Array | null = null;
    const parse: typeof parseBundleInWorker = async (...args) => {
      const result = await parseHere(...args);
      parsed = result.bundle.imageEmbeddings;
      return result;
    };
    // every store the results held while the file opened
    const stores = new Set<Float32Array>();
    const unsubscribe = useResults.subscribe((s) => stores.add(s.embeddings));
    const outcome = await openBundleFile(new Blob([serializeBinaryBundle(bundle)]), 'held.sage.zip', { parse });
    unsubscribe();
    expect(outcome).toEqual({ ok: true, images: 300 });
    const held = parsed ?? fail();
    expect(useResults.getState().embeddings).toBe(held);
    expect([...stores].filter((store) => store !== held && store.length > 0)).toEqual([]);
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
