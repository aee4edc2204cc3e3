/**
 * The user's settings for the SPEC §7 methods (RoboShot, TIE*, TIE, Orth-Proj, Orth-Cali): the attribute
 * phrasings Φ, RoboShot's accept pairs and Orth-Cali's λ. Shared by a link and a report (ExplorerConfig);
 * the run embeds the texts they need, and the results views recompute when they change.
 */
import { create } from 'zustand';
import { DEFAULT_ORTHCALI_LAMBDA, DEFAULT_PHRASINGS } from '../core';

export interface AttributeMethodSettings {
  /** each contains "{}", replaced by an attribute word */
  phrasings: string[];
  /** RoboShot accept pairs (p, q): the direction T(p) − T(q) is amplified */
  acceptPairs: [string, string][];
  /** Orth-Cali's calibration strength; Orth-Proj is the same with λ = 0 */
  lambda: number;
}

export const DEFAULT_METHOD_SETTINGS: AttributeMethodSettings = {
  phrasings: [...DEFAULT_PHRASINGS],
  acceptPairs: [],
  lambda: DEFAULT_ORTHCALI_LAMBDA,
};

interface MethodSettingsState extends AttributeMethodSettings {
  setPhrasings(phrasings: string[]): void;
  setAcceptPairs(pairs: [string, string][]): void;
  setLambda(lambda: number): void;
  set(settings: Partial<AttributeMethodSettings>): void;
}

export const useMethodSettings = create<MethodSettingsState>()((set) => ({
  ...DEFAULT_METHOD_SETTINGS,
  setPhrasings: (phrasings) => set({ phrasings }),
  setAcceptPairs: (acceptPairs) => set({ acceptPairs }),
  setLambda: (lambda) => set({ lambda }),
  set: (settings) => set(settings),
}));

export function currentMethodSettings(): AttributeMethodSettings {
  const { phrasings, acceptPairs, lambda } = useMethodSettings.getState();
  return { phrasings, acceptPairs, lambda };
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: string[] };

function lines(text: string): { line: number; text: string }[] {
  return text
    .split(/\r?\n/)
    .map((line, i) => ({ line: i + 1, text: line.trim() }))
    .filter((l) => l.text !== '');
}

/** One phrasing per line; each needs "{}" where the attribute word goes. Blank lines are ignored. */
export function parsePhrasings(text: string): Parsed<string[]> {
  const errors: string[] = [];
  const seen = new Set<string>();
  const phrasings: string[] = [];
  for (const { line, text: phrasing } of lines(text)) {
    if (!phrasing.includes('{}'))
      errors.push(`Line ${line} (“${phrasing}”) has no “{}” where the attribute word goes.`);
    else if (seen.has(phrasing)) errors.push(`Line ${line} (“${phrasing}”) repeats an earlier phrasing.`);
    seen.add(phrasing);
    phrasings.push(phrasing);
  }
  if (phrasings.length === 0) errors.push('Give at least one phrasing, e.g. “a photo of {}.”.');
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: phrasings };
}

/** One accept pair per line as "p | q"; blank lines are ignored, no lines means no accept directions. */
export function parseAcceptPairs(text: string): Parsed<[string, string][]> {
  const errors: string[] = [];
  const pairs: [string, string][] = [];
  for (const { line, text: pair } of lines(text)) {
    const parts = pair.split('|').map((part) => part.trim());
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
      errors.push(`Line ${line} (“${pair}”) should be two phrases separated by one “|”, e.g. “webbed feet | talons”.`);
    } else pairs.push([parts[0], parts[1]]);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: pairs };
}

/** λ from a text field: a finite number ≥ 0. */
export function parseLambda(text: string): Parsed<number> {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
    return { ok: false, errors: [`λ must be a number of 0 or more (got “${text}”).`] };
  }
  return { ok: true, value };
}

export const phrasingsText = (phrasings: readonly string[]): string => phrasings.join('\n');
export const acceptPairsText = (pairs: readonly (readonly [string, string])[]): string =>
  pairs.map(([p, q]) => `${p} | ${q}`).join('\n');
