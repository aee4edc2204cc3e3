/**
 * The npm package (issue 17 §6): `npm pack` builds the compiled CLI (prepack), `npm install -g` of the tarball into
 * a temp prefix installs it with its runtime dependencies only (no tsx, no sources), and the installed
 * `sage-explorer` prints what the repo's CLI prints. Slow: packing, then installing ~50 packages from the npm cache.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseBundle, serializeBinaryBundle, serializeBundle } from '../src/core';
import { runCli } from './runCli.fixture';
import { syntheticBundle } from './testBundle.fixture';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TINY = join(ROOT, 'models/tiny-clip');
const WORK = mkdtempSync(join(tmpdir(), 'sage-pack-'));
const PREFIX = join(WORK, 'prefix');
const INSTALLED = join(PREFIX, 'bin', 'sage-explorer');

/** A user's shell elsewhere: no repo cwd, no repo .npmrc, no NODE_PATH; only the install's bin on PATH. */
const cleanEnv = {
  PATH: `${join(PREFIX, 'bin')}:${dirname(process.execPath)}:/usr/bin:/bin`,
  HOME: process.env.HOME ?? WORK,
  // the onnxruntime-node install script would download GPU runtimes; the CPU build ships in the package
  npm_config_onnxruntime_node_install: 'skip',
  SAGE_DEBUG: '',
};

function runInstalled(args: string[]) {
  const run = spawnSync(INSTALLED, args, { cwd: WORK, encoding: 'utf8', env: cleanEnv });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(() => {
  execFileSync('npm', ['pack', '--pack-destination', WORK], { cwd: ROOT, stdio: 'pipe' });
  const tarball = readdirSync(WORK).find((name) => name.endsWith('.tgz'));
  if (tarball === undefined) throw new Error(`npm pack wrote no tarball into ${WORK}`);
  // --prefer-offline: from the npm cache when it has the packages (CI after npm ci), the registry otherwise
  execFileSync(
    'npm',
    ['install', '-g', '--prefix', PREFIX, join(WORK, tarball), '--prefer-offline', '--no-audit', '--no-fund'],
    { cwd: WORK, stdio: 'pipe', env: { ...process.env, ...cleanEnv } },
  );
}, 600_000);

describe('the packed CLI', { timeout: 180_000 }, () => {
  it('ships compiled JS only and installs without tsx', () => {
    const installed = join(PREFIX, 'lib', 'node_modules', 'sage-explorer');
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    expect(manifest.bin['sage-explorer']).toBe('dist-cli/sage-explorer.js');
    expect(readdirSync(installed).sort()).toEqual(['README.md', 'dist-cli', 'docs', 'node_modules', 'package.json']);
    expect(existsSync(join(installed, 'node_modules', 'tsx'))).toBe(false);
    expect(existsSync(join(PREFIX, 'lib', 'node_modules', 'tsx'))).toBe(false);
    expect(readFileSync(join(installed, 'dist-cli/sage-explorer.js'), 'utf8')).not.toMatch(/from ["']tsx/);
  });

  it('analyze prints what the repo CLI prints, for a JSON and a zipped bundle', () => {
    const bundle = syntheticBundle({ groupPrompts: true, n: 40 });
    const json = join(WORK, 'fixture.json');
    const zip = join(WORK, 'fixture.sage.zip');
    writeFileSync(json, serializeBundle(bundle));
    writeFileSync(zip, serializeBinaryBundle(bundle));
    for (const args of [
      ['analyze', json],
      ['analyze', zip, '--format', 'table', '--method', 'ensemble'],
    ]) {
      const installed = runInstalled(args);
      const repo = runCli(args);
      expect(installed.status, installed.stderr).toBe(0);
      expect(installed.stdout).toBe(repo.stdout);
      expect(installed.stdout.length).toBeGreaterThan(100);
    }
    const help = runInstalled(['--help']);
    expect(help.stdout).toMatch(/^usage: sage-explorer <command>/);
  });

  it('embed runs the model (transformers.js, onnxruntime-node, sharp from the install) like the repo CLI', () => {
    const images = join(WORK, 'images');
    for (const [path, from] of [
      ['waterbird/water/a.jpg', 'landscape.jpg'],
      ['landbird/land/c.png', 'gray.png'],
    ]) {
      mkdirSync(dirname(join(images, path)), { recursive: true });
      copyFileSync(join(ROOT, 'src/model/fixtures', from), join(images, path));
    }
    const templates = join(WORK, 'templates.json');
    writeFileSync(templates, JSON.stringify(['a photo of a {}.', 'itap of a {}.']));
    const embed = (out: string) => [
      'embed',
      images,
      '--model',
      TINY,
      '--templates',
      templates,
      '--dtype',
      'fp32',
      '--out',
      out,
    ];
    const installed = runInstalled(embed(join(WORK, 'installed.json')));
    expect(installed.status, installed.stderr).toBe(0);
    const repo = runCli(embed(join(WORK, 'repo.json')));
    expect(repo.status, repo.stderr).toBe(0);
    const fromInstalled = parseBundle(readFileSync(join(WORK, 'installed.json'), 'utf8'));
    const fromRepo = parseBundle(readFileSync(join(WORK, 'repo.json'), 'utf8'));
    expect(fromInstalled.images).toEqual(fromRepo.images);
    expect(fromInstalled.imageEmbeddings).toEqual(fromRepo.imageEmbeddings);
    expect(fromInstalled.text).toEqual(fromRepo.text);
  });
});
