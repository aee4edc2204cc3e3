import { describe, expect, it } from 'vitest';
import { exportAsArrays } from '../../../cli/importArrays.fixture';
import { syntheticBundle } from '../../../cli/testBundle.fixture';
import { npyBytes, npzBytes } from '../../core/npyFiles.fixture';
import { useResults } from '../results';
import {
  guessFormValues,
  isEmbeddingImport,
  prepareEmbeddingImport,
  submitEmbeddingImport,
  useEmbeddingImport,
} from './embeddingImport';
import type { DroppedFile } from './ingest';

const bundle = syntheticBundle({ n: 12, dim: 8, seed: 2 });
const arrays = exportAsArrays(bundle);
const blob = (bytes: Uint8Array | string) => new Blob([typeof bytes === 'string' ? bytes : bytes.slice().buffer]);

describe('embedding import in the app', () => {
  it('an .npz + metadata.csv + templates drop: guessed mapping, names, split → the bundle opens in the results', async () => {
    const npz = npzBytes({
      image_features: npyBytes(arrays.images, arrays.rows.length, bundle.dim),
      text_features: npyBytes(arrays.text, arrays.text.length / bundle.dim, bundle.dim),
    });
    const files: DroppedFile[] = [
      { path: 'features.npz', blob: blob(npz) },
      { path: 'metadata.csv', blob: blob(arrays.csv) },
      { path: 'templates.json', blob: blob(JSON.stringify(bundle.templates)) },
    ];
    expect(isEmbeddingImport(files)).toBe(true);
    expect(isEmbeddingImport(files.slice(1))).toBe(false);
    expect(await prepareEmbeddingImport(files)).toBe(true);
    const pending = useEmbeddingImport.getState().pending;
    if (!pending) throw new Error('the form should be open');
    const guess = guessFormValues(pending);
    expect(guess).toMatchObject({
      imageArray: 'features.npz: image_features',
      textArray: 'features.npz: text_features',
      idColumn: 'img_filename',
      classColumn: 'y',
      attributeColumn: 'place',
    });
    // a missing name is a sentence in the form's words, and the form stays open
    expect(await submitEmbeddingImport({ ...guess, classNames: 'landbird' })).toBe(false);
    expect(useEmbeddingImport.getState().error).toBe('Class names: at least 2 names are needed, 1 given');
    const ok = await submitEmbeddingImport({
      ...guess,
      classNames: 'landbird, waterbird',
      attributeNames: 'land, water',
      splitColumn: 'split',
      split: '2',
    });
    expect(ok, useEmbeddingImport.getState().error ?? '').toBe(true);
    const results = useResults.getState();
    expect(results.records).toEqual(bundle.images);
    expect(Array.from(results.embeddings.subarray(0, bundle.images.length * bundle.dim))).toEqual(
      Array.from(bundle.imageEmbeddings),
    );
    expect(Array.from(results.text)).toEqual(Array.from(bundle.text));
    expect(results.templates).toEqual(bundle.templates);
    expect(useEmbeddingImport.getState().pending).toBeNull();
  });
});
