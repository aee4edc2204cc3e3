/// <reference lib="webworker" />
/**
 * The CLIP worker: answers the protocol in ./protocol.ts. One model at a time; requests run concurrently
 * with cancel messages (cancel aborts between batches, so it takes effect within one batch).
 */
import type { RuntimeInfo } from '../core/config';
import { answerCachedLookup, epochNow, toImageSource } from './cachedLookup';
import { probeCapabilities, type Capabilities } from '../model/backend';
import { loadClip, ModelLoadError, type LoadedClip } from '../model/clipRuntime';
import { promptTokenIds } from '../model/clipTokenizer';
import { decodeImageBrowser } from '../model/decodeBrowser';
import { EmbeddingCancelled } from '../model/embedder';
import { MemoryEmbeddingCache, ResilientEmbeddingCache, type EmbeddingCache } from '../model/embeddingCache';
import { IdbEmbeddingCache } from '../model/idbEmbeddingCache';
import { configureModelSource } from '../model/modelSource';
import { loadTokenizer } from '../model/transformersClip';
import type { ImageOutcome, TimedMark, WorkerRequest, WorkerResponse } from './protocol';
import { errorMessage } from '../core/errors';

declare const self: DedicatedWorkerGlobalScope;

const TEXT_BATCH = 64;

/** when the worker's thread started, and when its modules (transformers.js, ORT's JS) had been evaluated */
const startupMarks: TimedMark[] = [
  { name: 'worker: thread started', at: performance.timeOrigin },
  { name: 'worker: modules evaluated', at: epochNow() },
];

let loaded: LoadedClip | null = null;
let cachePromise: Promise<EmbeddingCache> | null = null;
const controllers = new Map<number, AbortController>();

function post(message: WorkerResponse): void {
  self.postMessage(message);
}

function openCache(): Promise<EmbeddingCache> {
  cachePromise ??= IdbEmbeddingCache.open().then(
    (idb) => new ResilientEmbeddingCache(idb),
    (error: unknown) => new ResilientEmbeddingCache(null, errorMessage(error)),
  );
  return cachePromise;
}

function probe(): Promise<Capabilities> {
  return probeCapabilities(
    self.navigator as unknown as Parameters<typeof probeCapabilities>[0],
    self.crossOriginIsolated === true,
  );
}

/** What the loaded model was loaded from: a same-key load keeps it (a dropped folder is always loaded again). */
let loadedKey: string | null = null;

function loadKey(request: Extract<WorkerRequest, { type: 'load' }>): string | null {
  const { source } = request;
  if (source.kind === 'files') return null;
  const where = source.kind === 'hub' ? source.id : source.name;
  return JSON.stringify([
    source.kind,
    where,
    request.backend,
    request.dtype ?? null,
    request.appBaseUrl ?? null,
    request.embeddingCache ?? 'persistent',
  ]);
}

async function handleLoad(request: Extract<WorkerRequest, { type: 'load' }>): Promise<void> {
  const key = loadKey(request);
  if (loaded && key !== null && key === loadedKey) {
    // the same model again (a re-run): keep it; a tower it lacks is created on first use
    post({ type: 'loaded', requestId: request.requestId, runtime: loaded.runtime, dim: loaded.dim });
    return;
  }
  const previous = loaded;
  loaded = null;
  loadedKey = null;
  await previous?.embedder.dispose().catch(() => undefined);
  const capabilities = await probe();
  loaded = await loadClip({
    location: request.source,
    preference: request.backend,
    dtype: request.dtype,
    capabilities,
    decode: decodeImageBrowser,
    cache: request.embeddingCache === 'memory' ? new MemoryEmbeddingCache() : await openCache(),
    appBaseUrl: request.appBaseUrl ?? self.location.href,
    onFile: (progress) =>
      post({
        type: 'progress',
        requestId: request.requestId,
        phase: 'download',
        file: progress.file,
        loaded: progress.loaded,
        total: progress.total,
      }),
    onFallback: (event, runtime: RuntimeInfo) =>
      post({
        type: 'backendFallback',
        requestId: request.requestId,
        from: event.from,
        to: event.to,
        reason: event.reason,
        runtime,
      }),
    towersAtLoad: request.towers,
  });
  loadedKey = key;
  post({ type: 'loaded', requestId: request.requestId, runtime: loaded.runtime, dim: loaded.dim });
}

/**
 * Issue 16 §3: answers from the embedding cache alone whether the run needs the model (the page asks here when
 * it could not tell on its own thread: cachedLookup.ts).
 */
