/**
 * "Train an adapter" (issue 15): Yang et al. 2023's multimodal contrastive fine-tuning as a d×d adapter on the
 * results' frozen embeddings (METHODS.md §4b), trained in a worker by core's AdapterTrainer (the CLI's
 * `finetune` runs the same code). This store holds the settings, the live per-epoch curve and the trained
 * adapter, which stays with the session (and goes into reports) until new results replace it.
 */
import { create } from 'zustand';
import {
  DEFAULT_ADAPTER_EPOCHS,
  TRAINING_TEMPLATES,
  adapterDataFromBundle,
  adapterPromptsMissing,
  checkAdapterData,
  chooseTrainingTemplates,
  type AdapterOptimizer,
  type AdapterOptions,
  type AdapterVariant,
  type EpochReport,
  type TrainedAdapter,
} from '../core/adapter';
import { checkSplits, type SplitFractions } from '../core/splits';
import type { EmbeddingBundle, ImageRecord, Split } from '../core/types';
import { errorMessage } from '../core/errors';
import { trainInWorker, type TrainingJob, type TrainWorkerLike } from '../worker/trainClient';
import { missingTextSentence } from './derive/views';
import { currentBundle, useResults } from './results';
import { canEmbedPrompts, embedPrompts } from './run';
import { currentSplits, useSplits, type SplitOrigin } from './splits';

export interface TrainingSettings {
  variant: AdapterVariant;
  epochs: number;
  /** training templates: 8 (the browser preset) or the whole pool (80, as in the paper) */
  templateCount: number;
  optimizer: AdapterOptimizer;
  seed: number;
}

/** The browser preset's template count (the paper uses the whole pool of 80). */
export const DEFAULT_TEMPLATE_COUNT = TRAINING_TEMPLATES.length;

export const DEFAULT_TRAINING_SETTINGS: TrainingSettings = {
  variant: 'ls',
  epochs: Math.min(20, DEFAULT_ADAPTER_EPOCHS),
  templateCount: DEFAULT_TEMPLATE_COUNT,
  optimizer: 'adam',
  seed: 0,
};

/** How the images were split for a training (kept with the adapter and in reports). */
export interface TrainingSplit {
  origin: SplitOrigin;
  /** the made split's seed and fractions (meaningful when origin is `made`) */
  seed: number;
  fractions: SplitFractions;
  /** record id → split, for every image the adapter saw */
  byId: ReadonlyMap<string, Split>;
}

/** A trained adapter and what it was trained with. */
export interface TrainedRun {
  adapter: TrainedAdapter;
  settings: TrainingSettings;
  split: TrainingSplit;
}

export type TrainingPhase = 'idle' | 'embedding' | 'training' | 'done' | 'failed';

export interface TrainingState {
  settings: TrainingSettings;
  phase: TrainingPhase;
  /** this training's epochs so far (the live curve) */
  epochs: EpochReport[];
  /** a sentence for the user */
  error: string | null;
  /** the latest adapter; kept until the results are replaced */
  trained: TrainedRun | null;
  /** the results (text grid) the adapter belongs to: new results drop it */
  trainedFor: Float32Array | null;
  cancelling: boolean;
  setSettings(patch: Partial<TrainingSettings>): void;
  /** a report's adapter (already validated) for the current results */
  restore(run: TrainedRun): void;
  clear(): void;
}

export const useTraining = create<TrainingState>()((set) => ({
  settings: DEFAULT_TRAINING_SETTINGS,
  phase: 'idle',
  epochs: [],
  error: null,
  trained: null,
  trainedFor: null,
  cancelling: false,
  setSettings(patch) {
    set((state) => ({ settings: { ...state.settings, ...patch } }));
  },
  restore(run) {
    set({ trained: run, trainedFor: useResults.getState().text, phase: 'done', epochs: [], error: null });
  },
  clear() {
    set({ phase: 'idle', epochs: [], error: null, trained: null, trainedFor: null, cancelling: false });
  },
}));

/** A trained run as a report records it (share/reportFormat's ReportTraining): the split per image in `records` order. */
export interface TrainingRecord {
  adapter: TrainedAdapter;
  settings: TrainingSettings;
  split: { origin: SplitOrigin; seed: number; fractions: SplitFractions; images: Split[] };
}

/** The adapter for the results on screen, for a report over `records` (undefined when none fits them). */
export function trainingForReport(records: readonly ImageRecord[]): TrainingRecord | undefined {
  const state = useTraining.getState();
  const run = trainedForResults(state, useResults.getState().text);
  if (!run) return undefined;
  const images: Split[] = [];
  for (const record of records) {
    const split = run.split.byId.get(record.id);
    if (split === undefined) return undefined;
    images.push(split);
  }
  const { origin, seed, fractions } = run.split;
  return {
    adapter: run.adapter,
    settings: { ...run.settings },
    split: { origin, seed, fractions: { ...fractions }, images },
  };
}

/**
 * A report's adapter back into the session, after its bundle was opened (records in `records` order): the split
 * settings it was trained with, so the test split is the same, and the trained row.
 */
export function restoreTraining(record: TrainingRecord, records: readonly ImageRecord[]): void {
  const { origin, seed, fractions, images } = record.split;
  useSplits.setState({ origin, seed, fractions: { ...fractions }, scope: 'test' });
  const byId = new Map<string, Split>(records.map((r, i) => [r.id, images[i]]));
  useTraining.setState({ settings: { ...record.settings } });
  useTraining.getState().restore({
    adapter: record.adapter,
    settings: { ...record.settings },
    split: { origin, seed, fractions: { ...fractions }, byId },
  });
}

/** The trained run for the results on screen (null when none, or it was made for other results). */
export function trainedForResults(state: TrainingState, text: Float32Array): TrainedRun | null {
  return state.trained && state.trainedFor === text ? state.trained : null;
}

