// The q8 and fp16 variants of the tiny model: the operator forms of the real Xenova exports (see
// quantize.ts / half-precision.ts for where they come from), weights that decode back to the fp32 ones,
// and embeddings under onnxruntime-node that stay close to fp32 on the same weights.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textFile, visionFile, SYNTH_DTYPES, type GenerateResult, type SynthDtype } from './generate.ts';
import { clampForFloat16, float16Bits, float16Value } from './half-precision.ts';
import { DataType } from './onnx.ts';
import { quantRange, roundHalfEven, scaleAndZeroPoint } from './quantize.ts';
import { readOnnxModel, type RawTensor, type ReadModel } from './read-onnx.ts';
import { CLIP_SIZES } from './sizes.ts';
import { cosine, generateTinyInTemp, maxAbsDiff, removeGenerated, smoothRandomImage } from './test-support.ts';

const dims = CLIP_SIZES.tiny;
const P = dims.projectionDim;
const PIXELS = 3 * 224 * 224;
const LAYERS = dims.vision.numLayers; // == dims.text.numLayers

/** Operators of the q8 towers: the fp32 lists with MatMul (constant B) → MatMulInteger, Conv → ConvInteger,
 * and the dynamic-quantization plumbing; attention's activation × activation MatMuls stay float. */
const Q8_VISION_OPS = [
  'Add',
  'Cast',
  'Concat',
  'ConvInteger',
  'DynamicQuantizeLinear',
  'Expand',
  'Gather',
  'Identity',
  'LayerNormalization',
  'MatMul',
  'MatMulInteger',
  'Mul',
  'Reshape',
  'Shape',
  'Sigmoid',
  'Slice',
  'Softmax',
  'Transpose',
];
const Q8_TEXT_OPS = [
  'Add',
  'ArgMax',
  'Cast',
  'Concat',
  'DequantizeLinear',
  'DynamicQuantizeLinear',
  'Gather',
  'GatherND',
  'Identity',
  'LayerNormalization',
  'MatMul',
  'MatMulInteger',
  'Mul',
  'Reshape',
  'Shape',
  'Sigmoid',
  'Slice',
  'Softmax',
  'Transpose',
];

/** Prompts as CLIP token ids (BOS … EOS, EOS-padded to a common length). */
const PROMPTS = [
  [49406, 320, 1125, 539, 320, 2368, 49407, 49407, 49407],
  [49406, 320, 1125, 539, 320, 1070, 1538, 1929, 49407],
  [49406, 320, 8306, 539, 320, 3329, 49407, 49407, 49407],
  [49406, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 49407],
];
const IMAGE_SEEDS = [21, 22, 23, 24];

function count(model: ReadModel, opType: string): number {
  return model.nodes.filter((n) => n.opType === opType).length;
}

function integers(tensor: RawTensor): Int32Array {
  if (tensor.dataType === DataType.UINT8) return Int32Array.from(tensor.raw);
  if (tensor.dataType === DataType.INT8)
    return Int32Array.from(new Int8Array(tensor.raw.buffer, tensor.raw.byteOffset, tensor.raw.byteLength));
  throw new Error(`not an 8-bit tensor (type ${tensor.dataType})`);
}

function floats(tensor: RawTensor): Float32Array {
  const out = new Float32Array(tensor.raw.byteLength / 4);
  new Uint8Array(out.buffer).set(tensor.raw);
  return out;
}

function tensorOf(model: ReadModel, name: string): RawTensor {
  const tensor = model.tensors.get(name);
  if (!tensor) throw new Error(`no initializer ${name}`);
  return tensor;
}

/** Largest |dequantized − original| relative to that value's quantization step (must be ≤ 0.5). */
function worstStepError(original: Float32Array, q: RawTensor, scale: RawTensor, zeroPoint: RawTensor): number {
  const values = integers(q);
  const scales = floats(scale);
  const zeros = integers(zeroPoint);
  const channels = scales.length;
  let worst = 0;
  for (let i = 0; i < values.length; i++) {
    const c = channels === 1 ? 0 : i % channels;
    const error = Math.abs((values[i] - zeros[c]) * scales[c] - original[i]) / scales[c];
    worst = Math.max(worst, error);
  }
  return worst;
}

