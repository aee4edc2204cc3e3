import { describe, expect, it } from 'vitest';
import { acceptPairsText, parseAcceptPairs, parseLambda, parsePhrasings, phrasingsText } from './methodSettings';

describe('the §7 settings typed by a user', () => {
  it('phrasings: one per line, blank lines ignored, each needs "{}", no repeats', () => {
    expect(parsePhrasings('{}\n\n  a photo of {}.  \n')).toEqual({ ok: true, value: ['{}', 'a photo of {}.'] });
    expect(parsePhrasings('{}\na photo\n{}')).toEqual({
      ok: false,
      errors: [
        'Line 2 (“a photo”) has no “{}” where the attribute word goes.',
        'Line 3 (“{}”) repeats an earlier phrasing.',
      ],
    });
    expect(parsePhrasings(' \n')).toMatchObject({ ok: false });
  });

  it('accept pairs: "p | q" per line; none is allowed', () => {
    expect(parseAcceptPairs('webbed feet | talons\n')).toEqual({ ok: true, value: [['webbed feet', 'talons']] });
    expect(parseAcceptPairs('')).toEqual({ ok: true, value: [] });
    expect(parseAcceptPairs('webbed feet')).toEqual({
      ok: false,
      errors: ['Line 1 (“webbed feet”) should be two phrases separated by one “|”, e.g. “webbed feet | talons”.'],
    });
    expect(parseAcceptPairs('a | b | c')).toMatchObject({ ok: false });
  });

  it('λ: a number ≥ 0', () => {
    expect(parseLambda('1000')).toEqual({ ok: true, value: 1000 });
    expect(parseLambda('0')).toEqual({ ok: true, value: 0 });
    expect(parseLambda('-1')).toMatchObject({ ok: false });
    expect(parseLambda('')).toMatchObject({ ok: false });
  });

  it('the text forms read back to the same settings', () => {
    const pairs: [string, string][] = [
      ['p', 'q'],
      ['webbed feet', 'talons'],
    ];
    expect(parseAcceptPairs(acceptPairsText(pairs))).toEqual({ ok: true, value: pairs });
    expect(parsePhrasings(phrasingsText(['{}', 'a {} scene.']))).toEqual({ ok: true, value: ['{}', 'a {} scene.'] });
  });
});
