/** Test-only helpers shared by the src/share tests (not exported from the index). */
import clipTemplates from '../core/clipTemplates.json';
import { analyzeBundle, prepareBundle } from '../core/analyzeBundle';
import { mulberry32 } from '../core/random';
import type { ExplorerConfig, RuntimeInfo } from '../core/config';
import type { EmbeddingBundle, GroupPrompt, ImageRecord, MethodConfig } from '../core/types';
import type { BuildReportInput } from './reportBuild';
import type { ReportResult } from './reportFormat';

/** Seeded PRNG (the core's mulberry32) so fuzz runs are reproducible; the seed is in each test name. */
export const seededRandom = mulberry32;

export function randomInt(random: () => number, below: number): number {
  return Math.floor(random() * below);
}

export const XSS = '<img src=x onerror=alert(1)>';

export function exampleConfig(overrides: Partial<ExplorerConfig> = {}): ExplorerConfig {
  return {
    model: 'Xenova/clip-vit-base-patch32',
    dtype: 'fp32',
    classes: ['landbird', 'waterbird'],
    attributes: ['land', 'water'],
    templates: [...clipTemplates],
    groupPromptPattern: 'a photo of a {class} on {attribute}.',
    method: 'sage',
    k: 1,
    aggregate: 'embedding',
    seed: 0,
    zeroshotTemplate: 39,
    ...overrides,
  };
}
// ---------------------------------------------------------------- a small real run (core engine)

export const RUNTIME: RuntimeInfo = {
  backend: 'wasm',
  dtype: 'fp32',
  threads: 2,
  modelId: 'Xenova/clip-vit-base-patch32',
  crossOriginIsolated: true,
  notes: ['WebGPU unavailable; using WASM'],
};

export const METHOD_CONFIGS: MethodConfig[] = [
  { method: 'zeroshot', template: 39 },
  { method: 'ensemble', aggregate: 'embedding' },
  { method: 'random', k: 3, seed: 7, aggregate: 'embedding' },
  { method: 'sage', k: 1, aggregate: 'embedding' },
  { method: 'sage', k: 5, aggregate: 'score' },
  { method: 'groupprompt' },
];

/**
 * A seeded synthetic dataset (2 classes × 2 attributes, `n` images, dim 8, the 80-template pool) run
 * through the core for every method: real MethodResults and Metrics, as the app would export them.
 */
export function runFixture(seed = 11, n = 24, classes: string[] = ['landbird', 'waterbird']) {
  const random = seededRandom(seed);
  const dim = 8;
  const templates = [...clipTemplates];
  const attributes = ['land', 'water'];
  const gaussian = (): number => random() + random() + random() - 1.5;
  const text = Float32Array.from({ length: templates.length * classes.length * dim }, gaussian);
  const imageEmbeddings = Float32Array.from({ length: n * dim }, gaussian);
  const images: ImageRecord[] = Array.from({ length: n }, (_, i) => ({
    id: `${classes[i % 2]}/${attributes[(i >> 1) % 2]}/${String(i).padStart(4, '0')}.jpg`,
    class: classes[i % 2],
    attribute: attributes[(i >> 1) % 2],
  }));
  const groupPrompts: GroupPrompt[] = classes.flatMap((cls) =>
    attributes.map((attribute) => ({
      class: cls,
      attribute,
      prompt: `a photo of a ${cls} on ${attribute}.`,
      embedding: Float32Array.from({ length: dim }, gaussian),
    })),
  );
  const bundle: EmbeddingBundle = {
    format: 'sage-embeddings/1',
    model: RUNTIME.modelId,
    dim,
    classes,
    templates,
    text,
    images,
    imageEmbeddings,
    groupPrompts,
  };
  const prepared = prepareBundle(bundle);
  const results: ReportResult[] = METHOD_CONFIGS.map((config) => {
    const { result, metrics } = analyzeBundle(bundle, config, { prepared });
    return { ...result, metrics };
  });
  const input: BuildReportInput = {
    config: exampleConfig({ classes, attributes, templates }),
    runtime: RUNTIME,
    dataset: { classes, attributes, images },
    embeddings: { dim, text, images: imageEmbeddings, groupPrompts },
    results,
    createdAt: new Date('2026-11-23T14:00:00.000Z'),
    appVersion: '0.1.0',
  };
  return { bundle, input, results };
}
