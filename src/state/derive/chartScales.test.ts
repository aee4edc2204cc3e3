import { describe, expect, it } from 'vitest';
import type { GroupStats } from '../../core';
import { deltaAxis, worstGroups } from './chartScales';

function group(cls: string, attribute: string, correct: number, n: number): GroupStats {
  return { class: cls, attribute, n, correct, accuracy: n > 0 ? correct / n : Number.NaN, ci95: { low: 0, high: 1 } };
}

describe('worstGroups', () => {
  it('finds the single lowest group', () => {
    const worst = worstGroups([group('a', 'x', 3, 4), group('a', 'y', 0, 2), group('b', 'x', 4, 4)]);
    expect([...worst.keys]).toEqual(['a/y']);
    expect(worst.accuracy).toBe(0);
    expect(worst.allTie).toBe(false);
  });

  it('marks every group that ties for worst, and says when all of them tie', () => {
    const some = worstGroups([group('a', 'x', 1, 2), group('a', 'y', 2, 4), group('b', 'x', 4, 4)]);
    expect([...some.keys]).toEqual(['a/x', 'a/y']);
    expect(some.allTie).toBe(false);
    const all = worstGroups([group('a', 'x', 2, 2), group('b', 'x', 5, 5)]);
    expect([...all.keys]).toEqual(['a/x', 'b/x']);
    expect(all.allTie).toBe(true);
  });

  it('skips empty groups; one group alone is not a tie; no groups give NaN', () => {
    const one = worstGroups([group('a', 'x', 1, 2), group('a', 'y', 0, 0)]);
    expect([...one.keys]).toEqual(['a/x']);
    expect(one.allTie).toBe(false);
    const none = worstGroups([group('a', 'x', 0, 0)]);
    expect(none.keys.size).toBe(0);
    expect(none.accuracy).toBeNaN();
  });
});

describe('deltaAxis', () => {
  it('is symmetric with five ticks and the smallest bound that holds every bar', () => {
    expect(deltaAxis([100, -100])).toEqual({ domain: [-100, 100], ticks: [-100, -50, 0, 50, 100] });
    expect(deltaAxis([3, -1])).toEqual({ domain: [-5, 5], ticks: [-5, -2.5, 0, 2.5, 5] });
    expect(deltaAxis([-12])).toEqual({ domain: [-20, 20], ticks: [-20, -10, 0, 10, 20] });
  });

  it('ignores non-finite δ and never gives a zero-width axis', () => {
    expect(deltaAxis([Number.NaN, 0]).domain).toEqual([-5, 5]);
    expect(deltaAxis([]).domain).toEqual([-5, 5]);
  });
});
