import { describe, expect, it } from 'vitest';
import { cosine } from '../core/vectors';
import { MIN_FIDELITY, recommend, type MachineCheckRow } from './machineCheck';

const row = (
  backend: MachineCheckRow['backend'],
  dtype: MachineCheckRow['dtype'],
  imagesPerSecond: number | null,
  fidelity: number | null,
): MachineCheckRow => ({ backend, dtype, imagesPerSecond, fidelity });

describe('recommend', () => {
  it('the fastest that keeps the results; a faster one that does not keep them is passed over', () => {
    const rows = [
      row('wasm', 'fp32', 5, 1),
      row('wasm', 'fp16', 4, 0.99999),
      row('wasm', 'q8', 9, 0.997),
      row('webgpu', 'q8', 30, MIN_FIDELITY - 0.01),
    ];
    expect(recommend(rows)).toEqual({ backend: 'wasm', dtype: 'q8' });
  });

  it('a try that did not run or was not compared is never recommended; nothing left → null', () => {
    expect(recommend([row('wasm', 'fp32', null, null), row('wasm', 'q8', 9, null)])).toBeNull();
    expect(recommend([])).toBeNull();
  });
});

describe('cosine', () => {
  it('1 for the same direction, 0 for orthogonal or empty vectors', () => {
    expect(cosine(Float32Array.of(1, 2), Float32Array.of(2, 4))).toBeCloseTo(1, 6);
    expect(cosine(Float32Array.of(1, 0), Float32Array.of(0, 3))).toBe(0);
    expect(cosine(Float32Array.of(0, 0), Float32Array.of(0, 3))).toBe(0);
  });
});
