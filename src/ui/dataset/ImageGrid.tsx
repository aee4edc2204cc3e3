import { useState } from 'react';
import { useDataset } from '../../state/dataset';
import { describeRetag, matchExistingFolder } from '../../state/retag';
import { Thumbnail } from '../Thumbnail';
import { TileGrid } from '../TileGrid';

const TILE = 96;
const GAP = 8;

/**
 * Virtualised thumbnail grid: only visible rows are rendered, and their object URLs are created on mount
 * and revoked on unmount, so 10,000 images scroll smoothly. Select tiles to re-tag them; arrows move between
 * tiles (see useTileRows).
 */
export function ImageGrid({
  indices,
  classFolders,
  attributeFolders,
}: {
  indices: number[];
  classFolders: string[];
  attributeFolders: string[];
}) {
  const images = useDataset((s) => s.images);
  const retag = useDataset((s) => s.retag);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [targetClass, setTargetClass] = useState('');
  const [targetAttribute, setTargetAttribute] = useState('');
  /** what the last re-tag did, said once beside the form */
  const [done, setDone] = useState('');
  const classMatch = matchExistingFolder(targetClass, classFolders);
  const attributeMatch = matchExistingFolder(
    targetAttribute,
    attributeFolders.filter((a) => a !== ''),
  );
  const suggestions = [classMatch.suggestion, attributeMatch.suggestion].filter((s): s is string => s !== null);

  const toggle = (id: string) =>
    setChosen((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <div className="image-grid">
      <TileGrid
        count={indices.length}
        tile={{ width: TILE, rowHeight: TILE + 28, gap: GAP, initialColumns: 6 }}
        className="grid-scroller"
        label={`${indices.length} images`}
        testId="image-grid"
        keyOf={(position) => images[indices[position]]?.id ?? position}
        renderTile={(position, tile) => {
          const image = images[indices[position]];
          if (!image) return null;
          const name = image.id.slice(image.id.lastIndexOf('/') + 1);
          const isChosen = chosen.has(image.id);
          return (
            <button
              type="button"
              {...tile}
              className={`tile${isChosen ? ' chosen' : ''}`}
              style={{ width: TILE }}
              aria-pressed={isChosen}
              title={image.id}
              onClick={() => toggle(image.id)}
            >
              <Thumbnail source={image.blob} alt={image.id} size={TILE - 8} />
              <span className="tile-name">
                {isChosen ? '✓ ' : ''}
                {name}
              </span>
            </button>
          );
        }}
      />
      <form
        className="retag"
        onSubmit={(e) => {
          e.preventDefault();
          if (chosen.size === 0 || classMatch.folder === '') return;
          const outcome = retag([...chosen], targetClass, targetAttribute);
          setDone(
            outcome.changed === 0
              ? 'Nothing changed: the selected images already have these labels.'
              : `Done: ${describeRetag(outcome.changed, outcome.classFolder, outcome.attributeFolder)}${outcome.attributeFolder === null ? ' (attributes kept)' : ''}.`,
          );
          // show the spelling actually used, so the box matches the class the images went to
          setTargetClass(outcome.classFolder);
          setTargetAttribute(outcome.attributeFolder ?? '');
          setChosen(new Set());
        }}
      >
        <span>{chosen.size} selected</span>
        <label>
          class{' '}
          <input list="class-options" value={targetClass} onChange={(e) => setTargetClass(e.target.value)} size={12} />
        </label>
        <label>
          attribute{' '}
          <input
            list="attribute-options"
            value={targetAttribute}
            onChange={(e) => setTargetAttribute(e.target.value)}
            size={12}
            placeholder="keep"
            aria-describedby="retag-attribute-hint"
          />
        </label>
        <datalist id="class-options">
          {classFolders.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
        <datalist id="attribute-options">
          {attributeFolders
            .filter((a) => a !== '')
            .map((a) => (
              <option key={a} value={a} />
            ))}
        </datalist>
        <button type="submit" disabled={chosen.size === 0 || classMatch.folder === ''}>
          Re-tag selected
        </button>
        {chosen.size > 0 && (
          <button type="button" className="secondary" onClick={() => setChosen(new Set())}>
            Clear selection
          </button>
        )}
        <span className="sr-only" id="retag-attribute-hint">
          Leave empty to keep each image&apos;s attribute.
        </span>
        {suggestions.length > 0 && (
          <span className="retag-hint" data-testid="retag-suggestion">
            Did you mean {suggestions.join(' / ')}? Re-tag uses the existing{' '}
            {suggestions.length === 1 ? 'spelling' : 'spellings'}.
          </span>
        )}
        <span className="retag-done" role="status">
          {suggestions.length === 0 ? done : ''}
        </span>
      </form>
    </div>
  );
}
