import { describe, expect, it } from 'vitest';
import { serializeBinaryBundle, serializeBundle } from '../core';
import { syntheticBundle } from '../../cli/testBundle.fixture';
import { answerBundleRequest, bundleBuffers } from './bundleParse';
import type { BundleParseResponse } from './protocol';

async function answer(file: Blob) {
  const messages: { message: BundleParseResponse; transfer: ArrayBuffer[] }[] = [];
  let clock = 0;
  await answerBundleRequest(
    { type: 'parseBundle', requestId: 7, file },
    (message, transfer) => messages.push({ message, transfer }),
    () => (clock += 10),
  );
  return messages;
}

describe('bundle worker: parse a dropped file, transfer the vectors', () => {
  const bundle = syntheticBundle({ groupPrompts: true, n: 50 });

  for (const [version, bytes] of [
    ['sage-embeddings/1', serializeBundle(bundle)],
    ['sage-embeddings/2', serializeBinaryBundle(bundle)],
  ] as const) {
    it(`${version}: progress, then the bundle with every vector buffer in the transfer list once`, async () => {
      const messages = await answer(new Blob([bytes]));
      const last = messages.at(-1);
      if (last?.message.type !== 'bundleParsed') throw new Error(`expected bundleParsed, got ${last?.message.type}`);
      expect(last.message.requestId).toBe(7);
      expect(last.message.bundle).toEqual(bundle);
      const parsed = last.message.bundle;
      const transfer = last.transfer;
      expect(new Set(transfer).size).toBe(transfer.length);
      for (const array of [parsed.text, parsed.imageEmbeddings, ...(parsed.groupPrompts ?? []).map((g) => g.embedding)])
        expect(transfer).toContain(array.buffer);
      const progress = messages.filter((m) => m.message.type === 'bundleProgress').map((m) => m.message);
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.at(-1)).toMatchObject({ type: 'bundleProgress', requestId: 7 });
    });
  }

  it('asked to analyse: scoring and analysing progress, then the tables, every buffer transferred once', async () => {
    const messages: { message: BundleParseResponse; transfer: ArrayBuffer[] }[] = [];
    await answerBundleRequest(
      {
        type: 'parseBundle',
        requestId: 2,
        file: new Blob([serializeBinaryBundle(bundle)]),
        analyse: { seed: 0, aggregate: 'embedding' },
      },
      (message, transfer) => messages.push({ message, transfer }),
    );
    const stages = messages.flatMap((m) => (m.message.type === 'bundleProgress' ? [m.message.stage] : []));
    expect(stages).toEqual(expect.arrayContaining(['scoring', 'analysing']));
    const last = messages.at(-1);
    if (last?.message.type !== 'bundleParsed') throw new Error(`expected bundleParsed, got ${last?.message.type}`);
    const precomputed = last.message.precomputed;
    if (!precomputed) throw new Error('no tables');
    expect(precomputed.analysis.tensor.n).toBe(50);
    expect(new Set(last.transfer).size).toBe(last.transfer.length);
    for (const array of [
      precomputed.analysis.tensor.storage,
      precomputed.analysis.sage.scoreSums,
      precomputed.projection.points,
    ])
      expect(last.transfer).toContain(array.buffer);
  });

  it('a broken file answers with the sentence and the field', async () => {
    const broken = serializeBundle({ ...bundle, classes: ['landbird', 'landbird'] });
    const messages = await answer(new Blob([broken]));
    expect(messages.map((m) => m.message.type)).toEqual(['bundleProgress', 'bundleError']);
    expect(messages[1].message).toMatchObject({ type: 'bundleError', requestId: 7, field: 'classes[1]' });
  });

  it('bundleBuffers lists a shared buffer once', () => {
    const shared = new Float32Array(16);
    const b = { ...bundle, text: shared.subarray(0, 8), imageEmbeddings: shared.subarray(8), groupPrompts: [] };
    expect(bundleBuffers(b)).toEqual([shared.buffer]);
  });
});
