/// <reference lib="webworker" />
/** The bundle worker: reads dropped bundle files off the page's thread (protocol: BundleParseRequest). */
import { answerBundleRequest } from './bundleParse';
import type { BundleParseRequest } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

self.addEventListener('message', (event: MessageEvent<BundleParseRequest>) => {
  void answerBundleRequest(event.data, (message, transfer) => self.postMessage(message, transfer));
});
