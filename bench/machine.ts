/** What the benchmark ran on, and per-process readings from /proc (Linux). */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

export interface MachineDescription {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  chromium: string;
  date: string;
  loadAverage1m: number;
}

/** "model name" of the first processor in /proc/cpuinfo (falls back to os.cpus()). */
export function parseCpuModel(cpuinfo: string): string | null {
  const line = cpuinfo.split('\n').find((entry) => entry.startsWith('model name'));
  return line ? line.slice(line.indexOf(':') + 1).trim() : null;
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

export function describeMachine(chromiumVersion: string): MachineDescription {
  const osRelease = readText('/etc/os-release');
  const pretty = osRelease?.match(/^PRETTY_NAME="?([^"\n]*)"?/m)?.[1];
  return {
    cpuModel: parseCpuModel(readText('/proc/cpuinfo') ?? '') ?? cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: pretty ?? process.platform,
    node: process.version,
    chromium: chromiumVersion,
    date: new Date().toISOString(),
    loadAverage1m: loadavg()[0],
  };
}

/** VmRSS and VmHWM (peak RSS) of a process, in bytes. */
export function processMemory(pid: number): { rssBytes: number; peakRssBytes: number } | null {
  const status = readText(`/proc/${pid}/status`);
  if (!status) return null;
  const field = (name: string) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm'))?.[1] ?? NaN) * 1024;
  return { rssBytes: field('VmRSS'), peakRssBytes: field('VmHWM') };
}

let clockTicks: number | null = null;

/** utime + stime of a process in milliseconds (all its threads). */
export function processCpuMs(pid: number): number | null {
  const stat = readText(`/proc/${pid}/stat`);
  if (!stat) return null;
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  // fields after the parenthesised command name; utime and stime are fields 14 and 15
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
}

/** Thread names of a process (/proc/<pid>/task/<tid>/comm), e.g. to count the WASM worker threads. */
export function threadNames(pid: number): string[] {
  try {
    return readdirSync(`/proc/${pid}/task`).map((tid) => (readText(`/proc/${pid}/task/${tid}/comm`) ?? '').trim());
  } catch {
    return [];
  }
}
