import { useLayoutEffect, useMemo, useRef } from 'react';
import {
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
  ZAxis,
} from 'recharts';
import {
  type MapPoint,
  componentAxisLabel,
  embeddingMapSeries,
  mapStride,
  groupMarker,
  mapUnavailableReason,
} from '../../state/derive/embeddingMap';
import { projectionOf } from '../../state/derive/embeddingProjection';
import type { MethodRow, ResultsInput } from '../../state/derive/views';
import { useResults } from '../../state/results';
import { groupLabel, num } from '../format';
import { Thumbnail } from '../Thumbnail';
import { ChartFrame } from './ChartFrame';
import { axisTick } from './chartStyle';
import { useChartStyle } from '../theme';
import './resultsCharts.css';

/**
 * 2-D PCA of the image embeddings; colour and shape both encode the group (the legend draws the same shape);
 * each axis says how much of the variance it keeps; hover shows the thumbnail.
 */
export function EmbeddingMap({ input, selected }: { input: ResultsInput; selected: MethodRow }) {
  const n = input.analysis.n;
  const style = useChartStyle();
  // recharts sizes scatter symbols by area (64 by default)
  const markerArea = 64 * style.marker ** 2;
  const projection = useMemo(() => projectionOf(input.embeddings, n, input.dim), [input.embeddings, n, input.dim]);
  const { records, classes } = input;
  const predicted = selected.result.predicted;
  const series = useMemo(
    () => embeddingMapSeries({ records, classes }, projection.points, predicted, groupLabel),
    [records, classes, projection, predicted],
  );

  // The plot depends on the embeddings only: a K or method change must not redraw one SVG symbol per image
  // (10,000 at scale). The tooltip reads the current correctness through a ref when it opens.
  const plotSeries = useMemo(
    () => embeddingMapSeries({ records, classes }, projection.points, null, groupLabel, mapStride(n)),
    [records, classes, projection, n],
  );
  const predictedNow = useRef(predicted);
  useLayoutEffect(() => {
    predictedNow.current = predicted;
  }, [predicted]);
  const correctOf = useMemo(() => {
    const classIndex = new Map(classes.map((c, i) => [c, i]));
    return (index: number) => predictedNow.current[index] === classIndex.get(records[index].class);
  }, [classes, records]);
  const unavailable = mapUnavailableReason(n, projection.totalVariance);
  const [xDomain, yDomain] = useMemo(() => paddedDomains(projection.points, n), [projection, n]);
  const xLabel = componentAxisLabel(1, projection.explained[0]);
  const yLabel = componentAxisLabel(2, projection.explained[1]);

  const chart = useMemo(
    () =>
      unavailable ? (
        <p className="chart-empty" data-empty-chart data-testid="embedding-map-empty">
          {unavailable}
        </p>
      ) : (
        <ResponsiveContainer width="100%" height="100%">
          <ScatterChart margin={{ top: 8, right: 12, bottom: 24 * style.scale, left: 12 * style.scale }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
            <XAxis
              type="number"
              dataKey="x"
              name="PC 1"
              domain={xDomain}
              tick={axisTick(style)}
              tickFormatter={(v: number) => v.toFixed(2)}
              label={{
                value: xLabel,
                position: 'insideBottom',
                offset: -16 * style.scale,
                fill: 'var(--text)',
                fontSize: style.fontSize,
              }}
            />
            <YAxis
              type="number"
              dataKey="y"
              name="PC 2"
              domain={yDomain}
              tick={axisTick(style)}
              tickFormatter={(v: number) => v.toFixed(2)}
              width={48 * style.scale}
              label={{
                value: yLabel,
                angle: -90,
                position: 'insideLeft',
                offset: -8,
                style: { textAnchor: 'middle' },
                fill: 'var(--text)',
                fontSize: style.fontSize,
              }}
            />
            <ZAxis range={[markerArea, markerArea]} />
            <Tooltip content={<MapTooltip correctOf={correctOf} />} />
            {/* in the series' (groups') order, as the shapes were handed out, not alphabetical */}
            <Legend verticalAlign="top" itemSorter={(item) => plotSeries.findIndex((s) => s.name === item.value)} />
            {plotSeries.map((s, si) => {
              const marker = groupMarker(si);
              return (
                <Scatter
                  key={s.name}
                  name={s.name}
                  data={s.points}
                  fill={marker.colour}
                  shape={marker.shape}
                  legendType={marker.shape}
                  isAnimationActive={false}
                />
              );
            })}
          </ScatterChart>
        </ResponsiveContainer>
      ),
    [unavailable, plotSeries, xDomain, yDomain, xLabel, yLabel, correctOf, style, markerArea],
  );
  const table = (
    <table>
      <thead>
        <tr>
          <th scope="col">image</th>
          <th scope="col">group</th>
          <th scope="col">{xLabel}</th>
          <th scope="col">{yLabel}</th>
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
      info={['pca']}
      description={
        unavailable
          ? 'Each image as a point, flattened to two dimensions.'
          : `Each image is a point; each group has its own shape and colour. Images that cluster by attribute rather than by class hint that the attribute dominates the embedding. The two axes keep ${pctShare(projection.explained[0] + projection.explained[1])} of the embeddings’ variance; the rest is lost in this flat picture.${mapStride(n) > 1 ? ` To keep the page responsive it draws every ${mapStride(n)}th image of each group (${plotSeries.reduce((sum, s) => sum + s.points.length, 0).toLocaleString('en')} of ${n.toLocaleString('en')}).` : ''}`
      }
      chart={chart}
      table={table}
      height={unavailable ? 88 : 360}
      deferUntilVisible={mapStride(n) > 1}
    />
  );
}

/** Each axis spans its points plus 6 % on both sides, so markers at the extremes are drawn whole. */
function paddedDomains(points: Float32Array, n: number): [[number, number], [number, number]] {
  let minX = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const x = points[2 * i];
    const y = points[2 * i + 1];
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const pad = (low: number, high: number): [number, number] => {
    if (!(high >= low)) return [-1, 1];
    const margin = Math.max((high - low) * 0.06, 1e-3);
    return [low - margin, high + margin];
  };
  return [pad(minX, maxX), pad(minY, maxY)];
}

function pctShare(share: number): string {
  return `${(share * 100).toFixed(0)}%`;
}

function MapTooltip({
  active,
  payload,
  correctOf,
}: {
  active?: boolean;
  payload?: readonly { payload?: MapPoint }[];
  correctOf: (index: number) => boolean;
}) {
  const thumbnails = useResults((s) => s.thumbnails);
  const point = payload?.[0]?.payload;
  if (!active || !point) return null;
  return (
    <div className="map-tooltip">
      <Thumbnail source={thumbnails.get(point.id)} alt={point.id} size={96} />
      <div>{point.id}</div>
      <div>
        {point.group} · {correctOf(point.index) ? '✓ correct' : '✗ wrong'}
      </div>
    </div>
  );
}
