/**
 * Where the tour's box goes (issue 13 §2): beside the view it explains, never over it. Pure: rectangles in
 * viewport pixels in, a position out, so it is tested without a browser. The tour first scrolls the target
 * (scrollDelta), then places the box in the space left (placeBox), again on every resize or scroll.
 */

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface Size {
  width: number;
  height: number;
}

/** right/left/below/above: beside the target; dock: at the bottom edge (no target, or no room anywhere) */
export type Side = 'right' | 'left' | 'below' | 'above' | 'dock';

export interface Placement {
  side: Side;
  left: number;
  top: number;
  /** the box scrolls inside itself above this height */
  maxHeight: number;
  /** false only when no side had even `minHeight` of room: a docked box over part of a too-large target */
  clear: boolean;
}

export interface PlacementOptions {
  /** between the target and the box (the target's highlight outline is drawn 8 px outside it) */
  gap?: number;
  /** between the box and the viewport's edges */
  margin?: number;
  /** the least height a box shrunk to fit above or below still gets (it scrolls inside) */
  minHeight?: number;
}

const DEFAULTS = { gap: 16, margin: 8, minHeight: 180 };

const clamp = (value: number, low: number, high: number) => Math.max(low, Math.min(value, Math.max(low, high)));

/** The room on each side of the target inside the viewport. */
function room(target: Rect, viewport: Size, gap: number, margin: number) {
  return {
    right: viewport.width - margin - (target.left + target.width + gap),
    left: target.left - gap - margin,
    below: viewport.height - margin - (target.top + target.height + gap),
    above: target.top - gap - margin,
  };
}

/**
 * The box beside the target: right, left, below, above — the first with room for the whole box; else above or
 * below with the box shrunk (it scrolls) when at least minHeight is free; else docked at the bottom edge.
 * `box` is the box's natural size at the width it will have. No target: docked at the bottom right.
 */
export function placeBox(target: Rect | null, box: Size, viewport: Size, options: PlacementOptions = {}): Placement {
  const { gap, margin, minHeight } = { ...DEFAULTS, ...options };
  const fullHeight = viewport.height - 2 * margin;
  const height = Math.min(box.height, fullHeight);
  const dock = (clear: boolean): Placement => ({
    side: 'dock',
    left: Math.max(margin, viewport.width - margin - box.width),
    top: Math.max(margin, viewport.height - margin - height),
    maxHeight: fullHeight,
    clear,
  });
  if (!target) return dock(true);
  const free = room(target, viewport, gap, margin);
  // beside: any height fits, the box only has to clear the target horizontally
  const besideTop = clamp(target.top, margin, viewport.height - margin - height);
  // at the viewport's edge, not against the target: the box then covers no neighbour of a narrow target
  if (free.right >= box.width) {
    return {
      side: 'right',
      left: viewport.width - margin - box.width,
      top: besideTop,
      maxHeight: fullHeight,
      clear: true,
    };
  }
  if (free.left >= box.width) {
    return { side: 'left', left: margin, top: besideTop, maxHeight: fullHeight, clear: true };
  }
  const left = clamp(target.left, margin, viewport.width - margin - box.width);
  const below = (maxHeight: number): Placement => ({
    side: 'below',
    left,
    top: target.top + target.height + gap,
    maxHeight,
    clear: true,
  });
  const above = (maxHeight: number): Placement => ({
    side: 'above',
    left,
    top: target.top - gap - Math.min(box.height, maxHeight),
    maxHeight,
    clear: true,
  });
  if (free.below >= box.height) return below(free.below);
  if (free.above >= box.height) return above(free.above);
  // no room for the whole box: shrink it into the larger free band
  if (Math.max(free.below, free.above) >= minHeight) {
    return free.below >= free.above ? below(free.below) : above(free.above);
  }
  return dock(false);
}

/**
 * How far to scroll the page (positive: down) before placing the box, for a target at `target` (viewport
 * pixels). With room beside it, the target is centred (or its top shown when it is taller than the viewport);
 * otherwise its top goes near the top edge so the box fits below it.
 */
export function scrollDelta(target: Rect, box: Size, viewport: Size, options: PlacementOptions = {}): number {
  const { gap, margin } = { ...DEFAULTS, ...options };
  const free = room(target, viewport, gap, margin);
  const beside = free.right >= box.width || free.left >= box.width;
  const usable = viewport.height - 2 * margin;
  if (beside) {
    if (target.height <= usable) return target.top - (viewport.height - target.height) / 2;
    return target.top - margin;
  }
  // the box goes below the target: leave it the room, showing as much of the target as fits
  const stacked = target.height + gap + box.height;
  if (stacked <= usable) return target.top - (margin + (usable - stacked) / 2);
  return target.top - margin;
}

/**
 * Which of a step's targets to point at: the whole view first, then its essential part — the first the box can
 * clear once it is scrolled into place (a view taller than a phone's screen leaves no room above or below it);
 * the last when none can.
 */
export function clearableTarget(
  candidates: readonly Rect[],
  box: Size,
  viewport: Size,
  options: PlacementOptions = {},
): number {
  const index = candidates.findIndex((rect) => {
    // fields copied one by one: a DOMRect's are getters, which an object spread would not copy
    const scrolled = {
      left: rect.left,
      top: rect.top - scrollDelta(rect, box, viewport, options),
      width: rect.width,
      height: rect.height,
    };
    return placeBox(scrolled, box, viewport, options).clear;
  });
  return index >= 0 ? index : candidates.length - 1;
}

/** Whether two rectangles share any area (touching edges do not count). */
export function overlaps(a: Rect, b: Rect): boolean {
  return a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height;
}
