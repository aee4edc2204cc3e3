/**
 * CLIP image preprocessing in pure TS, reproducing what Hugging Face's CLIPImageProcessor does with PIL:
 * convert('RGB') (alpha dropped, not composited) → resize so the shortest edge is `size` with PIL's
 * bicubic resampling → center crop → rescale (1/255) → normalise → CHW float32.
 *
 * Why our own: transformers.js resizes with canvas in the browser and sharp in Node; the two differ,
 * and browser embeddings must equal Node embeddings. This file is the single implementation both use.
 *
 * The resampler mirrors Pillow's libImaging/Resample.c for 8-bit images: separable convolution, the
 * kernel widened by the downscale factor (antialiasing), a = -0.5, coefficients converted to 22-bit
 * fixed point, horizontal pass first, uint8 rounding and clamping between and after the passes.
 * The steps' settings come from the model's preprocessor_config.json, read by preprocessConfig.ts.
 */
import type { ClipPreprocessConfig, ResizeRule } from './preprocessConfig';

export interface RgbaImage {
  width: number;
  height: number;
  /** width·height·4 bytes, RGBA, not premultiplied */
  data: Uint8Array | Uint8ClampedArray;
}

/** Size after the resize step (HF get_resize_output_image_size, default_to_square = false). */
export function resizedSize(width: number, height: number, rule: ResizeRule): { width: number; height: number } {
  switch (rule.kind) {
    case 'none':
      return { width, height };
    case 'exact':
      return { width: rule.width, height: rule.height };
    case 'shortestEdge': {
      if (width <= height) return { width: rule.size, height: Math.trunc((rule.size * height) / width) };
      return { width: Math.trunc((rule.size * width) / height), height: rule.size };
    }
  }
}

/** Output tensor side lengths: the crop, or the resized size when there is no crop. */
export function outputSize(
  config: ClipPreprocessConfig,
  width: number,
  height: number,
): { width: number; height: number } {
  return config.crop ?? resizedSize(width, height, config.resize);
}

// ---- Pillow's bicubic resampler ----

const PRECISION_BITS = 32 - 8 - 2;
const FIXED_ONE = 1 << PRECISION_BITS;
const FIXED_HALF = 1 << (PRECISION_BITS - 1);
const BICUBIC_SUPPORT = 2;

function bicubicKernel(x: number): number {
  const a = -0.5;
  if (x < 0) x = -x;
  if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
  return 0;
}

/** Per output position: first input index, tap count and fixed-point taps (Resample.c precompute_coeffs). */
export interface ResampleCoefficients {
  kernelSize: number;
  bounds: Int32Array; // [min0, count0, min1, count1, …]
  taps: Int32Array; // outSize × kernelSize, 22-bit fixed point
}

export function bicubicCoefficients(inSize: number, outSize: number): ResampleCoefficients {
  const scale = inSize / outSize;
  const filterScale = scale < 1 ? 1 : scale;
  const support = BICUBIC_SUPPORT * filterScale;
  const kernelSize = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(outSize * 2);
  const taps = new Int32Array(outSize * kernelSize);
  const weights = new Float64Array(kernelSize);
  const inverseScale = 1 / filterScale;
  for (let out = 0; out < outSize; out++) {
    const center = (out + 0.5) * scale;
    let min = Math.trunc(center - support + 0.5);
    if (min < 0) min = 0;
    let max = Math.trunc(center + support + 0.5);
    if (max > inSize) max = inSize;
    const count = max - min;
    let sum = 0;
    for (let i = 0; i < count; i++) {
      const w = bicubicKernel((i + min - center + 0.5) * inverseScale);
      weights[i] = w;
      sum += w;
    }
    const base = out * kernelSize;
    for (let i = 0; i < count; i++) {
      const w = sum !== 0 ? weights[i] / sum : weights[i];
      // Pillow rounds half away from zero when converting to fixed point
      taps[base + i] = w < 0 ? Math.trunc(-0.5 + w * FIXED_ONE) : Math.trunc(0.5 + w * FIXED_ONE);
    }
    bounds[out * 2] = min;
    bounds[out * 2 + 1] = count;
  }
  return { kernelSize, bounds, taps };
}

function clampToByte(accumulator: number): number {
  const value = Math.floor(accumulator / FIXED_ONE);
  return value < 0 ? 0 : value > 255 ? 255 : value;
}

/**
 * Resizes an RGBA image to (outWidth × outHeight) RGB with Pillow's bicubic, but only computes the output
 * window [left, left + windowWidth) × [top, top + windowHeight) (the center crop): each output pixel of a
 * separable resize depends only on its own row and column, so this equals resizing fully, then cropping.
 * Returns windowWidth·windowHeight·3 bytes.
 */
