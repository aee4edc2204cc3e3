/**
 * A JSON file of embeddings for the Node CLI (`embed --cache file.json`): loaded whole at start, written
 * whole by flush(). Values are base64 little-endian float32 (exact).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { base64ToFloats, floatsToBase64 } from '../core/base64';
import type { EmbeddingCache } from './embeddingCache';
import { errorMessage } from '../core/errors';

export class FileEmbeddingCache implements EmbeddingCache {
  readonly kind = 'file' as const;
  readonly note: string | null = null;
  private readonly entries = new Map<string, Float32Array>();
  private dirty = false;

  constructor(private readonly path: string) {
    if (!existsSync(path)) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new Error(`embedding cache ${path}: not valid JSON (${errorMessage(error)}); delete it to start afresh`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error(`embedding cache ${path}: expected a JSON object`);
    for (const [key, value] of Object.entries(parsed)) {
      if (typeof value === 'string') this.entries.set(key, base64ToFloats(value));
    }
  }

  get size(): number {
    return this.entries.size;
  }

  async getMany(keys: readonly string[]): Promise<(Float32Array | undefined)[]> {
    return keys.map((key) => this.entries.get(key));
  }

  async putMany(entries: readonly { key: string; embedding: Float32Array }[]): Promise<void> {
    for (const { key, embedding } of entries) this.entries.set(key, embedding);
    if (entries.length > 0) this.dirty = true;
  }

  /** Writes atomically (temp file + rename), so an interrupted run never leaves a half-written cache. */
  flush(): void {
    if (!this.dirty) return;
    const out: Record<string, string> = {};
    for (const [key, embedding] of this.entries) out[key] = floatsToBase64(embedding);
    writeFileSync(`${this.path}.tmp`, JSON.stringify(out));
    renameSync(`${this.path}.tmp`, this.path);
    this.dirty = false;
  }
}
