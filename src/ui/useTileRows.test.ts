import { describe, expect, it } from 'vitest';
import { nextTilePosition, renderedRows } from './useTileRows';

describe('renderedRows', () => {
  it('renders the rows in view plus the overscan on either side', () => {
    // rows of 100 px, viewport 250 px scrolled to 1,000 px: rows 10..12 visible, 7..15 with overscan 3
    expect(renderedRows({ scrollTop: 1000, height: 250 }, 100, 50, 3, 10)).toEqual([7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(renderedRows({ scrollTop: 0, height: 0 }, 100, 50, 3, 0)).toEqual([0, 1, 2]);
    expect(renderedRows({ scrollTop: 0, height: 250 }, 100, 2, 3, 0)).toEqual([0, 1]);
    expect(renderedRows({ scrollTop: 0, height: 250 }, 100, 0, 3, 0)).toEqual([]);
  });
  it('always keeps the row with the tab stop, in order', () => {
    expect(renderedRows({ scrollTop: 1000, height: 250 }, 100, 50, 1, 2)).toEqual([2, 9, 10, 11, 12, 13]);
    expect(renderedRows({ scrollTop: 0, height: 150 }, 100, 50, 1, 40)).toEqual([0, 1, 2, 40]);
  });
  it('still renders a row when the scroll position is past a list that shrank', () => {
    expect(renderedRows({ scrollTop: 50_000, height: 300 }, 100, 4, 3, 3)).toEqual([3]);
  });
});

describe('nextTilePosition', () => {
  const layout = { count: 23, columns: 5, pageRows: 2 };
  it('moves by one tile, one row, or a page, and stops at the ends', () => {
    expect(nextTilePosition('ArrowRight', false, 4, layout)).toBe(5);
    expect(nextTilePosition('ArrowLeft', false, 0, layout)).toBe(0);
    expect(nextTilePosition('ArrowDown', false, 7, layout)).toBe(12);
    expect(nextTilePosition('ArrowDown', false, 20, layout)).toBe(22);
    expect(nextTilePosition('ArrowUp', false, 3, layout)).toBe(0);
    expect(nextTilePosition('PageDown', false, 1, layout)).toBe(11);
    expect(nextTilePosition('PageUp', false, 11, layout)).toBe(1);
  });
  it('goes to the row ends with Home/End and to the first/last tile with Ctrl', () => {
    expect(nextTilePosition('Home', false, 13, layout)).toBe(10);
    expect(nextTilePosition('End', false, 13, layout)).toBe(14);
    expect(nextTilePosition('End', false, 21, layout)).toBe(22);
    expect(nextTilePosition('Home', true, 13, layout)).toBe(0);
    expect(nextTilePosition('End', true, 13, layout)).toBe(22);
  });
  it('ignores other keys and empty grids', () => {
    expect(nextTilePosition('Enter', false, 3, layout)).toBeNull();
    expect(nextTilePosition('ArrowRight', false, 0, { count: 0, columns: 5, pageRows: 2 })).toBeNull();
  });
});
