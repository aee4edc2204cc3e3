/**
 * A tiny seeded PRNG (mulberry32) so the example set is reproducible from one number,
 * independent of Math.random and of the platform.
 */
export interface Prng {
  /** uniform in [0, 1) */
  next(): number;
  /** uniform in [low, high) */
  uniform(low: number, high: number): number;
  /** integer uniform in [low, high] (both inclusive) */
  int(low: number, high: number): number;
  /** true with probability p */
  chance(p: number): boolean;
  /** a shuffled copy (Fisher–Yates); the input is not modified */
  shuffled<T>(items: readonly T[]): T[];
}

export function mulberry32(seed: number): Prng {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new Error(`seed: expected an integer in [0, 4294967295], got ${seed}`);
  }
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (low: number, high: number): number => {
    if (high < low) throw new Error(`int: empty range [${low}, ${high}]`);
    return low + Math.floor(next() * (high - low + 1));
  };
  return {
    next,
    uniform: (low, high) => low + next() * (high - low),
    int,
    chance: (p) => next() < p,
    shuffled<T>(items: readonly T[]): T[] {
      const out = items.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(0, i);
        const tmp = out[i];
        out[i] = out[j];
        out[j] = tmp;
      }
      return out;
    },
  };
}
