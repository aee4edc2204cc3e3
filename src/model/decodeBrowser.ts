/**
 * Browser/worker decoder: createImageBitmap (EXIF orientation from the image, no premultiplication, no
 * colour conversion) → OffscreenCanvas → getImageData; PNG, GIF, BMP and CMYK JPEG by our JS decoders (decodeInJs), as
 * in Node.
 * HEIC/TIFF/SVG/AVIF are refused up front: browser support varies, and Node must reach the same answer.
 */
import { applyExifOrientation, webpExifOrientation } from './exifOrientation';
import { checkImageBytes, explainDecodeFailure } from './imageHeader';
import { decodeInJs, type DecodeResult } from './decode';
import { errorMessage } from '../core/errors';

export async function decodeImageBrowser(bytes: Uint8Array): Promise<DecodeResult> {
  const header = checkImageBytes(bytes);
  if (!header.ok) return { ok: false, reason: header.reason };
  const decodedInJs = decodeInJs(header.format, bytes);
  if (decodedInJs) return decodedInJs;
  let bitmap: ImageBitmap | null = null;
  try {
    // Chromium ignores a WebP's EXIF orientation; Pillow (and sharp, in Node) apply it: so do we
    const webp = header.format === 'webp';
    bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]), {
      imageOrientation: webp ? 'none' : 'from-image',
      premultiplyAlpha: 'none',
      colorSpaceConversion: 'none',
    });
    const { width, height } = bitmap;
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) return { ok: false, reason: 'no 2D canvas context available for decoding' };
    context.drawImage(bitmap, 0, 0);
    const image = { width, height, data: context.getImageData(0, 0, width, height).data };
    return { ok: true, image: webp ? applyExifOrientation(image, webpExifOrientation(bytes)) : image };
  } catch (error) {
    return { ok: false, reason: explainDecodeFailure(bytes, header.format, errorMessage(error)) };
  } finally {
    bitmap?.close();
  }
}
