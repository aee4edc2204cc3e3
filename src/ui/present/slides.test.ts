import { describe, expect, it } from 'vitest';
import { movedSlide, SLIDES, slideMoveForKey } from './slides';

describe('presentation keys', () => {
  it('moves with what clickers send (PageDown/PageUp) and with the arrow keys; Escape leaves', () => {
    expect(slideMoveForKey('PageDown')).toBe('next');
    expect(slideMoveForKey('ArrowRight')).toBe('next');
    expect(slideMoveForKey('PageUp')).toBe('previous');
    expect(slideMoveForKey('ArrowLeft')).toBe('previous');
    expect(slideMoveForKey('Escape')).toBe('leave');
    expect(slideMoveForKey('a')).toBeNull();
  });

  it('stays within the six views', () => {
    expect(SLIDES).toHaveLength(6);
    expect(movedSlide(0, 'previous')).toBe(0);
    expect(movedSlide(5, 'next')).toBe(5);
    expect(movedSlide(2, 'next')).toBe(3);
    expect(movedSlide(3, 'first')).toBe(0);
    expect(movedSlide(0, 'last')).toBe(5);
  });
});
