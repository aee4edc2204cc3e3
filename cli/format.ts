/** Plain-text table rendering for the CLI's `--format table`. */

/** 0.8531 → "85.3"; NaN → "–". */
export function percent(x: number): string {
  return Number.isFinite(x) ? (x * 100).toFixed(1) : '–';
}

/** Left-aligns the first `leftColumns` columns, right-aligns the rest; two spaces between columns. */
export function renderTable(header: string[], rows: string[][], leftColumns = 1): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, j) => (j < leftColumns ? cell.padEnd(widths[j]) : cell.padStart(widths[j])))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}