/** What keeps a variant from training on these results, in words (empty when it can). */
export function variantProblems(
  variant: AdapterVariant,
  records: readonly ImageRecord[],
  classes: readonly string[],
  splits: readonly (Split | undefined)[],
): string[] {
  const attributes = new Set(records.map((r) => r.attribute).filter((a) => a !== ''));
  if (attributes.size === 0) {
    return [
      variant === 'ls'
        ? 'The “ls” variant needs attribute words (what the backgrounds or other suspected features are): sort the images into class/attribute folders, e.g. landbird/water.'
        : 'The “vs” variant needs attribute labels on the training images: sort the images into class/attribute folders, e.g. landbird/water.',
    ];
  }
  return checkSplits(records, splits, classes, { attributeLabelsInTrain: variant === 'vs' }).map(sentence);
}

const sentence = (text: string): string => `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;

/** The training templates (indices into the pool) for a template count. */
export function trainingTemplates(pool: readonly string[], templateCount: number): number[] {
  return chooseTrainingTemplates(pool, templateCount);
}

let job: TrainingJob | null = null;

/** Test seam: the worker factory (tests run the worker's code in-process). */
let workerFactory: (() => TrainWorkerLike) | undefined;
export function setTrainWorkerFactory(factory: (() => TrainWorkerLike) | undefined): void {
  workerFactory = factory;
}

/** Text embeddings for training the results do not hold: the results store's prompt lookup. */
function resultsPromptLookup(): (text: string) => Float32Array | undefined {
  const { prompts } = useResults.getState();
  return (text) => prompts.get(text);
}

/** The bundle, splits and templates a training reads, or the sentences that say why it cannot start. */
export function trainingInputs(
  settings: TrainingSettings,
):
  | { ok: true; bundle: EmbeddingBundle; splits: Split[]; templates: number[]; split: TrainingSplit }
  | { ok: false; problems: string[] } {
  const bundle = currentBundle();
  if (!bundle) return { ok: false, problems: ['There are no results to train on yet.'] };
  const split = currentSplits(bundle.images);
  const problems = variantProblems(settings.variant, bundle.images, bundle.classes, split.splits);
  if (problems.length > 0) return { ok: false, problems };
  const splits = split.splits.map((s) => s ?? 'test');
  const byId = new Map<string, Split>(bundle.images.map((image, i) => [image.id, splits[i]]));
  return {
    ok: true,
    bundle,
    splits,
    templates: trainingTemplates(bundle.templates, settings.templateCount),
    split: { origin: split.origin, seed: split.seed, fractions: { ...split.fractions }, byId },
  };
}

/** The options core's trainer gets from the panel's settings. */
export function trainerOptions(settings: TrainingSettings): Partial<AdapterOptions> {
  return { variant: settings.variant, epochs: settings.epochs, seed: settings.seed, optimizer: settings.optimizer };
}

/**
 * Starts a training with the panel's settings: embeds the attribute prompts the results lack (with the model
 * that made them), then trains in a worker, reporting every epoch. Resolves when it ends (any way).
 */
export async function startTraining(): Promise<void> {
  const store = useTraining;
  if (job || store.getState().phase === 'embedding') return;
  const settings = store.getState().settings;
  const fail = (error: string) => store.setState({ phase: 'failed', error, cancelling: false });
  let inputs = trainingInputs(settings);
  if (!inputs.ok) return fail(inputs.problems.join(' '));
  let missing = adapterPromptsMissing(inputs.bundle, inputs.templates, undefined, resultsPromptLookup());
  if (missing.length > 0) {
    if (!canEmbedPrompts()) return fail(missingTextSentence(missing));
    store.setState({ phase: 'embedding', error: null, epochs: [] });
    await embedPrompts(missing);
    inputs = trainingInputs(settings);
    if (!inputs.ok) return fail(inputs.problems.join(' '));
    missing = adapterPromptsMissing(inputs.bundle, inputs.templates, undefined, resultsPromptLookup());
    if (missing.length > 0) return fail(missingTextSentence(missing));
  }
  const text = useResults.getState().text;
  let data;
  try {
    data = adapterDataFromBundle(inputs.bundle, {
      splits: inputs.splits,
      templates: inputs.templates,
      prompts: resultsPromptLookup(),
    });
  } catch (error) {
    return fail(`Cannot train: ${errorMessage(error)}`);
  }
  const problems = checkAdapterData(data, settings.variant);
  if (problems.length > 0) return fail(problems.map(sentence).join(' '));
  store.setState({ phase: 'training', epochs: [], error: null, cancelling: false });
  const current = trainInWorker(
    data,
    trainerOptions(settings),
    (report) => store.setState((s) => ({ epochs: [...s.epochs, report] })),
    workerFactory,
  );
  job = current;
  const split = inputs.split;
  try {
    const adapter = await current.adapter;
    // new results arrived meanwhile: this adapter belongs to the old ones
    if (useResults.getState().text !== text) return store.setState({ phase: 'idle', cancelling: false });
    store.setState({ phase: 'done', trained: { adapter, settings, split }, trainedFor: text, cancelling: false });
  } catch (error) {
    fail(errorMessage(error));
  } finally {
    job = null;
  }
}

/** Stops after the epoch in progress; the best epoch so far becomes the adapter. */
export function cancelTraining(): void {
  if (!job) return;
  useTraining.setState({ cancelling: true });
  job.cancel();
}

// new results (another bundle, run or report): the last training's curve and messages belonged to the old ones
useResults.subscribe((state, previous) => {
  if (state.text !== previous.text && !job) useTraining.setState({ phase: 'idle', epochs: [], error: null });
});
