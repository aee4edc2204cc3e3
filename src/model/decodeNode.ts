/**
 * Node decoder: PNG, GIF, BMP and CMYK JPEG by our JS decoders (decodeInJs, the same code as the browser),
 * everything else by sharp (libvips). EXIF orientation applied (autoOrient), ICC profiles ignored (as PIL and the
 * browser's colorSpaceConversion 'none' do), grayscale converted to RGB, alpha kept.
 */
import sharp from 'sharp';
import { checkImageBytes, explainDecodeFailure, MAX_IMAGE_PIXELS } from './imageHeader';
import { decodeInJs, type DecodeResult } from './decode';
import { errorMessage } from '../core/errors';

export async function decodeImageNode(bytes: Uint8Array): Promise<DecodeResult> {
  const header = checkImageBytes(bytes);
  if (!header.ok) return { ok: false, reason: header.reason };
  const decodedInJs = decodeInJs(header.format, bytes);
  if (decodedInJs) return decodedInJs;
  const options = {
    autoOrient: true,
    ignoreIcc: true,
    failOn: 'error',
    limitInputPixels: MAX_IMAGE_PIXELS,
    animated: false,
  } as const;
  try {
    const { data, info } = await sharp(bytes, options)
      .toColourspace('srgb')
      .ensureAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 4) return { ok: false, reason: `decoder returned ${info.channels} channels, expected 4` };
    return {
      ok: true,
      image: {
        width: info.width,
        height: info.height,
        data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      },
    };
  } catch (error) {
    return { ok: false, reason: explainDecodeFailure(bytes, header.format, errorMessage(error)) };
  }
}
