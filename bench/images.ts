/**
 * The benchmark's image set: the committed demo JPEGs, cycled to any count. Each use gets a unique JPEG
 * comment (COM) segment, so its SHA-256 — the embedding cache key — is new and the image really goes
 * through decode → preprocess → encoder, while the pixels stay those of the demo image. Pure: the page
 * (fetch) and Node (readFile) feed it the same bytes.
 */

export interface BenchImage {
  id: string;
  bytes: Uint8Array;
}

const SOI = [0xff, 0xd8];
const COM = 0xfe;
const encoder = new TextEncoder();

/** Inserts a COM segment carrying `tag` right after the JPEG start-of-image marker. */
export function withUniqueComment(jpeg: Uint8Array, tag: string): Uint8Array {
  if (jpeg.length < 4 || jpeg[0] !== SOI[0] || jpeg[1] !== SOI[1]) {
    throw new Error(`withUniqueComment: expected JPEG bytes starting with FF D8, got ${hex(jpeg.subarray(0, 2))}`);
  }
  const payload = encoder.encode(tag);
  const length = payload.length + 2; // the segment length counts its own two bytes
  if (length > 0xffff) throw new Error(`withUniqueComment: tag is ${payload.length} bytes, the limit is ${0xffff - 2}`);
  const out = new Uint8Array(jpeg.length + 4 + payload.length);
  out[0] = SOI[0];
  out[1] = SOI[1];
  out[2] = 0xff;
  out[3] = COM;
  out[4] = length >> 8;
  out[5] = length & 0xff;
  out.set(payload, 6);
  out.set(jpeg.subarray(2), 6 + payload.length);
  return out;
}

/** `count` images cycling through `sources`, each unique under `runTag`. */
export function cycleImages(sources: readonly Uint8Array[], count: number, runTag: string): BenchImage[] {
  if (sources.length === 0) throw new Error('cycleImages: no source images');
  if (!Number.isInteger(count) || count < 0)
    throw new Error(`cycleImages: count must be a non-negative integer, got ${count}`);
  const images: BenchImage[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const id = `${runTag}/${i}`;
    images[i] = { id, bytes: withUniqueComment(sources[i % sources.length], `sage-bench ${id}`) };
  }
  return images;
}

/** Paths of the example set's images, in manifest order (the same order on both sides). */
export function manifestImagePaths(manifest: unknown): string[] {
  if (typeof manifest !== 'object' || manifest === null || !('images' in manifest) || !Array.isArray(manifest.images)) {
    throw new Error('manifest.images: expected an array');
  }
  return manifest.images.map((entry: unknown, i: number) => {
    if (typeof entry !== 'object' || entry === null || !('path' in entry) || typeof entry.path !== 'string') {
      throw new Error(`manifest.images[${i}].path: expected a string`);
    }
    return entry.path;
  });
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ') || '(nothing)';
}
