import { describe, expect, it } from 'vitest';
import type { EmbeddingBundle, Metrics } from '../../core';
import type { SavedRun } from '../runHistory';
import {
  RESULTS_BYTE_CAP,
  SESSION_FORMAT,
  bundleOf,
  describeSession,
  embeddingBytes,
  parseSessionRecord,
  parseStoredResults,
  storedResultsOf,
  type SessionRecord,
  type SessionResultsMeta,
  type StoredResults,
} from './sessionRecord';

const SHA = 'ab'.repeat(32);

function bundle(n = 3, dim = 4): EmbeddingBundle {
  const classes = ['landbird', 'waterbird'];
  const templates = ['a photo of a {}.', 'a {} in the wild.'];
  // a view into a larger buffer, as the results store's growing embedding store is
  const store = new Float32Array((n + 5) * dim).map((_, i) => i / 7);
  return {
    format: 'sage-embeddings/1',
    model: 'local:tiny-clip',
    dim,
    classes,
    templates,
    text: new Float32Array(templates.length * classes.length * dim).map((_, i) => -i),
    images: Array.from({ length: n }, (_, i) => ({
      id: `birds/landbird/land/${i}.jpg`,
      class: classes[i % 2],
      attribute: 'land',
    })),
    imageEmbeddings: store.subarray(0, n * dim),
    groupPrompts: [
      {
        class: 'landbird',
        attribute: 'land',
        prompt: 'a landbird on land.',
        embedding: new Float32Array(dim).fill(0.5),
      },
    ],
    prompts: [{ text: 'land', embedding: new Float32Array(dim).fill(0.25) }],
  };
}

const group = { class: 'landbird', attribute: 'land', n: 0, correct: 0, accuracy: NaN, ci95: { low: 0, high: 1 } };
const metrics: Metrics = {
  n: 3,
  correct: 2,
  accuracy: 2 / 3,
  accuracyCi95: { low: 0.2, high: 0.9 },
  worstGroupAccuracy: 0.5,
  worstGroup: group,
  balancedAccuracy: 0.6,
  gap: 0.16,
  harmonicMean: 0.57,
  groups: [group],
};

const run: SavedRun = {
  id: 'run-1',
  label: 'tiny-clip · fp32',
  finishedAt: '2026-12-01T10:00:00.000Z',
  setup: { classes: ['landbird', 'waterbird'], attributes: ['land'], templates: ['a photo of a {}.'] },
  runtime: null,
  k: 1,
  rows: [{ method: 'sage', label: 'SAGE (K = 1)', metrics }],
};

function record(): SessionRecord {
  return {
    format: SESSION_FORMAT,
    savedAt: '2026-12-01T10:05:00.000Z',
    dataset: {
      sourceLabel: 'birds',
      images: [
        {
          id: 'birds/landbird/land/0.jpg',
          sha256: SHA,
          size: 1200,
          classFolder: 'landbird',
          attributeFolder: 'land',
          split: 'test',
        },
        {
          id: 'birds/waterbird/water/0.jpg',
          sha256: 'cd'.repeat(32),
          size: 900,
          classFolder: 'waterbird',
          attributeFolder: 'water',
        },
      ],
      classText: { waterbird: 'a bird that lives on water' },
      attributeText: {},
      templates: ['a photo of a {}.'],
      groupPromptPattern: 'a photo of a {class} on {attribute}.',
    },
    results: {
      resultsId: 'r1',
      madeAt: '2026-12-01T10:00:00.000Z',
      sourceKind: 'run',
      sourceLabel: 'birds',
      model: 'local:tiny-clip',
      images: 3,
      classes: 2,
      producedBy: {
        classes: ['landbird', 'waterbird'],
        attributes: ['land'],
        templates: ['a photo of a {}.'],
        images: ['x'],
      },
      runtime: {
        backend: 'wasm',
        dtype: 'fp32',
        threads: 1,
        modelId: 'tiny-clip',
        crossOriginIsolated: false,
        notes: [],
      },
      view: { method: 'sage', k: 2, aggregate: 'embedding', seed: 0, zeroshotTemplate: 0 },
      bytes: 100,
      stored: true,
    },
    runs: [run],
  };
}

