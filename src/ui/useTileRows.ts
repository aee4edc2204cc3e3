import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';

/**
 * A grid of fixed-width tiles virtualised by row: as many columns as fit the scroller's width (kept up to
 * date as it resizes), and only the visible rows rendered, so 10,000 images scroll smoothly.
 * `rowItems(row)` gives the item indices [start, end) a virtual row shows.
 */
export function useTileRows(
  count: number,
  tile: { width: number; rowHeight: number; gap: number; initialColumns: number },
) {
  const scroller = useRef<HTMLDivElement | null>(null);
  const [columns, setColumns] = useState(tile.initialColumns);
  const { width, gap } = tile;
  useEffect(() => {
    const node = scroller.current;
    if (!node) return;
    const observer = new ResizeObserver(() =>
      setColumns(Math.max(1, Math.floor((node.clientWidth - gap) / (width + gap)))),
    );
    observer.observe(node);
    return () => observer.disconnect();
  }, [width, gap]);
  const virtualizer = useVirtualizer({
    count: Math.ceil(count / columns),
    getScrollElement: () => scroller.current,
    estimateSize: () => tile.rowHeight + gap,
    overscan: 3,
  });
  const rowItems = (row: number): [number, number] => [row * columns, Math.min(count, row * columns + columns)];
  return { scroller, virtualizer, rowItems };
}
