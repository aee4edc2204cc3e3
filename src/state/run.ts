/**
 * The run: ask the embedding cache first; when it holds every prompt and image of this setup, the results come
 * from it and the model is not loaded at all (issue 16 §3). Otherwise load the model (only the towers needed),
 * embed the prompts, then stream image batches into the results store.
 * One run at a time; cancel stops within one batch (the worker's promise).
 */
import { create } from 'zustand';
import { buildGroupPrompts, buildPrompts, type GroupPrompt, type ImageRecord } from '../core';
import type { Dtype, RuntimeInfo } from '../core/config';
import { promptTruncationWarning } from '../model/clipTokenizer';
import { summariseDecodingNotes } from '../model/decodingNotes';
import { CancelledError, ClipWorkerClient, markRunStep, type CacheLookupResult } from '../worker/client';
import type { ModelSource } from '../worker/protocol';
import { useDataset } from './dataset';
import { runInputProblems } from './datasetChecks';
import { summariseDataset } from './datasetSummary';
import { attributeMethodTexts } from './derive/views';
import { groupKey, interleaveByGroup, type RunGroup } from './embedOrder';
import { comparePaths } from './ingest/layout';
import { currentMethodSettings } from './methodSettings';
import { useResults } from './results';
import { modelSourceFor, useSettings, type BackendPreference } from './settings';
import { datasetSetup } from './staleness';
import { errorMessage } from '../core/errors';

export type RunPhase = 'idle' | 'loading' | 'text' | 'images' | 'done' | 'cancelled' | 'error';

export interface RunProgress {
  done: number;
  total: number;
  imagesPerSecond: number;
  etaSeconds: number;
  /** model download bytes while loading */
  loadedBytes: number;
  totalBytes: number;
  file?: string;
  /** bytes of `file` loaded / expected (issue 4: MB per file and in total) */
  fileLoadedBytes?: number;
  fileTotalBytes?: number;
}

export interface RunState {
  phase: RunPhase;
  message: string;
  error: string | null;
  progress: RunProgress;
  runtime: RuntimeInfo | null;
  notes: string[];
  /** the last run took every embedding from the cache and did not load the model (issue 16 §3) */
  modelSkipped: boolean;
  /** milliseconds from Run to results of the last finished run (the benchmark reads it) */
  lastRunMs: number | null;
  start(): Promise<void>;
  cancel(): void;
}

const idleProgress: RunProgress = {
  done: 0,
  total: 0,
  imagesPerSecond: 0,
  etaSeconds: 0,
  loadedBytes: 0,
  totalBytes: 0,
};

let client: ClipWorkerClient | null = null;
function getClient(): ClipWorkerClient {
  if (!client) {
    client = new ClipWorkerClient();
    client.onBackendFallback((event) => {
      useRun.setState((s) => ({
        runtime: event.runtime,
        notes: [...s.notes, `${event.from} failed (${event.reason}); continued on ${event.to}.`],
      }));
      useResults.getState().setRuntime(event.runtime);
    });
    client.onRestart((event) => {
      useRun.setState((s) => ({
        notes: [
          ...s.notes,
          `The CLIP worker crashed (${event.reason}); restarted and resumed (attempt ${event.attempt}).`,
        ],
      }));
    });
  }
  return client;
}

// the cache check's set-up (GPU probe, IndexedDB open) while the user picks images, not in the run's time
if (typeof window !== 'undefined' && typeof Worker !== 'undefined') getClient().warmUpCacheCheck();

/** Set by cancel(): a model load cannot be aborted inside the worker, so the run checks this between phases. */
let cancelRequested = false;

/** Minimum gap between analysis rebuilds while streaming; grows with the rebuild cost. */
const MIN_REFRESH_MS = 400;

/**
 * Issue 16 §4, when memory is tight: a device reporting at most this many GB (navigator.deviceMemory) frees the
 * text tower once the prompts are embedded, before the vision tower loads, so the two never hold memory at once.
 * Elsewhere both stay loaded: a settings change after the run then embeds its new texts at once. A text needed
 * after a release loads the text tower again (a second or two).
 */
export const LOW_MEMORY_GB = 4;

export function releasesTextTower(deviceMemoryGb: number | undefined): boolean {
  return typeof deviceMemoryGb === 'number' && deviceMemoryGb <= LOW_MEMORY_GB;
}

