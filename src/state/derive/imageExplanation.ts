/**
 * One image's drill-down in words: per method, which templates (or prompts, or attribute corrections) it used
 * and which class it chose, with the cosine scores behind the choice. Pure: the view renders the parts.
 */
import { METHOD_NAMES, isAttributeMethodResult, type MethodId, type MethodParameter } from '../../core';
import type { MethodRow, ResultsInput } from './views';

/** A piece of an explanation sentence: plain words, a quoted template or prompt, a class name, or a number. */
export type ExplanationPart =
  | { kind: 'text'; text: string }
  | { kind: 'template'; text: string }
  | { kind: 'class'; text: string }
  | { kind: 'attribute'; text: string }
  | { kind: 'score'; text: string };

export interface ClassScore {
  class: string;
  /** the method's score for this class (a cosine similarity, or an average of them; see `scoreMeaning`) */
  score: number;
}

export interface MethodExplanation {
  method: MethodId;
  /** the method's name with its K where it has one, e.g. "SAGE (K = 1)" */
  name: string;
  predicted: string;
  correct: boolean;
  /** template indices the method used for this image (zero-shot: one; SAGE/random: K, best first; else empty) */
  templates: number[];
  chosen: ClassScore;
  /** the best other class, null with a single class */
  runnerUp: ClassScore | null;
  /** what the two numbers are, in words */
  scoreMeaning: string;
  parts: ExplanationPart[];
  /** the parts as plain text */
  sentence: string;
}

export interface ImageExplanation {
  zeroshot: MethodExplanation | null;
  sage: MethodExplanation | null;
  /** every other computed method, in the rows' order */
  others: MethodExplanation[];
}

/** "SAGE (K = 3)", "Random (K = 3)", "Zero-shot": the short name the sentences use. */
export function methodName(row: MethodRow): string {
  const name = METHOD_NAMES[row.method];
  return row.config.method === 'sage' || row.config.method === 'random' ? `${name} (K = ${row.config.k})` : name;
}

/** Two scores with as many decimals (3 to 6) as it takes to tell them apart. */
function scoreTexts(a: number, b: number | null): [string, string] {
  let digits = 3;
  while (b !== null && digits < 6 && a.toFixed(digits) === b.toFixed(digits)) digits++;
  return [a.toFixed(digits), b === null ? '' : b.toFixed(digits)];
}

const MAX_LISTED = 3;

/** ‘a’, ‘b’ and ‘c’ (and 5 more) as parts. */
function templateList(texts: readonly string[]): ExplanationPart[] {
  const shown = texts.slice(0, MAX_LISTED);
  const parts: ExplanationPart[] = [];
  shown.forEach((text, j) => {
    if (j > 0)
      parts.push({ kind: 'text', text: j === shown.length - 1 && texts.length <= MAX_LISTED ? ' and ' : ', ' });
    parts.push({ kind: 'template', text });
  });
  if (texts.length > MAX_LISTED) parts.push({ kind: 'text', text: ` and ${texts.length - MAX_LISTED} more` });
  return parts;
}

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

function numberParameter(parameters: Record<string, MethodParameter> | undefined, key: string): number {
  const value = parameters?.[key];
  return typeof value === 'number' ? value : NaN;
}

function listParameter(parameters: Record<string, MethodParameter> | undefined, key: string): (string | number)[] {
  const value = parameters?.[key];
  return Array.isArray(value) ? value : [];
}

/** The chosen class and the best other class for image `index` under `row`. */
function chosenAndRunnerUp(input: ResultsInput, row: MethodRow, index: number): [ClassScore, ClassScore | null] {
  const c = input.classes.length;
  const scores = row.result.scores.subarray(index * c, (index + 1) * c);
  const predicted = row.result.predicted[index];
  let other = -1;
  for (let cls = 0; cls < c; cls++) {
    if (cls !== predicted && (other < 0 || scores[cls] > scores[other])) other = cls;
  }
  const chosen = { class: input.classes[predicted], score: scores[predicted] };
  return [chosen, other < 0 ? null : { class: input.classes[other], score: scores[other] }];
}

