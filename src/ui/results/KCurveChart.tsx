import { useMemo } from 'react';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { Aggregate } from '../../core';
import type { KCurvePoint } from '../../core/kCurve';
import { kCurveCached } from '../../state/derive/kCurve';
import type { ResultsInput } from '../../state/derive/views';
import { useResults } from '../../state/results';
import { pct } from '../format';
import { ChartFrame } from './ChartFrame';
import { axisTick, bottomAxisTitle, legendOrder } from './chartStyle';
import { useChartStyle } from '../theme';
import './kCurveChart.css';

/**
 * Worst-group accuracy and accuracy against K for SAGE and the random baseline (issue 12 §4), with the best K
 * (highest SAGE WGA, smallest K on ties) and the current K marked. Clicking the chart (or a table row's button)
 * sets K. The curve is computed once per analysis, seed and aggregate; a K change only moves the marker.
 */
/** The four lines: WGA solid, accuracy dashed; SAGE in the first series colour, random in the second. */
const SERIES = [
  { key: 'sageWga', name: 'SAGE: worst-group accuracy', colour: 'var(--series-1)', dashed: false, width: 2.5 },
  { key: 'sageAccuracy', name: 'SAGE: accuracy', colour: 'var(--series-1)', dashed: true, width: 1.5 },
  {
    key: 'randomWga',
    name: 'random templates: worst-group accuracy',
    colour: 'var(--series-2)',
    dashed: false,
    width: 2,
  },
  { key: 'randomAccuracy', name: 'random templates: accuracy', colour: 'var(--series-2)', dashed: true, width: 1.5 },
] as const;

interface DotProps {
  cx?: number | string;
  cy?: number | string;
  payload?: { k?: unknown };
}