function deviceMemory(): number | undefined {
  return typeof navigator === 'undefined'
    ? undefined
    : (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
}

/**
 * Each image file's SHA-256 and decoding note, by the file itself, once a run has read it: a re-run's cache check
 * then reads no file again (hashing 150 files was most of it). A new file (or a reloaded page) is read once more.
 */
const knownFiles = new WeakMap<Blob, { sha256: string; note?: string }>();

/** The SHA-256 a run already computed for this file, if any (the saved session then does not read it again). */
export function knownFileSha256(blob: Blob): string | undefined {
  return knownFiles.get(blob)?.sha256;
}

/** What the last run would load: after a run served from the cache, a new text loads this model then. */
let lastRunModel: { source: ModelSource; backend: BackendPreference; dtype: Dtype; modelId: string } | null = null;

export const useRun = create<RunState>()((set, get) => ({
  phase: 'idle',
  message: '',
  error: null,
  progress: idleProgress,
  runtime: null,
  notes: [],
  modelSkipped: false,
  lastRunMs: null,
  async start() {
    if (get().phase === 'loading' || get().phase === 'text' || get().phase === 'images') return;
    markRunStep('run started');
    const dataset = useDataset.getState();
    const settings = useSettings.getState();
    const summary = summariseDataset(dataset.images);
    // the status line must not fall back to "Ready." after a failure: it says so, the alert below says why
    const fail = (error: string) => set({ phase: 'error', error, message: 'Run stopped: see the message below.' });
    if (summary.classFolders.length < 2) return fail('Add images of at least two classes first.');
    const classes = summary.classFolders.map((f) => dataset.classText[f] ?? f);
    // the Run button is disabled while any of these stands; a call from elsewhere gets the same sentences.
    // (A pattern without its placeholders would give every group of a class the same prompt, silently.)
    const inputProblems = runInputProblems({
      classFolders: summary.classFolders,
      classes,
      templates: dataset.templates,
      groupPromptPattern: dataset.groupPromptPattern,
      hasAttributes: summary.attributeFolders.some((a) => a !== ''),
    });
    if (inputProblems.length > 0) return fail(inputProblems.join(' '));
    const source = modelSourceFor(settings.model, settings.droppedModel);
    if (!source.ok) return fail(source.error);

    const classOf = new Map(summary.classFolders.map((f, i) => [f, classes[i]]));
    const items = dataset.images.filter((image) => image.classFolder !== '').sort((a, b) => comparePaths(a.id, b.id));
    // canonical (path) position of each image: the records are put back in this order when the run ends
    const rank = new Map(items.map((image, i) => [image.id, i]));
    // class × attribute order, as the dataset matrix (a re-tagged image keeps its path, so path order is not it)
    const groups = new Map<string, RunGroup>();
    for (const f of summary.classFolders)
      for (const a of summary.attributeFolders)
        groups.set(groupKey(f, a), { class: classOf.get(f) as string, attribute: a });
    const present = new Set(items.map((image) => groupKey(image.classFolder, image.attributeFolder)));
    const expectedGroups = [...groups].filter(([key]) => present.has(key)).map(([, group]) => group);
    // what these results will have been made with (issue 12 §6), before any await lets the user edit it
    const producedBy = datasetSetup(dataset, settings.model, settings.dtype);
    const recordById = new Map<string, ImageRecord>(
      items.map((image) => [
        image.id,
        { id: image.id, class: classOf.get(image.classFolder) as string, attribute: image.attributeFolder },
      ]),
    );
    const blobById = new Map(items.map((image) => [image.id, image.blob]));
    const worker = getClient();
    cancelRequested = false;
    let begun = false;
    // the order records end in whenever this run put results on screen (see embedOrder.ts)
    const finishRecords = () => {
      if (begun) useResults.getState().restoreRecordOrder(rank);
      useResults.getState().refreshAnalysis();
    };
    const clickedAt = performance.now();
    set({
      phase: 'loading',
      error: null,
      message: 'Checking the embedding cache…',
      progress: idleProgress,
      notes: [],
      modelSkipped: false,
      lastRunMs: null,
    });
    try {
      // every text this run embeds, known before any model: class prompts, group prompts, the §7 methods' texts
      const prompts = buildPrompts(dataset.templates, classes);
      const attributeFolders = summary.attributeFolders.filter((a) => a !== '');
      const words = attributeFolders.map((a) => dataset.attributeText[a] ?? a);
      const attributeWords = Object.fromEntries(attributeFolders.map((a, j) => [a, words[j]]));
      const groupTexts =
        attributeFolders.length > 0 ? buildGroupPrompts(dataset.groupPromptPattern, classes, words) : [];
      // the texts the SPEC §7 methods need under the current settings; later changes embed only what is new
      const known = new Set([...prompts, ...groupTexts.map((g) => g.prompt)]);
      const methodTexts = [
        ...new Set(
          attributeMethodTexts(classes, words, {
            ...currentMethodSettings(),
            groupPromptPattern: dataset.groupPromptPattern,
          }),
        ),
      ].filter((t) => !known.has(t));
      const allTexts = [...prompts, ...groupTexts.map((g) => g.prompt), ...methodTexts];
      /** rows of `embeddings` (allTexts' order) → the results' class prompts, group prompts and method prompts */
      const textParts = (embeddings: Float32Array, dim: number) => {
        const row = (j: number) => embeddings.slice(j * dim, (j + 1) * dim);
        const groupPrompts: GroupPrompt[] = groupTexts.map((t, j) => ({
          class: t.class,
          // records carry attribute folder names; keep the prompt's group under the same key
          attribute: attributeFolders[j % attributeFolders.length],
          prompt: t.prompt,
          embedding: row(prompts.length + j),
        }));
        const methodPrompts = new Map<string, Float32Array>();
        methodTexts.forEach((t, j) => methodPrompts.set(t, row(prompts.length + groupTexts.length + j)));
        return { text: embeddings.slice(0, prompts.length * dim), groupPrompts, methodPrompts };
      };
      const beginResults = (dim: number, embeddings: Float32Array, runtime: RuntimeInfo) => {
        const parts = textParts(embeddings, dim);
        useResults.getState().begin({
          source: { kind: 'run', label: dataset.sourceLabel || 'your images' },
          model: settings.model,
          dim,
          classes,
          templates: [...dataset.templates],
          text: parts.text,
          groupPrompts: parts.groupPrompts,
          prompts: parts.methodPrompts,
          attributeWords,
          expected: items.length,
          expectedGroups,
          producedBy,
          thumbnails: new Map<string, Blob | string>(items.map((image) => [image.id, image.blob])),
          runtime,
        });
        begun = true;
      };
      const noteTruncated = (truncated: readonly string[]) => {
        const warning = promptTruncationWarning(truncated);
        if (warning) set((s) => ({ notes: [...s.notes, warning] }));
      };

      // issue 16 §3: everything cached → results straight from the cache, no model
      let cached: CacheLookupResult | null = null;
      markRunStep('cache lookup sent');
      try {
        cached = await worker.lookupCached(
          source.source,
          settings.backend,
          settings.dtype,
          allTexts,
          items.map((image) => ({ id: image.id, data: image.blob, sha256: knownFiles.get(image.blob)?.sha256 })),
        );
      } catch {
        // the cache could not answer: the run embeds as it always did
      }
      if (cancelRequested) throw new CancelledError();
      for (const mark of cached?.marks ?? []) markRunStep(mark.name, mark.at);
      markRunStep('cache answer received');
      const found = cached?.lookup;
      if (cached && found?.complete) {
        lastRunModel = {
          source: source.source,
          backend: settings.backend,
          dtype: cached.runtime.dtype,
          modelId: cached.runtime.modelId,
        };
        set({ runtime: cached.runtime });
        noteTruncated(found.truncated);
        beginResults(found.dim, found.text, cached.runtime);
        markRunStep('results begun');
        const records: ImageRecord[] = [];
        const embeddings = new Float32Array(found.images.length * found.dim);
        const decodingNotes: { id: string; note: string }[] = [];
        found.images.forEach((image) => {
          const record = recordById.get(image.id);
          const blob = blobById.get(image.id);
          if (!record || !blob) return;
          embeddings.set(image.embedding, records.length * found.dim);
          records.push(record);
          const known = knownFiles.get(blob);
          const note = image.note ?? known?.note;
          const sha256 = found.hashes[image.id];
          if (!known && sha256) knownFiles.set(blob, { sha256, ...(note ? { note } : {}) });
          if (note) decodingNotes.push({ id: image.id, note });
        });
        useResults.getState().appendImages(records, embeddings.subarray(0, records.length * found.dim));
        markRunStep('images added');
        finishRecords();
        markRunStep('analysis built');
        const decodingSentences = summariseDecodingNotes(decodingNotes);
        set((s) => ({
          phase: 'done',
          modelSkipped: true,
          lastRunMs: performance.now() - clickedAt,
          progress: { ...idleProgress, done: records.length, total: items.length },
          message: `Embedded ${records.length} images, ${records.length} from the cache.`,
          notes: [
            ...s.notes,
            `Every image and prompt embedding came from this browser's cache, so the model was not loaded.`,
            ...decodingSentences,
          ],
        }));
        markRunStep('run done (before React renders)');
        return;
      }

      const promptsNeeded = !found || found.complete || found.missingPrompts > 0;
      const releaseText = releasesTextTower(deviceMemory());
      const hashes = found?.hashes ?? {};
      set({ message: 'Loading the model…' });
      const loaded = await worker.load(
        source.source,
        settings.backend,
        settings.dtype,
        (p) =>
          set({
            progress: {
              ...idleProgress,
              loadedBytes: p.loadedBytes,
              totalBytes: p.totalBytes,
              file: p.file,
              fileLoadedBytes: p.fileLoadedBytes,
              fileTotalBytes: p.fileTotalBytes,
            },
          }),
        // the text tower only when a prompt must be embedded, and then the vision tower after the prompts (on the
        // first image batch): two sessions created together held both model files and both sessions' creation
        // copies at once (bench/memorySteps.ts measures the two orders)
        { text: promptsNeeded, vision: !promptsNeeded },
      );
      lastRunModel = {
        source: source.source,
        backend: settings.backend,
        dtype: loaded.runtime.dtype,
        modelId: loaded.runtime.modelId,
      };
      if (cancelRequested) throw new CancelledError();
      set({ runtime: loaded.runtime, phase: 'text', message: 'Embedding the prompts…' });

      // class prompts, group prompts and the methods' texts, each one request (only the missing reach the tower)
      const text = await worker.embedText(prompts, (p) =>
        set({ progress: { ...idleProgress, done: p.done, total: p.total } }),
      );
      const all = new Float32Array(allTexts.length * loaded.dim);
      all.set(text.embeddings);
      const truncated = [...text.truncated];
      let row = prompts.length;
      for (const more of [groupTexts.map((g) => g.prompt), methodTexts]) {
        if (more.length === 0) continue;
        const embedded = await worker.embedText(more);
        all.set(embedded.embeddings, row * loaded.dim);
        truncated.push(...embedded.truncated);
        row += more.length;
      }
      noteTruncated(truncated);

      if (cancelRequested) throw new CancelledError();
      beginResults(loaded.dim, all, loaded.runtime);
      set({ phase: 'images', message: 'Embedding images…', progress: { ...idleProgress, total: items.length } });

      const started = performance.now();
      const decodingNotes: { id: string; note: string }[] = [];
      let lastRefresh = 0;
      let refreshCost = 0;
      // interleaved across groups, so partial and cancelled results cover every group
      const summaryResult = await worker.embedImages(
        interleaveByGroup(items).map((image) => ({ id: image.id, data: image.blob, sha256: hashes[image.id] })),
        settings.batchSize,
        (batch) => {
          const cacheNote = batch.cacheNote;
          if (cacheNote) set((s) => ({ notes: s.notes.includes(cacheNote) ? s.notes : [...s.notes, cacheNote] }));
          const ok = batch.outcomes.filter((o) => o.ok);
          const records: ImageRecord[] = [];
          const embeddings = new Float32Array(ok.length * batch.dim);
          ok.forEach((outcome, j) => {
            const record = recordById.get(outcome.id);
            if (!record || !outcome.ok) return;
            const blob = blobById.get(outcome.id);
            if (blob && outcome.sha256)
              knownFiles.set(blob, { sha256: outcome.sha256, ...(outcome.note ? { note: outcome.note } : {}) });
            records.push(record);
            embeddings.set(outcome.embedding, j * batch.dim);
            if (outcome.note) decodingNotes.push({ id: outcome.id, note: outcome.note });
          });
          const failed = batch.outcomes.filter((o) => !o.ok);
          if (failed.length > 0) {
            useDataset
              .getState()
              .addSkipped(failed.map((o) => ({ path: o.id, reason: o.ok ? '' : `could not be decoded: ${o.reason}` })));
          }
          useResults.getState().appendImages(records, embeddings);
          const now = performance.now();
          if (now - lastRefresh > Math.max(MIN_REFRESH_MS, 4 * refreshCost)) {
            useResults.getState().refreshAnalysis();
            refreshCost = performance.now() - now;
            lastRefresh = performance.now();
          }
        },
        (p) => {
          const seconds = (performance.now() - started) / 1000;
          const rate = seconds > 0 ? p.done / seconds : 0;
          set({
            progress: {
              ...idleProgress,
              done: p.done,
              total: p.total,
              imagesPerSecond: rate,
              etaSeconds: rate > 0 ? (p.total - p.done) / rate : 0,
            },
          });
        },
        { releaseTextTower: releaseText },
      );
      finishRecords();
      decodingNotes.sort((a, b) => (rank.get(a.id) ?? 0) - (rank.get(b.id) ?? 0));
      const decodingSentences = summariseDecodingNotes(decodingNotes);
      if (decodingSentences.length > 0) set((s) => ({ notes: [...s.notes, ...decodingSentences] }));
      if (summaryResult.cancelled)
        set({
          phase: 'cancelled',
          message: `Cancelled after ${summaryResult.embedded + summaryResult.failed} of ${items.length} images; results cover the images done so far.`,
        });
      else {
        const cachedNote = summaryResult.fromCache > 0 ? `, ${summaryResult.fromCache} from the cache` : '';
        set({
          phase: 'done',
          lastRunMs: performance.now() - clickedAt,
          message: `Embedded ${summaryResult.embedded} images${cachedNote}${summaryResult.failed ? `; ${summaryResult.failed} could not be read (see skipped files)` : ''}.`,
        });
      }
    } catch (error) {
      if (error instanceof CancelledError) {
        finishRecords();
        set({ phase: 'cancelled', message: 'Cancelled.' });
      } else {
        // a failed run keeps the images done so far on screen, in their canonical order too
        finishRecords();
        fail(errorMessage(error));
      }
    }
  },
  cancel() {
    cancelRequested = true;
    client?.cancel();
  },
}));

export interface PromptEmbeddingState {
  /** texts being embedded now */
  pending: string[];
  error: string | null;
}

/** Texts embedded after a run because the §7 settings changed (new phrasings, accept pairs, group pattern). */
export const usePromptEmbedding = create<PromptEmbeddingState>()(() => ({ pending: [], error: null }));

/**
 * Whether texts can be embedded for the current results: by the loaded model, or by the model of the last run
 * when that run came from the cache without loading it (it loads on the first new text); either way the same
 * model and precision that made them (mixing encoders would compare unlike embeddings), and no run using the worker.
 */
export function canEmbedPrompts(): boolean {
  const made = useResults.getState().runtime;
  const phase = useRun.getState().phase;
  if (!client || !made || phase === 'loading' || phase === 'text' || phase === 'images') return false;
  const matches = (model: { modelId: string; dtype: Dtype } | null | undefined) =>
    !!model && model.modelId === made.modelId && model.dtype === made.dtype;
  return matches(client.runtime) || matches(lastRunModel);
}

/** Loads the last run's model (text tower only) when a run served from the cache left none loaded. */
async function ensureTextModel(worker: ClipWorkerClient): Promise<void> {
  const made = useResults.getState().runtime;
  const loaded = worker.runtime;
  if (loaded && made && loaded.modelId === made.modelId && loaded.dtype === made.dtype) return;
  if (!lastRunModel) return;
  await worker.load(lastRunModel.source, lastRunModel.backend, lastRunModel.dtype, undefined, {
    text: true,
    vision: false,
  });
}

/**
 * Embeds the texts the results do not hold yet and adds them to the results' prompt lookup. Texts already known
 * or being embedded are skipped (the worker's cache keeps each (model, text) once, so a text typed back costs
 * nothing). Does nothing when no matching model is loaded: the rows then say which texts are missing.
 */
export async function embedPrompts(texts: readonly string[]): Promise<void> {
  if (!client || !canEmbedPrompts()) return;
  const { prompts, text } = useResults.getState();
  const busy = new Set(usePromptEmbedding.getState().pending);
  const fresh = [...new Set(texts)].filter((t) => !prompts.has(t) && !busy.has(t));
  if (fresh.length === 0) return;
  usePromptEmbedding.setState((s) => ({ pending: [...s.pending, ...fresh], error: null }));
  try {
    await ensureTextModel(client);
    const embedded = await client.embedText(fresh);
    // a run or a dropped bundle may have replaced the results meanwhile (new results, new text grid)
    if (useResults.getState().text === text) useResults.getState().addPrompts(fresh, embedded.embeddings);
    const warning = promptTruncationWarning(embedded.truncated);
    if (warning) useRun.setState((s) => ({ notes: s.notes.includes(warning) ? s.notes : [...s.notes, warning] }));
  } catch (error) {
    usePromptEmbedding.setState({ error: `Could not embed the new texts: ${errorMessage(error)}` });
  } finally {
    const done = new Set(fresh);
    usePromptEmbedding.setState((s) => ({ pending: s.pending.filter((t) => !done.has(t)) }));
  }
}