/** "and chose landbird (cosine 0.270 for landbird vs 0.250 for waterbird). That is wrong: it is a waterbird." */
function choiceParts(
  chosen: ClassScore,
  runnerUp: ClassScore | null,
  scoreWords: string,
  trueClass: string,
): ExplanationPart[] {
  const [chosenText, otherText] = scoreTexts(chosen.score, runnerUp?.score ?? null);
  const parts: ExplanationPart[] = [
    { kind: 'text', text: 'and chose ' },
    { kind: 'class', text: chosen.class },
    { kind: 'text', text: ` (${scoreWords} ` },
    { kind: 'score', text: chosenText },
    { kind: 'text', text: ` for ${chosen.class}` },
  ];
  if (runnerUp) {
    const tie = runnerUp.score === chosen.score ? ', a tie: the class listed first wins' : '';
    parts.push(
      { kind: 'text', text: ' vs ' },
      { kind: 'score', text: otherText },
      { kind: 'text', text: ` for ${runnerUp.class}${tie}` },
    );
  } else {
    parts.push({ kind: 'text', text: ', the only class' });
  }
  parts.push({ kind: 'text', text: '). ' });
  parts.push(
    chosen.class === trueClass
      ? { kind: 'text', text: 'That is right.' }
      : { kind: 'text', text: `That is wrong: the true class is ${trueClass}.` },
  );
  return parts;
}

function separationOf(input: ResultsInput, index: number, template: number): number {
  return input.analysis.separation[index * input.analysis.m + template];
}

/** The group prompt of the chosen class closest to the image: the one whose cosine is the class's score. */
function closestGroupPrompt(input: ResultsInput, index: number, predicted: string): string | null {
  const { dim } = input;
  const image = input.embeddings.subarray(index * dim, (index + 1) * dim);
  let imageNorm = 0;
  for (let d = 0; d < dim; d++) imageNorm += image[d] * image[d];
  let best: string | null = null;
  let bestCosine = -Infinity;
  for (const prompt of input.groupPrompts) {
    if (prompt.class !== predicted) continue;
    let dot = 0;
    let norm = 0;
    for (let d = 0; d < dim; d++) {
      dot += image[d] * prompt.embedding[d];
      norm += prompt.embedding[d] * prompt.embedding[d];
    }
    const cosine = dot / Math.sqrt(imageNorm * norm || 1);
    if (cosine > bestCosine) {
      bestCosine = cosine;
      best = prompt.prompt;
    }
  }
  return best;
}

