/**
 * Training loop: full-batch steps up to `fullBatchLimit` train images, else seeded mini-batches; after every epoch
 * each split is scored and the weights of the best validation worst-group accuracy are kept (ties keep the
 * earlier epoch; without a validation split, the last epoch). Deterministic for a seed: the only randomness is
 * the mini-batch order, and every sum runs in a fixed order.
 */
import { ConfigError } from './errors';
import { mulberry32 } from './random';
import { splitIndices } from './splits';
import { SPLITS, type Split } from './types';
import { identity } from './adapterLinear';
import { AdapterObjective, type AdapterParameters, zeroParameters } from './adapterObjective';
import { createOptimizer, type Optimizer } from './adapterOptimizer';
import { ADAPTER_FORMAT, adapterOptions } from './adapterOptions';
import type {
  AdapterOptions,
  AdapterTrainingData,
  AdapterVariant,
  EpochHistory,
  EpochReport,
  LossTerms,
  SplitScore,
  TrainControl,
  TrainedAdapter,
} from './adapterTypes';

/** What keeps `data` from training `variant`, as sentences (empty when it can train). */
export function checkAdapterData(data: AdapterTrainingData, variant: AdapterVariant): string[] {
  const problems: string[] = [];
  const { dim: d, classes, attributes, templates } = data;
  const n = data.imageClasses.length;
  if (classes.length < 2) problems.push('training needs at least two classes');
  if (templates.length === 0) problems.push('training needs at least one template');
  if (attributes.length === 0) {
    problems.push(
      `the "${variant}" variant needs attribute words (the images' attributes), and these images have none`,
    );
  }
  if (data.imageEmbeddings.length !== n * d || data.imageAttributes.length !== n || data.splits.length !== n) {
    problems.push('the image embeddings, classes, attributes and splits do not have one entry per image');
  }
  if (data.classText.length !== templates.length * classes.length * d) {
    problems.push('the class prompt embeddings do not have one row per template and class');
  }
  if (data.attributeText.length !== templates.length * attributes.length * d) {
    problems.push('the attribute prompt embeddings do not have one row per template and attribute');
  }
  const trainByClass = new Array<number>(classes.length).fill(0);
  let unlabelledTrain = 0;
  for (let i = 0; i < n; i++) {
    if (data.splits[i] !== 'train') continue;
    trainByClass[data.imageClasses[i]]++;
    if (data.imageAttributes[i] < 0) unlabelledTrain++;
  }
  classes.forEach((cls, c) => {
    if (trainByClass[c] === 0) problems.push(`class ${c + 1} (${cls}) has no training images`);
  });
  if (variant === 'vs' && unlabelledTrain > 0) {
    problems.push(
      `${unlabelledTrain} training image${unlabelledTrain === 1 ? ' has' : 's have'} no attribute: the "vs" variant learns to predict the attribute, so every training image needs one (or use "ls")`,
    );
  }
  return problems;
}

/** Steps the training one epoch at a time, so a worker can report progress and take a cancel between epochs. */
export class AdapterTrainer {
  readonly options: AdapterOptions;
  private readonly objective: AdapterObjective;
  private readonly optimizer: Optimizer;
  private readonly params: AdapterParameters;
  private readonly gradient: AdapterParameters;
  private readonly trainImages: Int32Array;
  private readonly order: Int32Array;
  private readonly batch: Int32Array;
  private readonly next: () => number;
  private readonly splitOf: Int8Array;
  private readonly groupOf: Int32Array;
  private readonly groupCount: number;
  private readonly weightsBuffer: Float64Array;
  private readonly projected: Float64Array;
  private readonly history: EpochHistory[] = [];
  private epoch = 0;
  private stopped = false;
  private best: { epoch: number; wga: number; W_v: Float32Array; W_t: Float32Array; logScale: number };

