/**
 * docs/python.md's bundle-writing snippet, run as written with /usr/bin/python3 + numpy, must produce a bundle the
 * CLI reads and analyzes, holding exactly the arrays the snippet made (base64 little-endian float32, template-major).
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBundle } from '../src/core';
import { runCli } from './runCli.fixture';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PYTHON = '/usr/bin/python3';

function numpyMissing(): string | null {
  const probe = spawnSync(PYTHON, ['-c', 'import numpy'], { encoding: 'utf8' });
  if (probe.error) return `${PYTHON} is not installed`;
  return probe.status === 0 ? null : `numpy is not installed for ${PYTHON}`;
}

/** The code between <!-- snippet:NAME --> and <!-- /snippet --> (inside its ```python fence). */
function docSnippet(markdown: string, name: string): string {
  const start = markdown.indexOf(`<!-- snippet:${name} -->`);
  const end = markdown.indexOf('<!-- /snippet -->', start);
  if (start < 0 || end < 0) throw new Error(`docs/python.md has no snippet "${name}"`);
  const fenced = /```python\n([\s\S]*?)```/.exec(markdown.slice(start, end));
  if (!fenced) throw new Error(`snippet "${name}" has no python code block`);
  return fenced[1];
}

const missing = numpyMissing();
if (missing) console.warn(`skipping the docs/python.md snippet test: ${missing}`);

describe.skipIf(missing !== null)('docs/python.md', () => {
  it('the write-bundle snippet writes a bundle that analyze reads, with the arrays it was given', () => {
    const snippet = docSnippet(readFileSync(join(ROOT, 'docs/python.md'), 'utf8'), 'write-bundle');
    const dir = mkdtempSync(join(tmpdir(), 'sage-python-'));
    // after the snippet: the arrays it used, as float32 values, for the comparison below
    const check = [
      'json.dump({"image": image_embeddings.astype(np.float32).ravel().tolist(),',
      '           "text": text_embeddings.astype(np.float32).ravel().tolist(), "ids": ids},',
      '          open("expected.json", "w"))',
    ].join('\n');
    writeFileSync(join(dir, 'snippet.py'), `${snippet}\n${check}\n`);
    const python = spawnSync(PYTHON, ['snippet.py'], { cwd: dir, encoding: 'utf8' });
    expect(python.status, python.stderr).toBe(0);

    const bundle = parseBundle(readFileSync(join(dir, 'bundle.json'), 'utf8'));
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as {
      image: number[];
      text: number[];
      ids: string[];
    };
    expect(bundle.images.map((image) => image.id)).toEqual(expected.ids);
    expect(Array.from(bundle.imageEmbeddings)).toEqual(expected.image);
    expect(Array.from(bundle.text)).toEqual(expected.text);
    expect(new Set(bundle.images.map((image) => image.attribute))).toEqual(new Set(['land', 'water']));

    const run = runCli(['analyze', join(dir, 'bundle.json'), '--method', 'sage', '--format', 'json']);
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { model: string; predictions: unknown[]; metrics: { groups: unknown[] } };
    expect(result.model).toBe('my-clip');
    expect(result.predictions).toHaveLength(12);
    expect(result.metrics.groups).toHaveLength(4);
  });
});
