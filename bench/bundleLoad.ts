/**
 * `node --import tsx bench/bundleLoad.ts <bundle>`: loads one bundle file the way the CLI does (cli/bundleFile.ts
 * readBundleFile: byte ranges from a file handle, then the core reader) in a fresh process, and prints one JSON line:
 * load time, and peak memory (peak resident set size, VmHWM) above what the process used before the load.
 * Run by bench/core.ts once per format, each in its own process so one load's peak does not hide the other's.
 */
import { readFileSync } from 'node:fs';
import { readBundleFile } from '../cli/bundleFile';

export interface BundleLoadMeasure {
  images: number;
  dim: number;
  loadMs: number;
  /** max RSS during the load minus max RSS before it, MiB */
  peakMiB: number;
  /** max RSS of the whole process, MiB */
  maxRssMiB: number;
}

/**
 * This process's peak resident memory in KiB: Linux's VmHWM, which starts afresh with the process image
 * (getrusage's maxRSS carries over from the parent that spawned us, hiding a smaller peak).
 */
function peakKiB(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]);
  } catch {
    // not Linux: fall through
  }
  return process.resourceUsage().maxRSS;
}

const path = process.argv[2];
if (path === undefined) throw new Error('usage: bundleLoad.ts <bundle file>');
const before = peakKiB();
const started = performance.now();
const bundle = await readBundleFile(path);
const loadMs = performance.now() - started;
const after = peakKiB();
const measure: BundleLoadMeasure = {
  images: bundle.images.length,
  dim: bundle.dim,
  loadMs,
  peakMiB: (after - before) / 1024,
  maxRssMiB: after / 1024,
};
console.log(JSON.stringify(measure));
