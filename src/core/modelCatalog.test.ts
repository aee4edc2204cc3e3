import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL } from './config';
import { HUB_MODELS, dtypesInModelFolder } from './modelCatalog';

describe('offered hub models', () => {
  it('offer the default model first, then the other CLIP backbones, each once', () => {
    expect(HUB_MODELS[0].id).toBe(DEFAULT_MODEL);
    expect(DEFAULT_MODEL).toBe('Xenova/clip-vit-base-patch32');
    const ids = HUB_MODELS.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining([
        'Xenova/clip-vit-base-patch16',
        'Xenova/clip-vit-large-patch14',
        'laion/CLIP-ViT-B-32-laion2B-s34B-b79K',
      ]),
    );
    for (const model of HUB_MODELS) expect(model.id).toMatch(/^[\w.-]+\/[\w.-]+$/);
  });
});

describe('dtypesInModelFolder', () => {
  it('lists the precisions whose vision model is present, smallest first', () => {
    const paths = ['clip/onnx/vision_model.onnx', 'clip/onnx/vision_model_quantized.onnx', 'clip/config.json'];
    expect(dtypesInModelFolder(paths)).toEqual(['q8', 'fp32']);
    expect(dtypesInModelFolder(['onnx/vision_model_fp16.onnx', 'onnx/text_model.onnx'])).toEqual(['fp16']);
    expect(dtypesInModelFolder(['onnx/text_model.onnx'])).toEqual([]);
  });
});
