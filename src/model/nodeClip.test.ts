import { describe, expect, it, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AutoTokenizer } from '@huggingface/transformers';
import { loadClipNode } from './nodeClip';
import type { ImageBatchResult, ImageSource } from './embedder';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tinyModel = `${root}models/tiny-clip`;
// ../shared beside the repo (the brief's layout), not an absolute path, so a clean clone next to it works
const sharedTokenizer = fileURLToPath(new URL('../../../shared/models/clip-vit-base-patch32', import.meta.url));
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
// the tiny model folder also holds q8 and fp16 files (and defaults to q8); these tests are about fp32
const FP32 = { dtype: 'fp32' } as const;

beforeAll(() => {
  // tests set up their model by calling the synth script (generated models are not committed)
  if (!existsSync(`${tinyModel}/onnx/vision_model.onnx`)) {
    execFileSync('npm', ['run', 'models:synth', '--', '--size', 'tiny'], { cwd: root, stdio: 'inherit' });
  }
});

describe('tokenizer (real CLIP files)', () => {
  for (const source of [sharedTokenizer, tinyModel]) {
    it(`${source.split('/').pop()}: "a photo of a cat" → CLIP's ids`, async () => {
      if (!existsSync(`${source}/tokenizer.json`)) return expect.fail(`missing ${source}/tokenizer.json`);
      const tokenizer = await AutoTokenizer.from_pretrained(source);
      const ids = tokenizer('a photo of a cat').input_ids.tolist() as bigint[][];
      expect(ids[0].map(Number)).toEqual([49406, 320, 1125, 539, 320, 2368, 49407]);
    });
  }
});

function fixtureImages(): ImageSource[] {
  return ['landscape.jpg', 'alpha.png', 'gray.png', 'landscape.jpg'].map((file, i) => ({
    id: `${i}:${file}`,
    read: async () => new Uint8Array(readFileSync(`${fixtures}${file}`)),
  }));
}

async function embedAll(batchSize: number): Promise<Float32Array[]> {
  const { embedder } = await loadClipNode(tinyModel, FP32);
  const out: Float32Array[] = [];
  const batches: ImageBatchResult[] = [];
  for await (const batch of embedder.embedImages(fixtureImages(), batchSize)) batches.push(batch);
  for (const outcome of batches.flatMap((b) => b.outcomes)) {
    if (!outcome.ok) throw new Error(outcome.reason);
    out.push(outcome.embedding);
  }
  await embedder.dispose();
  return out;
}

describe('tiny synthetic CLIP on onnxruntime-node', () => {
  it('loads with runtime info and embeds prompts to unit vectors of the projection width', async () => {
    const { embedder, runtime, dim } = await loadClipNode(tinyModel, FP32);
    expect(runtime).toMatchObject({ backend: 'node', dtype: 'fp32', modelId: `path:${tinyModel}` });
    const { embeddings } = await embedder.embedTexts(['a photo of a cat', 'a photo of a dog'], 8);
    expect(embeddings.length).toBe(2 * dim);
    let norm = 0;
    for (let d = 0; d < dim; d++) norm += embeddings[d] ** 2;
    expect(norm).toBeCloseTo(1, 5);
    await embedder.dispose();
  });

  it('a prompt over 77 tokens embeds as its first 75 tokens between start and end token, and is reported', async () => {
    const { embedder, dim } = await loadClipNode(tinyModel, FP32);
    const long = 'cat '.repeat(80).trim(); // 80 tokens
    const first75 = 'cat '.repeat(75).trim(); // BOS + 75 + EOS = 77, fits exactly
    const { embeddings, truncated } = await embedder.embedTexts([long, first75, 'a photo of a cat'], 8);
    await embedder.dispose();
    expect(truncated).toEqual([long]);
    // CLIP pools at the end token: without it (transformers.js' truncation) the long prompt embeds differently
    expect(Array.from(embeddings.subarray(0, dim))).toEqual(Array.from(embeddings.subarray(dim, 2 * dim)));
  });

  it('batch size does not change any embedding (1 vs 4)', async () => {
    const one = await embedAll(1);
    const four = await embedAll(4);
    let maxDiff = 0;
    one.forEach((embedding, i) => embedding.forEach((x, d) => (maxDiff = Math.max(maxDiff, Math.abs(x - four[i][d])))));
    console.log(`node batch 1 vs 4 max |Δ| = ${maxDiff.toExponential(2)}`);
    expect(maxDiff).toBeLessThan(1e-6);
    // the same file twice gives the same vector, different files differ
    expect(Array.from(one[0])).toEqual(Array.from(one[3]));
    expect(Math.abs(one[0][0] - one[1][0]) + Math.abs(one[0][1] - one[1][1])).toBeGreaterThan(1e-4);
  });

  it('a model folder without config.json is refused with the path', async () => {
    await expect(loadClipNode(`${root}models/does-not-exist-xyz`)).rejects.toThrow(
      /no config.json in .*does-not-exist-xyz/,
    );
  });

  it('a missing model file is named, with where it was looked for and what to do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sage-model-'));
    for (const file of [
      'config.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'preprocessor_config.json',
      'special_tokens_map.json',
    ]) {
      copyFileSync(`${tinyModel}/${file}`, join(dir, file));
    }
    const error = await loadClipNode(dir).then(
      () => null,
      (e: unknown) => e as Error & { file?: string },
    );
    expect(error?.message).toMatch(
      /could not load model file onnx\/(text|vision)_model\.onnx from .*sage-model-.*local folder/,
    );
    expect(error?.file).toMatch(/^onnx\//);
  });
});
