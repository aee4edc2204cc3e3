/**
 * The page's side of the training worker: one worker per training, ended when the adapter arrives, so a
 * finished or failed training leaves nothing running. Cancel asks the worker to stop after the current epoch
 * (the best epoch so far is kept); a worker that dies (e.g. out of memory) rejects with a sentence.
 */
import type { AdapterOptions, AdapterTrainingData, EpochReport, TrainedAdapter } from '../core/adapter';
import type { TrainRequest, TrainResponse } from './trainProtocol';

/** The part of Worker this uses (tests pass a fake that runs trainRun in-process). */
export interface TrainWorkerLike {
  postMessage(message: TrainRequest, transfer?: Transferable[]): void;
  terminate(): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<TrainResponse>) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
}

export function createTrainWorker(): TrainWorkerLike {
  return new Worker(new URL('./trainWorker.ts', import.meta.url), { type: 'module', name: 'train-worker' });
}

export class TrainingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrainingError';
  }
}

export interface TrainingJob {
  /** the best epoch's adapter (cancelled: the best epoch before the cancel) */
  adapter: Promise<TrainedAdapter>;
  /** stop after the epoch in progress */
  cancel(): void;
}

const REQUEST_ID = 1;

export function trainInWorker(
  data: AdapterTrainingData,
  options: Partial<AdapterOptions>,
  onEpoch: (report: EpochReport) => void,
  createWorker: () => TrainWorkerLike = createTrainWorker,
): TrainingJob {
  const worker = createWorker();
  const adapter = new Promise<TrainedAdapter>((resolve, reject) => {
    worker.addEventListener('message', (event) => {
      const message = event.data;
      if (message.type === 'trainEpoch') {
        onEpoch(message.report);
        return;
      }
      worker.terminate();
      if (message.type === 'trained') resolve(message.adapter);
      else reject(new TrainingError(message.message));
    });
    worker.addEventListener('error', (event) => {
      worker.terminate();
      reject(new TrainingError(`the training stopped unexpectedly (${event.message || 'the worker ended'})`));
    });
  });
  // the embeddings are copied, not transferred: the results view keeps using its own arrays
  worker.postMessage({ type: 'train', requestId: REQUEST_ID, data, options });
  return { adapter, cancel: () => worker.postMessage({ type: 'cancel', requestId: REQUEST_ID }) };
}
