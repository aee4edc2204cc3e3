/**
 * `node --import tsx e2e/explorerSyntheticBundle.ts <out.json> <n> [dim]`: a deterministic synthetic
 * sage-embeddings/1 bundle (2 classes × 2 attributes, 3 templates) written with the core's serializeBundle,
 * for e2e tests that need many images without embedding any.
 */
import { writeFileSync } from 'node:fs';
import { serializeBundle } from '../src/core/bundle';

const [out, nText, dimText = '8'] = process.argv.slice(2);
const n = Number(nText);
const dim = Number(dimText);
if (!out || !Number.isInteger(n) || n < 1 || !Number.isInteger(dim) || dim < 1) {
  throw new Error('usage: explorerSyntheticBundle.ts <out.json> <n ≥ 1> [dim ≥ 1]');
}
const classes = ['cat', 'dog'];
const templates = ['a photo of a {}.', 'a drawing of a {}.', 'a blurry photo of a {}.'];
let seed = 7;
const rand = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648 - 0.5;
};
const text = Float32Array.from({ length: templates.length * classes.length * dim }, rand);
const images = Array.from({ length: n }, (_, i) => ({
  id: `synthetic/${classes[i % 2]}/${i % 3 === 0 ? 'indoor' : 'outdoor'}/${String(i).padStart(5, '0')}.jpg`,
  class: classes[i % 2],
  attribute: i % 3 === 0 ? 'indoor' : 'outdoor',
}));
const imageEmbeddings = Float32Array.from({ length: n * dim }, rand);
writeFileSync(
  out,
  serializeBundle({
    format: 'sage-embeddings/1',
    model: 'synthetic',
    dim,
    classes,
    templates,
    text,
    images,
    imageEmbeddings,
  }),
);
