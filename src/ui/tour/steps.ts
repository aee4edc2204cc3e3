/**
 * The guided walk as a lesson (issue 13 §2), one step per live view. Each step names the element it explains
 * (the box is placed beside it), whether it needs results (the tour waits for them), what to open first, and
 * its text as a function of the run's own numbers, formatted as the tables format them. Wording never relies
 * on colour: charts are described by their hatching, ★/◀ marks and labels, which every theme draws.
 */
import { methodName } from '../../state/derive/headline';
import type { GroupNumber, TourNumbers } from '../../state/derive/tourNumbers';
import { groupLabel, num, pct } from '../format';
import { pointsText } from '../results/chartParts';

/** What a step opens before pointing at it. */
export type TourOpen = 'template-pool' | 'image-detail';

export interface TourStep {
  id: string;
  title: string;
  /** CSS selector of the element the step explains and highlights */
  target: string;
  /** its essential part, pointed at instead when the whole view leaves the box no room (a phone's screen) */
  part?: string;
  /** the step quotes results: the tour waits for the run before showing it */
  needsResults: boolean;
  open?: TourOpen;
  /** the step shows buttons that set K itself (the K slider step) */
  drivesK?: boolean;
  /** the step's text from the current numbers (null: no results yet) */
  text(numbers: TourNumbers | null): string;
}

const group = (g: GroupNumber) => `${groupLabel(g.class, g.attribute)} (n = ${g.n})`;
const points = (share: number) => `${num(share * 100, 1)} points`;
/** as the map's axis titles round it (componentAxisLabel) */
const axisShare = (share: number) => pct(share, share > 0 && share < 0.01 ? 1 : 0);

