import type { LegendPayload } from 'recharts';

/** Legend entries in the series' order (recharts sorts them by name otherwise). */
export function legendOrder(keys: readonly string[]): (item: LegendPayload) => number {
  return (item) => keys.indexOf(String(item.dataKey));
}

/** An x axis title inside the axis area (so a legend below never covers it), in the theme's text colour. */
export function bottomAxisTitle(value: string) {
  return { value, position: 'insideBottom' as const, offset: 2, fill: 'var(--text)', fontSize: 12 };
}
