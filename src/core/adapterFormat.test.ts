import { describe, expect, it } from 'vitest';
import { adapterDataFromBundle } from './adapterBundle';
import { AdapterError, parseAdapter, serializeAdapter } from './adapterFormat';
import { chooseTrainingTemplates } from './adapterOptions';
import { trainAdapter } from './adapterTrain';
import type { TrainedAdapter } from './adapterTypes';
import { floatsToBase64 } from './base64';
import { plantedBundle } from './plantedBundle.fixture';
import { stratifiedSplit } from './splits';

function trained(): TrainedAdapter {
  const bundle = plantedBundle({ seed: 4, dim: 8, perClass: 30 });
  const splits = stratifiedSplit(bundle.images, 4);
  const data = adapterDataFromBundle(bundle, { splits, templates: chooseTrainingTemplates(bundle.templates) });
  return trainAdapter(data, { variant: 'vs', epochs: 3, seed: 9 });
}

function edited(change: (json: Record<string, unknown>) => void): Record<string, unknown> {
  const json = JSON.parse(serializeAdapter(trained())) as Record<string, unknown>;
  change(json);
  return json;
}

describe('sage-adapter/1 file', () => {
  it('round-trips every field and float32 exactly', () => {
    const adapter = trained();
    const text = serializeAdapter(adapter);
    expect(parseAdapter(text)).toEqual(adapter);
    expect(JSON.parse(text)).toMatchObject({ format: 'sage-adapter/1', variant: 'vs', seed: 9, epochs: 3, dim: 8 });
  });

  it("writes an empty validation split's NaN as null and reads it back as NaN", () => {
    const adapter = { ...trained(), history: [{ trainLoss: 1.5, valWGA: NaN, valAcc: NaN }] };
    const text = serializeAdapter(adapter);
    expect(text).toContain('{"trainLoss":1.5,"valWGA":null,"valAcc":null}');
    expect(parseAdapter(text).history[0].valWGA).toBeNaN();
  });

  it('explains problems in words, naming the field', () => {
    const cases: [Record<string, unknown> | string, string, string][] = [
      ['{', '(json)', 'this file is not valid JSON'],
      [
        { format: 'sage-embeddings/1' },
        'format',
        'this file is not a SAGE adapter: its format is "sage-embeddings/1", expected "sage-adapter/1"',
      ],
      [
        edited((j) => (j.W_v = floatsToBase64(new Float32Array(63)))),
        'W_v',
        'image matrix W_v (field "W_v") holds 63 numbers, expected 8 × 8 = 64',
      ],
      [
        edited((j) => (j.variant = 'xs')),
        'variant',
        'variant (field "variant") should be one of "ls", "vs", but is "xs"',
      ],
      [
        edited((j) => delete j.templates),
        'templates',
        'this file is not a SAGE adapter: it has no template list (field "templates")',
      ],
      [edited((j) => ((j.classes as unknown[])[1] = 3)), 'classes[1]', 'class 2 should be text, but is 3'],
      [edited((j) => (j.bestEpoch = 7)), 'bestEpoch', 'the best epoch (7) is after the last one (3)'],
    ];
    for (const [input, field, message] of cases) {
      let error: unknown;
      try {
        parseAdapter(input);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(AdapterError);
      expect((error as AdapterError).field).toBe(field);
      expect((error as AdapterError).message).toContain(message);
    }
  });
});
