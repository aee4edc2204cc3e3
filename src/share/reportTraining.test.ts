/** Issue 15: a trained adapter travels in the report with its settings and split, and is checked on read. */
import { describe, expect, it } from 'vitest';
import { stringifyReport } from './reportBuild';
import { parseReport } from './reportRead';
import { trainedReport } from './trainedReport.fixture';

describe('report: trained adapter (issue 15)', () => {
  it('round-trips the adapter, its settings and its split exactly', () => {
    const { report, training } = trainedReport();
    const parsed = parseReport(stringifyReport(report));
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.warnings).toEqual([]);
    const read = parsed.report.training;
    if (!read) throw new Error('no training read back');
    expect(read.settings).toEqual(training.settings);
    expect(read.split).toEqual(training.split);
    expect(Array.from(read.adapter.W_v)).toEqual(Array.from(training.adapter.W_v));
    expect(Array.from(read.adapter.W_t)).toEqual(Array.from(training.adapter.W_t));
    expect(read.adapter.bestEpoch).toBe(training.adapter.bestEpoch);
    expect(read.adapter.seed).toBe(4);
  });

  it('refuses a damaged adapter or split in words', () => {
    const { report } = trainedReport();
    const json = JSON.parse(stringifyReport(report)) as {
      training: { adapter: Record<string, unknown>; split: { images: string[] } };
    };
    const broken = structuredClone(json);
    broken.training.adapter.W_v = 'AAAA';
    const bad = parseReport(JSON.stringify(broken));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toContain('trained adapter');
    if (!bad.ok) expect(bad.error).toContain('image matrix W_v');
    const short = structuredClone(json);
    short.training.split.images.pop();
    const badSplit = parseReport(JSON.stringify(short));
    expect(badSplit.ok).toBe(false);
    if (!badSplit.ok) expect(badSplit.error).toContain(`but the report has ${report.dataset.images.length} images`);
    const unknownSplit = structuredClone(json);
    unknownSplit.training.split.images[0] = 'later';
    expect(parseReport(JSON.stringify(unknownSplit)).ok).toBe(false);
  });
});
