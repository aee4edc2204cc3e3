/**
 * The training worker's logic, apart from the worker global so tests run it in Node (trainWorker.ts only wires
 * it to `self`). It steps core's AdapterTrainer one epoch at a time and gives the event loop a turn between
 * epochs, so a `cancel` message is seen without a shared-memory flag (the page is not always cross-origin
 * isolated). The numbers are core's: the CLI's `finetune` runs the same trainer, epoch for epoch.
 */
import { AdapterTrainer } from '../core/adapter';
import { errorMessage } from '../core/errors';
import type { TrainRequest, TrainResponse } from './trainProtocol';

export type PostTrainMessage = (message: TrainResponse, transfer: Transferable[]) => void;

/** A macrotask turn, so messages queued while an epoch ran (a cancel) are handled before the next epoch. */
export type Yield = () => Promise<void>;

const nextTask: Yield = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Handles the page's messages for one worker: returns the message handler. */
export function trainRequestHandler(
  post: PostTrainMessage,
  yieldTurn: Yield = nextTask,
): (request: TrainRequest) => Promise<void> {
  const cancelled = new Set<number>();
  return async (request) => {
    if (request.type === 'cancel') {
      cancelled.add(request.requestId);
      return;
    }
    const { requestId } = request;
    let trainer: AdapterTrainer;
    try {
      trainer = new AdapterTrainer(request.data, request.options);
    } catch (error) {
      post({ type: 'trainFailed', requestId, message: errorMessage(error) }, []);
      return;
    }
    try {
      while (!trainer.done) {
        const report = trainer.runEpoch();
        post({ type: 'trainEpoch', requestId, report }, []);
        await yieldTurn();
        if (cancelled.has(requestId)) trainer.stop();
      }
      const adapter = trainer.result();
      post({ type: 'trained', requestId, adapter }, [adapter.W_v.buffer, adapter.W_t.buffer]);
    } catch (error) {
      post({ type: 'trainFailed', requestId, message: `training stopped: ${errorMessage(error)}` }, []);
    } finally {
      cancelled.delete(requestId);
    }
  };
}
