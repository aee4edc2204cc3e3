import { describe, expect, it } from 'vitest';
import {
  analyzeBundle,
  buildAnalysis,
  computeMetrics,
  methodConfig,
  mulberry32,
  similarityTensor,
  METHOD_IDS,
  type EmbeddingBundle,
  type ImageRecord,
} from '../../core';
import { DEFAULT_METHOD_SETTINGS } from '../methodSettings';
import { DEFAULT_VIEW } from '../results';
import {
  attributeMethodTexts,
  compareAll,
  compareMethods,
  imageDetail,
  methodRow,
  parameterSummary,
  pseudoAttributeGroups,
  softmaxScaled,
  viewSettings,
  type ResultsInput,
} from './views';

const PATTERN = 'a photo of a {class} on {attribute}.';

function makeInput(n: number, m: number, c: number, dim: number): ResultsInput {
  const rand = mulberry32(7);
  const images = Float32Array.from({ length: n * dim }, () => rand() - 0.5);
  const text = Float32Array.from({ length: m * c * dim }, () => rand() - 0.5);
  const classes = Array.from({ length: c }, (_, i) => `class${i}`);
  const records: ImageRecord[] = Array.from({ length: n }, (_, i) => ({
    id: `img${i}`,
    class: classes[i % c],
    attribute: i % 3 === 0 ? 'a' : 'b',
  }));
  const analysis = buildAnalysis(similarityTensor({ imageEmbeddings: images, n, textEmbeddings: text, m, c, dim }));
  const groupPrompts = classes.flatMap((cls, ci) =>
    ['a', 'b'].map((attribute, ai) => ({
      class: cls,
      attribute,
      prompt: `${cls} ${attribute}`,
      embedding: text.slice((ci + ai * c) * dim, (ci + ai * c + 1) * dim),
    })),
  );
  return {
    analysis,
    records,
    classes,
    templates: Array.from({ length: m }, (_, t) => `t${t} {}`),
    embeddings: images,
    dim,
    groupPrompts,
    prompts: new Map(),
    attributeKeys: ['a', 'b'],
    attributeWords: ['a', 'b'],
    methodSettings: { ...DEFAULT_METHOD_SETTINGS, groupPromptPattern: PATTERN },
  };
}

/** `input` with a random embedding for every text the §7 methods need (as a run or a bundle's prompts give). */
function withMethodPrompts(input: ResultsInput, seed = 11): ResultsInput {
  const rand = mulberry32(seed);
  const texts = attributeMethodTexts(input.classes, input.attributeWords, input.methodSettings);
  const prompts = new Map(
    texts.map((text) => [text, Float32Array.from({ length: input.dim }, () => rand() - 0.5)] as const),
  );
  return { ...input, prompts };
}

/** The same data as a sage-embeddings/1 bundle, the CLI's input. */
function asBundle(input: ResultsInput, text: Float32Array): EmbeddingBundle {
  return {
    format: 'sage-embeddings/1',
    model: 'test',
    dim: input.dim,
    classes: [...input.classes],
    templates: [...input.templates],
    text,
    images: [...input.records],
    imageEmbeddings: input.embeddings,
    prompts: [...input.prompts].map(([t, embedding]) => ({ text: t, embedding })),
  };
}

