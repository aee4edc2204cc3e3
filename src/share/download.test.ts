import { describe, expect, it } from 'vitest';
import { exportFilename, safeFilename } from './download';

describe('file names', () => {
  it('strips separators, reserved and control characters and leading dots', () => {
    expect(safeFilename('../../etc/passwd')).toBe('etc-passwd');
    expect(safeFilename('a<b>:c"d|e?f*g\\h')).toBe('a-b-c-d-e-f-g-h');
    expect(safeFilename('line\nbreak')).toBe('line-break');
    expect(safeFilename('...')).toBe('export');
    expect(safeFilename('x'.repeat(300))).toHaveLength(120);
    expect(safeFilename('<img src=x onerror=alert(1)>.png')).toBe('img src=x onerror=alert(1)-.png');
  });

  it('dates export names in UTC', () => {
    expect(exportFilename('report', 'json', new Date('2026-11-23T14:07:55Z'))).toBe('sage-report-20261123-1407.json');
    expect(exportFilename('groups/../x', 'csv', new Date('2026-01-02T03:04:00Z'))).toBe(
      'sage-groups-..-x-20260102-0304.csv',
    );
  });
});
