/**
 * The training objective of METHODS.md §4b (intended forms) with its hand-written gradient:
 * L = w_clip·L_clip + w_image·L_vc + w_language·L_lc + w_spurious·(L_ls | L_vs) on f = n(W_v x), t = n(W_t u),
 * τ = exp(ℓ). The batch-size-dependent sums are written in closed forms (per-class sums) so every term but the
 * two d×d products is O(B·C·d) or O(T²·C·S·d).
 */
import {
  type Floats,
  accumulateOuter,
  addScaledAt,
  dotAt,
  normalizeBackwardInPlace,
  normalizeRowsInto,
  projectRows,
} from './adapterLinear';
import type { AdapterTrainingData, AdapterVariant, LossTerms, LossWeights } from './adapterTypes';

export interface AdapterParameters {
  W_v: Floats;
  W_t: Floats;
  logScale: number;
}

export type Precision = 'float32' | 'float64';

function floats(precision: Precision, length: number): Floats {
  return precision === 'float64' ? new Float64Array(length) : new Float32Array(length);
}

/** A parameter-shaped buffer of zeros (gradients, optimiser moments). */
export function zeroParameters(d: number, precision: Precision = 'float32'): AdapterParameters {
  return { W_v: floats(precision, d * d), W_t: floats(precision, d * d), logScale: 0 };
}

export class AdapterObjective {
  readonly d: number;
  readonly templates: number;
  readonly classes: number;
  readonly attributes: number;
  private readonly images: Floats;
  private readonly imageClasses: Int32Array;
  private readonly imageAttributes: Int32Array;
  /** T·C class prompt rows, then T·S attribute rows */
  private readonly text: Floats;
  private readonly textRows: number;
  private readonly textOffsets: Int32Array;
  // workspaces, sized once
  private readonly imageOffsets: Int32Array;
  private readonly raw: Floats;
  private readonly unit: Floats;
  private readonly gradUnit: Floats;
  private readonly rawNorms: Float64Array;
  private readonly textRaw: Floats;
  private readonly textUnit: Floats;
  private readonly textGrad: Floats;
  private readonly textNorms: Float64Array;
  private readonly classMean: Float64Array;
  private readonly classMeanGrad: Float64Array;
  private readonly sims: Float64Array;
  private readonly simGrad: Float64Array;
  private readonly counts: Float64Array;
  private readonly classSums: Float64Array;
  private readonly allSum: Float64Array;
  private readonly attributeMean: Float64Array;
  private readonly attributeGrad: Float64Array;
  private readonly logits: Float64Array;

  constructor(
    data: AdapterTrainingData,
    readonly variant: AdapterVariant,
    readonly weights: LossWeights,
    maxBatch: number,
    readonly precision: Precision = 'float32',
  ) {
    const d = data.dim;
    this.d = d;
    this.templates = data.templates.length;
    this.classes = data.classes.length;
    this.attributes = data.attributes.length;
    this.images = precision === 'float64' ? Float64Array.from(data.imageEmbeddings) : data.imageEmbeddings;
    this.imageClasses = data.imageClasses;
    this.imageAttributes = data.imageAttributes;
    const classRows = this.templates * this.classes;
    this.textRows = classRows + this.templates * this.attributes;
    this.text = floats(precision, this.textRows * d);
    this.text.set(data.classText.subarray(0, classRows * d));
    this.text.set(data.attributeText.subarray(0, this.templates * this.attributes * d), classRows * d);
    this.textOffsets = Int32Array.from({ length: this.textRows }, (_, r) => r * d);
    const C = this.classes;
    const S = Math.max(1, this.attributes);
    this.imageOffsets = new Int32Array(maxBatch);
    this.raw = floats(precision, maxBatch * d);
    this.unit = floats(precision, maxBatch * d);
    this.gradUnit = floats(precision, maxBatch * d);
    this.rawNorms = new Float64Array(maxBatch);
    this.textRaw = floats(precision, this.textRows * d);
    this.textUnit = floats(precision, this.textRows * d);
    this.textGrad = floats(precision, this.textRows * d);
    this.textNorms = new Float64Array(this.textRows);
    this.classMean = new Float64Array(C * d);
    this.classMeanGrad = new Float64Array(C * d);
    this.sims = new Float64Array(maxBatch * Math.max(C, S));
    this.simGrad = new Float64Array(maxBatch * Math.max(C, S));
    this.counts = new Float64Array(C);
    this.classSums = new Float64Array(C * d);
    this.allSum = new Float64Array(d);
    this.attributeMean = new Float64Array(S * d);
    this.attributeGrad = new Float64Array(S * d);
    this.logits = new Float64Array(S);
  }

