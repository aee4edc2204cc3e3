/**
 * Everything the results views need first from a large bundle, computed in the bundle worker (issue 17): at
 * 100,000 images the similarity tensor, the analysis, the random row's tables, the K curve, the templates-alone
 * statistics and the map's PCA take ~12 s on one core, which on the page's thread froze it. The page restores the
 * analysis from these arrays and finds the rest in the views' caches (state/derive primeKCurve, …).
 */
import { type AnalysisParts, analysisParts, buildAnalysis } from '../core/analysis';
import { type KCurve, type KCurveOptions, kCurve } from '../core/kCurve';
import { type Pca2, pca2 } from '../core/pca';
import { type SimilarityTensor, extendSimilarityTensor, similarityTensor } from '../core/similarityTensor';
import { type TemplatesAlone, templatesAlone } from '../core/templateStats';
import type { EmbeddingBundle } from '../core/types';

export interface BundleAnalysisRequest {
  /** the random row's seed and the aggregate the page's view uses now (the K curve depends on both) */
  seed: number;
  aggregate: KCurveOptions['aggregate'];
}

export interface PrecomputedBundleAnalysis {
  analysis: AnalysisParts;
  kCurve: { options: KCurveOptions; curve: KCurve };
  templatesAlone: TemplatesAlone;
  projection: Pca2;
}

/** 'scoring': images against the prompts (done/total images); 'analysing': the tables, done/total steps */
export type BundleAnalysisProgress = (stage: 'scoring' | 'analysing', done: number, total: number) => void;

/** Multiply-adds per progress step of the similarity build. */
const STEP_MULTIPLY_ADDS = 100_000_000;

function scoreImages(bundle: EmbeddingBundle, onProgress: BundleAnalysisProgress): SimilarityTensor {
  const { dim, images, imageEmbeddings, text, templates, classes } = bundle;
  const n = images.length;
  const m = templates.length;
  const c = classes.length;
  const empty = similarityTensor({ imageEmbeddings: new Float32Array(0), n: 0, textEmbeddings: text, m, c, dim });
  // one allocation for all rows, so extending in steps never copies
  const storage = new Float32Array(n * m * c);
  let tensor: SimilarityTensor = { ...empty, storage, values: storage.subarray(0, 0) };
  const step = Math.max(64, Math.floor(STEP_MULTIPLY_ADDS / Math.max(1, m * c * dim)));
  for (let from = 0; from < n; from += step) {
    const to = Math.min(n, from + step);
    tensor = extendSimilarityTensor(tensor, imageEmbeddings.subarray(from * dim, to * dim), to - from);
    onProgress('scoring', to, n);
  }
  return tensor;
}

export function analyseBundle(
  bundle: EmbeddingBundle,
  request: BundleAnalysisRequest,
  onProgress: BundleAnalysisProgress,
): PrecomputedBundleAnalysis {
  const { images: records, classes, templates, imageEmbeddings, dim } = bundle;
  const tensor = scoreImages(bundle, onProgress);
  const steps = 5;
  onProgress('analysing', 0, steps);
  const analysis = buildAnalysis(tensor);
  onProgress('analysing', 1, steps);
  const parts = analysisParts(analysis, request.seed);
  onProgress('analysing', 2, steps);
  const options: KCurveOptions = { seed: request.seed, aggregate: request.aggregate };
  const curve = kCurve(analysis, records, classes, options);
  onProgress('analysing', 3, steps);
  const alone = templatesAlone(analysis, records, classes, templates);
  onProgress('analysing', 4, steps);
  const projection = pca2(imageEmbeddings, records.length, dim);
  onProgress('analysing', 5, steps);
  return { analysis: parts, kCurve: { options, curve }, templatesAlone: alone, projection };
}

/** Every buffer behind the precomputed arrays, to transfer rather than copy. */
export function precomputedBuffers(precomputed: PrecomputedBundleAnalysis): ArrayBuffer[] {
  const { analysis, templatesAlone: alone, projection } = precomputed;
  const arrays: ArrayBufferView[] = [
    analysis.tensor.storage,
    analysis.tensor.unitText,
    analysis.pool,
    analysis.separation,
    analysis.gram,
    analysis.sage.order,
    analysis.sage.scoreSums,
    analysis.sage.invNorms,
    alone.correctAlone,
    projection.points,
    ...projection.components,
  ];
  if (analysis.random)
    arrays.push(analysis.random.tables.order, analysis.random.tables.scoreSums, analysis.random.tables.invNorms);
  const buffers = new Set<ArrayBufferLike>(arrays.map((array) => array.buffer));
  return [...buffers].filter((buffer): buffer is ArrayBuffer => buffer instanceof ArrayBuffer);
}
