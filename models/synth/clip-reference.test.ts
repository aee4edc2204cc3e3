// The independent plain-loop CLIP forward pass, on weights read back from the generated files,
// must reproduce onnxruntime's outputs: this is what makes "CLIP architecture" checked, not asserted.
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceText, referenceVision } from './clip-reference.ts';
import { TEXT_FILE, VISION_FILE, type GenerateResult } from './generate.ts';
import { readOnnxModel, type ReadModel } from './read-onnx.ts';
import { CLIP_SIZES } from './sizes.ts';
import { generateTinyInTemp, maxAbsDiff, removeGenerated, smoothRandomImage } from './test-support.ts';

const dims = CLIP_SIZES.tiny;
const TOLERANCE = 1e-4;

describe('tiny model equals a hand-written CLIP forward pass', () => {
  let generated: GenerateResult;
  let visionModel: ReadModel;
  let textModel: ReadModel;

  beforeAll(() => {
    generated = generateTinyInTemp(3);
    visionModel = readOnnxModel(join(generated.folder, VISION_FILE));
    textModel = readOnnxModel(join(generated.folder, TEXT_FILE));
  });
  afterAll(() => removeGenerated(generated));

  it('vision tower: image_embeds and last_hidden_state within 1e-4', async () => {
    const pixels = smoothRandomImage(5);
    const session = await ort.InferenceSession.create(join(generated.folder, VISION_FILE));
    const out = await session.run({ pixel_values: new ort.Tensor('float32', pixels, [1, 3, 224, 224]) });
    await session.release();
    const reference = referenceVision(visionModel.weights, dims, pixels);
    const embeds = out.image_embeds.data as Float32Array;
    // Guard against a vacuous pass: the embedding must be of order 1, far above the tolerance.
    expect(Math.max(...embeds.map(Math.abs))).toBeGreaterThan(0.1);
    expect(maxAbsDiff(embeds, reference.embeds)).toBeLessThan(TOLERANCE);
    expect(maxAbsDiff(out.last_hidden_state.data as Float32Array, reference.lastHiddenState)).toBeLessThan(TOLERANCE);
  });

  it('text tower: EOS-pooled text_embeds and last_hidden_state within 1e-4, padding included', async () => {
    // Row 0 is padded with EOS (as the CLIP tokenizer pads); its EOS is the first 49407.
    const rows = [
      [49406, 320, 1125, 539, 320, 2368, 49407, 49407, 49407],
      [49406, 320, 1125, 539, 320, 1070, 1538, 1929, 49407],
    ];
    const session = await ort.InferenceSession.create(join(generated.folder, TEXT_FILE));
    const flat = BigInt64Array.from(rows.flat().map(BigInt));
    const out = await session.run({ input_ids: new ort.Tensor('int64', flat, [2, 9]) });
    await session.release();
    const p = dims.projectionDim;
    const w = dims.text.hiddenSize;
    const embeds = out.text_embeds.data as Float32Array;
    const hidden = out.last_hidden_state.data as Float32Array;
    rows.forEach((ids, row) => {
      const reference = referenceText(textModel.weights, dims, ids);
      expect(maxAbsDiff(embeds.subarray(row * p, (row + 1) * p), reference.embeds)).toBeLessThan(TOLERANCE);
      expect(maxAbsDiff(hidden.subarray(row * 9 * w, (row + 1) * 9 * w), reference.lastHiddenState)).toBeLessThan(
        TOLERANCE,
      );
    });
    // The unpadded prompt pools the same vector: causal attention hides the padding from its EOS.
    const unpadded = referenceText(textModel.weights, dims, rows[0].slice(0, 7));
    expect(maxAbsDiff(embeds.subarray(0, p), unpadded.embeds)).toBeLessThan(TOLERANCE);
  });
});
