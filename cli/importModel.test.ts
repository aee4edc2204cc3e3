/**
 * `import --model`: the text side is embedded as `embed` embeds it. Embed a folder, hand its image vectors to
 * import as an .npy + a CSV of string labels, and the imported bundle equals the embedded one.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBundle } from '../src/core';
import { npyBytes } from '../src/core/npyFiles.fixture';
import { runCli } from './runCli.fixture';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TINY = join(ROOT, 'models/tiny-clip');
const FIXTURES = join(ROOT, 'src/model/fixtures');

beforeAll(() => {
  if (!existsSync(join(TINY, 'onnx/vision_model.onnx'))) {
    execFileSync('npm', ['run', 'models:synth', '--', '--size', 'tiny'], { cwd: ROOT, stdio: 'inherit' });
  }
});

describe('sage-explorer import --model', () => {
  it('embeds the prompts, group prompts and phrasings exactly as embed does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sage-import-model-'));
    const put = (path: string, from: string) => {
      mkdirSync(dirname(join(dir, 'set', path)), { recursive: true });
      copyFileSync(join(FIXTURES, from), join(dir, 'set', path));
    };
    put('landbird/land/a.jpg', 'landscape.jpg');
    put('landbird/water/b.png', 'gray.png');
    put('waterbird/water/c.png', 'alpha.png');
    const embedded = join(dir, 'embedded.json');
    const fp32 = ['--model', TINY, '--dtype', 'fp32'];
    const embed = runCli(['embed', join(dir, 'set'), ...fp32, '--out', embedded]);
    expect(embed.status, embed.stderr).toBe(0);
    const want = parseBundle(readFileSync(embedded, 'utf8'));

    writeFileSync(join(dir, 'emb.npy'), npyBytes(want.imageEmbeddings, want.images.length, want.dim));
    const csv = ['file,label,background', ...want.images.map((i) => `${i.id},${i.class},${i.attribute}`)];
    writeFileSync(join(dir, 'meta.csv'), `${csv.join('\n')}\n`);
    const imported = join(dir, 'imported.json');
    const run = runCli([
      'import',
      '--images',
      join(dir, 'emb.npy'),
      '--metadata',
      join(dir, 'meta.csv'),
      '--id-column',
      'file',
      '--class-column',
      'label',
      '--attribute-column',
      'background',
      ...fp32,
      '--out',
      imported,
    ]);
    expect(run.status, run.stderr).toBe(0);
    const got = parseBundle(readFileSync(imported, 'utf8'));
    expect(got.model).toBe('local:tiny-clip');
    expect(got.images).toEqual(want.images);
    expect(got.templates).toEqual(want.templates);
    expect(Array.from(got.imageEmbeddings)).toEqual(Array.from(want.imageEmbeddings));
    expect(Array.from(got.text)).toEqual(Array.from(want.text));
    expect(got.groupPrompts).toEqual(want.groupPrompts);
    expect(got.prompts).toEqual(want.prompts);
    expect(got.meta).toMatchObject({ dtype: 'fp32', tool: 'sage-explorer import', imageDtype: 'float32' });
  });
});
