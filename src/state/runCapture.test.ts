import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildAnalysis, mulberry32, similarityTensor, type EmbeddingBundle, type ImageRecord } from '../core';
import { FAKE_RUNTIME } from './runTestFakes.fixture';
import { compareAll, type ResultsInput } from './derive/views';
import { DEFAULT_METHOD_SETTINGS, useMethodSettings } from './methodSettings';
import { DEFAULT_VIEW, openBundle, useResults } from './results';
import { useRun } from './run';
import { useRunHistory, type SavedRun } from './runHistory';
import { modelShortName, runLabel, savedRunOf, showKeptRun, startRunCapture, useShownRun } from './runCapture';
import { useDataset } from './dataset';
import type { SetupSnapshot } from './staleness';

const N = 36;
const M = 5;
const C = 2;
const DIM = 6;
const CLASSES = ['landbird', 'waterbird'];
const TEMPLATES = Array.from({ length: M }, (_, t) => `template ${t} of a {}.`);

/** Random image and text embeddings with attribute folders 'land' (every third image) and 'water'. */
function randomRun(seed = 3) {
  const rand = mulberry32(seed);
  const images = Float32Array.from({ length: N * DIM }, () => rand() - 0.5);
  const text = Float32Array.from({ length: M * C * DIM }, () => rand() - 0.5);
  const records: ImageRecord[] = Array.from({ length: N }, (_, i) => ({
    id: `${CLASSES[i % C]}/${i % 3 === 0 ? 'land' : 'water'}/${String(i).padStart(3, '0')}.jpg`,
    class: CLASSES[i % C],
    attribute: i % 3 === 0 ? 'land' : 'water',
  }));
  return { images, text, records };
}

function setupOf(records: readonly ImageRecord[], patch: Partial<SetupSnapshot> = {}): SetupSnapshot {
  return {
    classes: CLASSES,
    attributes: ['land', 'water'],
    templates: TEMPLATES,
    groupPromptPattern: 'a photo of a {class} on {attribute}.',
    model: 'local:tiny-clip',
    dtype: 'fp32',
    images: records.map((r) => `${r.id}\u0000${r.id.split('/')[0]}\u0000${r.attribute}`).sort(),
    ...patch,
  };
}

/** A run's results in the store, as run.ts leaves them (records, embeddings, analysis over all of them). */
function showRun(seed = 3, setup?: Partial<SetupSnapshot>, dtype: 'fp32' | 'q8' = 'fp32') {
  const { images, text, records } = randomRun(seed);
  const store = useResults.getState();
  store.begin({
    source: { kind: 'run', label: 'birds' },
    model: 'local:tiny-clip',
    dim: DIM,
    classes: CLASSES,
    templates: TEMPLATES,
    text,
    attributeWords: { land: 'land', water: 'water' },
    expected: N,
    producedBy: setupOf(records, { dtype, ...setup }),
    runtime: { ...FAKE_RUNTIME, dtype },
  });
  store.appendImages(records, images);
  store.refreshAnalysis();
}

/** Finishes a run as run.ts does: phase running → done. */
function finishRun() {
  useRun.setState({ phase: 'images' });
  useRun.setState({ phase: 'done' });
}

/** The comparison table's input built independently of the results store. */
function independentInput(seed = 3): ResultsInput {
  const { images, text, records } = randomRun(seed);
  const analysis = buildAnalysis(
    similarityTensor({ imageEmbeddings: images, n: N, textEmbeddings: text, m: M, c: C, dim: DIM }),
  );
  return {
    analysis,
    records,
    classes: CLASSES,
    templates: TEMPLATES,
    embeddings: images,
    dim: DIM,
    groupPrompts: [],
    prompts: new Map(),
    attributeKeys: ['land', 'water'],
    attributeWords: ['land', 'water'],
    methodSettings: { ...DEFAULT_METHOD_SETTINGS, groupPromptPattern: useDataset.getState().groupPromptPattern },
  };
}

let stop: (() => void) | null = null;

