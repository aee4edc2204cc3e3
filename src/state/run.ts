/**
 * The run: load the model, embed the prompts, then stream image batches into the results store.
 * One run at a time; cancel stops within one batch (the worker's promise).
 */
import { create } from 'zustand';
import {
  buildGroupPrompts,
  buildPrompts,
  validateClasses,
  validateGroupPromptPattern,
  validateTemplates,
  type GroupPrompt,
  type ImageRecord,
} from '../core';
import type { RuntimeInfo } from '../core/config';
import { promptTruncationWarning } from '../model/clipTokenizer';
import { summariseDecodingNotes } from '../model/decodingNotes';
import { CancelledError, ClipWorkerClient } from '../worker/client';
import { useDataset } from './dataset';
import { summariseDataset } from './datasetSummary';
import { attributeMethodTexts } from './derive/views';
import { groupKey, interleaveByGroup, type RunGroup } from './embedOrder';
import { comparePaths } from './ingest/layout';
import { currentMethodSettings } from './methodSettings';
import { useResults } from './results';
import { modelSourceFor, useSettings } from './settings';
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

/** Set by cancel(): a model load cannot be aborted inside the worker, so the run checks this between phases. */
let cancelRequested = false;

/** Minimum gap between analysis rebuilds while streaming; grows with the rebuild cost. */
const MIN_REFRESH_MS = 400;

export const useRun = create<RunState>()((set, get) => ({
  phase: 'idle',
  message: '',
  error: null,
  progress: idleProgress,
  runtime: null,
  notes: [],
  async start() {
    if (get().phase === 'loading' || get().phase === 'text' || get().phase === 'images') return;
    const dataset = useDataset.getState();
    const settings = useSettings.getState();
    const summary = summariseDataset(dataset.images);
    // the status line must not fall back to "Ready." after a failure: it says so, the alert below says why
    const fail = (error: string) => set({ phase: 'error', error, message: 'Run stopped: see the message below.' });
    if (summary.classFolders.length < 2) return fail('Add images of at least two classes first.');
    const classes = summary.classFolders.map((f) => dataset.classText[f] ?? f);
    const classErrors = validateClasses(classes);
    if (classErrors.length > 0) return fail(classErrors.map((e) => `${e.field}: ${e.message}`).join('; '));
    const templateErrors = validateTemplates(dataset.templates);
    if (templateErrors.length > 0) return fail(templateErrors.map((e) => `${e.field}: ${e.message}`).join('; '));
    // a pattern without its placeholders would give every group of a class the same prompt, silently
    const patternErrors = summary.attributeFolders.some((a) => a !== '')
      ? validateGroupPromptPattern(dataset.groupPromptPattern)
      : [];
    if (patternErrors.length > 0) return fail(patternErrors.map((e) => `${e.field}: ${e.message}`).join('; '));
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
    const worker = getClient();
    cancelRequested = false;
    let begun = false;
    // the order records end in whenever this run put results on screen (see embedOrder.ts)
    const finishRecords = () => {
      if (begun) useResults.getState().restoreRecordOrder(rank);
      useResults.getState().refreshAnalysis();
    };
    set({ phase: 'loading', error: null, message: 'Loading the model…', progress: idleProgress, notes: [] });
    try {
      const loaded = await worker.load(source.source, settings.backend, settings.dtype, (p) =>
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
      );
      if (cancelRequested) throw new CancelledError();
      set({ runtime: loaded.runtime, phase: 'text', message: 'Embedding the prompts…' });

      const prompts = buildPrompts(dataset.templates, classes);
      const text = await worker.embedText(prompts, (p) =>
        set({ progress: { ...idleProgress, done: p.done, total: p.total } }),
      );
      const attributeFolders = summary.attributeFolders.filter((a) => a !== '');
      const truncated = [...text.truncated];
      let groupPrompts: GroupPrompt[] = [];
      if (attributeFolders.length > 0) {
        const words = attributeFolders.map((a) => dataset.attributeText[a] ?? a);
        const texts = buildGroupPrompts(dataset.groupPromptPattern, classes, words);
        const embedded = await worker.embedText(texts.map((t) => t.prompt));
        truncated.push(...embedded.truncated);
        groupPrompts = texts.map((t, j) => ({
          class: t.class,
          // records carry attribute folder names; keep the prompt's group under the same key
          attribute: attributeFolders[j % attributeFolders.length],
          prompt: t.prompt,
          embedding: embedded.embeddings.slice(j * loaded.dim, (j + 1) * loaded.dim),
        }));
      }
      // the texts the SPEC §7 methods need under the current settings; later changes embed only what is new
      const attributeWords = Object.fromEntries(attributeFolders.map((a) => [a, dataset.attributeText[a] ?? a]));
      const known = new Set([...prompts, ...groupPrompts.map((g) => g.prompt)]);
      const methodTexts = attributeMethodTexts(classes, Object.values(attributeWords), {
        ...currentMethodSettings(),
        groupPromptPattern: dataset.groupPromptPattern,
      }).filter((t) => !known.has(t));
      const methodPrompts = new Map<string, Float32Array>();
      if (methodTexts.length > 0) {
        const embedded = await worker.embedText(methodTexts);
        truncated.push(...embedded.truncated);
        methodTexts.forEach((t, j) =>
          methodPrompts.set(t, embedded.embeddings.slice(j * loaded.dim, (j + 1) * loaded.dim)),
        );
      }
      const truncationWarning = promptTruncationWarning(truncated);
      if (truncationWarning) set((s) => ({ notes: [...s.notes, truncationWarning] }));

      if (cancelRequested) throw new CancelledError();
      const thumbnails = new Map<string, Blob | string>(items.map((image) => [image.id, image.blob]));
      const results = useResults.getState();
      results.begin({
        source: { kind: 'run', label: dataset.sourceLabel || 'your images' },
        model: settings.model,
        dim: loaded.dim,
        classes,
        templates: [...dataset.templates],
        text: text.embeddings,
        groupPrompts,
        prompts: methodPrompts,
        attributeWords,
        expected: items.length,
        expectedGroups,
        producedBy,
        thumbnails,
        runtime: loaded.runtime,
      });
      begun = true;
      set({ phase: 'images', message: 'Embedding images…', progress: { ...idleProgress, total: items.length } });

      const started = performance.now();
      const decodingNotes: { id: string; note: string }[] = [];
      let lastRefresh = 0;
      let refreshCost = 0;
      // interleaved across groups, so partial and cancelled results cover every group
      const summaryResult = await worker.embedImages(
        interleaveByGroup(items).map((image) => ({ id: image.id, data: image.blob })),
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
        const cached = summaryResult.fromCache > 0 ? `, ${summaryResult.fromCache} from the cache` : '';
        set({
          phase: 'done',
          message: `Embedded ${summaryResult.embedded} images${cached}${summaryResult.failed ? `; ${summaryResult.failed} could not be read (see skipped files)` : ''}.`,
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
 * Whether the loaded model can embed texts for the current results: the same model and precision that made
 * them (mixing encoders would compare unlike embeddings), and no run using the worker.
 */
export function canEmbedPrompts(): boolean {
  const loaded = client?.runtime;
  const made = useResults.getState().runtime;
  const phase = useRun.getState().phase;
  if (!loaded || !made || phase === 'loading' || phase === 'text' || phase === 'images') return false;
  return loaded.modelId === made.modelId && loaded.dtype === made.dtype;
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
