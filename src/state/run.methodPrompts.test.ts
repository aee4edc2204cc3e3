/**
 * The texts the SPEC §7 methods need are embedded with the run's other prompts, and a later settings change
 * embeds only the new texts — with the model that made the results, never with another one.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { RuntimeInfo } from '../core/config';
import type * as WorkerClientModule from '../worker/client';
import { FAKE_RUNTIME } from './runTestFakes.fixture';
import type { ImageBatch, ImageRunSummary, LoadResult, TextEmbeddings } from '../worker/client';

const DIM = 3;
const runtime = FAKE_RUNTIME;
const seen = { prompts: [] as string[][], loaded: null as RuntimeInfo | null };

/** A text's fake embedding depends only on the text, as a real encoder's does. */
function fakeEmbedding(text: string): number[] {
  let h = 7;
  for (const ch of text) h = (h * 31 + ch.charCodeAt(0)) % 1009;
  return [1 + (h % 7), 1 + (h % 11), 1 + (h % 13)];
}

vi.mock('../worker/client', async (importOriginal) => {
  const real = await importOriginal<typeof WorkerClientModule>();
  const { FakeClientBase } = await import('./runTestFakes.fixture');
  class FakeClient extends FakeClientBase {
    get runtime(): RuntimeInfo | null {
      return seen.loaded;
    }
    async load(): Promise<LoadResult> {
      seen.loaded = runtime;
      return { dim: DIM, runtime } as LoadResult;
    }
    async embedText(prompts: string[]): Promise<TextEmbeddings> {
      seen.prompts.push([...prompts]);
      return { embeddings: Float32Array.from(prompts.flatMap(fakeEmbedding)), truncated: [] };
    }
    async embedImages(
      images: { id: string }[],
      _batch: number,
      onBatch: (b: ImageBatch) => void,
    ): Promise<ImageRunSummary> {
      onBatch({
        dim: DIM,
        outcomes: images.map((image, i) => ({
          id: image.id,
          ok: true,
          embedding: Float32Array.from([i % 2, (i + 1) % 2, 0.5]),
          fromCache: false,
        })),
        timings: { decode: 0, preprocess: 0, encode: 0, batchSize: images.length },
      });
      return { embedded: images.length, failed: 0, fromCache: 0, cancelled: false, restarts: 0 };
    }
  }
  return { ...real, ClipWorkerClient: FakeClient };
});

const { useRun, embedPrompts, canEmbedPrompts } = await import('./run');
const { useDataset } = await import('./dataset');
const { useResults } = await import('./results');
const { useSettings } = await import('./settings');
const { DEFAULT_METHOD_SETTINGS, useMethodSettings } = await import('./methodSettings');

beforeEach(() => {
  seen.prompts = [];
  useRun.setState({ phase: 'idle', error: null, message: '', notes: [] });
  useResults.getState().clear();
  useMethodSettings.getState().set(DEFAULT_METHOD_SETTINGS);
  useSettings.getState().setModel('local:tiny-clip');
  const dataset = useDataset.getState();
  dataset.clear();
  dataset.setTemplates(['a photo of a {}.', 'art of a {}.']);
  dataset.setGroupPromptPattern('a photo of a {class} on {attribute}.');
  const images = ['landbird/land', 'landbird/water', 'waterbird/land', 'waterbird/water'].map((group) => ({
    id: `${group}/0.jpg`,
    blob: new Blob(['x']),
    classFolder: group.split('/')[0],
    attributeFolder: group.split('/')[1],
  }));
  dataset.addIngested({ images, skipped: [], notes: [], specials: [] }, 'test');
});

describe('§7 texts in a run', () => {
  it('embeds the attribute phrases once, with the edited words, and keeps the words by folder', async () => {
    useDataset.getState().setAttributeText('water', 'a lake');
    await useRun.getState().start();
    expect(useRun.getState().phase).toBe('done');
    // templates, group prompts, then only the §7 texts that are not group prompts already
    expect(seen.prompts).toHaveLength(3);
    expect(seen.prompts[2]).toEqual([
      'land',
      'a photo of land.',
      'a photo with a land background.',
      'a lake',
      'a photo of a lake.',
      'a photo with a a lake background.',
    ]);
    const results = useResults.getState();
    expect(results.attributeWords).toEqual({ land: 'land', water: 'a lake' });
    expect(Array.from(results.prompts.get('a photo of a lake.') ?? [])).toEqual(fakeEmbedding('a photo of a lake.'));
    // the group prompts Orth-Proj/Orth-Cali need are in the same lookup
    expect(results.prompts.has('a photo of a waterbird on a lake.')).toBe(true);
  });

  it('a new phrasing after the run embeds only its new texts; a text already known is not sent again', async () => {
    await useRun.getState().start();
    seen.prompts = [];
    useMethodSettings.getState().setPhrasings(['{}', 'a {} scene.']);
    expect(canEmbedPrompts()).toBe(true);
    await embedPrompts(['land', 'a land scene.', 'a water scene.']);
    expect(seen.prompts).toEqual([['a land scene.', 'a water scene.']]);
    expect(Array.from(useResults.getState().prompts.get('a water scene.') ?? [])).toEqual(
      fakeEmbedding('a water scene.'),
    );
    await embedPrompts(['a land scene.']);
    expect(seen.prompts).toHaveLength(1);
  });

  it('never embeds with a model other than the one that made the results', async () => {
    await useRun.getState().start();
    seen.prompts = [];
    // results that another model made (e.g. a report from a ViT-L run)
    useResults.getState().setRuntime({ ...runtime, modelId: 'Xenova/clip-vit-large-patch14' });
    expect(canEmbedPrompts()).toBe(false);
    await embedPrompts(['a water scene.']);
    expect(seen.prompts).toEqual([]);
    expect(useResults.getState().prompts.has('a water scene.')).toBe(false);
  });
});
