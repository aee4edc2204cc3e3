/** The views presentation mode steps through, in order: one per results view of the page. */
export const SLIDES = [
  { id: 'comparison', name: 'Methods compared' },
  { id: 'groups', name: 'Accuracy per group' },
  { id: 'templates', name: 'Prompt templates and K' },
  { id: 'delta', name: 'Accuracy discrepancy δ' },
  { id: 'images', name: 'Images: right and wrong' },
  { id: 'map', name: 'Embedding map' },
] as const;

export type SlideId = (typeof SLIDES)[number]['id'];

export type SlideMove = 'next' | 'previous' | 'first' | 'last' | 'leave';

/**
 * What a key does in presentation mode. Clickers send PageDown/PageUp (some send arrow keys or "b" for a blank
 * screen, which is not a move); Space and Enter are left to the focused button or control.
 */
export function slideMoveForKey(key: string): SlideMove | null {
  switch (key) {
    case 'PageDown':
    case 'ArrowRight':
    case 'ArrowDown':
      return 'next';
    case 'PageUp':
    case 'ArrowLeft':
    case 'ArrowUp':
      return 'previous';
    case 'Home':
      return 'first';
    case 'End':
      return 'last';
    case 'Escape':
      return 'leave';
    default:
      return null;
  }
}

/** The slide index after a move (clamped: the last slide stays the last). */
export function movedSlide(index: number, move: Exclude<SlideMove, 'leave'>, count: number = SLIDES.length): number {
  switch (move) {
    case 'next':
      return Math.min(count - 1, index + 1);
    case 'previous':
      return Math.max(0, index - 1);
    case 'first':
      return 0;
    case 'last':
      return count - 1;
  }
}