export function KCurveChart({ input, k, aggregate }: { input: ResultsInput; k: number; aggregate: Aggregate }) {
  // K and the aggregate come from the (deferred) SAGE row the other charts show, not the store: a K change then
  // re-renders this chart with the rest of the charts, after the table and headline have painted
  const seed = useResults((s) => s.view.seed);
  const style = useChartStyle();
  const setView = useResults((s) => s.setView);
  const { analysis, records, classes } = input;
  const curve = useMemo(
    () => kCurveCached(analysis, records, classes, { seed, aggregate }),
    [analysis, records, classes, seed, aggregate],
  );
  const data = useMemo(
    () =>
      curve.points.map((p) => ({
        k: p.k,
        sageWga: p.sageWorstGroupAccuracy * 100,
        sageAccuracy: p.sageAccuracy * 100,
        randomWga: p.randomWorstGroupAccuracy * 100,
        randomAccuracy: p.randomAccuracy * 100,
      })),
    [curve],
  );
  if (curve.points.length === 0) return null;
  const p = curve.points.length;
  const currentK = Math.min(Math.max(1, k), p);
  const best = curve.points[curve.bestK - 1];
  const current = curve.points[currentK - 1];
  const same = curve.bestK === currentK;
  const setK = (value: unknown) => {
    const next = Number(value);
    if (Number.isInteger(next) && next >= 1 && next <= p) setView({ k: next });
  };
  const radius = (p <= 30 ? 3.5 : 2.5) * style.marker;
  // each point of SAGE's WGA line is a click target for its K (the chart-wide click below covers the gaps)
  const renderDot = ({ cx, cy, payload }: DotProps) => {
    const pointK = Number(payload?.k);
    return (
      <circle
        key={pointK}
        cx={Number(cx)}
        cy={Number(cy)}
        r={radius}
        fill="var(--panel)"
        stroke="var(--series-1)"
        strokeWidth={1.5 * style.stroke}
        className="k-curve-dot"
        data-k={pointK}
        onClick={(event) => {
          event.stopPropagation();
          setK(pointK);
        }}
      />
    );
  };
  const chart = (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart
        data={data}
        margin={{ top: 28 * style.scale, right: 16, bottom: 8, left: 4 }}
        onClick={(state) => {
          const index = Number(state?.activeTooltipIndex);
          if (Number.isInteger(index)) setK(data[index]?.k);
        }}
        className="k-curve-plot"
      >
        <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
        <XAxis
          dataKey="k"
          type="number"
          domain={[1, p]}
          allowDecimals={false}
          tick={axisTick(style)}
          label={bottomAxisTitle('K: templates SAGE (or random) keeps per image', style)}
          height={46 * style.scale}
        />
        <YAxis
          domain={[0, 100]}
          unit="%"
          tick={axisTick(style)}
          width={64 * style.scale}
          label={{
            value: 'accuracy (%)',
            angle: -90,
            position: 'insideLeft',
            offset: 6,
            fill: 'var(--text)',
            fontSize: style.titleSize,
            style: { textAnchor: 'middle' },
          }}
        />
        <Tooltip
          formatter={(value) => `${Number(value).toFixed(1)}%`}
          labelFormatter={(label) => `K = ${String(label)} (click to use)`}
          contentStyle={{ background: 'var(--panel)', borderColor: 'var(--border)', color: 'var(--text)' }}
        />
        <Legend
          wrapperStyle={{ color: 'var(--text)', fontSize: style.titleSize, paddingTop: 4 }}
          itemSorter={legendOrder(SERIES.map((series) => series.key))}
        />
        <ReferenceLine
          x={curve.bestK}
          stroke="var(--ok)"
          strokeWidth={2 * style.stroke}
          label={{
            value: same ? `best K = current K = ${curve.bestK}` : `best K = ${curve.bestK}`,
            position: 'top',
            fill: 'var(--text)',
            fontSize: style.titleSize,
          }}
        />
        {!same && (
          <ReferenceLine
            x={currentK}
            stroke="var(--text)"
            strokeDasharray="4 3"
            label={{
              value: `current K = ${currentK}`,
              // beside the line on the side with more room, at the bottom (the best K's label is above the plot)
              position: currentK <= p / 2 ? 'insideBottomLeft' : 'insideBottomRight',
              fill: 'var(--text)',
              fontSize: style.titleSize,
            }}
          />
        )}
        {SERIES.map((series) => (
          <Line
            key={series.key}
            dataKey={series.key}
            name={series.name}
            stroke={series.colour}
            strokeDasharray={series.dashed ? '6 3' : undefined}
            strokeWidth={series.width * style.stroke}
            dot={series.key === 'sageWga' ? renderDot : false}
            activeDot={false}
            isAnimationActive={false}
            legendType="plainline"
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
  const table = (
    <table data-testid="k-curve-table">
      <thead>
        <tr>
          <th scope="col">K</th>
          <th scope="col">SAGE WGA</th>
          <th scope="col">SAGE accuracy</th>
          <th scope="col">random WGA</th>
          <th scope="col">random accuracy</th>
          <th scope="col">
            <span className="sr-only">use this K</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {curve.points.map((point) => (
          <KRow
            key={point.k}
            point={point}
            best={point.k === curve.bestK}
            current={point.k === currentK}
            onUse={() => setK(point.k)}
          />
        ))}
      </tbody>
    </table>
  );
  return (
    <ChartFrame
      id="k-curve"
      title="Worst-group accuracy and accuracy against K"
      info={['k', 'wga', 'accuracy']}
      description={
        <div className="k-curve-summary" data-testid="k-curve-summary">
          <p>
            <span data-testid="k-curve-best">
              Best K for worst-group accuracy: <strong>K = {curve.bestK}</strong> (SAGE WGA{' '}
              {pct(best.sageWorstGroupAccuracy)}, accuracy {pct(best.sageAccuracy)}
              {curve.points.filter((q) => q.sageWorstGroupAccuracy === best.sageWorstGroupAccuracy).length > 1
                ? '; the smallest of the tied K'
                : ''}
              ).
            </span>{' '}
            <span data-testid="k-curve-current">
              Current <strong>K = {currentK}</strong>: SAGE WGA {pct(current.sageWorstGroupAccuracy)}, random K
              templates WGA {pct(current.randomWorstGroupAccuracy)}.
            </span>
          </p>
          <p>
            Click a point to use its K.{' '}
            {!same && (
              <button
                type="button"
                className="secondary small"
                onClick={() => setK(curve.bestK)}
                data-testid="k-curve-use-best"
              >
                Use best K = {curve.bestK}
              </button>
            )}
          </p>
        </div>
      }
      chart={chart}
      table={table}
      height={300}
    />
  );
}

function KRow({
  point,
  best,
  current,
  onUse,
}: {
  point: KCurvePoint;
  best: boolean;
  current: boolean;
  onUse: () => void;
}) {
  const marks = [best ? 'best' : '', current ? 'current' : ''].filter(Boolean).join(', ');
  return (
    <tr data-k={point.k} className={current ? 'selected' : undefined}>
      <th scope="row">
        {point.k}
        {marks && <span className="muted"> ({marks})</span>}
      </th>
      <td>{pct(point.sageWorstGroupAccuracy)}</td>
      <td>{pct(point.sageAccuracy)}</td>
      <td>{pct(point.randomWorstGroupAccuracy)}</td>
      <td>{pct(point.randomAccuracy)}</td>
      <td>
        <button type="button" className="secondary small" onClick={onUse} disabled={current}>
          Use K = {point.k}
        </button>
      </td>
    </tr>
  );
}