/** What the method did for this image, up to the choice: the parts before "and chose …", and the score's meaning. */
function usedParts(
  input: ResultsInput,
  row: MethodRow,
  index: number,
  zeroshotTemplate: number | null,
): { parts: ExplanationPart[]; templates: number[]; scoreWords: string; scoreMeaning: string } {
  const { templates: texts } = input;
  const config = row.config;
  const cosine = {
    scoreWords: 'cosine',
    scoreMeaning: 'cosine similarity between the image and each class’s prompt',
  };
  const text = (value: string): ExplanationPart => ({ kind: 'text', text: value });
  switch (config.method) {
    case 'zeroshot':
      return {
        parts: [text('used '), { kind: 'template', text: texts[config.template] }, text(' ')],
        templates: [config.template],
        ...cosine,
      };
    case 'sage':
    case 'random': {
      const k = row.result.kSelected;
      const picked = Array.from(row.result.selected.subarray(index * k, (index + 1) * k));
      const averaged =
        config.aggregate === 'score'
          ? {
              scoreWords: 'mean cosine',
              scoreMeaning: `mean of the cosine similarities over the ${plural(k, 'template')}`,
            }
          : {
              scoreWords: 'cosine with the averaged prompts',
              scoreMeaning: `cosine similarity between the image and the average of the ${plural(k, 'template')}’ class prompts`,
            };
      const scores = k === 1 ? cosine : averaged;
      if (config.method === 'random') {
        const drawn =
          k === 1
            ? 'used one template drawn at random for this image, '
            : `averaged ${k} templates drawn at random for this image (seed ${config.seed}), `;
        return {
          parts: [text(drawn), ...templateList(picked.map((t) => texts[t])), text(', ')],
          templates: picked,
          ...scores,
        };
      }
      const parts: ExplanationPart[] =
        k === 1
          ? [
              text('used '),
              { kind: 'template', text: texts[picked[0]] },
              text(', which separates the classes most for this image'),
            ]
          : [
              text(`averaged the ${k} templates that separate the classes most for this image, `),
              ...templateList(picked.map((t) => texts[t])),
            ];
      if (k === 1 && picked.length === 1) {
        const own = separationOf(input, index, picked[0]);
        const [ownText, zsText] = scoreTexts(
          own,
          zeroshotTemplate === null ? null : separationOf(input, index, zeroshotTemplate),
        );
        parts.push(text(' (separation '), { kind: 'score', text: ownText });
        if (zeroshotTemplate !== null && zeroshotTemplate !== picked[0]) {
          parts.push(text(' vs '), { kind: 'score', text: zsText }, text(' for zero-shot’s template'));
        }
        parts.push(text(')'));
      }
      parts.push(text(', '));
      return { parts, templates: picked, ...scores };
    }
    case 'ensemble': {
      const pool = input.analysis.pool.length;
      const all =
        pool === input.analysis.m ? `all ${plural(pool, 'template')}` : `the ${plural(pool, 'template')} in use`;
      const scores =
        config.aggregate === 'score'
          ? { scoreWords: 'mean cosine', scoreMeaning: `mean of the cosine similarities over ${all}` }
          : {
              scoreWords: 'cosine with the averaged prompts',
              scoreMeaning: `cosine similarity between the image and the average of ${all}’ class prompts`,
            };
      return { parts: [text(`averaged ${all}, the same for every image, `)], templates: [], ...scores };
    }
    case 'groupprompt': {
      const closest = closestGroupPrompt(input, index, input.classes[row.result.predicted[index]]);
      const parts: ExplanationPart[] = [text('compared one prompt per class and attribute')];
      if (closest !== null) parts.push(text('; the closest was '), { kind: 'template', text: closest });
      parts.push(text(', '));
      return {
        parts,
        templates: [],
        scoreWords: 'best prompt’s cosine',
        scoreMeaning: 'per class, the cosine similarity of its closest group prompt',
      };
    }
    case 'adapter':
      return {
        parts: [
          text(
            `passed the image and ${plural(config.templates, 'template')}’ class prompts through the adapter trained on the training split, `,
          ),
        ],
        templates: [],
        scoreWords: 'cosine after the adapter',
        scoreMeaning: 'cosine similarity between the adapted image and each class’s adapted, averaged prompts',
      };
    default: {
      // SPEC §7: they classify with the zero-shot template's class prompts after changing image or prompts
      const template: ExplanationPart = { kind: 'template', text: texts[config.template] };
      const p = row.parameters;
      const attributes = listParameter(p, 'attributes').map(String);
      const after = {
        scoreWords: 'cosine after the change',
        scoreMeaning: 'cosine similarity between the changed image and class prompts',
      };
      const attribute = isAttributeMethodResult(row.result) ? (row.result.pseudoAttribute?.[index] ?? -1) : -1;
      const alpha = Number(listParameter(p, 'alpha')[attribute]);
      switch (config.method) {
        case 'roboshot': {
          const amplified = numberParameter(p, 'acceptDirections');
          const amplify = amplified > 0 ? ` and amplified ${plural(amplified, 'direction')}` : '';
          return {
            parts: [
              text(
                `removed ${plural(numberParameter(p, 'rejectDirections'), 'attribute direction')} from the image embedding${amplify}, then used `,
              ),
              template,
              text(' '),
            ],
            templates: [config.template],
            ...after,
          };
        }
        case 'tiestar':
        case 'tie': {
          const how =
            config.method === 'tiestar' ? 'guessed this image’s attribute as ' : 'used this image’s true attribute, ';
          const parts: ExplanationPart[] =
            attribute >= 0 && attribute < attributes.length
              ? [
                  text(how),
                  { kind: 'attribute', text: attributes[attribute] },
                  text(', subtracted its phrase vector (α = '),
                  { kind: 'score', text: Number.isFinite(alpha) ? alpha.toFixed(3) : '–' },
                  text('), then used '),
                  template,
                  text(' '),
                ]
              : [text('knows no attribute for this image, so it used '), template, text(' on the unchanged image ')];
          return { parts, templates: [config.template], ...after };
        }
        case 'orthproj':
        case 'orthcali': {
          const calibrated =
            config.method === 'orthcali'
              ? ` and calibrated over ${plural(numberParameter(p, 'pairs'), 'group-prompt pair')} (λ = ${numberParameter(p, 'lambda')})`
              : '';
          return {
            parts: [
              text(
                `projected ${plural(numberParameter(p, 'basisSize'), 'attribute direction')} out of the class prompts of `,
              ),
              template,
              text(`${calibrated}, `),
            ],
            templates: [config.template],
            scoreWords: 'cosine with the changed prompts',
            scoreMeaning: 'cosine similarity between the image and the changed class prompts',
          };
        }
      }
    }
  }
}

