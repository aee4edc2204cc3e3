import { describe, expect, it } from 'vitest';
import { chartStyleFor } from './chartStyle';
import { categoryAxisWidth } from './chartParts';

describe('chartStyleFor', () => {
  it('draws chart text at 11 px in the light, dark and system themes', () => {
    for (const theme of ['light', 'dark', 'auto'] as const) expect(chartStyleFor(theme, false).fontSize).toBe(11);
  });

  it('draws larger text, thicker lines and larger markers in the projector theme', () => {
    const light = chartStyleFor('light', false);
    const projector = chartStyleFor('projector', false);
    expect(projector.fontSize).toBeGreaterThanOrEqual(15);
    expect(projector.stroke).toBeGreaterThan(light.stroke);
    expect(projector.marker).toBeGreaterThan(light.marker);
    expect(projector.charWidth / projector.fontSize).toBeCloseTo(light.charWidth / light.fontSize);
  });

  it('enlarges everything once more in presentation mode', () => {
    expect(chartStyleFor('light', true).fontSize).toBeGreaterThan(chartStyleFor('light', false).fontSize);
    expect(chartStyleFor('projector', true).fontSize).toBeGreaterThan(chartStyleFor('projector', false).fontSize);
  });

  it('gives larger chart text wider category axes', () => {
    const labels = ['waterbird / water'];
    const light = chartStyleFor('light', false);
    const projector = chartStyleFor('projector', false);
    expect(categoryAxisWidth(labels, 60 * projector.scale, 130 * projector.scale, projector.charWidth)).toBeGreaterThan(
      categoryAxisWidth(labels, 60, 130, light.charWidth),
    );
  });
});
