import { useMemo } from 'react';
import {
  Bar,
  CartesianGrid,
  Cell,
  ComposedChart,
  LabelList,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { templateTable, type MethodRow, type ResultsInput } from '../../state/derive/views';
import { groupLabel, num, pct } from '../format';
import { ChartFrame } from './ChartFrame';

const DASHES = ['6 3', '2 3', '10 4 2 4', '1 6', '12 3', '4 2 1 2'];

/**
 * Per-template class separation (SPEC §2 step 1, averaged over images and per group), each template's
 * accuracy used alone as a worst-group line, and SAGE's most-picked templates highlighted with pick counts.
 */
export function SeparationChart({ input, sage }: { input: ResultsInput; sage: MethodRow }) {
  const table = useMemo(() => templateTable(input, sage), [input, sage]);
  const picked = new Set(table.mostPicked);
  const data = table.rows.map((r) => {
    const point: Record<string, number | string> = {
      template: r.template,
      text: r.text,
      separation: r.meanSeparation,
      singleWga: r.singleWorstGroupAccuracy * 100,
      picks: r.sagePicks,
      pickLabel: picked.has(r.template) ? `★${r.sagePicks}` : '',
    };
    r.groupSeparation.forEach((v, g) => {
      point[`g${g}`] = v;
    });
    return point;
  });
  const chart = (
    <ResponsiveContainer width="100%" height="100%">
      <ComposedChart data={data} margin={{ top: 24, right: 8, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
        <XAxis
          dataKey="template"
          tick={{ fill: 'var(--text)', fontSize: 11 }}
          label={{ value: 'template #', position: 'insideBottomRight', offset: -4, fill: 'var(--muted)', fontSize: 11 }}
        />
        <YAxis
          yAxisId="sep"
          tick={{ fill: 'var(--text)', fontSize: 11 }}
          tickFormatter={(v: number) => v.toFixed(3)}
          width={52}
        />
        <YAxis
          yAxisId="wga"
          orientation="right"
          domain={[0, 100]}
          unit="%"
          tick={{ fill: 'var(--text)', fontSize: 11 }}
          width={44}
        />
        <Tooltip content={<SeparationTooltip groups={table.groups} />} />
        <Legend />
        <Bar
          yAxisId="sep"
          dataKey="separation"
          name="mean separation (★ = SAGE's most picked, with pick count)"
          isAnimationActive={false}
        >
          {data.map((d) => (
            <Cell
              key={String(d.template)}
              fill={picked.has(Number(d.template)) ? 'var(--series-2)' : 'var(--series-1)'}
              fillOpacity={picked.has(Number(d.template)) ? 1 : 0.55}
              stroke={picked.has(Number(d.template)) ? 'var(--text)' : 'none'}
            />
          ))}
          <LabelList dataKey="pickLabel" position="top" fill="var(--text)" fontSize={11} />
        </Bar>
        {table.groups.map((g, gi) => (
          <Line
            key={gi}
            yAxisId="sep"
            dataKey={`g${gi}`}
            name={`separation: ${groupLabel(g.class, g.attribute)}`}
            stroke={`var(--series-${(gi % 4) + 3})`}
            strokeDasharray={DASHES[gi % DASHES.length]}
            dot={false}
            isAnimationActive={false}
          />
        ))}
        <Line
          yAxisId="wga"
          dataKey="singleWga"
          name="worst-group accuracy of the template alone (%)"
          stroke="var(--text)"
          strokeWidth={1.5}
          dot={{ r: 1.5 }}
          isAnimationActive={false}
        />
      </ComposedChart>
    </ResponsiveContainer>
  );
  const tableView = (
    <table data-testid="separation-table">
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">template</th>
          <th scope="col">mean separation</th>
          {table.groups.map((g, gi) => (
            <th scope="col" key={gi}>
              {groupLabel(g.class, g.attribute)} (n = {g.n})
            </th>
          ))}
          <th scope="col">accuracy alone</th>
          <th scope="col">WGA alone</th>
          <th scope="col">SAGE picks</th>
        </tr>
      </thead>
      <tbody>
        {table.rows.map((r) => (
          <tr key={r.template} data-template={r.template} className={picked.has(r.template) ? 'selected' : undefined}>
            <td>{r.template}</td>
            <td>{r.text}</td>
            <td>{num(r.meanSeparation, 4)}</td>
            {r.groupSeparation.map((v, gi) => (
              <td key={gi}>{num(v, 4)}</td>
            ))}
            <td>{pct(r.singleAccuracy)}</td>
            <td>{pct(r.singleWorstGroupAccuracy)}</td>
            <td data-metric="picks">
              {r.sagePicks}
              {picked.has(r.template) ? ' ★' : ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <>
      <ChartFrame
        id="separation-chart"
        title="How strongly each template separates the classes"
        description="Separation = the spread of an image's class scores under one template (max − min over classes). SAGE keeps, per image, the K templates with the largest spread."
        chart={chart}
        table={tableView}
        height={360}
      />
      <div className="sage-picks" data-testid="sage-picks" id="sage-picks">
        <h3>Templates SAGE picked most (K = {sage.result.kSelected})</h3>
        {table.mostPicked.length === 0 ? (
          <p className="muted">No picks yet.</p>
        ) : (
          <ol>
            {table.mostPicked.map((t) => (
              <li key={t} data-template={t}>
                <q>{table.rows[t].text}</q> (#{t}) — picked for{' '}
                <strong data-metric="picks">{table.rows[t].sagePicks}</strong> of {input.records.length} images; alone:
                WGA {pct(table.rows[t].singleWorstGroupAccuracy)}
              </li>
            ))}
          </ol>
        )}
      </div>
    </>
  );
}

interface TooltipPayloadItem {
  payload?: Record<string, number | string>;
}

function SeparationTooltip({
  active,
  payload,
  groups,
}: {
  active?: boolean;
  payload?: readonly TooltipPayloadItem[];
  groups: { class: string; attribute: string }[];
}) {
  const point = payload?.[0]?.payload;
  if (!active || !point) return null;
  return (
    <div className="map-tooltip">
      <strong>
        #{String(point.template)}: {String(point.text)}
      </strong>
      <div>mean separation {num(Number(point.separation), 4)}</div>
      {groups.map((g, gi) => (
        <div key={gi}>
          {groupLabel(g.class, g.attribute)}: {num(Number(point[`g${gi}`]), 4)}
        </div>
      ))}
      <div>WGA alone {Number(point.singleWga).toFixed(1)}%</div>
      <div>SAGE picks {String(point.picks)}</div>
    </div>
  );
}
