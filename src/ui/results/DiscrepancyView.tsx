import { useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { discrepancies, type MethodRow, type ResultsInput } from '../../state/derive/views';
import { groupLabel, pct } from '../format';
import { ChartFrame } from './ChartFrame';

/** Accuracy discrepancy δ per (class, attribute), ranked: a large δ points at a suspected spurious attribute. */
export function DiscrepancyView({ input, row }: { input: ResultsInput; row: MethodRow }) {
  const items = useMemo(() => discrepancies(input, row), [input, row]);
  const finite = items.filter((d) => Number.isFinite(d.delta));
  const data = finite.map((d) => ({ name: groupLabel(d.class, d.attribute), delta: d.delta * 100 }));
  const chart = (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} layout="vertical" margin={{ top: 8, right: 40, bottom: 8, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
        <XAxis type="number" unit=" pts" tick={{ fill: 'var(--text)', fontSize: 11 }} />
        <YAxis type="category" dataKey="name" width={150} tick={{ fill: 'var(--text)', fontSize: 11 }} />
        <Tooltip
          formatter={(v) => (typeof v === 'number' ? `${v.toFixed(1)} points` : String(v))}
          contentStyle={{ background: 'var(--panel)', color: 'var(--text)' }}
        />
        <Bar dataKey="delta" name="δ (percentage points)" fill="var(--series-4)" isAnimationActive={false}>
          <LabelList
            dataKey="delta"
            position="right"
            formatter={(v: unknown) => (typeof v === 'number' ? `${v > 0 ? '+' : ''}${v.toFixed(1)}` : '')}
            fill="var(--text)"
            fontSize={11}
          />
        </Bar>
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
          <th scope="col">δ = acc(present) − acc(absent)</th>
          <th scope="col">n present / absent</th>
        </tr>
      </thead>
      <tbody>
        {items.map((d, i) => (
          <tr key={`${d.class}/${d.attribute}`}>
            <td>{i + 1}</td>
            <td>{d.class}</td>
            <td>{d.attribute || '(none)'}</td>
            <td>
              {Number.isFinite(d.delta)
                ? `${d.delta > 0 ? '+' : ''}${pct(d.delta)}`
                : 'n/a (attribute always or never present)'}
            </td>
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
      description="For each class, how much more often the model is right when the attribute is present than when it is absent. Large positive δ: the model leans on that attribute."
      chart={chart}
      table={table}
      height={Math.max(160, 34 * data.length + 40)}
    />
  );
}
