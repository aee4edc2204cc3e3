/** Issue 16 §5: "Check this machine" travels in reports — its figures, its choice, and whether it was in use. */
import { describe, expect, it } from 'vitest';
import { buildReport, stringifyReport } from './reportBuild';
import type { ReportMachineCheck } from './reportFormat';
import { parseReport } from './reportRead';
import { runFixture } from './testSupport';

const CHECK: ReportMachineCheck = {
  model: 'local:tiny-clip',
  measuredAt: '2026-12-01T06:50:00.000Z',
  images: 12,
  batchSize: 4,
  rows: [
    { backend: 'wasm', dtype: 'fp32', imagesPerSecond: 41.5, fidelity: 1 },
    { backend: 'wasm', dtype: 'fp16', imagesPerSecond: null, fidelity: null, problem: 'did not run: no fp16 files' },
    { backend: 'wasm', dtype: 'q8', imagesPerSecond: 63.25, fidelity: 0.9971 },
  ],
  recommended: { backend: 'wasm', dtype: 'q8' },
  applied: true,
};

function reportText(machineCheck: unknown): string {
  const { input } = runFixture(3, 8);
  const built = buildReport({ ...input, machineCheck: CHECK });
  if (!built.ok) throw new Error(built.error);
  const json = JSON.parse(stringifyReport(built.report)) as Record<string, unknown>;
  json.machineCheck = machineCheck;
  return JSON.stringify(json);
}

describe('machine check in a report', () => {
  it('is written and read back as measured', () => {
    const parsed = parseReport(reportText(CHECK));
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.report.machineCheck).toEqual(CHECK);
    expect(parsed.warnings).toEqual([]);
  });

  it('a report without one reads as before', () => {
    const parsed = parseReport(reportText(undefined));
    expect(parsed.ok && parsed.report.machineCheck).toBeUndefined();
  });

  it('a broken figure is refused, naming the machine check', () => {
    const broken = { ...CHECK, rows: [{ ...CHECK.rows[0], imagesPerSecond: 'fast' }] };
    const parsed = parseReport(reportText(broken));
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toMatch(/machine check/);
  });
});
