import { beforeEach, describe, expect, it } from 'vitest';
import { checkExplorerConfig } from '../share/configValidation';
import { currentConfig } from './config';
import { useDataset } from './dataset';
import { useResults } from './results';

beforeEach(() => {
  useDataset.getState().clear();
  useResults.getState().clear();
});

describe('currentConfig', () => {
  it('records the zero-shot template the method uses, so a report of an 8-template bundle is valid', () => {
    const templates = Array.from({ length: 8 }, (_, t) => `template ${t} of a {}.`);
    useResults.getState().begin({
      source: { kind: 'bundle', label: 'small.json' },
      model: 'm',
      dim: 2,
      classes: ['landbird', 'waterbird'],
      templates,
      text: new Float32Array(8 * 2 * 2).fill(1),
      expected: 0,
    });
    expect(useResults.getState().view.zeroshotTemplate).toBe(39);
    const config = currentConfig();
    expect(config.zeroshotTemplate).toBe(7);
    expect(checkExplorerConfig(config)).toMatchObject({ ok: true });
  });
});
