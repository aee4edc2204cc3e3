import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, type ViewParams } from '../results';
import { randomResultsInput } from './resultsInput.fixture';
import { tourNumbers } from './tourNumbers';
import { methodRow, type ResultsInput } from './views';

const VIEW: ViewParams = { ...DEFAULT_VIEW, k: 3, zeroshotTemplate: 2 };

function setup(input: ResultsInput, view = VIEW) {
  const rows = (['zeroshot', 'ensemble', 'sage'] as const).map((m) => methodRow(input, m, view));
  const sage = rows[2];
  const numbers = tourNumbers(input, rows, sage, view);
  if (!numbers) throw new Error('expected numbers');
  return { rows, numbers };
}

/** accuracy of `predicted` over the records matching `keep` */
function accuracy(input: ResultsInput, predicted: Int32Array, keep: (i: number) => boolean): number {
  let n = 0;
  let right = 0;
  input.records.forEach((r, i) => {
    if (!keep(i)) return;
    n++;
    if (predicted[i] === input.classes.indexOf(r.class)) right++;
  });
  return right / n;
}

describe('tourNumbers', () => {
  const input = randomResultsInput(90, 8, 2, 16);

  it("quotes zero-shot's worst and best group and SAGE on zero-shot's worst group, from the table's rows", () => {
    const { rows, numbers } = setup(input);
    const [zeroshot, , sage] = rows;
    expect(numbers.zeroshot.worst).toMatchObject({
      class: zeroshot.metrics.worstGroup.class,
      attribute: zeroshot.metrics.worstGroup.attribute,
    });
    expect(numbers.zeroshot.worstGroupAccuracy).toBe(zeroshot.metrics.worstGroupAccuracy);
    expect(numbers.zeroshot.best.accuracy).toBe(Math.max(...zeroshot.metrics.groups.map((g) => g.accuracy)));
    const worst = numbers.zeroshot.worst;
    expect(numbers.sageOnZeroshotWorst.accuracy).toBeCloseTo(
      accuracy(
        input,
        sage.result.predicted,
        (i) => input.records[i].class === worst.class && input.records[i].attribute === worst.attribute,
      ),
      12,
    );
    expect(numbers.sage.k).toBe(3);
    expect(numbers.zeroshotTemplate).toEqual({ index: 2, text: input.templates[2] });
    expect(numbers.groups.map((g) => g.n)).toEqual([...numbers.groups.map((g) => g.n)].sort((a, b) => b - a));
  });

  it('sweeps K = 1, the current K and all templates; at all templates SAGE is the ensemble', () => {
    const { rows, numbers } = setup(input);
    expect(numbers.kSweep.map((p) => p.k)).toEqual([1, 3, 8]);
    const ensemble = rows[1].metrics;
    expect(numbers.kSweep[2].worstGroupAccuracy).toBeCloseTo(ensemble.worstGroupAccuracy, 12);
    expect(numbers.kSweep[2].accuracy).toBeCloseTo(ensemble.accuracy, 12);
    expect(numbers.kSweep[1].worstGroupAccuracy).toBe(rows[2].metrics.worstGroupAccuracy);
  });

  it('chooses a misclassified image from the worst group of the method that gets it wrong', () => {
    const { rows, numbers } = setup(input);
    const m = numbers.misclassified;
    expect(m).not.toBeNull();
    if (!m) return;
    const row = rows.find((r) => r.method === m.method);
    if (!row) throw new Error('unknown method');
    expect(m).toMatchObject({ class: row.metrics.worstGroup.class, attribute: row.metrics.worstGroup.attribute });
    const i = input.records.findIndex((r) => r.id === m.id);
    expect(row.result.predicted[i]).not.toBe(input.classes.indexOf(m.class));
    expect(m.predicted).toBe(input.classes[row.result.predicted[i]]);
    expect(m.groupN).toBe(row.metrics.worstGroup.n);
    expect(m.wrongInGroup).toBe(row.metrics.worstGroup.n - row.metrics.worstGroup.correct);
  });

  it('quotes the largest δ as accuracy with the attribute minus without it, for the class', () => {
    const { rows, numbers } = setup(input);
    const d = numbers.delta;
    expect(d).not.toBeNull();
    if (!d) return;
    const sameClass = (i: number) => input.records[i].class === d.class;
    const present = accuracy(
      input,
      rows[2].result.predicted,
      (i) => sameClass(i) && input.records[i].attribute === d.attribute,
    );
    const absent = accuracy(
      input,
      rows[2].result.predicted,
      (i) => sameClass(i) && input.records[i].attribute !== d.attribute,
    );
    expect(d.delta).toBeCloseTo(present - absent, 12);
    const zsPresent = accuracy(
      input,
      rows[0].result.predicted,
      (i) => sameClass(i) && input.records[i].attribute === d.attribute,
    );
    const zsAbsent = accuracy(
      input,
      rows[0].result.predicted,
      (i) => sameClass(i) && input.records[i].attribute !== d.attribute,
    );
    expect(d.zeroshotDelta).toBeCloseTo(zsPresent - zsAbsent, 12);
  });

  it("says how much variance the map's axes keep, and names SAGE's most-picked template", () => {
    const { numbers } = setup(input);
    expect(numbers.map?.n).toBe(90);
    const [first, second] = numbers.map?.explained ?? [0, 0];
    expect(first).toBeGreaterThan(0);
    expect(first).toBeGreaterThanOrEqual(second);
    expect(first + second).toBeLessThanOrEqual(1);
    expect(numbers.topPick?.picks).toBeGreaterThan(0);
    expect(input.templates).toContain(numbers.topPick?.text);
  });

  it('is null without zero-shot or SAGE rows', () => {
    const view = VIEW;
    const ensemble = methodRow(input, 'ensemble', view);
    expect(tourNumbers(input, [ensemble], ensemble, view)).toBeNull();
  });
});
