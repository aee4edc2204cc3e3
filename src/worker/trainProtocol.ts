/**
 * The typed message protocol between the page and the training worker (issue 15). One training per worker:
 * `train` starts it, `cancel` stops it after the epoch in progress; the worker answers with one `trainEpoch`
 * per finished epoch and then exactly one `trained` (the best epoch's adapter, `cancelled` set when stopped
 * early) or `trainFailed` (a sentence for the user).
 */
import type { AdapterOptions, AdapterTrainingData, EpochReport, TrainedAdapter } from '../core/adapter';

export type TrainRequest =
  | { type: 'train'; requestId: number; data: AdapterTrainingData; options: Partial<AdapterOptions> }
  | { type: 'cancel'; requestId: number };

export type TrainResponse =
  | { type: 'trainEpoch'; requestId: number; report: EpochReport }
  | { type: 'trained'; requestId: number; adapter: TrainedAdapter }
  | { type: 'trainFailed'; requestId: number; message: string };
