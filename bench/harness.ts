/**
 * What a benchmark run stands on: the synthetic model, the Vite server for the benchmark page, headless
 * Chromium with the page's API called from Node, the onnxruntime-node side in a child process, and the
 * renderer process whose memory and CPU are read.
 */
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, CDPSession, Page } from '@playwright/test';
import { build, createServer, preview, type PreviewServer, type ViteDevServer } from 'vite';
import type { Dtype } from '../src/core/config';
import { errorMessage } from '../src/core/errors';
import { processMemory } from './machine';
import { BenchAbort, ROOT } from './options';
import type { BenchDevice, BenchPageApi, NodeBenchRequest, NodeBenchResponse } from './protocol';

export const MODEL = 'base-clip';
/** the reference precision: the wasm/native ratio, the stage breakdown, text and memory runs use it */
export const DTYPE: Dtype = 'fp32';
/** the other precisions measured, in order; q8 is what the app and transformers.js pick on WASM by default */
export const OTHER_DTYPES: readonly Dtype[] = ['q8', 'fp16'];
const SUFFIX: Record<Dtype, string> = { fp32: '', q8: '_quantized', fp16: '_fp16' };

/** The vision and text .onnx files of one precision, as transformers.js names them. */
export function modelFiles(dtype: Dtype): string[] {
  return ['vision_model', 'text_model'].map((stem) =>
    join(ROOT, 'models', MODEL, 'onnx', `${stem}${SUFFIX[dtype]}.onnx`),
  );
}

/** Bytes of the vision + text files of one precision (what a renderer that loads it must read). */
export function modelFileBytes(dtype: Dtype): number {
  return modelFiles(dtype).reduce((sum, file) => sum + statSync(file).size, 0);
}
export const CHROMIUM = '/usr/bin/chromium';
const BASE_FLAGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const log = (line: string) => console.error(`[bench] ${line}`);

