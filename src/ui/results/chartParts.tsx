/** Pieces the results charts share: group labels that wrap instead of running together, and δ in points. */
import { useEffect, useRef, useState, type RefObject } from 'react';
import { useChartStyle } from '../theme';

/** Average width of one character of the 11 px chart font, for laying out labels before they are drawn. */
export const CHAR_WIDTH_11PX = 6.2;

/**
 * Splits a label into at most `maxLines` lines of at most `maxChars` characters, at spaces; a word longer than
 * a line is cut, and what does not fit ends in "…" (the full text stays in the tick's tooltip and the table).
 */
export function wrapLabel(text: string, maxChars: number, maxLines = 2): string[] {
  const limit = Math.max(4, Math.floor(maxChars));
  const lines: string[] = [];
  let line = '';
  const words = text.split(/\s+/).filter((w) => w !== '');
  for (let i = 0; i < words.length; i++) {
    let word = words[i];
    while (word.length > limit) {
      if (line) {
        lines.push(line);
        line = '';
      }
      lines.push(word.slice(0, limit));
      word = word.slice(limit);
    }
    const joined = line ? `${line} ${word}` : word;
    if (joined.length <= limit) line = joined;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  const last = kept[maxLines - 1];
  kept[maxLines - 1] = `${last.slice(0, Math.max(1, limit - 1))}…`;
  return kept;
}

/**
 * The width a category axis needs for these labels, wrapped to two lines, within [min, max]; `charWidth` is the
 * chart font's average character width (11 px by default; the projector theme draws larger).
 */
export function categoryAxisWidth(
  labels: readonly string[],
  min: number,
  max: number,
  charWidth = CHAR_WIDTH_11PX,
): number {
  let longest = 0;
  for (const label of labels) {
    for (const line of wrapLabel(label, (max - 8) / charWidth)) longest = Math.max(longest, line.length);
  }
  return Math.round(Math.min(max, Math.max(min, longest * charWidth + 10)));
}

/** A category tick (recharts passes x, y and payload) drawn as up to two lines right-aligned to the axis. */
export function WrappedTick({
  x,
  y,
  payload,
  width,
}: {
  x?: number | string;
  y?: number | string;
  payload?: { value?: unknown };
  /** the axis width in pixels */
  width: number;
}) {
  const style = useChartStyle();
  const text = String(payload?.value ?? '');
  const lines = wrapLabel(text, (width - 8) / style.charWidth);
  const top = Number(y ?? 0) - ((lines.length - 1) * style.lineHeight) / 2;
  return (
    <text
      x={Number(x ?? 0)}
      y={top}
      textAnchor="end"
      dominantBaseline="central"
      fill="var(--text)"
      fontSize={style.fontSize}
      className="category-tick"
    >
      <title>{text}</title>
      {lines.map((line, i) => (
        <tspan key={i} x={Number(x ?? 0)} dy={i === 0 ? 0 : style.lineHeight}>
          {line}
        </tspan>
      ))}
    </text>
  );
}

/** "+12.5 pts" / "-3.0 pts" / "0.0 pts": a difference of two accuracies in percentage points (ASCII signs, so
 * copied numbers parse). */
export function pointsText(deltaInPoints: number, digits = 1): string {
  if (!Number.isFinite(deltaInPoints)) return '–';
  const rounded = Number(deltaInPoints.toFixed(digits));
  const sign = rounded > 0 ? '+' : rounded < 0 ? '-' : '';
  return `${sign}${Math.abs(rounded).toFixed(digits)} pts`;
}

/**
 * The height of the recharts legend inside the returned host element, kept up to date. A chart that sizes
 * itself to its rows adds this, so a legend that wraps (narrow screens, the projector theme's larger font) does
 * not squeeze the plot. `chartKey` changes when the chart remounts (a new legend element to watch).
 */
export function useLegendHeight(chartKey: string, initial = 28): [RefObject<HTMLDivElement | null>, number] {
  const host = useRef<HTMLDivElement | null>(null);
  const [height, setHeight] = useState(initial);
  useEffect(() => {
    let observer: ResizeObserver | null = null;
    let frame = 0;
    let tries = 0;
    // recharts adds the legend after its first layout pass: look for it for a few frames
    const attach = () => {
      const legend = host.current?.querySelector('.recharts-legend-wrapper');
      if (!legend) {
        if (tries++ < 30) frame = requestAnimationFrame(attach);
        return;
      }
      observer = new ResizeObserver(() => {
        const measured = Math.ceil(legend.getBoundingClientRect().height);
        if (measured > 0) setHeight((previous) => (Math.abs(previous - measured) < 1 ? previous : measured));
      });
      observer.observe(legend);
    };
    attach();
    return () => {
      cancelAnimationFrame(frame);
      observer?.disconnect();
    };
  }, [chartKey]);
  return [host, height];
}
