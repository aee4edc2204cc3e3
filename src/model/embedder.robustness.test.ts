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
import {
  imageCacheKey,
  MemoryEmbeddingCache,
  modelKey,
  ResilientEmbeddingCache,
  sha256Hex,
  textCacheKey,
} from './embeddingCache';
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
    const png = new Uint8Array(
      await sharp({ create: { width: 30, height: 20, channels: 3, background: '#3a7' } })
        .png()
        .toBuffer(),
    );
    const cache = new MemoryEmbeddingCache();
    const { embedder, dim, runtime } = await loadClipNode(tinyModel, { cache });
    const model = modelKey(runtime.modelId, runtime.dtype);
    const wrong = new Float32Array(dim + 1).fill(0.5);
    await cache.putMany([
      { key: imageCacheKey(model, await sha256Hex(png)), embedding: wrong },
      { key: textCacheKey(model, 'a photo of a bird'), embedding: wrong },
    ]);

    const outcomes: ImageResult[] = [];
    for await (const batch of embedder.embedImages([{ id: 'bird.png', read: async () => png }], 4))
      outcomes.push(...batch.outcomes);
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

describe('IndexedDB unavailable (private mode, blocked storage)', () => {
  it('runs on an in-memory cache, says so in the runtime notes, and still reuses embeddings within the session', async () => {
    const png = new Uint8Array(
      await sharp({ create: { width: 16, height: 16, channels: 3, background: '#17a' } })
        .png()
        .toBuffer(),
    );
    // what clipWorker.openCache builds when IdbEmbeddingCache.open() rejects
    const cache = new ResilientEmbeddingCache(null, 'IndexedDB is not available in this browsing mode');
    const { embedder, runtime } = await loadClipNode(tinyModel, { cache });
    expect(runtime.notes.join(' ')).toMatch(
      /embedding cache unavailable \(IndexedDB is not available in this browsing mode\); embeddings kept in memory/,
    );
    const run = async () => {
      const outcomes: ImageResult[] = [];
      for await (const batch of embedder.embedImages([{ id: 'a.png', read: async () => png }], 1))
        outcomes.push(...batch.outcomes);
      return outcomes[0];
    };
    const first = await run();
    const second = await run();
    await embedder.dispose();
    expect(first.ok && first.fromCache).toBe(false);
    expect(second.ok && second.fromCache).toBe(true);
  });
});
