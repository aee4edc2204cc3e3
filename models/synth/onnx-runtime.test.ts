// The generated tiny model under onnxruntime-node directly: declared I/O, dynamic shapes, finite and
// image-dependent outputs, and only the operators we checked onnxruntime-web supports.
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEXT_FILE, VISION_FILE, type GenerateResult } from './generate.ts';
import { readOnnxModel } from './read-onnx.ts';
import { CLIP_SIZES } from './sizes.ts';
import { cosine, generateTinyInTemp, maxAbsDiff, removeGenerated, smoothRandomImage } from './test-support.ts';

const dims = CLIP_SIZES.tiny;
const PIXELS = 3 * 224 * 224;

/** Every operator the graphs use; each is a CPU kernel in onnxruntime-web's WASM build (see models/README.md). */
const ALLOWED_OPS = new Set([
  'Add',
  'ArgMax',
  'Cast',
  'Concat',
  'Conv',
  'Expand',
  'Gather',
  'GatherND',
  'Identity',
  'LayerNormalization',
  'MatMul',
  'Mul',
  'Reshape',
  'Shape',
  'Sigmoid',
  'Slice',
  'Softmax',
  'Transpose',
]);

function allFinite(values: Float32Array): boolean {
  return values.every((v) => Number.isFinite(v));
}

describe('tiny model in onnxruntime-node', () => {
  let generated: GenerateResult;
  let vision: ort.InferenceSession;
  let text: ort.InferenceSession;

  beforeAll(async () => {
    generated = generateTinyInTemp(1);
    vision = await ort.InferenceSession.create(join(generated.folder, VISION_FILE));
    text = await ort.InferenceSession.create(join(generated.folder, TEXT_FILE));
  });
  afterAll(async () => {
    await vision.release();
    await text.release();
    removeGenerated(generated);
  });

  async function embedImages(images: Float32Array[]): Promise<{ embeds: Float32Array; hidden: ort.Tensor }> {
    const batch = new Float32Array(images.length * PIXELS);
    images.forEach((image, i) => batch.set(image, i * PIXELS));
    const out = await vision.run({ pixel_values: new ort.Tensor('float32', batch, [images.length, 3, 224, 224]) });
    return { embeds: out.image_embeds.data as Float32Array, hidden: out.last_hidden_state };
  }

  it('declares the input and output names transformers.js reads', () => {
    expect(vision.inputNames).toEqual(['pixel_values']);
    expect(vision.outputNames).toEqual(['image_embeds', 'last_hidden_state']);
    expect(text.inputNames).toEqual(['input_ids']);
    expect(text.outputNames).toEqual(['text_embeds', 'last_hidden_state']);
  });

  it('runs the vision tower on any batch size with finite, batch-independent outputs', async () => {
    const images = [1, 2, 3].map((seed) => smoothRandomImage(seed));
    const batched = await embedImages(images);
    expect(batched.hidden.dims).toEqual([3, 50, dims.vision.hiddenSize]);
    expect(batched.embeds.length).toBe(3 * dims.projectionDim);
    expect(allFinite(batched.embeds)).toBe(true);
    const single = await embedImages([images[2]]);
    expect(maxAbsDiff(single.embeds, batched.embeds.subarray(2 * dims.projectionDim))).toBeLessThan(1e-5);
  });

  it('keeps different images apart (no collapse to one vector)', async () => {
    const { embeds } = await embedImages([smoothRandomImage(11), smoothRandomImage(12)]);
    const p = dims.projectionDim;
    const similarity = cosine(embeds.subarray(0, p), embeds.subarray(p));
    expect(similarity).toBeLessThan(0.8);
  });

  it('runs the text tower on dynamic batch and sequence length', async () => {
    const ids = [49406, 320, 1125, 539, 320, 2368, 49407];
    const out = await text.run({
      input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]),
    });
    expect(out.text_embeds.dims).toEqual([1, dims.projectionDim]);
    expect(out.last_hidden_state.dims).toEqual([1, ids.length, dims.text.hiddenSize]);
    expect(allFinite(out.text_embeds.data as Float32Array)).toBe(true);

    const long = Array.from({ length: 77 }, (_, i) => (i === 0 ? 49406 : i === 76 ? 49407 : 320 + i));
    const two = BigInt64Array.from([...long, ...long].map(BigInt));
    const out2 = await text.run({ input_ids: new ort.Tensor('int64', two, [2, 77]) });
    expect(out2.text_embeds.dims).toEqual([2, dims.projectionDim]);
  });

  it('uses opset 17 and only operators on the onnxruntime-web list', () => {
    for (const file of [VISION_FILE, TEXT_FILE]) {
      const model = readOnnxModel(join(generated.folder, file));
      expect(model.opsetVersion).toBe(17);
      expect(
        model.opTypes.filter((op) => !ALLOWED_OPS.has(op)),
        file,
      ).toEqual([]);
    }
  });
});