describe('quantization and float16 arithmetic (onnxruntime quant_utils, numpy float16)', () => {
  it('rounds halves to even, as numpy does', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4999, 2.5001].map(roundHalfEven)).toEqual([0, 2, 2, 0, -2, 2, 3]);
  });

  it('computes 7-bit scales and zero points: uint8 asymmetric, int8 symmetric around 0', () => {
    const u8 = scaleAndZeroPoint(-1, 3, quantRange('uint8', true, false), false);
    expect(u8.scale).toBeCloseTo(4 / 127, 7);
    expect(u8.zeroPoint).toBe(32); // round(1 / (4/127)) = round(31.75)
    const i8 = scaleAndZeroPoint(-1, 3, quantRange('int8', true, true), true);
    expect(i8.scale).toBeCloseTo(6 / 128, 7);
    expect(i8.zeroPoint).toBe(0);
    // the range always contains 0, so an all-positive tensor still has zero point 0 and q(0) = 0
    expect(scaleAndZeroPoint(2, 5, quantRange('uint8', false, false), false)).toMatchObject({ zeroPoint: 0 });
  });

  it('converts float32 to float16 bits with ties to even, subnormals and overflow', () => {
    expect(float16Bits(1)).toBe(0x3c00);
    expect(float16Bits(-2)).toBe(0xc000);
    expect(float16Bits(0.1)).toBe(0x2e66);
    expect(float16Bits(65504)).toBe(0x7bff);
    expect(float16Bits(65520)).toBe(0x7c00); // halfway to 2^16 rounds to even: infinity
    expect(float16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie → even mantissa
    expect(float16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(float16Bits(2 ** -24)).toBe(0x0001);
    expect(float16Bits(2 ** -25)).toBe(0x0000); // tie → even (zero)
    expect(float16Bits(3 * 2 ** -25)).toBe(0x0002);
    expect(float16Bits(1e-7)).toBe(0x0002);
    for (const x of [0.333, -7.25, 1234.5, 6.1e-5, 1e-6]) {
      expect(Math.abs(float16Value(float16Bits(x)) - x)).toBeLessThanOrEqual(
        Math.max(Math.abs(x) * 2 ** -11, 2 ** -25),
      );
    }
  });
});

