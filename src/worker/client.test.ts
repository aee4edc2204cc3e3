import { describe, expect, it, vi } from 'vitest';
import type { RuntimeInfo } from '../core/config';
import { ClipWorkerClient, ClipWorkerError, type WorkerLike } from './client';
import type { ImageInput, WorkerRequest, WorkerResponse } from './protocol';

const runtime: RuntimeInfo = {
  backend: 'wasm',
  dtype: 'fp32',
  threads: 1,
  modelId: 'local:tiny',
  crossOriginIsolated: false,
  notes: [],
};

/** An in-memory worker: embeds each image as [index], crashes (error event) at the chosen image counts. */
class FakeWorker implements WorkerLike {
  static crashesLeft = 0;
  static crashAfterImages = 2;
  static instances: FakeWorker[] = [];
  readonly received: WorkerRequest[] = [];
  private messageListeners: ((event: MessageEvent<WorkerResponse>) => void)[] = [];
  private errorListeners: ((event: ErrorEvent) => void)[] = [];
  terminated = false;
  constructor() {
    FakeWorker.instances.push(this);
  }
  addEventListener(type: 'message' | 'error', listener: never): void {
    if (type === 'message') this.messageListeners.push(listener);
    else this.errorListeners.push(listener);
  }
  terminate(): void {
    this.terminated = true;
  }
  private emit(message: WorkerResponse): void {
    for (const listener of this.messageListeners) listener({ data: message } as MessageEvent<WorkerResponse>);
  }
  /** requestIds a cancel message arrived for */
  readonly cancelled = new Set<number>();
  /** when set, embedImages emits one batch per macrotask so a cancel can arrive between batches */
  static paced = false;
  postMessage(request: WorkerRequest): void {
    this.received.push(request);
    if (request.type === 'cancel') {
      this.cancelled.add(request.requestId);
      return;
    }
    if (request.type === 'embedImages' && FakeWorker.paced) void this.paced(request);
    else queueMicrotask(() => this.handle(request));
  }
  /** Like the real worker: checks for cancel between batches, answers 'cancelled' instead of 'done'. */
  private async paced(request: Extract<WorkerRequest, { type: 'embedImages' }>): Promise<void> {
    for (let start = 0; start < request.images.length; start += request.batchSize) {
      await new Promise((tick) => setTimeout(tick, 0));
      if (this.cancelled.has(request.requestId)) {
        this.emit({ type: 'cancelled', requestId: request.requestId });
        return;
      }
      const chunk = request.images.slice(start, start + request.batchSize);
      this.emit({
        type: 'imageBatch',
        requestId: request.requestId,
        dim: 1,
        outcomes: chunk.map((image) => ({
          id: image.id,
          ok: true as const,
          embedding: new Float32Array([Number(image.id)]),
          fromCache: false,
        })),
        timings: { decode: 0, preprocess: 0, encode: 0, batchSize: chunk.length },
      });
    }
    this.emit({ type: 'done', requestId: request.requestId });
  }
  private handle(request: WorkerRequest): void {
    if (request.type === 'load') {
      this.emit({
        type: 'progress',
        requestId: request.requestId,
        phase: 'download',
        file: 'onnx/vision_model.onnx',
        loaded: 5,
        total: 10,
      });
      this.emit({
        type: 'progress',
        requestId: request.requestId,
        phase: 'download',
        file: 'onnx/text_model.onnx',
        loaded: 20,
        total: 20,
      });
      this.emit({ type: 'loaded', requestId: request.requestId, runtime, dim: 1 });
    } else if (request.type === 'embedImages') {
      request.images.forEach((image, i) => {
        if (this.terminated) return;
        if (i === FakeWorker.crashAfterImages && FakeWorker.crashesLeft > 0) {
          FakeWorker.crashesLeft--;
          for (const listener of this.errorListeners)
            listener({ message: 'out of memory', preventDefault() {} } as ErrorEvent);
          return;
        }
        this.emit({
          type: 'imageBatch',
          requestId: request.requestId,
          dim: 1,
          outcomes: [{ id: image.id, ok: true, embedding: new Float32Array([Number(image.id)]), fromCache: false }],
          timings: { decode: 0, preprocess: 0, encode: 0, batchSize: 1 },
        });
      });
      if (!this.terminated) this.emit({ type: 'done', requestId: request.requestId });
    } else if (request.type === 'embedText') {
      if (request.prompts[0] === 'a')
        this.emit({
          type: 'error',
          requestId: request.requestId,
          message: 'no model loaded: send a load request first',
        });
      else
        this.emit({
          type: 'textEmbeddings',
          requestId: request.requestId,
          dim: 1,
          embeddings: Float32Array.from(request.prompts, (prompt) => prompt.length),
          fromCache: 0,
          truncated: request.prompts.filter((prompt) => prompt.length > 10),
        });
    }
  }
}