/** One method's sentence for image `index`. */
export function explainMethod(
  input: ResultsInput,
  row: MethodRow,
  index: number,
  zeroshotTemplate: number | null = null,
): MethodExplanation {
  const record = input.records[index];
  const [chosen, runnerUp] = chosenAndRunnerUp(input, row, index);
  const used = usedParts(input, row, index, zeroshotTemplate);
  const name = methodName(row);
  const parts: ExplanationPart[] = [
    { kind: 'text', text: `${name} ` },
    ...used.parts,
    ...choiceParts(chosen, runnerUp, used.scoreWords, record.class),
  ];
  // adjacent plain words merge, so the parts stay few and the sentence reads as one
  const merged: ExplanationPart[] = [];
  for (const part of parts) {
    const last = merged[merged.length - 1];
    if (part.kind === 'text' && last?.kind === 'text')
      merged[merged.length - 1] = { kind: 'text', text: last.text + part.text };
    else if (part.text !== '') merged.push(part);
  }
  const sentence = merged
    .map((part) => (part.kind === 'template' ? `‘${part.text}’` : part.text))
    .join('')
    .replace(/ {2,}/g, ' ')
    .replace(/ ,/g, ',');
  return {
    method: row.method,
    name,
    predicted: chosen.class,
    correct: chosen.class === record.class,
    templates: used.templates,
    chosen,
    runnerUp,
    scoreMeaning: used.scoreMeaning,
    parts: merged,
    sentence,
  };
}

/** Every computed method's sentence for image `index`: zero-shot and SAGE apart (shown side by side), then the rest. */
export function imageExplanation(input: ResultsInput, rows: readonly MethodRow[], index: number): ImageExplanation {
  const zeroshotRow = rows.find((row) => row.method === 'zeroshot');
  const zeroshotTemplate = zeroshotRow?.config.method === 'zeroshot' ? zeroshotRow.config.template : null;
  const explain = (row: MethodRow) => explainMethod(input, row, index, zeroshotTemplate);
  const sageRow = rows.find((row) => row.method === 'sage');
  return {
    zeroshot: zeroshotRow ? explain(zeroshotRow) : null,
    sage: sageRow ? explain(sageRow) : null,
    others: rows.filter((row) => row.method !== 'zeroshot' && row.method !== 'sage').map(explain),
  };
}

/** The sentence an empty gallery shows: which filter left nothing, e.g. "No images in landbird / water are wrong under SAGE (K = 1)." */
export function emptyGallerySentence(
  group: { class: string; attribute: string } | null,
  correctness: 'all' | 'correct' | 'wrong',
  method: string,
): string {
  const where = group ? ` in ${group.attribute === '' ? group.class : `${group.class} / ${group.attribute}`}` : '';
  if (correctness === 'all') return group ? `No images${where}.` : 'No images in these results yet.';
  const verdict = correctness === 'wrong' ? 'wrong' : 'right';
  const other = correctness === 'wrong' ? 'correct' : 'wrong';
  return `No images${where} are ${verdict} under ${method}. Choose “correct and wrong” to see the ${other} ones${group ? ', or another group' : ''}.`;
}
