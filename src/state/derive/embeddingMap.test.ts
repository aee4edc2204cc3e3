import { describe, expect, it } from 'vitest';
import {
  componentAxisLabel,
  embeddingMapSeries,
  groupMarker,
  MAP_POINT_LIMIT,
  MAP_SHAPES,
  mapStride,
  mapUnavailableReason,
} from './embeddingMap';

describe('embeddingMapSeries', () => {
  it('buckets each image by group in class order, keeping its PCA point and whether it was right', () => {
    const records = [
      { id: 'w1', class: 'waterbird', attribute: 'water' },
      { id: 'l1', class: 'landbird', attribute: 'water' },
      { id: 'l2', class: 'landbird', attribute: 'land' },
      { id: 'l3', class: 'landbird', attribute: 'land' },
    ];
    const points = Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8);
    const predicted = Int32Array.of(1, 1, 0, 1);
    const series = embeddingMapSeries(
      { records, classes: ['landbird', 'waterbird'] },
      points,
      predicted,
      (cls, attribute) => `${cls}/${attribute}`,
    );
    expect(series.map((s) => s.name)).toEqual(['landbird/land', 'landbird/water', 'waterbird/water']);
    expect(series[0].points).toEqual([
      { x: 5, y: 6, id: 'l2', group: 'landbird/land', index: 2, correct: true },
      { x: 7, y: 8, id: 'l3', group: 'landbird/land', index: 3, correct: false },
    ]);
    expect(series[1].points).toEqual([{ x: 3, y: 4, id: 'l1', group: 'landbird/water', index: 1, correct: false }]);
    expect(series[2].points).toEqual([{ x: 1, y: 2, id: 'w1', group: 'waterbird/water', index: 0, correct: true }]);
    // the plot's points do not depend on the method (a K change must not redraw them)
    const plot = embeddingMapSeries(
      { records, classes: ['landbird', 'waterbird'] },
      points,
      null,
      (c, a) => `${c}/${a}`,
    );
    expect(plot[0].points.map((p) => p.correct)).toEqual([null, null]);
    // sampled: every 2nd image of each group, each group keeps its first
    const sampled = embeddingMapSeries(
      { records, classes: ['landbird', 'waterbird'] },
      points,
      null,
      (c, a) => `${c}/${a}`,
      2,
    );
    expect(sampled.map((s) => s.points.map((p) => p.id))).toEqual([['l2'], ['l1'], ['w1']]);
  });
});

describe('mapStride', () => {
  it('draws every image up to the limit, then an even sample no larger than the limit per stride', () => {
    expect(mapStride(MAP_POINT_LIMIT)).toBe(1);
    expect(mapStride(MAP_POINT_LIMIT + 1)).toBe(2);
    expect(Math.ceil(100_000 / mapStride(100_000))).toBeLessThanOrEqual(MAP_POINT_LIMIT);
  });
});

describe('groupMarker', () => {
  it('gives each group its own shape, the same one the legend draws, and cycles past the last', () => {
    expect(groupMarker(0)).toEqual({ shape: 'circle', colour: 'var(--series-1)' });
    expect(groupMarker(1)).toEqual({ shape: 'square', colour: 'var(--series-2)' });
    expect(groupMarker(MAP_SHAPES.length).shape).toBe('circle');
    expect(new Set([0, 1, 2, 3].map((g) => groupMarker(g).shape)).size).toBe(4);
  });
});

describe('componentAxisLabel', () => {
  it('says how much of the variance a component keeps, in percent', () => {
    expect(componentAxisLabel(1, 0.3412)).toBe('PC 1 (34% of variance explained)');
    expect(componentAxisLabel(2, 0.004)).toBe('PC 2 (0.4% of variance explained)');
    expect(componentAxisLabel(2, 0)).toBe('PC 2 (0% of variance explained)');
  });
});

describe('mapUnavailableReason', () => {
  it('explains why too few or identical images give no map', () => {
    expect(mapUnavailableReason(2, 1)).toBe(
      'The map needs at least 3 images to show how they spread; these results have only 2 so far.',
    );
    expect(mapUnavailableReason(0, 0)).toContain('have none so far');
    expect(mapUnavailableReason(5, 0)).toBe('All image embeddings are identical, so there is no spread to map.');
    expect(mapUnavailableReason(5, 0.2)).toBeNull();
  });
});
