import { useId, useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { GroupStats } from '../../core';
import { worstGroups, type WorstGroups } from '../../state/derive/chartScales';
import { groupComparison, type MethodRow } from '../../state/derive/views';
import { groupLabel, interval, pct } from '../format';
import { ChartFrame } from './ChartFrame';
import { categoryAxisWidth, useLegendHeight, WrappedTick } from './chartParts';
import { axisTick, type ChartStyle } from './chartStyle';
import { useChartStyle } from '../theme';
import './resultsCharts.css';

/** A 0 % bar is still drawn this wide, so "nothing right" is visibly different from "no bar". */
const STUB = 3;
const BAR = 14;
/** room right of the plot for "100% ◀ worst" */
const LABEL_ROOM = 76;
const WORST = '◀ worst';
const TIE = '◀ tie';

type Series = 'zeroshot' | 'selected';

interface GroupDatum {
  group: string;
  key: string;
  n: number;
  zeroshot: number;
  zeroshotLow: number;
  zeroshotHigh: number;
  zeroshotWorst: string;
  selected: number;
  selectedLow: number;
  selectedHigh: number;
  selectedWorst: string;
}

/**
 * Per-group accuracy of zero-shot (upper, hatched bar) and the selected method (lower, solid bar), one row per
 * group so long group names never run together. The series order is fixed; each series marks its own worst
 * group(s); the value label sits right of the 95% interval's whisker, so the two never collide.
 * For TIE* the table also shows how often its guessed attribute was the true one, per group.
 */
export function GroupChart({
  selected,
  zeroshot,
  guessedAttributes,
}: {
  selected: MethodRow;
  zeroshot: MethodRow;
  guessedAttributes?: GroupStats[] | null;
}) {
  const same = selected.method === 'zeroshot';
  const rows = useMemo(() => groupComparison(selected, zeroshot), [selected, zeroshot]);
  const worst = useMemo(
    () => ({ zeroshot: worstGroups(zeroshot.metrics.groups), selected: worstGroups(selected.metrics.groups) }),
    [selected, zeroshot],
  );
  const data = useMemo<GroupDatum[]>(
    () =>
      rows.map((r) => {
        const key = `${r.class}/${r.attribute}`;
        return {
          group: r.group,
          key,
          n: r.n,
          zeroshot: r.zeroshot.accuracy * 100,
          zeroshotLow: r.zeroshot.ci95.low * 100,
          zeroshotHigh: r.zeroshot.ci95.high * 100,
          zeroshotWorst: worstMark(worst.zeroshot, key),
          selected: r.selected.accuracy * 100,
          selectedLow: r.selected.ci95.low * 100,
          selectedHigh: r.selected.ci95.high * 100,
          selectedWorst: worstMark(worst.selected, key),
        };
      }),
    [rows, worst],
  );
  const guessed = new Map((guessedAttributes ?? []).map((g) => [`${g.class}/${g.attribute}`, g]));
  const hatch = `hatch-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const style = useChartStyle();
  const axisWidth = categoryAxisWidth(
    data.map((d) => d.group),
    56 * style.scale,
    112 * style.scale,
    style.charWidth,
  );
  const bar = Math.round(BAR * style.marker);
  const series: Series[] = same ? ['zeroshot'] : ['zeroshot', 'selected'];
  const zeroshotName = same ? `${selected.label} (solid)` : 'zero-shot (hatched, upper bar)';
  // the legend wraps on narrow screens and in the projector theme's larger font: the chart grows by its measured
  // height instead of squeezing the bars (and their labels) together
  const [chartHost, legendHeight] = useLegendHeight(series.join('+'));
  const chartHeight =
    68 * style.scale +
    legendHeight +
    data.length * (series.length * (bar + 3) + Math.max(18, 2 * style.lineHeight - bar));

  const chart = (
    <div ref={chartHost} className="chart-host">
      <ResponsiveContainer width="100%" height="100%">
        {/* keyed by its series: recharts orders bars by when they mount, so a bar that comes back after the
          method changes would otherwise swap sides */}
        <BarChart
          key={series.join('+')}
          data={data}
          layout="vertical"
          barSize={bar}
          barGap={3}
          margin={{ top: 4, right: LABEL_ROOM * style.scale, bottom: 24 * style.scale, left: 4 }}
        >
          <defs>
            <pattern id={hatch} patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
              <rect width="6" height="6" fill="var(--series-2)" fillOpacity={0.35} />
              <line x1="0" y1="0" x2="0" y2="6" stroke="var(--series-2)" strokeWidth="3" />
            </pattern>
          </defs>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" horizontal={false} />
          <XAxis
            type="number"
            domain={[0, 100]}
            ticks={[0, 25, 50, 75, 100]}
            unit="%"
            tick={axisTick(style)}
            label={{
              value: 'accuracy in the group (%)',
              position: 'insideBottom',
              offset: -16 * style.scale,
              fill: 'var(--text)',
              fontSize: style.fontSize,
            }}
          />
          <YAxis
            type="category"
            dataKey="group"
            width={axisWidth}
            interval={0}
            tick={<WrappedTick width={axisWidth} />}
            label={{
              value: 'group',
              position: 'insideTopLeft',
              offset: 0,
              fill: 'var(--muted)',
              fontSize: style.fontSize,
            }}
          />
          <Tooltip
            formatter={(value) => (typeof value === 'number' ? `${value.toFixed(1)}%` : String(value))}
            contentStyle={{ background: 'var(--panel)', color: 'var(--text)' }}
            cursor={{ fill: 'var(--border)', fillOpacity: 0.3 }}
            itemSorter={(item) => (item.dataKey === 'zeroshot' ? 0 : 1)}
          />
          {/* the series' order, not recharts' default alphabetical one: zero-shot first, as its bar is the upper one */}
          <Legend verticalAlign="top" itemSorter={(item) => (item.dataKey === 'zeroshot' ? 0 : 1)} />
          {series.map((s) => (
            <Bar
              key={s}
              dataKey={s}
              name={s === 'zeroshot' ? zeroshotName : `${selected.label} (solid, lower bar)`}
              fill={s === 'zeroshot' && !same ? `url(#${hatch})` : 'var(--series-1)'}
              stroke={s === 'zeroshot' && !same ? 'var(--series-2)' : undefined}
              legendType="rect"
              isAnimationActive={false}
              shape={(props: unknown) => (
                <GroupBar
                  {...(props as BarShapeProps)}
                  series={s}
                  hatched={!same && s === 'zeroshot'}
                  hatch={hatch}
                  style={style}
                />
              )}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
  const table = (
    <table data-testid="group-table">
      <thead>
        <tr>
          <th scope="col">group</th>
          <th scope="col">n</th>
          {!same && <th scope="col">zero-shot</th>}
          {!same && <th scope="col">95% interval</th>}
          <th scope="col">{selected.label}</th>
          <th scope="col">95% interval</th>
          {guessedAttributes && <th scope="col">attribute guessed right (TIE*)</th>}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const key = `${r.class}/${r.attribute}`;
          return (
            <tr key={r.group} data-group={key}>
              <th scope="row">{r.group}</th>
              <td>{r.n}</td>
              {!same && (
                <td>
                  <span data-metric="zeroshot">{pct(r.zeroshot.accuracy)}</span>
                  {worstWords(worst.zeroshot, key)}
                </td>
              )}
              {!same && <td>{interval(r.zeroshot.ci95.low, r.zeroshot.ci95.high)}</td>}
              <td>
                <span data-metric="selected">{pct(r.selected.accuracy)}</span>
                {worstWords(worst.selected, key)}
              </td>
              <td>{interval(r.selected.ci95.low, r.selected.ci95.high)}</td>
              {guessedAttributes && <td data-metric="guessed-attribute">{guessedCell(guessed.get(key))}</td>}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
  return (
    <ChartFrame
      id="group-chart"
      title={`Accuracy per group: ${same ? selected.label : `zero-shot vs ${selected.label}`}`}
      info={['wga', 'worstGroup', 'interval']}
      description={
        <>
          Whiskers are 95% intervals. {WORST} marks each method’s worst group; {TIE} marks groups tied for worst.{' '}
          <span data-testid="group-chart-worst">
            {same
              ? worstSentence(selected.label, worst.selected, rows, 'selected')
              : `${worstSentence('Zero-shot', worst.zeroshot, rows, 'zeroshot')} ${worstSentence(selected.label, worst.selected, rows, 'selected')}`}
          </span>
          {guessedAttributes && (
            <span className="guessed-attributes" data-testid="guessed-attributes">
              {' '}
              TIE* guessed the image’s attribute right (from the attribute words alone):{' '}
              {guessedAttributes
                .map((g) => `${groupLabel(g.class, g.attribute)} ${pct(g.accuracy)} (n = ${g.n})`)
                .join(' · ')}
              .
            </span>
          )}
        </>
      }
      chart={chart}
      table={table}
      height={chartHeight}
    />
  );
}

interface BarShapeProps {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  background?: { x?: number; width?: number };
  payload?: GroupDatum;
}

/**
 * One bar with its whisker and value label. The plot's full width (recharts' `background` box, 0–100 %) gives
 * the pixel scale for the interval ends; the label starts right of whichever ends later, the bar or the whisker.
 */
function GroupBar({
  x = 0,
  y = 0,
  width = 0,
  height = 0,
  background,
  payload,
  series,
  hatched,
  hatch,
  style,
}: BarShapeProps & { series: Series; hatched: boolean; hatch: string; style: ChartStyle }) {
  if (!payload) return null;
  const value = payload[series];
  if (!Number.isFinite(value)) return null;
  const low = series === 'zeroshot' ? payload.zeroshotLow : payload.selectedLow;
  const high = series === 'zeroshot' ? payload.zeroshotHigh : payload.selectedHigh;
  const mark = series === 'zeroshot' ? payload.zeroshotWorst : payload.selectedWorst;
  const left = background?.x ?? x;
  const scale = (background?.width ?? 0) / 100;
  const lowX = left + low * scale;
  const highX = left + high * scale;
  const middle = y + height / 2;
  const barWidth = Math.max(STUB, width);
  const cap = 4 * style.marker;
  const whisker = `M${lowX},${middle}H${highX}M${lowX},${middle - cap}V${middle + cap}M${highX},${middle - cap}V${middle + cap}`;
  const labelX = Math.max(highX, x + barWidth) + 5;
  const fill = hatched ? `url(#${hatch})` : 'var(--series-1)';
  return (
    <g className="group-bar" data-series={series} data-group={payload.key} data-worst={mark ? 'true' : undefined}>
      <rect
        className="group-bar-rect"
        x={x}
        y={y}
        width={barWidth}
        height={height}
        fill={fill}
        stroke={hatched ? 'var(--series-2)' : 'var(--series-1)'}
      />
      {/* a halo in the panel colour under the whisker keeps it visible on a bar of any colour and theme */}
      <path d={whisker} stroke="var(--panel)" strokeWidth={3.25 * style.stroke} fill="none" />
      <path
        className="group-bar-whisker"
        d={whisker}
        stroke="var(--text)"
        strokeWidth={1.25 * style.stroke}
        fill="none"
      />
      <text
        className="group-bar-label"
        x={labelX}
        y={middle}
        dominantBaseline="central"
        fill="var(--text)"
        fontSize={style.fontSize}
      >
        {`${value.toFixed(0)}%`}
        {mark && (
          <tspan className="group-bar-worst" fontWeight={700} dx={4}>
            {mark}
          </tspan>
        )}
      </text>
    </g>
  );
}

function worstMark(worst: WorstGroups, key: string): string {
  if (!worst.keys.has(key)) return '';
  return worst.keys.size > 1 ? TIE : WORST;
}

function worstWords(worst: WorstGroups, key: string): string {
  if (!worst.keys.has(key)) return '';
  return worst.keys.size > 1 ? ' (tied worst)' : ' (worst)';
}

/** "Zero-shot: worst group landbird / water (0.0%, n = 6)." or "SAGE: all 4 groups tie at 100.0%." */
function worstSentence(
  label: string,
  worst: WorstGroups,
  rows: ReturnType<typeof groupComparison>,
  series: Series,
): string {
  if (worst.keys.size === 0) return `${label}: no group has images yet.`;
  const named = rows.filter((r) => worst.keys.has(`${r.class}/${r.attribute}`));
  if (worst.allTie) return `${label}: all ${named.length} groups tie at ${pct(worst.accuracy)}.`;
  if (named.length === 1) {
    const r = named[0];
    return `${label}: worst group ${r.group} (${pct(r[series].accuracy)}, n = ${r.n}).`;
  }
  return `${label}: ${named.map((r) => r.group).join(', ')} tie for worst at ${pct(worst.accuracy)}.`;
}

function guessedCell(group: GroupStats | undefined): string {
  if (!group) return 'n/a (no attribute)';
  return `${pct(group.accuracy)} (${group.correct} of ${group.n}; ${interval(group.ci95.low, group.ci95.high)})`;
}
