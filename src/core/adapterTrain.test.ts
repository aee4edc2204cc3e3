import { describe, expect, it } from 'vitest';
import { adapterClassText, adapterDataFromBundle, bundleSplits } from './adapterBundle';
import { chooseTrainingTemplates, TRAINING_TEMPLATES } from './adapterOptions';
import { applyAdapter } from './adapterPredict';
import { AdapterTrainer, checkAdapterData, trainAdapter } from './adapterTrain';
import type { AdapterTrainingData, EpochReport } from './adapterTypes';
import { analyzeBundle } from './analyzeBundle';
import { ConfigError } from './errors';
import { computeMetrics } from './metrics';
import { plantedBundle } from './plantedBundle.fixture';
import { splitIndices, stratifiedSplit } from './splits';
import type { EmbeddingBundle, Split } from './types';

function planted(seed: number, dim: number, perClass?: number) {
  const bundle = plantedBundle({ seed, dim, perClass });
  const splits = stratifiedSplit(bundle.images, seed);
  const data = adapterDataFromBundle(bundle, { splits, templates: chooseTrainingTemplates(bundle.templates) });
  return { bundle, splits, data };
}

function testWga(bundle: EmbeddingBundle, splits: readonly Split[], predicted: Int32Array): number {
  const test = splitIndices(splits, 'test');
  return computeMetrics(
    Array.from(test, (i) => bundle.images[i]),
    bundle.classes,
    Int32Array.from(test, (i) => predicted[i]),
  ).worstGroupAccuracy;
}

describe('adapter training on a planted spurious direction', () => {
  // measured (seed 1, d 64, 1200 images, 20 epochs): zero-shot test WGA 0.000, ls 0.933, vs 0.900;
  // seeds 2–4 gave margins of 0.63–0.93. The assertion keeps a wide berth below those.
  const { bundle, splits, data } = planted(1, 64);
  const zeroShot = analyzeBundle(bundle, {
    method: 'zeroshot',
    template: bundle.templates.indexOf('a photo of a {}.'),
  });
  const zeroShotWga = testWga(bundle, splits, zeroShot.result.predicted);

  for (const variant of ['ls', 'vs'] as const) {
    it(`${variant}: raises test worst-group accuracy at least 0.5 above zero-shot's`, () => {
      const adapter = trainAdapter(data, { variant, epochs: 20, seed: 1 });
      const { predicted } = applyAdapter(
        adapter,
        bundle.imageEmbeddings,
        bundle.images.length,
        adapterClassText(adapter, bundle),
      );
      const trained = testWga(bundle, splits, predicted);
      expect(zeroShotWga).toBeLessThan(0.2);
      expect(trained - zeroShotWga).toBeGreaterThan(0.5);
    });
  }
});

describe('determinism and model selection', () => {
  // 300 images with a full-batch limit of 64: seeded mini-batches of 32
  const { data } = planted(5, 16, 150);
  const options = { epochs: 6, seed: 3, fullBatchLimit: 64, batchSize: 32 } as const;

  it('the same seed gives a bit-identical adapter; another seed another one', () => {
    const first = trainAdapter(data, options);
    const again = trainAdapter(data, options);
    expect(Buffer.from(again.W_v.buffer)).toEqual(Buffer.from(first.W_v.buffer));
    expect(Buffer.from(again.W_t.buffer)).toEqual(Buffer.from(first.W_t.buffer));
    expect(again).toEqual(first);
    const other = trainAdapter(data, { ...options, seed: 4 });
    expect(Buffer.from(other.W_t.buffer)).not.toEqual(Buffer.from(first.W_t.buffer));
  });

  it('stepping the trainer by hand (as a worker does) gives the same adapter as trainAdapter', () => {
    const trainer = new AdapterTrainer(data, options);
    while (!trainer.done) trainer.runEpoch();
    expect(trainer.result()).toEqual(trainAdapter(data, options));
  });

  it('keeps the epoch with the best validation WGA (the earlier on ties), and its weights', () => {
    const reports: EpochReport[] = [];
    const adapter = trainAdapter(
      data,
      { ...options, epochs: 8, learningRate: 0.01 },
      {
        onEpoch: (report) => void reports.push(report),
      },
    );
    // measured: val WGA 0.80, 0.96, 0.96, 0.80, … — a tie at epochs 2 and 3
    expect(adapter.history[1].valWGA).toBe(adapter.history[2].valWGA);
    expect(adapter.bestEpoch).toBe(2);
    const best = Math.max(...adapter.history.map((h) => h.valWGA));
    expect(adapter.bestEpoch).toBe(adapter.history.findIndex((h) => h.valWGA === best) + 1);
    expect(reports.map((r) => r.valWGA)).toEqual(adapter.history.map((h) => h.valWGA));
    const upToBest = trainAdapter(data, { ...options, learningRate: 0.01, epochs: adapter.bestEpoch });
    expect(upToBest.W_v).toEqual(adapter.W_v);
    // groups of 125 and 25 round up at the train cut: 63 + 13 per class
    expect(adapter.splitSizes).toEqual({ train: 152, val: 60, test: 88 });
  });

  it('stops when onEpoch returns false or the signal is aborted, and says it was cancelled', () => {
    const stopped = trainAdapter(data, options, { onEpoch: (report) => report.epoch < 2 });
    expect(stopped.epochs).toBe(2);
    expect(stopped.history).toHaveLength(2);
    expect(stopped.cancelled).toBe(true);
    const aborted = trainAdapter(data, options, { signal: { aborted: true } });
    expect(aborted.epochs).toBe(0);
    expect(aborted.cancelled).toBe(true);
    expect(trainAdapter(data, { ...options, epochs: 1 }).cancelled).toBe(false);
  });
});

