import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { Bar, BarChart, CartesianGrid, LabelList, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import {
  TEMPLATE_SORTS,
  mostPicked,
  sortTemplates,
  sortValue,
  templateStats,
  type TemplateGroup,
  type TemplateSort,
  type TemplateStat,
  type TemplateStats,
} from '../../state/derive/templateStats';
import type { MethodRow, ResultsInput } from '../../state/derive/views';
import { groupLabel, num, pct } from '../format';
import { InfoTip } from '../InfoTip';
import { ChartFrame } from './ChartFrame';
import { KCurveChart } from './KCurveChart';
import { axisTick, bottomAxisTitle, legendOrder } from './chartStyle';
import { useChartStyle } from '../theme';
import './templatesView.css';

/** Templates the chart shows until "Show all" is pressed. */
const TOP_N = 15;

const EXPLANATION =
  'SAGE picks templates for each image separately: every image uses the K templates that separate the classes most for it. ' +
  'A template that fails a whole group when used alone for all images is usually picked only for images it handles well, ' +
  'so compare “accuracy on the images it was picked for” with “WGA alone”: the per-image picks can beat every single template.';

/**
 * The templates view (issue 12 §3): templates as horizontal bars with their text on the axis, sorted by the
 * user's choice (mean separation, SAGE's picks at the current K, or WGA alone), the top 15 until "Show all";
 * per-group values behind a toggle. Under it, SAGE's most-picked templates with their accuracy on the images
 * they were picked for next to their WGA alone, and the WGA/accuracy-against-K chart.
 */
export function SeparationChart({ input, sage }: { input: ResultsInput; sage: MethodRow }) {
  const { analysis, records, classes, templates } = input;
  const stats = useMemo(
    () => templateStats(analysis, records, classes, templates, sage.result),
    [analysis, records, classes, templates, sage.result],
  );
  const [sortBy, setSortBy] = useState<TemplateSort>('separation');
  const chartScale = useChartStyle().scale;
  const [showAll, setShowAll] = useState(false);
  const [perGroup, setPerGroup] = useState(false);
  const sorted = useMemo(() => sortTemplates(stats.templates, sortBy), [stats, sortBy]);
  const shown = showAll ? sorted : sorted.slice(0, TOP_N);
  const top = mostPicked(stats.templates, 5);
  const total = stats.templates.length;

  const controls = (
    <div className="templates-controls">
      <label>
        Sort by{' '}
        <select value={sortBy} onChange={(e) => setSortBy(e.target.value as TemplateSort)} data-testid="template-sort">
          {(Object.keys(TEMPLATE_SORTS) as TemplateSort[]).map((key) => (
            <option key={key} value={key}>
              {key === 'picks' ? `${TEMPLATE_SORTS[key]} at K = ${stats.k}` : TEMPLATE_SORTS[key]}
            </option>
          ))}
        </select>
      </label>
      {total > TOP_N && (
        <button
          type="button"
          className="secondary small"
          aria-pressed={showAll}
          onClick={() => setShowAll((v) => !v)}
          data-testid="template-show-all"
        >
          {showAll ? `Show top ${TOP_N}` : `Show all ${total}`}
        </button>
      )}
      <label>
        <input
          type="checkbox"
          checked={perGroup}
          onChange={(e) => setPerGroup(e.target.checked)}
          data-testid="template-per-group"
        />{' '}
        per-group values
      </label>
    </div>
  );
  const description = (
    <>
      {controls}
      <p className="templates-explanation" data-testid="per-image-explanation">
        {EXPLANATION}
      </p>
      <p className="templates-shown">
        {shown.length === total ? `All ${total} templates` : `Top ${shown.length} of ${total} templates`}, largest{' '}
        {TEMPLATE_SORTS[sortBy]} first; the legend marks the templates SAGE picked for at least one image at K ={' '}
        {stats.k}.
      </p>
    </>
  );
  return (
    <>
      <ChartFrame
        id="separation-chart"
        title="Prompt templates: class separation, SAGE's picks, accuracy alone"
        info={['separation', 'perImagePicks', 'wga']}
        description={description}
        chart={<TemplateBars stats={stats} shown={shown} sortBy={sortBy} perGroup={perGroup} />}
        table={<TemplateTable stats={stats} sorted={sorted} />}
        height={chartHeight(shown.length, perGroup ? stats.groups.length : 0, chartScale)}
      />
      <PickedTemplates stats={stats} top={top} />
      <KCurveChart
        input={input}
        k={sage.result.kSelected}
        aggregate={sage.config.method === 'sage' ? sage.config.aggregate : 'embedding'}
      />
    </>
  );
}

const ROW_HEIGHT = 34;
const GROUP_BAR_HEIGHT = 9;

function chartHeight(rows: number, groups: number, scale: number): number {
  // top margin for the axis title, bottom for the x axis, its title and the legend; a larger chart font
  // (projector theme, presentation) needs taller rows for its two-line template labels
  return rows * (ROW_HEIGHT * scale + groups * GROUP_BAR_HEIGHT) + 130 * scale;
}

/** The chart box's width, for the template-text axis (recharts needs a number). */
function useWidth(): [RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement | null>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => setWidth(element.clientWidth);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/** The bar length in the chart's unit (WGA as a percentage). */
function chartValue(stat: TemplateStat, by: TemplateSort): number {
  return by === 'wgaAlone' ? stat.worstGroupAccuracyAlone * 100 : sortValue(stat, by);
}

function groupValue(stat: TemplateStat, by: TemplateSort, g: number): number {
  switch (by) {
    case 'separation':
      return stat.groupSeparation[g];
    case 'picks':
      return stat.groupPicks[g];
    case 'wgaAlone':
      return stat.groupAccuracyAlone[g] * 100;
  }
}

function formatValue(value: number, by: TemplateSort): string {
  if (!Number.isFinite(value)) return '–';
  switch (by) {
    case 'separation':
      return value.toFixed(3);
    case 'picks':
      return String(value);
    case 'wgaAlone':
      return `${value.toFixed(1)}%`;
  }
}

/** The x axis title with its unit; `short` for narrow screens. */
function axisTitle(by: TemplateSort, stats: TemplateStats, perGroup: boolean, short: boolean): string {
  switch (by) {
    case 'separation':
      return short
        ? 'mean separation (cosine, max − min)'
        : 'mean class separation (cosine similarity: largest − smallest class score)';
    case 'picks':
      return short
        ? `images picked for, K = ${stats.k} (of ${stats.imageCount})`
        : `images SAGE picked the template for at K = ${stats.k} (of ${stats.imageCount})`;
    case 'wgaAlone':
      if (short) return perGroup ? 'accuracy alone (%): worst, each group' : 'WGA alone, all images (%)';
      return perGroup
        ? 'accuracy when used alone for all images (%): worst group and each group'
        : 'worst-group accuracy when used alone for all images (%)';
  }
}

/** Splits a template's text into at most two lines of `width` characters (an ellipsis ends a longer text). */
function wrapText(text: string, width: number): string[] {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const next = line === '' ? word : `${line} ${word}`;
    if (next.length <= width || line === '') {
      line = next;
      continue;
    }
    lines.push(line);
    line = word;
  }
  lines.push(line);
  if (lines.length <= 2) return lines.map((l) => (l.length > width ? `${l.slice(0, width - 1)}…` : l));
  const second = lines.slice(1).join(' ');
  return [lines[0], `${second.slice(0, width - 1)}…`];
}

interface TickProps {
  x?: number | string;
  y?: number | string;
  payload?: { value?: unknown };
}

function TemplateBars({
  stats,
  shown,
  sortBy,
  perGroup,
}: {
  stats: TemplateStats;
  shown: TemplateStat[];
  sortBy: TemplateSort;
  perGroup: boolean;
}) {
  const [box, width] = useWidth();
  const style = useChartStyle();
  const axisWidth = Math.round(Math.min(300 * style.scale, Math.max(120, width * 0.42)));
  const charsPerLine = Math.max(12, Math.floor((axisWidth - 10) / style.charWidth));
  const byTemplate = new Map(shown.map((s) => [s.template, s]));
  const data = shown.map((s) => {
    const value = chartValue(s, sortBy);
    const point: Record<string, number | string | null> = {
      template: s.template,
      picked: s.picks > 0 ? value : null,
      notPicked: s.picks > 0 ? null : value,
      valueLabel: formatValue(value, sortBy),
    };
    stats.groups.forEach((_, g) => {
      point[`g${g}`] = groupValue(s, sortBy, g);
    });
    return point;
  });
  const renderTick = ({ x, y, payload }: TickProps) => {
    const stat = byTemplate.get(Number(payload?.value));
    if (!stat) return <g />;
    const lines = wrapText(stat.text, charsPerLine);
    const top = Number(y) - ((lines.length - 1) * style.lineHeight) / 2;
    return (
      <text
        x={Number(x)}
        y={top}
        textAnchor="end"
        fill="var(--text)"
        fontSize={style.fontSize}
        className="template-tick"
      >
        <title>{`#${stat.template}: ${stat.text}`}</title>
        {lines.map((line, i) => (
          <tspan key={i} x={Number(x)} dy={i === 0 ? style.fontSize * 0.36 : style.lineHeight}>
            {line}
          </tspan>
        ))}
      </text>
    );
  };
  const percent = sortBy === 'wgaAlone';
  return (
    <div ref={box} className="template-bars">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart
          data={data}
          layout="vertical"
          margin={{ top: 26 * style.scale, right: 48 * style.scale, bottom: 8, left: 4 }}
          barGap={1}
        >
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" horizontal={false} />
          <XAxis
            type="number"
            domain={percent ? [0, 100] : [0, 'auto']}
            unit={percent ? '%' : undefined}
            allowDecimals={sortBy !== 'picks'}
            tick={axisTick(style)}
            tickFormatter={(v: number) => (sortBy === 'separation' ? v.toFixed(2) : String(v))}
            label={bottomAxisTitle(axisTitle(sortBy, stats, perGroup, width < 640 * style.scale), style)}
            height={46 * style.scale}
          />
          <YAxis
            type="category"
            dataKey="template"
            width={axisWidth}
            interval={0}
            tick={renderTick}
            tickLine={false}
            label={{
              // drawn at the chart's top left: centred over a narrow axis it would be clipped
              content: () => (
                <text x={4} y={16 * style.scale} fill="var(--text)" fontSize={style.titleSize}>
                  prompt template ({'{}'} = class name)
                </text>
              ),
            }}
          />
          <Tooltip content={<TemplateTooltip stats={stats} />} cursor={{ fill: 'var(--selected)' }} />
          <Legend
            wrapperStyle={{ color: 'var(--text)', fontSize: style.titleSize, paddingTop: 4 }}
            itemSorter={legendOrder(['picked', 'notPicked', ...stats.groups.map((_, gi) => `g${gi}`)])}
          />
          <Bar
            dataKey="picked"
            stackId="main"
            name={`picked by SAGE at K = ${stats.k}`}
            fill="var(--series-2)"
            isAnimationActive={false}
          >
            <LabelList dataKey="valueLabel" content={renderValueLabel('picked', style.fontSize)} />
          </Bar>
          <Bar dataKey="notPicked" stackId="main" name="not picked" fill="var(--series-1)" isAnimationActive={false}>
            <LabelList dataKey="valueLabel" content={renderValueLabel('notPicked', style.fontSize)} />
          </Bar>
          {perGroup &&
            stats.groups.map((g, gi) => (
              <Bar
                key={gi}
                dataKey={`g${gi}`}
                name={`${groupLabel(g.class, g.attribute)} (n = ${g.n})`}
                fill={`var(--series-${(gi % 4) + 3})`}
                barSize={GROUP_BAR_HEIGHT - 2}
                isAnimationActive={false}
              />
            ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

interface ValueLabelProps {
  x?: number | string;
  y?: number | string;
  width?: number | string;
  height?: number | string;
  value?: unknown;
  index?: number;
}

/** The value at the end of a bar, drawn only for the series that holds the row's bar. */
function renderValueLabel(series: 'picked' | 'notPicked', fontSize: number) {
  return function ValueLabel(props: ValueLabelProps) {
    const { x, y, width, height, value } = props;
    if (value === undefined || value === null || !Number.isFinite(Number(width)) || Number(width) <= 0) {
      return null;
    }
    return (
      <text
        x={Number(x) + Number(width) + 4}
        y={Number(y) + Number(height) / 2}
        dominantBaseline="central"
        fill="var(--text)"
        fontSize={fontSize}
        data-series={series}
      >
        {String(value)}
      </text>
    );
  };
}

interface TooltipPayloadItem {
  payload?: Record<string, unknown>;
}

function TemplateTooltip({
  active,
  payload,
  stats,
}: {
  active?: boolean;
  payload?: readonly TooltipPayloadItem[];
  stats: TemplateStats;
}) {
  const template = Number(payload?.[0]?.payload?.template);
  const stat = stats.templates[template];
  if (!active || !stat) return null;
  return (
    <div className="map-tooltip template-tooltip">
      <strong>
        #{stat.template}: {stat.text}
      </strong>
      <div>mean class separation {num(stat.meanSeparation, 4)}</div>
      <div>
        picked by SAGE for {stat.picks} of {stats.imageCount} images at K = {stats.k}
        {stat.picks > 0 && `; right alone on ${stat.pickedForCorrect} of them (${pct(stat.pickedForAccuracy)})`}
      </div>
      <div>
        alone for all images: accuracy {pct(stat.accuracyAlone)}, worst-group accuracy{' '}
        {pct(stat.worstGroupAccuracyAlone)} ({groupLabel(stat.worstGroupAlone.class, stat.worstGroupAlone.attribute)})
      </div>
    </div>
  );
}

function TemplateTable({ stats, sorted }: { stats: TemplateStats; sorted: TemplateStat[] }) {
  return (
    <table data-testid="separation-table">
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">template</th>
          <th scope="col">mean separation</th>
          {stats.groups.map((g, gi) => (
            <th scope="col" key={gi}>
              separation: {groupLabel(g.class, g.attribute)} (n = {g.n})
            </th>
          ))}
          <th scope="col">picked for (images, K = {stats.k})</th>
          <th scope="col">accuracy on the images it was picked for</th>
          <th scope="col">accuracy alone</th>
          <th scope="col">WGA alone (worst group)</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((s) => (
          <tr key={s.template} data-template={s.template} className={s.picks > 0 ? 'selected' : undefined}>
            <td>{s.template}</td>
            <td>{s.text}</td>
            <td>{num(s.meanSeparation, 4)}</td>
            {s.groupSeparation.map((v, gi) => (
              <td key={gi}>{num(v, 4)}</td>
            ))}
            <td data-metric="picks">{s.picks}</td>
            <td data-metric="picked-for-accuracy">
              {s.picks > 0 ? `${pct(s.pickedForAccuracy)} (${s.pickedForCorrect} of ${s.picks})` : '– (not picked)'}
            </td>
            <td>{pct(s.accuracyAlone)}</td>
            <td data-metric="wga-alone">
              {pct(s.worstGroupAccuracyAlone)} ({groupLabel(s.worstGroupAlone.class, s.worstGroupAlone.attribute)})
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PickedTemplates({ stats, top }: { stats: TemplateStats; top: TemplateStat[] }) {
  return (
    <div className="sage-picks" data-testid="sage-picks" id="sage-picks">
      <h3>
        Templates SAGE picked most (K = {stats.k})
        <InfoTip term="perImagePicks" />
      </h3>
      {top.length === 0 ? (
        <p className="muted">SAGE has not picked any template yet: no images have been analysed.</p>
      ) : (
        <ol>
          {top.map((s) => (
            <PickedTemplate key={s.template} stat={s} imageCount={stats.imageCount} groups={stats.groups} />
          ))}
        </ol>
      )}
    </div>
  );
}

function PickedTemplate({
  stat,
  imageCount,
  groups,
}: {
  stat: TemplateStat;
  imageCount: number;
  groups: TemplateGroup[];
}) {
  const pickedGroups = groups
    .map((g, gi) => ({ label: groupLabel(g.class, g.attribute), picks: stat.groupPicks[gi] }))
    .filter((g) => g.picks > 0);
  return (
    <li data-template={stat.template}>
      <q>{stat.text}</q> <span className="muted">(#{stat.template})</span> — picked for{' '}
      <strong data-metric="picks">{stat.picks}</strong> of {imageCount} images
      {pickedGroups.length > 0 && (
        <span className="muted"> ({pickedGroups.map((g) => `${g.label}: ${g.picks}`).join(', ')})</span>
      )}
      <div className="picked-compare">
        <span data-metric="picked-for-accuracy">
          accuracy on the images it was picked for: <strong>{pct(stat.pickedForAccuracy)}</strong> (
          {stat.pickedForCorrect} of {stat.picks})
        </span>
        <span data-metric="wga-alone">
          WGA alone (used for all images): <strong>{pct(stat.worstGroupAccuracyAlone)}</strong> (worst group{' '}
          {groupLabel(stat.worstGroupAlone.class, stat.worstGroupAlone.attribute)})
        </span>
      </div>
    </li>
  );
}
