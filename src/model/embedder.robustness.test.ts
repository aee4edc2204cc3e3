/**
 * Embeddings whose dimension disagrees with the loaded model (issue 7, configuration): a stale or foreign
 * cache entry must never reach the results. Real tiny CLIP on onnxruntime-node.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { imageCacheKey, MemoryEmbeddingCache, modelKey, sha256Hex, textCacheKey } from './embeddingCache';
import type { ImageResult } from './embedder';
import { loadClipNode } from './nodeClip';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tinyModel = join(root, 'models/tiny-clip');

beforeAll(() => {
  if (!existsSync(join(tinyModel, 'onnx/vision_model.onnx'))) {
    execFileSync('npm', ['run', 'models:synth', '--', '--size', 'tiny'], { cwd: root, stdio: 'inherit' });
  }
});

describe('cached embeddings of the wrong dimension are recomputed, never used', () => {
  it('image and text entries with dim + 1 values under the right keys', async () => {
    const png = new Uint8Array(await sharp({ create: { width: 30, height: 20, channels: 3, background: '#3a7' } }).png().toBuffer());
    const cache = new MemoryEmbeddingCache();
    const { embedder, dim, runtime } = await loadClipNode(tinyModel, { cache });
    const model = modelKey(runtime.modelId, runtime.dtype);
    const wrong = new Float32Array(dim + 1).fill(0.5);
    await cache.putMany([
      { key: imageCacheKey(model, await sha256Hex(png)), embedding: wrong },
      { key: textCacheKey(model, 'a photo of a bird'), embedding: wrong },
    ]);

    const outcomes: ImageResult[] = [];
    for await (const batch of embedder.embedImages([{ id: 'bird.png', read: async () => png }], 4)) outcomes.push(...batch.outcomes);
    const text = await embedder.embedTexts(['a photo of a bird'], 4);
    await embedder.dispose();

    const [image] = outcomes;
    if (!image.ok) throw new Error(image.reason);
    expect(image.fromCache).toBe(false);
    expect(image.embedding).toHaveLength(dim);
    expect(text.fromCache).toBe(0);
    expect(text.embeddings).toHaveLength(dim);
    // the cache now holds the right-sized vectors
    const [stored] = await cache.getMany([imageCacheKey(model, await sha256Hex(png))]);
    expect(stored).toHaveLength(dim);
  });
});
