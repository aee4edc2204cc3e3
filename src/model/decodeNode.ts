/**
 * Node decoder: PNG via pngDecode.ts (same code as the browser), everything else via sharp (libvips). EXIF orientation applied (autoOrient), ICC profiles ignored (as PIL and
 * the browser's colorSpaceConversion 'none' do), 16-bit/CMYK/grayscale converted to 8-bit sRGB, alpha kept.
 */
import sharp from 'sharp';
import { checkImageBytes, explainDecodeFailure, MAX_IMAGE_PIXELS } from './imageHeader';
import { decodePngResult, describeError, type DecodeResult } from './decode';

export async function decodeImageNode(bytes: Uint8Array): Promise<DecodeResult> {
  const header = checkImageBytes(bytes);
  if (!header.ok) return { ok: false, reason: header.reason };
  if (header.format === 'png') return decodePngResult(bytes);
  try {
    const { data, info } = await sharp(bytes, {
      autoOrient: true,
      ignoreIcc: true,
      failOn: 'error',
      limitInputPixels: MAX_IMAGE_PIXELS,
      animated: false,
    })
      .toColourspace('srgb')
      .ensureAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 4) return { ok: false, reason: `decoder returned ${info.channels} channels, expected 4` };
    return {
      ok: true,
      image: { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) },
    };
  } catch (error) {
    return { ok: false, reason: explainDecodeFailure(bytes, header.format, describeError(error)) };
  }
}
