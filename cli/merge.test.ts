import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type EmbeddingBundle, parseBundle } from '../src/core';
import { CliInputError } from './command';
import { mergeBundles } from './merge';
import { runCli } from './runCli.fixture';
import { comparePathOrder, parseShard, selectShard } from './shard';
import { syntheticBundle } from './testBundle.fixture';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TINY = join(ROOT, 'models/tiny-clip');
const FIXTURES = join(ROOT, 'src/model/fixtures');

beforeAll(() => {
  if (!existsSync(join(TINY, 'onnx/vision_model.onnx'))) {
    execFileSync('npm', ['run', 'models:synth', '--', '--size', 'tiny'], { cwd: ROOT, stdio: 'inherit' });
  }
});

/** Seven images in class/attribute folders; "a-b.png" sorts before "a/…" by text but after it in path order. */
function makeFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sage-shard-'));
  const put = (path: string, from: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    copyFileSync(join(FIXTURES, from), join(dir, path));
  };
  put('landbird/land/a.jpg', 'landscape.jpg');
  put('landbird/land/a-b.png', 'gray.png');
  put('landbird/land/c.png', 'alpha.png');
  put('landbird/water/d.png', 'gray.png');
  put('waterbird/land/e.jpg', 'landscape.jpg');
  put('waterbird/water/f.png', 'alpha.png');
  put('waterbird/water/g.jpg', 'landscape.jpg');
  return dir;
}

describe('embed --shard i/n + merge', () => {
  it('3 shards merged equal a single embed: ids, order, image and text vectors, group prompts, prompts', () => {
    const dir = makeFolder();
    const out = (name: string) => join(dir, '..', `${dir.split('/').pop()}-${name}.json`);
    // fp32: q8 quantizes each batch's activations together, so a vector would depend on its batch-mates
    const embed = ['embed', dir, '--model', TINY, '--dtype', 'fp32', '--batch', '2'];
    const single = runCli([...embed, '--out', out('single')]);
    expect(single.status, single.stderr).toBe(0);
    const shards = [1, 2, 3].map((i) => {
      const run = runCli([...embed, '--shard', `${i}/3`, '--out', out(`shard${i}`)]);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stderr).toMatch(new RegExp(`^shard ${i}/3: [23] of 7 images$`, 'm'));
      return out(`shard${i}`);
    });
    // merged in another order than they were made: the output does not depend on it
    const merged = runCli(['merge', shards[2], shards[0], shards[1], '--out', out('merged')]);
    expect(merged.status, merged.stderr).toBe(0);
    expect(merged.stderr).toContain('merged 3 bundles: 7 images');

    const want = parseBundle(readFileSync(out('single'), 'utf8'));
    const got = parseBundle(readFileSync(out('merged'), 'utf8'));
    const parts = shards.map((path) => parseBundle(readFileSync(path, 'utf8')));
    expect(parts.map((p) => p.images.length)).toEqual([2, 2, 3]);
    expect(parts.map((p) => p.meta?.shard)).toEqual(['1/3', '2/3', '3/3']);
    expect(want.images.map((i) => i.id)).toEqual([
      'landbird/land/a-b.png',
      'landbird/land/a.jpg',
      'landbird/land/c.png',
      'landbird/water/d.png',
      'waterbird/land/e.jpg',
      'waterbird/water/f.png',
      'waterbird/water/g.jpg',
    ]);
    expect(got.images).toEqual(want.images);
    expect(Array.from(got.imageEmbeddings)).toEqual(Array.from(want.imageEmbeddings));
    expect(Array.from(got.text)).toEqual(Array.from(want.text));
    expect({ classes: got.classes, templates: got.templates, model: got.model }).toEqual({
      classes: want.classes,
      templates: want.templates,
      model: want.model,
    });
    expect(got.groupPrompts).toEqual(want.groupPrompts);
    expect(got.prompts).toEqual(want.prompts);
    expect(got.meta).toMatchObject({ dtype: 'fp32', tool: 'sage-explorer embed', mergedFrom: 3 });
    expect(got.meta?.shard).toBeUndefined();
  });
});

describe('shards', () => {
  it('i/n counts from 1; the runs are contiguous in path order and cover every image once', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(() => parseShard('0/3')).toThrow('--shard: expected i/n with 1 ≤ i ≤ n (e.g. 1/3, 2/3, 3/3');
    expect(() => parseShard('4/3')).toThrow(CliInputError);
    const items = ['b/x', 'a/b', 'a-b', 'c', 'a/a', 'b/y', 'b/z'].map((id) => ({ id }));
    expect(['a-b', 'a/b'].sort(comparePathOrder)).toEqual(['a/b', 'a-b']);
    const runs = [1, 2, 3].map((index) => selectShard(items, { index, count: 3 }).map((i) => i.id));
    expect(runs).toEqual([
      ['a/a', 'a/b'],
      ['a-b', 'b/x'],
      ['b/y', 'b/z', 'c'],
    ]);
  });
});

