/** The SPEC §7 settings in a share link: carried when edited, omitted at their defaults, checked when read. */
import { describe, expect, it } from 'vitest';
import { exampleConfig } from './testSupport';
import { LINK_V1_METHOD_DEFAULTS, decodeConfigParam, encodeConfigParam, encodePayload } from './urlState';

describe('§7 settings in a link', () => {
  it('edited phrasings, accept pairs and λ round-trip', () => {
    const config = exampleConfig({
      phrasings: ['{}', 'a {} scene.'],
      acceptPairs: [['webbed feet', 'talons']],
      lambda: 20,
      method: 'orthcali',
    });
    const decoded = decodeConfigParam(encodeConfigParam(config));
    expect(decoded).toEqual({ ok: true, config, warnings: [] });
  });

  it('at their defaults they add nothing to the link, and decode as absent (= the defaults)', () => {
    const plain = exampleConfig();
    const explicit = exampleConfig({
      phrasings: [...LINK_V1_METHOD_DEFAULTS.phrasings],
      acceptPairs: [],
      lambda: 1000,
    });
    expect(encodeConfigParam(explicit)).toBe(encodeConfigParam(plain));
    const decoded = decodeConfigParam(encodeConfigParam(explicit));
    expect(decoded.ok && decoded.config.phrasings).toBe(undefined);
  });

  it('a phrasing without "{}", a one-sided accept pair or a negative λ is refused, naming the field', () => {
    const link = (extra: Record<string, unknown>) =>
      `1.${encodePayload({ c: ['landbird', 'waterbird'], a: ['land', 'water'], ...extra })}`;
    expect(decodeConfigParam(link({ ph: ['a photo'] }))).toEqual({
      ok: false,
      error: 'phrasing 1 (a photo): "a photo" has no "{}" where the attribute word goes',
    });
    expect(decodeConfigParam(link({ ap: [['webbed feet', '']] }))).toMatchObject({
      ok: false,
      error: 'accept pair 1: phrase 2 is empty',
    });
    expect(decodeConfigParam(link({ l: -1 }))).toEqual({
      ok: false,
      error: 'Orth-Cali λ should be a number of at least 0, but is -1',
    });
  });
});
