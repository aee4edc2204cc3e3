import { describe, expect, it } from 'vitest';
import { buildAnalysis, mulberry32, similarityTensor, type ImageRecord, type MethodId } from '../../core';
import { DEFAULT_METHOD_SETTINGS } from '../methodSettings';
import { DEFAULT_VIEW, type ViewParams } from '../results';
import { emptyGallerySentence, explainMethod, imageExplanation, methodName } from './imageExplanation';
import { attributeMethodTexts, methodRow, type ResultsInput } from './views';

const CLASSES = ['landbird', 'waterbird'];
const TEMPLATES = ['a tattoo of a {}.', 'a drawing of a {}.', 'a photo of a {}.'];
/** cosine of image 0 = (1, 0, 0) with each (template, class) prompt, template-major */
const COSINES = [
  [0.25, 0.45], // tattoo: separation 0.20, the largest → SAGE's pick at K = 1
  [0.3, 0.29], // drawing: separation 0.01
  [0.27, 0.25], // photo: separation 0.02, zero-shot's template
];
const DIM = 3;
/** (class, attribute, embedding): for image 0 = (1, 0, 0) the closest waterbird prompt is the one on land */
const GROUP_PROMPTS: [string, string, number[]][] = [
  ['landbird', 'land', [0.1, 1, 0]],
  ['landbird', 'water', [0.2, 0, 1]],
  ['waterbird', 'land', [0.9, 0.1, 0]],
  ['waterbird', 'water', [0.5, 0, 0.5]],
];

/** A unit prompt vector with cosine `cos` to (1, 0, 0), turned by `angle` around the x axis so prompts differ. */
function prompt(cos: number, angle: number): number[] {
  const rest = Math.sqrt(1 - cos * cos);
  return [cos, rest * Math.cos(angle), rest * Math.sin(angle)];
}

function handInput(): ResultsInput {
  const text = Float32Array.from(COSINES.flatMap((row, t) => row.flatMap((cos, c) => prompt(cos, t + 2 * c))));
  const images = Float32Array.from([1, 0, 0, 0.6, 0, 0.8, 0.2, 0.9, 0.1]);
  const records: ImageRecord[] = [
    { id: 'waterbird/land/0.jpg', class: 'waterbird', attribute: 'land' },
    { id: 'landbird/water/1.jpg', class: 'landbird', attribute: 'water' },
    { id: 'landbird/land/2.jpg', class: 'landbird', attribute: 'land' },
  ];
  const n = records.length;
  const analysis = buildAnalysis(
    similarityTensor({ imageEmbeddings: images, n, textEmbeddings: text, m: TEMPLATES.length, c: 2, dim: DIM }),
  );
  return {
    analysis,
    records,
    classes: CLASSES,
    templates: TEMPLATES,
    embeddings: images,
    dim: DIM,
    groupPrompts: GROUP_PROMPTS.map(([cls, attribute, vector]) => ({
      class: cls,
      attribute,
      prompt: `a ${cls} on ${attribute}.`,
      embedding: Float32Array.from(vector),
    })),
    prompts: new Map(),
    attributeKeys: [],
    attributeWords: [],
    methodSettings: { ...DEFAULT_METHOD_SETTINGS, groupPromptPattern: 'a {class} on {attribute}.' },
  };
}

const VIEW: ViewParams = { ...DEFAULT_VIEW, zeroshotTemplate: 2 };
const row = (input: ResultsInput, method: MethodId, view: Partial<ViewParams> = {}) =>
  methodRow(input, method, { ...VIEW, ...view });

