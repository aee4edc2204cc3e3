import { describe, expect, it } from 'vitest';
import { mulberry32 } from './prng';

describe('mulberry32', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const seqA = Array.from({ length: 20 }, () => a.next());
    const seqB = Array.from({ length: 20 }, () => b.next());
    const seqC = Array.from({ length: 20 }, () => c.next());
    expect(seqA).toEqual(seqB);
    expect(seqA).not.toEqual(seqC);
  });

  it('draws uniformly in [0, 1)', () => {
    const rng = mulberry32(7);
    const bins = new Array<number>(10).fill(0);
    const n = 20000;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.next();
      if (x < 0 || x >= 1) outside++;
      else bins[Math.floor(x * 10)]++;
    }
    expect(outside).toBe(0);
    // each bin expects 2000 ± ~42 (1 sd); 10% slack is > 4 sd
    for (const count of bins) expect(Math.abs(count - n / 10)).toBeLessThan(200);
  });

  it('int covers both ends of its inclusive range and nothing outside', () => {
    const rng = mulberry32(1);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) seen.add(rng.int(3, 6));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
    expect(() => rng.int(5, 4)).toThrow('empty range');
  });

  it('shuffled returns a permutation and leaves the input alone', () => {
    const rng = mulberry32(9);
    const input = Array.from({ length: 30 }, (_, i) => i);
    const out = rng.shuffled(input);
    expect(input).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect([...out].sort((x, y) => x - y)).toEqual(input);
    expect(out).not.toEqual(input);
  });

  it('rejects seeds that are not 32-bit unsigned integers', () => {
    expect(() => mulberry32(-1)).toThrow('seed: expected an integer');
    expect(() => mulberry32(1.5)).toThrow('seed: expected an integer');
    expect(() => mulberry32(2 ** 32)).toThrow('seed: expected an integer');
  });
});
