/**
 * The public shapes of the analysis engine (SPEC §1–§5). Pure data: no DOM, no model.
 * Everything the app, the worker and the CLI exchange about results is one of these.
 */

/** Identifies one labelled image. `attribute` is the suspected spurious attribute ('' when the folder had none). */
export interface ImageRecord {
  id: string;
  class: string;
  attribute: string;
  /** optional (issue 15): the split the image belongs to, for trained methods */
  split?: Split;
}

/** Issue 15: trained methods learn on `train`, pick their epoch on `val` and are reported on `test` only. */
export type Split = 'train' | 'val' | 'test';

export const SPLITS: readonly Split[] = ['train', 'val', 'test'];

/**
 * Method ids (SPEC §3, §7). `groupprompt`, `roboshot`, `tiestar` and `orth*` use attribute words and `tie` uses
 * attribute labels: extra knowledge, labelled as such (METHOD_KNOWLEDGE).
 */
export type MethodId =
  | 'zeroshot'
  | 'ensemble'
  | 'random'
  | 'sage'
  | 'groupprompt'
  | 'roboshot'
  | 'tiestar'
  | 'tie'
  | 'orthproj'
  | 'orthcali'
  /** Yang et al. 2023's trained adapter (issue 15): its row comes from a trained adapter, scored on a test split */
  | 'adapter';

/** The methods that run without training (`adapter` needs a trained adapter, so it is not listed). */
export const METHOD_IDS: readonly MethodId[] = [
  'zeroshot',
  'ensemble',
  'random',
  'sage',
  'groupprompt',
  'roboshot',
  'tiestar',
  'tie',
  'orthproj',
  'orthcali',
];

/** The SPEC §7 methods: they classify with the zero-shot class weights and the attribute words. */
export type AttributeMethodId = 'roboshot' | 'tiestar' | 'tie' | 'orthproj' | 'orthcali';

export const ATTRIBUTE_METHOD_IDS: readonly AttributeMethodId[] = [
  'roboshot',
  'tiestar',
  'tie',
  'orthproj',
  'orthcali',
];

/** How SAGE combines its K selected templates (SPEC §2 step 3). They coincide at K = 1. */
export type Aggregate = 'embedding' | 'score';

/** A method and its parameters: a discriminated union, so each method carries exactly what it needs. */
export type MethodConfig =
  | { method: 'zeroshot'; template: number }
  | { method: 'ensemble'; aggregate: Aggregate }
  | { method: 'random'; k: number; seed: number; aggregate: Aggregate }
  | { method: 'sage'; k: number; aggregate: Aggregate }
  | { method: 'groupprompt' }
  /**
   * SPEC §7. `template` is the zero-shot template whose class weights w_c the method classifies with;
   * `phrasings` fill "{}" with each attribute word for the attribute phrase vectors f(a).
   */
  | { method: 'roboshot'; template: number; phrasings: string[]; accept: [string, string][] }
  | { method: 'tiestar'; template: number; phrasings: string[] }
  | { method: 'tie'; template: number; phrasings: string[] }
  | { method: 'orthproj'; template: number; phrasings: string[]; groupPromptPattern: string }
  | { method: 'orthcali'; template: number; phrasings: string[]; groupPromptPattern: string; lambda: number }
  /** issue 15: what a trained adapter's row was made with (the adapter itself travels on its own) */
  | { method: 'adapter'; variant: 'ls' | 'vs'; seed: number; epochs: number; bestEpoch: number; templates: number };

/** The configuration of one SPEC §7 method. */
export type AttributeMethodConfig = Extract<MethodConfig, { method: AttributeMethodId }>;

/** One image's outcome under one method. */
export interface Prediction {
  /** index into the class list */
  predicted: number;
  /** per-class score (cosine-like, before CLIP's logit scale), length C */
  scores: Float32Array;
  /** selected template indices (into the full pool), best first; empty for ensemble/groupprompt */
  templates: Uint16Array;
}

export interface MethodResult {
  config: MethodConfig;
  /** predicted class index per image, length N */
  predicted: Int32Array;
  /** per-image per-class scores, N × C row-major */
  scores: Float32Array;
  /** selected templates per image: N × kSelected row-major (kSelected = 0 for ensemble/groupprompt) */
  selected: Uint16Array;
  kSelected: number;
}

/** A 95% confidence interval (Wilson score). */
export interface Interval {
  low: number;
  high: number;
}

export interface GroupKey {
  class: string;
  attribute: string;
}

export interface GroupStats extends GroupKey {
  n: number;
  correct: number;
  /** NaN when n = 0 */
  accuracy: number;
  ci95: Interval;
}

export interface Metrics {
  n: number;
  correct: number;
  accuracy: number;
  accuracyCi95: Interval;
  /** minimum group accuracy over groups with n ≥ 1 */
  worstGroupAccuracy: number;
  worstGroup: GroupStats;
  balancedAccuracy: number;
  /** present when group weights were given */
  adjustedAccuracy?: number;
  /** accuracy − WGA */
  gap: number;
  /** 2·acc·WGA/(acc+WGA); 0 when both are 0 */
  harmonicMean: number;
  groups: GroupStats[];
}

/** Accuracy discrepancy (Yang et al. 2023, eq. 7) for one (class, attribute value). */
export interface Discrepancy {
  class: string;
  attribute: string;
  /** acc(y | s present) − acc(y | s absent); NaN when either side is empty */
  delta: number;
  nPresent: number;
  nAbsent: number;
}

/** Group weights for adjusted accuracy, keyed by `${class}/${attribute}`. */
export type GroupWeights = Record<string, number>;

/** SPEC §5: the `sage-embeddings/1` bundle once parsed and validated. */
export interface EmbeddingBundle {
  format: 'sage-embeddings/1';
  model: string;
  dim: number;
  classes: string[];
  templates: string[];
  /** M·C rows of length dim, template-major (SPEC §1), row-major */
  text: Float32Array;
  images: ImageRecord[];
  /** N rows of length dim, row-major */
  imageEmbeddings: Float32Array;
  /**
   * Optional extension (not in SPEC §5, additive): one prompt per (class, attribute) for the
   * `groupprompt` reference method, with its text embedding.
   */
  groupPrompts?: GroupPrompt[];
  /**
   * Optional extension (issue 11): extra text embeddings keyed by their exact text (attribute phrasings,
   * accept phrases, anything a method needs beyond the class × template grid). Texts are unique.
   */
  prompts?: { text: string; embedding: Float32Array }[];
  skipped?: { id: string; reason: string }[];
  /** optional extension: free-form provenance (backend, dtype, app version) */
  meta?: Record<string, string | number | boolean>;
}

export interface GroupPrompt {
  class: string;
  attribute: string;
  prompt: string;
  embedding: Float32Array;
}