export function resizeBicubicWindow(
  image: RgbaImage,
  outWidth: number,
  outHeight: number,
  left: number,
  top: number,
  windowWidth: number,
  windowHeight: number,
): Uint8Array {
  const { width: inWidth, height: inHeight, data } = image;
  const needHorizontal = outWidth !== inWidth;
  const needVertical = outHeight !== inHeight;
  const horizontal = needHorizontal ? bicubicCoefficients(inWidth, outWidth) : null;
  const vertical = needVertical ? bicubicCoefficients(inHeight, outHeight) : null;

  // Rows of the source needed by the window (vertical taps), or the window rows themselves.
  let firstRow = top;
  let lastRow = top + windowHeight; // exclusive
  if (vertical) {
    firstRow = vertical.bounds[top * 2];
    const lastOut = top + windowHeight - 1;
    lastRow = vertical.bounds[lastOut * 2] + vertical.bounds[lastOut * 2 + 1];
  }
  const tempRows = lastRow - firstRow;

  // Pass 1: horizontal, source rows [firstRow, lastRow) → window columns, 3 channels, uint8.
  const temp = new Uint8Array(tempRows * windowWidth * 3);
  for (let row = 0; row < tempRows; row++) {
    const srcRow = (row + firstRow) * inWidth * 4;
    const dstRow = row * windowWidth * 3;
    for (let col = 0; col < windowWidth; col++) {
      const outX = col + left;
      const dst = dstRow + col * 3;
      if (!horizontal) {
        const src = srcRow + outX * 4;
        temp[dst] = data[src];
        temp[dst + 1] = data[src + 1];
        temp[dst + 2] = data[src + 2];
        continue;
      }
      const min = horizontal.bounds[outX * 2];
      const count = horizontal.bounds[outX * 2 + 1];
      const tapBase = outX * horizontal.kernelSize;
      let r = FIXED_HALF;
      let g = FIXED_HALF;
      let b = FIXED_HALF;
      for (let i = 0; i < count; i++) {
        const tap = horizontal.taps[tapBase + i];
        const src = srcRow + (min + i) * 4;
        r += data[src] * tap;
        g += data[src + 1] * tap;
        b += data[src + 2] * tap;
      }
      temp[dst] = clampToByte(r);
      temp[dst + 1] = clampToByte(g);
      temp[dst + 2] = clampToByte(b);
    }
  }
  if (!vertical) return temp;

  // Pass 2: vertical over the temp rows.
  const out = new Uint8Array(windowWidth * windowHeight * 3);
  const rowStride = windowWidth * 3;
  for (let row = 0; row < windowHeight; row++) {
    const outY = row + top;
    const min = vertical.bounds[outY * 2] - firstRow;
    const count = vertical.bounds[outY * 2 + 1];
    const tapBase = outY * vertical.kernelSize;
    const dstRow = row * rowStride;
    for (let x = 0; x < rowStride; x++) {
      let acc = FIXED_HALF;
      for (let i = 0; i < count; i++) acc += temp[(min + i) * rowStride + x] * vertical.taps[tapBase + i];
      out[dstRow + x] = clampToByte(acc);
    }
  }
  return out;
}

/** Crop window of the resized image (HF center_crop: offsets floor((size − crop) / 2)). */
export function cropWindow(
  config: ClipPreprocessConfig,
  width: number,
  height: number,
): { resized: { width: number; height: number }; left: number; top: number; width: number; height: number } {
  const resized = resizedSize(width, height, config.resize);
  if (!config.crop) return { resized, left: 0, top: 0, width: resized.width, height: resized.height };
  const { width: cropWidth, height: cropHeight } = config.crop;
  if (cropWidth > resized.width || cropHeight > resized.height) {
    throw new Error(
      `preprocessing: crop ${cropWidth}×${cropHeight} is larger than the resized image ${resized.width}×${resized.height} (padding is not implemented)`,
    );
  }
  return {
    resized,
    left: Math.floor((resized.width - cropWidth) / 2),
    top: Math.floor((resized.height - cropHeight) / 2),
    width: cropWidth,
    height: cropHeight,
  };
}

/** Resized-and-cropped RGB bytes (what PIL holds before the float steps). */
export function resizeAndCrop(
  image: RgbaImage,
  config: ClipPreprocessConfig,
): { rgb: Uint8Array; width: number; height: number } {
  if (image.width <= 0 || image.height <= 0) throw new Error('preprocessing: image has no pixels');
  if (image.data.length !== image.width * image.height * 4) {
    throw new Error(`preprocessing: expected ${image.width * image.height * 4} RGBA bytes, got ${image.data.length}`);
  }
  const window = cropWindow(config, image.width, image.height);
  const rgb = resizeBicubicWindow(
    image,
    window.resized.width,
    window.resized.height,
    window.left,
    window.top,
    window.width,
    window.height,
  );
  return { rgb, width: window.width, height: window.height };
}

/**
 * Full preprocessing into `out` at `offset` (3·H·W floats, CHW), e.g. one slot of a batch tensor.
 * Returns the number of floats written.
 */
export function preprocessInto(image: RgbaImage, config: ClipPreprocessConfig, out: Float32Array, offset = 0): number {
  const { rgb, width, height } = resizeAndCrop(image, config);
  const plane = width * height;
  if (offset + 3 * plane > out.length)
    throw new Error(`preprocessing: output buffer too small (${out.length} < ${offset + 3 * plane})`);
  for (let channel = 0; channel < 3; channel++) {
    const mean = config.mean[channel];
    const std = config.std[channel];
    const base = offset + channel * plane;
    for (let i = 0; i < plane; i++) out[base + i] = (rgb[i * 3 + channel] * config.rescale - mean) / std;
  }
  return 3 * plane;
}

export function preprocess(image: RgbaImage, config: ClipPreprocessConfig): Float32Array {
  const { width, height } = outputSize(config, image.width, image.height);
  const out = new Float32Array(3 * width * height);
  preprocessInto(image, config, out, 0);
  return out;
}
