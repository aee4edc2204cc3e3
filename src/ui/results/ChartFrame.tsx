import { useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { exportChartPng } from '../share/exportChart';
import { errorMessage } from '../../state/errorMessage';
import type { GlossaryKey } from '../glossary';
import { InfoTip } from '../InfoTip';
import { PresentingContext } from '../theme';

/**
 * A chart with its title, a chart/table toggle (every chart has a table view) and PNG export.
 * The table is always rendered for screen readers when the chart is shown.
 */
export function ChartFrame({
  id,
  title,
  description,
  chart,
  table,
  height = 320,
  info = [],
  deferUntilVisible = false,
}: {
  id: string;
  title: string;
  /** the terms this chart uses, each explained by an ⓘ beside the title */
  info?: readonly GlossaryKey[];
  description?: ReactNode;
  chart: ReactNode;
  table: ReactNode;
  height?: number;
  /**
   * Draw the chart only once the frame comes near the screen: for charts that cost a second or more to draw
   * (the embedding map of a 100,000-image bundle), so opening the results does not wait for them.
   */
  deferUntilVisible?: boolean;
}) {
  const [asTable, setAsTable] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const box = useRef<HTMLDivElement | null>(null);
  const section = useRef<HTMLElement | null>(null);
  const presenting = useContext(PresentingContext);
  const [seen, setSeen] = useState(false);
  const waiting = deferUntilVisible && !presenting && !seen;
  useEffect(() => {
    const element = section.current;
    if (!waiting || !element) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) setSeen(true);
      },
      { rootMargin: '300px' },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [waiting]);
  // the presentation shows the same chart over the page: its element ids must not repeat the page's
  const frameId = presenting ? `present-${id}` : id;
  return (
    <section className="chart-frame" id={frameId} aria-labelledby={`${frameId}-title`} data-testid={id} ref={section}>
      <header>
        <h3 id={`${frameId}-title`}>
          {title}
          {info.map((term) => (
            <InfoTip key={term} term={term} />
          ))}
        </h3>
        <div className="button-row">
          <button
            type="button"
            className="secondary small"
            aria-pressed={asTable}
            onClick={() => setAsTable((v) => !v)}
          >
            {asTable ? 'Show chart' : 'Show table'}
          </button>
          {!asTable && (
            <button
              type="button"
              className="secondary small"
              onClick={async () => {
                if (!box.current) return;
                try {
                  setExportError(null);
                  await exportChartPng(box.current, `sage-${id}.png`, title);
                } catch (error) {
                  setExportError(`PNG export failed: ${errorMessage(error)}`);
                }
              }}
              data-testid={`${id}-png`}
            >
              PNG
            </button>
          )}
        </div>
      </header>
      {description && <div className="legend-note">{description}</div>}
      {exportError && <p className="error">{exportError}</p>}
      {asTable ? (
        <div className="table-wrap">{table}</div>
      ) : (
        <div className="chart-box" ref={box} style={{ height }}>
          {waiting ? (
            <p className="chart-empty" data-testid={`${id}-deferred`}>
              Drawn when you scroll here.
            </p>
          ) : (
            chart
          )}
        </div>
      )}
    </section>
  );
}
