/**
 * A chart (an SVG element, which is what recharts renders) as a PNG with a provenance footer.
 *
 * Steps: clone the SVG, inline the computed styles the chart depends on (CSS classes and variables do
 * not survive outside the page), serialise to a standalone SVG, draw it on a canvas at ≥ 2× scale, add
 * an optional title and legend (recharts legends are HTML, not part of the SVG) and the footer line
 * (app version, model, dtype, backend, date), and return a PNG Blob.
 *
 * The DOM steps (`serializeChartSvg`, `chartToPng`) are exercised by the UI's Playwright test; the
 * decisions inside them (which styles to write, canvas scale and layout, legend wrapping, footer text)
 * are pure functions, tested in Node.
 * CSP note: the SVG is loaded from a blob: URL, so the page's img-src must allow blob:.
 */
import { provenanceLine, type Provenance } from './provenance';

/** CSS properties that change how an SVG chart draws. Inherited ones first. */
export const INHERITED_SVG_PROPERTIES = [
  'fill',
  'fill-opacity',
  'fill-rule',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-dashoffset',
  'stroke-linecap',
  'stroke-linejoin',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'letter-spacing',
  'text-anchor',
  'dominant-baseline',
  'visibility',
  'color',
  'paint-order',
] as const;

/** Non-inherited properties and their initial values (written only when they differ). */
export const NON_INHERITED_SVG_PROPERTIES: Readonly<Record<string, string>> = {
  opacity: '1',
  display: 'inline',
  'alignment-baseline': 'auto',
  'mix-blend-mode': 'normal',
};

export type StyleValues = Readonly<Record<string, string>>;

/**
 * The inline `style` text for one element, from its computed values and its parent's: an inherited
 * property equal to the parent's is left to inheritance (keeps a 10,000-point scatter plot small); a
 * non-inherited one equal to its initial value is left out.
 */
export function inlineStyleText(own: StyleValues, parent: StyleValues | null): string {
  const declarations: string[] = [];
  for (const property of INHERITED_SVG_PROPERTIES) {
    const value = own[property];
    if (!value || (parent !== null && parent[property] === value)) continue;
    declarations.push(`${property}:${value}`);
  }
  for (const [property, initial] of Object.entries(NON_INHERITED_SVG_PROPERTIES)) {
    const value = own[property];
    if (!value || value === initial) continue;
    declarations.push(`${property}:${value}`);
  }
  return declarations.join(';');
}

/** Largest canvas side we draw (well inside every browser's limit, and a sane file size). */
export const MAX_CANVAS_SIDE = 8192;

/** Scale: devicePixelRatio, at least 2, reduced if the canvas would exceed MAX_CANVAS_SIDE. */
export function chooseScale(width: number, height: number, devicePixelRatio: number): number {
  const wanted = Math.max(2, Number.isFinite(devicePixelRatio) ? devicePixelRatio : 1);
  const fits = MAX_CANVAS_SIDE / Math.max(width, height, 1);
  return Math.max(0.25, Math.min(wanted, fits));
}

export interface LegendItem {
  label: string;
  color: string;
  /** drawn as a dashed line swatch instead of a filled square (colour is never the only cue) */
  dashed?: boolean;
}

export interface LegendPlacement {
  item: LegendItem;
  /** CSS pixels, relative to the legend's top-left */
  x: number;
  row: number;
}

export const LEGEND_SWATCH = 12;
export const LEGEND_GAP = 16;

/** Flows legend items left to right, wrapping at `maxWidth`. `measure` returns a label's text width. */
export function layoutLegend(
  items: readonly LegendItem[],
  measure: (text: string) => number,
  maxWidth: number,
): { placements: LegendPlacement[]; rows: number } {
  const placements: LegendPlacement[] = [];
  let x = 0;
  let row = 0;
  for (const item of items) {
    const width = LEGEND_SWATCH + 6 + measure(item.label);
    if (x > 0 && x + width > maxWidth) {
      row++;
      x = 0;
    }
    placements.push({ item, x, row });
    x += width + LEGEND_GAP;
  }
  return { placements, rows: items.length === 0 ? 0 : row + 1 };
}

export const PNG_PADDING = 16;
export const TITLE_HEIGHT = 28;
export const LEGEND_ROW_HEIGHT = 20;
export const FOOTER_HEIGHT = 24;

export interface PngLayout {
  /** CSS pixels; multiply by scale for canvas pixels */
  width: number;
  height: number;
  titleY: number | null;
  chartY: number;
  legendY: number | null;
  footerY: number;
}

/** Vertical layout: [title] chart [legend rows] footer, with padding around. */
export function pngLayout(chartWidth: number, chartHeight: number, hasTitle: boolean, legendRows: number): PngLayout {
  let y = PNG_PADDING;
  const titleY = hasTitle ? y : null;
  if (hasTitle) y += TITLE_HEIGHT;
  const chartY = y;
  y += chartHeight;
  const legendY = legendRows > 0 ? y + 8 : null;
  if (legendRows > 0) y += 8 + legendRows * LEGEND_ROW_HEIGHT;
  const footerY = y + 8;
  y += 8 + FOOTER_HEIGHT;
  return { width: chartWidth + 2 * PNG_PADDING, height: y + PNG_PADDING / 2, titleY, chartY, legendY, footerY };
}

/** The footer line under every exported chart. */
export function pngFooterText(provenance: Provenance): string {
  return provenanceLine(provenance);
}

// ---------------------------------------------------------------- DOM