describe('derived result views', () => {
  const input = makeInput(30, 6, 3, 8);

  it('compares every method; SAGE with K = all equals the ensemble', () => {
    const rows = compareMethods(input, { ...DEFAULT_VIEW, k: 6 });
    // no §7 texts embedded: those methods are listed as unavailable, not computed
    expect(rows.map((r) => r.method)).toEqual(['zeroshot', 'ensemble', 'random', 'sage', 'groupprompt']);
    const sage = rows.find((r) => r.method === 'sage');
    const ensemble = rows.find((r) => r.method === 'ensemble');
    expect(Array.from(sage?.result.predicted ?? [])).toEqual(Array.from(ensemble?.result.predicted ?? []));
    expect(rows.find((r) => r.method === 'groupprompt')?.knowledge).toBe('attribute words');
    expect(rows.find((r) => r.method === 'sage')?.knowledge).toBe('none');
    // metrics are the core's for the same predictions
    expect(sage?.metrics.worstGroupAccuracy).toBe(
      computeMetrics(input.records, input.classes, sage?.result.predicted ?? []).worstGroupAccuracy,
    );
  });

  it('memoises: the same K returns the same result object, another K a different one', () => {
    const a = methodRow(input, 'sage', { ...DEFAULT_VIEW, k: 2 });
    const b = methodRow(input, 'sage', { ...DEFAULT_VIEW, k: 2 });
    const c = methodRow(input, 'sage', { ...DEFAULT_VIEW, k: 3 });
    expect(b.result).toBe(a.result);
    expect(c.result).not.toBe(a.result);
    expect(c.result.kSelected).toBe(3);
  });

  it('explains one image: SAGE picks its highest-separation template at K = 1', () => {
    const rows = compareMethods(input, DEFAULT_VIEW);
    const detail = imageDetail(input, rows, 4);
    expect(detail.sagePicked).toEqual([detail.topTemplates[0].template]);
    for (let i = 1; i < detail.topTemplates.length; i++) {
      expect(detail.topTemplates[i - 1].separation).toBeGreaterThanOrEqual(detail.topTemplates[i].separation);
    }
    for (const m of detail.perMethod) expect(m.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it('softmax uses the logit scale 100', () => {
    const p = softmaxScaled([0.3, 0.29]);
    expect(p[0]).toBeCloseTo(Math.exp(1) / (Math.exp(1) + 1), 6);
  });
});

describe('the SPEC §7 methods in the results views', () => {
  const m = 4;
  const c = 3;
  const dim = 8;
  const base = makeInput(36, m, c, dim);
  const input = withMethodPrompts(base);
  // the text grid the analysis was built from (unit rows are what the app keeps)
  const text = base.analysis.tensor.unitText;

  it('every §7 row equals the CLI path (core analyzeBundle on the same data as a bundle)', () => {
    const { rows, unavailable } = compareAll(input, { ...DEFAULT_VIEW, zeroshotTemplate: 2 });
    expect(unavailable).toEqual([]);
    expect(rows.map((r) => r.method)).toEqual(METHOD_IDS);
    const bundle = asBundle(input, text);
    for (const row of rows.slice(5)) {
      const config = methodConfig(row.method, viewSettings({ ...DEFAULT_VIEW, zeroshotTemplate: 2 }, input));
      expect(row.config).toEqual(config);
      const cli = analyzeBundle(bundle, config);
      expect(Array.from(row.result.predicted), row.method).toEqual(Array.from(cli.result.predicted));
      expect(row.metrics.worstGroupAccuracy).toBe(cli.metrics.worstGroupAccuracy);
    }
  });

  it('labels the knowledge each row uses: TIE uses the attribute labels of the images it is scored on', () => {
    const { rows } = compareAll(input, DEFAULT_VIEW);
    const knowledge = Object.fromEntries(rows.map((r) => [r.method, r.knowledge]));
    expect(knowledge).toMatchObject({
      zeroshot: 'none',
      sage: 'none',
      roboshot: 'attribute words',
      tiestar: 'attribute words',
      orthcali: 'attribute words',
      tie: 'attribute labels',
    });
    for (const row of rows) expect(row.howItWorks.length).toBeGreaterThan(20);
  });

  it('a §7 row whose texts are missing says which, in a sentence, instead of numbers', () => {
    const without = new Map(input.prompts);
    without.delete('a photo of a.');
    const { rows, unavailable } = compareAll({ ...input, prompts: without }, DEFAULT_VIEW);
    expect(rows.some((r) => r.method === 'roboshot')).toBe(false);
    const roboshot = unavailable.find((u) => u.method === 'roboshot');
    expect(roboshot?.missing).toEqual(['a photo of a.']);
    expect(roboshot?.reason).toBe(
      "Needs the text ‘a photo of a.’ read by the CLIP model, and these results do not include it: run the images in this app, or make the bundle again with the CLI's embed.",
    );
    expect(unavailable.map((u) => u.method)).toEqual(['roboshot', 'tiestar', 'tie', 'orthproj', 'orthcali']);
  });

  it('new phrasings need only their new texts; the results re-run once they are there', () => {
    const edited = { ...input.methodSettings, phrasings: ['{}', 'a photo of {}.', 'a {} scene.'] };
    const needed = attributeMethodTexts(input.classes, input.attributeWords, edited);
    const fresh = needed.filter((t) => !input.prompts.has(t));
    expect(fresh).toEqual(['a a scene.', 'a b scene.']);
    const first = compareAll({ ...input, methodSettings: edited }, DEFAULT_VIEW);
    expect(first.unavailable.flatMap((u) => u.missing)).toContain('a a scene.');
    const prompts = new Map(input.prompts);
    for (const t of fresh)
      prompts.set(
        t,
        Float32Array.from({ length: dim }, (_, d) => (d === 1 ? 1 : 0.1)),
      );
    const second = compareAll({ ...input, methodSettings: edited, prompts }, DEFAULT_VIEW);
    expect(second.unavailable).toEqual([]);
    expect(second.rows.find((r) => r.method === 'tiestar')?.config).toMatchObject({ phrasings: edited.phrasings });
  });

  it('an accept pair and λ reach the configs and the parameter lines', () => {
    const settings = {
      ...input.methodSettings,
      acceptPairs: [['webbed feet', 'talons']] as [string, string][],
      lambda: 5,
    };
    const prompts = new Map(input.prompts);
    prompts.set(
      'webbed feet',
      Float32Array.from({ length: dim }, (_, d) => d),
    );
    prompts.set(
      'talons',
      Float32Array.from({ length: dim }, (_, d) => dim - d),
    );
    const edited = { ...input, methodSettings: settings, prompts };
    const { rows } = compareAll(edited, DEFAULT_VIEW);
    const roboshot = rows.find((r) => r.method === 'roboshot');
    const orthcali = rows.find((r) => r.method === 'orthcali');
    expect(roboshot?.config).toMatchObject({ accept: [['webbed feet', 'talons']] });
    expect(roboshot && parameterSummary(edited, roboshot)).toBe('1 direction removed, 1 direction amplified');
    expect(orthcali && parameterSummary(edited, orthcali)).toBe(
      'λ = 5 · 2 attribute directions · 3 group-prompt pairs',
    );
  });

  it('TIE*: its guessed attribute per group, and the share it got right', () => {
    const { rows } = compareAll(input, DEFAULT_VIEW);
    const tiestar = rows.find((r) => r.method === 'tiestar');
    const tie = rows.find((r) => r.method === 'tie');
    if (!tiestar || !tie) throw new Error('rows missing');
    const groups = pseudoAttributeGroups(input, tiestar) ?? [];
    expect(groups.reduce((sum, g) => sum + g.n, 0)).toBe(36);
    expect(pseudoAttributeGroups(input, tie)).toBeNull();
    const correct = groups.reduce((sum, g) => sum + g.correct, 0);
    expect(parameterSummary(input, tiestar)).toContain(
      `attribute guessed right for ${((100 * correct) / 36).toFixed(1)}% of 36 images`,
    );
  });

  it('with no attribute words the §7 methods are not offered', () => {
    const { rows, unavailable } = compareAll({ ...input, attributeKeys: [], attributeWords: [] }, DEFAULT_VIEW);
    expect(rows.map((r) => r.method)).not.toContain('roboshot');
    expect(unavailable).toEqual([]);
  });
});
