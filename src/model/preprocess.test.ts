import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeImageNode } from './decodeNode';
import { bicubicCoefficients, preprocess, resizeAndCrop, resizedSize } from './preprocess';
import { parsePreprocessorConfig } from './preprocessConfig';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const config = parsePreprocessorConfig(JSON.parse(readFileSync(`${fixtures}preprocessor_config.json`, 'utf8')));

interface ReferenceImage {
  file: string;
  size: [number, number];
  grid: number[];
  uint8: number[][][];
  pixelValues: number[][][];
}
const reference = JSON.parse(readFileSync(`${fixtures}pil-reference.json`, 'utf8')) as { images: ReferenceImage[] };

/** One uint8 level after normalisation is 1/255/std; the smallest std (0.2613) makes it 0.0150. */
const ONE_LEVEL = 1 / 255 / Math.min(...config.std);

describe('CLIP preprocessing vs PIL (fixtures made by src/model/fixtures/make_fixtures.py)', () => {
  for (const ref of reference.images) {
    it(`${ref.file}: pixel values match PIL's within a stated tolerance`, async () => {
      const decoded = await decodeImageNode(new Uint8Array(readFileSync(`${fixtures}${ref.file}`)));
      if (!decoded.ok) throw new Error(decoded.reason);
      expect([decoded.image.width, decoded.image.height]).toEqual(ref.size);
      const { rgb } = resizeAndCrop(decoded.image, config);
      const values = preprocess(decoded.image, config);
      let maxLevels = 0;
      let maxValueDiff = 0;
      ref.grid.forEach((y, gy) =>
        ref.grid.forEach((x, gx) => {
          for (let c = 0; c < 3; c++) {
            maxLevels = Math.max(maxLevels, Math.abs(rgb[(y * 224 + x) * 3 + c] - ref.uint8[gy][gx][c]));
            maxValueDiff = Math.max(
              maxValueDiff,
              Math.abs(values[c * 224 * 224 + y * 224 + x] - ref.pixelValues[gy][gx][c]),
            );
          }
        }),
      );
      // PNG decodes identically everywhere, so the resampler must be bit-exact with Pillow.
      // JPEG: sharp (mozjpeg) vs PIL (libjpeg-turbo) IDCTs may differ by a level, so allow ≤ 1 level there.
      const allowedLevels = ref.file.endsWith('.png') ? 0 : 1;
      expect(maxLevels).toBeLessThanOrEqual(allowedLevels);
      expect(maxValueDiff).toBeLessThanOrEqual(allowedLevels * ONE_LEVEL + 1e-5);
    });
  }

  it('resize keeps the aspect ratio like HF (int truncation of the long side)', () => {
    expect(resizedSize(300, 200, config.resize)).toEqual({ width: 336, height: 224 });
    expect(resizedSize(180, 260, config.resize)).toEqual({ width: 224, height: 323 });
  });

  it('bicubic taps sum to one in fixed point and widen when downscaling', () => {
    const down = bicubicCoefficients(1000, 224);
    const up = bicubicCoefficients(100, 224);
    expect(down.kernelSize).toBeGreaterThan(up.kernelSize);
    for (const coefficients of [down, up]) {
      for (let out = 0; out < 224; out++) {
        let sum = 0;
        for (let i = 0; i < coefficients.bounds[out * 2 + 1]; i++)
          sum += coefficients.taps[out * coefficients.kernelSize + i];
        expect(Math.abs(sum - (1 << 22))).toBeLessThanOrEqual(coefficients.kernelSize);
      }
    }
  });
});
