import { describe, expect, it } from 'vitest';
import type { MethodId } from '../../core';
import { absenceReason, unavailableRows } from './methodAvailability';
import type { MethodComparison, MethodRow, UnavailableMethod } from './views';

const CLASSES = ['landbird', 'waterbird'];
const prompt = (cls: string, attribute: string) => ({
  class: cls,
  attribute,
  prompt: `a photo of a ${cls} on ${attribute}.`,
  embedding: new Float32Array(2),
});

/** Rows stand in by method id only: unavailableRows reads nothing else from them. */
function comparison(rows: MethodId[], unavailable: UnavailableMethod[] = []): MethodComparison {
  return { rows: rows.map((method) => ({ method }) as MethodRow), unavailable };
}

describe('methods that cannot run say why', () => {
  it('without attribute words: group prompts and every §7 method ask for class/attribute folders', () => {
    const flat = { attributeWords: [], groupPrompts: [], classes: CLASSES };
    const rows = unavailableRows(flat, comparison(['zeroshot', 'ensemble', 'random', 'sage']));
    expect(rows.map((r) => r.method)).toEqual(['groupprompt', 'roboshot', 'tiestar', 'tie', 'orthproj', 'orthcali']);
    expect(rows[0].reason).toBe(
      'Group prompts need attribute words, one prompt per class and attribute: sort the images into class/attribute folders (e.g. landbird/water) to compare them.',
    );
    for (const row of rows.slice(1)) expect(row.reason).toMatch(/^Needs attribute words .*class\/attribute folders/);
    expect(rows.every((r) => r.missing.length === 0 && r.label !== '' && r.howItWorks !== '')).toBe(true);
  });

  it('group prompts a bundle does not carry, or carries for some classes only', () => {
    expect(absenceReason({ attributeWords: ['land'], groupPrompts: [], classes: CLASSES }, 'groupprompt')).toMatch(
      /^These results carry no group prompts .*run the images again in this app/,
    );
    expect(
      absenceReason(
        { attributeWords: ['land'], groupPrompts: [prompt('landbird', 'land')], classes: CLASSES },
        'groupprompt',
      ),
    ).toBe(
      'Group prompts need a prompt for every class, and these results have none for ‘waterbird’: run the images again to make them.',
    );
  });

  it("keeps compareAll's own reasons and the table's method order", () => {
    const missing: UnavailableMethod = {
      method: 'roboshot',
      label: 'RoboShot',
      knowledge: 'attribute words',
      howItWorks: '',
      reason: 'Needs the text ‘talons’ embedded',
      missing: ['talons'],
    };
    const rows = unavailableRows(
      { attributeWords: ['land'], groupPrompts: [], classes: CLASSES },
      comparison(['zeroshot', 'ensemble', 'random', 'sage', 'tiestar', 'tie', 'orthproj', 'orthcali'], [missing]),
    );
    expect(rows.map((r) => r.method)).toEqual(['groupprompt', 'roboshot']);
    expect(rows[1]).toBe(missing);
  });
});
