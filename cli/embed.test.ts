import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBundle } from '../src/core';
import { gray16Ramp } from '../scripts/robustness-fixtures';
import { runCli } from './runCli.fixture';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TINY = join(ROOT, 'models/tiny-clip');
const FIXTURES = join(ROOT, 'src/model/fixtures');

beforeAll(() => {
  if (!existsSync(join(TINY, 'onnx/vision_model.onnx'))) {
    execFileSync('npm', ['run', 'models:synth', '--', '--size', 'tiny'], { cwd: ROOT, stdio: 'inherit' });
  }
});

const TEMPLATES_DIR = mkdtempSync(join(tmpdir(), 'sage-templates-'));
const TEMPLATES = join(TEMPLATES_DIR, 'templates.json');
const ONE_TEMPLATE = join(TEMPLATES_DIR, 'one.json');
writeFileSync(TEMPLATES, JSON.stringify(['a photo of a {}.', 'a drawing of a {}.', 'itap of a {}.']));
writeFileSync(ONE_TEMPLATE, JSON.stringify(['a drawing of a {}.']));

/** class/attribute/image folder with three good images and two bad ones. */
function makeSet(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sage-embed-'));
  const put = (path: string, from: string | Buffer) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    if (typeof from === 'string') copyFileSync(from, join(dir, path));
    else writeFileSync(join(dir, path), from);
  };
  put('waterbird/water/a.jpg', join(FIXTURES, 'landscape.jpg'));
  put('waterbird/land/b.png', join(FIXTURES, 'alpha.png'));
  put('landbird/land/c.png', join(FIXTURES, 'gray.png'));
  put('landbird/land/not-an-image.jpg', Buffer.from('this is text'));
  put('landbird/water/empty.png', Buffer.alloc(0));
  return dir;
}