const images: ImageInput[] = ['0', '1', '2', '3', '4'].map((id) => ({ id, data: new ArrayBuffer(1) }));

function newClient(maxRestarts = 3) {
  FakeWorker.instances = [];
  return new ClipWorkerClient({ createWorker: () => new FakeWorker(), maxRestarts, appBaseUrl: 'http://app.test/' });
}

describe('ClipWorkerClient', () => {
  // first in the file: the client asks for persistent storage once per page
  it('load asks once for persistent storage (navigator.storage.persist)', async () => {
    const persist = vi.fn(async () => true);
    vi.stubGlobal('navigator', { storage: { persist } });
    try {
      const client = newClient();
      await client.load({ kind: 'local', name: 'tiny' }, 'wasm');
      await client.load({ kind: 'local', name: 'tiny' }, 'wasm');
      expect(persist).toHaveBeenCalledTimes(1);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('load reports bytes per file and summed, and returns runtime + dim', async () => {
    const client = newClient();
    const seen: [number, number][] = [];
    const result = await client.load({ kind: 'local', name: 'tiny' }, 'wasm', undefined, (p) =>
      seen.push([p.loadedBytes, p.totalBytes]),
    );
    expect(result).toEqual({ runtime, dim: 1 });
    expect(seen).toEqual([
      [5, 10],
      [25, 30],
    ]);
    expect(FakeWorker.instances[0].received[0]).toMatchObject({ type: 'load', appBaseUrl: 'http://app.test/' });
  });

  it('restarts a crashed worker, reloads the model and resends only unanswered images', async () => {
    const client = newClient();
    await client.load({ kind: 'local', name: 'tiny' }, 'wasm');
    FakeWorker.crashesLeft = 1;
    FakeWorker.crashAfterImages = 2;
    const restarts: number[] = [];
    client.onRestart((event) => restarts.push(event.attempt));
    const got: string[] = [];
    const summary = await client.embedImages(images, 1, (batch) => got.push(...batch.outcomes.map((o) => o.id)));
    expect(summary).toMatchObject({ embedded: 5, failed: 0, restarts: 1, cancelled: false });
    expect(got).toEqual(['0', '1', '2', '3', '4']);
    expect(restarts).toEqual([1]);
    expect(FakeWorker.instances).toHaveLength(2);
    expect(FakeWorker.instances[0].terminated).toBe(true);
    const second = FakeWorker.instances[1].received;
    expect(second.map((r) => r.type)).toEqual(['load', 'embedImages']);
    const resent = second[1];
    expect(resent.type === 'embedImages' && resent.images.map((i) => i.id)).toEqual(['2', '3', '4']);
  });

  it('gives up after maxRestarts with a clear error', async () => {
    const client = newClient(1);
    await client.load({ kind: 'local', name: 'tiny' }, 'wasm');
    FakeWorker.crashesLeft = 5;
    FakeWorker.crashAfterImages = 0;
    await expect(client.embedImages(images, 1, () => {})).rejects.toThrow(/crashed 2 time\(s\): out of memory/);
    FakeWorker.crashesLeft = 0;
  });

  it('cancel stops an image run within one batch: it resolves cancelled with the batches done so far', async () => {
    const client = newClient();
    await client.load({ kind: 'local', name: 'tiny' }, 'wasm');
    FakeWorker.paced = true;
    try {
      const got: string[] = [];
      const summary = await client.embedImages(images, 2, (batch) => {
        got.push(...batch.outcomes.map((o) => o.id));
        client.cancel();
      });
      expect(summary).toMatchObject({ cancelled: true, embedded: 2, restarts: 0 });
      expect(got).toEqual(['0', '1']);
      const worker = FakeWorker.instances[0];
      const run = worker.received.find((r) => r.type === 'embedImages');
      const cancel = worker.received.find((r) => r.type === 'cancel');
      expect(cancel?.requestId).toBe(run?.requestId);
    } finally {
      FakeWorker.paced = false;
    }
  });

  it('embedText resolves with the embeddings and the prompts the worker had to cut', async () => {
    const client = newClient();
    const text = await client.embedText(['short', 'a prompt that is too long']);
    expect(Array.from(text.embeddings)).toEqual([5, 25]);
    expect(text.truncated).toEqual(['a prompt that is too long']);
  });

  it('worker errors reject with ClipWorkerError carrying the message', async () => {
    const client = newClient();
    await expect(client.embedText(['a'])).rejects.toBeInstanceOf(ClipWorkerError);
  });
});
