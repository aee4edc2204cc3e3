/**
 * The hosted copy (issue 17 §5): the GitHub Pages workflow parses, builds with the command the README documents and
 * deploys dist/; static hosts that read `_headers` get the cross-origin isolation headers; hosts that cannot set
 * headers rely on the service worker that index.html registers.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
// js-yaml comes with eslint; a YAML parser is only needed here
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { needs?: string; steps: Step[]; environment?: { name: string } }>;
}

describe('GitHub Pages workflow', () => {
  const workflow = yaml.load(read('.github/workflows/pages.yml')) as Workflow;
  const steps = workflow.jobs.build.steps;

  it('installs with npm ci (onnxruntime-node download skipped), builds with the README command, uploads dist/', () => {
    const runs = steps.flatMap((step) => (step.run === undefined ? [] : [step.run]));
    expect(runs).toEqual(['npm ci', 'npm run build']);
    expect(steps.find((s) => s.run === 'npm ci')?.env?.npm_config_onnxruntime_node_install).toBe('skip');
    expect(read('.npmrc')).toMatch(/^onnxruntime-node-install=skip$/m);
    // the README's deploy section names the same command and folder
    expect(read('README.md')).toMatch(/`npm run build` writes a static site to `dist\/`/);
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts.build).toMatch(/vite build/);
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-pages-artifact@'));
    expect(upload?.with?.path).toBe('dist');
  });

  it('deploys with deploy-pages after the build, with the permissions Pages needs', () => {
    expect(Object.keys(workflow.on)).toContain('push');
    expect(workflow.permissions).toMatchObject({ pages: 'write', 'id-token': 'write' });
    const deploy = workflow.jobs.deploy;
    expect(deploy.needs).toBe('build');
    expect(deploy.environment?.name).toBe('github-pages');
    expect(deploy.steps.some((s) => s.uses?.startsWith('actions/deploy-pages@'))).toBe(true);
  });
});

describe('cross-origin isolation on static hosts', () => {
  it('public/_headers sends COOP and COEP for every path (Netlify, Cloudflare Pages)', () => {
    const lines = read('public/_headers')
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'));
    expect(lines[0]).toBe('/*');
    const headers = lines.slice(1).map((line) => line.trim());
    expect(headers).toContain('Cross-Origin-Opener-Policy: same-origin');
    expect(headers).toContain('Cross-Origin-Embedder-Policy: require-corp');
  });

  it('hosts without headers (GitHub Pages): index.html registers the isolating service worker from the app root', () => {
    expect(read('index.html')).toMatch(/<script src="\.\/coi-serviceworker\.js"><\/script>/);
    expect(read('public/coi-serviceworker.js')).toMatch(/Cross-Origin-Embedder-Policy/);
  });
});
