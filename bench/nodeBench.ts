/**
 * Node side of the benchmark, run as a child process (so its peak RSS is its own and it never competes
 * with the browser for the two cores: the driver alternates requests). Goes through src/model's Node
 * path: loadClipNode → onnxruntime-node, sharp decoding, our preprocessing.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadedClip } from '../src/model/nodeClip';
import { loadClipNode } from '../src/model/nodeClip';
import { cycleImages, manifestImagePaths } from './images';
import type { ImageRun, NodeBenchRequest, NodeBenchResponse } from './protocol';
import { errorMessage } from '../src/core/errors';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const EXAMPLES = join(root, 'public', 'examples', 'waterbirds-lite');

let clip: LoadedClip | null = null;
let sources: Uint8Array[] | null = null;

function exampleImages(): Uint8Array[] {
  sources ??= manifestImagePaths(JSON.parse(readFileSync(join(EXAMPLES, 'manifest.json'), 'utf8'))).map(
    (path) => new Uint8Array(readFileSync(join(EXAMPLES, path))),
  );
  return sources;
}

function requireClip(): LoadedClip {
  if (!clip) throw new Error('no model loaded: send { type: "load" } first');
  return clip;
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

async function handle(request: NodeBenchRequest): Promise<NodeBenchResponse> {
  switch (request.type) {
    case 'load': {
      const start = performance.now();
      clip = await loadClipNode(request.modelDir, { dtype: request.dtype });
      return { type: 'loaded', info: { runtime: clip.runtime, dim: clip.dim, loadMs: performance.now() - start } };
    }
    case 'images': {
      const { embedder } = requireClip();
      const images = cycleImages(exampleImages(), request.count, request.runTag).map((image) => ({
        id: image.id,
        read: async () => image.bytes,
      }));
      const run: ImageRun = { images: images.length, wallMs: 0, batches: [], failed: [] };
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      for await (const batch of embedder.embedImages(images, request.batchSize)) {
        run.batches.push({ arrivalMs: performance.now() - start, timings: batch.timings });
        for (const outcome of batch.outcomes) if (!outcome.ok) run.failed.push(`${outcome.id}: ${outcome.reason}`);
      }
      run.wallMs = performance.now() - start;
      run.cpuMs = cpuMsSince(cpuStart);
      return { type: 'images', run };
    }
    case 'texts': {
      const { embedder } = requireClip();
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      // the worker's text batch size (src/worker/clipWorker.ts), so both sides batch prompts alike
      await embedder.embedTexts(request.prompts, 64);
      return {
        type: 'texts',
        run: { prompts: request.prompts.length, wallMs: performance.now() - start, cpuMs: cpuMsSince(cpuStart) },
      };
    }
    case 'memory': {
      const usage = process.memoryUsage();
      // maxRSS is the kernel's high-water mark (KiB), so no sample can miss the peak
      return {
        type: 'memory',
        rssBytes: usage.rss,
        peakRssBytes: process.resourceUsage().maxRSS * 1024,
        heapUsedBytes: usage.heapUsed,
      };
    }
  }
}

process.on('message', (message: NodeBenchRequest) => {
  handle(message)
    .catch((error: unknown): NodeBenchResponse => ({
      type: 'error',
      message: errorMessage(error),
    }))
    .then((response) => process.send?.(response));
});
