import { useDataset } from '../../state/dataset';
import { wordList } from '../../state/ingest/layout';

/**
 * Why a run is refused when the images hold one class (issue 13 §4), and the other reading of a class folder with
 * attribute subfolders: the folder only held class folders, so its subfolders are the classes.
 */
export function SingleClassProblem({
  message,
  classFolder,
  attributes,
}: {
  message: string;
  classFolder: string;
  attributes: readonly string[];
}) {
  const readAsClasses = useDataset((s) => s.readAttributesAsClasses);
  const list = wordList(attributes);
  return (
    <div className="single-class" role="alert" data-testid="single-class">
      <p>
        <strong>{message}</strong>
      </p>
      {attributes.length >= 2 && (
        <p>
          If {classFolder} is only the folder that holds the classes {list}:{' '}
          <button type="button" className="secondary" onClick={() => readAsClasses(classFolder)}>
            Read {list} as classes
          </button>
        </p>
      )}
    </div>
  );
}
