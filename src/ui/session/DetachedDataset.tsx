/**
 * The dataset panel of a restored session before its images are back: the class × attribute counts from the
 * saved references, marked "not attached", with the class strings, attribute words and templates editable.
 */
import { useMemo } from 'react';
import { summariseDataset } from '../../state/datasetSummary';
import { useSession } from '../../state/session/session';
import { LabelEditor } from '../dataset/LabelEditor';
import { TemplateEditor } from '../dataset/TemplateEditor';
import './session.css';
import { MatrixHead } from '../dataset/MatrixHead';

export function DetachedDataset() {
  const detached = useSession((s) => s.detached);
  const summary = useMemo(() => summariseDataset(detached?.images ?? []), [detached]);
  if (!detached) return null;
  const classes = summary.classFolders.length;
  return (
    <section
      className="panel detached-dataset"
      aria-labelledby="dataset-heading"
      id="dataset"
      data-testid="detached-dataset"
    >
      <h2 id="dataset-heading">
        Your images: {detached.images.length} in {classes} {classes === 1 ? 'class' : 'classes'}{' '}
        <span className="not-attached">not attached</span>
      </h2>
      <p>
        These images come from your last session, which kept their labels but not the files. Drop the folder again to
        re-attach the images (at the top of the page); until then the results come from the saved embeddings and Run
        needs the images.
      </p>
      <div className="matrix-wrap">
        <table className="matrix" data-testid="detached-matrix">
          <caption className="sr-only">Saved images per class (rows) and attribute (columns), not attached</caption>
          <MatrixHead attributeFolders={summary.attributeFolders} />
          <tbody>
            {summary.cells.map((row, ci) => (
              <tr key={summary.classFolders[ci]}>
                <th scope="row">{summary.classFolders[ci]}</th>
                {row.map((cell) => (
                  <td key={cell.attributeFolder} className="cell detached">
                    <span className="count">{cell.members.length}</span>
                    <span className="sr-only"> images, not attached</span>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <LabelEditor
        classFolders={summary.classFolders}
        attributeFolders={summary.attributeFolders.filter((a) => a !== '')}
        hasAttributes={summary.attributeFolders.some((a) => a !== '')}
      />
      <TemplateEditor />
    </section>
  );
}
