/**
 * Opening a dropped embeddings bundle (sage-embeddings/1 JSON or /2 zip) without freezing the page: the bundle
 * worker reads and checks the file (its vectors arrive transferred, not copied), then the images enter the results
 * store in steps of a few dozen milliseconds of similarity work each, with the page free to paint and answer
 * between steps. `useBundleLoading` holds the progress for the drop zone.
 */
import { create } from 'zustand';
import type { EmbeddingBundle } from '../core';
import { errorMessage } from '../core/errors';
import { parseBundleInWorker, type BundleParseProgress } from '../worker/bundleClient';
import { beginBundle, useResults } from './results';

export type OpenBundleOutcome = { ok: true; images: number } | { ok: false; error: string };

export interface BundleLoadProgress {
  name: string;
  /** reading the file, checking its vectors (both in the worker), then scoring images against the prompts */
  stage: BundleParseProgress['stage'] | 'scoring';
  done: number;
  total: number;
}

export const useBundleLoading = create<{ progress: BundleLoadProgress | null }>()(() => ({ progress: null }));

/** "Reading run.sage.zip… 45%": the drop zone's status line while a bundle opens. */
export function describeBundleProgress(progress: BundleLoadProgress): string {
  const percent = progress.total > 0 ? Math.floor((100 * progress.done) / progress.total) : 0;
  const verb = { reading: 'Reading', checking: 'Checking the vectors of', scoring: 'Scoring the images of' }[
    progress.stage
  ];
  return `${verb} ${progress.name}… ${percent}%`;
}

/** Multiply-adds per step of the similarity build: ~30 ms of work on one core, so frames keep coming. */
const STEP_MULTIPLY_ADDS = 25_000_000;

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * The bundle's images into the results store in steps (the similarity tensor grows per step), then the analysis
 * once: every new analysis makes the results view derive all its tables again, seconds at 100k images, so
 * intermediate analyses would only add such pauses.
 */
async function showInSteps(
  bundle: EmbeddingBundle,
  name: string,
  onStep: (done: number) => void,
  yieldToPage: () => Promise<void>,
): Promise<void> {
  beginBundle(bundle, { kind: 'bundle', label: name });
  const { dim, images, imageEmbeddings } = bundle;
  const rowWork = Math.max(1, bundle.templates.length * bundle.classes.length * dim);
  const step = Math.max(16, Math.floor(STEP_MULTIPLY_ADDS / rowWork));
  for (let from = 0; from < images.length; from += step) {
    const to = Math.min(images.length, from + step);
    useResults.getState().appendImages(images.slice(from, to), imageEmbeddings.subarray(from * dim, to * dim));
    onStep(to);
    await yieldToPage();
  }
  useResults.getState().refreshAnalysis();
}

export interface OpenBundleDeps {
  parse: typeof parseBundleInWorker;
  yieldToPage: () => Promise<void>;
}

/** `name` labels the results and prefixes the error, e.g. "run.json: image 4 (x.jpg): embedding …". */
export async function openBundleFile(
  file: Blob,
  name: string,
  deps: OpenBundleDeps = { parse: parseBundleInWorker, yieldToPage: nextTask },
): Promise<OpenBundleOutcome> {
  const report = (progress: Omit<BundleLoadProgress, 'name'>) =>
    useBundleLoading.setState({ progress: { name, ...progress } });
  report({ stage: 'reading', done: 0, total: file.size });
  try {
    const bundle = await deps.parse(file, report);
    const total = bundle.images.length;
    report({ stage: 'scoring', done: 0, total });
    await showInSteps(bundle, name, (done) => report({ stage: 'scoring', done, total }), deps.yieldToPage);
    return { ok: true, images: total };
  } catch (error) {
    return { ok: false, error: `${name}: ${errorMessage(error)}` };
  } finally {
    useBundleLoading.setState({ progress: null });
  }
}
