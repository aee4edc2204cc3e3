import { describe, expect, it } from 'vitest';
import { clearableTarget, overlaps, placeBox, scrollDelta, type Placement, type Rect, type Size } from './placement';

const XGA: Size = { width: 1024, height: 768 };
const PHONE: Size = { width: 390, height: 844 };
const BOX: Size = { width: 360, height: 420 };

function boxRect(p: Placement, box: Size): Rect {
  return { left: p.left, top: p.top, width: box.width, height: Math.min(box.height, p.maxHeight) };
}

function inside(r: Rect, viewport: Size): boolean {
  return r.left >= 0 && r.top >= 0 && r.left + r.width <= viewport.width && r.top + r.height <= viewport.height;
}

describe('placeBox', () => {
  it('puts the box right of a target that leaves room there, clear of it and inside the viewport', () => {
    const target = { left: 20, top: 100, width: 600, height: 300 };
    const p = placeBox(target, BOX, XGA);
    expect(p.side).toBe('right');
    expect(p.clear).toBe(true);
    // at the viewport's right edge, covering nothing next to the target
    expect(p.left).toBe(XGA.width - 8 - BOX.width);
    expect(overlaps(boxRect(p, BOX), target)).toBe(false);
    expect(inside(boxRect(p, BOX), XGA)).toBe(true);
  });

  it('keeps a box beside a target taller than the viewport inside the viewport', () => {
    const target = { left: 20, top: -400, width: 600, height: 2000 };
    const p = placeBox(target, BOX, XGA);
    expect(p.side).toBe('right');
    expect(overlaps(boxRect(p, BOX), target)).toBe(false);
    expect(inside(boxRect(p, BOX), XGA)).toBe(true);
  });

  it('uses the left side when the target sits on the right', () => {
    const target = { left: 500, top: 200, width: 500, height: 200 };
    const p = placeBox(target, BOX, XGA);
    expect(p.side).toBe('left');
    expect(overlaps(boxRect(p, BOX), target)).toBe(false);
  });

  it('goes below a full-width target when there is room, else above', () => {
    const wide = { left: 8, top: 40, width: 1000, height: 250 };
    const below = placeBox(wide, BOX, XGA);
    expect(below.side).toBe('below');
    expect(overlaps(boxRect(below, BOX), wide)).toBe(false);
    const low = { left: 8, top: 480, width: 1000, height: 250 };
    const above = placeBox(low, BOX, XGA);
    expect(above.side).toBe('above');
    expect(overlaps(boxRect(above, BOX), low)).toBe(false);
    expect(inside(boxRect(above, BOX), XGA)).toBe(true);
  });

  it('shrinks the box into the larger free band when the whole box fits nowhere', () => {
    const target = { left: 8, top: 20, width: 374, height: 500 };
    const p = placeBox(target, BOX, PHONE);
    expect(p.side).toBe('below');
    expect(p.maxHeight).toBeLessThan(BOX.height);
    expect(overlaps(boxRect(p, BOX), target)).toBe(false);
    expect(inside(boxRect(p, BOX), PHONE)).toBe(true);
  });

  it('docks at the bottom edge, and says it is not clear, when the target leaves no usable room', () => {
    const target = { left: 8, top: 8, width: 374, height: 800 };
    const p = placeBox(target, BOX, PHONE);
    expect(p).toMatchObject({ side: 'dock', clear: false });
    expect(inside(boxRect(p, BOX), PHONE)).toBe(true);
  });

  it('docks at the bottom right with no target', () => {
    const p = placeBox(null, BOX, XGA);
    expect(p).toMatchObject({
      side: 'dock',
      clear: true,
      left: XGA.width - 8 - BOX.width,
      top: XGA.height - 8 - BOX.height,
    });
  });
});

describe('scrollDelta', () => {
  it('centres a target that has room beside it', () => {
    const target = { left: 20, top: 1200, width: 600, height: 300 };
    const delta = scrollDelta(target, BOX, XGA);
    expect(target.top - delta).toBe((XGA.height - 300) / 2);
  });

  it('brings the top of a too-tall target near the top edge', () => {
    const target = { left: 20, top: 900, width: 600, height: 1500 };
    expect(target.top - scrollDelta(target, BOX, XGA)).toBe(8);
  });

  it('leaves room for the box below a full-width target, and then the box fits below it', () => {
    const target = { left: 8, top: 1500, width: 374, height: 300 };
    const delta = scrollDelta(target, BOX, PHONE);
    const scrolled = { ...target, top: target.top - delta };
    const p = placeBox(scrolled, BOX, PHONE);
    expect(p.side).toBe('below');
    expect(p.maxHeight).toBeGreaterThanOrEqual(BOX.height);
    expect(overlaps(boxRect(p, BOX), scrolled)).toBe(false);
  });
});

describe('clearableTarget', () => {
  const whole = { left: 8, top: 300, width: 374, height: 900 };
  const part = { left: 8, top: 300, width: 374, height: 260 };

  it('points at the whole view when the box can clear it', () => {
    expect(clearableTarget([{ ...whole, height: 300 }, part], BOX, PHONE)).toBe(0);
  });

  it("points at the view's essential part when the whole is too tall to clear on a phone", () => {
    expect(clearableTarget([whole, part], BOX, PHONE)).toBe(1);
  });

  it('reads DOMRect-like rectangles whose fields are getters', () => {
    class Getters {
      constructor(private readonly r: Rect) {}
      get left() {
        return this.r.left;
      }
      get top() {
        return this.r.top;
      }
      get width() {
        return this.r.width;
      }
      get height() {
        return this.r.height;
      }
    }
    expect(clearableTarget([new Getters({ ...whole, height: 300 }), part], BOX, PHONE)).toBe(0);
  });

  it('keeps the last candidate when none can be cleared', () => {
    expect(clearableTarget([whole, { ...part, height: 820 }], BOX, PHONE)).toBe(1);
  });
});

describe('overlaps', () => {
  it('counts shared area, not touching edges', () => {
    const a = { left: 0, top: 0, width: 10, height: 10 };
    expect(overlaps(a, { left: 10, top: 0, width: 5, height: 5 })).toBe(false);
    expect(overlaps(a, { left: 9, top: 9, width: 5, height: 5 })).toBe(true);
  });
});
