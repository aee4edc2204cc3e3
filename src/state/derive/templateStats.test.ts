import { describe, expect, it } from 'vitest';
import {
  buildAnalysis,
  computeMetrics,
  runMethod,
  selectionFrequency,
  similarityTensor,
  singleTemplateStats,
  type ImageRecord,
} from '../../core';
import { randomResultsInput } from './resultsInput.fixture';
import { mostPicked, sortTemplates, templateStats } from './templateStats';

/**
 * Two templates that each fail one group alone: template 0 separates the classes strongly on land images and
 * follows the background (weakly) on water images; template 1 the other way round. Directions: e0 shared,
 * e1 template 0's class axis, e2 template 1's; + = landbird.
 */
function paradox() {
  const classes = ['landbird', 'waterbird'];
  const u = (t: number, sign: number) => [1, t === 0 ? 0.3 * sign : 0, t === 1 ? 0.3 * sign : 0];
  const text = Float32Array.from([...u(0, 1), ...u(0, -1), ...u(1, 1), ...u(1, -1)]);
  const groups: [string, string, number, number][] = [
    // class, attribute, α on template 0's axis, α on template 1's axis
    ['landbird', 'land', 3, 1],
    ['landbird', 'water', -1, 3],
    ['waterbird', 'land', -3, 1],
    ['waterbird', 'water', -1, -3],
  ];
  const records: ImageRecord[] = groups.map(([cls, attribute], i) => ({ id: `img${i}`, class: cls, attribute }));
  const images = Float32Array.from(groups.flatMap(([, , a0, a1]) => [1, 0.1 * a0, 0.1 * a1]));
  const analysis = buildAnalysis(
    similarityTensor({ imageEmbeddings: images, n: 4, textEmbeddings: text, m: 2, c: 2, dim: 3 }),
  );
  return { analysis, records, classes, texts: ['a photo of a {}.', 'a drawing of a {}.'] };
}

describe('templateStats', () => {
  it('a template that fails a group alone is right on every image SAGE picked it for', () => {
    const { analysis, records, classes, texts } = paradox();
    const sage = runMethod(analysis, { method: 'sage', k: 1, aggregate: 'embedding' });
    expect(computeMetrics(records, classes, sage.predicted).worstGroupAccuracy).toBe(1);
    const stats = templateStats(analysis, records, classes, texts, sage);
    expect(stats.templates.map((t) => t.worstGroupAccuracyAlone)).toEqual([0, 0]);
    expect(stats.templates.map((t) => t.accuracyAlone)).toEqual([0.75, 0.75]);
    expect(stats.templates[0].worstGroupAlone).toEqual({ class: 'landbird', attribute: 'water' });
    expect(stats.templates[1].worstGroupAlone).toEqual({ class: 'waterbird', attribute: 'land' });
    // template 0 is picked for the two land images, template 1 for the two water images
    expect(stats.templates.map((t) => t.picks)).toEqual([2, 2]);
    expect(stats.templates[0].groupPicks).toEqual([1, 0, 1, 0]);
    expect(stats.templates.map((t) => t.pickedForCorrect)).toEqual([2, 2]);
    expect(stats.templates.map((t) => t.pickedForAccuracy)).toEqual([1, 1]);
    expect(stats.templates[0].text).toBe('a photo of a {}.');
    expect(stats.groups.map((g) => `${g.class}/${g.attribute}:${g.n}`)).toEqual([
      'landbird/land:1',
      'landbird/water:1',
      'waterbird/land:1',
      'waterbird/water:1',
    ]);
    expect(stats.templates[0].groupAccuracyAlone).toEqual([1, 0, 1, 1]);
    // at K = 2 every image uses both: each is picked for all four, and right alone on three of them
    const both = templateStats(
      analysis,
      records,
      classes,
      texts,
      runMethod(analysis, { method: 'sage', k: 2, aggregate: 'embedding' }),
    );
    expect(both.k).toBe(2);
    expect(both.templates.map((t) => [t.picks, t.pickedForCorrect])).toEqual([
      [4, 3],
      [4, 3],
    ]);
  });

  it("agrees with the core's single-template statistics and selection frequencies", () => {
    const input = randomResultsInput(120, 10, 3, 6);
    const { analysis, records, classes, templates } = input;
    const sage = runMethod(analysis, { method: 'sage', k: 3, aggregate: 'embedding' });
    const stats = templateStats(analysis, records, classes, templates, sage);
    const single = singleTemplateStats(analysis, records, classes);
    const frequency = selectionFrequency(sage, records, classes, analysis.m);
    stats.templates.forEach((t, index) => {
      expect(t.accuracyAlone).toBe(single[index].accuracy);
      expect(t.worstGroupAccuracyAlone).toBe(single[index].worstGroupAccuracy);
      expect(t.picks).toBe(Math.round(frequency.overall[index] * records.length));
      // picked-for accuracy by brute force over the selection
      const alone = runMethod(analysis, { method: 'zeroshot', template: index }).predicted;
      let picked = 0;
      let right = 0;
      records.forEach((record, i) => {
        if (!Array.from(sage.selected.subarray(i * 3, i * 3 + 3)).includes(index)) return;
        picked++;
        if (classes[alone[i]] === record.class) right++;
      });
      expect([t.picks, t.pickedForCorrect]).toEqual([picked, right]);
    });
    expect(stats.templates.reduce((sum, t) => sum + t.picks, 0)).toBe(3 * records.length);
  });

  it('sorts largest first with ties to the lower index, and lists the most picked', () => {
    const input = randomResultsInput(60, 8, 2, 5);
    const { analysis, records, classes, templates } = input;
    const sage = runMethod(analysis, { method: 'sage', k: 1, aggregate: 'embedding' });
    const stats = templateStats(analysis, records, classes, templates, sage).templates;
    const bySeparation = sortTemplates(stats, 'separation').map((t) => t.meanSeparation);
    expect(bySeparation).toEqual([...bySeparation].sort((a, b) => b - a));
    const byWga = sortTemplates(stats, 'wgaAlone');
    for (let j = 1; j < byWga.length; j++) {
      const [a, b] = [byWga[j - 1], byWga[j]];
      expect(a.worstGroupAccuracyAlone > b.worstGroupAccuracyAlone || a.template < b.template).toBe(true);
    }
    const top = mostPicked(stats, 3);
    expect(top.length).toBeLessThanOrEqual(3);
    expect(top.every((t) => t.picks > 0)).toBe(true);
    expect(top[0].picks).toBe(Math.max(...stats.map((t) => t.picks)));
  });
});
