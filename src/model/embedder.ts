/**
 * ClipEmbedder: cache → decode → preprocess → encode (batched) → unit-normalise → cache, for images and
 * prompts. Environment-agnostic: the worker and the CLI inject the decoder, the cache and an encoder
 * factory. If an encoder call fails on WebGPU, the encoders are rebuilt on WASM and the same batch is
 * retried (issue 4: carry on from the current batch).
 */
import type { BackendId } from '../core/config';
import { normalizeRowsInPlace } from '../core/vectors';
import type { ImageDecoder } from './decode';
import { decodingNote } from './decodingNotes';
import { imageCacheKey, sha256Hex, textCacheKey, type EmbeddingCache } from './embeddingCache';
import { outputSize, preprocessInto } from './preprocess';
import type { ClipPreprocessConfig } from './preprocessConfig';
import { errorMessage } from '../core/errors';

/** The model-facing half: raw (not normalised) projections. */
export interface ClipEncoders {
  readonly dim: number;
  readonly backend: BackendId;
  /** pixels: count × 3 × height × width, CHW per image */
  encodeImages(pixels: Float32Array, count: number, height: number, width: number): Promise<Float32Array>;
  encodeTexts(prompts: readonly string[]): Promise<Float32Array>;
  /** true when the prompt has more tokens than the text tower reads, so encodeTexts cuts it */
  exceedsContext(prompt: string): boolean;
  /** frees the text tower's session (the next encodeTexts creates it again); absent: nothing to free */
  releaseTextTower?(): Promise<void>;
  /** which towers hold a session now; absent: both, always */
  loadedTowers?(): { text: boolean; vision: boolean };
  dispose(): Promise<void>;
}

export type EncoderFactory = (backend: BackendId) => Promise<ClipEncoders>;

export interface ImageSource {
  id: string;
  /** reads the file bytes (lazily, so a 5,000-file run does not hold every file in memory) */
  read(): Promise<Uint8Array>;
  sha256?: string;
}

export type ImageResult =
  | {
      id: string;
      ok: true;
      embedding: Float32Array;
      fromCache: boolean;
      /** SHA-256 of the file's bytes (its cache key), so a caller can skip reading it to look it up again */
      sha256?: string;
      /** how the file was read differs from what a viewer shows (decodingNotes.ts) */
      note?: string;
    }
  | { id: string; ok: false; reason: string };

export interface ImageBatchResult {
  outcomes: ImageResult[];
  timings: { decode: number; preprocess: number; encode: number; batchSize: number };
}

export interface FallbackEvent {
  from: BackendId;
  to: BackendId;
  reason: string;
  /** 0-based index of the batch that failed and was retried */
  batchIndex: number;
}

export interface EmbedderOptions {
  /** cache namespace: modelKey(modelId, dtype) */
  model: string;
  encoders: ClipEncoders;
  /** rebuilds encoders on another backend after a failure */
  createEncoders: EncoderFactory;
  preprocess: ClipPreprocessConfig;
  decode: ImageDecoder;
  cache: EmbeddingCache;
  onFallback?: (event: FallbackEvent) => void;
  now?: () => number;
}

/** Thrown out of embedImages/embedTexts when the signal aborts between batches. */
export class EmbeddingCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'EmbeddingCancelled';
  }
}

export class ClipEmbedder {
  private encoders: ClipEncoders;
  private readonly options: EmbedderOptions;
  private readonly now: () => number;
  private batchCounter = 0;

  constructor(options: EmbedderOptions) {
    this.options = options;
    this.encoders = options.encoders;
    this.now = options.now ?? (() => performance.now());
  }

  get dim(): number {
    return this.encoders.dim;
  }

  get backend(): BackendId {
    return this.encoders.backend;
  }

  /**
   * Embeds prompts in batches; cached prompts cost nothing. Returns prompts.length × dim, unit rows, and the
   * prompts that were too long for the text tower and were cut (cached or not).
   */
  async embedTexts(
    prompts: readonly string[],
    batchSize: number,
    signal?: AbortSignal,
    onProgress?: (done: number, total: number) => void,
  ): Promise<{ embeddings: Float32Array; fromCache: number; truncated: string[] }> {
    const dim = this.dim;
    const out = new Float32Array(prompts.length * dim);
    const keys = prompts.map((prompt) => textCacheKey(this.options.model, prompt));
    const cached = await this.options.cache.getMany(keys);
    const missing: number[] = [];
    let fromCache = 0;
    cached.forEach((embedding, i) => {
      if (embedding && embedding.length === dim) {
        out.set(embedding, i * dim);
        fromCache++;
      } else missing.push(i);
    });
    onProgress?.(fromCache, prompts.length);
    for (let start = 0; start < missing.length; start += batchSize) {
      if (signal?.aborted) throw new EmbeddingCancelled();
      const indices = missing.slice(start, start + batchSize);
      const batch = indices.map((i) => prompts[i]);
      const raw = await this.withFallback((encoders) => encoders.encodeTexts(batch));
      normalizeRowsInPlace(raw, indices.length, dim);
      const entries = indices.map((promptIndex, row) => {
        const embedding = raw.slice(row * dim, (row + 1) * dim);
        out.set(embedding, promptIndex * dim);
        return { key: keys[promptIndex], embedding };
      });
      await this.options.cache.putMany(entries);
      onProgress?.(fromCache + start + indices.length, prompts.length);
    }
    const truncated = prompts.filter((prompt) => this.encoders.exceedsContext(prompt));
    return { embeddings: out, fromCache, truncated };
  }

