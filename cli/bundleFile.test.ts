import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serializeBinaryBundle, serializeBundle } from '../src/core';
import { readBundleFile, writeBundleFile, writesBinaryBundle } from './bundleFile';
import { CliInputError } from './command';
import { runCli } from './runCli.fixture';
import { syntheticBundle } from './testBundle.fixture';

const dir = mkdtempSync(join(tmpdir(), 'sage-bundle-file-'));
const bundle = syntheticBundle({ groupPrompts: true, n: 60 });
const jsonPath = join(dir, 'b.json');
const zipPath = join(dir, 'b.sage.zip');
writeFileSync(jsonPath, serializeBundle(bundle));
writeFileSync(zipPath, serializeBinaryBundle(bundle));

describe('bundle files: sage-embeddings/1 JSON and /2 zip', () => {
  it('writes /2 for a .zip name and /1 JSON otherwise, and reads both back', async () => {
    expect(writesBinaryBundle('out.sage.zip')).toBe(true);
    expect(writesBinaryBundle('out.json')).toBe(false);
    const zip = join(dir, 'w.sage.zip');
    const json = join(dir, 'w.json');
    await writeBundleFile(zip, bundle);
    await writeBundleFile(json, bundle);
    expect(readFileSync(zip).subarray(0, 2).toString('latin1')).toBe('PK');
    expect(JSON.parse(readFileSync(json, 'utf8'))).toMatchObject({ format: 'sage-embeddings/1' });
    expect(await readBundleFile(zip)).toEqual(bundle);
    expect(await readBundleFile(json)).toEqual(bundle);
  });

  it('analyze and compare print the same for either version', () => {
    for (const args of [['analyze', '--method', 'sage', '--k', '2'], ['compare']]) {
      const [command, ...rest] = args;
      const fromJson = runCli([command, jsonPath, ...rest]);
      const fromZip = runCli([command, zipPath, ...rest]);
      expect(fromJson.status, fromJson.stderr).toBe(0);
      expect(fromZip.stderr).toBe(fromJson.stderr);
      expect(fromZip.stdout).toBe(fromJson.stdout);
    }
  });

  it('a command writing to a .zip name writes /2 (merge of a JSON and a zipped shard, as the JSON merge)', async () => {
    const half = bundle.images.length / 2;
    const shard = (from: number, to: number) => ({
      ...bundle,
      images: bundle.images.slice(from, to),
      imageEmbeddings: bundle.imageEmbeddings.slice(from * bundle.dim, to * bundle.dim),
    });
    await writeBundleFile(join(dir, 'a.json'), shard(0, half));
    await writeBundleFile(join(dir, 'b.sage.zip'), shard(half, bundle.images.length));
    for (const out of ['all.sage.zip', 'all.json']) {
      const run = runCli(['merge', join(dir, 'a.json'), join(dir, 'b.sage.zip'), '--out', join(dir, out)]);
      expect(run.status, run.stderr).toBe(0);
    }
    expect(readFileSync(join(dir, 'all.sage.zip')).subarray(0, 2).toString('latin1')).toBe('PK');
    expect(await readBundleFile(join(dir, 'all.sage.zip'))).toEqual(await readBundleFile(join(dir, 'all.json')));
  });

  it('names the file and the member when a zipped bundle is broken', async () => {
    const broken = join(dir, 'broken.sage.zip');
    const bytes = serializeBinaryBundle({ ...bundle, imageEmbeddings: bundle.imageEmbeddings.subarray(0, 10) });
    writeFileSync(broken, bytes);
    await expect(readBundleFile(broken)).rejects.toThrow(
      new CliInputError(
        `invalid bundle ${broken}: image 3 (${bundle.images[2].id}): embedding: is all zeros; it has no direction to compare`,
      ),
    );
    await expect(readBundleFile(join(dir, 'missing.sage.zip'))).rejects.toThrow(/cannot read bundle .*: no such file/);
    await expect(readBundleFile(dir)).rejects.toThrow(/cannot read bundle .*: is a directory/);
  });
});
