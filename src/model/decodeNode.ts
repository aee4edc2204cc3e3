/**
 * Node decoder: PNG, GIF and BMP by our JS decoders (decodeInJs, the same code as the browser), everything else by
 * sharp (libvips). EXIF orientation applied (autoOrient), ICC profiles ignored (as PIL and the browser's
 * colorSpaceConversion 'none' do), CMYK/grayscale converted to 8-bit RGB, alpha kept.
 */
import sharp, { type SharpOptions } from 'sharp';
import { checkImageBytes, explainDecodeFailure, MAX_IMAGE_PIXELS } from './imageHeader';
import { decodeInJs, describeError, type DecodeResult } from './decode';

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
    if ((await sharp(bytes, options).metadata()).space === 'cmyk')
      return { ok: true, image: await decodeCmykNaively(bytes, options) };
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
    return { ok: false, reason: explainDecodeFailure(bytes, header.format, describeError(error)) };
  }
}

/**
 * CMYK → RGB without a colour profile, as Pillow's convert('RGB') does (Convert.c cmyk2rgb): with W = 255 − K,
 * channel = W − round(C · W / 255), the rounding done by MULDIV255. libvips would apply its built-in CMYK profile
 * even with ignoreIcc; Blink divides without rounding (one level darker on about half the values).
 */
async function decodeCmykNaively(
  bytes: Uint8Array,
  options: SharpOptions,
): Promise<{ width: number; height: number; data: Uint8Array }> {
  const { data, info } = await sharp(bytes, options)
    .pipelineColourspace('cmyk')
    .toColourspace('cmyk')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 4) throw new Error(`CMYK decode returned ${info.channels} channels, expected 4`);
  const rgba = new Uint8Array(info.width * info.height * 4);
  for (let i = 0; i < rgba.length; i += 4) {
    const white = 255 - data[i + 3];
    rgba[i] = white - mulDiv255(data[i], white);
    rgba[i + 1] = white - mulDiv255(data[i + 1], white);
    rgba[i + 2] = white - mulDiv255(data[i + 2], white);
    rgba[i + 3] = 255;
  }
  return { width: info.width, height: info.height, data: rgba };
}

/** round(a · b / 255) for bytes, in Pillow's integer form (MULDIV255 in libImaging). */
function mulDiv255(a: number, b: number): number {
  const t = a * b + 128;
  return ((t >> 8) + t) >> 8;
}