async function handleLookupCached(request: Extract<WorkerRequest, { type: 'lookupCached' }>): Promise<void> {
  const received: TimedMark = { name: 'worker: lookup request received', at: epochNow() };
  const resolved = configureModelSource(request.source, request.appBaseUrl ?? self.location.href);
  const answer = await answerCachedLookup(
    {
      modelId: resolved.modelId,
      backend: request.backend,
      dtype: request.dtype,
      prompts: request.prompts,
      images: request.images,
    },
    {
      capabilities: probe,
      openCache,
      truncatedPrompts: async (long) => {
        const tokenizer = await loadTokenizer(resolved.ref);
        return long.filter((prompt) => promptTokenIds(tokenizer, prompt).truncated);
      },
      where: 'worker',
    },
  );
  // with a tokenizer at hand the worker always answers
  if (!answer) throw new Error('the embedding cache could not be checked');
  const marks = [
    ...startupMarks.splice(0),
    received,
    ...answer.marks,
    { name: 'worker: answer posted', at: epochNow() },
  ];
  post({ type: 'cacheLookup', requestId: request.requestId, runtime: answer.runtime, lookup: answer.lookup, marks });
}

function requireLoaded(): LoadedClip {
  if (!loaded) throw new Error('no model loaded: send a load request first');
  return loaded;
}

async function handleEmbedText(
  request: Extract<WorkerRequest, { type: 'embedText' }>,
  signal: AbortSignal,
): Promise<void> {
  const { embedder, dim } = requireLoaded();
  request.prompts.forEach((prompt, i) => {
    if (typeof prompt !== 'string') throw new Error(`prompts[${i}]: expected a string`);
  });
  const { embeddings, fromCache, truncated } = await embedder.embedTexts(
    request.prompts,
    TEXT_BATCH,
    signal,
    (done, total) => post({ type: 'progress', requestId: request.requestId, phase: 'text', loaded: done, total }),
  );
  post({ type: 'textEmbeddings', requestId: request.requestId, dim, embeddings, fromCache, truncated });
}

async function handleEmbedImages(
  request: Extract<WorkerRequest, { type: 'embedImages' }>,
  signal: AbortSignal,
): Promise<void> {
  const { embedder } = requireLoaded();
  const sources = request.images.map(toImageSource);
  // before the vision tower's first batch, so the two never hold memory together (state/run.ts: the rule)
  if (request.releaseTextTower) await embedder.releaseTextTower();
  const cache = await openCache();
  // a quota error mid-run degrades the cache to memory; say so when it happens, not at the next load
  let reportedNote = cache.note;
  let done = 0;
  for await (const batch of embedder.embedImages(sources, request.batchSize, signal)) {
    done += batch.outcomes.length;
    const outcomes: ImageOutcome[] = batch.outcomes;
    const note = cache.note;
    const cacheNote = note !== null && note !== reportedNote ? note : undefined;
    reportedNote = note;
    post({
      type: 'imageBatch',
      requestId: request.requestId,
      dim: embedder.dim,
      outcomes,
      timings: batch.timings,
      cacheNote,
      towers: embedder.loadedTowers(),
    });
    post({ type: 'progress', requestId: request.requestId, phase: 'images', loaded: done, total: sources.length });
  }
}

self.addEventListener('message', (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  if (request.type === 'cancel') {
    controllers.get(request.requestId)?.abort();
    return;
  }
  const controller = new AbortController();
  controllers.set(request.requestId, controller);
  const run = async () => {
    switch (request.type) {
      case 'load':
        return handleLoad(request);
      case 'lookupCached':
        return handleLookupCached(request);
      case 'embedText':
        return handleEmbedText(request, controller.signal);
      case 'releaseTextTower':
        await loaded?.embedder.releaseTextTower();
        post({ type: 'done', requestId: request.requestId });
        return;
      case 'embedImages':
        await handleEmbedImages(request, controller.signal);
        post({ type: 'done', requestId: request.requestId });
        return;
    }
  };
  run()
    .catch((error: unknown) => {
      if (error instanceof EmbeddingCancelled) post({ type: 'cancelled', requestId: request.requestId });
      else if (error instanceof ModelLoadError)
        post({ type: 'error', requestId: request.requestId, message: error.message, file: error.file, url: error.url });
      else
        post({
          type: 'error',
          requestId: request.requestId,
          message: errorMessage(error),
        });
    })
    .finally(() => controllers.delete(request.requestId));
});