export const TOUR_STEPS: readonly TourStep[] = [
  {
    id: 'data',
    title: 'A spurious correlation',
    target: '#dataset .matrix-wrap',
    needsResults: false,
    text: (n) => {
      const pattern =
        'Each cell counts the images of one class with one attribute (here, a bird and its background). When a class mostly comes with one attribute, the attribute predicts the class almost as well as the class itself, and a model can score well by looking at the attribute.';
      if (!n || n.groups.length < 2) return `${pattern} The small cells are the images that break the pattern.`;
      const largest = n.groups[0];
      const smallest = n.groups[n.groups.length - 1];
      return `${pattern} Here the largest group, ${groupLabel(largest.class, largest.attribute)}, has ${largest.n} of ${n.imageCount} images and the smallest, ${groupLabel(smallest.class, smallest.attribute)}, only ${smallest.n}: the small cells are the images that break the pattern.`;
    },
  },
  {
    id: 'groups',
    title: 'Accuracy per group',
    target: '#group-chart',
    needsResults: true,
    text: (n) => {
      const how =
        'A group is a class with one attribute. In the chart each group has two bars: the hatched upper bar is zero-shot, the solid lower bar the chosen method; “◀ worst” marks each one’s worst group.';
      if (!n) return how;
      return `${how} Zero-shot gets ${pct(n.zeroshot.worst.accuracy)} on ${group(n.zeroshot.worst)} but ${pct(n.zeroshot.best.accuracy)} on ${group(n.zeroshot.best)}; ${methodName('sage', n.sage.k)} gets ${pct(n.sageOnZeroshotWorst.accuracy)} on that worst group.`;
    },
  },
  {
    id: 'wga',
    title: 'Why the worst group matters',
    target: '.comparison-wrap',
    part: '.comparison-wrap caption',
    needsResults: true,
    text: (n) => {
      const why =
        'Overall accuracy hides small groups. Worst-group accuracy (WGA) is the accuracy on the group a method gets most wrong; the gap between the two measures how much it leans on the shortcut.';
      if (!n) return why;
      return `${why} Zero-shot is right on ${pct(n.zeroshot.accuracy)} of all ${n.zeroshot.n} images but on only ${pct(n.zeroshot.worstGroupAccuracy)} of ${group(n.zeroshot.worst)}: a gap of ${points(n.zeroshot.accuracy - n.zeroshot.worstGroupAccuracy)}. ${methodName('sage', n.sage.k)}: ${pct(n.sage.accuracy)} overall, WGA ${pct(n.sage.worstGroupAccuracy)} on ${group(n.sage.worst)}.`;
    },
  },
  {
    id: 'templates',
    title: 'What a template is',
    target: '#dataset .template-editor',
    needsResults: true,
    open: 'template-pool',
    text: (n) => {
      const what =
        'CLIP classifies an image by comparing it with sentences such as “a photo of a {}.”, with each class name filled in. Such a sentence pattern is a template.';
      if (!n) return what;
      return `${what} This pool has ${n.templateCount}. Zero-shot uses one of them, #${n.zeroshotTemplate.index} “${n.zeroshotTemplate.text}”; the ensemble averages all ${n.templateCount}; SAGE chooses among them for every image.`;
    },
  },
  {
    id: 'separation',
    title: 'How SAGE scores separation',
    target: '#separation-chart',
    part: '#separation-chart header',
    needsResults: true,
    text: (n) => {
      const how =
        'For each image and template SAGE measures how far apart the class scores are: the largest cosine minus the smallest. A template that separates the classes clearly for an image is one SAGE trusts for that image.';
      if (!n) return how;
      return `${how} Each bar is one template’s mean separation over the ${n.imageCount} images, longest first; the longest here is “${n.bestSeparating.text}” (${num(n.bestSeparating.meanSeparation, 3)}, as its bar reads).`;
    },
  },
  {
    id: 'picks',
    title: 'SAGE’s picks',
    target: '#sage-picks',
    needsResults: true,
    text: (n) => {
      if (!n) return 'SAGE picks templates for each image separately: the K that separate the classes most for it.';
      const k = n.sage.k;
      const each = `At K = ${k} every image uses its ${k === 1 ? 'single most-separating template' : `${k} most-separating templates`}.`;
      const top = n.topPick;
      if (!top) return `${each} No image has been analysed yet.`;
      const alone = `used alone for every image, its worst-group accuracy is ${pct(top.worstGroupAccuracyAlone)} (${groupLabel(top.worstGroupAlone.class, top.worstGroupAlone.attribute)})`;
      const lesson =
        top.worstGroupAccuracyAlone < top.pickedForAccuracy
          ? ' Picked only where it separates well, a template does better than it does everywhere.'
          : '';
      return `${each} The template picked most, “${top.text}”, was picked for ${top.picks} of ${n.imageCount} images and is right on ${pct(top.pickedForAccuracy)} of them; ${alone}.${lesson}`;
    },
  },
  {
    id: 'k',
    title: 'What changes with K',
    target: '#k-slider',
    needsResults: true,
    drivesK: true,
    text: (n) => {
      const what =
        'K is how many of its best-separating templates SAGE keeps per image: K = 1 uses only the best one, K = all is the plain ensemble. Nothing is re-embedded.';
      if (!n) return what;
      const sweep = n.kSweep
        .map(
          (p) =>
            `K = ${p.k}${p.k === n.sage.k ? ' (now)' : ''}: ${pct(p.worstGroupAccuracy)} on ${groupLabel(p.worst.class, p.worst.attribute)}`,
        )
        .join('; ');
      return `${what} SAGE’s worst-group accuracy here — ${sweep}. Set K with the buttons below, or move the slider yourself (Esc on the slider brings you back here).`;
    },
  },
  {
    id: 'delta',
    title: 'Accuracy discrepancy δ',
    target: '#discrepancy-chart',
    needsResults: true,
    text: (n) => {
      const what =
        'δ compares one class with and without an attribute: how many percentage points more often a method is right when the attribute is present. A large positive δ means the method leans on that attribute.';
      const d = n?.delta;
      if (!n || !d) return what;
      const zeroshot = d.method === 'zeroshot' ? '' : `; zero-shot’s δ there is ${pointsText(d.zeroshotDelta * 100)}`;
      return `${what} The largest here: ${d.class} with ${d.attribute}, δ = ${pointsText(d.delta * 100)} for ${methodName(d.method, n.sage.k)} (n = ${d.nPresent} with it, ${d.nAbsent} without)${zeroshot}.`;
    },
  },
  {
    id: 'image',
    title: 'One misclassified image',
    target: '[data-testid=image-detail]',
    part: '[data-testid=image-detail] .detail-head',
    needsResults: true,
    open: 'image-detail',
    text: (n) => {
      const how =
        'The drill-down explains one image: which templates each method used, their cosines, and which class won.';
      const m = n?.misclassified;
      if (!n || !m) return `${how} Every image is classified correctly here, so there is no mistake to look at.`;
      const name = methodName(m.method, n.sage.k);
      const other =
        m.method === 'sage'
          ? m.zeroshotCorrect
            ? 'Zero-shot gets this one right.'
            : 'Zero-shot gets it wrong too.'
          : m.sageCorrect
            ? `${methodName('sage', n.sage.k)} gets it right.`
            : `${methodName('sage', n.sage.k)} gets it wrong too.`;
      return `${how} This ${m.class} with ${m.attribute || 'no attribute'} is one of the ${m.wrongInGroup} images of ${groupLabel(m.class, m.attribute)} (n = ${m.groupN}), ${name}’s worst group, that ${name} gets wrong: it says ${m.predicted}. ${other} In the panel, ← and → step through the images.`;
    },
  },
  {
    id: 'map',
    title: 'The embedding map',
    target: '#embedding-map',
    needsResults: true,
    text: (n) => {
      const what =
        'Each point is one image’s embedding, flattened to two dimensions (PCA); each group has its own marker shape. If the points gather by attribute rather than by class, the attribute dominates what CLIP sees.';
      if (!n?.map) return what;
      return `${what} PC 1 (the horizontal axis) keeps ${axisShare(n.map.explained[0])} of the variance of the ${n.map.n} embeddings and PC 2 (the vertical axis) ${axisShare(n.map.explained[1])}: the rest is lost in this flat picture.`;
    },
  },
];

/** The K values the K step offers: 1, a middle value, and all templates (distinct, ascending). */
export function kChoices(templateCount: number): number[] {
  if (templateCount < 1) return [];
  const middle = Math.min(templateCount, 5);
  return [...new Set([1, middle, templateCount])];
}