describe('what training needs, in words', () => {
  const { data } = planted(5, 8, 12);

  it('vs needs an attribute on every training image; ls does not', () => {
    const unlabelled: AdapterTrainingData = {
      ...data,
      imageAttributes: data.imageAttributes.map((a, i) => (data.splits[i] === 'train' && i < 6 ? -1 : a)),
    };
    expect(checkAdapterData(unlabelled, 'ls')).toEqual([]);
    expect(checkAdapterData(unlabelled, 'vs')).toEqual([
      '3 training images have no attribute: the "vs" variant learns to predict the attribute, so every training image needs one (or use "ls")',
    ]);
    expect(() => new AdapterTrainer(unlabelled, { variant: 'vs' })).toThrow(ConfigError);
  });

  it('names a class without training images and missing attribute words', () => {
    const noTrain: AdapterTrainingData = {
      ...data,
      splits: data.splits.map((split, i) => (data.imageClasses[i] === 1 && split === 'train' ? 'val' : split)),
      attributes: [],
      attributeText: new Float32Array(0),
    };
    expect(checkAdapterData(noTrain, 'ls')).toEqual([
      'the "ls" variant needs attribute words (the images\' attributes), and these images have none',
      'class 2 (waterbird) has no training images',
    ]);
  });
});

describe('adapters and bundles', () => {
  it('chooses the 8 default templates from the CLIP pool, else fills from the pool', () => {
    const pool = ['x {}', ...TRAINING_TEMPLATES.slice(2), 'y {}', 'z {}'];
    expect(chooseTrainingTemplates(pool, 8)).toEqual([1, 2, 3, 4, 5, 6, 0, 7]);
    expect(chooseTrainingTemplates(pool, 80)).toEqual(pool.map((_, i) => i));
  });

  it("reads a bundle's own splits only when every image has one", () => {
    const { bundle, splits } = planted(2, 8, 6);
    expect(bundleSplits(bundle)).toBeUndefined();
    bundle.images.forEach((image, i) => (image.split = splits[i]));
    expect(bundleSplits(bundle)).toEqual(splits);
  });

  it('an untrained adapter predicts as the ensemble of its templates', () => {
    const { bundle, data } = planted(3, 16, 30);
    const untrained = trainAdapter(data, { epochs: 1 }, {});
    untrained.W_v.fill(0);
    untrained.W_t.fill(0);
    for (let k = 0; k < 16; k++) untrained.W_v[k * 17] = untrained.W_t[k * 17] = 1;
    const { predicted } = applyAdapter(
      untrained,
      bundle.imageEmbeddings,
      bundle.images.length,
      adapterClassText(untrained, bundle),
    );
    const ensemble = analyzeBundle(bundle, { method: 'ensemble', aggregate: 'embedding' });
    expect(Array.from(predicted)).toEqual(Array.from(ensemble.result.predicted));
  });

  it('refuses a bundle of another size, other classes or without its templates', () => {
    const { bundle, data } = planted(3, 16, 6);
    const adapter = trainAdapter(data, { epochs: 1 });
    expect(() => adapterClassText(adapter, plantedBundle({ seed: 3, dim: 8, perClass: 6 }))).toThrow(
      "the adapter was trained on 16-number embeddings but the bundle's have 8: use a bundle from the same model",
    );
    expect(() => adapterClassText(adapter, { ...bundle, templates: bundle.templates.map((t) => `${t}!`) })).toThrow(
      'the adapter uses templates "itap of a {}.", "a bad photo of the {}.", "a origami {}." and 5 more, which the bundle does not have',
    );
    expect(() => adapterClassText(adapter, { ...bundle, classes: ['waterbird', 'landbird'] })).toThrow(
      'the adapter was trained for the classes landbird, waterbird but the bundle has waterbird, landbird',
    );
  });
});
