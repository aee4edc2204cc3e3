/**
 * The order a run embeds in (issue 12 §7): interleaved across groups, so a cancelled run covers every group,
 * while the finished records (and so exports and the seeded random picks) stay in path order; and the run
 * records the setup it used, so a later edit marks its results out of date (§6).
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { buildAnalysis, similarityTensor } from '../core';
import type * as WorkerClientModule from '../worker/client';
import { FAKE_RUNTIME } from './runTestFakes.fixture';
import type { ImageBatch, ImageRunSummary, LoadResult, TextEmbeddings } from '../worker/client';

const DIM = 3;
const runtime = FAKE_RUNTIME;

/** A fixed embedding per image id, so rows can be checked to follow their record. */
function embeddingOf(id: string): Float32Array {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619) >>> 0;
  return Float32Array.from([1 + (h % 7), (h >>> 3) % 5, ((h >>> 7) % 11) - 5]);
}

const fake = { scheduled: [] as string[], batchSizes: [] as number[], cancelAfterBatches: Infinity };

vi.mock('../worker/client', async (importOriginal) => {
  const real = await importOriginal<typeof WorkerClientModule>();
  const { FakeClientBase } = await import('./runTestFakes.fixture');
  class FakeClient extends FakeClientBase {
    async load(): Promise<LoadResult> {
      return { dim: DIM, runtime } as LoadResult;
    }
    async embedText(prompts: string[]): Promise<TextEmbeddings> {
      const embeddings = Float32Array.from({ length: prompts.length * DIM }, (_, i) => Math.sin(i + 1));
      return { embeddings, truncated: [] };
    }
    /** batches as the worker sends them; stops after `cancelAfterBatches`, as a cancel within one batch does */
    async embedImages(
      images: { id: string }[],
      batchSize: number,
      onBatch: (b: ImageBatch) => void,
    ): Promise<ImageRunSummary> {
      fake.scheduled = images.map((i) => i.id);
      fake.batchSizes.push(batchSize);
      let sent = 0;
      for (let start = 0; start < images.length; start += batchSize) {
        if (sent === fake.cancelAfterBatches)
          return { embedded: start, failed: 0, fromCache: 0, cancelled: true, restarts: 0 };
        const chunk = images.slice(start, start + batchSize);
        onBatch({
          dim: DIM,
          outcomes: chunk.map((image) => ({
            id: image.id,
            ok: true,
            embedding: embeddingOf(image.id),
            fromCache: false,
          })),
          timings: { decode: 0, preprocess: 0, encode: 0, batchSize: chunk.length },
        });
        sent++;
      }
      return { embedded: images.length, failed: 0, fromCache: 0, cancelled: false, restarts: 0 };
    }
  }
  return { ...real, ClipWorkerClient: FakeClient };
});

const { useRun } = await import('./run');
const { useDataset } = await import('./dataset');
const { useResults, currentBundle } = await import('./results');
const { useSettings } = await import('./settings');
const { datasetSetup, setupChanges } = await import('./staleness');

/** 9 / 3 / 4 / 8 images, as the e2e folder, added in a shuffled order (ingestion order is not path order). */
const SIZES: Record<string, number> = {
  'landbird/land': 9,
  'landbird/water': 3,
  'waterbird/land': 4,
  'waterbird/water': 8,
};
const ids = Object.entries(SIZES).flatMap(([group, n]) => [...Array(n).keys()].map((i) => `${group}/${i}.jpg`));
const pathOrder = [...ids].sort();