describe('sage-explorer embed', () => {
  it('embeds a folder with a broken file: skips it with a reason, writes a valid bundle', () => {
    const dir = makeSet();
    const out = join(dir, 'bundle.json');
    const args = ['embed', dir, '--model', TINY, '--templates', TEMPLATES, '--batch', '2', '--dtype', 'fp32'];
    const run = runCli([...args, '--out', out]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/skipped .*not-an-image\.jpg: not an image/);
    expect(run.stderr).toMatch(/skipped .*empty\.png: empty file \(0 bytes\)/);
    expect(run.stderr).toMatch(/\] 5\/5 images/);
    const bundle = parseBundle(readFileSync(out, 'utf8'));
    expect(bundle.model).toBe('local:tiny-clip');
    expect(bundle.classes).toEqual(['landbird', 'waterbird']);
    expect(bundle.images.map((i) => i.id).sort()).toEqual([
      'landbird/land/c.png',
      'waterbird/land/b.png',
      'waterbird/water/a.jpg',
    ]);
    expect(bundle.images.find((i) => i.id === 'waterbird/water/a.jpg')).toMatchObject({
      class: 'waterbird',
      attribute: 'water',
    });
    expect(bundle.text.length).toBe(3 * 2 * bundle.dim);
    expect(bundle.skipped?.map((s) => s.id).sort()).toEqual([
      'landbird/land/not-an-image.jpg',
      'landbird/water/empty.png',
    ]);
    expect(bundle.groupPrompts?.map((g) => g.prompt)).toEqual([
      'a photo of a landbird on land.',
      'a photo of a landbird on water.',
      'a photo of a waterbird on land.',
      'a photo of a waterbird on water.',
    ]);
    expect(bundle.meta).toMatchObject({ backend: 'node', dtype: 'fp32' });
  });

  it('warns on stderr when prompts are longer than CLIP reads, naming them', () => {
    const dir = makeSet();
    const longTemplate = join(dir, 'long.json');
    const template = `a photo of a {} ${'with bright feathers '.repeat(25).trim()}.`;
    writeFileSync(longTemplate, JSON.stringify([template, 'a photo of a {}.']));
    const run = runCli(['embed', dir, '--model', TINY, '--templates', longTemplate, '--out', join(dir, 'b.json')]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      `warning: 2 prompts were longer than CLIP's 77-token limit and were cut: "${template.replace('{}', 'landbird')}", `,
    );
    expect(run.stderr.match(/77-token limit/g)).toHaveLength(1);
  });

  it('says on stderr which files were read differently from what a viewer shows (16-bit grayscale PNG)', async () => {
    const dir = makeSet();
    writeFileSync(join(dir, 'landbird/land/xray.png'), await gray16Ramp(40, 30));
    const run = runCli(['embed', dir, '--model', TINY, '--templates', TEMPLATES, '--out', join(dir, 'b.json')]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^note: 16-bit grayscale PNG: read as Pillow reads it .* \(1 image: .*xray\.png\)\.$/m);
  });

  it('prompts are template-major: row t·C + c is template t filled with class c', () => {
    const dir = makeSet();
    const out = join(dir, 'bundle.json');
    // fp32: q8 quantizes each batch's activations together, so a prompt's vector depends on its batch
    const fp32 = ['--dtype', 'fp32'];
    expect(runCli(['embed', dir, '--model', TINY, '--templates', TEMPLATES, ...fp32, '--out', out]).status).toBe(0);
    const swapped = join(dir, 'swapped.json');
    expect(
      runCli([
        'embed',
        dir,
        '--model',
        TINY,
        '--templates',
        ONE_TEMPLATE,
        '--classes',
        'waterbird,landbird',
        ...fp32,
        '--out',
        swapped,
      ]).status,
    ).toBe(0);
    const full = parseBundle(readFileSync(out, 'utf8'));
    const one = parseBundle(readFileSync(swapped, 'utf8'));
    const dim = full.dim;
    // full: classes [landbird, waterbird]; template 1 = "a drawing of a {}." → rows 2 (landbird), 3 (waterbird)
    expect(Array.from(one.text.subarray(0, dim))).toEqual(Array.from(full.text.subarray(3 * dim, 4 * dim)));
    expect(Array.from(one.text.subarray(dim, 2 * dim))).toEqual(Array.from(full.text.subarray(2 * dim, 3 * dim)));
  });

  it('reads a CSV manifest; a second run with --cache embeds nothing again', () => {
    const dir = makeSet();
    writeFileSync(
      join(dir, 'manifest.csv'),
      'path,class,attribute\nwaterbird/water/a.jpg,waterbird,water\n"landbird/land/c.png",landbird,land\n',
    );
    const cache = join(dir, 'cache.json');
    const args = ['embed', join(dir, 'manifest.csv'), '--model', TINY, '--templates', TEMPLATES, '--cache', cache];
    const first = runCli(args);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/embedded 2 images \(0 from cache/);
    const second = runCli(args);
    expect(second.stderr).toMatch(/embedded 2 images \(2 from cache/);
    expect(parseBundle(second.stdout).imageEmbeddings).toEqual(parseBundle(first.stdout).imageEmbeddings);
  });

  it('a manifest with malformed, repeated and missing rows skips each with its line and reason, and still runs', () => {
    const dir = makeSet();
    writeFileSync(
      join(dir, 'manifest.csv'),
      [
        'path,class,attribute',
        'waterbird/water/a.jpg,waterbird,water',
        'just-one-field',
        ',landbird,land',
        'landbird/land/c.png,,land',
        'waterbird/water/a.jpg,waterbird,water',
        'landbird/land/missing.jpg,landbird,land',
        'landbird/land/c.png,landbird,land',
      ].join('\n'),
    );
    const out = join(dir, 'bundle.json');
    const run = runCli(['embed', join(dir, 'manifest.csv'), '--model', TINY, '--templates', TEMPLATES, '--out', out]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('skipped manifest.csv line 3: expected path,class[,attribute], got 1 field(s)');
    expect(run.stderr).toContain('skipped manifest.csv line 4: path is empty');
    expect(run.stderr).toContain('skipped manifest.csv line 5: class is empty for landbird/land/c.png');
    expect(run.stderr).toContain('skipped manifest.csv line 6: waterbird/water/a.jpg is already listed on line 2');
    expect(run.stderr).toMatch(/skipped .*missing\.jpg: cannot read file: ENOENT/);
    const bundle = parseBundle(readFileSync(out, 'utf8'));
    expect(bundle.images.map((i) => i.id)).toEqual(['waterbird/water/a.jpg', 'landbird/land/c.png']);
    expect(bundle.skipped?.map((s) => s.id)).toEqual([
      'manifest.csv line 3',
      'manifest.csv line 4',
      'manifest.csv line 5',
      'manifest.csv line 6',
      'landbird/land/missing.jpg',
    ]);

    // only unusable rows: nothing could be read → exit 2
    writeFileSync(join(dir, 'bad.csv'), 'only-a-path\nlandbird/land/missing.jpg,landbird\n');
    const none = runCli(['embed', join(dir, 'bad.csv'), '--model', TINY, '--templates', TEMPLATES]);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/skipped bad\.csv line 1: expected path,class/);
  });

  it('exits 2 when no image could be read, and on bad arguments', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sage-embed-bad-'));
    mkdirSync(join(dir, 'cls'));
    writeFileSync(join(dir, 'cls', 'x.jpg'), 'nope');
    const none = runCli(['embed', dir, '--model', TINY]);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/skipped .*x\.jpg: not an image/);
    expect(none.stderr).toMatch(/no image could be read/);
    expect(runCli(['embed', dir]).stderr).toMatch(/--model is required/);
    expect(runCli(['embed', dir, '--model', TINY, '--classes', 'dog,cls']).stderr).toMatch(
      /--classes: no images for "dog"/,
    );
  });
});
