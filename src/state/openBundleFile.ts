/**
 * Opening a dropped embeddings bundle (sage-embeddings/1 JSON or /2 zip) without freezing the page: the bundle
 * worker reads and checks the file, scores every image against the prompts and builds the results' first tables
 * (worker/bundleAnalysis.ts); they all arrive transferred, not copied, so the page only paints: at 100,000 images
 * that work is ~12 s on one core. `useBundleLoading` holds the progress for the drop zone.
 */
import { create } from 'zustand';
import type { EmbeddingBundle } from '../core';
import { errorMessage } from '../core/errors';
import { restoreAnalysis } from '../core/analysis';
import type { PrecomputedBundleAnalysis } from '../worker/bundleAnalysis';
import { parseBundleInWorker, type BundleParseProgress } from '../worker/bundleClient';
import { primeProjection } from './derive/embeddingProjection';
import { primeKCurve } from './derive/kCurve';
import { primeTemplatesAlone } from './derive/templateStats';
import { beginBundle, openBundle, useResults } from './results';

export type OpenBundleOutcome = { ok: true; images: number } | { ok: false; error: string };

export interface BundleLoadProgress {
  name: string;
  /** reading the file, checking its vectors, scoring images against the prompts, building the first tables */
  stage: BundleParseProgress['stage'];
  done: number;
  total: number;
}

export const useBundleLoading = create<{ progress: BundleLoadProgress | null }>()(() => ({ progress: null }));

/** "Reading run.sage.zip… 45%": the drop zone's status line while a bundle opens. */
export function describeBundleProgress(progress: BundleLoadProgress): string {
  const percent = progress.total > 0 ? Math.floor((100 * progress.done) / progress.total) : 0;
  const verb = {
    reading: 'Reading',
    checking: 'Checking the vectors of',
    scoring: 'Scoring the images of',
    analysing: 'Building the results of',
  }[progress.stage];
  return `${verb} ${progress.name}… ${percent}%`;
}

/**
 * The bundle with everything the worker built: the analysis is restored from its arrays and the views' caches
 * hold the K curve, templates statistics and map projection, so the first render computes no table at 100k.
 */
function showAnalysed(bundle: EmbeddingBundle, precomputed: PrecomputedBundleAnalysis, name: string): void {
  // the bundle's embeddings become the store: no second N × dim array (205 MB at 100k images)
  beginBundle(bundle, { kind: 'bundle', label: name }, { holdEmbeddings: true });
  const analysis = restoreAnalysis(precomputed.analysis);
  primeKCurve(analysis, precomputed.kCurve.options, precomputed.kCurve.curve);
  primeTemplatesAlone(analysis, precomputed.templatesAlone);
  primeProjection(bundle.imageEmbeddings, analysis.n, bundle.dim, precomputed.projection);
  useResults.setState({
    records: bundle.images,
    tensor: analysis.tensor,
    analysis,
  });
}

export interface OpenBundleDeps {
  parse: typeof parseBundleInWorker;
}

/** `name` labels the results and prefixes the error, e.g. "run.json: image 4 (x.jpg): embedding …". */
export async function openBundleFile(
  file: Blob,
  name: string,
  deps: OpenBundleDeps = { parse: parseBundleInWorker },
): Promise<OpenBundleOutcome> {
  const report = (progress: Omit<BundleLoadProgress, 'name'>) =>
    useBundleLoading.setState({ progress: { name, ...progress } });
  report({ stage: 'reading', done: 0, total: file.size });
  try {
    const { seed, aggregate } = useResults.getState().view;
    const { bundle, precomputed } = await deps.parse(file, report, { seed, aggregate });
    const total = bundle.images.length;
    // a reader that built no tables (none does today) leaves the work to this thread
    if (precomputed) showAnalysed(bundle, precomputed, name);
    else openBundle(bundle, { kind: 'bundle', label: name });
    return { ok: true, images: total };
  } catch (error) {
    return { ok: false, error: `${name}: ${errorMessage(error)}` };
  } finally {
    useBundleLoading.setState({ progress: null });
  }
}