  /**
   * The loss on the images `batch` (indices into the data) and, when `gradient` is given, its gradient written
   * into it (overwritten, not accumulated). Terms are unweighted; `total` is the weighted sum.
   */
  evaluate(params: AdapterParameters, batch: Int32Array, gradient: AdapterParameters | null): LossTerms {
    const { d, templates: T, classes: C } = this;
    const B = batch.length;
    for (let i = 0; i < B; i++) this.imageOffsets[i] = batch[i] * d;
    projectRows(params.W_v, this.images, this.imageOffsets, B, d, this.raw);
    normalizeRowsInto(this.raw, B, d, this.unit, this.rawNorms);
    projectRows(params.W_t, this.text, this.textOffsets, this.textRows, d, this.textRaw);
    normalizeRowsInto(this.textRaw, this.textRows, d, this.textUnit, this.textNorms);
    this.gradUnit.fill(0, 0, B * d);
    this.textGrad.fill(0);
    this.classMeanGrad.fill(0);

    this.counts.fill(0);
    for (let i = 0; i < B; i++) this.counts[this.imageClasses[batch[i]]]++;
    // t̄_c = mean_m t_{m,c}, not re-normalised
    this.classMean.fill(0);
    for (let m = 0; m < T; m++) {
      for (let c = 0; c < C; c++) addScaledAt(this.classMean, c * d, this.textUnit, (m * C + c) * d, d, 1 / T);
    }
    const tau = Math.exp(params.logScale);
    const w = this.weights;
    let tauGrad = 0;
    const clip = this.clipLoss(batch, tau, w.clip);
    tauGrad += clip.tauGrad;
    const image = this.imageLoss(batch, w.image);
    const language = this.languageLoss(B, w.language);
    let spurious = 0;
    if (this.attributes > 0) {
      if (this.variant === 'ls') spurious = this.languageSpuriousLoss(B, w.spurious);
      else {
        const vs = this.spuriousClassLoss(batch, tau, w.spurious);
        spurious = vs.loss;
        tauGrad += vs.tauGrad;
      }
    }
    const total = w.clip * clip.loss + w.image * image + w.language * language + w.spurious * spurious;
    if (gradient !== null) {
      // ∂/∂t_{m,c} of anything through t̄_c is (1/T)·∂/∂t̄_c
      for (let m = 0; m < T; m++) {
        for (let c = 0; c < C; c++) addScaledAt(this.textGrad, (m * C + c) * d, this.classMeanGrad, c * d, d, 1 / T);
      }
      normalizeBackwardInPlace(this.gradUnit, this.unit, this.rawNorms, B, d);
      gradient.W_v.fill(0);
      accumulateOuter(gradient.W_v, this.gradUnit, this.images, this.imageOffsets, B, d);
      normalizeBackwardInPlace(this.textGrad, this.textUnit, this.textNorms, this.textRows, d);
      gradient.W_t.fill(0);
      accumulateOuter(gradient.W_t, this.textGrad, this.text, this.textOffsets, this.textRows, d);
      gradient.logScale = tauGrad * tau;
    }
    return { total, clip: clip.loss, image, language, spurious };
  }

