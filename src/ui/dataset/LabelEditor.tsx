import { useDataset } from '../../state/dataset';
import { AttributeMethodsEditor } from './AttributeMethodsEditor';
import { labelProblems } from '../../state/datasetChecks';

/**
 * Class strings (what goes into the templates) and attribute words (for group prompts and the methods that use
 * them), editable per folder, with those methods' settings.
 */
export function LabelEditor({
  classFolders,
  attributeFolders,
  hasAttributes,
}: {
  classFolders: string[];
  attributeFolders: string[];
  hasAttributes: boolean;
}) {
  const classText = useDataset((s) => s.classText);
  const attributeText = useDataset((s) => s.attributeText);
  const setClassText = useDataset((s) => s.editClassText);
  const setAttributeText = useDataset((s) => s.editAttributeText);
  const pattern = useDataset((s) => s.groupPromptPattern);
  const setPattern = useDataset((s) => s.setGroupPromptPattern);
  const classes = classFolders.map((f) => classText[f] ?? f);
  const problems = labelProblems(classes, pattern, classFolders);
  const patternError = problems.pattern;
  const errorFor = (i: number) => problems.perClass[i];

  return (
    <div className="label-editor">
      <fieldset>
        <legend>Class strings (inserted into every template as “{'{}'}”)</legend>
        {classFolders.map((folder, i) => (
          <div className="field" key={folder}>
            <label htmlFor={`class-text-${i}`}>{folder}</label>
            <input
              id={`class-text-${i}`}
              value={classes[i]}
              onChange={(e) => setClassText(folder, e.target.value)}
              aria-invalid={errorFor(i) ? true : undefined}
              aria-describedby={errorFor(i) ? `class-error-${i}` : undefined}
            />
            {errorFor(i) && (
              <span className="error" id={`class-error-${i}`}>
                {errorFor(i)}
              </span>
            )}
          </div>
        ))}
      </fieldset>
      {hasAttributes && (
        <fieldset>
          <legend>
            Attribute words (only the reference methods use them: group prompts, RoboShot, TIE*, TIE, Orth-Proj,
            Orth-Cali; SAGE does not)
          </legend>
          {attributeFolders.map((folder, i) => (
            <div className="field" key={folder}>
              <label htmlFor={`attr-text-${i}`}>{folder}</label>
              <input
                id={`attr-text-${i}`}
                value={attributeText[folder] ?? folder}
                onChange={(e) => setAttributeText(folder, e.target.value)}
              />
            </div>
          ))}
          <div className="field">
            <label htmlFor="group-pattern">group prompt</label>
            <input
              id="group-pattern"
              value={pattern}
              onChange={(e) => setPattern(e.target.value)}
              aria-invalid={patternError ? true : undefined}
              aria-describedby={patternError ? 'group-pattern-error' : undefined}
            />
            {patternError && (
              <span className="error" id="group-pattern-error">
                {patternError}
              </span>
            )}
          </div>
          <AttributeMethodsEditor />
        </fieldset>
      )}
    </div>
  );
}
