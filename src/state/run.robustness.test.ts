/**
 * The run under bad configuration and cancellation in every phase (issue 7). The worker client is replaced
 * by a scripted fake whose every call waits for the test, so cancel can land inside each phase.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type * as WorkerClientModule from '../worker/client';
import { FAKE_RUNTIME } from './runTestFakes.fixture';
import type { ImageBatch, ImageRunSummary, ItemProgress, LoadResult, TextEmbeddings } from '../worker/client';

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: Error): void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const DIM = 2;
const runtime = FAKE_RUNTIME;

/** What the fake saw, and the gates the test opens. */
const script = {
  calls: [] as string[],
  load: deferred<LoadResult>(),
  text: deferred<undefined>(),
  images: deferred<undefined>(),
  cancelled: false,
  /** what the first image batch reports about the persistent cache */
  cacheNote: undefined as string | undefined,
};

vi.mock('../worker/client', async (importOriginal) => {
  const real = await importOriginal<typeof WorkerClientModule>();
  const { FakeClientBase } = await import('./runTestFakes.fixture');
  class FakeClient extends FakeClientBase {
    async load(): Promise<LoadResult> {
      script.calls.push('load');
      // a real worker cannot abort a model load midway: it finishes, and the run must stop afterwards
      return script.load.promise;
    }
    async embedText(prompts: string[], onProgress?: (p: ItemProgress) => void): Promise<TextEmbeddings> {
      script.calls.push(`embedText:${prompts.length}`);
      onProgress?.({ phase: 'text', done: 0, total: prompts.length });
      await script.text.promise;
      if (script.cancelled) throw new real.CancelledError();
      const out = new Float32Array(prompts.length * DIM);
      prompts.forEach((_, i) => out.set(i % 2 ? [0, 1] : [1, 0], i * DIM));
      return { embeddings: out, truncated: [] };
    }
    async embedImages(
      images: { id: string }[],
      _batch: number,
      onBatch: (b: ImageBatch) => void,
    ): Promise<ImageRunSummary> {
      script.calls.push(`embedImages:${images.length}`);
      // first half arrives, then the test decides: cancel (worker stops within one batch) or finish
      const half = images.slice(0, Math.ceil(images.length / 2));
      onBatch({
        dim: DIM,
        outcomes: half.map((image, i) => ({
          id: image.id,
          ok: true,
          embedding: Float32Array.from(i % 2 ? [0, 1] : [1, 0]),
          fromCache: false,
        })),
        timings: { decode: 0, preprocess: 0, encode: 0, batchSize: half.length },
        cacheNote: script.cacheNote,
      });
      await script.images.promise;
      return { embedded: half.length, failed: 0, fromCache: 0, cancelled: script.cancelled, restarts: 0 };
    }
    override cancel(): void {
      script.calls.push('cancel');
      script.cancelled = true;
    }
  }
  return { ...real, ClipWorkerClient: FakeClient };
});

const { useRun } = await import('./run');
const { useDataset } = await import('./dataset');
const { useResults } = await import('./results');
const { useSettings } = await import('./settings');

function dataset(classFolders: string[], perClass = 2): void {
  useDataset.getState().clear();
  useDataset.getState().resetTemplates();
  const images = classFolders.flatMap((c) =>
    Array.from({ length: perClass }, (_, i) => ({
      id: `${c}/land/${i}.jpg`,
      blob: new Blob(['x']),
      classFolder: c,
      attributeFolder: 'land',
    })),
  );
  useDataset.getState().addIngested({ images, skipped: [], notes: [], specials: [] }, 'test');
}

beforeEach(() => {
  script.calls = [];
  script.load = deferred();
  script.text = deferred();
  script.images = deferred();
  script.cancelled = false;
  script.cacheNote = undefined;
  useRun.setState({ phase: 'idle', error: null, message: '', notes: [] });
  useResults.getState().clear();
  useSettings.getState().setModel('local:tiny-clip');
  dataset(['landbird', 'waterbird']);
});

