/**
 * Public shapes of the Yang et al. 2023 adapter (METHODS.md §4b): two d×d matrices W_v, W_t and a log scale ℓ
 * trained on frozen embeddings. Pure data, shared by the CLI, the worker and the app.
 */
import type { Split } from './types';

/** `ls`: class prompts pushed away from attribute-word prompts (needs attribute words only); `vs`: spurious classification (needs attribute labels on the train split). */
export type AdapterVariant = 'ls' | 'vs';

export type AdapterOptimizer = 'adam' | 'sgd';

/** Weights of the loss terms (METHODS §4b README settings: all 1). */
export interface LossWeights {
  clip: number;
  /** L_vc, image in-modal */
  image: number;
  /** L_lc, language in-modal */
  language: number;
  /** L_ls or L_vs, by variant */
  spurious: number;
}

export interface AdapterOptions {
  variant: AdapterVariant;
  /** passes over the train split */
  epochs: number;
  /** drives the mini-batch order (the only randomness); recorded in the adapter */
  seed: number;
  optimizer: AdapterOptimizer;
  /** default 1e-3 for Adam, 1e-4 for SGD */
  learningRate: number;
  /** default 0 for Adam, 1e-5 for SGD (added to the gradient, as PyTorch's SGD does) */
  weightDecay: number;
  /** SGD momentum, default 0.9 */
  momentum: number;
  /** mini-batch size when the train split has more than `fullBatchLimit` images (default 128) */
  batchSize: number;
  /** full-batch steps up to this many train images (default 2048) */
  fullBatchLimit: number;
  weights: LossWeights;
}

/**
 * What training reads, already arranged: the chosen T templates' class prompts and attribute prompts, and per-image
 * class, attribute and split. Build it from a bundle with `adapterDataFromBundle`.
 */
export interface AdapterTrainingData {
  dim: number;
  classes: readonly string[];
  /** attribute words (S); group names and L_ls/L_vs prompts use them */
  attributes: readonly string[];
  /** the T chosen template texts */
  templates: readonly string[];
  /** N×d row-major, not necessarily unit length */
  imageEmbeddings: Float32Array;
  /** class index per image, length N */
  imageClasses: Int32Array;
  /** attribute index per image, −1 when the image has none; length N */
  imageAttributes: Int32Array;
  /** split per image, length N */
  splits: readonly Split[];
  /** T×C×d: class prompt embeddings, template-major (row t·C + c) */
  classText: Float32Array;
  /** T×S×d: attribute prompt embeddings, template-major (row t·S + s); L_ls's a_q and L_vs's Ā */
  attributeText: Float32Array;
}

/** One loss value split into its terms (weighted terms add up to `total`). */
export interface LossTerms {
  total: number;
  clip: number;
  image: number;
  language: number;
  spurious: number;
}

/** Accuracy and worst-group accuracy (groups: class × attribute, n ≥ 1) of one split; NaN when it is empty. */
export interface SplitScore {
  n: number;
  accuracy: number;
  worstGroupAccuracy: number;
}

/** Reported after every epoch. */
export interface EpochReport {
  /** 1-based */
  epoch: number;
  epochs: number;
  /** mean of the step losses over the epoch */
  trainLoss: number;
  terms: LossTerms;
  /** worst-group accuracy on the validation split (NaN without one) */
  valWGA: number;
  valAcc: number;
  /** accuracy and WGA of every split with this epoch's weights (test shown, never used for selection) */
  splits: Record<Split, SplitScore>;
  /** the best epoch so far (by valWGA; ties keep the earlier) */
  bestEpoch: number;
  /** exp(ℓ) after the epoch */
  scale: number;
  /** wall-clock ms spent in this epoch */
  ms: number;
}

export interface EpochHistory {
  trainLoss: number;
  valWGA: number;
  valAcc: number;
}

export interface SplitSizes {
  train: number;
  val: number;
  test: number;
}

/** A trained adapter: enough to apply it again (with the same templates' text embeddings) and to say how it was made. */
export interface TrainedAdapter {
  format: 'sage-adapter/1';
  variant: AdapterVariant;
  seed: number;
  /** epochs run (fewer than asked when cancelled) */
  epochs: number;
  /** the epoch whose weights are kept (1-based) */
  bestEpoch: number;
  optimizer: AdapterOptimizer;
  learningRate: number;
  weights: LossWeights;
  templates: string[];
  classes: string[];
  attributes: string[];
  dim: number;
  /** d×d row-major: f = n(W_v x) */
  W_v: Float32Array;
  /** d×d row-major: t = n(W_t u) */
  W_t: Float32Array;
  /** ℓ, τ = exp(ℓ) */
  logScale: number;
  splitSizes: SplitSizes;
  history: EpochHistory[];
  /** true when training stopped before `epochs` asked for */
  cancelled: boolean;
}

/** Per-epoch control: `onEpoch` returning false (exactly) stops after that epoch; `signal.aborted` is checked between epochs. */
export interface TrainControl {
  onEpoch?: (report: EpochReport) => unknown;
  signal?: { readonly aborted: boolean };
  /** clock for `ms` (default Date.now) */
  now?: () => number;
}
