import { type KeyboardEvent, useEffect, useRef, useState } from 'react';

/** Where an arrow, Home/End or Page key moves the active tile (a position in 0..count−1), or null for other keys. */
export function nextTilePosition(
  key: string,
  ctrlKey: boolean,
  position: number,
  layout: { count: number; columns: number; pageRows: number },
): number | null {
  const { count, columns, pageRows } = layout;
  if (count === 0) return null;
  const rowStart = position - (position % columns);
  let next: number;
  switch (key) {
    case 'ArrowRight':
      next = position + 1;
      break;
    case 'ArrowLeft':
      next = position - 1;
      break;
    case 'ArrowDown':
      next = position + columns;
      break;
    case 'ArrowUp':
      next = position - columns;
      break;
    case 'PageDown':
      next = position + columns * pageRows;
      break;
    case 'PageUp':
      next = position - columns * pageRows;
      break;
    case 'Home':
      next = ctrlKey ? 0 : rowStart;
      break;
    case 'End':
      next = ctrlKey ? count - 1 : rowStart + columns - 1;
      break;
    default:
      return null;
  }
  return Math.max(0, Math.min(count - 1, next));
}

/**
 * The rows to render for a scroll position: those in the viewport plus `overscan` either side, and always
 * `keep` (the row holding the tab stop), ascending.
 */
export function renderedRows(
  view: { scrollTop: number; height: number },
  rowSize: number,
  rowCount: number,
  overscan: number,
  keep: number,
): number[] {
  if (rowCount === 0) return [];
  const first = Math.min(rowCount - 1, Math.max(0, Math.floor(view.scrollTop / rowSize) - overscan));
  const end = Math.max(first + 1, Math.min(rowCount, Math.ceil((view.scrollTop + view.height) / rowSize) + overscan));
  const rows: number[] = [];
  if (keep >= 0 && keep < first) rows.push(keep);
  for (let row = first; row < end; row++) rows.push(row);
  if (keep >= end && keep < rowCount) rows.push(keep);
  return rows;
}

const OVERSCAN = 3;

/** What a tile's button takes from the grid: its place in the roving tabindex. */
export interface TileProps {
  tabIndex: number;
  'data-tile': number;
  onFocus: () => void;
}

/**
 * A grid of fixed-size tiles virtualised by row: as many columns as fit the scroller's width, and only the
 * visible rows rendered (rows are absolutely placed at `start`), so 10,000 images scroll smoothly. Rows have a
 * fixed height, so which rows are visible follows from the scroll position alone.
 *
 * Keyboard: an ARIA grid with one tab stop (a roving tabindex). Arrows, Home/End (Ctrl: first/last) and
 * PageUp/PageDown move focus between tiles, and the browser scrolls the focused tile into view; the active
 * tile's row is always rendered, so the tab stop survives scrolling away. Spread `gridProps` on the scroller,
 * `rowProps(row)` on each row, and `tileProps(position)` on each tile's button (inside a role="gridcell").
 * `rowItems(row)` gives the tile positions [start, end) a row shows.
 */
export function useTileRows(
  count: number,
  tile: { width: number; rowHeight: number; gap: number; initialColumns: number },
) {
  const scroller = useRef<HTMLDivElement | null>(null);
  const [columns, setColumns] = useState(tile.initialColumns);
  const [view, setView] = useState({ scrollTop: 0, height: 0 });
  const [active, setActive] = useState(0);
  const focusPending = useRef(false);
  const { width, gap } = tile;
  const rowSize = tile.rowHeight + gap;

  useEffect(() => {
    const node = scroller.current;
    if (!node) return;
    const measure = () => {
      setColumns(Math.max(1, Math.floor((node.clientWidth - gap) / (width + gap))));
      setView({ scrollTop: node.scrollTop, height: node.clientHeight });
    };
    const onScroll = () => setView({ scrollTop: node.scrollTop, height: node.clientHeight });
    const observer = new ResizeObserver(measure);
    observer.observe(node);
    node.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      observer.disconnect();
      node.removeEventListener('scroll', onScroll);
    };
  }, [width, gap]);

  // the list may shrink (a filter): the tab stop moves to its last tile
  const activePosition = Math.min(active, Math.max(0, count - 1));
  const rowCount = Math.ceil(count / columns);
  const rows = renderedRows(view, rowSize, rowCount, OVERSCAN, Math.floor(activePosition / columns)).map((index) => ({
    index,
    start: index * rowSize,
  }));

  const focusTile = (position: number) =>
    scroller.current?.querySelector<HTMLElement>(`[data-tile="${position}"]`)?.focus();
  useEffect(() => {
    if (!focusPending.current) return;
    focusPending.current = false;
    focusTile(activePosition);
  }, [activePosition]);

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const pageRows = Math.max(1, Math.floor(view.height / rowSize));
    const next = nextTilePosition(event.key, event.ctrlKey || event.metaKey, activePosition, {
      count,
      columns,
      pageRows,
    });
    if (next === null) return;
    event.preventDefault();
    if (next === activePosition) {
      focusTile(next); // an edge: nothing re-renders
      return;
    }
    focusPending.current = true;
    setActive(next);
  };

  const rowItems = (row: number): [number, number] => [row * columns, Math.min(count, row * columns + columns)];
  const gridProps = {
    ref: scroller,
    role: 'grid',
    'aria-rowcount': rowCount,
    'aria-colcount': columns,
    // focusable so the grid may take key events; the tab stop itself is the active tile
    tabIndex: -1,
    onKeyDown,
  } as const;
  const rowProps = (row: number) => ({ role: 'row', 'aria-rowindex': row + 1 }) as const;
  const tileProps = (position: number): TileProps => ({
    tabIndex: position === activePosition ? 0 : -1,
    'data-tile': position,
    onFocus: () => setActive(position),
  });
  return { rows, totalSize: rowCount * rowSize, rowItems, gridProps, rowProps, tileProps };
}
