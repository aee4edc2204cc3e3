/**
 * What the results views show: a (possibly growing) embedding set in sage-embeddings/1 shape, the
 * similarity tensor extended per batch, and the analysis built from it. View parameters (method, K, …)
 * live here too; every view derives from these with memoised pure functions (src/state/derive).
 */
import { create } from 'zustand';
import {
  type Analysis,
  type EmbeddingBundle,
  type GroupPrompt,
  type ImageRecord,
  type MethodId,
  type Aggregate,
  type SimilarityTensor,
  buildAnalysis,
  extendAnalysis,
  extendSimilarityTensor,
  similarityTensor,
  DEFAULT_ZEROSHOT_TEMPLATE,
} from '../core';
import type { RuntimeInfo } from '../core/config';

export type ResultsSourceKind = 'run' | 'bundle' | 'report';

export interface ResultsSource {
  kind: ResultsSourceKind;
  label: string;
}

export interface ViewParams {
  method: MethodId;
  k: number;
  aggregate: Aggregate;
  seed: number;
  zeroshotTemplate: number;
}

export const DEFAULT_VIEW: ViewParams = {
  method: 'sage',
  k: 1,
  aggregate: 'embedding',
  seed: 0,
  zeroshotTemplate: DEFAULT_ZEROSHOT_TEMPLATE,
};

export interface ResultsState {
  source: ResultsSource | null;
  model: string;
  dim: number;
  classes: string[];
  templates: string[];
  /** M·C × dim, template-major */
  text: Float32Array;
  groupPrompts: GroupPrompt[];
  records: ImageRecord[];
  /** growing N × dim store; rows [0, records.length) are valid */
  embeddings: Float32Array;
  tensor: SimilarityTensor | null;
  /** built from the first analysis.n records; lags the tensor by at most one rebuild while streaming */
  analysis: Analysis | null;
  runtime: RuntimeInfo | null;
  /** images expected in this run (reserves layout space while streaming) */
  expected: number;
  /** thumbnails by image id: the dropped file, or a data URL from a report */
  thumbnails: Map<string, Blob | string>;
  view: ViewParams;
  selectedImage: string | null;
  begin(init: ResultsInit): void;
  appendImages(records: readonly ImageRecord[], embeddings: Float32Array): void;
  /** rebuild the analysis over every image received so far */
  refreshAnalysis(): void;
  setView(patch: Partial<ViewParams>): void;
  selectImage(id: string | null): void;
  setRuntime(runtime: RuntimeInfo): void;
  clear(): void;
}

export interface ResultsInit {
  source: ResultsSource;
  model: string;
  dim: number;
  classes: string[];
  templates: string[];
  text: Float32Array;
  groupPrompts?: GroupPrompt[];
  expected: number;
  thumbnails?: Map<string, Blob | string>;
  runtime?: RuntimeInfo | null;
  view?: Partial<ViewParams>;
}

const empty = {
  source: null,
  model: '',
  dim: 0,
  classes: [],
  templates: [],
  text: new Float32Array(0),
  groupPrompts: [],
  records: [],
  embeddings: new Float32Array(0),
  tensor: null,
  analysis: null,
  runtime: null,
  expected: 0,
  thumbnails: new Map<string, Blob | string>(),
  selectedImage: null,
};

export const useResults = create<ResultsState>()((set, get) => ({
  ...empty,
  view: DEFAULT_VIEW,
  begin(init) {
    const tensor = similarityTensor({
      imageEmbeddings: new Float32Array(0),
      n: 0,
      textEmbeddings: init.text,
      m: init.templates.length,
      c: init.classes.length,
      dim: init.dim,
    });
    const view = { ...get().view, ...init.view };
    set({
      ...empty,
      source: init.source,
      model: init.model,
      dim: init.dim,
      classes: init.classes,
      templates: init.templates,
      text: init.text,
      groupPrompts: init.groupPrompts ?? [],
      embeddings: new Float32Array(Math.max(1, init.expected) * init.dim),
      tensor,
      runtime: init.runtime ?? null,
      expected: init.expected,
      thumbnails: init.thumbnails ?? new Map(),
      view: { ...view, k: Math.min(Math.max(1, view.k), init.templates.length) },
    });
  },
  appendImages(records, embeddings) {
    const state = get();
    if (!state.tensor || records.length === 0) return;
    const { dim } = state;
    const n = state.records.length;
    let store = state.embeddings;
    if (store.length < (n + records.length) * dim) {
      const grown = new Float32Array(Math.max(n + records.length, Math.ceil(n * 1.5)) * dim);
      grown.set(store.subarray(0, n * dim));
      store = grown;
    }
    store.set(embeddings.subarray(0, records.length * dim), n * dim);
    const tensor = extendSimilarityTensor(state.tensor, embeddings, records.length);
    set({ records: [...state.records, ...records], embeddings: store, tensor });
  },
  refreshAnalysis() {
    const { tensor, analysis } = get();
    if (!tensor || tensor.n === 0 || analysis?.n === tensor.n) return;
    // streaming: only the new rows' separation, ranking and prefix tables are computed
    set({
      analysis:
        analysis && analysis.tensor.unitText === tensor.unitText
          ? extendAnalysis(analysis, tensor)
          : buildAnalysis(tensor),
    });
  },
  setView(patch) {
    set((state) => {
      const view = { ...state.view, ...patch };
      const m = state.templates.length;
      // a NaN K (e.g. an empty number field) keeps the previous K rather than poisoning every view
      if (!Number.isFinite(view.k)) view.k = state.view.k;
      if (m > 0) view.k = Math.min(Math.max(1, Math.round(view.k)), m);
      return { view };
    });
  },
  selectImage(selectedImage) {
    set({ selectedImage });
  },
  setRuntime(runtime) {
    set({ runtime });
  },
  clear() {
    set({ ...empty });
  },
}));

/** Loads a whole embedding bundle (dropped file or report payload) into the results store. */
export function openBundle(
  bundle: EmbeddingBundle,
  source: ResultsSource,
  extras: { thumbnails?: Map<string, Blob | string>; view?: Partial<ViewParams>; runtime?: RuntimeInfo | null } = {},
): void {
  const store = useResults.getState();
  store.begin({
    source,
    model: bundle.model,
    dim: bundle.dim,
    classes: bundle.classes,
    templates: bundle.templates,
    text: bundle.text,
    groupPrompts: bundle.groupPrompts,
    expected: bundle.images.length,
    thumbnails: extras.thumbnails,
    runtime: extras.runtime,
    view: extras.view,
  });
  store.appendImages(bundle.images, bundle.imageEmbeddings);
  useResults.getState().refreshAnalysis();
}

/** The current results as a sage-embeddings/1 bundle (for export and reports). */
export function currentBundle(state: ResultsState = useResults.getState()): EmbeddingBundle | null {
  if (!state.tensor || state.records.length === 0) return null;
  return {
    format: 'sage-embeddings/1',
    model: state.model,
    dim: state.dim,
    classes: state.classes,
    templates: state.templates,
    text: state.text,
    images: state.records,
    imageEmbeddings: state.embeddings.subarray(0, state.records.length * state.dim),
    groupPrompts: state.groupPrompts.length > 0 ? state.groupPrompts : undefined,
  };
}
