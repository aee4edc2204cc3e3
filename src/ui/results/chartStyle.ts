import type { LegendPayload } from 'recharts';
import type { Theme } from '../../state/settings';

/**
 * Sizes of what the charts draw in SVG (tick and value labels, axis titles, lines, markers). SVG text does not
 * inherit the page's font size from a number attribute, so the projector theme (19 px body text) and the
 * presentation mode hand the charts these sizes instead of the 11–12 px written into each chart.
 */
export interface ChartStyle {
  /** tick labels, value labels, axis titles */
  fontSize: number;
  /** titles drawn in the plot (reference line labels, the template axis title) and legends */
  titleSize: number;
  /** average width of one character at fontSize, for laying out labels before they are drawn */
  charWidth: number;
  /** line spacing of labels wrapped onto two lines */
  lineHeight: number;
  /** fontSize / 11: widths reserved for labels (axis widths, margins) grow by this */
  scale: number;
  /** multiplies line, whisker and outline widths */
  stroke: number;
  /** multiplies marker radii and bar thickness */
  marker: number;
}

/** Average character width of the chart font relative to its size (6.2 px at 11 px). */
const CHAR_WIDTH_PER_PX = 6.2 / 11;

function styleAt(fontSize: number, stroke: number, marker: number): ChartStyle {
  return {
    fontSize,
    titleSize: fontSize + 1,
    charWidth: fontSize * CHAR_WIDTH_PER_PX,
    lineHeight: Math.round(fontSize * 1.2),
    scale: fontSize / 11,
    stroke,
    marker,
  };
}

/** The chart sizes for a theme; `presenting` (presentation mode) enlarges everything once more. */
export function chartStyleFor(theme: Theme, presenting: boolean): ChartStyle {
  // the projector theme grows body text 15 → 19 px; chart text grows a little more, it is the smallest on screen
  const projector = theme === 'projector';
  const fontSize = (projector ? 15 : 11) * (presenting ? 1.35 : 1);
  return styleAt(Math.round(fontSize), projector ? 1.6 : 1, (projector ? 1.4 : 1) * (presenting ? 1.25 : 1));
}

/** Legend entries in the series' order (recharts sorts them by name otherwise). */
export function legendOrder(keys: readonly string[]): (item: LegendPayload) => number {
  return (item) => keys.indexOf(String(item.dataKey));
}

/** An x axis title inside the axis area (so a legend below never covers it), in the theme's text colour. */
export function bottomAxisTitle(value: string, style: ChartStyle) {
  return { value, position: 'insideBottom' as const, offset: 2, fill: 'var(--text)', fontSize: style.titleSize };
}

/** recharts' tick props for a numeric axis in the theme's text colour and chart size. */
export function axisTick(style: ChartStyle) {
  return { fill: 'var(--text)', fontSize: style.fontSize };
}
