/**
 * The bundle worker's work, apart from the worker global so it runs in tests: read a bundle Blob (either
 * version), stream throttled progress, answer with the bundle and the list of its buffers to transfer; when asked,
 * also score the images and build the results' first tables (bundleAnalysis.ts) before answering.
 */
import { BundleError, blobSource, readBundle } from '../core';
import { errorMessage } from '../core/errors';
import type { EmbeddingBundle } from '../core/types';
import { analyseBundle, precomputedBuffers } from './bundleAnalysis';
import type { BundleParseRequest, BundleParseResponse } from './protocol';

/** Progress at most this often (ms): enough for a smooth bar, few messages for the page to handle. */
const PROGRESS_INTERVAL_MS = 50;

/** Every distinct buffer behind the bundle's vectors: transferred, so the page gets them without a copy. */
export function bundleBuffers(bundle: EmbeddingBundle): ArrayBuffer[] {
  const buffers = new Set<ArrayBufferLike>([bundle.text.buffer, bundle.imageEmbeddings.buffer]);
  for (const g of bundle.groupPrompts ?? []) buffers.add(g.embedding.buffer);
  for (const p of bundle.prompts ?? []) buffers.add(p.embedding.buffer);
  return [...buffers].filter((buffer): buffer is ArrayBuffer => buffer instanceof ArrayBuffer);
}

type BundleStage = Extract<BundleParseResponse, { type: 'bundleProgress' }>['stage'];

export async function answerBundleRequest(
  request: BundleParseRequest,
  post: (message: BundleParseResponse, transfer: ArrayBuffer[]) => void,
  now: () => number = () => performance.now(),
): Promise<void> {
  const { requestId } = request;
  let lastPost = -Infinity;
  let lastStage = '';
  const progress = (stage: BundleStage, done: number, total: number) => {
    const time = now();
    if (stage === lastStage && done < total && time - lastPost < PROGRESS_INTERVAL_MS) return;
    lastPost = time;
    lastStage = stage;
    post({ type: 'bundleProgress', requestId, stage, done, total }, []);
  };
  try {
    if (!(request.file instanceof Blob)) throw new Error('parseBundle: file should be a Blob');
    const bundle = await readBundle(blobSource(request.file), ({ stage, done, total }) => progress(stage, done, total));
    if (request.analyse === undefined) {
      post({ type: 'bundleParsed', requestId, bundle }, bundleBuffers(bundle));
      return;
    }
    const precomputed = analyseBundle(bundle, request.analyse, progress);
    post({ type: 'bundleParsed', requestId, bundle, precomputed }, [
      ...new Set([...bundleBuffers(bundle), ...precomputedBuffers(precomputed)]),
    ]);
  } catch (error) {
    const field = error instanceof BundleError ? error.field : undefined;
    post({ type: 'bundleError', requestId, message: errorMessage(error), ...(field ? { field } : {}) }, []);
  }
}
