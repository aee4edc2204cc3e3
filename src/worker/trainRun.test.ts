/** The training worker's logic (issue 15): a report per epoch, a cancel seen between epochs, failures in words. */
import { describe, expect, it } from 'vitest';
import { adapterDataFromBundle, chooseTrainingTemplates } from '../core/adapter';
import { plantedBundle } from '../core/plantedBundle.fixture';
import { stratifiedSplit } from '../core/splits';
import type { TrainResponse } from './trainProtocol';
import { trainRequestHandler } from './trainRun';

function data() {
  const bundle = plantedBundle({ seed: 1, dim: 8, perClass: 30 });
  return adapterDataFromBundle(bundle, {
    splits: stratifiedSplit(bundle.images, 2),
    templates: chooseTrainingTemplates(bundle.templates),
  });
}

describe('trainRequestHandler', () => {
  it('reports every epoch, then the adapter', async () => {
    const messages: TrainResponse[] = [];
    const handle = trainRequestHandler((message) => messages.push(message));
    await handle({ type: 'train', requestId: 7, data: data(), options: { epochs: 3 } });
    expect(messages.map((m) => m.type)).toEqual(['trainEpoch', 'trainEpoch', 'trainEpoch', 'trained']);
    const last = messages[3];
    if (last.type !== 'trained') throw new Error('no adapter');
    expect(last.requestId).toBe(7);
    expect(last.adapter.epochs).toBe(3);
    expect(last.adapter.cancelled).toBe(false);
  });

  it('a cancel that arrives during an epoch stops training after it, keeping the best epoch so far', async () => {
    const messages: TrainResponse[] = [];
    let handle: ReturnType<typeof trainRequestHandler> | null = null;
    handle = trainRequestHandler((message) => {
      messages.push(message);
      // the page answers the first epoch's report with a cancel, delivered as a later message, as a Worker would
      if (message.type === 'trainEpoch' && message.report.epoch === 1)
        setTimeout(() => void handle?.({ type: 'cancel', requestId: 1 }), 0);
    });
    await handle({ type: 'train', requestId: 1, data: data(), options: { epochs: 50 } });
    const last = messages.at(-1);
    if (last?.type !== 'trained') throw new Error('no adapter');
    expect(last.adapter.epochs).toBe(1);
    expect(last.adapter.cancelled).toBe(true);
    expect(last.adapter.bestEpoch).toBe(1);
  });

  it('says in words why data cannot train', async () => {
    const messages: TrainResponse[] = [];
    const handle = trainRequestHandler((message) => messages.push(message));
    const unusable = { ...data(), attributes: [], attributeText: new Float32Array(0) };
    await handle({ type: 'train', requestId: 2, data: unusable, options: {} });
    expect(messages).toHaveLength(1);
    const failed = messages[0];
    if (failed.type !== 'trainFailed') throw new Error('expected a failure');
    expect(failed.message).toContain('needs attribute words');
  });
});
