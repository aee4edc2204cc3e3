import { describe, expect, it } from 'vitest';
import { downloadReporter } from './downloadProgress';

const MB = 1024 * 1024;

describe('downloadReporter', () => {
  it('logs MB per file and over all files, once per quarter and at completion', () => {
    const lines: string[] = [];
    const report = downloadReporter((text) => lines.push(text), false);
    report({ file: 'onnx/vision_model.onnx', loaded: 0, total: 8 * MB });
    report({ file: 'onnx/vision_model.onnx', loaded: 1 * MB, total: 8 * MB }); // same quarter: silent
    report({ file: 'onnx/text_model.onnx', loaded: 2 * MB, total: 2 * MB });
    report({ file: 'onnx/vision_model.onnx', loaded: 8 * MB, total: 8 * MB });
    expect(lines).toEqual([
      'download onnx/vision_model.onnx: 0.0/8.0 MB (all files: 0.0/8.0 MB)\n',
      'download onnx/text_model.onnx: 2.0/2.0 MB (all files: 3.0/10.0 MB)\n',
      'download onnx/vision_model.onnx: 8.0/8.0 MB (all files: 10.0/10.0 MB)\n',
    ]);
  });

  it('redraws one line on a terminal and ends it when a file completes', () => {
    const out: string[] = [];
    const report = downloadReporter((text) => out.push(text), true);
    report({ file: 'a.onnx', loaded: MB, total: 2 * MB });
    report({ file: 'a.onnx', loaded: 2 * MB, total: 2 * MB });
    // carriage return + ANSI "erase line" (ESC [2K), then the progress text
    const redraw = '\r\u001b[2K';
    expect(out[0].startsWith(redraw)).toBe(true);
    expect(out[0].slice(redraw.length)).toMatch(/^download a\.onnx: 1\.0\/2\.0 MB/);
    expect(out[1].endsWith('\n')).toBe(true);
  });
});
