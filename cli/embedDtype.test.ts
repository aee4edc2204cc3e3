// `sage-explorer embed --dtype fp32|q8|fp16` on the tiny synthetic CLIP, whose folder holds all three
// precisions (models/synth): each loads on onnxruntime-node, q8 and fp16 embed close to fp32 without being
// fp32, a folder defaults to q8 when it has the quantized files, and a missing precision names its file.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseBundle, type EmbeddingBundle } from '../src/core';
import { runCli } from './runCli.fixture';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TINY = join(ROOT, 'models/tiny-clip');
const FIXTURES = join(ROOT, 'src/model/fixtures');

beforeAll(() => {
  if (!existsSync(join(TINY, 'onnx/vision_model_quantized.onnx'))) {
    execFileSync('npm', ['run', 'models:synth', '--', '--size', 'tiny'], { cwd: ROOT, stdio: 'inherit' });
  }
});

function imageSet(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sage-dtype-'));
  for (const [path, file] of [
    ['waterbird/water/a.jpg', 'landscape.jpg'],
    ['waterbird/land/b.png', 'alpha.png'],
    ['landbird/land/c.png', 'gray.png'],
    ['landbird/water/d.jpg', 'landscape.jpg'],
  ]) {
    mkdirSync(dirname(join(dir, 'set', path)), { recursive: true });
    copyFileSync(join(FIXTURES, file), join(dir, 'set', path));
  }
  writeFileSync(join(dir, 'templates.json'), JSON.stringify(['a photo of a {}.', 'a drawing of a {}.']));
  return dir;
}

function embed(dir: string, out: string, extra: string[]): { bundle: EmbeddingBundle; stderr: string } {
  const args = ['embed', join(dir, 'set'), '--model', TINY, '--templates', join(dir, 'templates.json')];
  const run = runCli([...args, '--out', join(dir, out), ...extra]);
  expect(run.status, run.stderr).toBe(0);
  return { bundle: parseBundle(readFileSync(join(dir, out), 'utf8')), stderr: run.stderr };
}

function cosines(a: Float32Array, b: Float32Array, dim: number): number[] {
  const out: number[] = [];
  for (let row = 0; row < a.length / dim; row++) {
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let d = row * dim; d < (row + 1) * dim; d++) {
      dot += a[d] * b[d];
      na += a[d] * a[d];
      nb += b[d] * b[d];
    }
    out.push(dot / Math.sqrt(na * nb));
  }
  return out;
}

describe('sage-explorer embed --dtype', () => {
  it('embeds with fp32, q8 and fp16; q8 and fp16 stay close to fp32 without being it', () => {
    const dir = imageSet();
    const fp32 = embed(dir, 'fp32.json', ['--dtype', 'fp32']).bundle;
    expect(fp32.meta).toMatchObject({ backend: 'node', dtype: 'fp32' });
    const summary: string[] = [];
    for (const dtype of ['q8', 'fp16'] as const) {
      const { bundle, stderr } = embed(dir, `${dtype}.json`, ['--dtype', dtype]);
      expect(stderr).toContain(`(node, ${dtype}, dim ${fp32.dim})`);
      expect(bundle.meta).toMatchObject({ backend: 'node', dtype });
      expect(bundle.images.map((i) => i.id)).toEqual(fp32.images.map((i) => i.id));
      const images = cosines(fp32.imageEmbeddings, bundle.imageEmbeddings, fp32.dim);
      const texts = cosines(fp32.text, bundle.text, fp32.dim);
      summary.push(
        `${dtype}: images min ${Math.min(...images).toFixed(5)}, prompts min ${Math.min(...texts).toFixed(5)}`,
      );
      expect(Math.min(...images, ...texts), dtype).toBeGreaterThan(dtype === 'q8' ? 0.99 : 0.9999);
      // another computation really ran: the vectors are not the fp32 ones
      expect(Array.from(bundle.imageEmbeddings)).not.toEqual(Array.from(fp32.imageEmbeddings));
    }
    console.log(`CLI cosine to fp32 (4 images, 4 prompts): ${summary.join('; ')}`);
  }, 120_000);

  it('a folder with the quantized files defaults to q8, as the hub model does on Node', () => {
    const dir = imageSet();
    const { bundle, stderr } = embed(dir, 'default.json', []);
    expect(stderr).toContain('(node, q8, dim');
    expect(bundle.meta).toMatchObject({ dtype: 'q8' });
  }, 60_000);

  it('a precision the folder does not hold is refused, naming the missing file', () => {
    const dir = imageSet();
    const model = join(dir, 'fp32-only');
    mkdirSync(join(model, 'onnx'), { recursive: true });
    for (const file of [
      'config.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'special_tokens_map.json',
      'preprocessor_config.json',
      'onnx/vision_model.onnx',
      'onnx/text_model.onnx',
    ]) {
      copyFileSync(join(TINY, file), join(model, file));
    }
    const args = ['embed', join(dir, 'set'), '--model', model, '--templates', join(dir, 'templates.json')];
    const run = runCli([...args, '--dtype', 'fp16']);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/could not load model file onnx\/(vision|text)_model_fp16\.onnx/);
  }, 60_000);
});
