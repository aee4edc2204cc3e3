import { useMemo, useState, type ReactNode } from 'react';
import { useDataset } from '../../state/dataset';
import { summariseDataset, TINY_GROUP, type GroupCell } from '../../state/datasetSummary';
import { groupLabel } from '../format';
import { Thumbnail } from '../Thumbnail';
import { ImageGrid } from './ImageGrid';
import { LabelEditor } from './LabelEditor';
import { TemplateEditor } from './TemplateEditor';
import { SingleClassProblem } from './SingleClassProblem';
import { UndoBar } from './UndoBar';
import { MatrixHead } from './MatrixHead';

/**
 * Class × attribute matrix with counts and sample thumbnails; pick a cell to browse and re-tag its images.
 * `empty`: shown instead while the panel holds no image (a restored session's images not attached yet).
 */
export function DatasetView({ empty = null }: { empty?: ReactNode }) {
  const images = useDataset((s) => s.images);
  const notes = useDataset((s) => s.notes);
  const summary = useMemo(() => summariseDataset(images), [images]);
  const [selected, setSelected] = useState<{ classFolder: string; attributeFolder: string } | 'untagged' | 'all'>(
    'all',
  );

  if (images.length === 0) return empty;
  const members =
    selected === 'all'
      ? images.map((_, i) => i)
      : selected === 'untagged'
        ? summary.untagged
        : (summary.cells
            .flat()
            .find((c) => c.classFolder === selected.classFolder && c.attributeFolder === selected.attributeFolder)
            ?.members ?? []);
  const hasAttributes = summary.attributeFolders.some((a) => a !== '');

  return (
    <section className="panel" aria-labelledby="dataset-heading" id="dataset">
      <h2 id="dataset-heading">
        Your images: {images.length} in {summary.classFolders.length}{' '}
        {summary.classFolders.length === 1 ? 'class' : 'classes'}
      </h2>
      {notes.length > 0 && (
        <ul className="notes">
          {notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      )}
      {summary.singleClass && (
        <SingleClassProblem
          message={summary.singleClass}
          classFolder={summary.classFolders[0]}
          attributes={summary.attributeFolders.filter((a) => a !== '')}
        />
      )}
      <UndoBar />
      <div className="matrix-wrap">
        <table className="matrix" data-testid="group-matrix">
          <caption className="sr-only">Images per class (rows) and attribute (columns)</caption>
          <MatrixHead attributeFolders={summary.attributeFolders} />
          <tbody>
            {summary.cells.map((row, ci) => (
              <tr key={summary.classFolders[ci]}>
                <th scope="row">{summary.classFolders[ci]}</th>
                {row.map((cell) => (
                  <MatrixCell
                    key={cell.attributeFolder}
                    cell={cell}
                    active={
                      typeof selected === 'object' &&
                      selected.classFolder === cell.classFolder &&
                      selected.attributeFolder === cell.attributeFolder
                    }
                    onSelect={() =>
                      setSelected({ classFolder: cell.classFolder, attributeFolder: cell.attributeFolder })
                    }
                  />
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {summary.warnings.length > 0 && (
        <ul className="warnings" data-testid="dataset-warnings">
          {summary.warnings.map((w, i) => (
            <li key={i}>
              <span aria-hidden="true">⚠ </span>
              {w}
            </li>
          ))}
        </ul>
      )}
      <LabelEditor
        classFolders={summary.classFolders}
        attributeFolders={summary.attributeFolders.filter((a) => a !== '')}
        hasAttributes={hasAttributes}
      />
      <div className="browse">
        <div className="button-row" role="group" aria-label="Which images to browse">
          <button
            type="button"
            className={selected === 'all' ? 'chip active' : 'chip'}
            aria-pressed={selected === 'all'}
            onClick={() => setSelected('all')}
          >
            All images
          </button>
          {summary.untagged.length > 0 && (
            <button
              type="button"
              className={selected === 'untagged' ? 'chip active' : 'chip'}
              aria-pressed={selected === 'untagged'}
              onClick={() => setSelected('untagged')}
            >
              Untagged ({summary.untagged.length})
            </button>
          )}
          {typeof selected === 'object' && (
            <span className="muted">Showing {groupLabel(selected.classFolder, selected.attributeFolder)}</span>
          )}
        </div>
        <ImageGrid indices={members} classFolders={summary.classFolders} attributeFolders={summary.attributeFolders} />
      </div>
      <TemplateEditor />
    </section>
  );
}

function MatrixCell({ cell, active, onSelect }: { cell: GroupCell; active: boolean; onSelect: () => void }) {
  const images = useDataset((s) => s.images);
  const n = cell.members.length;
  const state = n === 0 ? 'empty' : n < TINY_GROUP ? 'tiny' : 'ok';
  return (
    <td className={`cell ${state}${active ? ' active' : ''}`}>
      <button
        type="button"
        onClick={onSelect}
        aria-pressed={active}
        disabled={n === 0}
        aria-label={`${groupLabel(cell.classFolder, cell.attributeFolder)}: ${n} images${state === 'tiny' ? ' (few)' : ''}`}
      >
        <span className="count">
          {n}
          {state !== 'ok' && <span className="flag"> {state === 'empty' ? '(empty)' : '(few)'}</span>}
        </span>
        <span className="samples" aria-hidden="true">
          {cell.members.slice(0, 3).map((index) => (
            <Thumbnail key={images[index]?.id} source={images[index]?.blob} alt="" size={40} />
          ))}
        </span>
      </button>
    </td>
  );
}
