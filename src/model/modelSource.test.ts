import { describe, expect, it } from 'vitest';
import { configureModelSource, culpritFile, downloadFailureMessage } from './modelSource';

describe('which file made a model load fail', () => {
  it('prefers the pending file the error names, even when optional files never finished', () => {
    const pending = ['tokenizer_config.json', 'onnx/text_model.onnx', 'onnx/vision_model.onnx'];
    const cause = 'Internal Server Error: "https://hub.test/o/m/resolve/main/onnx/text_model.onnx".';
    expect(culpritFile(pending, cause)).toBe('onnx/text_model.onnx');
  });
  it('takes the file from a hub URL in the error, even when it was never pending (size probes)', () => {
    const cause =
      'download of http://127.0.0.1:9/Xenova/clip-vit-base-patch32/resolve/main/tokenizer_config.json failed after 4 attempts: fetch failed';
    expect(culpritFile(['preprocessor_config.json'], cause)).toBe('tokenizer_config.json');
    expect(culpritFile([], 'Not found: "https://huggingface.co/o/m/resolve/main/onnx/vision_model_fp16.onnx".')).toBe(
      'onnx/vision_model_fp16.onnx',
    );
  });
  it('prefers the longest name the error contains (config.json vs preprocessor_config.json)', () => {
    expect(culpritFile(['config.json', 'preprocessor_config.json'], 'not found: .../preprocessor_config.json')).toBe(
      'preprocessor_config.json',
    );
  });
  it('falls back to the most recently started file, or none', () => {
    expect(culpritFile(['a.json', 'onnx/b.onnx'], 'Failed to fetch')).toBe('onnx/b.onnx');
    expect(culpritFile([], 'Failed to fetch')).toBeUndefined();
  });
});

describe('download failure messages', () => {
  it('say which file, from where, and what to do, for the app and for the CLI', () => {
    const url = 'https://huggingface.co/Xenova/clip-vit-base-patch32/resolve/main/onnx/vision_model_quantized.onnx';
    const app = downloadFailureMessage('onnx/vision_model_quantized.onnx', url, 'Failed to fetch');
    expect(app).toContain(`could not load model file onnx/vision_model_quantized.onnx from ${url}: Failed to fetch.`);
    expect(app).toMatch(/offline.*models\/<name>\/.*"local folder".*drop the model folder/);
    const cli = downloadFailureMessage('onnx/vision_model_quantized.onnx', url, 'fetch failed', 'node');
    expect(cli).toMatch(/offline.*local folder.*--model.*HF_ENDPOINT/);
    expect(cli).not.toContain('drop');
  });
});

describe('configureModelSource', () => {
  it('resolves hub ids, served folders and dropped folders to stable model ids and file URLs', () => {
    const hub = configureModelSource({ kind: 'hub', id: 'Xenova/clip-vit-base-patch16' });
    expect(hub.modelId).toBe('Xenova/clip-vit-base-patch16');
    expect(hub.urlOf('config.json')).toMatch(/\/Xenova\/clip-vit-base-patch16\/resolve\/main\/config\.json$/);
    const local = configureModelSource({ kind: 'local', name: 'tiny-clip' }, 'http://app.test/sub/');
    expect(local).toMatchObject({ ref: 'tiny-clip', modelId: 'local:tiny-clip' });
    expect(local.urlOf('onnx/text_model.onnx')).toBe('http://app.test/sub/models/tiny-clip/onnx/text_model.onnx');
    const files = configureModelSource({ kind: 'files', name: 'my-clip', files: [] });
    expect(files.modelId).toBe('files:my-clip');
  });
  it('refuses malformed ids and folder names, naming the field', () => {
    expect(() => configureModelSource({ kind: 'hub', id: 'no-slash' })).toThrow(/model id: expected "owner\/name"/);
    expect(() => configureModelSource({ kind: 'local', name: '../etc' }, 'http://app.test/')).toThrow(
      /model folder: expected a plain folder name/,
    );
  });
});
