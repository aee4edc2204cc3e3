/** Where a fixed-position tip goes beside its anchor (so scrolling wrappers cannot clip it). */
export interface TipPlace {
  top?: number;
  bottom?: number;
  left: number;
  maxWidth: number;
}

/**
 * Below the anchor, or above it when the viewport has less than `roomBelow` px under it; always inside the
 * viewport's width (8 px margins), `gap` px away from the anchor.
 */
export function tipPlace(box: DOMRect, { width, roomBelow, gap }: { width: number; roomBelow: number; gap: number }) {
  const maxWidth = Math.min(width, window.innerWidth - 16);
  const left = Math.max(8, Math.min(box.left, window.innerWidth - maxWidth - 8));
  const place: TipPlace =
    window.innerHeight - box.bottom < roomBelow
      ? { bottom: window.innerHeight - box.top + gap, left, maxWidth }
      : { top: box.bottom + gap, left, maxWidth };
  return place;
}
