import { describe, expect, it } from 'vitest';
import { arrangeModelFolder, looksLikeModelFolder } from './modelFolder';

const blob = new Blob(['x']);
const REQUIRED = ['config.json', 'tokenizer.json', 'preprocessor_config.json'];

describe('arrangeModelFolder', () => {
  it('strips the folder the model sits in and keeps its name', () => {
    const picked = [...REQUIRED, 'onnx/vision_model.onnx', 'onnx/text_model.onnx'].map((p) => ({
      path: `tiny-clip/${p}`,
      blob,
    }));
    const arranged = arrangeModelFolder(picked);
    expect(arranged.name).toBe('tiny-clip');
    expect(arranged.files.map((f) => f.path).sort()).toEqual([
      'config.json',
      'onnx/text_model.onnx',
      'onnx/vision_model.onnx',
      'preprocessor_config.json',
      'tokenizer.json',
    ]);
  });

  it('makes a folder name with spaces or odd characters a usable model name', () => {
    const picked = [...REQUIRED, 'onnx/vision_model.onnx'].map((p) => ({ path: `My CLIP (copy)/${p}`, blob }));
    expect(arrangeModelFolder(picked).name).toBe('My-CLIP-copy-');
  });

  it('puts loose ONNX files dropped without their folder under onnx/', () => {
    const loose = [...REQUIRED, 'vision_model_quantized.onnx', 'text_model_quantized.onnx'].map((path) => ({
      path,
      blob,
    }));
    const arranged = arrangeModelFolder(loose);
    expect(arranged.name).toBe('dropped-model');
    expect(arranged.files.map((f) => f.path)).toContain('onnx/vision_model_quantized.onnx');
    expect(arranged.files.map((f) => f.path)).toContain('tokenizer.json');
  });

  it('names what is missing', () => {
    expect(() =>
      arrangeModelFolder([
        { path: 'm/onnx/vision_model.onnx', blob },
        { path: 'm/config.json', blob },
      ]),
    ).toThrow('model folder "m": missing tokenizer.json, preprocessor_config.json');
    expect(() => arrangeModelFolder(REQUIRED.map((p) => ({ path: `m/${p}`, blob })))).toThrow(
      'no onnx/vision_model*.onnx',
    );
    expect(() => arrangeModelFolder([])).toThrow('no files');
  });
});

describe('looksLikeModelFolder', () => {
  it('recognises a model folder dropped as a folder or as loose files', () => {
    const folder = [
      'tiny-clip/config.json',
      'tiny-clip/tokenizer.json',
      'tiny-clip/tokenizer_config.json',
      'tiny-clip/preprocessor_config.json',
      'tiny-clip/onnx/vision_model.onnx',
      'tiny-clip/onnx/text_model_quantized.onnx',
    ];
    expect(looksLikeModelFolder(folder)).toBe(true);
    expect(looksLikeModelFolder(['config.json', 'tokenizer.json', 'vision_model.onnx'])).toBe(true);
  });

  it('does not take images, bundles or a lone config.json for a model', () => {
    expect(looksLikeModelFolder(['birds/landbird/land/001.jpg', 'birds/waterbird/water/002.jpg'])).toBe(false);
    expect(looksLikeModelFolder(['bundle.json', 'config.json'])).toBe(false);
    expect(looksLikeModelFolder(['config.json', 'tokenizer.json'])).toBe(false);
  });
});
