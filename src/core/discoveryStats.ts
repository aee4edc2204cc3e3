/**
 * The statistics of attribute discovery (METHODS §4a, §5 step 4): the accuracy discrepancy δ of a word's
 * presence with a 95% interval, and the mutual information between presence and error.
 */
import { Z_95, wilsonInterval } from './metrics';

/** δ = acc(present) − acc(absent) for one (class, word), each accuracy with its Wilson interval. */
export interface AccuracyDelta {
  /** acc(present) − acc(absent); NaN when either side is empty */
  delta: number;
  /** Newcombe's hybrid score interval for δ (built from the two Wilson intervals); [NaN, NaN] when δ is NaN */
  ci95: [number, number];
  accPresent: number;
  accPresentCi95: [number, number];
  accAbsent: number;
  accAbsentCi95: [number, number];
}

/**
 * δ with intervals. The interval for the difference is Newcombe's method 10 (the "hybrid score" interval,
 * Newcombe 1998): with Wilson intervals [l1, u1] for p1 = acc(present) and [l2, u2] for p2 = acc(absent),
 * δ − √((p1 − l1)² + (u2 − p2)²) … δ + √((u1 − p1)² + (p2 − l2)²). It keeps the Wilson interval's good
 * behaviour at small n and near 0 or 1, where the plain normal (Wald) interval for a difference does not.
 */
export function accuracyDelta(
  correctPresent: number,
  nPresent: number,
  correctAbsent: number,
  nAbsent: number,
  z: number = Z_95,
): AccuracyDelta {
  const p1 = nPresent > 0 ? correctPresent / nPresent : NaN;
  const p2 = nAbsent > 0 ? correctAbsent / nAbsent : NaN;
  const w1 = wilsonInterval(correctPresent, nPresent, z);
  const w2 = wilsonInterval(correctAbsent, nAbsent, z);
  const delta = p1 - p2;
  const ci95: [number, number] = Number.isNaN(delta)
    ? [NaN, NaN]
    : [
        delta - Math.sqrt((p1 - w1.low) ** 2 + (w2.high - p2) ** 2),
        delta + Math.sqrt((w1.high - p1) ** 2 + (p2 - w2.low) ** 2),
      ];
  return {
    delta,
    ci95,
    accPresent: p1,
    accPresentCi95: [w1.low, w1.high],
    accAbsent: p2,
    accAbsentCi95: [w2.low, w2.high],
  };
}

/** n·ln(n·N / (row·col)) / N, with 0·ln 0 = 0. */
function miTerm(count: number, row: number, col: number, total: number): number {
  return count > 0 ? (count / total) * Math.log((count * total) / (row * col)) : 0;
}

/**
 * Mutual information in nats of two binary variables from their 2×2 counts (as sklearn's
 * mutual_info_score, natural log): `presentWrong` = images with the word present and a wrong prediction, etc.
 * 0 when either variable is constant.
 */
export function mutualInformation(
  presentWrong: number,
  presentRight: number,
  absentWrong: number,
  absentRight: number,
): number {
  const total = presentWrong + presentRight + absentWrong + absentRight;
  if (total === 0) return 0;
  const present = presentWrong + presentRight;
  const absent = absentWrong + absentRight;
  const wrong = presentWrong + absentWrong;
  const right = presentRight + absentRight;
  const mi =
    miTerm(presentWrong, present, wrong, total) +
    miTerm(presentRight, present, right, total) +
    miTerm(absentWrong, absent, wrong, total) +
    miTerm(absentRight, absent, right, total);
  // rounding can leave ±1e-17 for independent counts; MI is never negative
  return Math.max(0, mi);
}