async function until(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !predicate(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(predicate()).toBe(true);
}

describe("configuration errors stop the run before the model loads, naming the field in users' words", () => {
  it('an empty class string', async () => {
    useDataset.getState().setClassText('waterbird', '   ');
    await useRun.getState().start();
    expect(useRun.getState()).toMatchObject({
      phase: 'error',
      error: 'Class 2 (folder waterbird) is empty: type the word(s) the templates should use.',
    });
    expect(script.calls).toEqual([]);
  });

  it('duplicate classes (two folders given the same class string)', async () => {
    useDataset.getState().setClassText('waterbird', 'landbird');
    await useRun.getState().start();
    expect(useRun.getState().error).toBe(
      'Class 2 ("landbird") is the same as class 1 ("landbird"): each needs its own text.',
    );
    expect(script.calls).toEqual([]);
  });

  it('a template without {}', async () => {
    useDataset.getState().setTemplates(['a photo of a {}.', 'a photo of a bird.']);
    await useRun.getState().start();
    expect(useRun.getState().error).toBe('Template 2 ("a photo of a bird.") has no "{}" where the class name goes.');
    expect(script.calls).toEqual([]);
  });

  it('a single class', async () => {
    dataset(['landbird']);
    await useRun.getState().start();
    expect(useRun.getState().error).toBe('Add images of at least two classes first.');
    expect(script.calls).toEqual([]);
  });

  it('1,000 templates run: 2,000 prompts embedded, K clamps to 1 … 1,000', async () => {
    useDataset.getState().setTemplates(Array.from({ length: 1000 }, (_, t) => `photo ${t} of a {}.`));
    const run = useRun.getState().start();
    script.load.resolve({ runtime, dim: DIM });
    script.text.resolve(undefined);
    script.images.resolve(undefined);
    await run;
    expect(useRun.getState().phase).toBe('done');
    expect(script.calls).toContain('embedText:2000');
    expect(useResults.getState().templates).toHaveLength(1000);
    useResults.getState().setView({ k: 0 });
    expect(useResults.getState().view.k).toBe(1);
    useResults.getState().setView({ k: 5000 });
    expect(useResults.getState().view.k).toBe(1000);
    useResults.getState().setView({ k: Number.NaN });
    expect(useResults.getState().view.k).toBe(1000);
  });
});

describe('cancel during every phase ends in "cancelled" with what was done kept', () => {
  it('while the model loads: the load finishes (it cannot be aborted) and nothing after it starts', async () => {
    const run = useRun.getState().start();
    await until(() => useRun.getState().phase === 'loading');
    useRun.getState().cancel();
    script.load.resolve({ runtime, dim: DIM });
    await run;
    expect(useRun.getState().phase).toBe('cancelled');
    expect(script.calls.filter((c) => c.startsWith('embed'))).toEqual([]);
  });

  it('while the prompts embed', async () => {
    const run = useRun.getState().start();
    script.load.resolve({ runtime, dim: DIM });
    await until(() => useRun.getState().phase === 'text');
    useRun.getState().cancel();
    script.text.resolve(undefined);
    await run;
    expect(useRun.getState().phase).toBe('cancelled');
    expect(script.calls.some((c) => c.startsWith('embedImages'))).toBe(false);
  });

  it('while images embed: the finished batch stays in the results', async () => {
    const run = useRun.getState().start();
    script.load.resolve({ runtime, dim: DIM });
    script.text.resolve(undefined);
    await until(() => useRun.getState().phase === 'images');
    useRun.getState().cancel();
    script.images.resolve(undefined);
    await run;
    expect(useRun.getState().phase).toBe('cancelled');
    expect(useRun.getState().message).toMatch(
      /^Cancelled after 2 of 4 images; results cover the images done so far\.$/,
    );
    expect(useResults.getState().records).toHaveLength(2);
    expect(useResults.getState().analysis?.n).toBe(2);
  });
});

describe('IndexedDB quota exceeded during a run', () => {
  it('the run goes on and the note appears while it runs, once', async () => {
    script.cacheNote =
      'embedding cache unavailable (storage quota exceeded); embeddings kept in memory for this session';
    const run = useRun.getState().start();
    script.load.resolve({ runtime, dim: DIM });
    script.text.resolve(undefined);
    await until(() => useRun.getState().phase === 'images');
    expect(useRun.getState().notes).toEqual([script.cacheNote]);
    script.images.resolve(undefined);
    await run;
    expect(useRun.getState().phase).toBe('done');
    expect(useResults.getState().records).toHaveLength(2);
  });
});
