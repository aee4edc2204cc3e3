import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parsePreprocessorConfig } from './preprocessConfig';

const clipConfig = JSON.parse(
  readFileSync(fileURLToPath(new URL('./fixtures/preprocessor_config.json', import.meta.url)), 'utf8'),
) as Record<string, unknown>;

describe('preprocessor_config.json', () => {
  it("reads CLIP's config into the steps", () => {
    expect(parsePreprocessorConfig(clipConfig)).toEqual({
      resize: { kind: 'shortestEdge', size: 224 },
      crop: { width: 224, height: 224 },
      rescale: 1 / 255,
      mean: [0.48145466, 0.4578275, 0.40821073],
      std: [0.26862954, 0.26130258, 0.27577711],
    });
  });

  it('older and partial forms: a number for size and crop_size, steps switched off', () => {
    const config = parsePreprocessorConfig({ size: 256, crop_size: 224, do_rescale: false, do_normalize: false });
    expect(config).toEqual({
      resize: { kind: 'shortestEdge', size: 256 },
      crop: { width: 224, height: 224 },
      rescale: 1,
      mean: [0, 0, 0],
      std: [1, 1, 1],
    });
    expect(parsePreprocessorConfig({ ...clipConfig, size: { height: 200, width: 300 } }).resize).toEqual({
      kind: 'exact',
      width: 300,
      height: 200,
    });
  });

  it('a wrong field is named as the file spells it, with what it should be and what it is', () => {
    const cases: [Record<string, unknown> | unknown[], string][] = [
      [
        { ...clipConfig, resample: 2 },
        "preprocessor_config.json resample is 2; only 3 (bicubic, CLIP's) is implemented",
      ],
      [
        { ...clipConfig, size: { shortest_edge: -1 } },
        'preprocessor_config.json size.shortest_edge should be a whole number of at least 1, but is -1',
      ],
      [
        { ...clipConfig, size: [224] },
        'preprocessor_config.json size should be a whole number, {"shortest_edge": n} or {"height": h, "width": w}, but is a list of 1',
      ],
      [
        { ...clipConfig, image_mean: [0.5, 0.5] },
        'preprocessor_config.json image_mean should be 3 numbers (red, green, blue), but has 2',
      ],
      [
        { ...clipConfig, image_std: [0.2, 0, 0.2] },
        'preprocessor_config.json image_std has a 0 (every pixel value would be divided by it)',
      ],
      [
        { ...clipConfig, do_convert_rgb: false },
        'preprocessor_config.json do_convert_rgb is false; only true is supported (CLIP reads RGB)',
      ],
      [{ ...clipConfig, do_resize: 'yes' }, 'preprocessor_config.json do_resize should be true or false, but is "yes"'],
      [{ ...clipConfig, size: undefined }, 'preprocessor_config.json has no size (needed because do_resize is true)'],
      [[1, 2, 3], 'preprocessor_config.json should be an object, but is a list of 3'],
    ];
    for (const [json, message] of cases) expect(() => parsePreprocessorConfig(json)).toThrow(message);
  });
});
