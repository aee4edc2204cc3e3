/**
 * A bundle's data as WILDS would ship it, for the import tests (CLI and e2e): a metadata table (y and place as
 * ids, a split column) whose row r is row r of the image array, with rows of another split in between that the
 * import must leave out, and the text rows as they are in the bundle (template-major).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLIP_TEMPLATES, type EmbeddingBundle, mulberry32, serializeBundle } from '../src/core';
import { npyBytes } from '../src/core/npyFiles.fixture';
import { syntheticBundle } from './testBundle.fixture';

export const CLASSES = ['landbird', 'waterbird'];
export const ATTRIBUTES = ['land', 'water'];

export function exportAsArrays(bundle: EmbeddingBundle) {
  const { dim } = bundle;
  const next = mulberry32(11);
  const rows: { file: string; y: number; place: number; split: number; vector: Float32Array }[] = [];
  bundle.images.forEach((image, i) => {
    if (i % 4 === 1) {
      // a training image: not part of the evaluated bundle
      const vector = Float32Array.from({ length: dim }, () => next() * 2 - 1);
      rows.push({ file: `train/${i}.jpg`, y: i % 2, place: 0, split: 0, vector });
    }
    const vector = bundle.imageEmbeddings.slice(i * dim, (i + 1) * dim);
    const y = CLASSES.indexOf(image.class);
    rows.push({ file: image.id, y, place: ATTRIBUTES.indexOf(image.attribute), split: 2, vector });
  });
  const images = new Float32Array(rows.length * dim);
  rows.forEach((row, r) => images.set(row.vector, r * dim));
  const csv = [
    'img_id,img_filename,y,split,place',
    ...rows.map((r, i) => `${i + 1},${r.file},${r.y},${r.split},${r.place}`),
  ];
  return { rows, images, csv: `${csv.join('\n')}\n`, text: bundle.text };
}

/**
 * `node --import tsx cli/importArrays.fixture.ts <dir> [dim]`: writes ref.json (the bundle), emb.npy, text.npy and
 * metadata.csv there (the e2e drops them on the app, without a templates file: the text rows are for CLIP's 80
 * templates, the app's default pool, so the zero-shot template is "a photo of a {}." for the app and the CLI).
 */
export function writeImportFiles(dir: string, dim = 8): void {
  const base = syntheticBundle({ n: 24, dim, seed: 5 });
  const next = mulberry32(9);
  const text = Float32Array.from({ length: CLIP_TEMPLATES.length * 2 * dim }, (_, i) => {
    const cls = Math.floor(i / dim) % 2;
    return (i % dim === cls ? 1 : 0) + (i % dim === 2 + cls ? 0.4 : 0) + 0.6 * (next() * 2 - 1);
  });
  const bundle: EmbeddingBundle = { ...base, templates: [...CLIP_TEMPLATES], text };
  const arrays = exportAsArrays(bundle);
  writeFileSync(join(dir, 'ref.json'), serializeBundle(bundle));
  writeFileSync(join(dir, 'emb.npy'), npyBytes(arrays.images, arrays.rows.length, bundle.dim));
  writeFileSync(join(dir, 'text.npy'), npyBytes(arrays.text, arrays.text.length / bundle.dim, bundle.dim));
  writeFileSync(join(dir, 'metadata.csv'), arrays.csv);
}

if (process.argv[1]?.endsWith('importArrays.fixture.ts') && process.argv[2]) {
  writeImportFiles(process.argv[2], Number(process.argv[3] ?? 8));
}
