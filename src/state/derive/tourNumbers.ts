/**
 * The numbers the guided tour quotes (issue 13 §2): taken from the same rows, template statistics, δ table and
 * PCA the results views draw, so every figure in the tour's text is one the user can find on screen. Pure; the
 * tour formats them with the table's own formatters.
 */
import type { GroupStats, MethodId, Metrics } from '../../core';
import type { ViewParams } from '../results';
import { projectionOf } from './embeddingProjection';
import { mostPicked, templateStats } from './templateStats';
import { discrepancies, methodRow, type MethodRow, type ResultsInput } from './views';

export interface GroupNumber {
  class: string;
  attribute: string;
  n: number;
  /** NaN when the group has no images */
  accuracy: number;
}

export interface MethodNumbers {
  method: MethodId;
  accuracy: number;
  n: number;
  worstGroupAccuracy: number;
  worst: GroupNumber;
  best: GroupNumber;
}

export interface KPoint {
  k: number;
  accuracy: number;
  worstGroupAccuracy: number;
  worst: GroupNumber;
}

export interface TourNumbers {
  imageCount: number;
  /** every group with images, largest first (the pattern the data teaches) */
  groups: GroupNumber[];
  zeroshot: MethodNumbers;
  /** SAGE at the view's K */
  sage: MethodNumbers & { k: number };
  /** SAGE on the group zero-shot does worst on */
  sageOnZeroshotWorst: GroupNumber;
  templateCount: number;
  zeroshotTemplate: { index: number; text: string };
  /** the template with the largest mean class separation */
  bestSeparating: { index: number; text: string; meanSeparation: number };
  /** the template SAGE picked for the most images at the view's K, null before any image is analysed */
  topPick: {
    index: number;
    text: string;
    picks: number;
    pickedForAccuracy: number;
    worstGroupAccuracyAlone: number;
    worstGroupAlone: { class: string; attribute: string };
  } | null;
  /** SAGE at K = 1, the view's K and all templates (distinct K, ascending) */
  kSweep: KPoint[];
  /** the largest finite δ of the method the δ chart shows, with zero-shot's δ for the same class and attribute */
  delta: {
    method: MethodId;
    class: string;
    attribute: string;
    delta: number;
    nPresent: number;
    nAbsent: number;
    zeroshotDelta: number;
  } | null;
  /** one image of SAGE's worst group that SAGE gets wrong (else one of zero-shot's worst group zero-shot gets wrong) */
  misclassified: {
    id: string;
    class: string;
    attribute: string;
    /** the method that gets it wrong, whose worst group it is in */
    method: MethodId;
    predicted: string;
    /** images of that group the method gets wrong, and the group's size */
    wrongInGroup: number;
    groupN: number;
    sageCorrect: boolean;
    zeroshotCorrect: boolean;
  } | null;
  /** the embedding map's two axes: share of the variance each keeps; null when the map cannot be drawn */
  map: { explained: [number, number]; n: number } | null;
}

function group(g: GroupStats): GroupNumber {
  return { class: g.class, attribute: g.attribute, n: g.n, accuracy: g.accuracy };
}

function methodNumbers(method: MethodId, metrics: Metrics): MethodNumbers {
  const present = metrics.groups.filter((g) => g.n > 0);
  let best = present[0] ?? metrics.worstGroup;
  for (const g of present) if (g.accuracy > best.accuracy) best = g;
  return {
    method,
    accuracy: metrics.accuracy,
    n: metrics.n,
    worstGroupAccuracy: metrics.worstGroupAccuracy,
    worst: group(metrics.worstGroup),
    best: group(best),
  };
}

const sameGroup = (a: { class: string; attribute: string }, b: { class: string; attribute: string }) =>
  a.class === b.class && a.attribute === b.attribute;

/**
 * `rows`: the comparison table's rows at `view` (zero-shot and SAGE must be among them, else null);
 * `shown`: the row the δ chart and the gallery show (the selected method).
 */
