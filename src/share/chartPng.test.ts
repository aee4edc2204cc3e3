import { describe, expect, it } from 'vitest';
import {
  FOOTER_HEIGHT,
  LEGEND_ROW_HEIGHT,
  MAX_CANVAS_SIDE,
  PNG_PADDING,
  TITLE_HEIGHT,
  chooseScale,
  inlineStyleText,
  layoutLegend,
  pngFooterText,
  pngLayout,
} from './chartPng';
import { makeProvenance } from './provenance';
import { RUNTIME } from './testSupport';

describe('inlineStyleText', () => {
  const root = {
    fill: 'rgb(0, 0, 0)',
    stroke: 'none',
    'font-family': 'Inter, sans-serif',
    'font-size': '12px',
    opacity: '1',
    display: 'inline',
  };

  it('writes every inherited property on the root', () => {
    expect(inlineStyleText(root, null)).toBe(
      'fill:rgb(0, 0, 0);stroke:none;font-family:Inter, sans-serif;font-size:12px',
    );
  });

  it('leaves inherited values equal to the parent to inheritance, and initial non-inherited values out', () => {
    const child = { ...root, fill: 'rgb(31, 119, 180)', opacity: '0.5' };
    expect(inlineStyleText(child, root)).toBe('fill:rgb(31, 119, 180);opacity:0.5');
    expect(inlineStyleText(root, root)).toBe('');
  });

  it('writes a child value back to the default when the parent differs (inheritance would be wrong)', () => {
    const parent = { ...root, fill: 'red' };
    expect(inlineStyleText(root, parent)).toBe('fill:rgb(0, 0, 0)');
    expect(inlineStyleText({ ...root, display: 'none' }, root)).toBe('display:none');
  });
});

describe('chooseScale', () => {
  it('is at least 2 and follows a higher devicePixelRatio', () => {
    expect(chooseScale(800, 400, 1)).toBe(2);
    expect(chooseScale(800, 400, 3)).toBe(3);
    expect(chooseScale(800, 400, NaN)).toBe(2);
  });

  it('shrinks so the canvas stays within the side limit', () => {
    const scale = chooseScale(6000, 1000, 2);
    expect(6000 * scale).toBeLessThanOrEqual(MAX_CANVAS_SIDE);
    expect(scale).toBeCloseTo(MAX_CANVAS_SIDE / 6000, 10);
  });
});

describe('layoutLegend and pngLayout', () => {
  const measure = (text: string): number => text.length * 7;

  it('wraps legend items at the chart width', () => {
    const items = ['zero-shot', 'ensemble', 'random', 'SAGE', 'group prompt (uses attributes)'].map((label) => ({
      label,
      color: '#000',
    }));
    const { placements, rows } = layoutLegend(items, measure, 260);
    expect(placements.map((p) => [p.row, p.x])).toEqual([
      [0, 0],
      [0, 97],
      [0, 187],
      [1, 0],
      [2, 0],
    ]);
    expect(rows).toBe(3);
    expect(layoutLegend([], measure, 260).rows).toBe(0);
  });

  it('stacks title, chart, legend and footer without overlap', () => {
    const layout = pngLayout(600, 300, true, 2);
    expect(layout.titleY).toBe(PNG_PADDING);
    expect(layout.chartY).toBe(PNG_PADDING + TITLE_HEIGHT);
    expect(layout.legendY).toBe(layout.chartY + 300 + 8);
    expect(layout.footerY).toBe((layout.legendY ?? 0) + 2 * LEGEND_ROW_HEIGHT + 8);
    expect(layout.height).toBeGreaterThanOrEqual(layout.footerY + FOOTER_HEIGHT);
    expect(layout.width).toBe(600 + 2 * PNG_PADDING);
    const bare = pngLayout(600, 300, false, 0);
    expect([bare.titleY, bare.legendY, bare.chartY]).toEqual([null, null, PNG_PADDING]);
  });
});

describe('pngFooterText', () => {
  it('carries app version, model, dtype, backend and date', () => {
    const provenance = makeProvenance(
      { model: 'x', dtype: 'fp32' },
      RUNTIME,
      new Date('2026-11-23T14:07:00Z'),
      '0.1.0',
    );
    expect(pngFooterText(provenance)).toBe(
      'SAGE Explorer 0.1.0 · Xenova/clip-vit-base-patch32 · fp32 · wasm (2 threads) · 2026-11-23 14:07 UTC',
    );
  });
});