  /**
   * L_clip = ½[CE(Λ, diag) + CE(Λᵀ, diag)], Λ_ij = τ f_i·t̄_{y_j}. Λ's columns repeat per class, so with
   * S_ic = f_i·t̄_c and n_c images of class c in the batch: row i's log-sum-exp is log Σ_c n_c e^{τS_ic}, and
   * column j's is log Σ_i e^{τS_{i,y_j}}, the same for every j of one class.
   */
  private clipLoss(batch: Int32Array, tau: number, weight: number): { loss: number; tauGrad: number } {
    const { d, classes: C, sims, simGrad, counts } = this;
    const B = batch.length;
    let diagonal = 0;
    for (let i = 0; i < B; i++) {
      for (let c = 0; c < C; c++) sims[i * C + c] = dotAt(this.unit, i * d, this.classMean, c * d, d);
      diagonal += sims[i * C + this.imageClasses[batch[i]]];
    }
    simGrad.fill(0, 0, B * C);
    const scale = (0.5 * weight) / B;
    let rowSum = 0;
    let tauGrad = -2 * diagonal * scale;
    for (let i = 0; i < B; i++) {
      let max = -Infinity;
      for (let c = 0; c < C; c++) if (counts[c] > 0 && tau * sims[i * C + c] > max) max = tau * sims[i * C + c];
      let sum = 0;
      for (let c = 0; c < C; c++) if (counts[c] > 0) sum += counts[c] * Math.exp(tau * sims[i * C + c] - max);
      rowSum += max + Math.log(sum);
      const y = this.imageClasses[batch[i]];
      for (let c = 0; c < C; c++) {
        if (counts[c] === 0) continue;
        const p = (counts[c] * Math.exp(tau * sims[i * C + c] - max)) / sum;
        simGrad[i * C + c] += scale * tau * (p - (c === y ? 1 : 0));
        tauGrad += scale * p * sims[i * C + c];
      }
    }
    let columnSum = 0;
    for (let c = 0; c < C; c++) {
      if (counts[c] === 0) continue;
      let max = -Infinity;
      for (let i = 0; i < B; i++) if (tau * sims[i * C + c] > max) max = tau * sims[i * C + c];
      let sum = 0;
      for (let i = 0; i < B; i++) sum += Math.exp(tau * sims[i * C + c] - max);
      columnSum += counts[c] * (max + Math.log(sum));
      for (let i = 0; i < B; i++) {
        const q = Math.exp(tau * sims[i * C + c] - max) / sum;
        simGrad[i * C + c] += scale * tau * counts[c] * q;
        tauGrad += scale * counts[c] * q * sims[i * C + c];
      }
    }
    for (let i = 0; i < B; i++) simGrad[i * C + this.imageClasses[batch[i]]] -= scale * tau;
    for (let i = 0; i < B; i++) {
      for (let c = 0; c < C; c++) {
        const g = simGrad[i * C + c];
        if (g === 0) continue;
        addScaledAt(this.gradUnit, i * d, this.classMean, c * d, d, g);
        addScaledAt(this.classMeanGrad, c * d, this.unit, i * d, d, g);
      }
    }
    const loss = (0.5 * (rowSum - tau * diagonal + columnSum - tau * diagonal)) / B;
    return { loss, tauGrad };
  }

  /**
   * L_vc = (1/B) Σ_i [−(1/B) Σ_{j same class} f_i·f_j + (1/B) Σ_{j other class} f_i·f_j] (j = i included)
   * = (1/B²) Σ_i f_i·(F − 2F_{y_i}) with F the sum of all f and F_c that of class c.
   */
  private imageLoss(batch: Int32Array, weight: number): number {
    const { d, classSums, allSum } = this;
    const B = batch.length;
    classSums.fill(0);
    allSum.fill(0);
    for (let i = 0; i < B; i++) addScaledAt(classSums, this.imageClasses[batch[i]] * d, this.unit, i * d, d, 1);
    for (let c = 0; c < this.classes; c++) addScaledAt(allSum, 0, classSums, c * d, d, 1);
    let loss = 0;
    const gradScale = (2 * weight) / (B * B);
    for (let i = 0; i < B; i++) {
      const y = this.imageClasses[batch[i]] * d;
      const o = i * d;
      let dot = 0;
      for (let k = 0; k < d; k++) {
        const other = allSum[k] - 2 * classSums[y + k];
        dot += this.unit[o + k] * other;
        this.gradUnit[o + k] += gradScale * other;
      }
      loss += dot;
    }
    return loss / (B * B);
  }

  /**
   * L_lc: prompt p's ℓ(p) = (1/TC) t_p·(Σ_{q other class} t_q − Σ_{q same class} t_q); image i takes the mean over
   * its class's prompts, so with α_c = n_c/B and T_c = Σ_m t_{m,c}: L = (1/(T·TC)) Σ_c α_c T_c·(T_all − 2T_c).
   */
  private languageLoss(B: number, weight: number): number {
    const { d, templates: T, classes: C, counts } = this;
    const kappa = 1 / (T * T * C);
    // T_c = T·t̄_c
    let loss = 0;
    for (let c = 0; c < C; c++) {
      const alpha = counts[c] / B;
      if (alpha === 0) continue;
      for (let k = 0; k < d; k++) {
        let all = 0;
        for (let c2 = 0; c2 < C; c2++) all += this.classMean[c2 * d + k];
        const own = T * this.classMean[c * d + k];
        loss += alpha * own * (T * all - 2 * own);
      }
    }
    for (let k = 0; k < d; k++) {
      let all = 0;
      let weighted = 0;
      for (let c = 0; c < C; c++) {
        all += T * this.classMean[c * d + k];
        weighted += (counts[c] / B) * T * this.classMean[c * d + k];
      }
      for (let c = 0; c < C; c++) {
        const alpha = counts[c] / B;
        const g = weight * kappa * (alpha * all + weighted - 4 * alpha * T * this.classMean[c * d + k]);
        for (let m = 0; m < T; m++) this.textGrad[(m * C + c) * d + k] += g;
      }
    }
    return kappa * loss;
  }

