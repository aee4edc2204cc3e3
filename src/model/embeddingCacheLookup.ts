/**
 * Issue 16 §3: before a run loads the model, ask the embedding cache whether it already holds everything the run
 * needs. Prompts first, in one read (one IndexedDB transaction): if one is missing, the model must load anyway
 * and the images are not even read. Then every image whose hash the caller does not know yet is read and hashed
 * (in chunks, so a large folder is not held in memory at once), and all are looked up in one more read.
 */
import { CLIP_CONTEXT_LENGTH } from './clipTokenizer';
import { decodingNote } from './decodingNotes';
import { imageCacheKey, sha256Hex, textCacheKey, type EmbeddingCache } from './embeddingCache';
import type { ImageSource } from './embedder';

export interface CachedImageEmbedding {
  id: string;
  embedding: Float32Array;
  /** how the file was read differs from what a viewer shows (decodingNotes.ts) */
  note?: string;
}

export type CacheLookup =
  | {
      complete: true;
      dim: number;
      /** prompts × dim, row-major, in the order asked */
      text: Float32Array;
      images: CachedImageEmbedding[];
      /** SHA-256 of each image, by id (given or computed), so the next lookup need not read the files */
      hashes: Record<string, string>;
    }
  | {
      complete: false;
      /** what was missing, for the run's message and the benchmark */
      missingPrompts: number;
      missingImages: number;
      /** SHA-256 of each image that was read, so the run that follows need not hash it again */
      hashes: Record<string, string>;
    };

/** Images read and hashed at once: bounds the bytes held while a large folder is checked. */
const HASH_CHUNK = 32;

export async function lookupCachedEmbeddings(
  cache: EmbeddingCache,
  model: string,
  prompts: readonly string[],
  images: readonly ImageSource[],
  /** called as each step ends (the benchmark's breakdown) */
  onStep: (step: string) => void = () => undefined,
): Promise<CacheLookup> {
  if (prompts.length === 0) return { complete: false, missingPrompts: 0, missingImages: images.length, hashes: {} };
  const promptHits = await cache.getMany(prompts.map((prompt) => textCacheKey(model, prompt)));
  onStep(`${prompts.length} prompt embeddings read`);
  const dim = promptHits[0]?.length ?? 0;
  const missingPrompts = promptHits.filter((hit) => !hit || hit.length !== dim || dim === 0).length;
  if (missingPrompts > 0) return { complete: false, missingPrompts, missingImages: images.length, hashes: {} };

  const hashes: Record<string, string> = {};
  const notes = new Map<string, string>();
  let unreadable = 0;
  for (let start = 0; start < images.length; start += HASH_CHUNK) {
    await Promise.all(
      images.slice(start, start + HASH_CHUNK).map(async (image) => {
        // a known hash needs no read (the caller keeps that image's decoding note from the read that hashed it)
        if (image.sha256) {
          hashes[image.id] = image.sha256;
          return;
        }
        try {
          const bytes = await image.read();
          hashes[image.id] = await sha256Hex(bytes);
          const note = decodingNote(bytes);
          if (note) notes.set(image.id, note);
        } catch {
          // the run reads it again and reports why it failed, image by image
          unreadable++;
        }
      }),
    );
  }
  onStep(`${images.filter((image) => !image.sha256).length} files read and hashed`);
  if (unreadable > 0) return { complete: false, missingPrompts: 0, missingImages: unreadable, hashes };
  const imageHits = await cache.getMany(images.map((image) => imageCacheKey(model, hashes[image.id])));
  onStep(`${images.length} image embeddings read`);
  const missingImages = imageHits.filter((hit) => !hit || hit.length !== dim).length;
  if (missingImages > 0) return { complete: false, missingPrompts: 0, missingImages, hashes };

  const text = new Float32Array(prompts.length * dim);
  promptHits.forEach((hit, i) => {
    if (hit) text.set(hit, i * dim);
  });
  const found: CachedImageEmbedding[] = [];
  images.forEach((image, i) => {
    const embedding = imageHits[i];
    const note = notes.get(image.id);
    if (embedding) found.push(note ? { id: image.id, embedding, note } : { id: image.id, embedding });
  });
  return { complete: true, dim, text, images: found, hashes };
}

/**
 * Whether CLIP's tokenizer could cut this prompt. Every token covers at least one UTF-8 byte of a non-space
 * character (CLIP's byte-level BPE drops whitespace), so a prompt of at most 75 such bytes always fits: only
 * longer prompts need the tokenizer to tell.
 */
export function mayExceedContext(prompt: string): boolean {
  let bytes = 0;
  for (const char of prompt.replace(/\s+/g, '')) {
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes > CLIP_CONTEXT_LENGTH - 2;
}
