/**
 * The precisions users of the hub model actually get, in the browser: the tiny synthetic CLIP at q8
 * (onnx/*_quantized.onnx, the transformers.js default on WASM) and fp16 (onnx/*_fp16.onnx) on the worker's
 * onnxruntime-web WASM backend, against the Node CLI (onnxruntime-node) at the same precision on the same
 * images and prompts, and against fp32 on the same weights. Each run must fetch that precision's files only.
 *
 * q8 quantizes each batch's activations with one scale (DynamicQuantizeLinear, as the real exports do), so
 * both sides embed the same images in one batch, and the same prompts in one batch.
 */
import { expect, test, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
// core/bundle imports a JSON module, which Playwright's loader rejects; the vectors are base64 float32 either way
import { base64ToFloats } from '../src/core/base64';
import type { Dtype } from '../src/core/config';
import type { RuntimeCheckApi, RuntimeCheckOutcome } from './runtime-check';
import { FIXTURES, fixtureImageFolder, ROOT, TINY } from './tinyModelFixtures';

/** class/image: no attributes, so the CLI's text batch is exactly the class prompts (no group prompts). */
const IMAGES = [
  { id: 'landbird/gray.png', file: 'gray.png' },
  { id: 'waterbird/alpha.png', file: 'alpha.png' },
  { id: 'waterbird/landscape.jpg', file: 'landscape.jpg' },
];
const PROMPTS = ['a photo of a landbird.', 'a photo of a waterbird.'];
const SUFFIX: Record<Dtype, string> = { fp32: '', q8: '_quantized', fp16: '_fp16' };

interface NodeReference {
  images: Map<string, Float32Array>;
  text: Float32Array[];
  dim: number;
}

const node = new Map<Dtype, NodeReference>();

/** setup:test generates every precision; a spec run on its own makes sure they are there. */
function ensureTinyModelDtypes(): void {
  if (
    !existsSync(join(TINY, 'onnx/vision_model_quantized.onnx')) ||
    !existsSync(join(TINY, 'onnx/text_model_fp16.onnx'))
  ) {
    spawnSync('npm', ['run', 'models:synth', '--', '--size', 'tiny'], { cwd: ROOT, stdio: 'inherit' });
  }
}

test.beforeAll(() => {
  ensureTinyModelDtypes();
  const set = fixtureImageFolder(
    'sage-e2e-dtypes-',
    IMAGES.map((image) => [image.id, image.file] as const),
    'set',
  );
  const dir = dirname(set);
  writeFileSync(join(dir, 'templates.json'), JSON.stringify(['a photo of a {}.']));
  for (const dtype of ['fp32', 'q8', 'fp16'] as const) {
    const out = join(dir, `${dtype}.json`);
    const args = ['embed', set, '--model', TINY, '--templates', join(dir, 'templates.json'), '--dtype', dtype];
    // all images in one batch, as the browser embeds them below
    const run = spawnSync(
      process.execPath,
      [join(ROOT, 'bin/sage-explorer.js'), ...args, '--batch', String(IMAGES.length), '--out', out],
      { cwd: ROOT, encoding: 'utf8' },
    );
    if (run.status !== 0) throw new Error(`embed CLI (${dtype}) failed: ${run.stderr}`);
    const bundle = JSON.parse(readFileSync(out, 'utf8')) as {
      dim: number;
      classes: string[];
      text: string[];
      images: { id: string; embedding: string }[];
      meta: { dtype: string };
      groupPrompts?: unknown[];
      prompts?: unknown[];
    };
    expect(bundle.meta.dtype).toBe(dtype);
    expect(bundle.classes).toEqual(['landbird', 'waterbird']);
    // the CLI's text batch was the two class prompts, nothing else
    expect(bundle.groupPrompts ?? []).toEqual([]);
    expect(bundle.prompts ?? []).toEqual([]);
    node.set(dtype, {
      images: new Map(bundle.images.map((image) => [image.id, base64ToFloats(image.embedding)])),
      text: bundle.text.map((row) => base64ToFloats(row)),
      dim: bundle.dim,
    });
  }
});

function reference(dtype: Dtype): NodeReference {
  const found = node.get(dtype);
  if (!found) throw new Error(`no Node ${dtype} embeddings`);
  return found;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}

async function loadInBrowser(page: Page, dtype: Dtype): Promise<string[]> {
  const onnxFiles: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/models/tiny-clip/onnx/')) onnxFiles.push(basename(new URL(request.url()).pathname));
  });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/e2e/runtime-check.html');
  await page.waitForFunction(() => window.__sageRuntime !== undefined);
  const loaded = await page.evaluate(
    (d) => (window.__sageRuntime as RuntimeCheckApi).load({ kind: 'local', name: 'tiny-clip' }, 'wasm', d),
    dtype,
  );
  expect(loaded.runtime).toMatchObject({ backend: 'wasm', dtype, modelId: 'local:tiny-clip' });
  expect(loaded.dim).toBe(reference(dtype).dim);
  expect(errors).toEqual([]);
  return onnxFiles;
}

