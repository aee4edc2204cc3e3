/**
 * A small synthetic bundle with a spurious attribute, for CLI tests: image = class direction + attribute
 * direction + seeded noise; templates mix the class direction with template-specific noise, some of them
 * leaning towards the attribute, so methods genuinely disagree.
 */
import { type EmbeddingBundle, mulberry32, serializeBundle } from '../src/core';

export function syntheticBundle(
  options: { n?: number; dim?: number; groupPrompts?: boolean; seed?: number } = {},
): EmbeddingBundle {
  const n = options.n ?? 40;
  const dim = options.dim ?? 8;
  const next = mulberry32(options.seed ?? 3);
  const noise = () => next() * 2 - 1;
  const classes = ['landbird', 'waterbird'];
  const attributes = ['land', 'water'];
  const templates = [
    'a photo of a {}.',
    'a bad photo of a {}.',
    'a {} in the wild.',
    'art of a {}.',
    'a close-up photo of a {}.',
  ];
  const classDir = (c: number, d: number) => (d === c ? 1 : 0);
  const attrDir = (a: number, d: number) => (d === 2 + a ? 1 : 0);
  const text = new Float32Array(templates.length * classes.length * dim);
  templates.forEach((_, t) => {
    classes.forEach((__, c) => {
      for (let d = 0; d < dim; d++) {
        // template t leans on the attribute correlated with class c by t·0.3
        text[(t * classes.length + c) * dim + d] = classDir(c, d) + 0.3 * t * attrDir(c, d) + 0.25 * noise();
      }
    });
  });
  const images: EmbeddingBundle['images'] = [];
  const imageEmbeddings = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const a = i % 5 === 0 ? 1 - c : c; // 20% minority groups
    images.push({ id: `${classes[c]}/${attributes[a]}/${i}.jpg`, class: classes[c], attribute: attributes[a] });
    for (let d = 0; d < dim; d++)
      imageEmbeddings[i * dim + d] = 0.6 * classDir(c, d) + 0.8 * attrDir(a, d) + 0.5 * noise();
  }
  const bundle: EmbeddingBundle = {
    format: 'sage-embeddings/1',
    model: 'synthetic',
    dim,
    classes,
    templates,
    text,
    images,
    imageEmbeddings,
  };
  if (options.groupPrompts) {
    bundle.groupPrompts = [];
    for (let c = 0; c < 2; c++) {
      for (let a = 0; a < 2; a++) {
        const embedding = Float32Array.from({ length: dim }, (_, d) => classDir(c, d) + attrDir(a, d) + 0.1 * noise());
        bundle.groupPrompts.push({
          class: classes[c],
          attribute: attributes[a],
          prompt: `a ${classes[c]} on ${attributes[a]}`,
          embedding,
        });
      }
    }
  }
  return bundle;
}

export function syntheticBundleJson(
  options: Parameters<typeof syntheticBundle>[0] = {},
  vectors: 'float' | 'base64' = 'base64',
): string {
  return serializeBundle(syntheticBundle(options), { vectors });
}
