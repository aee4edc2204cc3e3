import { useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Discrepancy } from '../../core';
import { deltaAxis } from '../../state/derive/chartScales';
import { discrepancies, type MethodRow, type ResultsInput } from '../../state/derive/views';
import { groupLabel } from '../format';
import { ChartFrame } from './ChartFrame';
import { categoryAxisWidth, pointsText, WrappedTick } from './chartParts';
import { axisTick } from './chartStyle';
import { useChartStyle } from '../theme';
import './resultsCharts.css';

/** room right of the plot for the value column ("+100.0 pts") */
const VALUE_COLUMN = 74;
const ROW = 34;

/** Accuracy discrepancy δ per (class, attribute), ranked: a large δ points at a suspected spurious attribute. */
export function DiscrepancyView({ input, row }: { input: ResultsInput; row: MethodRow }) {
  const items = useMemo(() => discrepancies(input, row), [input, row]);
  const data = useMemo(
    () =>
      items
        .filter((d) => Number.isFinite(d.delta))
        .map((d) => ({ name: groupLabel(d.class, d.attribute), delta: d.delta * 100 })),
    [items],
  );
  const axis = useMemo(() => deltaAxis(data.map((d) => d.delta)), [data]);
  const style = useChartStyle();
  const axisWidth = categoryAxisWidth(
    data.map((d) => d.name),
    60 * style.scale,
    130 * style.scale,
    style.charWidth,
  );
  const empty = emptySentence(items, row.label);

  const chart = empty ? (
    <p className="chart-empty" data-empty-chart data-testid="discrepancy-empty">
      {empty}
    </p>
  ) : (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart
        data={data}
        layout="vertical"
        barSize={Math.round(16 * style.marker)}
        margin={{ top: 4, right: VALUE_COLUMN * style.scale, bottom: 24 * style.scale, left: 4 }}
      >
        <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" horizontal={false} />
        <XAxis
          type="number"
          domain={axis.domain}
          ticks={axis.ticks}
          tick={axisTick(style)}
          tickFormatter={(v: number) => (v > 0 ? `+${v}` : String(v))}
          label={{
            value: 'δ in percentage points (pts)',
            position: 'insideBottom',
            offset: -16 * style.scale,
            fill: 'var(--text)',
            fontSize: style.fontSize,
          }}
        />
        <YAxis type="category" dataKey="name" width={axisWidth} interval={0} tick={<WrappedTick width={axisWidth} />} />
        <ReferenceLine x={0} stroke="var(--text)" strokeWidth={style.stroke} />
        <Tooltip
          formatter={(v) => (typeof v === 'number' ? pointsText(v) : String(v))}
          contentStyle={{ background: 'var(--panel)', color: 'var(--text)' }}
          cursor={{ fill: 'var(--border)', fillOpacity: 0.3 }}
        />
        <Bar
          dataKey="delta"
          name="δ (percentage points)"
          fill="var(--series-4)"
          isAnimationActive={false}
          shape={(props: unknown) => <DeltaBar {...(props as DeltaBarProps)} fontSize={style.fontSize} />}
        />
      </BarChart>
    </ResponsiveContainer>
  );
  const table = (
    <table data-testid="discrepancy-table">
      <thead>
        <tr>
          <th scope="col">rank</th>
          <th scope="col">class</th>
          <th scope="col">attribute</th>
          <th scope="col">δ = acc(present) − acc(absent), in points</th>
          <th scope="col">n present / absent</th>
        </tr>
      </thead>
      <tbody>
        {items.map((d, i) => (
          <tr key={`${d.class}/${d.attribute}`}>
            <td>{i + 1}</td>
            <td>{d.class}</td>
            <td>{d.attribute || '(none)'}</td>
            <td>{Number.isFinite(d.delta) ? pointsText(d.delta * 100) : 'n/a (attribute always or never present)'}</td>
            <td>
              {d.nPresent} / {d.nAbsent}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <ChartFrame
      id="discrepancy-chart"
      title={`Accuracy discrepancy δ (${row.label})`}
      info={['delta']}
      description="For each class, how many percentage points more often the model is right when the attribute is present than when it is absent. Large positive δ: the model leans on that attribute."
      chart={chart}
      table={table}
      height={empty ? 88 : Math.max(160, (ROW * data.length + 64) * style.scale)}
    />
  );
}

/** Why there is no chart to draw, in words, or null when there is one. */
function emptySentence(items: readonly Discrepancy[], method: string): string | null {
  const finite = items.filter((d) => Number.isFinite(d.delta));
  if (finite.length === 0) {
    return 'Nothing to compare yet: δ needs images of one class both with and without an attribute, and these results have no such class (for example, only one group has images so far). It appears once more groups have images.';
  }
  if (finite.every((d) => d.delta === 0)) {
    return `Every δ is 0 pts: ${method} is exactly as accurate with each attribute as without it, for every class, so no attribute stands out as one it leans on.`;
  }
  return null;
}

interface DeltaBarProps {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  value?: number;
  background?: { x?: number; width?: number };
}

/**
 * One δ bar and its value, printed in a column right of the plot: at the bar's end a label would run off the
 * chart at +100 pts or over the group names at −100 pts.
 */
function DeltaBar({
  x = 0,
  y = 0,
  width = 0,
  height = 0,
  value = 0,
  background,
  fontSize,
}: DeltaBarProps & { fontSize: number }) {
  // recharts gives negative bars a negative width; a 0 δ still shows a 2 px tick on the zero line
  const left = Math.min(x, x + width);
  const barWidth = Math.max(2, Math.abs(width));
  const column = (background?.x ?? 0) + (background?.width ?? 0) + 8;
  return (
    <g className="delta-bar">
      <rect x={width === 0 ? x - 1 : left} y={y} width={barWidth} height={height} fill="var(--series-4)" />
      <text
        className="delta-label"
        x={column}
        y={y + height / 2}
        dominantBaseline="central"
        fill="var(--text)"
        fontSize={fontSize}
      >
        {pointsText(value)}
      </text>
    </g>
  );
}