function meta(): SessionResultsMeta {
  const results = record().results;
  if (!results) throw new Error('the fixture has results');
  return results;
}

function stored(resultsId: string): StoredResults {
  const value = storedResultsOf(bundle(), resultsId);
  if (!value) throw new Error('stored');
  return value;
}

describe('session record', () => {
  it('survives the structured clone IndexedDB makes, NaN metrics included', () => {
    const parsed = parseSessionRecord(structuredClone(record()));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value).toEqual(record());
    expect(Number.isNaN(parsed.value.runs[0].rows[0].metrics.groups[0].accuracy)).toBe(true);
  });

  it('discards a record of another version with a sentence', () => {
    const parsed = parseSessionRecord({ ...record(), format: 'sage-session/0' });
    expect(parsed).toEqual({
      ok: false,
      note: 'Your last session could not be restored and was discarded: it was saved by another version of the app (sage-session/0).',
    });
    expect(parseSessionRecord('hello').ok).toBe(false);
  });

  it('discards a damaged record, naming the field', () => {
    const damaged = record();
    (damaged.dataset.images[1] as { sha256: unknown }).sha256 = 42;
    const parsed = parseSessionRecord(damaged);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.note).toContain('dataset.images[1].sha256');
  });
});

describe('stored results', () => {
  it('round-trips the bundle with Float32Arrays of exactly their length', () => {
    const original = bundle();
    const stored = storedResultsOf(original, 'r1');
    if (!stored) throw new Error('not stored');
    // only the N×dim rows, not the spare capacity of the growing store
    expect(stored.imageEmbeddings.buffer.byteLength).toBe(3 * 4 * 4);
    const parsed = parseStoredResults(structuredClone(stored), meta());
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const back = bundleOf(parsed.value);
    expect(back.imageEmbeddings).toBeInstanceOf(Float32Array);
    expect(Array.from(back.imageEmbeddings)).toEqual(Array.from(original.imageEmbeddings));
    expect(Array.from(back.text)).toEqual(Array.from(original.text));
    expect(back.images).toEqual(original.images);
    expect(back.groupPrompts?.[0].prompt).toBe('a landbird on land.');
    expect(Array.from(back.prompts?.[0].embedding ?? [])).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('is not stored above the size cap', () => {
    const dim = 512;
    const n = Math.ceil(RESULTS_BYTE_CAP / (dim * 4)) + 1;
    const big: EmbeddingBundle = {
      ...bundle(1, dim),
      images: new Array(n).fill({ id: 'x', class: 'a', attribute: '' }),
    };
    expect(embeddingBytes(big)).toBeGreaterThan(RESULTS_BYTE_CAP);
    expect(storedResultsOf(big, 'r1')).toBeNull();
  });

  it('refuses results from another save or with vectors that do not fit', () => {
    expect(parseStoredResults(stored('other'), meta())).toMatchObject({ ok: false });
    const short = { ...stored('r1'), imageEmbeddings: new Float32Array(5) };
    const parsed = parseStoredResults(short, meta());
    expect(parsed).toEqual({
      ok: false,
      note: 'The saved results could not be restored (the image embeddings do not match the images); run again to get them back.',
    });
    expect(parseStoredResults(undefined, meta()).ok).toBe(false);
  });
});

describe('describeSession', () => {
  it('says what the prompt offers', () => {
    const lines = describeSession(record(), new Date('2026-12-01T12:00:00.000Z'));
    expect(lines[0]).toBe('2 images in 2 classes (birds), with your class strings and templates');
    expect(lines[1]).toMatch(/^results from local:tiny-clip on 3 images, made at /);
    expect(lines[2]).toBe('1 run kept side by side');
  });
});
