import type { LegendPayload } from 'recharts';

/** Legend entries in the series' order (recharts sorts them by name otherwise). */
export function legendOrder(keys: readonly string[]): (item: LegendPayload) => number {
  return (item) => keys.indexOf(String(item.dataKey));
}