export function ensureBaseModel(): void {
  const dir = join(ROOT, 'models', MODEL);
  if (existsSync(join(dir, 'synth.json')) && [DTYPE, ...OTHER_DTYPES].every((d) => modelFiles(d).every(existsSync)))
    return;
  log(`models/${MODEL} missing: generating it (npm run models:synth -- --size base)`);
  const result = spawnSync('npx', ['tsx', 'models/synth/main.ts', '--size', 'base'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new BenchAbort(`models:synth --size base failed (exit ${result.status})`);
}

export async function startServer(): Promise<{ server: ViteDevServer; url: string }> {
  const server = await createServer({ configFile: join(ROOT, 'bench', 'vite.bench.config.ts') });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite did not report a local URL');
  return { server, url };
}

/**
 * The app's production build in `outDir` (built unless `reuse` and it exists), served by vite preview on `port`
 * or the next free one.
 */
export async function buildAndPreview(
  outDir: string,
  port: number,
  reuse: boolean,
  say: (line: string) => void,
): Promise<PreviewServer> {
  const configFile = join(ROOT, 'vite.config.ts');
  if (!reuse || !existsSync(join(outDir, 'index.html'))) {
    say(`building the app into ${outDir} (production build)…`);
    await build({ configFile, root: ROOT, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  }
  return preview({
    configFile,
    root: ROOT,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port, strictPort: false },
  });
}

export function chromiumFlags(device: BenchDevice): string[] {
  // WebGPU needs the GPU process; on WASM runs the GPU is disabled, as in the e2e config
  return device === 'webgpu' ? [...BASE_FLAGS, '--enable-unsafe-webgpu'] : [...BASE_FLAGS, '--disable-gpu'];
}

export function noGpuMessage(detail: string): string {
  return (
    `--device webgpu: no WebGPU in ${CHROMIUM} on this machine (${detail}). ` +
    'WebGPU figures need a machine with a GPU and a WebGPU-enabled Chromium; run `npm run bench -- --device webgpu` there. ' +
    'Nothing was measured; use the default (--device wasm) here.'
  );
}

let chromiumVersionCache: string | null = null;
export function chromiumVersion(): string {
  if (chromiumVersionCache) return chromiumVersionCache;
  const result = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' });
  chromiumVersionCache = result.stdout.match(/Chromium\s+([\d.]+)/)?.[1] ?? 'unknown';
  return chromiumVersionCache;
}

export async function openPage(
  browser: Browser,
  url: string,
): Promise<{ page: Page; api: PageApiProxy; cdp: CDPSession }> {
  const page = await browser.newPage();
  page.on('pageerror', (error) => log(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') log(`page console: ${message.text()}`);
  });
  await page.goto(new URL('bench/page/index.html', url).href);
  await page.waitForFunction(() => window.__sageBench !== undefined, undefined, { timeout: 120_000 });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  return { page, api: new PageApiProxy(page), cdp };
}

type PageMethod = keyof BenchPageApi;
type PageResult<M extends PageMethod> = Awaited<ReturnType<BenchPageApi[M]>>;

/** Calls window.__sageBench methods from Node. */
export class PageApiProxy {
  constructor(private readonly page: Page) {}

  private call<M extends PageMethod>(method: M, ...args: Parameters<BenchPageApi[M]>): Promise<PageResult<M>> {
    const result = this.page.evaluate(
      ([name, values]) => {
        const api = window.__sageBench;
        if (!api) throw new Error('the benchmark page has not set window.__sageBench');
        // one untyped call site on the page: each public method below fixes the types
        const fn = api[name] as (...parameters: unknown[]) => unknown;
        return fn.apply(api, values);
      },
      [method, args] as const,
    );
    return result as Promise<PageResult<M>>;
  }

  environment() {
    return this.call('environment');
  }
  load(device: BenchDevice, dtype: Dtype = DTYPE, towers?: { text: boolean; vision: boolean }) {
    return towers ? this.call('load', MODEL, device, dtype, towers) : this.call('load', MODEL, device, dtype);
  }
  releaseTextTower() {
    return this.call('releaseTextTower');
  }
  embedImagesDropping(count: number, batchSize: number, runTag: string) {
    return this.call('embedImagesDropping', count, batchSize, runTag);
  }
  embedImages(count: number, batchSize: number, runTag: string) {
    return this.call('embedImages', count, batchSize, runTag);
  }
  embedTexts(prompts: string[]) {
    return this.call('embedTexts', prompts);
  }
  startMemoryRun(count: number, batchSize: number, runTag: string) {
    return this.call('startMemoryRun', count, batchSize, runTag);
  }
  memoryRunProgress() {
    return this.call('memoryRunProgress');
  }
}

/** The Node side, in a child process. */
export class NodeSide {
  private readonly child: ChildProcess;
  private pending: ((response: NodeBenchResponse) => void) | null = null;

  constructor() {
    this.child = fork(join(ROOT, 'bench', 'nodeBench.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (message: NodeBenchResponse) => {
      const resolveResponse = this.pending;
      this.pending = null;
      resolveResponse?.(message);
    });
    this.child.on('exit', (code) => {
      if (this.pending) this.pending({ type: 'error', message: `Node bench process exited (code ${code})` });
      this.pending = null;
    });
  }

  request<T extends NodeBenchResponse['type']>(
    request: NodeBenchRequest,
    expected: T,
  ): Promise<Extract<NodeBenchResponse, { type: T }>> {
    return new Promise((resolveRequest, reject) => {
      this.pending = (response) => {
        if (response.type === expected) resolveRequest(response as Extract<NodeBenchResponse, { type: T }>);
        else
          reject(
            new Error(
              response.type === 'error'
                ? `node side: ${response.message}`
                : `node side: expected ${expected}, got ${response.type}`,
            ),
          );
      };
      this.child.send(request);
    });
  }

  stop(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}

/** VmRSS of every renderer process of `browser`, by pid (empty when the browser cannot list them). */
export async function rendererRss(browser: Browser): Promise<Map<number, number>> {
  const session = await browser.newBrowserCDPSession();
  const rss = new Map<number, number>();
  try {
    const info = (await session.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
    for (const process of info.processInfo) {
      const memory = process.type === 'renderer' ? processMemory(process.id) : null;
      if (memory) rss.set(process.id, memory.rssBytes);
    }
  } catch (error) {
    log(`cannot list browser processes (${errorMessage(error)})`);
  } finally {
    await session.detach().catch(() => undefined);
  }
  return rss;
}

/** The renderer that hosts the page (and so its worker and ORT's WASM threads): the largest renderer by RSS. */
export async function findRendererPid(browser: Browser): Promise<number | null> {
  const session = await browser.newBrowserCDPSession();
  try {
    const info = (await session.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
    let best: { pid: number; rss: number } | null = null;
    for (const process of info.processInfo) {
      if (process.type !== 'renderer') continue;
      const memory = processMemory(process.id);
      if (memory && (!best || memory.rssBytes > best.rss)) best = { pid: process.id, rss: memory.rssBytes };
    }
    return best?.pid ?? null;
  } catch (error) {
    log(`cannot list browser processes (${errorMessage(error)}); renderer RSS/CPU not measured`);
    return null;
  } finally {
    await session.detach().catch(() => undefined);
  }
}

export async function jsHeapUsed(cdp: CDPSession): Promise<number> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  return metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value ?? NaN;
}
