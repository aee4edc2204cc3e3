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
import type { EpochReport } from '../../core/adapter';
import { pct } from '../format';
import { ChartFrame } from '../results/ChartFrame';
import { axisTick, bottomAxisTitle } from '../results/chartStyle';
import { useChartStyle } from '../theme';

/**
 * The live training curve: the training loss per epoch (left axis) and the validation worst-group accuracy
 * (right axis, %), with the epoch whose weights are kept (best validation WGA) marked. Grows as epochs arrive.
 */
export function TrainingCurve({ epochs, total }: { epochs: readonly EpochReport[]; total: number }) {
  const data = useMemo(
    () =>
      epochs.map((e) => ({
        epoch: e.epoch,
        loss: e.trainLoss,
        valWga: Number.isFinite(e.valWGA) ? e.valWGA * 100 : null,
      })),
    [epochs],
  );
  const style = useChartStyle();
  const last = epochs.at(-1);
  const best = last?.bestEpoch ?? 0;
  const chart = (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={data} margin={{ top: 24 * style.scale, right: 8, bottom: 8, left: 4 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
        <XAxis
          dataKey="epoch"
          type="number"
          domain={[1, Math.max(2, total)]}
          allowDecimals={false}
          tick={axisTick(style)}
          label={bottomAxisTitle('epoch', style)}
          height={46 * style.scale}
        />
        <YAxis
          yAxisId="loss"
          tick={axisTick(style)}
          width={56 * style.scale}
          domain={['auto', 'auto']}
          tickFormatter={(v: number) => v.toFixed(2)}
          label={{
            value: 'training loss',
            angle: -90,
            position: 'insideLeft',
            offset: 6,
            fill: 'var(--text)',
            fontSize: style.titleSize,
            style: { textAnchor: 'middle' },
          }}
        />
        <YAxis
          yAxisId="wga"
          orientation="right"
          domain={[0, 100]}
          unit="%"
          tick={axisTick(style)}
          width={64 * style.scale}
          label={{
            value: 'validation WGA (%)',
            angle: 90,
            position: 'insideRight',
            offset: 6,
            fill: 'var(--text)',
            fontSize: style.titleSize,
            style: { textAnchor: 'middle' },
          }}
        />
        <Tooltip
          formatter={(value, name) =>
            name === 'training loss' ? Number(value).toFixed(4) : `${Number(value).toFixed(1)}%`
          }
          labelFormatter={(label) => `epoch ${String(label)}`}
          contentStyle={{ background: 'var(--panel)', borderColor: 'var(--border)', color: 'var(--text)' }}
        />
        <Legend wrapperStyle={{ color: 'var(--text)', fontSize: style.titleSize, paddingTop: 4 }} />
        {best > 0 && (
          <ReferenceLine
            yAxisId="wga"
            x={best}
            stroke="var(--ok)"
            strokeWidth={2 * style.stroke}
            label={{
              value: `kept: epoch ${best}`,
              position: 'insideTopRight',
              fill: 'var(--text)',
              fontSize: style.titleSize,
            }}
          />
        )}
        <Line
          yAxisId="loss"
          dataKey="loss"
          name="training loss"
          stroke="var(--series-2)"
          strokeWidth={2 * style.stroke}
          dot={epochs.length <= 60}
          isAnimationActive={false}
        />
        <Line
          yAxisId="wga"
          dataKey="valWga"
          name="validation worst-group accuracy"
          stroke="var(--series-1)"
          strokeWidth={2.5 * style.stroke}
          dot={epochs.length <= 60}
          isAnimationActive={false}
          connectNulls
        />
      </LineChart>
    </ResponsiveContainer>
  );
  const table = (
    <table data-testid="training-curve-table">
      <caption>Per epoch: training loss and validation accuracy</caption>
      <thead>
        <tr>
          <th scope="col">epoch</th>
          <th scope="col">training loss</th>
          <th scope="col">validation worst-group accuracy</th>
          <th scope="col">validation accuracy</th>
        </tr>
      </thead>
      <tbody>
        {epochs.map((e) => (
          <tr key={e.epoch} className={e.epoch === best ? 'selected' : undefined}>
            <th scope="row">{e.epoch}</th>
            <td>{e.trainLoss.toFixed(4)}</td>
            <td>{pct(e.valWGA)}</td>
            <td>{pct(e.valAcc)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <ChartFrame
      id="training-curve"
      title="Training curve"
      description={
        <>
          Training loss (left axis) and worst-group accuracy on the validation split (right axis) after each epoch; the
          adapter keeps the epoch with the best validation worst-group accuracy.
        </>
      }
      chart={chart}
      table={table}
      height={320}
    />
  );
}