async function embedImagesInBrowser(page: Page): Promise<RuntimeCheckOutcome[]> {
  const payload = IMAGES.map((image) => ({
    id: image.id,
    base64: readFileSync(join(FIXTURES, image.file)).toString('base64'),
  }));
  const result = await page.evaluate(
    ([images, size]) => (window.__sageRuntime as RuntimeCheckApi).embedImages(images, size),
    [payload, IMAGES.length] as const,
  );
  expect(result.batches).toBe(1);
  return result.outcomes;
}

/**
 * Tolerances, browser (WASM) vs Node at the same precision, on unit vectors; fp32 agrees within 1e-4
 * (runtime.spec). Measured: q8 6e-8 (integer products are exact; a float difference before a
 * DynamicQuantizeLinear could still move a value across a rounding boundary, hence the margin), fp16 3.3e-4
 * on images, 0 on prompts (the pixels' small decoder differences survive the cast to float16 differently).
 */
const SAME_DTYPE_TOLERANCE: Record<'q8' | 'fp16', number> = { q8: 1e-3, fp16: 2e-3 };
/** Cosine to fp32 on the same weights (models/synth/dtypes.test.ts measures ≈ 0.997 for q8, 0.999999 for fp16). */
const COSINE_TO_FP32: Record<'q8' | 'fp16', number> = { q8: 0.99, fp16: 0.9999 };

for (const dtype of ['q8', 'fp16'] as const) {
  test(`${dtype}: the WASM worker loads the ${SUFFIX[dtype]} files and embeds like the Node CLI at ${dtype}`, async ({
    page,
  }) => {
    const onnxFiles = await loadInBrowser(page, dtype);
    const sameDtype = reference(dtype);
    const fp32 = reference('fp32');

    const outcomes = await embedImagesInBrowser(page);
    expect(outcomes).toHaveLength(IMAGES.length);
    let imageDiff = 0;
    let imageDiffToFp32 = 0;
    const toFp32: number[] = [];
    for (const outcome of outcomes) {
      if (!outcome.ok) throw new Error(`${outcome.id}: ${outcome.reason}`);
      expect(outcome.fromCache).toBe(false);
      const nodeVector = sameDtype.images.get(outcome.id);
      const fp32Vector = fp32.images.get(outcome.id);
      if (!nodeVector || !fp32Vector) throw new Error(`no Node embedding for ${outcome.id}`);
      imageDiff = Math.max(imageDiff, maxAbsDiff(outcome.embedding, nodeVector));
      imageDiffToFp32 = Math.max(imageDiffToFp32, maxAbsDiff(outcome.embedding, fp32Vector));
      toFp32.push(cosine(outcome.embedding, fp32Vector));
    }

    const texts = await page.evaluate(
      (prompts) => (window.__sageRuntime as RuntimeCheckApi).embedText(prompts),
      PROMPTS,
    );
    let textDiff = 0;
    texts.forEach((row, i) => {
      textDiff = Math.max(textDiff, maxAbsDiff(row, sameDtype.text[i]));
      toFp32.push(cosine(row, fp32.text[i]));
    });

    console.log(
      `[dtypes] ${dtype}: browser vs node ${dtype} max |Δ| images ${imageDiff.toExponential(2)}, prompts ${textDiff.toExponential(2)}; ` +
        `browser ${dtype} vs node fp32 cosine min ${Math.min(...toFp32).toFixed(6)} ` +
        `(images ${toFp32
          .slice(0, IMAGES.length)
          .map((c) => c.toFixed(5))
          .join(', ')}; prompts ${toFp32
          .slice(IMAGES.length)
          .map((c) => c.toFixed(5))
          .join(', ')})`,
    );
    expect(imageDiff).toBeLessThan(SAME_DTYPE_TOLERANCE[dtype]);
    expect(textDiff).toBeLessThan(SAME_DTYPE_TOLERANCE[dtype]);
    expect(Math.min(...toFp32)).toBeGreaterThan(COSINE_TO_FP32[dtype]);
    // it really ran that precision: not the fp32 vectors again
    expect(imageDiffToFp32).toBeGreaterThan(1e-5);
    // and fetched that precision's files, not the fp32 ones
    expect([...new Set(onnxFiles)].sort()).toEqual([
      `text_model${SUFFIX[dtype]}.onnx`,
      `vision_model${SUFFIX[dtype]}.onnx`,
    ]);
  });
}
