/**
 * Issue 16 §3/§4 in the run: a setup whose every prompt and image embedding is cached gives results without
 * loading the model; otherwise the model loads only the towers it needs, and on a low-memory device the text tower
 * is released before the images.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as WorkerClientModule from '../worker/client';
import type { CachedRunLookup, ImageInput, LoadedTowers } from '../worker/protocol';
import { FAKE_RUNTIME } from './runTestFakes.fixture';
import type { CacheLookupResult, ImageBatch, ImageRunSummary, LoadResult, TextEmbeddings } from '../worker/client';

const DIM = 2;
const seen = {
  loads: [] as (LoadedTowers | undefined)[],
  texts: [] as string[][],
  lookups: [] as { prompts: string[]; images: string[] }[],
  releaseTextTower: [] as (boolean | undefined)[],
  sha256: [] as (string | undefined)[],
  lookupHashes: [] as (string | undefined)[],
};
let answer: (prompts: string[], images: ImageInput[]) => CachedRunLookup;

vi.mock('../worker/client', async (importOriginal) => {
  const real = await importOriginal<typeof WorkerClientModule>();
  const { FakeClientBase } = await import('./runTestFakes.fixture');
  class FakeClient extends FakeClientBase {
    runtime = null;
    async lookupCached(
      _source: unknown,
      _backend: unknown,
      _dtype: unknown,
      prompts: string[],
      images: ImageInput[],
    ): Promise<CacheLookupResult> {
      seen.lookups.push({ prompts, images: images.map((i) => i.id) });
      seen.lookupHashes = images.map((i) => i.sha256);
      return { runtime: { ...FAKE_RUNTIME, notes: ['from the cache'] }, lookup: answer(prompts, images) };
    }
    async load(
      _source: unknown,
      _backend: unknown,
      _dtype: unknown,
      _progress: unknown,
      towers?: LoadedTowers,
    ): Promise<LoadResult> {
      seen.loads.push(towers);
      return { dim: DIM, runtime: FAKE_RUNTIME };
    }
    async embedText(prompts: string[]): Promise<TextEmbeddings> {
      seen.texts.push(prompts);
      return { embeddings: new Float32Array(prompts.length * DIM).fill(0.5), truncated: [] };
    }
    async embedImages(
      images: ImageInput[],
      _batch: number,
      onBatch: (b: ImageBatch) => void,
      _progress: unknown,
      options: { releaseTextTower?: boolean } = {},
    ): Promise<ImageRunSummary> {
      seen.releaseTextTower.push(options.releaseTextTower);
      seen.sha256.push(...images.map((i) => i.sha256));
      onBatch({
        dim: DIM,
        outcomes: images.map((image) => ({
          id: image.id,
          ok: true,
          embedding: Float32Array.of(1, 0),
          fromCache: false,
        })),
        timings: { decode: 0, preprocess: 0, encode: 0, batchSize: images.length },
      });
      return { embedded: images.length, failed: 0, fromCache: 0, cancelled: false, restarts: 0 };
    }
  }
  return { ...real, ClipWorkerClient: FakeClient };
});

const { useRun, releasesTextTower } = await import('./run');
const { useDataset } = await import('./dataset');
const { useResults } = await import('./results');
const { useSettings } = await import('./settings');

const IDS = ['landbird/land/0.jpg', 'landbird/water/0.jpg', 'waterbird/land/0.jpg', 'waterbird/water/0.jpg'];

function complete(prompts: string[], images: ImageInput[]): CachedRunLookup {
  return {
    complete: true,
    dim: DIM,
    text: Float32Array.from({ length: prompts.length * DIM }, (_, i) => i),
    images: images.map((image, i) => ({
      id: image.id,
      ok: true,
      embedding: Float32Array.of(i, 1),
      fromCache: true,
      // as the worker: a file it did not read (its hash given) comes without its note
      ...(i === 0 && !image.sha256 ? { note: 'read specially' } : {}),
    })),
    truncated: [],
    hashes: Object.fromEntries(images.map((image) => [image.id, `sha-${image.id}`])),
  };
}

beforeEach(() => {
  seen.loads = [];
  seen.texts = [];
  seen.lookups = [];
  seen.releaseTextTower = [];
  seen.sha256 = [];
  useRun.setState({ phase: 'idle', error: null, message: '', notes: [] });
  useResults.getState().clear();
  useSettings.getState().setModel('local:tiny-clip');
  const dataset = useDataset.getState();
  dataset.clear();
  dataset.setTemplates(['a photo of a {}.']);
  dataset.addIngested(
    {
      images: IDS.map((id) => ({
        id,
        blob: new Blob([id]),
        classFolder: id.split('/')[0],
        attributeFolder: id.split('/')[1],
      })),
      skipped: [],
      notes: [],
      specials: [],
    },
    'test',
  );
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('a run with everything cached', () => {
  it('never loads the model: prompts (class, group, methods) and images come from one lookup', async () => {
    answer = complete;
    await useRun.getState().start();
    expect(useRun.getState().error).toBeNull();
    expect(seen.loads).toEqual([]);
    expect(seen.texts).toEqual([]);
    expect(seen.lookups).toHaveLength(1);
    const { prompts } = seen.lookups[0];
    // class prompts first, then the group prompts and the methods' texts (no text twice)
    expect(prompts.slice(0, 2)).toEqual(['a photo of a landbird.', 'a photo of a waterbird.']);
    expect(prompts).toContain('a photo of a landbird on land.');
    expect(new Set(prompts).size).toBe(prompts.length);
    const run = useRun.getState();
    expect(run.phase).toBe('done');
    expect(run.modelSkipped).toBe(true);
    expect(run.lastRunMs).toBeGreaterThanOrEqual(0);
    expect(run.message).toBe('Embedded 4 images, 4 from the cache.');
    expect(run.notes.join(' ')).toContain('the model was not loaded');
    expect(run.notes.join(' ')).toContain('landbird/land/0.jpg');
    const results = useResults.getState();
    expect(results.records.map((r) => r.id)).toEqual(IDS);
    // the class prompts' rows are the first rows of the lookup's text
    expect(Array.from(results.text)).toEqual([0, 1, 2, 3]);
    const group = results.groupPrompts.find((g) => g.prompt === 'a photo of a landbird on land.');
    const row = prompts.indexOf('a photo of a landbird on land.');
    expect(Array.from(group?.embedding ?? [])).toEqual([row * 2, row * 2 + 1]);

    // the next cache check passes each file's hash back instead of reading the file again
    useRun.setState({ phase: 'idle' });
    await useRun.getState().start();
    expect(seen.lookups).toHaveLength(2);
    expect(seen.lookupHashes).toEqual(IDS.map((id) => `sha-${id}`));
    // and the decoding note survives, though the file was not read this time
    expect(useRun.getState().notes.join(' ')).toContain('landbird/land/0.jpg');
  });
});

describe('a run with something missing', () => {
  it('prompts cached, images not: loads only the vision tower and passes the hashes on', async () => {
    answer = (_prompts, images) => ({
      complete: false,
      missingPrompts: 0,
      missingImages: images.length,
      hashes: Object.fromEntries(images.map((i) => [i.id, `sha-${i.id}`])),
    });
    await useRun.getState().start();
    expect(useRun.getState().phase).toBe('done');
    expect(useRun.getState().modelSkipped).toBe(false);
    expect(seen.loads).toEqual([{ text: false, vision: true }]);
    expect(seen.sha256.sort()).toEqual(IDS.map((id) => `sha-${id}`).sort());
    expect(seen.releaseTextTower).toEqual([false]);
  });

  it('on a device with 2 GB: the text tower loads alone and is released before the images', async () => {
    vi.stubGlobal('navigator', { deviceMemory: 2 });
    answer = (prompts, images) => ({
      complete: false,
      missingPrompts: prompts.length,
      missingImages: images.length,
      hashes: {},
    });
    await useRun.getState().start();
    expect(useRun.getState().phase).toBe('done');
    expect(seen.loads).toEqual([{ text: true, vision: false }]);
    expect(seen.releaseTextTower).toEqual([true]);
  });

  it('prompts missing, on any device: the text tower loads alone (the vision tower after the prompts) and is kept', async () => {
    vi.stubGlobal('navigator', { deviceMemory: 16 });
    answer = (prompts, images) => ({
      complete: false,
      missingPrompts: prompts.length,
      missingImages: images.length,
      hashes: {},
    });
    await useRun.getState().start();
    expect(useRun.getState().phase).toBe('done');
    expect(seen.loads).toEqual([{ text: true, vision: false }]);
    expect(seen.releaseTextTower).toEqual([false]);
  });

  it('the rule: release at 4 GB or less; keep above, and when the browser does not say', () => {
    expect(releasesTextTower(0.5)).toBe(true);
    expect(releasesTextTower(4)).toBe(true);
    expect(releasesTextTower(8)).toBe(false);
    expect(releasesTextTower(undefined)).toBe(false);
  });
});
