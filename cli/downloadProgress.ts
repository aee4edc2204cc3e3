/**
 * Model download progress for the CLI (hub models): MB per file and in total, on stderr. A terminal gets one
 * redrawn line; a log gets a line per file at every ~25% and when it completes, so CI logs stay short.
 */
import type { FileProgress } from '../src/model/transformersClip';

const MB = 1024 * 1024;
const mb = (bytes: number) => (bytes / MB).toFixed(1);

export function downloadReporter(write: (text: string) => void, tty: boolean): (progress: FileProgress) => void {
  const files = new Map<string, { loaded: number; total: number; quarter: number }>();
  return ({ file, loaded, total }) => {
    const entry = files.get(file) ?? { loaded: 0, total: 0, quarter: -1 };
    entry.loaded = loaded;
    entry.total = Math.max(total, loaded);
    files.set(file, entry);
    let sumLoaded = 0;
    let sumTotal = 0;
    for (const f of files.values()) {
      sumLoaded += f.loaded;
      sumTotal += f.total;
    }
    const line = `download ${file}: ${mb(entry.loaded)}/${mb(entry.total)} MB (all files: ${mb(sumLoaded)}/${mb(sumTotal)} MB)`;
    const complete = entry.total > 0 && entry.loaded >= entry.total;
    if (tty) {
      write(`\r\x1b[2K${line}${complete ? '\n' : ''}`);
      return;
    }
    const quarter = complete ? 4 : entry.total > 0 ? Math.floor((entry.loaded / entry.total) * 4) : 0;
    if (quarter !== entry.quarter) write(`${line}\n`);
    entry.quarter = quarter;
  };
}