function computedValues(element: Element): Record<string, string> {
  const style = getComputedStyle(element);
  const values: Record<string, string> = {};
  for (const property of INHERITED_SVG_PROPERTIES) values[property] = style.getPropertyValue(property);
  for (const property of Object.keys(NON_INHERITED_SVG_PROPERTIES)) values[property] = style.getPropertyValue(property);
  return values;
}

export interface SerializedSvg {
  markup: string;
  width: number;
  height: number;
}

/** Clones the chart with its computed styles inlined and returns standalone SVG markup. */
export function serializeChartSvg(svg: SVGSVGElement): SerializedSvg {
  const box = svg.getBoundingClientRect();
  const width = Math.max(1, Math.round(box.width || svg.width.baseVal.value));
  const height = Math.max(1, Math.round(box.height || svg.height.baseVal.value));
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const originals = [svg, ...Array.from(svg.querySelectorAll('*'))];
  const copies = [clone, ...Array.from(clone.querySelectorAll('*'))];
  const values = new Map<Element, Record<string, string>>();
  originals.forEach((original, i) => {
    const own = computedValues(original);
    values.set(original, own);
    const parent = original === svg || !original.parentElement ? null : (values.get(original.parentElement) ?? null);
    const text = inlineStyleText(own, parent);
    const copy = copies[i];
    if (text) copy.setAttribute('style', text);
    else copy.removeAttribute('style');
    copy.removeAttribute('class');
  });
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('xmlns:xlink', 'http://www.w3.org/1999/xlink');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  if (!clone.hasAttribute('viewBox')) clone.setAttribute('viewBox', `0 0 ${width} ${height}`);
  return { markup: new XMLSerializer().serializeToString(clone), width, height };
}

export interface ChartPngOptions {
  provenance: Provenance;
  title?: string;
  legend?: readonly LegendItem[];
  /** defaults to the first opaque background among the SVG's ancestors, else white */
  background?: string;
  /** text colour; defaults to the SVG's computed colour */
  textColor?: string;
  /** defaults to chooseScale(width, height, devicePixelRatio) */
  scale?: number;
}

/** Renders the chart to a PNG Blob. Rejects with a message if the browser cannot draw it. */
export async function chartToPng(svg: SVGSVGElement, options: ChartPngOptions): Promise<Blob> {
  const { markup, width, height } = serializeChartSvg(svg);
  const background = options.background ?? pageBackground(svg);
  const textColor = options.textColor ?? (getComputedStyle(svg).color || '#000');
  const font = `${getComputedStyle(svg).fontFamily || 'sans-serif'}`;
  const scale = options.scale ?? chooseScale(width + 2 * PNG_PADDING, height + 200, window.devicePixelRatio);

  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d');
  if (!context) throw new Error('PNG export: this browser gives no 2-D canvas');
  context.font = `12px ${font}`;
  const legend = layoutLegend(options.legend ?? [], (text) => context.measureText(text).width, width);
  const layout = pngLayout(width, height, Boolean(options.title), legend.rows);
  canvas.width = Math.round(layout.width * scale);
  canvas.height = Math.round(layout.height * scale);
  context.scale(scale, scale);
  context.fillStyle = background;
  context.fillRect(0, 0, layout.width, layout.height);

  const image = await loadSvgImage(markup);
  context.drawImage(image, PNG_PADDING, layout.chartY, width, height);

  context.fillStyle = textColor;
  context.textBaseline = 'top';
  if (options.title && layout.titleY !== null) {
    context.font = `600 16px ${font}`;
    context.fillText(options.title, PNG_PADDING, layout.titleY, width);
  }
  context.font = `12px ${font}`;
  if (layout.legendY !== null) {
    for (const { item, x, row } of legend.placements) {
      const top = layout.legendY + row * LEGEND_ROW_HEIGHT;
      drawSwatch(context, item, PNG_PADDING + x, top);
      context.fillStyle = textColor;
      context.fillText(item.label, PNG_PADDING + x + LEGEND_SWATCH + 6, top);
    }
  }
  context.font = `11px ${font}`;
  context.globalAlpha = 0.8;
  context.fillText(pngFooterText(options.provenance), PNG_PADDING, layout.footerY, width);
  context.globalAlpha = 1;

  return new Promise<Blob>((resolve, reject) => {
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('PNG export: the canvas could not be encoded'))),
      'image/png',
    );
  });
}

function drawSwatch(context: CanvasRenderingContext2D, item: LegendItem, x: number, y: number): void {
  context.fillStyle = item.color;
  context.strokeStyle = item.color;
  if (item.dashed) {
    context.lineWidth = 2;
    context.setLineDash([4, 3]);
    context.beginPath();
    context.moveTo(x, y + LEGEND_SWATCH / 2);
    context.lineTo(x + LEGEND_SWATCH, y + LEGEND_SWATCH / 2);
    context.stroke();
    context.setLineDash([]);
  } else {
    context.fillRect(x, y, LEGEND_SWATCH, LEGEND_SWATCH);
  }
}

function pageBackground(element: Element): string {
  for (let node: Element | null = element; node; node = node.parentElement) {
    const color = getComputedStyle(node).backgroundColor;
    if (color && color !== 'transparent' && !/^rgba\(.*,\s*0\)$/.test(color)) return color;
  }
  return '#ffffff';
}

function loadSvgImage(markup: string): Promise<HTMLImageElement> {
  const url = URL.createObjectURL(new Blob([markup], { type: 'image/svg+xml;charset=utf-8' }));
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => {
      URL.revokeObjectURL(url);
      resolve(image);
    };
    image.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error('PNG export: the chart SVG could not be loaded as an image'));
    };
    image.src = url;
  });
}
