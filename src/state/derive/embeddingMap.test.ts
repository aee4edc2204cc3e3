import { describe, expect, it } from 'vitest';
import { embeddingMapSeries } from './embeddingMap';

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
      { x: 5, y: 6, id: 'l2', group: 'landbird/land', correct: true },
      { x: 7, y: 8, id: 'l3', group: 'landbird/land', correct: false },
    ]);
    expect(series[1].points).toEqual([{ x: 3, y: 4, id: 'l1', group: 'landbird/water', correct: false }]);
    expect(series[2].points).toEqual([{ x: 1, y: 2, id: 'w1', group: 'waterbird/water', correct: true }]);
  });
});
