/**
 * Whether the results on screen still match the setup in the panels (issue 12 §6). A run records the setup it
 * embedded (class strings, attribute words, templates, group-prompt pattern, model and precision, and which
 * image went into which group); any later difference makes its results out of date. View settings (K, method,
 * aggregate, seed, zero-shot template) and the SPEC §7 settings are not part of it: the views derive them live.
 *
 * Results opened from a bundle or report record only what the file says (class strings, attribute words,
 * templates; a report also its model, precision and pattern), not their images, which never enter the
 * dataset panel. They are compared only once the panel holds images — only then can "Run again" produce
 * other numbers — so an empty panel never marks them out of date.
 */
import type { Dtype } from '../core/config';
import { summariseDataset, type LabelledItem } from './datasetSummary';

export interface SetupSnapshot {
  /** class strings, in class order */
  classes: readonly string[];
  /** attribute words, in attribute-folder order ([] without attributes) */
  attributes: readonly string[];
  templates: readonly string[];
  /** only when there are attributes (the group prompts use it) */
  groupPromptPattern?: string;
  /** absent when the results do not say (a bundle) */
  model?: string;
  dtype?: Dtype;
  /** one entry per image of the run, "id, class folder, attribute folder", sorted; absent for opened files */
  images?: readonly string[];
}

export type SetupChange =
  'model' | 'precision' | 'classes' | 'attributes' | 'templates' | 'groupPromptPattern' | 'images';

/** Words for each change; setupChanges lists changes in this order. */
const CHANGE_WORDS: Record<SetupChange, string> = {
  classes: 'the class strings',
  attributes: 'the attribute words',
  templates: 'the templates',
  groupPromptPattern: 'the group prompt pattern',
  model: 'the model',
  precision: 'the model precision',
  images: 'the images',
};

export interface DatasetSetupInput {
  images: readonly LabelledItem[];
  classText: Readonly<Record<string, string>>;
  attributeText: Readonly<Record<string, string>>;
  templates: readonly string[];
  groupPromptPattern: string;
}

/** The setup a run would embed now, or null when the panel holds no labelled image. */
export function datasetSetup(dataset: DatasetSetupInput, model: string, dtype: Dtype): SetupSnapshot | null {
  const summary = summariseDataset(dataset.images);
  if (summary.classFolders.length === 0) return null;
  const attributeFolders = summary.attributeFolders.filter((a) => a !== '');
  const images: string[] = [];
  for (const image of dataset.images) {
    if (image.classFolder !== '') images.push(`${image.id}\u0000${image.classFolder}\u0000${image.attributeFolder}`);
  }
  images.sort();
  return {
    classes: summary.classFolders.map((f) => dataset.classText[f] ?? f),
    attributes: attributeFolders.map((a) => dataset.attributeText[a] ?? a),
    templates: [...dataset.templates],
    groupPromptPattern: attributeFolders.length > 0 ? dataset.groupPromptPattern : undefined,
    model,
    dtype,
    images,
  };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * What differs between the setup that produced the results and the current one, in banner order. Fields the
 * results do not record are not compared. `current` null (no labelled images in the panel): a run's results
 * changed only in their images; opened results are not compared at all.
 */
export function setupChanges(producedBy: SetupSnapshot, current: SetupSnapshot | null): SetupChange[] {
  if (current === null) return producedBy.images ? ['images'] : [];
  const changes: SetupChange[] = [];
  if (!sameList(producedBy.classes, current.classes)) changes.push('classes');
  if (!sameList(producedBy.attributes, current.attributes)) changes.push('attributes');
  if (!sameList(producedBy.templates, current.templates)) changes.push('templates');
  if (producedBy.groupPromptPattern !== undefined && producedBy.groupPromptPattern !== current.groupPromptPattern)
    changes.push('groupPromptPattern');
  if (producedBy.model !== undefined && producedBy.model !== current.model) changes.push('model');
  else if (producedBy.dtype !== undefined && producedBy.dtype !== current.dtype) changes.push('precision');
  if (producedBy.images && current.images && !sameList(producedBy.images, current.images)) changes.push('images');
  return changes;
}

/** "the class strings", "the class strings and the templates", "the class strings, the templates and the model". */
export function describeChanges(changes: readonly SetupChange[]): string {
  const words = changes.map((c) => CHANGE_WORDS[c]);
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** Changes named by a singular noun ("the model differs"). */
const SINGULAR: ReadonlySet<SetupChange> = new Set(['model', 'precision', 'groupPromptPattern']);

/**
 * The banner's sentence for out-of-date results. Results opened from a file were never made with the panels'
 * setup, so for them the sentence says how they differ instead of naming a change.
 */
export function staleSentence(changes: readonly SetupChange[], source: 'run' | 'bundle' | 'report' = 'run'): string {
  const what = describeChanges(changes);
  if (source !== 'run') {
    const singular = changes.length === 1 && SINGULAR.has(changes[0]);
    return `These results come from the ${source === 'bundle' ? 'embeddings bundle' : 'report'}, whose ${what.replace(/\bthe /g, '')} ${singular ? 'differs from the one' : 'differ from those'} in your panels. Run again to get results for yours.`;
  }
  return `These results are from the setup before your ${changes.length > 1 ? 'changes' : 'change'} to ${what}. Run again to update them.`;
}
