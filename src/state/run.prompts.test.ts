/**
 * What the run sends to CLIP: the edited class strings go into every template, the edited attribute words
 * into the group prompts (kept under the attribute folder the records carry), and a group-prompt pattern
 * without its placeholders stops the run naming the field.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type * as WorkerClientModule from '../worker/client';
import { FAKE_RUNTIME } from './runTestFakes.fixture';
import type { ImageBatch, ImageRunSummary, LoadResult, TextEmbeddings } from '../worker/client';

const DIM = 2;
const runtime = FAKE_RUNTIME;
const seen = { prompts: [] as string[][], loads: 0 };

vi.mock('../worker/client', async (importOriginal) => {
  const real = await importOriginal<typeof WorkerClientModule>();
  const { FakeClientBase } = await import('./runTestFakes.fixture');
  class FakeClient extends FakeClientBase {
    async load(): Promise<LoadResult> {
      seen.loads++;
      return { dim: DIM, runtime } as LoadResult;
    }
    async embedText(prompts: string[]): Promise<TextEmbeddings> {
      seen.prompts.push([...prompts]);
      const embeddings = Float32Array.from({ length: prompts.length * DIM }, (_, i) => (i % 3) - 1);
      // stands in for the worker's tokenizer: prompts over 60 characters are "over 77 tokens"
      return { embeddings, truncated: prompts.filter((prompt) => prompt.length > 60) };
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
          embedding: Float32Array.from(i % 2 ? [0, 1] : [1, 0]),
          fromCache: false,
          // stands in for the worker's decoding notes (model/decodingNotes.ts)
          ...(image.id.includes('/water/') ? { note: 'read specially' } : {}),
        })),
        timings: { decode: 0, preprocess: 0, encode: 0, batchSize: images.length },
      });
      return { embedded: images.length, failed: 0, fromCache: 0, cancelled: false, restarts: 0 };
    }
  }
  return { ...real, ClipWorkerClient: FakeClient };
});

const { useRun } = await import('./run');
const { useDataset } = await import('./dataset');
const { useResults } = await import('./results');
const { useSettings } = await import('./settings');

beforeEach(() => {
  seen.prompts = [];
  seen.loads = 0;
  useRun.setState({ phase: 'idle', error: null, message: '', notes: [] });
  useResults.getState().clear();
  useSettings.getState().setModel('local:tiny-clip');
  const dataset = useDataset.getState();
  dataset.clear();
  dataset.setTemplates(['a photo of a {}.', 'art of a {}.']);
  dataset.setGroupPromptPattern('a photo of a {class} on {attribute}.');
  const images = ['landbird/land', 'landbird/water', 'waterbird/land', 'waterbird/water'].flatMap((group) =>
    [0, 1].map((i) => ({
      id: `${group}/${i}.jpg`,
      blob: new Blob(['x']),
      classFolder: group.split('/')[0],
      attributeFolder: group.split('/')[1],
    })),
  );
  dataset.addIngested({ images, skipped: [], notes: [], specials: [] }, 'test');
});

describe('prompts from the edited labels', () => {
  it('class strings fill the templates; attribute words fill the group prompts, keyed by folder', async () => {
    useDataset.getState().setClassText('landbird', 'a bird that lives on land');
    useDataset.getState().setAttributeText('water', 'a lake');
    await useRun.getState().start();
    expect(useRun.getState().phase).toBe('done');
    // template-major: every template × every class string
    expect(seen.prompts[0]).toEqual([
      'a photo of a a bird that lives on land.',
      'a photo of a waterbird.',
      'art of a a bird that lives on land.',
      'art of a waterbird.',
    ]);
    expect(seen.prompts[1]).toEqual([
      'a photo of a a bird that lives on land on land.',
      'a photo of a a bird that lives on land on a lake.',
      'a photo of a waterbird on land.',
      'a photo of a waterbird on a lake.',
    ]);
    const results = useResults.getState();
    expect(results.classes).toEqual(['a bird that lives on land', 'waterbird']);
    // group prompts carry the attribute folder, as the image records do, so groupprompt can match them
    expect(results.groupPrompts.map((g) => `${g.class}|${g.attribute}|${g.prompt}`)).toContain(
      'waterbird|water|a photo of a waterbird on a lake.',
    );
    expect(new Set(results.records.map((r) => r.attribute))).toEqual(new Set(['land', 'water']));
  });

  it('prompts the worker had to cut are named in the run notes, class and group prompts together', async () => {
    const long = 'a bird with a very long and detailed description of its plumage';
    useDataset.getState().setClassText('landbird', long);
    await useRun.getState().start();
    expect(useRun.getState().phase).toBe('done');
    const notes = useRun.getState().notes.filter((note) => note.includes('77-token limit'));
    expect(notes).toEqual([
      `4 prompts were longer than CLIP's 77-token limit and were cut: "a photo of a ${long}.", "art of a ${long}.", ` +
        `"a photo of a ${long} on land." and 1 more. CLIP sees only the first 75 tokens; shorten the class names, ` +
        'templates or group prompts.',
    ]);
  });

  it("the images' decoding notes become one run note per kind, naming the files", async () => {
    await useRun.getState().start();
    expect(useRun.getState().notes).toContain(
      'read specially (4 images: landbird/water/0.jpg, landbird/water/1.jpg, waterbird/water/0.jpg and 1 more).',
    );
  });

  it('a group-prompt pattern without {attribute} stops the run before the model loads, naming the field', async () => {
    useDataset.getState().setGroupPromptPattern('a photo of a {class}.');
    await useRun.getState().start();
    expect(useRun.getState()).toMatchObject({
      phase: 'error',
      error: 'The group prompt has no "{attribute}".',
    });
    expect(seen.loads).toBe(0);
  });
});
