/**
 * Per-operator profiles of the vision tower (bench/opProfileChild.ts, one process per configuration so
 * runs never overlap): fp32 and q8 (and fp16 when asked), WASM (onnxruntime-web's build, in Node) and native
 * (onnxruntime-node), same batch and threads. Also the raw session throughput of each, without decode,
 * preprocessing or transformers.js, which separates the runtime's share of the gap from the app's.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Dtype } from '../src/core/config';
import {
  RESULT_MARK,
  operatorProfile,
  parseProfile,
  type ChildRequest,
  type ChildResult,
  type OperatorProfile,
} from './opProfile';
import { ROOT } from './options';
import { median } from './stats';

export const VISION_FILES: Record<Dtype, string> = {
  fp32: 'vision_model.onnx',
  q8: 'vision_model_quantized.onnx',
  fp16: 'vision_model_fp16.onnx',
};

export interface SessionFigures {
  runtime: 'wasm' | 'native';
  dtype: Dtype;
  batchSize: number;
  threads: number;
  graphOptimizationLevel: ChildRequest['graphOptimizationLevel'];
  loadMs: number;
  /** per timed run, ms (profiling on when `profile` is set) */
  runMs: number[];
  imagesPerSecond: number;
  profile: OperatorProfile | null;
}

let sequence = 0;
const CHILD_LIMIT_MS = 15 * 60_000;

export function runProfiledSession(
  modelDir: string,
  settings: Omit<ChildRequest, 'modelFile' | 'profilePrefix'> & { dtype: Dtype; modelFile?: string },
): Promise<SessionFigures> {
  const tmp = join(ROOT, 'bench', 'tmp');
  mkdirSync(tmp, { recursive: true });
  const request: ChildRequest = {
    runtime: settings.runtime,
    modelFile: settings.modelFile ?? join(modelDir, 'onnx', VISION_FILES[settings.dtype]),
    optimizedModelFilePath: settings.optimizedModelFilePath,
    batchSize: settings.batchSize,
    runs: settings.runs,
    threads: settings.threads,
    graphOptimizationLevel: settings.graphOptimizationLevel,
    profile: settings.profile,
    profilePrefix: join(tmp, `ort-profile-${process.pid}-${sequence++}`),
  };
  return new Promise((resolveRun, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'bench', 'opProfileChild.ts'), JSON.stringify(request)],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    // a session that hangs (or a WASM pthread that keeps the child alive) must not hold up the whole bench
    const limit = setTimeout(() => child.kill('SIGKILL'), CHILD_LIMIT_MS);
    child.on('close', (code) => {
      clearTimeout(limit);
      const stdout = Buffer.concat(out).toString('utf8');
      const resultLine = stdout.split('\n').find((line) => line.startsWith(RESULT_MARK));
      if (code !== 0 || resultLine === undefined) {
        const tail = Buffer.concat(err).toString('utf8').trim().split('\n').slice(-3).join(' / ');
        reject(new Error(`${settings.runtime} ${settings.dtype} session failed (exit ${code}): ${tail}`));
        return;
      }
      const result = JSON.parse(resultLine.slice(RESULT_MARK.length)) as ChildResult;
      let profile: OperatorProfile | null = null;
      if (settings.profile) {
        const text = result.profileFile === null ? stdout : readFileSync(result.profileFile, 'utf8');
        if (result.profileFile !== null) rmSync(result.profileFile, { force: true });
        profile = operatorProfile(parseProfile(text), 1);
      }
      resolveRun({
        runtime: settings.runtime,
        dtype: settings.dtype,
        batchSize: settings.batchSize,
        threads: settings.threads,
        graphOptimizationLevel: settings.graphOptimizationLevel,
        loadMs: result.loadMs,
        runMs: result.runMs,
        imagesPerSecond: (1000 * settings.batchSize) / median(result.runMs),
        profile,
      });
    });
  });
}
