import { useMemo } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  ErrorBar,
  LabelList,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { GroupStats } from '../../core';
import { groupComparison, type MethodRow } from '../../state/derive/views';
import { groupLabel, interval, pct } from '../format';
import { ChartFrame } from './ChartFrame';

/**
 * Per-group accuracy of the selected method next to zero-shot, with 95% intervals; the worst group is marked.
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
  const rows = useMemo(() => groupComparison(selected, zeroshot), [selected, zeroshot]);
  const guessed = new Map((guessedAttributes ?? []).map((g) => [`${g.class}/${g.attribute}`, g]));
  const worst = `${selected.metrics.worstGroup.class}/${selected.metrics.worstGroup.attribute}`;
  const data = rows.map((r) => ({
    group: `${r.group}${`${r.class}/${r.attribute}` === worst ? ' ▼worst' : ''}`,
    n: r.n,
    selected: r.selected.accuracy * 100,
    selectedError: [
      (r.selected.accuracy - r.selected.ci95.low) * 100,
      (r.selected.ci95.high - r.selected.accuracy) * 100,
    ],
    zeroshot: r.zeroshot.accuracy * 100,
    zeroshotError: [
      (r.zeroshot.accuracy - r.zeroshot.ci95.low) * 100,
      (r.zeroshot.ci95.high - r.zeroshot.accuracy) * 100,
    ],
  }));
  const same = selected.method === 'zeroshot';
  const chart = (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} margin={{ top: 24, right: 12, bottom: 8, left: 0 }}>
        <defs>
          <pattern id="hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
            <rect width="6" height="6" fill="var(--series-2)" fillOpacity={0.35} />
            <line x1="0" y1="0" x2="0" y2="6" stroke="var(--series-2)" strokeWidth="3" />
          </pattern>
        </defs>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
        <XAxis dataKey="group" tick={{ fill: 'var(--text)', fontSize: 12 }} interval={0} />
        <YAxis domain={[0, 100]} unit="%" tick={{ fill: 'var(--text)', fontSize: 12 }} />
        <Tooltip
          formatter={(value) => (typeof value === 'number' ? `${value.toFixed(1)}%` : String(value))}
          contentStyle={{ background: 'var(--panel)', color: 'var(--text)' }}
        />
        <Legend />
        {!same && (
          <Bar
            dataKey="zeroshot"
            name="zero-shot (hatched)"
            fill="url(#hatch)"
            stroke="var(--series-2)"
            isAnimationActive={false}
          >
            <ErrorBar dataKey="zeroshotError" stroke="var(--text)" width={4} />
            <LabelList dataKey="zeroshot" position="top" formatter={labelPct} fill="var(--text)" fontSize={11} />
          </Bar>
        )}
        <Bar dataKey="selected" name={`${selected.label} (solid)`} fill="var(--series-1)" isAnimationActive={false}>
          <ErrorBar dataKey="selectedError" stroke="var(--text)" width={4} />
          <LabelList dataKey="selected" position="top" formatter={labelPct} fill="var(--text)" fontSize={11} />
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
  const table = (
    <table data-testid="group-table">
      <thead>
        <tr>
          <th scope="col">group</th>
          <th scope="col">n</th>
          <th scope="col">{selected.label}</th>
          <th scope="col">95% interval</th>
          {!same && <th scope="col">zero-shot</th>}
          {!same && <th scope="col">95% interval</th>}
          {guessedAttributes && <th scope="col">attribute guessed right (TIE*)</th>}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.group} data-group={`${r.class}/${r.attribute}`}>
            <th scope="row">
              {r.group}
              {`${r.class}/${r.attribute}` === worst ? ' (worst)' : ''}
            </th>
            <td>{r.n}</td>
            <td data-metric="selected">{pct(r.selected.accuracy)}</td>
            <td>{interval(r.selected.ci95.low, r.selected.ci95.high)}</td>
            {!same && <td data-metric="zeroshot">{pct(r.zeroshot.accuracy)}</td>}
            {!same && <td>{interval(r.zeroshot.ci95.low, r.zeroshot.ci95.high)}</td>}
            {guessedAttributes && (
              <td data-metric="guessed-attribute">{guessedCell(guessed.get(`${r.class}/${r.attribute}`))}</td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <ChartFrame
      id="group-chart"
      title={`Accuracy per group: ${selected.label}${same ? '' : ' vs zero-shot'}`}
      description={
        <>
          Whiskers are 95% intervals. ▼worst marks the worst group: the one the model fails most, often where the usual
          background is swapped.
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
    />
  );
}

function guessedCell(group: GroupStats | undefined): string {
  if (!group) return 'n/a (no attribute)';
  return `${pct(group.accuracy)} (${group.correct} of ${group.n}; ${interval(group.ci95.low, group.ci95.high)})`;
}

function labelPct(value: unknown): string {
  return typeof value === 'number' ? `${value.toFixed(0)}%` : '';
}