describe('per-image explanation', () => {
  const input = handInput();

  it('zero-shot and SAGE name their template, the chosen class and both cosines, and say which is right', () => {
    const rows = [row(input, 'zeroshot'), row(input, 'ensemble'), row(input, 'sage')];
    const explanation = imageExplanation(input, rows, 0);
    expect(explanation.zeroshot?.sentence).toBe(
      'Zero-shot used ‘a photo of a {}.’ and chose landbird (cosine 0.270 for landbird vs 0.250 for waterbird). ' +
        'That is wrong: the true class is waterbird.',
    );
    expect(explanation.sage?.sentence).toBe(
      'SAGE (K = 1) used ‘a tattoo of a {}.’, which separates the classes most for this image (separation 0.200 ' +
        'vs 0.020 for zero-shot’s template), and chose waterbird (cosine 0.450 for waterbird vs 0.250 for landbird). ' +
        'That is right.',
    );
    expect(explanation.zeroshot?.templates).toEqual([2]);
    expect(explanation.sage?.templates).toEqual([0]);
    expect(explanation.sage?.chosen.score).toBeCloseTo(0.45, 6);
    expect(explanation.sage?.runnerUp?.score).toBeCloseTo(0.25, 6);
    expect(explanation.sage?.parts.filter((p) => p.kind === 'template').map((p) => p.text)).toEqual([
      'a tattoo of a {}.',
    ]);
    expect(explanation.others.map((e) => e.method)).toEqual(['ensemble']);
    expect(explanation.others[0].sentence).toMatch(
      /^Ensemble averaged all 3 templates, the same for every image, and chose/,
    );
    expect(explanation.others[0].scoreMeaning).toContain('average of all 3 templates');
  });

  it('SAGE at K = 2 lists its templates best first; the score aggregate changes what the number means', () => {
    const sage = explainMethod(input, row(input, 'sage', { k: 2 }), 0);
    expect(sage.templates).toEqual([0, 2]);
    expect(sage.sentence).toContain(
      'SAGE (K = 2) averaged the 2 templates that separate the classes most for this image, ‘a tattoo of a {}.’ and ‘a photo of a {}.’, and chose waterbird (cosine with the averaged prompts',
    );
    const mean = explainMethod(input, row(input, 'sage', { k: 2, aggregate: 'score' }), 0);
    // mean of the cosines over the two templates: waterbird (0.45 + 0.25) / 2, landbird (0.25 + 0.27) / 2
    expect(mean.sentence).toContain('(mean cosine 0.350 for waterbird vs 0.260 for landbird)');
    expect(mean.scoreMeaning).toContain('mean of the cosine similarities over the 2 templates');
  });

  it('random names the templates drawn for this image and the seed', () => {
    const random = row(input, 'random', { k: 2, seed: 5 });
    const explanation = explainMethod(input, random, 1);
    const drawn = Array.from(random.result.selected.subarray(2, 4));
    expect(explanation.templates).toEqual(drawn);
    expect(explanation.sentence).toContain(
      `Random (K = 2) averaged 2 templates drawn at random for this image (seed 5), ‘${TEMPLATES[drawn[0]]}’ and ‘${TEMPLATES[drawn[1]]}’`,
    );
  });

  it('group prompts name the closest prompt, which is the one behind the chosen class’s score', () => {
    const explanation = explainMethod(input, row(input, 'groupprompt'), 0);
    expect(explanation.predicted).toBe('waterbird');
    expect(explanation.sentence).toContain('the closest was ‘a waterbird on land.’');
    const unit = 0.9 / Math.hypot(0.9, 0.1);
    expect(explanation.chosen.score).toBeCloseTo(unit, 6);
  });

  it('scores that round alike get more decimals; an exact tie says who wins', () => {
    const tied = handInput();
    const flat = [1, 0, 0];
    // image 2 = (1, 0, 0): template 0 gives both classes 0.5, template 1 gives 0.3 and 0.3001
    tied.embeddings.set(flat, 6);
    const same = buildAnalysis(
      similarityTensor({
        imageEmbeddings: tied.embeddings,
        n: 3,
        textEmbeddings: Float32Array.from([0.5, 0.5, 0.3, 0.3001, 0.27, 0.25].flatMap((cos, j) => prompt(cos, j))),
        m: 3,
        c: 2,
        dim: DIM,
      }),
    );
    const input2 = { ...tied, analysis: same };
    const zeroshot = explainMethod(input2, row(input2, 'zeroshot', { zeroshotTemplate: 1 }), 2);
    expect(zeroshot.sentence).toContain('(cosine 0.3001 for waterbird vs 0.3000 for landbird)');
    const tie = explainMethod(input2, row(input2, 'zeroshot', { zeroshotTemplate: 0 }), 2);
    expect(tie.sentence).toContain('a tie: the class listed first wins');
  });

  it('the SPEC §7 methods say what they changed, from their recorded parameters', () => {
    const base = { ...handInput(), attributeKeys: ['land', 'water'], attributeWords: ['land', 'water'] };
    const rand = mulberry32(3);
    const texts = attributeMethodTexts(base.classes, base.attributeWords, base.methodSettings);
    const prompts = new Map(texts.map((t) => [t, Float32Array.from({ length: DIM }, () => rand() - 0.5)] as const));
    const withTexts: ResultsInput = { ...base, prompts };
    const tiestar = row(withTexts, 'tiestar');
    const explained = explainMethod(withTexts, tiestar, 1);
    expect(explained.sentence).toMatch(
      /^TIE\* guessed this image’s attribute as (land|water), subtracted its phrase vector \(α = -?\d\.\d{3}\), then used ‘a photo of a \{\}\.’ and chose /,
    );
    const tie = explainMethod(withTexts, row(withTexts, 'tie'), 1);
    expect(tie.sentence).toContain('used this image’s true attribute, water,');
    const roboshot = explainMethod(withTexts, row(withTexts, 'roboshot'), 0);
    expect(roboshot.sentence).toMatch(
      /^RoboShot removed \d+ attribute directions? from the image embedding, then used ‘a photo of a \{\}\.’ and chose \w+ \(cosine after the change /,
    );
    const orthcali = explainMethod(withTexts, row(withTexts, 'orthcali'), 0);
    expect(orthcali.sentence).toMatch(
      /^Orth-Cali projected \d+ attribute directions? out of the class prompts of ‘a photo of a \{\}\.’ and calibrated over \d+ group-prompt pairs? \(λ = 1000\), and chose /,
    );
  });

  it('method names carry K where the method has one', () => {
    expect(methodName(row(input, 'sage', { k: 3 }))).toBe('SAGE (K = 3)');
    expect(methodName(row(input, 'random', { k: 2 }))).toBe('Random (K = 2)');
    expect(methodName(row(input, 'zeroshot'))).toBe('Zero-shot');
  });
});

describe('empty gallery filter sentence', () => {
  it('names the group, the verdict and the method', () => {
    expect(emptyGallerySentence({ class: 'landbird', attribute: 'water' }, 'wrong', 'SAGE (K = 1)')).toBe(
      'No images in landbird / water are wrong under SAGE (K = 1). Choose “correct and wrong” to see the correct ones, or another group.',
    );
    expect(emptyGallerySentence(null, 'correct', 'Zero-shot')).toBe(
      'No images are right under Zero-shot. Choose “correct and wrong” to see the wrong ones.',
    );
    expect(emptyGallerySentence({ class: 'cat', attribute: '' }, 'all', 'Zero-shot')).toBe('No images in cat.');
    expect(emptyGallerySentence(null, 'all', 'Zero-shot')).toBe('No images in these results yet.');
  });
});
