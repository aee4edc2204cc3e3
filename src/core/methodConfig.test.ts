import { describe, expect, it } from 'vitest';
import { type MethodSettings, describeConfig, effectiveK, methodConfig } from './methodConfig';

const SETTINGS: MethodSettings = { k: 3, template: 39, seed: 7, aggregate: 'score', poolSize: 80, templateCount: 80 };

describe('methodConfig', () => {
  it('gives each method exactly the settings it uses', () => {
    expect(methodConfig('zeroshot', SETTINGS)).toEqual({ method: 'zeroshot', template: 39 });
    expect(methodConfig('ensemble', SETTINGS)).toEqual({ method: 'ensemble', aggregate: 'score' });
    expect(methodConfig('random', SETTINGS)).toEqual({ method: 'random', k: 3, seed: 7, aggregate: 'score' });
    expect(methodConfig('sage', SETTINGS)).toEqual({ method: 'sage', k: 3, aggregate: 'score' });
    expect(methodConfig('groupprompt', SETTINGS)).toEqual({ method: 'groupprompt' });
  });

  it('clamps K to 1..poolSize', () => {
    expect(methodConfig('sage', { ...SETTINGS, k: 12, poolSize: 5 })).toEqual({
      method: 'sage',
      k: 5,
      aggregate: 'score',
    });
    expect(methodConfig('random', { ...SETTINGS, k: 0 })).toMatchObject({ k: 1 });
  });

  it('clamps the zero-shot template to the whole bundle, not to a chosen subset', () => {
    // a CLI run with --templates 0,1 --template 39 keeps template 39
    expect(methodConfig('zeroshot', { ...SETTINGS, poolSize: 2 })).toEqual({ method: 'zeroshot', template: 39 });
    // the app keeps the template index when the pool shrinks to 10 templates
    expect(methodConfig('zeroshot', { ...SETTINGS, poolSize: 10, templateCount: 10 })).toEqual({
      method: 'zeroshot',
      template: 9,
    });
  });
});

describe('effectiveK and describeConfig', () => {
  it('count the templates each method combines per image', () => {
    expect(effectiveK({ method: 'zeroshot', template: 4 }, 80)).toBe(1);
    expect(effectiveK({ method: 'ensemble', aggregate: 'embedding' }, 80)).toBe(80);
    expect(effectiveK({ method: 'sage', k: 3, aggregate: 'embedding' }, 80)).toBe(3);
    expect(effectiveK({ method: 'random', k: 2, seed: 0, aggregate: 'embedding' }, 80)).toBe(2);
    expect(effectiveK({ method: 'groupprompt' }, 80)).toBeNull();
  });

  it('label each configuration', () => {
    expect(describeConfig({ method: 'zeroshot', template: 39 }, 80)).toBe('zeroshot (template 39)');
    expect(describeConfig({ method: 'ensemble', aggregate: 'score' }, 80)).toBe('ensemble (80 templates, score)');
    expect(describeConfig({ method: 'random', k: 2, seed: 5, aggregate: 'embedding' }, 80)).toBe(
      'random K=2 (seed 5, embedding)',
    );
    expect(describeConfig({ method: 'sage', k: 3, aggregate: 'embedding' }, 80)).toBe('sage K=3 (embedding)');
    expect(describeConfig({ method: 'groupprompt' }, 80)).toBe('groupprompt (uses attribute words: extra knowledge)');
  });
});