  /** L_ls: prompt p's ℓ(p) = (1/(T·S)) Σ_q |t_p·a_q| over all attribute prompts; image i takes its class's mean. */
  private languageSpuriousLoss(B: number, weight: number): number {
    const { d, templates: T, classes: C, attributes: S, counts } = this;
    const classRows = T * C;
    const attributeRows = T * S;
    let loss = 0;
    for (let m = 0; m < T; m++) {
      for (let c = 0; c < C; c++) {
        const alpha = counts[c] / B;
        if (alpha === 0) continue;
        const factor = alpha / (T * attributeRows);
        const p = (m * C + c) * d;
        for (let q = 0; q < attributeRows; q++) {
          const a = (classRows + q) * d;
          const cos = dotAt(this.textUnit, p, this.textUnit, a, d);
          loss += factor * Math.abs(cos);
          const g = weight * factor * Math.sign(cos);
          if (g === 0) continue;
          addScaledAt(this.textGrad, p, this.textUnit, a, d, g);
          addScaledAt(this.textGrad, a, this.textUnit, p, d, g);
        }
      }
    }
    return loss;
  }

  /**
   * L_vs = mean over the batch's images with an attribute of CE(τ f_i·Ā, s_i); Ā = the attribute prompts' template
   * means M_s, divided by ‖M‖_F (the whole matrix's norm, as the authors' code does).
   */
  private spuriousClassLoss(batch: Int32Array, tau: number, weight: number): { loss: number; tauGrad: number } {
    const { d, templates: T, classes: C, attributes: S, attributeMean, attributeGrad, logits } = this;
    const classRows = T * C;
    attributeMean.fill(0);
    for (let m = 0; m < T; m++) {
      for (let s = 0; s < S; s++)
        addScaledAt(attributeMean, s * d, this.textUnit, (classRows + m * S + s) * d, d, 1 / T);
    }
    let frobenius = 0;
    for (let k = 0; k < S * d; k++) frobenius += attributeMean[k] * attributeMean[k];
    frobenius = Math.sqrt(frobenius);
    for (let k = 0; k < S * d; k++) attributeMean[k] /= frobenius;
    let labelled = 0;
    for (let i = 0; i < batch.length; i++) if (this.imageAttributes[batch[i]] >= 0) labelled++;
    if (labelled === 0) return { loss: 0, tauGrad: 0 };
    attributeGrad.fill(0);
    let loss = 0;
    let tauGrad = 0;
    for (let i = 0; i < batch.length; i++) {
      const label = this.imageAttributes[batch[i]];
      if (label < 0) continue;
      let max = -Infinity;
      for (let s = 0; s < S; s++) {
        logits[s] = dotAt(this.unit, i * d, attributeMean, s * d, d);
        if (tau * logits[s] > max) max = tau * logits[s];
      }
      let sum = 0;
      for (let s = 0; s < S; s++) sum += Math.exp(tau * logits[s] - max);
      loss += max + Math.log(sum) - tau * logits[label];
      for (let s = 0; s < S; s++) {
        const g = (weight * (Math.exp(tau * logits[s] - max) / sum - (s === label ? 1 : 0))) / labelled;
        tauGrad += g * logits[s];
        addScaledAt(this.gradUnit, i * d, attributeMean, s * d, d, g * tau);
        addScaledAt(attributeGrad, s * d, this.unit, i * d, d, g * tau);
      }
    }
    // back through Ā = M/‖M‖_F: ∂/∂M = (G − Ā⟨Ā,G⟩)/‖M‖_F
    let along = 0;
    for (let k = 0; k < S * d; k++) along += attributeMean[k] * attributeGrad[k];
    for (let m = 0; m < T; m++) {
      for (let s = 0; s < S; s++) {
        const row = (classRows + m * S + s) * d;
        for (let k = 0; k < d; k++) {
          this.textGrad[row + k] += (attributeGrad[s * d + k] - attributeMean[s * d + k] * along) / (frobenius * T);
        }
      }
    }
    return { loss: loss / labelled, tauGrad };
  }

  /**
   * The class weights the adapter predicts with, n(mean_m t_{m,c}) (C×d), from the current W_t — written into `out`.
   */
  classWeights(W_t: Floats, out: Float64Array): void {
    const { d, templates: T, classes: C } = this;
    projectRows(W_t, this.text, this.textOffsets, T * C, d, this.textRaw);
    normalizeRowsInto(this.textRaw, T * C, d, this.textUnit, this.textNorms);
    out.fill(0);
    for (let m = 0; m < T; m++)
      for (let c = 0; c < C; c++) addScaledAt(out, c * d, this.textUnit, (m * C + c) * d, d, 1);
    for (let c = 0; c < C; c++) {
      const norm = Math.sqrt(dotAt(out, c * d, out, c * d, d));
      for (let k = 0; k < d; k++) out[c * d + k] /= norm;
    }
  }
}