  /**
   * Embeds images in chunks of `batchSize`, yielding one result per chunk: cache hits, per-image failures
   * (with a reason) and fresh embeddings. Stops between chunks when the signal aborts.
   */
  async *embedImages(
    images: readonly ImageSource[],
    batchSize: number,
    signal?: AbortSignal,
  ): AsyncGenerator<ImageBatchResult> {
    if (!Number.isInteger(batchSize) || batchSize < 1)
      throw new Error(`batchSize: expected a positive integer, got ${batchSize}`);
    for (let start = 0; start < images.length; start += batchSize) {
      if (signal?.aborted) throw new EmbeddingCancelled();
      yield await this.embedChunk(images.slice(start, start + batchSize));
    }
  }

  private async embedChunk(chunk: readonly ImageSource[]): Promise<ImageBatchResult> {
    const dim = this.dim;
    const timings = { decode: 0, preprocess: 0, encode: 0, batchSize: 0 };
    const outcomes: ImageResult[] = new Array(chunk.length);

    // 1. bytes + hash (hashing is part of "decode" time: both are per-file reading costs)
    let t0 = this.now();
    const files = await Promise.all(
      chunk.map(async (image) => {
        try {
          const bytes = await image.read();
          const sha256 = image.sha256 ?? (await sha256Hex(bytes));
          return { bytes, sha256, note: decodingNote(bytes) };
        } catch (error) {
          return { error: `cannot read file: ${errorMessage(error)}` };
        }
      }),
    );
    timings.decode += this.now() - t0;

    // 2. cache lookup
    const keys = files.map((file) =>
      'sha256' in file && file.sha256 ? imageCacheKey(this.options.model, file.sha256) : '',
    );
    const cached = await this.options.cache.getMany(keys.filter((key) => key !== ''));
    let cursor = 0;
    const misses: { index: number; bytes: Uint8Array }[] = [];
    files.forEach((file, i) => {
      if ('error' in file && file.error) {
        outcomes[i] = { id: chunk[i].id, ok: false, reason: file.error };
        return;
      }
      const hit = cached[cursor++];
      if (hit && hit.length === dim)
        outcomes[i] = { id: chunk[i].id, ok: true, embedding: hit, fromCache: true, ...hashAndNoteOf(file) };
      else if ('bytes' in file && file.bytes) misses.push({ index: i, bytes: file.bytes });
    });

    // 3. decode + preprocess the misses into one batch tensor
    const toEncode: number[] = [];
    let pixels: Float32Array | null = null;
    let side = { width: 0, height: 0 };
    for (const miss of misses) {
      t0 = this.now();
      const decoded = await this.options.decode(miss.bytes);
      timings.decode += this.now() - t0;
      if (!decoded.ok) {
        outcomes[miss.index] = { id: chunk[miss.index].id, ok: false, reason: decoded.reason };
        continue;
      }
      t0 = this.now();
      try {
        if (!pixels) {
          side = outputSize(this.options.preprocess, decoded.image.width, decoded.image.height);
          pixels = new Float32Array(misses.length * 3 * side.width * side.height);
        }
        preprocessInto(decoded.image, this.options.preprocess, pixels, toEncode.length * 3 * side.width * side.height);
        toEncode.push(miss.index);
      } catch (error) {
        outcomes[miss.index] = {
          id: chunk[miss.index].id,
          ok: false,
          reason: errorMessage(error),
        };
      }
      timings.preprocess += this.now() - t0;
    }

    // 4. encode
    if (pixels && toEncode.length > 0) {
      const count = toEncode.length;
      const batchPixels = pixels.subarray(0, count * 3 * side.width * side.height);
      t0 = this.now();
      const raw = await this.withFallback((encoders) =>
        encoders.encodeImages(batchPixels, count, side.height, side.width),
      );
      timings.encode = this.now() - t0;
      timings.batchSize = count;
      if (raw.length !== count * dim)
        throw new Error(`image encoder returned ${raw.length} values, expected ${count}×${dim}`);
      normalizeRowsInPlace(raw, count, dim);
      const entries = toEncode.map((index, row) => {
        const embedding = raw.slice(row * dim, (row + 1) * dim);
        outcomes[index] = {
          id: chunk[index].id,
          ok: true,
          embedding,
          fromCache: false,
          ...hashAndNoteOf(files[index]),
        };
        return { key: keys[index], embedding };
      });
      await this.options.cache.putMany(entries);
    }
    this.batchCounter++;
    return { outcomes, timings };
  }

  /** Runs an encoder call; on a WebGPU failure rebuilds the encoders on WASM and retries once. */
  private async withFallback<T>(call: (encoders: ClipEncoders) => Promise<T>): Promise<T> {
    try {
      return await call(this.encoders);
    } catch (error) {
      if (this.encoders.backend !== 'webgpu') throw error;
      const reason = errorMessage(error);
      const from = this.encoders.backend;
      await this.encoders.dispose().catch(() => undefined);
      this.encoders = await this.options.createEncoders('wasm');
      this.options.onFallback?.({ from, to: this.encoders.backend, reason, batchIndex: this.batchCounter });
      return call(this.encoders);
    }
  }

  /** Frees the text tower's memory until the next prompt needs it (issue 16 §4: the run's rule is in state/run.ts). */
  async releaseTextTower(): Promise<void> {
    await this.encoders.releaseTextTower?.();
  }

  /** Which towers hold an inference session now. */
  loadedTowers(): { text: boolean; vision: boolean } {
    return this.encoders.loadedTowers?.() ?? { text: true, vision: true };
  }

  async dispose(): Promise<void> {
    await this.encoders.dispose();
  }
}

/** The hash and note of a read file, as optional fields (absent rather than undefined, for structured clone and JSON). */
function hashAndNoteOf(file: { sha256?: string; note?: string | null }): { sha256?: string; note?: string } {
  return { ...(file.sha256 ? { sha256: file.sha256 } : {}), ...(file.note ? { note: file.note } : {}) };
}
