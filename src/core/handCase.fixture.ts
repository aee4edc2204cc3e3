/**
 * A 2-D, 2-template, 2-class case small enough to work out on paper (used by several tests).
 *
 * Text (already unit):            class 0 (c0)      class 1 (c1)
 *   template 0 (t0)               (1, 0)            (0, 1)
 *   template 1 (t1)               (1, 0)            (0.6, 0.8)
 *
 * Image A, v = (0.8, 0.6):
 *   s[t0] = [0.8, 0.6]   sep 0.2        s[t1] = [0.8, 0.96]   sep 0.16
 *   SAGE K=1 → t0 (larger sep) → class 0 (0.8 > 0.6); zero-shot with t1 → class 1 (0.96 > 0.8).
 *   K=2 "score":     c0 = (0.8+0.8)/2 = 0.8,  c1 = (0.6+0.96)/2 = 0.78                 → class 0
 *   K=2 "embedding": w0 = normalize((2,0)) = (1,0) → 0.8;
 *                    w1 = normalize((0.6,1.8)) = (0.6,1.8)/√3.6 → (0.48+1.08)/√3.6 = 0.822192 → class 1
 * Image B, v = (0.6, 0.8):
 *   s[t0] = [0.6, 0.8]   sep 0.2        s[t1] = [0.6, 1.0]    sep 0.4
 *   SAGE K=1 → t1 → class 1; ranking [t1, t0].
 *   K=2 "score": c0 = 0.6, c1 = 0.9;  "embedding": c0 = 0.6, c1 = (0.36+1.44)/√3.6 = 0.948683  → class 1
 */
export const HAND = {
  dim: 2,
  m: 2,
  c: 2,
  classes: ['c0', 'c1'],
  templates: ['a {}.', 'a photo of a {}.'],
  /** template-major rows: (t0,c0), (t0,c1), (t1,c0), (t1,c1) */
  text: Float32Array.from([1, 0, 0, 1, 1, 0, 0.6, 0.8]),
  images: Float32Array.from([0.8, 0.6, 0.6, 0.8]),
  n: 2,
} as const;

export const SQRT_3_6 = Math.sqrt(3.6);
