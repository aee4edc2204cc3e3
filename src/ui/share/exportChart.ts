/**
 * PNG of a chart, via src/share's chartToPng: the SVG with its computed styles inlined, the chart's title,
 * its legend (recharts draws legends as HTML, so they are read back from the DOM) and the provenance
 * footer (app version, model, dtype, backend, date) that every export carries.
 */
import { resultsConfig } from '../../state/config';
import { useResults } from '../../state/results';
import { downloadBlob } from '../../share/download';
import { chartToPng, type LegendItem } from '../../share/chartPng';
import { makeProvenance } from '../../share/provenance';

export { downloadBlob };

export async function exportChartPng(container: Element, filename: string, title: string): Promise<void> {
  const svg = container.querySelector('.recharts-wrapper > svg.recharts-surface');
  if (!(svg instanceof SVGSVGElement)) {
    // a chart with nothing to draw shows a sentence instead: say that, not "not rendered yet"
    const sentence = container.querySelector('[data-empty-chart]')?.textContent?.trim();
    throw new Error(sentence ? `there is no chart to export. ${sentence}` : 'the chart has not rendered yet');
  }
  const { runtime, inferred } = useResults.getState();
  const provenance = makeProvenance({ ...resultsConfig(), inferred }, runtime);
  const blob = await chartToPng(svg, { provenance, title, legend: legendFromDom(container) });
  downloadBlob(blob, filename);
}

/** The recharts legend's entries: label text and the icon's colour (dashed icons stay dashed). */
function legendFromDom(container: Element): LegendItem[] {
  const items: LegendItem[] = [];
  for (const entry of Array.from(container.querySelectorAll('.recharts-legend-item'))) {
    const label = entry.querySelector('.recharts-legend-item-text')?.textContent?.trim() ?? '';
    if (!label) continue;
    const icon = entry.querySelector('svg path, svg line, svg rect');
    const style = icon ? getComputedStyle(icon) : null;
    const fill = style?.fill && style.fill !== 'none' && !style.fill.startsWith('url(') ? style.fill : '';
    const color = fill || style?.stroke || 'currentColor';
    const dashed = Boolean(style && style.strokeDasharray && style.strokeDasharray !== 'none');
    items.push({ label, color, dashed });
  }
  return items;
}
