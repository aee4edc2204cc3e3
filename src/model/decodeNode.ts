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
 * CMYK → RGB without a colour profile, as PIL (`convert('RGB')`) and Chromium's JPEG decoder do:
 * channel = ⌊(255 − C|M|Y) · (255 − K) / 255⌋ (integer division, as Blink's JPEG decoder). libvips would apply its built-in CMYK profile even with
 * ignoreIcc, and the same photo would then embed differently in the CLI and in the browser.
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
    rgba[i] = Math.floor(((255 - data[i]) * white) / 255);
    rgba[i + 1] = Math.floor(((255 - data[i + 1]) * white) / 255);
    rgba[i + 2] = Math.floor(((255 - data[i + 2]) * white) / 255);
    rgba[i + 3] = 255;
  }
  return { width: info.width, height: info.height, data: rgba };
}
