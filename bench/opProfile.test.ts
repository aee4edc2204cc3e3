import { describe, expect, it } from 'vitest';
import {
  countBytes,
  operatorProfile,
  operatorTable,
  parseProfile,
  wasmBuildOpcodes,
  type ProfiledConfig,
} from './opProfile';

const kernel = (op: string, ts: number, dur: number) =>
  `{"cat" : "Node","pid" :42,"tid" :1,"dur" :${dur},"ts" :${ts},"ph" : "X","name" :"${op}_${ts}_kernel_time","args" : {"op_name" : "${op}","provider" : "CPUExecutionProvider"}},`;
const session = (name: string, ts: number, dur: number) =>
  `{"cat" : "Session","pid" :42,"tid" :1,"dur" :${dur},"ts" :${ts},"ph" : "X","name" :"${name}","args" : {}},`;

// two runs: a warm-up at 0..1000 µs and a timed run at 2000..2600 µs, as the WASM build prints them
const wasmStdout = [
  'load ms 12',
  '[',
  session('model_loading_array', 0, 10),
  kernel('MatMul', 100, 800),
  session('model_run', 0, 1000),
  kernel('MatMul', 2000, 300),
  kernel('MatMul', 2300, 100),
  kernel('Add', 2400, 100),
  'a line of other output',
  session('model_run', 2000, 600).replace(/,$/, ''),
  ']',
  '@@result {"loadMs":1}',
].join('\n');

describe('parseProfile', () => {
  it('reads the events the WASM build prints among other stdout lines', () => {
    const events = parseProfile(wasmStdout);
    expect(events.map((e) => e.name)).toEqual([
      'model_loading_array',
      'MatMul_100_kernel_time',
      'model_run',
      'MatMul_2000_kernel_time',
      'MatMul_2300_kernel_time',
      'Add_2400_kernel_time',
      'model_run',
    ]);
    expect(events[1]).toMatchObject({ cat: 'Node', ts: 100, dur: 800, opName: 'MatMul' });
    expect(events[0].opName).toBeNull();
  });
  it('reads the JSON array file onnxruntime-node writes', () => {
    const file = JSON.stringify([
      { cat: 'Session', name: 'model_run', ts: 5, dur: 50, args: {} },
      { cat: 'Node', name: 'Conv_kernel_time', ts: 6, dur: 40, args: { op_name: 'Conv' } },
    ]);
    expect(parseProfile(file)).toEqual([
      { cat: 'Session', name: 'model_run', ts: 5, dur: 50, opName: null },
      { cat: 'Node', name: 'Conv_kernel_time', ts: 6, dur: 40, opName: 'Conv' },
    ]);
  });
});

describe('operatorProfile', () => {
  it('sums kernel time per operator over the runs after the warm-up', () => {
    const profile = operatorProfile(parseProfile(wasmStdout), 1);
    expect(profile.runs).toBe(1);
    expect(profile.runMs).toBeCloseTo(0.6, 12);
    expect(profile.kernelMs).toBeCloseTo(0.5, 12);
    expect(profile.rows).toEqual([
      { op: 'MatMul', msPerRun: 0.4, share: 0.8, kernelsPerRun: 2 },
      { op: 'Add', msPerRun: 0.1, share: 0.2, kernelsPerRun: 1 },
    ]);
  });
  it('averages over several timed runs', () => {
    const profile = operatorProfile(parseProfile(wasmStdout), 0);
    expect(profile.runs).toBe(2);
    expect(profile.rows[0]).toEqual({ op: 'MatMul', msPerRun: 0.6, share: 1200 / 1300, kernelsPerRun: 1.5 });
    expect(profile.runMs).toBeCloseTo(0.8, 12);
  });
  it('says so when no run is left', () => {
    expect(() => operatorProfile(parseProfile(wasmStdout), 2)).toThrow(/no model_run after skipping 2/);
  });
});

describe('operatorTable', () => {
  const config = (runtime: 'wasm' | 'native', rows: [string, number][]): ProfiledConfig => {
    const total = rows.reduce((sum, [, ms]) => sum + ms, 0);
    return {
      runtime,
      dtype: 'q8',
      batchSize: 8,
      threads: 2,
      graphOptimizationLevel: 'all',
      profile: {
        runs: 1,
        runMs: total + 1,
        kernelMs: total,
        rows: rows.map(([op, ms]) => ({ op, msPerRun: ms, share: ms / total, kernelsPerRun: 1 })),
      },
    };
  };
  it('lists the top operators of any configuration, the rest as "other", and the totals', () => {
    const lines = operatorTable(
      [
        config('wasm', [
          ['DynamicQuantizeMatMul', 300],
          ['Add', 50],
          ['Softmax', 50],
        ]),
        config('native', [
          ['DynamicQuantizeMatMul', 60],
          ['Transpose', 40],
        ]),
      ],
      2,
    );
    expect(lines).toEqual([
      '| operator | wasm q8 | native q8 |',
      '| --- | ---: | ---: |',
      '| DynamicQuantizeMatMul | 300 ms (75%) | 60.0 ms (60%) |',
      '| Add | 50.0 ms (13%) | — |',
      '| other | 50.0 ms (13%) | 40.0 ms (40%) |',
      '| **all kernels** | **400 ms** | **100 ms** |',
      '| run (wall) | 401 ms | 101 ms |',
    ]);
  });
});

describe('countBytes / wasmBuildOpcodes', () => {
  it('counts every occurrence of a byte pattern, overlapping starts included', () => {
    expect(countBytes(Uint8Array.from([0xfd, 0xba, 0x01, 0x00, 0xfd, 0xba, 0x01]), [0xfd, 0xba, 0x01])).toBe(2);
    expect(countBytes(Uint8Array.from([1, 1, 1]), [1, 1])).toBe(2);
    expect(countBytes(Uint8Array.from([0xfd, 0xba]), [0xfd, 0xba, 0x01])).toBe(0);
  });
  it('reads the int8 dot and the relaxed-SIMD instructions', () => {
    const bytes = Uint8Array.from([0xfd, 0xba, 0x01, 0xfd, 0x85, 0x02, 0xfd, 0x93, 0x02, 0xfd, 0x93, 0x02]);
    expect(wasmBuildOpcodes('x.wasm', bytes)).toEqual({ file: 'x.wasm', dotI16x8: 1, relaxedMadd: 1, relaxedDotI8: 2 });
  });
});