beforeEach(() => {
  fake.scheduled = [];
  fake.batchSizes = [];
  fake.cancelAfterBatches = Infinity;
  useRun.setState({ phase: 'idle', error: null, message: '', notes: [] });
  useResults.getState().clear();
  useSettings.getState().setModel('local:tiny-clip');
  useSettings.getState().setDtype('fp32');
  useSettings.getState().setBatchSize(4);
  const dataset = useDataset.getState();
  dataset.clear();
  dataset.setTemplates(['a photo of a {}.', 'art of a {}.', 'a {} in the wild.']);
  const shuffled = [...ids].reverse();
  dataset.addIngested(
    {
      images: shuffled.map((id) => ({
        id,
        blob: new Blob(['x']),
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

const groupOf = (id: string) => id.split('/').slice(0, 2).join('/');

describe('embedding order', () => {
  it('the worker gets the images round-robin over the groups, each group in path order', async () => {
    await useRun.getState().start();
    expect(fake.scheduled.slice(0, 4).map(groupOf)).toEqual(Object.keys(SIZES));
    expect(fake.scheduled.slice(4, 8).map(groupOf)).toEqual(Object.keys(SIZES));
    // the smallest group (3 images) runs out first
    expect(fake.scheduled.slice(12, 15).map(groupOf)).toEqual(['landbird/land', 'waterbird/land', 'waterbird/water']);
    for (const group of Object.keys(SIZES))
      expect(fake.scheduled.filter((id) => groupOf(id) === group)).toEqual(
        pathOrder.filter((id) => groupOf(id) === group),
      );
    expect(new Set(fake.scheduled).size).toBe(ids.length);
  });

  it('a finished run holds its records in path order, each embedding and similarity row with its record', async () => {
    await useRun.getState().start();
    expect(useRun.getState().phase).toBe('done');
    const state = useResults.getState();
    expect(state.records.map((r) => r.id)).toEqual(pathOrder);
    state.records.forEach((record, i) =>
      expect(Array.from(state.embeddings.subarray(i * DIM, (i + 1) * DIM))).toEqual(Array.from(embeddingOf(record.id))),
    );
    // the analysis is the one a folder-order run builds, random draws (which depend on the row) included
    const bundle = currentBundle();
    if (!bundle || !state.analysis) throw new Error('expected results');
    const reference = buildAnalysis(
      similarityTensor({
        imageEmbeddings: Float32Array.from(pathOrder.flatMap((id) => Array.from(embeddingOf(id)))),
        n: pathOrder.length,
        textEmbeddings: state.text,
        m: state.templates.length,
        c: state.classes.length,
        dim: DIM,
      }),
    );
    expect(state.analysis.n).toBe(ids.length);
    expect(Array.from(state.analysis.tensor.values)).toEqual(Array.from(reference.tensor.values));
    expect(Array.from(state.analysis.sage.order)).toEqual(Array.from(reference.sage.order));
    expect(Array.from(state.analysis.randomTables(3).order)).toEqual(Array.from(reference.randomTables(3).order));
    expect(bundle.images.map((r) => r.id)).toEqual(pathOrder);
  });

  it('a run cancelled after its first batch has results for every group, in path order', async () => {
    fake.cancelAfterBatches = 1;
    await useRun.getState().start();
    expect(useRun.getState().phase).toBe('cancelled');
    const state = useResults.getState();
    expect(state.analysis?.n).toBe(4);
    expect(new Set(state.records.map((r) => `${r.class}/${r.attribute}`))).toEqual(new Set(Object.keys(SIZES)));
    expect(state.records.map((r) => r.id)).toEqual([...state.records.map((r) => r.id)].sort());
    expect(state.expectedGroups).toEqual(
      Object.keys(SIZES).map((g) => ({ class: g.split('/')[0], attribute: g.split('/')[1] })),
    );
  });
});

describe('groups of a run', () => {
  it('a re-tagged image (its path keeps the old folder) joins its new group once', async () => {
    useDataset.getState().retag(['landbird/land/0.jpg'], 'waterbird', 'water');
    fake.cancelAfterBatches = 1;
    await useRun.getState().start();
    const state = useResults.getState();
    expect(state.expectedGroups.map((g) => `${g.class}/${g.attribute}`)).toEqual(Object.keys(SIZES));
    expect(new Set(state.records.map((r) => `${r.class}/${r.attribute}`)).size).toBe(4);
  });
});

describe('the setup a run records', () => {
  it('is the one it embedded; a class edit afterwards is a change to the class strings', async () => {
    useDataset.getState().setClassText('waterbird', 'a bird on a lake');
    await useRun.getState().start();
    const producedBy = useResults.getState().producedBy;
    if (!producedBy) throw new Error('expected the setup');
    expect(producedBy.classes).toEqual(['landbird', 'a bird on a lake']);
    const now = () => {
      const d = useDataset.getState();
      const s = useSettings.getState();
      return datasetSetup(d, s.model, s.dtype);
    };
    expect(setupChanges(producedBy, now())).toEqual([]);
    useResults.getState().setView({ k: 2, method: 'random', seed: 4 });
    expect(setupChanges(producedBy, now())).toEqual([]);
    useDataset.getState().setClassText('waterbird', 'a duck');
    expect(setupChanges(producedBy, now())).toEqual(['classes']);
  });
});