export function tourNumbers(
  input: ResultsInput,
  rows: readonly MethodRow[],
  shown: MethodRow,
  view: ViewParams,
): TourNumbers | null {
  const zeroshotRow = rows.find((r) => r.method === 'zeroshot');
  const sageRow = rows.find((r) => r.method === 'sage');
  if (!zeroshotRow || !sageRow || input.analysis.n === 0) return null;
  const zeroshot = methodNumbers('zeroshot', zeroshotRow.metrics);
  const sage = { ...methodNumbers('sage', sageRow.metrics), k: sageRow.result.kSelected };
  const sageOnZeroshotWorst = sageRow.metrics.groups.find((g) => sameGroup(g, zeroshot.worst));

  const stats = templateStats(input.analysis, input.records, input.classes, input.templates, sageRow.result);
  let bestSeparating = stats.templates[0];
  for (const t of stats.templates) if (t.meanSeparation > bestSeparating.meanSeparation) bestSeparating = t;
  const top = mostPicked(stats.templates, 1)[0];
  const zeroshotIndex = zeroshotRow.config.method === 'zeroshot' ? zeroshotRow.config.template : 0;

  const m = input.templates.length;
  const kSweep = [...new Set([1, sage.k, m])]
    .sort((a, b) => a - b)
    .map((k) => {
      const metrics = k === sage.k ? sageRow.metrics : methodRow(input, 'sage', { ...view, k }).metrics;
      return {
        k,
        accuracy: metrics.accuracy,
        worstGroupAccuracy: metrics.worstGroupAccuracy,
        worst: group(metrics.worstGroup),
      };
    });

  const projection = input.analysis.n >= 3 ? projectionOf(input.embeddings, input.analysis.n, input.dim) : null;
  return {
    imageCount: input.analysis.n,
    groups: zeroshotRow.metrics.groups
      .filter((g) => g.n > 0)
      .map(group)
      .sort((a, b) => b.n - a.n),
    zeroshot,
    sage,
    sageOnZeroshotWorst: sageOnZeroshotWorst ? group(sageOnZeroshotWorst) : sage.worst,
    templateCount: m,
    zeroshotTemplate: { index: zeroshotIndex, text: input.templates[zeroshotIndex] ?? '' },
    bestSeparating: {
      index: bestSeparating.template,
      text: bestSeparating.text,
      meanSeparation: bestSeparating.meanSeparation,
    },
    topPick:
      top && top.picks > 0
        ? {
            index: top.template,
            text: top.text,
            picks: top.picks,
            pickedForAccuracy: top.pickedForAccuracy,
            worstGroupAccuracyAlone: top.worstGroupAccuracyAlone,
            worstGroupAlone: { class: top.worstGroupAlone.class, attribute: top.worstGroupAlone.attribute },
          }
        : null,
    kSweep,
    delta: largestDelta(input, shown, zeroshotRow),
    misclassified: misclassifiedImage(input, sageRow, zeroshotRow),
    map: projection && projection.totalVariance > 0 ? { explained: projection.explained, n: input.analysis.n } : null,
  };
}

function largestDelta(input: ResultsInput, shown: MethodRow, zeroshotRow: MethodRow): TourNumbers['delta'] {
  // ranked largest signed δ first, as the chart lists them
  const top = discrepancies(input, shown).find((d) => Number.isFinite(d.delta));
  if (!top) return null;
  const zeroshotDelta = discrepancies(input, zeroshotRow).find((d) => sameGroup(d, top))?.delta ?? Number.NaN;
  return { method: shown.method, ...top, zeroshotDelta };
}

function misclassifiedImage(
  input: ResultsInput,
  sageRow: MethodRow,
  zeroshotRow: MethodRow,
): TourNumbers['misclassified'] {
  const classIndex = new Map(input.classes.map((c, i) => [c, i]));
  const right = (row: MethodRow, i: number) => row.result.predicted[i] === classIndex.get(input.records[i].class);
  for (const row of [sageRow, zeroshotRow]) {
    const worst = row.metrics.worstGroup;
    const members = input.records.flatMap((r, i) => (sameGroup(r, worst) ? [i] : []));
    const wrong = members.filter((i) => !right(row, i));
    if (wrong.length === 0) continue;
    const i = wrong[0];
    const record = input.records[i];
    return {
      id: record.id,
      class: record.class,
      attribute: record.attribute,
      method: row.method,
      predicted: input.classes[row.result.predicted[i]] ?? '',
      wrongInGroup: wrong.length,
      groupN: members.length,
      sageCorrect: right(sageRow, i),
      zeroshotCorrect: right(zeroshotRow, i),
    };
  }
  return null;
}
