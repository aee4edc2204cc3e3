/**
 * EXIF orientation, applied as Pillow's ImageOps.exif_transpose does (what transformers' load_image runs before
 * CLIP preprocessing), for what our code orients: PNG's eXIf chunk, CMYK JPEG, and WebP in the browser (Chromium's
 * WebP decoder ignores the EXIF chunk). Other JPEGs are oriented by the native decoders (sharp's autoOrient,
 * createImageBitmap's imageOrientation 'from-image'), as is WebP in Node.
 */
import type { RgbaImage } from './preprocess';

const ORIENTATION_TAG = 0x0112;

/** The orientation (1–8) in a TIFF-structured EXIF block, with or without the "Exif\0\0" prefix; 1 when absent. */
export function readExifOrientation(exif: Uint8Array): number {
  const start = exif.length >= 6 && String.fromCharCode(...exif.subarray(0, 4)) === 'Exif' ? 6 : 0;
  const tiff = exif.subarray(start);
  if (tiff.length < 8) return 1;
  const little = tiff[0] === 0x49 && tiff[1] === 0x49;
  if (!little && !(tiff[0] === 0x4d && tiff[1] === 0x4d)) return 1;
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  const ifd = view.getUint32(4, little);
  if (ifd + 2 > tiff.length) return 1;
  const entries = view.getUint16(ifd, little);
  for (let i = 0; i < entries; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) return 1;
    if (view.getUint16(entry, little) !== ORIENTATION_TAG) continue;
    // SHORT (type 3) as the standard says; LONG (4) read too, as Pillow's TIFF reader does
    const type = view.getUint16(entry + 2, little);
    const value = type === 4 ? view.getUint32(entry + 8, little) : view.getUint16(entry + 8, little);
    return value >= 1 && value <= 8 ? value : 1;
  }
  return 1;
}

/** The EXIF orientation of a WebP (its RIFF 'EXIF' chunk, in extended-format files); 1 when there is none. */
export function webpExifOrientation(bytes: Uint8Array): number {
  let at = 12; // 'RIFF', size, 'WEBP'
  while (at + 8 <= bytes.length) {
    const type = String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
    const size = (bytes[at + 4] | (bytes[at + 5] << 8) | (bytes[at + 6] << 16) | (bytes[at + 7] << 24)) >>> 0;
    if (type === 'EXIF') return readExifOrientation(bytes.subarray(at + 8, Math.min(at + 8 + size, bytes.length)));
    at += 8 + size + (size % 2); // chunks are padded to an even size
  }
  return 1;
}

/**
 * The image as displayed: orientation 2 mirrors, 3 turns 180°, 4 flips, 5 transposes, 6 turns 90° clockwise,
 * 7 transverses, 8 turns 90° counter-clockwise (Pillow's exif_transpose methods for each value).
 */
export function applyExifOrientation(image: RgbaImage, orientation: number): RgbaImage {
  if (orientation < 2 || orientation > 8) return image;
  const { width: w, height: h, data } = image;
  // output pixel index of input (x, y) = first + x · stepX + y · stepY
  const [first, stepX, stepY] = {
    2: [w - 1, -1, w],
    3: [h * w - 1, -1, -w],
    4: [(h - 1) * w, 1, -w],
    5: [0, h, 1],
    6: [h - 1, h, -1],
    7: [w * h - 1, -h, -1],
    8: [(w - 1) * h, -h, 1],
  }[orientation] as [number, number, number];
  // whole pixels as 32-bit words (a view needs 4-byte alignment: copy when the bytes start elsewhere)
  const aligned = data.byteOffset % 4 === 0 ? data : data.slice();
  const source = new Uint32Array(aligned.buffer, aligned.byteOffset, w * h);
  const out = new Uint8Array(w * h * 4);
  const target = new Uint32Array(out.buffer);
  for (let y = 0; y < h; y++) {
    let to = first + y * stepY;
    const row = y * w;
    for (let x = 0; x < w; x++, to += stepX) target[to] = source[row + x];
  }
  const swapsSides = orientation >= 5;
  return { width: swapsSides ? h : w, height: swapsSides ? w : h, data: out };
}
