// The generated tiny model through the real transformers.js pipeline, offline, as the app and the
// CLI load it: env.localModelPath + model folder name, fp32 (and q8, fp16 by dtype), tokenizer and
// processor from the folder.
import { dirname } from 'node:path';
import {
  AutoProcessor,
  AutoTokenizer,
  CLIPTextModelWithProjection,
  CLIPVisionModelWithProjection,
  env,
  RawImage,
  type PreTrainedTokenizer,
  type Processor,
} from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerateResult } from './generate.ts';
import { MODEL_FOLDER } from './sizes.ts';
import { cosine, generateTinyInTemp, maxAbsDiff, removeGenerated } from './test-support.ts';

const PROJECTION = 32;

/** An RGB test picture: a diagonal gradient with a coloured disc, different per `variant`. */
function testPicture(width: number, height: number, variant: number): RawImage {
  const data = new Uint8ClampedArray(width * height * 3);
  const cx = width * (0.3 + 0.4 * (variant % 2));
  const cy = height * 0.5;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const inside = (x - cx) ** 2 + (y - cy) ** 2 < (Math.min(width, height) / 4) ** 2;
      data[i] = inside ? 230 : (x * 255) / width;
      data[i + 1] = inside ? 40 + variant * 60 : (y * 255) / height;
      data[i + 2] = inside ? 20 : 128;
    }
  }
  return new RawImage(data, width, height, 3);
}

describe('tiny model through transformers.js (Node, offline)', () => {
  let generated: GenerateResult;
  let tokenizer: PreTrainedTokenizer;
  let processor: Processor;
  let textModel: CLIPTextModelWithProjection;
  let visionModel: CLIPVisionModelWithProjection;

  beforeAll(async () => {
    generated = generateTinyInTemp(1);
    env.localModelPath = `${dirname(generated.folder)}/`;
    env.allowRemoteModels = false;
    const name = MODEL_FOLDER.tiny;
    tokenizer = await AutoTokenizer.from_pretrained(name);
    processor = await AutoProcessor.from_pretrained(name);
    textModel = await CLIPTextModelWithProjection.from_pretrained(name, { dtype: 'fp32' });
    visionModel = await CLIPVisionModelWithProjection.from_pretrained(name, { dtype: 'fp32' });
  });
  afterAll(async () => {
    await textModel.dispose();
    await visionModel.dispose();
    removeGenerated(generated);
  });

  it('tokenizes with the real CLIP tokenizer', () => {
    const { input_ids } = tokenizer('a photo of a cat');
    expect(input_ids.tolist()).toEqual([[49406n, 320n, 1125n, 539n, 320n, 2368n, 49407n]]);
  });

  it('gives finite text embeddings of the projection size, unchanged by padding in a batch', async () => {
    const alone = await textModel(tokenizer(['a photo of a cat']));
    const batch = await textModel(
      tokenizer(['a photo of a cat', 'a blurry photo of a very large dog'], { padding: true }),
    );
    expect(alone.text_embeds.dims).toEqual([1, PROJECTION]);
    expect(batch.text_embeds.dims).toEqual([2, PROJECTION]);
    const aloneData = alone.text_embeds.data as Float32Array;
    const batchData = batch.text_embeds.data as Float32Array;
    expect(aloneData.every(Number.isFinite)).toBe(true);
    expect(maxAbsDiff(aloneData, batchData.subarray(0, PROJECTION))).toBeLessThan(1e-5);
    expect(cosine(batchData.subarray(0, PROJECTION), batchData.subarray(PROJECTION))).toBeLessThan(0.99);
  });

  it('gives finite image embeddings from real preprocessing, distinct per image', async () => {
    const first = await processor(testPicture(320, 200, 0));
    const second = await processor(testPicture(180, 260, 1));
    expect(first.pixel_values.dims).toEqual([1, 3, 224, 224]);
    const a = (await visionModel(first)).image_embeds;
    const b = (await visionModel(second)).image_embeds;
    expect(a.dims).toEqual([1, PROJECTION]);
    const aData = a.data as Float32Array;
    expect(aData.every(Number.isFinite)).toBe(true);
    expect(cosine(aData, b.data as Float32Array)).toBeLessThan(0.95);
  });

  it('loads the q8 (_quantized) and fp16 (_fp16) files by dtype, with embeddings close to fp32', async () => {
    const name = MODEL_FOLDER.tiny;
    const pixels = await processor(testPicture(240, 240, 1));
    const prompts = tokenizer(['a photo of a cat', 'a drawing of a dog'], { padding: true });
    const fp32Image = (await visionModel(pixels)).image_embeds.data as Float32Array;
    const fp32Text = (await textModel(prompts)).text_embeds.data as Float32Array;
    for (const dtype of ['q8', 'fp16'] as const) {
      const vision = await CLIPVisionModelWithProjection.from_pretrained(name, { dtype });
      const text = await CLIPTextModelWithProjection.from_pretrained(name, { dtype });
      const image = (await vision(pixels)).image_embeds.data as Float32Array;
      const texts = (await text(prompts)).text_embeds.data as Float32Array;
      await vision.dispose();
      await text.dispose();
      expect(cosine(image, fp32Image), dtype).toBeGreaterThan(0.99);
      expect(cosine(texts.subarray(0, PROJECTION), fp32Text.subarray(0, PROJECTION)), dtype).toBeGreaterThan(0.99);
      expect(maxAbsDiff(image, fp32Image), dtype).toBeGreaterThan(0);
    }
  });
});
