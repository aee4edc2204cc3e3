/** The decoder contract shared by the browser (createImageBitmap) and Node (sharp) implementations. */
import { explainDecodeFailure } from './imageHeader';
import { decodePng } from './pngDecode';
import type { RgbaImage } from './preprocess';

export type DecodeResult = { ok: true; image: RgbaImage } | { ok: false; reason: string };

/** Decodes file bytes to RGBA (EXIF orientation applied, alpha not premultiplied, no colour management). */
export type ImageDecoder = (bytes: Uint8Array) => Promise<DecodeResult>;

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * PNG goes through our JS decoder in both environments: identical pixels in browser and Node, and the
 * colour of translucent pixels survives (a canvas would premultiply it away).
 */
export function decodePngResult(bytes: Uint8Array): DecodeResult {
  try {
    return { ok: true, image: decodePng(bytes) };
  } catch (error) {
    return { ok: false, reason: explainDecodeFailure(bytes, 'png', describeError(error)) };
  }
}
