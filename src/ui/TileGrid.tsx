import type { ReactNode } from 'react';
import { type TileProps, useTileRows } from './useTileRows';

/**
 * A virtualised grid of fixed-size tiles (the dataset grid, the results gallery): an ARIA grid whose rows
 * are rendered only near the viewport, with one tab stop and arrow-key movement (see useTileRows).
 * `renderTile(position, tile)` draws the tile at a position in 0..count−1; spread `tile` on its button.
 */
export function TileGrid({
  count,
  tile,
  className,
  label,
  testId,
  keyOf,
  renderTile,
}: {
  count: number;
  tile: { width: number; rowHeight: number; gap: number; initialColumns: number };
  className: string;
  label: string;
  testId: string;
  /** a stable React key for the tile at a position */
  keyOf: (position: number) => string | number;
  renderTile: (position: number, tile: TileProps) => ReactNode;
}) {
  const { rows, totalSize, rowItems, gridProps, rowProps, tileProps } = useTileRows(count, tile);
  return (
    <div className={className} {...gridProps} aria-label={label} data-testid={testId}>
      <div style={{ height: totalSize, position: 'relative' }}>
        {rows.map((row) => {
          const [start, end] = rowItems(row.index);
          const cells: ReactNode[] = [];
          for (let position = start; position < end; position++) {
            cells.push(
              <div role="gridcell" key={keyOf(position)}>
                {renderTile(position, tileProps(position))}
              </div>,
            );
          }
          return (
            <div
              key={row.index}
              className="grid-row"
              {...rowProps(row.index)}
              style={{ transform: `translateY(${row.start}px)`, gap: tile.gap }}
            >
              {cells}
            </div>
          );
        })}
      </div>
    </div>
  );
}
