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
import { reorderAnalysis } from '../core/analysis';
import type { RuntimeInfo } from '../core/config';
import { canonicalOrder, groupKey, type RunGroup } from './embedOrder';
import type { SetupSnapshot } from './staleness';

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
  /**
   * Extra text embeddings by exact text (issue 11): attribute phrasings, accept phrases and group prompts the
   * SPEC §7 methods look up. Grows when the settings ask for new texts and a model can encode them.
   */
  prompts: ReadonlyMap<string, Float32Array>;
  /** record attribute (folder name in a run, the string itself in a bundle) → attribute word the methods use */
  attributeWords: Readonly<Record<string, string>>;
  records: ImageRecord[];
  /** growing N × dim store; rows [0, records.length) are valid */
  embeddings: Float32Array;
  tensor: SimilarityTensor | null;
  /** built from the first analysis.n records; lags the tensor by at most one rebuild while streaming */
  analysis: Analysis | null;
  runtime: RuntimeInfo | null;
  /** images expected in this run (reserves layout space while streaming) */
  expected: number;
  /** the class × attribute groups of those images, so the views can say which have no results yet */
  expectedGroups: RunGroup[];
  /** the setup that produced these results (issue 12 §6): compared with the panels, encoded in share links */
  producedBy: SetupSnapshot | null;
  /** thumbnails by image id: the dropped file, or a data URL from a report */
  thumbnails: Map<string, Blob | string>;
  view: ViewParams;
  selectedImage: string | null;
  /** set while the views use attribute labels inferred from CLIP tags (issue 14 hand-off) instead of the real ones */
  inferred: InferredAttributes | null;
  begin(init: ResultsInit): void;
  appendImages(records: readonly ImageRecord[], embeddings: Float32Array): void;
  /** adds text embeddings (texts.length × dim) to the prompt lookup; texts already there are kept */
  addPrompts(texts: readonly string[], embeddings: Float32Array): void;
  /** rebuild the analysis over every image received so far */
  refreshAnalysis(): void;
  /**
   * Puts the records (and their embeddings and similarity rows) into their canonical order, `rank` giving each
   * id's position, and rebuilds the analysis: a run streams images interleaved across groups (embedOrder.ts)
   * but its finished records, exports and seeded random picks follow folder order, as the CLI's bundle does.
   */
  restoreRecordOrder(rank: ReadonlyMap<string, number>): void;
  setView(patch: Partial<ViewParams>): void;
  selectImage(id: string | null): void;
  setRuntime(runtime: RuntimeInfo): void;
  /**
   * Every view works on `labels` (one per analysed record, e.g. "water" / "not water") as the attribute, with
   * `groupPrompts` for them (may be empty until embedded). Nothing is re-embedded: methods and groups recompute
   * from the stored embeddings. The real labels are kept for restoreRealAttributes.
   */
  inferAttributes(labels: readonly string[], about: InferredAbout, groupPrompts: GroupPrompt[]): void;
  /** group prompts for the inferred labels once they are embedded (ignored when `about` is no longer current) */
  setInferredGroupPrompts(about: InferredAbout, groupPrompts: GroupPrompt[]): void;
  restoreRealAttributes(): void;
  clear(): void;
}

/** How inferred attribute labels were made: from these words' presence tags, or the closest of them (argmax). */
export interface InferredAbout {
  words: string[];
  how: 'tags' | 'argmax';
  /** the label values, present first (tags) or the words in order (argmax) */
  values: string[];
}

export interface InferredAttributes extends InferredAbout {
  /** what the views used before the first hand-off */
  real: Pick<ResultsState, 'records' | 'attributeWords' | 'groupPrompts' | 'expectedGroups'>;
}

