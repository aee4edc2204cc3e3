/// <reference lib="webworker" />
/** The training worker (issue 15): trains a Yang et al. adapter off the page's thread (protocol: trainProtocol.ts). */
import type { TrainRequest } from './trainProtocol';
import { trainRequestHandler } from './trainRun';

declare const self: DedicatedWorkerGlobalScope;

const handle = trainRequestHandler((message, transfer) => self.postMessage(message, transfer));

self.addEventListener('message', (event: MessageEvent<TrainRequest>) => {
  void handle(event.data);
});