describe('merge checks', () => {
  const split = (bundle: EmbeddingBundle, from: number, to: number, shard?: string): EmbeddingBundle => ({
    ...bundle,
    images: bundle.images.slice(from, to),
    imageEmbeddings: bundle.imageEmbeddings.slice(from * bundle.dim, to * bundle.dim),
    meta: { dtype: 'fp32', ...(shard ? { shard } : {}) },
  });
  const base = syntheticBundle({ n: 6, groupPrompts: true });
  const a = { name: 'a.json', bundle: split(base, 0, 3) };
  const b = { name: 'b.json', bundle: split(base, 3, 6) };
  const problem = (...sources: { name: string; bundle: EmbeddingBundle }[]) => {
    try {
      mergeBundles(sources);
    } catch (error) {
      expect(error).toBeInstanceOf(CliInputError);
      return (error as Error).message;
    }
    return 'merged';
  };

  it('joins bundles without shard labels, keeping each image once', () => {
    expect(mergeBundles([b, a]).images.map((i) => i.id)).toEqual(base.images.map((i) => i.id).sort(comparePathOrder));
  });

  it('refuses bundles embedded differently, naming the bundle and what differs', () => {
    expect(problem(a, { name: 'b.json', bundle: { ...b.bundle, model: 'other' } })).toBe(
      'merge: b.json was made with model "other", but a.json was made with model "synthetic"; only bundles embedded the same way can be merged',
    );
    expect(problem(a, { name: 'b.json', bundle: { ...b.bundle, meta: { dtype: 'q8' } } })).toMatch(
      /^merge: b\.json was embedded at precision q8, but a\.json was embedded at precision fp32;/,
    );
    expect(problem(a, { name: 'b.json', bundle: { ...b.bundle, classes: ['waterbird', 'landbird'] } })).toMatch(
      /^merge: b\.json has the classes "waterbird", "landbird", but a\.json has the classes "landbird", "waterbird"/,
    );
    expect(
      problem(a, { name: 'b.json', bundle: { ...b.bundle, templates: [...base.templates.slice(0, 4), 'x {}'] } }),
    ).toMatch(
      /^merge: b\.json has a different template pool from a\.json \(5 vs 5 templates; first difference at template 5: "x \{\}" vs/,
    );
    const text = base.text.slice();
    text[3 * base.dim + 1] += 1e-6;
    expect(problem(a, { name: 'b.json', bundle: { ...b.bundle, text } })).toMatch(
      /^merge: b\.json's text embedding for template 2 with class waterbird differs from a\.json's \(number 2: /,
    );
    const groupPrompts = (base.groupPrompts ?? []).map((g, i) =>
      i === 1 ? { ...g, embedding: g.embedding.map((x) => x * 2) } : g,
    );
    expect(problem(a, { name: 'b.json', bundle: { ...b.bundle, groupPrompts } })).toBe(
      'merge: the group prompt "a landbird on water" has different embeddings in a.json and b.json; the bundles were embedded differently',
    );
  });

  it('refuses a repeated image and incomplete or repeated shards', () => {
    expect(problem(a, { name: 'c.json', bundle: split(base, 2, 4) })).toBe(
      'merge: image "landbird/land/2.jpg" is in both a.json and c.json; each image may be in one bundle only',
    );
    const one = { name: 's1.json', bundle: split(base, 0, 2, '1/3') };
    const two = { name: 's2.json', bundle: split(base, 2, 4, '2/3') };
    const three = { name: 's3.json', bundle: split(base, 4, 6, '3/3') };
    expect(problem(one, three)).toBe('merge: shard 2/3 is missing');
    expect(problem(one, { ...two, bundle: { ...two.bundle, meta: { shard: '1/3' } } })).toBe(
      'merge: s2.json and s1.json are both shard 1/3',
    );
    expect(problem(one, a)).toBe(
      'merge: the bundles are not shards of one split (s1.json: shard 1/3; a.json: not a shard)',
    );
    expect(mergeBundles([three, one, two]).images).toEqual(
      base.images.slice().sort((x, y) => comparePathOrder(x.id, y.id)),
    );
  });
});
