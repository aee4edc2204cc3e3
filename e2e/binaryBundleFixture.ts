/**
 * `node --import tsx e2e/binaryBundleFixture.ts <out> <n> [dim] [templates]`: a deterministic synthetic bundle
 * with a spurious attribute, written as sage-embeddings/2 when `out` ends in .zip and /1 JSON otherwise (the CLI's
 * rule). For the 100k-image e2e and the load benchmark; also importable (`syntheticLargeBundle`).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLIP_TEMPLATES, mulberry32, serializeBinaryBundle, serializeBundle } from '../src/core';
import type { EmbeddingBundle } from '../src/core/types';

export function syntheticLargeBundle(n: number, dim = 512, templateCount = 80): EmbeddingBundle {
  const next = mulberry32(17);
  const noise = () => next() * 2 - 1;
  const classes = ['landbird', 'waterbird'];
  const attributes = ['land', 'water'];
  // the CLIP pool, so the zero-shot default ("a photo of a {}.", index 39) is the same in the app and the CLI
  const templates = Array.from({ length: templateCount }, (_, t) => CLIP_TEMPLATES[t % CLIP_TEMPLATES.length]);
  // class c points along axis c, attribute a along axis 2 + a; template t leans on the attribute by t / templates
  const text = new Float32Array(templateCount * 2 * dim);
  for (let t = 0; t < templateCount; t++) {
    for (let c = 0; c < 2; c++) {
      const row = (t * 2 + c) * dim;
      for (let d = 0; d < dim; d++) text[row + d] = 0.04 * noise();
      text[row + c] += 1;
      text[row + 2 + c] += (1.5 * t) / templateCount;
    }
  }
  const images: EmbeddingBundle['images'] = [];
  const imageEmbeddings = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const a = i % 5 === 0 ? 1 - c : c; // 20% of images in the minority groups
    images.push({
      id: `${classes[c]}/${attributes[a]}/${String(i).padStart(6, '0')}.jpg`,
      class: classes[c],
      attribute: attributes[a],
    });
    const row = i * dim;
    for (let d = 0; d < dim; d++) imageEmbeddings[row + d] = 0.05 * noise();
    imageEmbeddings[row + c] += 0.1 + 0.3 * next();
    imageEmbeddings[row + 2 + a] += 0.5;
  }
  return {
    format: 'sage-embeddings/1',
    model: 'synthetic-512',
    dim,
    classes,
    templates,
    text,
    images,
    imageEmbeddings,
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [out, nText, dimText = '512', templatesText = '80'] = process.argv.slice(2);
  const bundle = syntheticLargeBundle(Number(nText), Number(dimText), Number(templatesText));
  writeFileSync(out, /\.zip$/i.test(out) ? serializeBinaryBundle(bundle) : serializeBundle(bundle));
}
