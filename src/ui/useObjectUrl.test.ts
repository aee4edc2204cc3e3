import { describe, expect, it } from 'vitest';
import { acquireObjectUrl, heldObjectUrl, releaseObjectUrl } from './useObjectUrl';

describe('shared object URLs', () => {
  it('gives every holder of one Blob the same URL and revokes it when the last one lets go', async () => {
    const blob = new Blob(['pixels']);
    const first = acquireObjectUrl(blob);
    expect(acquireObjectUrl(blob)).toBe(first);
    releaseObjectUrl(blob);
    expect(heldObjectUrl(blob)).toBe(first);
    // still resolvable while one holder remains
    expect(await (await fetch(first)).text()).toBe('pixels');
    releaseObjectUrl(blob);
    expect(heldObjectUrl(blob)).toBeUndefined();
    await expect(fetch(first)).rejects.toThrow();
  });

  it('makes a fresh URL when a Blob is held again after release (StrictMode mounts twice)', () => {
    const blob = new Blob(['x']);
    const first = acquireObjectUrl(blob);
    releaseObjectUrl(blob);
    const second = acquireObjectUrl(blob);
    expect(second).not.toBe(first);
    releaseObjectUrl(blob);
  });
});
