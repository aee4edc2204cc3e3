import { useMemo } from 'react';
import { CartesianGrid, Legend, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import { type MapPoint, embeddingMapSeries } from '../../state/derive/embeddingMap';
import { pca2 } from '../../state/derive/pca';
import type { MethodRow, ResultsInput } from '../../state/derive/views';
import { useResults } from '../../state/results';
import { groupLabel, num } from '../format';
import { Thumbnail } from '../Thumbnail';
import { ChartFrame } from './ChartFrame';

const SHAPES = ['circle', 'square', 'triangle', 'diamond', 'cross', 'star', 'wye'] as const;

/** 2-D PCA of the image embeddings; colour and shape both encode the group; hover shows the thumbnail. */
export function EmbeddingMap({ input, selected }: { input: ResultsInput; selected: MethodRow }) {
  const n = input.analysis.n;
  const projection = useMemo(() => pca2(input.embeddings, n, input.dim), [input.embeddings, n, input.dim]);
  const { records, classes } = input;
  const predicted = selected.result.predicted;
  const series = useMemo(
    () => embeddingMapSeries({ records, classes }, projection.points, predicted, groupLabel),
    [records, classes, projection, predicted],
  );

  const chart = (
    <ResponsiveContainer width="100%" height="100%">
      <ScatterChart margin={{ top: 8, right: 12, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
        <XAxis
          type="number"
          dataKey="x"
          name="PC 1"
          tick={{ fill: 'var(--text)', fontSize: 11 }}
          tickFormatter={(v: number) => v.toFixed(2)}
        />
        <YAxis
          type="number"
          dataKey="y"
          name="PC 2"
          tick={{ fill: 'var(--text)', fontSize: 11 }}
          tickFormatter={(v: number) => v.toFixed(2)}
          width={48}
        />
        <Tooltip content={<MapTooltip />} />
        <Legend />
        {series.map((s, si) => (
          <Scatter
            key={s.name}
            name={s.name}
            data={s.points}
            fill={`var(--series-${(si % 6) + 1})`}
            shape={SHAPES[si % SHAPES.length]}
            isAnimationActive={false}
          />
        ))}
      </ScatterChart>
    </ResponsiveContainer>
  );
  const table = (
    <table>
      <thead>
        <tr>
          <th scope="col">image</th>
          <th scope="col">group</th>
          <th scope="col">PC 1</th>
          <th scope="col">PC 2</th>
          <th scope="col">{selected.label}</th>
        </tr>
      </thead>
      <tbody>
        {series.flatMap((s) =>
          s.points.slice(0, 500).map((p) => (
            <tr key={p.id}>
              <td>{p.id}</td>
              <td>{p.group}</td>
              <td>{num(p.x)}</td>
              <td>{num(p.y)}</td>
              <td>{p.correct ? '✓ correct' : '✗ wrong'}</td>
            </tr>
          )),
        )}
      </tbody>
    </table>
  );
  return (
    <ChartFrame
      id="embedding-map"
      title="Embedding map (PCA of image embeddings)"
      description={`Each shape is a group. Images that cluster by attribute rather than by class hint that the attribute dominates the embedding. PC 1 and PC 2 variance: ${num(projection.variance[0], 4)}, ${num(projection.variance[1], 4)}.`}
      chart={chart}
      table={table}
      height={340}
    />
  );
}

function MapTooltip({ active, payload }: { active?: boolean; payload?: readonly { payload?: MapPoint }[] }) {
  const thumbnails = useResults((s) => s.thumbnails);
  const point = payload?.[0]?.payload;
  if (!active || !point) return null;
  return (
    <div className="map-tooltip">
      <Thumbnail source={thumbnails.get(point.id)} alt={point.id} size={96} />
      <div>{point.id}</div>
      <div>
        {point.group} · {point.correct ? '✓ correct' : '✗ wrong'}
      </div>
    </div>
  );
}