export interface ResultsInit {
  source: ResultsSource;
  model: string;
  dim: number;
  classes: string[];
  templates: string[];
  text: Float32Array;
  groupPrompts?: GroupPrompt[];
  /** extra text embeddings by exact text; group prompts are added to the lookup from `groupPrompts` */
  prompts?: ReadonlyMap<string, Float32Array>;
  attributeWords?: Record<string, string>;
  expected: number;
  /**
   * Every image's embeddings when they are known up front (an analysed bundle): held as the store itself, so no
   * N × dim store is allocated beside them (205 MB at 100,000 images); the caller then sets the records.
   */
  embeddings?: Float32Array;
  /** default: the groups of the records appended first (a bundle), or none */
  expectedGroups?: RunGroup[];
  producedBy?: SetupSnapshot | null;
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
  prompts: new Map<string, Float32Array>(),
  attributeWords: {},
  records: [],
  embeddings: new Float32Array(0),
  tensor: null,
  analysis: null,
  runtime: null,
  expected: 0,
  expectedGroups: [],
  producedBy: null,
  thumbnails: new Map<string, Blob | string>(),
  selectedImage: null,
  inferred: null,
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
      prompts: promptLookup(init.prompts, init.groupPrompts),
      attributeWords: init.attributeWords ?? {},
      embeddings: init.embeddings ?? new Float32Array(Math.max(1, init.expected) * init.dim),
      tensor,
      runtime: init.runtime ?? null,
      expected: init.expected,
      expectedGroups: init.expectedGroups ?? [],
      producedBy: init.producedBy ?? null,
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
  addPrompts(texts, embeddings) {
    const { dim, prompts } = get();
    const fresh = texts.filter((text) => !prompts.has(text));
    if (fresh.length === 0 || embeddings.length < texts.length * dim) return;
    const next = new Map(prompts);
    texts.forEach((text, j) => {
      if (!next.has(text)) next.set(text, embeddings.slice(j * dim, (j + 1) * dim));
    });
    set({ prompts: next });
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
  restoreRecordOrder(rank) {
    // the analysis must cover every image received before its rows are moved with them
    get().refreshAnalysis();
    const { analysis, records, dim } = get();
    if (!analysis || analysis.n !== records.length) return;
    const order = canonicalOrder(
      records.map((r) => r.id),
      rank,
    );
    if (!order) return;
    const embeddings = new Float32Array(get().embeddings.length);
    const previous = get().embeddings;
    for (let i = 0; i < order.length; i++)
      embeddings.set(previous.subarray(order[i] * dim, (order[i] + 1) * dim), i * dim);
    const reordered = reorderAnalysis(analysis, order);
    set({
      records: Array.from(order, (from) => records[from]),
      embeddings,
      tensor: reordered.tensor,
      analysis: reordered,
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
  inferAttributes(labels, about, groupPrompts) {
    const state = get();
    if (!state.analysis || state.analysis.n !== state.records.length || labels.length !== state.records.length) return;
    const real = state.inferred?.real ?? {
      records: state.records,
      attributeWords: state.attributeWords,
      groupPrompts: state.groupPrompts,
      expectedGroups: state.expectedGroups,
    };
    const records = state.records.map((r, i) => ({ ...r, attribute: labels[i] }));
    const groups = new Map<string, RunGroup>();
    for (const r of records) groups.set(groupKey(r.class, r.attribute), { class: r.class, attribute: r.attribute });
    set({
      records,
      // the labels are the words themselves (as in a bundle)
      attributeWords: {},
      groupPrompts,
      expectedGroups: [...groups.values()],
      // a new analysis object: the derived views cache per analysis, and their results depended on the old labels
      analysis: { ...state.analysis },
      inferred: { ...about, real },
    });
  },
  setInferredGroupPrompts(about, groupPrompts) {
    const { inferred, analysis } = get();
    if (
      !inferred ||
      !analysis ||
      JSON.stringify([inferred.words, inferred.how]) !== JSON.stringify([about.words, about.how])
    )
      return;
    // the group-prompt row is cached per analysis too
    set({ groupPrompts, analysis: { ...analysis } });
  },
  restoreRealAttributes() {
    const { inferred, analysis } = get();
    if (!inferred || !analysis) return;
    set({ ...inferred.real, analysis: { ...analysis }, inferred: null });
  },
  clear() {
    set({ ...empty });
  },
}));

/** One lookup by exact text: the extra prompts, then the group prompts (same text = same embedding). */
function promptLookup(
  prompts: ReadonlyMap<string, Float32Array> | undefined,
  groupPrompts: readonly GroupPrompt[] | undefined,
): Map<string, Float32Array> {
  const lookup = new Map(prompts);
  for (const g of groupPrompts ?? []) if (!lookup.has(g.prompt)) lookup.set(g.prompt, g.embedding);
  return lookup;
}

/** Loads a whole embedding bundle (dropped file or report payload) into the results store. */
export function openBundle(bundle: EmbeddingBundle, source: ResultsSource, extras: BundleExtras = {}): void {
  beginBundle(bundle, source, extras);
  useResults.getState().appendImages(bundle.images, bundle.imageEmbeddings);
  useResults.getState().refreshAnalysis();
}

export interface BundleExtras {
  thumbnails?: Map<string, Blob | string>;
  view?: Partial<ViewParams>;
  runtime?: RuntimeInfo | null;
  /** what the file records about its setup; default: the bundle's class strings, attribute words and templates */
  producedBy?: SetupSnapshot;
  /** hold the bundle's own embeddings as the store (ResultsInit.embeddings): only when the records are then set, not appended */
  holdEmbeddings?: boolean;
}

/** openBundle's first step, without the images: a large dropped bundle appends them in steps (openBundleFile). */
export function beginBundle(bundle: EmbeddingBundle, source: ResultsSource, extras: BundleExtras = {}): void {
  const store = useResults.getState();
  const groups = new Map<string, RunGroup>();
  for (const r of bundle.images) groups.set(groupKey(r.class, r.attribute), { class: r.class, attribute: r.attribute });
  store.begin({
    source,
    model: bundle.model,
    dim: bundle.dim,
    classes: bundle.classes,
    templates: bundle.templates,
    text: bundle.text,
    groupPrompts: bundle.groupPrompts,
    prompts: new Map((bundle.prompts ?? []).map((p) => [p.text, p.embedding])),
    expected: bundle.images.length,
    embeddings: extras.holdEmbeddings ? bundle.imageEmbeddings : undefined,
    expectedGroups: [...groups.values()],
    producedBy: extras.producedBy ?? {
      classes: [...bundle.classes],
      attributes: [...new Set(bundle.images.map((r) => r.attribute))].filter((a) => a !== '').sort(),
      templates: [...bundle.templates],
    },
    thumbnails: extras.thumbnails,
    runtime: extras.runtime,
    view: extras.view,
  });
}

/** The prompt lookup minus the group prompts (which travel in their own field): a bundle's or report's `prompts`. */
export function promptsBesidesGroupPrompts(
  state: ResultsState = useResults.getState(),
): { text: string; embedding: Float32Array }[] {
  const groupTexts = new Set(state.groupPrompts.map((g) => g.prompt));
  return [...state.prompts].filter(([text]) => !groupTexts.has(text)).map(([text, embedding]) => ({ text, embedding }));
}

/** The current results as a sage-embeddings/1 bundle (for export and reports). */
export function currentBundle(state: ResultsState = useResults.getState()): EmbeddingBundle | null {
  if (!state.tensor || state.records.length === 0) return null;
  const extraPrompts = promptsBesidesGroupPrompts(state);
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
    prompts: extraPrompts.length > 0 ? extraPrompts : undefined,
  };
}
