import { describe, expect, it } from 'vitest';
import { categoryAxisWidth, pointsText, wrapLabel } from './chartParts';

describe('wrapLabel', () => {
  it('keeps a short label on one line and wraps a long one at spaces', () => {
    expect(wrapLabel('landbird / water', 20)).toEqual(['landbird / water']);
    expect(wrapLabel('landbird / water', 12)).toEqual(['landbird /', 'water']);
  });

  it('cuts words longer than a line and ends an overflowing label with …', () => {
    expect(wrapLabel('abcdefghijkl', 5)).toEqual(['abcde', 'fghi…']);
    expect(wrapLabel('a bird that lives on land / a lake', 10)).toEqual(['a bird', 'that live…']);
  });
});

describe('categoryAxisWidth', () => {
  it('fits the longest wrapped line within the bounds', () => {
    expect(categoryAxisWidth(['a / b'], 60, 140)).toBe(60);
    expect(categoryAxisWidth(['waterbird / water'], 60, 140)).toBeGreaterThan(100);
    expect(categoryAxisWidth(['x'.repeat(80)], 60, 140)).toBe(140);
  });
});

describe('pointsText', () => {
  it('signs differences and names the unit', () => {
    expect(pointsText(100)).toBe('+100.0 pts');
    expect(pointsText(-12.345)).toBe('-12.3 pts');
    expect(pointsText(-0.01)).toBe('0.0 pts');
    expect(pointsText(Number.NaN)).toBe('–');
  });
});
