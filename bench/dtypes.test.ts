import { describe, expect, it } from 'vitest';
import {
  defaultPath,
  defaultPathLine,
  dtypeMemory,
  dtypeRow,
  dtypeSummaryLines,
  memoryRatio,
  verdict,
  type CachedRerun,
  type DtypeResult,
} from './dtypes';
import { spliceReadme } from './output';
import { README_END, README_START } from './options';
import type { Throughput } from './report';

const rate = (median: number): Throughput => ({ perRun: [median], median, cpuParallelism: null });
const step = { batchSize: 8, runs: 2, imagesPerRun: 8 };

function dtype(name: DtypeResult['dtype'], browser: number, node: number, nodeFp32: number): DtypeResult {
  return {
    dtype: name,
    status: 'measured',
    note: null,
    browserLoadMs: 1000,
    nodeLoadMs: 500,
    images: [dtypeRow(step, rate(browser), rate(node), rate(nodeFp32))],
    memory: dtypeMemory(3 * 2 ** 30, 2 ** 30, 2 ** 30),
  };
}

describe('dtypeRow', () => {
  it('gives the same-precision ratio and the ratio to native fp32', () => {
    const row = dtypeRow(step, rate(6), rate(24), rate(20));
    expect(row.ratio).toBe(0.25);
    expect(row.ratioToNativeFp32).toBe(0.3);
  });
});

describe('defaultPath', () => {
  it('is wasm q8 over the native fp32 runs timed beside it, at batch 8', () => {
    const path = defaultPath([dtype('fp32', 5, 20, 20), dtype('q8', 14, 30, 19)]);
    expect(path).toEqual({ batchSize: 8, browserQ8: 14, nativeFp32: 19, ratio: 14 / 19, target: 0.7, met: true });
    expect(defaultPathLine(path)).toBe('default path: wasm q8 / native fp32 images/s ratio: 0.74');
  });
  it('is missing when q8 failed or was not measured, and the line says n/a', () => {
    const failed: DtypeResult = { ...dtype('q8', 1, 1, 1), status: 'failed', note: 'boom' };
    expect(defaultPath([dtype('fp32', 5, 20, 20), failed])).toBeNull();
    expect(defaultPath([dtype('fp32', 5, 20, 20)])).toBeNull();
    expect(defaultPathLine(null)).toBe('default path: wasm q8 / native fp32 images/s ratio: n/a');
  });
  it('reports a shortfall', () => {
    expect(defaultPath([dtype('q8', 6, 30, 20)])?.met).toBe(false);
  });
});

describe('dtypeMemory and verdict', () => {
  it('divides renderer peak RSS by the model files', () => {
    expect(dtypeMemory(500, 10, 200).rendererToFiles).toBe(2.5);
    expect(dtypeMemory(null, 10, 200).rendererToFiles).toBeNull();
  });
  it('says met, or missed by how much', () => {
    expect(verdict(2.5, 2.5, false)).toBe('met');
    expect(verdict(3.31, 2.5, false, '×')).toBe('missed by 0.81×');
    expect(verdict(0.29, 0.7, true)).toBe('missed by 0.41');
    expect(verdict(0.8, 0.7, true)).toBe('met');
  });
});

describe('dtypeSummaryLines', () => {
  it('prints each precision, a failed one with its reason, and the cached re-run', () => {
    const failed: DtypeResult = {
      ...dtype('fp16', 0, 0, 0),
      status: 'failed',
      note: 'the browser could not load fp16',
      images: [],
    };
    const rerun: CachedRerun = {
      status: 'measured',
      model: 'local:base-clip',
      images: 150,
      totalSeconds: 3.84,
      runSeconds: 3.5,
      runAgainSeconds: 0.4,
      statusText: 'Embedded 150 images',
      modelLoaded: true,
      note: null,
      target: 1,
    };
    const lines = dtypeSummaryLines([dtype('q8', 6, 24, 20), failed], rerun, null);
    expect(lines[1]).toContain('q8: wasm 6.00 img/s, native 24.00 img/s (ratio 0.25), native fp32 20.00');
    expect(lines[1]).toContain(
      'renderer peak RSS 3072 MiB (n/a before loading) vs model files 1024 MiB → 3.00× (≤ 2.5×: missed by 0.50×)',
    );
    expect(lines[2]).toBe('  fp16: not measured — the browser could not load fp16');
    expect(lines[3]).toBe(
      'cached re-run of the 150-image example (production build, local:base-clip, fresh page): results 3.50 s after the run starts (target ≤ 1 s: missed by 2.50 s), 3.84 s after the click incl. fetching the example; "Run again" 0.40 s; the model was loaded',
    );
  });
});

describe('spliceReadme', () => {
  it('replaces only what lies between the markers', () => {
    const readme = `# App\n\n## Benchmarks\n\n${README_START}\nold table\nold line\n${README_END}\n\nhand-written\n`;
    expect(spliceReadme(readme, 'new table\n')).toBe(
      `# App\n\n## Benchmarks\n\n${README_START}\nnew table\n${README_END}\n\nhand-written\n`,
    );
    // twice gives the same file
    expect(spliceReadme(spliceReadme(readme, 'new'), 'new')).toBe(spliceReadme(readme, 'new'));
  });
  it('refuses a file without the markers, naming them', () => {
    expect(() => spliceReadme('# App\n', 'x', 'NOTES.md')).toThrow(/NOTES\.md has no generated benchmark section/);
  });
});

describe('memoryRatio', () => {
  it('refuses a peak below the same renderer before the load (another process was read)', () => {
    expect(memoryRatio(dtypeMemory(148, 1, 289, 156))).toBeNull();
    expect(memoryRatio(dtypeMemory(639, 1, 146, 128))).toBeCloseTo(639 / 146, 12);
    expect(memoryRatio(dtypeMemory(639, 1, 146))).toBeCloseTo(639 / 146, 12);
  });
});
