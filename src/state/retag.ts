/**
 * What a typed re-tag target means (issue 13 §4): trimmed, and matched to an existing class or attribute folder
 * regardless of case, so "Landbird " re-tags to landbird instead of creating a third class. Pure.
 */

export interface TargetMatch {
  /** the folder to use: an existing one when it matches, else the trimmed text ('' = nothing typed) */
  folder: string;
  /** the existing folder it was matched to when the typed text differs from it (shown as "did you mean …?") */
  suggestion: string | null;
}

export function matchExistingFolder(typed: string, existing: readonly string[]): TargetMatch {
  const trimmed = typed.trim().replace(/\s+/g, ' ');
  if (trimmed === '') return { folder: '', suggestion: null };
  if (existing.includes(trimmed)) return { folder: trimmed, suggestion: null };
  const lower = trimmed.toLocaleLowerCase();
  const match = existing.find((folder) => folder.toLocaleLowerCase() === lower);
  return match === undefined ? { folder: trimmed, suggestion: null } : { folder: match, suggestion: match };
}

/** "re-tag 4 images as waterbird", "re-tag 1 image as waterbird / water" */
export function describeRetag(count: number, classFolder: string, attributeFolder: string | null): string {
  const target = attributeFolder ? `${classFolder} / ${attributeFolder}` : classFolder;
  return `re-tag ${count} image${count === 1 ? '' : 's'} as ${target}`;
}

/** "class string of landbird → “a bird on land”", shortened so a button stays one line */
export function describeLabelEdit(kind: 'class' | 'attribute', folder: string, text: string): string {
  const shown = text.length > 32 ? `${text.slice(0, 31)}…` : text;
  return `${kind === 'class' ? 'class string' : 'attribute words'} of ${folder} → “${shown}”`;
}
