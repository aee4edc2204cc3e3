/**
 * Issue 16 §4: each tower creates its inference session on first use, so a run whose prompts are all cached never
 * creates the text session; the text tower can be released after the prompts and comes back when needed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MemoryEmbeddingCache } from './embeddingCache';
import type { ImageSource } from './embedder';
import { loadClipNode } from './nodeClip';
import { projectionWidth } from './transformersClip';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tinyModel = `${root}models/tiny-clip`;
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const NONE = { text: false, vision: false };
const PROMPTS = ['a photo of a landbird.', 'a photo of a waterbird.'];

beforeAll(() => {
  if (!existsSync(`${tinyModel}/onnx/vision_model.onnx`)) {
    execFileSync('npm', ['run', 'models:synth', '--', '--size', 'tiny'], { cwd: root, stdio: 'inherit' });
  }
});

function images(): ImageSource[] {
  return ['gray.png', 'alpha.png'].map((file) => ({
    id: file,
    read: async () => new Uint8Array(readFileSync(`${fixtures}${file}`)),
  }));
}

async function embedAllImages(embedder: Awaited<ReturnType<typeof loadClipNode>>['embedder']): Promise<number> {
  let count = 0;
  for await (const batch of embedder.embedImages(images(), 8)) count += batch.outcomes.filter((o) => o.ok).length;
  return count;
}

describe('lazy towers (tiny CLIP on onnxruntime-node)', () => {
  it('loading creates no session; the width comes from config.json', async () => {
    const { embedder, dim } = await loadClipNode(tinyModel, { dtype: 'fp32', towersAtLoad: NONE });
    const config = JSON.parse(readFileSync(`${tinyModel}/config.json`, 'utf8')) as unknown;
    expect(dim).toBe(projectionWidth(config));
    expect(embedder.loadedTowers()).toEqual({ text: false, vision: false });
    await embedder.dispose();
  });

  it('a run whose prompts are all cached never creates the text session', async () => {
    const cache = new MemoryEmbeddingCache();
    const first = await loadClipNode(tinyModel, { dtype: 'fp32', cache, towersAtLoad: NONE });
    const fresh = await first.embedder.embedTexts(PROMPTS, 8);
    expect(fresh.fromCache).toBe(0);
    expect(first.embedder.loadedTowers()).toEqual({ text: true, vision: false });
    await first.embedder.dispose();

    const second = await loadClipNode(tinyModel, { dtype: 'fp32', cache, towersAtLoad: NONE });
    const cached = await second.embedder.embedTexts(PROMPTS, 8);
    expect(cached.fromCache).toBe(PROMPTS.length);
    expect(Array.from(cached.embeddings)).toEqual(Array.from(fresh.embeddings));
    expect(second.embedder.loadedTowers()).toEqual({ text: false, vision: false });
    expect(await embedAllImages(second.embedder)).toBe(2);
    expect(second.embedder.loadedTowers()).toEqual({ text: false, vision: true });
    await second.embedder.dispose();
  });

  it('the text tower released after the prompts comes back, with the same embeddings, when a prompt needs it', async () => {
    const { embedder } = await loadClipNode(tinyModel, { dtype: 'fp32', towersAtLoad: NONE });
    const before = await embedder.embedTexts(PROMPTS.slice(0, 1), 8);
    await embedder.releaseTextTower();
    expect(embedder.loadedTowers().text).toBe(false);
    expect(await embedAllImages(embedder)).toBe(2);
    expect(embedder.loadedTowers()).toEqual({ text: false, vision: true });
    // a new prompt (not cached) recreates the session
    const both = await embedder.embedTexts(PROMPTS, 8);
    expect(both.fromCache).toBe(1);
    expect(embedder.loadedTowers()).toEqual({ text: true, vision: true });
    await embedder.releaseTextTower();
    const again = await loadClipNode(tinyModel, { dtype: 'fp32', towersAtLoad: NONE });
    const recomputed = await again.embedder.embedTexts(PROMPTS.slice(0, 1), 8);
    expect(Array.from(recomputed.embeddings)).toEqual(Array.from(before.embeddings));
    await again.embedder.dispose();
    await embedder.dispose();
  });

  it('by default (the CLI) both sessions exist after the load, so a missing file fails it; or only the ones asked for', async () => {
    const { embedder } = await loadClipNode(tinyModel, { dtype: 'fp32' });
    expect(embedder.loadedTowers()).toEqual({ text: true, vision: true });
    await embedder.dispose();
    const visionOnly = await loadClipNode(tinyModel, { dtype: 'fp32', towersAtLoad: { text: false, vision: true } });
    expect(visionOnly.embedder.loadedTowers()).toEqual({ text: false, vision: true });
    await visionOnly.embedder.dispose();
  });

  it('projectionWidth reads a positive integer projection_dim and nothing else', () => {
    expect(projectionWidth({ projection_dim: 512 })).toBe(512);
    expect(projectionWidth({ projection_dim: '512' })).toBeNull();
    expect(projectionWidth({})).toBeNull();
    expect(projectionWidth(null)).toBeNull();
  });
});