beforeEach(() => {
  useResults.getState().clear();
  useResults.setState({ view: DEFAULT_VIEW });
  useRun.setState({ phase: 'idle' });
  useRunHistory.getState().clear();
  useMethodSettings.getState().set(DEFAULT_METHOD_SETTINGS);
  stop = startRunCapture();
});

afterEach(() => {
  stop?.();
  vi.useRealTimers();
});

describe('capturing a run', () => {
  it('keeps every row the comparison table shows, with the same metrics, at the current K', () => {
    useResults.getState().setView({ k: 3, seed: 2 });
    showRun();
    finishRun();
    const runs = useRunHistory.getState().runs;
    expect(runs).toHaveLength(1);
    const table = compareAll(independentInput(), { ...DEFAULT_VIEW, k: 3, seed: 2 }).rows;
    expect(table.length).toBeGreaterThanOrEqual(4);
    expect(runs[0].rows.map((r) => r.method)).toEqual(table.map((r) => r.method));
    runs[0].rows.forEach((row, i) => expect(row.metrics).toEqual(table[i].metrics));
    expect(runs[0].k).toBe(3);
    expect(runs[0].rows.find((r) => r.method === 'sage')?.label).toBe('SAGE (top-K by separation), K = 3');
    expect(runs[0].label).toBe('tiny-clip · fp32');
    // the store persists it: plain data only
    expect(JSON.parse(JSON.stringify(runs[0])).rows[0].metrics.n).toBe(N);
  });

  it('does not keep a run that is still streaming or was cancelled', () => {
    showRun();
    useRun.setState({ phase: 'images' });
    useRun.setState({ phase: 'cancelled' });
    expect(useRunHistory.getState().runs).toHaveLength(0);
  });

  it('replaces the entry of the same setup run again, where it stands, keeping its name', () => {
    showRun();
    finishRun();
    showRun(4, {}, 'q8');
    finishRun();
    const [first, second] = useRunHistory.getState().runs;
    expect(second.label).toBe('tiny-clip · q8');
    useRunHistory.getState().rename(first.id, 'baseline');
    // the fp32 setup again (other numbers: new embeddings of the same setup)
    showRun(5);
    finishRun();
    const runs = useRunHistory.getState().runs;
    expect(runs.map((r) => r.id)).toEqual([first.id, second.id]);
    expect(runs[0].label).toBe('baseline');
    // the results on screen are the fp32 entry's; new results (not yet kept) are none
    expect(useShownRun.getState().id).toBe(first.id);
    showRun(6);
    expect(useShownRun.getState().id).toBeNull();
    expect(runs[0].rows[0].metrics).not.toEqual(first.rows[0].metrics);
  });

  it('updates the entry of the results on screen when K changes, but not one the user removed', async () => {
    vi.useFakeTimers();
    showRun();
    finishRun();
    useResults.getState().setView({ k: 4 });
    await vi.advanceTimersByTimeAsync(500);
    const [run] = useRunHistory.getState().runs;
    expect(run.k).toBe(4);
    const table = compareAll(independentInput(), { ...DEFAULT_VIEW, k: 4 }).rows;
    expect(run.rows.find((r) => r.method === 'sage')?.metrics).toEqual(table.find((r) => r.method === 'sage')?.metrics);
    useRunHistory.getState().remove(run.id);
    useResults.getState().setView({ k: 2 });
    await vi.advanceTimersByTimeAsync(500);
    expect(useRunHistory.getState().runs).toHaveLength(0);
  });

  it('keeps an opened bundle once its images are analysed, with its image ids', () => {
    const { images, text, records } = randomRun();
    const bundle: EmbeddingBundle = {
      format: 'sage-embeddings/1',
      model: 'models/tiny-clip',
      dim: DIM,
      classes: CLASSES,
      templates: TEMPLATES,
      text,
      images: records,
      imageEmbeddings: images,
    };
    openBundle(bundle, { kind: 'bundle', label: 'birds.json' });
    const runs = useRunHistory.getState().runs;
    expect(runs).toHaveLength(1);
    expect(runs[0].label).toBe('tiny-clip · bundle');
    expect(runs[0].imageIds).toEqual(records.map((r) => r.id).sort());
    expect(runs[0].source).toEqual({ kind: 'bundle', label: 'birds.json' });
    // the same file opened again is the same entry
    openBundle(bundle, { kind: 'bundle', label: 'birds.json' });
    expect(useRunHistory.getState().runs).toHaveLength(1);
  });
});

