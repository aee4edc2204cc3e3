import { describe, expect, it } from 'vitest';
import { describeRunFailure } from './runFailure';

const HUB_URL = 'https://huggingface.co/Xenova/clip-vit-base-patch32/resolve/main/onnx/vision_model_quantized.onnx';

describe('describeRunFailure', () => {
  it('says a download failed in a short headline, offers Retry, and keeps the URL and attempts for Details', () => {
    const raw = `could not load model file onnx/vision_model_quantized.onnx from ${HUB_URL}: failed after 4 attempts: Failed to fetch. If you are offline …`;
    const failure = describeRunFailure(raw, 'Xenova/clip-vit-base-patch32');
    expect(failure.headline).toBe(
      'Could not download the model Xenova/clip-vit-base-patch32: the connection broke off or the server did not answer.',
    );
    expect(failure.headline).not.toContain('https://');
    expect(failure.headline).not.toContain('attempts');
    expect(failure.retry).toBe(true);
    expect(failure.details).toBe(raw);
  });

  it('names a wrong local model folder, whatever the server sent in its place', () => {
    for (const cause of [
      `Unexpected token '<', "<!doctype "... is not valid JSON`,
      'Could not locate file: "/models/tiny-clpi/config.json".',
      'HTTP 404 Not Found',
      'tokenizer.json not found: the server sent a web page instead',
    ]) {
      const failure = describeRunFailure(
        `could not load model file config.json from http://127.0.0.1:4173/models/tiny-clpi/config.json: ${cause}.`,
        'local:tiny-clpi',
      );
      expect(failure.headline).toBe('No model named "tiny-clpi" at models/tiny-clpi/.');
      expect(failure.retry).toBe(false);
      expect(failure.advice).not.toMatch(/transformers\.js/);
    }
  });

  it('says which file a dropped model folder lacks', () => {
    const failure = describeRunFailure(
      'could not load model file tokenizer.json from dropped file my-clip/tokenizer.json: Could not locate file.',
      'files:my-clip',
    );
    expect(failure.headline).toBe('The model folder "my-clip" has no tokenizer.json.');
  });

  it('tells a hub model without the file apart from a network failure', () => {
    const failure = describeRunFailure(
      'could not load model file config.json from https://huggingface.co/test-org/missing-model/resolve/main/config.json: Could not locate file.',
      'test-org/missing-model',
    );
    expect(failure.headline).toBe('The model server has no config.json for "test-org/missing-model".');
    expect(failure.retry).toBe(false);
  });

  it('keeps failures that are not model loads as they are, without details', () => {
    expect(describeRunFailure('Add images of at least two classes first.', 'local:tiny-clip')).toEqual({
      headline: 'Add images of at least two classes first.',
      advice: '',
      details: null,
      retry: false,
    });
  });
});
