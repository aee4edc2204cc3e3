/** The decoder contract shared by the browser (createImageBitmap) and Node (sharp) implementations. */
import { decodeBmp } from './bmpDecode';
import { decodeGif } from './gifDecode';
import { explainDecodeFailure, readJpegFrame, type ImageFormat } from './imageHeader';
import { decodeCmykJpeg } from './jpegCmyk';
import { decodePng } from './pngDecode';
import type { RgbaImage } from './preprocess';
import { errorMessage } from '../core/errors';

export type DecodeResult = { ok: true; image: RgbaImage } | { ok: false; reason: string };

/** Decodes file bytes to RGBA (EXIF orientation applied, alpha not premultiplied, no colour management). */
export type ImageDecoder = (bytes: Uint8Array) => Promise<DecodeResult>;

/**
 * Formats decoded by our JS code in both environments, so the browser and Node give the same pixels and both
 * follow Pillow where the native decoders do not: PNG (a canvas premultiplies alpha and would lose the colour
 * of translucent pixels), GIF (native decoders turn the transparent index black; Pillow keeps its colour) and
 * BMP (sharp has no BMP loader; browsers scale 16-bit colour differently from Pillow), and CMYK JPEG (a canvas
 * holds RGB only, converted with a floor where Pillow rounds).
 * Null for formats the native decoders handle.
 */
export function decodeInJs(format: ImageFormat, bytes: Uint8Array): DecodeResult | null {
  const decoders: Partial<Record<ImageFormat, (bytes: Uint8Array) => RgbaImage>> = {
    png: decodePng,
    gif: decodeGif,
    bmp: decodeBmp,
  };
  const cmyk = format === 'jpeg' && readJpegFrame(bytes)?.components === 4;
  const decoder = cmyk ? decodeCmykJpeg : decoders[format];
  if (!decoder) return null;
  try {
    return { ok: true, image: decoder(bytes) };
  } catch (error) {
    return { ok: false, reason: explainDecodeFailure(bytes, format, errorMessage(error)) };
  }
}
