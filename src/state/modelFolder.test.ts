import { describe, expect, it } from 'vitest';
import { arrangeModelFolder } from './modelFolder';

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
