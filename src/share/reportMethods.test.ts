/**
 * A report keeps what the SPEC §7 rows need to come back the same: the extra text embeddings (`prompts`) and
 * each result's recorded parameters (NaN α written as null and read back as NaN).
 */
import { describe, expect, it } from 'vitest';
import { analyzeBundle, bundleAttributes } from '../core/analyzeBundle';
import { isAttributeMethodResult, promptsNeeded } from '../core/attributeMethods';
import { methodConfig } from '../core/methodConfig';
import type { MethodId } from '../core/types';
import { buildReport, stringifyReport } from './reportBuild';
import { parseReport, reportToBundle } from './reportRead';
import { runFixture, seededRandom } from './testSupport';

const SECTION_7: MethodId[] = ['roboshot', 'tiestar', 'tie', 'orthproj', 'orthcali'];

describe('§7 results in a report', () => {
  it('prompts and parameters survive export and reopening; the reopened bundle reruns to the same predictions', () => {
    const { bundle, input } = runFixture(5);
    const random = seededRandom(9);
    const settings = { k: 1, seed: 0, aggregate: 'embedding' as const, template: 39, poolSize: 80, templateCount: 80 };
    const configs = SECTION_7.map((method) => methodConfig(method, settings));
    const attributes = bundleAttributes(bundle);
    const have = new Set((bundle.groupPrompts ?? []).map((g) => g.prompt));
    const texts = [...new Set(configs.flatMap((c) => promptsNeeded(c, bundle.classes, attributes)))].filter(
      (t) => !have.has(t),
    );
    const prompts = texts.map((text) => ({
      text,
      embedding: Float32Array.from({ length: bundle.dim }, () => random() - 0.5),
    }));
    const withPrompts = { ...bundle, prompts };
    const results = configs.map((config) => {
      const { result, metrics } = analyzeBundle(withPrompts, config);
      return { ...result, metrics };
    });
    const built = buildReport({
      ...input,
      embeddings: { ...(input.embeddings ?? { dim: 8, text: bundle.text, images: bundle.imageEmbeddings }), prompts },
      results,
    });
    if (!built.ok) throw new Error(built.error);
    const parsed = parseReport(stringifyReport(built.report));
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.warnings).toEqual([]);
    parsed.report.results.forEach((result, r) => {
      const original = results[r];
      expect(result.config).toEqual(original.config);
      expect(isAttributeMethodResult(original) && result.parameters).toEqual(
        isAttributeMethodResult(original) && original.parameters,
      );
    });
    const reopened = reportToBundle(parsed.report);
    if (!reopened) throw new Error('no bundle');
    expect(reopened.prompts?.map((p) => p.text)).toEqual(texts);
    for (const [r, config] of configs.entries()) {
      const again = analyzeBundle(reopened, config);
      expect(Array.from(again.result.predicted)).toEqual(Array.from(results[r].predicted));
    }
  });

  it('a prompt text listed twice is refused, named by its position and text', () => {
    const { input } = runFixture(7);
    const embedding = new Float32Array(8).fill(0.5);
    const prompts = [
      { text: 'water', embedding },
      { text: 'land', embedding },
      { text: 'water', embedding },
    ];
    const embeddings = input.embeddings && { ...input.embeddings, prompts };
    expect(buildReport({ ...input, embeddings })).toEqual({
      ok: false,
      error: 'cannot export this report: embeddings: prompt 3 (water) is the same as prompt 1',
    });
  });

  it('NaN parameters are written as null and read back as NaN; a malformed parameter names its field', () => {
    const { input, results } = runFixture(6);
    const withNaN = results.map((r, i) => (i === 0 ? { ...r, parameters: { alpha: [0.2, NaN], note: 'x' } } : r));
    const built = buildReport({ ...input, results: withNaN });
    if (!built.ok) throw new Error(built.error);
    const text = stringifyReport(built.report);
    expect(text).toContain('"alpha":[0.2,null]');
    const parsed = parseReport(text);
    expect(parsed.ok && parsed.report.results[0].parameters).toEqual({ alpha: [0.2, NaN], note: 'x' });
    const broken = text.replace('"alpha":[0.2,null]', '"alpha":[0.2,{"x":1}]');
    expect(parseReport(broken)).toEqual({
      ok: false,
      error:
        'result 1 (zeroshot): parameters alpha should be a number, a text, or a list of numbers or of texts, but is a list of 2',
    });
    const proto = text.replace('"alpha":[0.2,null]', '"__proto__":[1],"alpha":[0.2,null]');
    expect(parseReport(proto)).toMatchObject({
      ok: false,
      error: 'result 1 (zeroshot): parameters have "__proto__", which is not a parameter name',
    });
  });
});