describe('run labels', () => {
  const saved = (setup: SetupSnapshot, label: string): SavedRun => ({
    id: label,
    label,
    finishedAt: '',
    setup,
    runtime: null,
    k: 1,
    rows: [],
  });
  const base = setupOf(randomRun().records);

  it('name the model and precision, then what else differs from the first kept run', () => {
    expect(runLabel(base, 'fp32', 'run', [])).toBe('tiny-clip · fp32');
    const first = saved(base, 'tiny-clip · fp32');
    expect(runLabel({ ...base, dtype: 'q8' }, 'q8', 'run', [first])).toBe('tiny-clip · q8');
    expect(runLabel({ ...base, classes: ['a bird of the land', 'waterbird'] }, 'fp32', 'run', [first])).toBe(
      'tiny-clip · fp32 · class strings edited',
    );
    expect(runLabel({ ...base, templates: ['a {}.'], images: base.images?.slice(1) }, 'fp32', 'run', [first])).toBe(
      'tiny-clip · fp32 · templates edited · other images',
    );
    expect(runLabel({ ...base, model: 'Xenova/clip-vit-base-patch16' }, 'q8', 'run', [first])).toBe(
      'clip-vit-base-patch16 · q8',
    );
  });

  it('are unique among the kept runs', () => {
    const first = saved(base, 'tiny-clip · fp32');
    const second = saved({ ...base, templates: ['x {}'] }, 'tiny-clip · fp32 (2)');
    expect(runLabel(base, 'fp32', 'run', [first])).toBe('tiny-clip · fp32 (2)');
    expect(runLabel(base, 'fp32', 'run', [first, second])).toBe('tiny-clip · fp32 (3)');
  });

  it('shorten model ids to their last part', () => {
    expect(modelShortName('local:tiny-clip')).toBe('tiny-clip');
    expect(modelShortName('Xenova/clip-vit-base-patch32')).toBe('clip-vit-base-patch32');
    expect(modelShortName('files:my-clip')).toBe('my-clip');
    expect(modelShortName('/home/me/models/tiny-clip/')).toBe('tiny-clip');
  });

  it('for results not from a run say bundle or report when the precision is unknown', () => {
    const { dtype: _dtype, ...noDtype } = base;
    void _dtype;
    expect(runLabel(noDtype, undefined, 'report', [])).toBe('tiny-clip · report');
  });
});

describe('savedRunOf', () => {
  it('is null without results', () => {
    expect(
      savedRunOf({
        results: useResults.getState(),
        methodSettings: { ...DEFAULT_METHOD_SETTINGS, groupPromptPattern: '' },
        history: [],
        now: new Date(0),
      }),
    ).toBeNull();
  });
});

describe('showKeptRun', () => {
  it('marks a kept run as the results on screen again, so later K changes update it', async () => {
    vi.useFakeTimers();
    showRun();
    finishRun();
    const [kept] = useRunHistory.getState().runs;
    // the same results shown again without a run (a restored session): no entry is on screen until marked
    showRun();
    expect(useShownRun.getState().id).toBeNull();
    showKeptRun('no such run');
    expect(useShownRun.getState().id).toBeNull();
    showKeptRun(kept.id);
    expect(useShownRun.getState().id).toBe(kept.id);
    useResults.getState().setView({ k: 5 });
    await vi.advanceTimersByTimeAsync(500);
    expect(useRunHistory.getState().runs).toHaveLength(1);
    expect(useRunHistory.getState().runs[0].k).toBe(5);
  });
});