describe('tiny model at q8 and fp16', () => {
  let generated: GenerateResult;
  const read = new Map<string, ReadModel>();
  const model = (file: string): ReadModel => {
    const known = read.get(file);
    if (known) return known;
    const loaded = readOnnxModel(join(generated.folder, file));
    read.set(file, loaded);
    return loaded;
  };

  beforeAll(() => {
    generated = generateTinyInTemp(1);
  });
  afterAll(() => removeGenerated(generated));

  it('writes both towers at every dtype next to the fp32 files, q8 about a quarter and fp16 half the size', () => {
    const size = (file: string) => statSync(join(generated.folder, file)).size;
    const sizes = Object.fromEntries(
      SYNTH_DTYPES.map((dtype) => [dtype, { vision: size(visionFile(dtype)), text: size(textFile(dtype)) }]),
    );
    console.log(`tiny file sizes (bytes): ${JSON.stringify(sizes)}`);
    for (const file of Object.keys(generated.manifest.files)) {
      expect(generated.manifest.files[file].bytes, file).toBe(size(file));
    }
    for (const tower of ['vision', 'text'] as const) {
      expect(sizes.q8[tower] / sizes.fp32[tower]).toBeGreaterThan(0.2);
      expect(sizes.q8[tower] / sizes.fp32[tower]).toBeLessThan(0.3);
      expect(sizes.fp16[tower] / sizes.fp32[tower]).toBeGreaterThan(0.49);
      expect(sizes.fp16[tower] / sizes.fp32[tower]).toBeLessThan(0.51);
    }
  });

  it('q8 uses the operators of the Xenova q8 exports: DynamicQuantizeLinear + MatMulInteger/ConvInteger', () => {
    const vision = model(visionFile('q8'));
    const text = model(textFile('q8'));
    expect(vision.opTypes).toEqual(Q8_VISION_OPS);
    expect(text.opTypes).toEqual(Q8_TEXT_OPS);
    for (const tower of [vision, text]) {
      expect(tower.opsetVersion).toBe(17);
      // 6 projections per layer (q, k, v, out, fc1, fc2) + the final projection become MatMulInteger;
      // only attention's two activation × activation products stay float MatMul
      expect(count(tower, 'MatMulInteger')).toBe(6 * LAYERS + 1);
      expect(count(tower, 'MatMul')).toBe(2 * LAYERS);
      // one DynamicQuantizeLinear per distinct input: q, k and v share theirs (4 per layer + the projection)
      expect(count(tower, 'DynamicQuantizeLinear')).toBe(
        4 * LAYERS + 1 + (tower === vision ? 1 : 0), // + the patch Conv's input
      );
      expect(tower.inputTypes.every((t) => t === DataType.INT64 || t === DataType.FLOAT)).toBe(true);
      expect(tower.outputTypes).toEqual([DataType.FLOAT, DataType.FLOAT]);
    }
    expect(count(vision, 'ConvInteger')).toBe(1);
    // the token table is gathered as uint8 and dequantized right after
    const gather = text.nodes.filter((n) => n.opType === 'Gather');
    expect(gather).toHaveLength(1);
    expect(tensorOf(text, gather[0].inputs[0]).dataType).toBe(DataType.UINT8);
    const dequantize = text.nodes.filter((n) => n.opType === 'DequantizeLinear');
    expect(dequantize.map((n) => n.inputs[0])).toEqual(gather[0].outputs);
  });

  it('q8 weights: uint8 when the tower has a Conv, else int8; per output column, 7-bit, within half a step', () => {
    const checked: string[] = [];
    for (const [file, fp32File, weightType] of [
      [visionFile('q8'), visionFile('fp32'), DataType.UINT8],
      [textFile('q8'), textFile('fp32'), DataType.INT8],
    ] as const) {
      const q8 = model(file);
      const fp32 = model(fp32File);
      for (const node of q8.nodes.filter((n) => n.opType === 'MatMulInteger' || n.opType === 'ConvInteger')) {
        const [, weightName, , zeroPointName] = node.inputs;
        const original = fp32.weights.get(weightName.replace(/_quantized$/, ''));
        if (!original) throw new Error(`${weightName} has no fp32 original`);
        const weight = tensorOf(q8, weightName);
        const scale = tensorOf(q8, weightName.replace(/_quantized$/, '_scale'));
        const zeroPoint = tensorOf(q8, zeroPointName);
        expect(weight.dataType, weightName).toBe(weightType);
        expect(weight.dims).toEqual(original.dims);
        // MatMul weights [in, out] get one scale per output column; the Conv weight one scale
        expect(scale.dims, weightName).toEqual(node.opType === 'ConvInteger' ? [] : [original.dims[1]]);
        const values = integers(weight);
        const [low, high] = weightType === DataType.UINT8 ? [0, 127] : [-64, 64];
        const extremes = values.reduce((m, v) => [Math.min(m[0], v), Math.max(m[1], v)], [Infinity, -Infinity]);
        expect(extremes[0]).toBeGreaterThanOrEqual(low);
        // the largest magnitude lands on the edge of the 7-bit range
        expect(extremes[1]).toBe(high);
        if (weightType === DataType.INT8) expect(integers(zeroPoint).every((z) => z === 0)).toBe(true);
        expect(worstStepError(original.data, weight, scale, zeroPoint)).toBeLessThanOrEqual(0.5 + 1e-3);
        checked.push(weightName);
      }
      // no float copy of a quantized weight is left in the file
      for (const name of fp32.weights.keys()) {
        if (q8.tensors.has(`${name}_quantized`)) expect(q8.tensors.has(name), name).toBe(false);
      }
    }
    expect(checked).toHaveLength(2 * (6 * LAYERS + 1) + 1);
    const table = 'text_model.embeddings.token_embedding.weight';
    const textQ8 = model(textFile('q8'));
    const original = model(textFile('fp32')).weights.get(table);
    if (!original) throw new Error('no token table');
    const q = tensorOf(textQ8, `${table}_quantized`);
    expect(tensorOf(textQ8, `${table}_scale`).dims).toEqual([]);
    expect(
      worstStepError(original.data, q, tensorOf(textQ8, `${table}_scale`), tensorOf(textQ8, `${table}_zero_point`)),
    ).toBeLessThanOrEqual(0.5 + 1e-3);
  });

  it('fp16 holds float16 weights, computes in float16 and keeps float32 inputs and outputs', () => {
    for (const [file, fp32File] of [
      [visionFile('fp16'), visionFile('fp32')],
      [textFile('fp16'), textFile('fp32')],
    ] as const) {
      const fp16 = model(file);
      const fp32 = model(fp32File);
      expect(fp16.inputNames).toEqual(fp32.inputNames);
      expect(fp16.outputNames).toEqual(fp32.outputNames);
      expect(fp16.inputTypes).toEqual(fp32.inputTypes);
      expect(fp16.outputTypes).toEqual([DataType.FLOAT, DataType.FLOAT]);
      expect(fp16.opTypes).toEqual([...new Set([...fp32.opTypes, 'Cast'])].sort());
      expect([...fp16.tensors.values()].filter((t) => t.dataType === DataType.FLOAT)).toEqual([]);
      for (const [name, weight] of fp32.weights) {
        const half = tensorOf(fp16, name);
        expect(half.dataType, name).toBe(DataType.FLOAT16);
        const bits = new Uint16Array(Uint8Array.from(half.raw).buffer);
        // weights are the fp32 weights rounded to float16 (after the clamp to ±1e4, which only the causal mask meets)
        for (let i = 0; i < weight.data.length; i += 97) {
          expect(bits[i]).toBe(float16Bits(clampForFloat16(weight.data[i])));
        }
      }
      // inputs are cast to float16 first; outputs are cast back from float16 last
      const casts = fp16.nodes.filter((n) => n.opType === 'Cast');
      for (const output of fp16.outputNames) {
        expect(casts.some((n) => n.outputs[0] === output && n.inputs[0] === `${output}_fp16`)).toBe(true);
      }
    }
    expect(model(visionFile('fp16')).nodes[0]).toMatchObject({
      opType: 'Cast',
      inputs: ['pixel_values'],
      outputs: ['pixel_values_fp16'],
    });
  });

  it('onnxruntime-node runs every dtype; q8 and fp16 embeddings stay close to fp32', async () => {
    const images = new Float32Array(IMAGE_SEEDS.length * PIXELS);
    IMAGE_SEEDS.forEach((seed, i) => images.set(smoothRandomImage(seed), i * PIXELS));
    const ids = BigInt64Array.from(PROMPTS.flat().map(BigInt));
    const embeddings = new Map<SynthDtype, { images: Float32Array; texts: Float32Array }>();
    for (const dtype of SYNTH_DTYPES) {
      const vision = await ort.InferenceSession.create(join(generated.folder, visionFile(dtype)));
      const text = await ort.InferenceSession.create(join(generated.folder, textFile(dtype)));
      expect(vision.inputNames).toEqual(['pixel_values']);
      expect(text.outputNames).toEqual(['text_embeds', 'last_hidden_state']);
      const v = await vision.run({
        pixel_values: new ort.Tensor('float32', images, [IMAGE_SEEDS.length, 3, 224, 224]),
      });
      const t = await text.run({ input_ids: new ort.Tensor('int64', ids, [PROMPTS.length, PROMPTS[0].length]) });
      expect(v.image_embeds.type).toBe('float32');
      expect(t.last_hidden_state.type).toBe('float32');
      embeddings.set(dtype, { images: v.image_embeds.data as Float32Array, texts: t.text_embeds.data as Float32Array });
      await vision.release();
      await text.release();
    }
    const fp32 = embeddings.get('fp32');
    if (!fp32) throw new Error('no fp32 run');
    const summary: Record<string, string> = {};
    for (const dtype of ['q8', 'fp16'] as const) {
      const other = embeddings.get(dtype);
      if (!other) throw new Error(`no ${dtype} run`);
      const cosines = (a: Float32Array, b: Float32Array) =>
        Array.from({ length: a.length / P }, (_, i) =>
          cosine(a.subarray(i * P, (i + 1) * P), b.subarray(i * P, (i + 1) * P)),
        );
      const imageCos = cosines(fp32.images, other.images);
      const textCos = cosines(fp32.texts, other.texts);
      const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
      summary[dtype] =
        `images mean ${mean(imageCos).toFixed(6)} min ${Math.min(...imageCos).toFixed(6)}, ` +
        `prompts mean ${mean(textCos).toFixed(6)} min ${Math.min(...textCos).toFixed(6)}`;
      const floor = dtype === 'q8' ? 0.99 : 0.9999;
      expect(Math.min(...imageCos, ...textCos), dtype).toBeGreaterThan(floor);
      // and it really is another computation, not the fp32 graph again
      expect(maxAbsDiff(fp32.images, other.images), dtype).toBeGreaterThan(1e-5);
    }
    console.log(`cosine to fp32 on the same weights (4 images, 4 prompts): ${JSON.stringify(summary, null, 1)}`);
  });

  it('q8 activations are quantized per batch, so an image embeds slightly differently alone than in a batch', async () => {
    // DynamicQuantizeLinear takes one scale over the whole batch tensor, as in the real exports.
    const vision = await ort.InferenceSession.create(join(generated.folder, visionFile('q8')));
    const images = new Float32Array(2 * PIXELS);
    images.set(smoothRandomImage(31), 0);
    images.set(smoothRandomImage(32), PIXELS);
    const both = (await vision.run({ pixel_values: new ort.Tensor('float32', images, [2, 3, 224, 224]) })).image_embeds
      .data as Float32Array;
    const alone = (
      await vision.run({ pixel_values: new ort.Tensor('float32', images.subarray(0, PIXELS), [1, 3, 224, 224]) })
    ).image_embeds.data as Float32Array;
    await vision.release();
    const similarity = cosine(both.subarray(0, P), alone);
    console.log(`q8: one image alone vs in a batch of 2, cosine ${similarity.toFixed(6)}`);
    expect(similarity).toBeGreaterThan(0.99);
  });
});
