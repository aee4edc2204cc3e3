import { describe, expect, it } from 'vitest';
import { ImportError } from './importError';
import { npzArrayNames, parseNpy, readEmbeddingMatrix } from './importNpy';
import { floatToHalfBits, npyBytes, npzBytes, roundToHalf } from './npyFiles.fixture';
import { randomMatrix } from './testRandom.fixture';

const message = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ImportError);
    return (error as Error).message;
  }
  throw new Error('expected an ImportError');
};

describe('.npy reader', () => {
  const data = randomMatrix(5, 3, 1);

  it('reads float32 in both byte orders and both header versions exactly', () => {
    for (const options of [{}, { bigEndian: true }, { version: 2 as const }]) {
      const matrix = parseNpy(npyBytes(data, 5, 3, options), 'emb.npy');
      expect(matrix).toMatchObject({ rows: 5, dim: 3, dtype: 'float32' });
      expect(Array.from(matrix.data)).toEqual(Array.from(data));
    }
  });

  it('reads float16 as the values the halves hold (round to nearest even), incl. subnormals and ±0', () => {
    const special = Float32Array.from([1, -2.5, 65504, 6e-8, -0, 0.1, 1 / 3, 2049]);
    expect(floatToHalfBits(2049)).toBe(0x6800); // 2048: the tie rounds to even
    const matrix = parseNpy(npyBytes(special, 2, 4, { dtype: 'float16' }), 'emb.npy');
    expect(matrix.dtype).toBe('float16');
    expect(Array.from(matrix.data)).toEqual(Array.from(roundToHalf(special)));
    expect(matrix.data[0]).toBe(1);
    expect(matrix.data[7]).toBe(2048);
    expect(matrix.data[3]).toBeCloseTo(5.96e-8, 9);
    const big = parseNpy(npyBytes(special, 2, 4, { dtype: 'float16', bigEndian: true }), 'emb.npy');
    expect(Array.from(big.data)).toEqual(Array.from(matrix.data));
  });

  it('refuses what it cannot read, with a sentence saying how to save the array', () => {
    expect(message(() => parseNpy(npyBytes(data, 5, 3, { fortran: true }), 'emb.npy'))).toBe(
      'emb.npy: is stored in Fortran (column-major) order; save it with np.save(path, np.ascontiguousarray(x, dtype=np.float32))',
    );
    expect(message(() => parseNpy(npyBytes(data, 5, 3, { descr: '<f8' }), 'emb.npy'))).toMatch(
      /^emb\.npy: holds float64 \('<f8'\) values; expected float32 or float16: save it with np\.save/,
    );
    expect(message(() => parseNpy(npyBytes(data, 5, 3, { descr: '<i8' }), 'emb.npy'))).toMatch(/holds int64/);
    expect(message(() => parseNpy(npyBytes(data, 15, 1, { shape: [15] }), 'emb.npy'))).toMatch(
      /holds a 1-D array of shape \(15,\); expected 2-D/,
    );
    expect(message(() => parseNpy(npyBytes(data, 5, 3).subarray(0, 140), 'emb.npy'))).toMatch(/is cut short/);
    expect(message(() => parseNpy(new TextEncoder().encode('id,class\n'), 'emb.npy'))).toMatch(
      /is not a NumPy \.npy file/,
    );
  });
});

describe('.npz reader', () => {
  const images = npyBytes(randomMatrix(4, 2, 2), 4, 2);
  const text = npyBytes(randomMatrix(6, 2, 3), 6, 2, { dtype: 'float16' });

  it('reads a named array (stored or deflated), the only array without a name, and lists the names', () => {
    for (const compressed of [false, true]) {
      const zip = npzBytes({ images, text }, compressed);
      expect(npzArrayNames(zip, 'emb.npz')).toEqual(['images', 'text']);
      expect(readEmbeddingMatrix(zip, 'emb.npz', 'text')).toMatchObject({ rows: 6, dim: 2, dtype: 'float16' });
    }
    expect(readEmbeddingMatrix(npzBytes({ arr_0: images }), 'one.npz').rows).toBe(4);
  });

  it('asks which array when several are stored, and names a missing one', () => {
    const zip = npzBytes({ images, text });
    expect(message(() => readEmbeddingMatrix(zip, 'emb.npz'))).toBe(
      'emb.npz: holds 2 arrays (images, text); say which one, e.g. emb.npz:images',
    );
    expect(message(() => readEmbeddingMatrix(zip, 'emb.npz', 'labels'))).toBe(
      'emb.npz: has no array named "labels" (it holds images, text)',
    );
  });
});
