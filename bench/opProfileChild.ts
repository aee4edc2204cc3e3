/**
 * One profiled session in its own process (bench/opProfileRun.ts starts it): the vision tower on
 * onnxruntime-web's WASM build (the same .wasm file the app's worker loads, here run in Node with its
 * pthreads) or on onnxruntime-node, with `enableProfiling`, a warm-up run and `runs` timed runs at one batch
 * size. The WASM build prints its profile to stdout; the node build writes a file, whose path is reported.
 * Last stdout line: `@@result {json}`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { InferenceSession, Tensor } from 'onnxruntime-common';
import { RESULT_MARK, type ChildRequest, type ChildResult } from './opProfile';

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2] ?? '{}') as ChildRequest;
  const started = performance.now();
  const modelBytes = new Uint8Array(readFileSync(request.modelFile));
  let session: InferenceSession;
  let makeTensor: (data: Float32Array, dims: number[]) => Tensor;
  if (request.runtime === 'wasm') {
    const ort = await import('onnxruntime-web');
    ort.env.wasm.numThreads = request.threads;
    session = await ort.InferenceSession.create(modelBytes, {
      executionProviders: ['wasm'],
      graphOptimizationLevel: request.graphOptimizationLevel,
      enableProfiling: request.profile,
    });
    makeTensor = (data, dims) => new ort.Tensor('float32', data, dims);
  } else {
    const ort = await import('onnxruntime-node');
    session = await ort.InferenceSession.create(modelBytes, {
      executionProviders: ['cpu'],
      intraOpNumThreads: request.threads,
      graphOptimizationLevel: request.graphOptimizationLevel,
      enableProfiling: request.profile,
      profileFilePrefix: request.profilePrefix,
      ...(request.optimizedModelFilePath === undefined
        ? {}
        : { optimizedModelFilePath: request.optimizedModelFilePath }),
    });
    makeTensor = (data, dims) => new ort.Tensor('float32', data, dims);
  }
  const loadMs = performance.now() - started;
  const size = 3 * 224 * 224;
  // a smooth deterministic image per batch slot: the values only need to be finite and image-like
  const pixels = new Float32Array(request.batchSize * size);
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.sin(i * 0.001 + Math.floor(i / size)) * 1.5;
  const feeds = { pixel_values: makeTensor(pixels, [request.batchSize, 3, 224, 224]) };
  await session.run(feeds); // warm-up: first-run allocations and kernel packing
  const runMs: number[] = [];
  for (let r = 0; r < request.runs; r++) {
    const start = performance.now();
    await session.run(feeds);
    runMs.push(performance.now() - start);
  }
  let profileFile: string | null = null;
  if (request.profile) {
    // the WASM build prints its events here; the node build writes <prefix>_<date>.json
    session.endProfiling();
    if (request.runtime === 'native') {
      const folder = dirname(request.profilePrefix);
      const stem = basename(request.profilePrefix);
      const written = readdirSync(folder).find((name) => name.startsWith(`${stem}_`) && name.endsWith('.json'));
      profileFile = written === undefined ? null : join(folder, written);
    }
  }
  await session.release();
  const result: ChildResult = { loadMs, runMs, profileFile };
  console.log(`${RESULT_MARK}${JSON.stringify(result)}`);
  // the WASM build's pthreads keep Node alive
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