  constructor(
    readonly data: AdapterTrainingData,
    options: Partial<AdapterOptions> = {},
  ) {
    this.options = adapterOptions(options);
    const problems = checkAdapterData(data, this.options.variant);
    if (problems.length > 0) throw new ConfigError('training', problems.join('; '));
    const { epochs, batchSize, fullBatchLimit } = this.options;
    if (!Number.isInteger(epochs) || epochs < 1) {
      throw new ConfigError('epochs', `should be a whole number of at least 1, but is ${epochs}`);
    }
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new ConfigError('batchSize', `should be a whole number of at least 1, but is ${batchSize}`);
    }
    const d = data.dim;
    this.trainImages = splitIndices(data.splits, 'train');
    const full = this.trainImages.length <= fullBatchLimit;
    const maxBatch = full ? this.trainImages.length : Math.min(batchSize, this.trainImages.length);
    this.objective = new AdapterObjective(data, this.options.variant, this.options.weights, maxBatch);
    this.optimizer = createOptimizer(d, this.options);
    this.params = { W_v: identity(d), W_t: identity(d), logScale: Math.log(1 / 0.07) };
    this.gradient = zeroParameters(d);
    this.order = this.trainImages.slice();
    this.batch = new Int32Array(maxBatch);
    this.next = mulberry32(this.options.seed);
    this.splitOf = Int8Array.from(data.splits, (split) => SPLITS.indexOf(split));
    const stride = data.attributes.length + 1;
    this.groupOf = Int32Array.from(data.imageClasses, (c, i) => c * stride + data.imageAttributes[i] + 1);
    this.groupCount = data.classes.length * stride;
    this.weightsBuffer = new Float64Array(data.classes.length * d);
    this.projected = new Float64Array(data.classes.length * d);
    this.best = { epoch: 0, wga: -Infinity, W_v: identity(d), W_t: identity(d), logScale: this.params.logScale };
  }

  get done(): boolean {
    return this.stopped || this.epoch >= this.options.epochs;
  }

  /** Ends training early: `result()` then reports it as cancelled. */
  stop(): void {
    this.stopped = true;
  }

  /** One pass over the train split, then every split scored. */
  runEpoch(now: () => number = Date.now): EpochReport {
    const start = now();
    const { options } = this;
    const full = this.trainImages.length <= options.fullBatchLimit;
    if (!full) {
      // Fisher–Yates with the run's generator: epoch e's order depends only on the seed and e
      for (let j = this.order.length - 1; j > 0; j--) {
        const pick = Math.floor(this.next() * (j + 1));
        const tmp = this.order[j];
        this.order[j] = this.order[pick];
        this.order[pick] = tmp;
      }
    }
    const size = this.batch.length;
    const sums: LossTerms = { total: 0, clip: 0, image: 0, language: 0, spurious: 0 };
    let steps = 0;
    for (let from = 0; from < this.order.length; from += size) {
      const batch = this.order.length - from >= size ? this.batch : this.batch.subarray(0, this.order.length - from);
      batch.set(this.order.subarray(from, from + batch.length));
      const terms = this.objective.evaluate(this.params, batch, this.gradient);
      this.optimizer.step(this.params, this.gradient);
      sums.total += terms.total;
      sums.clip += terms.clip;
      sums.image += terms.image;
      sums.language += terms.language;
      sums.spurious += terms.spurious;
      steps++;
    }
    this.epoch++;
    const splits = this.scoreSplits();
    const val = splits.val;
    const improved = val.n > 0 ? val.worstGroupAccuracy > this.best.wga : true;
    if (improved) {
      this.best.epoch = this.epoch;
      this.best.wga = val.n > 0 ? val.worstGroupAccuracy : -Infinity;
      this.best.W_v.set(this.params.W_v);
      this.best.W_t.set(this.params.W_t);
      this.best.logScale = this.params.logScale;
    }
    const terms: LossTerms = {
      total: sums.total / steps,
      clip: sums.clip / steps,
      image: sums.image / steps,
      language: sums.language / steps,
      spurious: sums.spurious / steps,
    };
    this.history.push({ trainLoss: terms.total, valWGA: val.worstGroupAccuracy, valAcc: val.accuracy });
    return {
      epoch: this.epoch,
      epochs: options.epochs,
      trainLoss: terms.total,
      terms,
      valWGA: val.worstGroupAccuracy,
      valAcc: val.accuracy,
      splits,
      bestEpoch: this.best.epoch,
      scale: Math.exp(this.params.logScale),
      ms: now() - start,
    };
  }

  /**
   * Accuracy and WGA per split with the current weights. argmax_c n(W_v x)·w_c = argmax_c x·(W_vᵀ w_c): the
   * positive factor 1/‖W_v x‖ does not change the class, so each image costs C·d instead of d².
   */
  private scoreSplits(): Record<Split, SplitScore> {
    const { data, projected } = this;
    const d = data.dim;
    const C = data.classes.length;
    this.objective.classWeights(this.params.W_t, this.weightsBuffer);
    projected.fill(0);
    const W = this.params.W_v;
    for (let c = 0; c < C; c++) {
      for (let r = 0; r < d; r++) {
        const weight = this.weightsBuffer[c * d + r];
        for (let k = 0; k < d; k++) projected[c * d + k] += weight * W[r * d + k];
      }
    }
    const groupN = new Int32Array(3 * this.groupCount);
    const groupCorrect = new Int32Array(3 * this.groupCount);
    const x = data.imageEmbeddings;
    for (let i = 0; i < data.imageClasses.length; i++) {
      let bestClass = 0;
      let bestScore = -Infinity;
      for (let c = 0; c < C; c++) {
        let score = 0;
        for (let k = 0; k < d; k++) score += x[i * d + k] * projected[c * d + k];
        if (score > bestScore) {
          bestScore = score;
          bestClass = c;
        }
      }
      const slot = this.splitOf[i] * this.groupCount + this.groupOf[i];
      groupN[slot]++;
      if (bestClass === data.imageClasses[i]) groupCorrect[slot]++;
    }
    const scores = {} as Record<Split, SplitScore>;
    SPLITS.forEach((split, s) => {
      let n = 0;
      let correct = 0;
      let worst = NaN;
      for (let g = 0; g < this.groupCount; g++) {
        const count = groupN[s * this.groupCount + g];
        if (count === 0) continue;
        n += count;
        correct += groupCorrect[s * this.groupCount + g];
        const accuracy = groupCorrect[s * this.groupCount + g] / count;
        if (!(accuracy >= worst)) worst = accuracy;
      }
      scores[split] = { n, accuracy: n === 0 ? NaN : correct / n, worstGroupAccuracy: worst };
    });
    return scores;
  }

  /** The adapter with the best epoch's weights (identity weights when no epoch ran). */
  result(): TrainedAdapter {
    const { data, options } = this;
    const count = (split: Split) => data.splits.filter((s) => s === split).length;
    return {
      format: ADAPTER_FORMAT,
      variant: options.variant,
      seed: options.seed,
      epochs: this.epoch,
      bestEpoch: this.best.epoch,
      optimizer: options.optimizer,
      learningRate: options.learningRate,
      weights: { ...options.weights },
      templates: [...data.templates],
      classes: [...data.classes],
      attributes: [...data.attributes],
      dim: data.dim,
      W_v: this.best.W_v.slice(),
      W_t: this.best.W_t.slice(),
      logScale: this.best.logScale,
      splitSizes: { train: count('train'), val: count('val'), test: count('test') },
      history: this.history.map((h) => ({ ...h })),
      cancelled: this.epoch < options.epochs,
    };
  }
}

/**
 * Trains to the end, or until `control.onEpoch` returns false or `control.signal.aborted` (checked between
 * epochs). Synchronous: in a worker, drive `AdapterTrainer.runEpoch` yourself to take messages between epochs.
 */
export function trainAdapter(
  data: AdapterTrainingData,
  options: Partial<AdapterOptions> = {},
  control: TrainControl = {},
): TrainedAdapter {
  const trainer = new AdapterTrainer(data, options);
  while (!trainer.done) {
    if (control.signal?.aborted) {
      trainer.stop();
      break;
    }
    const report = trainer.runEpoch(control.now);
    if (control.onEpoch?.(report) === false) trainer.stop();
  }
  return trainer.result();
}
