/**
 * The dataset the user dropped: images with their labels (folder names), the skipped list,
 * the class strings and attribute words that go into prompts, and the template pool.
 */
import { create } from 'zustand';
import clipTemplates from '../core/clipTemplates.json';
import { DEFAULT_GROUP_PROMPT_PATTERN } from '../core/config';
import type { IngestedImage, IngestResult, SkippedFile } from './ingest/ingest';
import { wordList, type ImageSplit } from './ingest/layout';
import { describeLabelEdit, describeRetag, matchExistingFolder } from './retag';

export const DEFAULT_TEMPLATES: readonly string[] = clipTemplates as string[];

export interface DatasetImage {
  id: string;
  blob: Blob;
  /** '' = untagged (excluded from runs until tagged) */
  classFolder: string;
  /** '' = no attribute */
  attributeFolder: string;
  /** train/val/test from a split folder or the manifest's split column (issue 15); absent = none given */
  split?: ImageSplit;
}

/** One image's labels before or after a re-tag. */
interface ImageLabels {
  id: string;
  classFolder: string;
  attributeFolder: string;
}

/** One undoable edit: a re-tag (the changed images' labels before and after) or a class string / attribute words edit. */
export type DatasetEdit =
  | { kind: 'retag'; description: string; before: ImageLabels[]; after: ImageLabels[] }
  | {
      kind: 'class' | 'attribute';
      description: string;
      folder: string;
      /** absent = the folder name was used */
      before: string | undefined;
      after: string;
    };

/** How many edits undo reaches back. */
export const HISTORY_LIMIT = 50;

export interface RetagOutcome {
  /** images whose labels changed */
  changed: number;
  classFolder: string;
  /** null = each image kept its attribute */
  attributeFolder: string | null;
}

export interface DatasetState {
  images: DatasetImage[];
  skipped: SkippedFile[];
  notes: string[];
  /** folder name → class string inserted into templates (absent = the folder name) */
  classText: Record<string, string>;
  /** folder name → attribute words used by the group-prompt reference (absent = the folder name) */
  attributeText: Record<string, string>;
  templates: string[];
  /** pattern for group prompts: "{class}" and "{attribute}" are replaced */
  groupPromptPattern: string;
  /** where the data came from, for the header ("waterbirds-lite example", "3 folders dropped") */
  sourceLabel: string;
  /** undoable edits, oldest first (at most HISTORY_LIMIT) */
  undoStack: DatasetEdit[];
  /** edits undone, most recently undone last; cleared by a new edit */
  redoStack: DatasetEdit[];
  addIngested(result: IngestResult, sourceLabel: string): void;
  clear(): void;
  /**
   * Re-tag images as typed: trimmed, matched to an existing class (or attribute) regardless of case; an empty
   * attribute (or null) keeps each image's own. Undoable.
   */
  retag(ids: readonly string[], classFolder: string, attributeFolder?: string | null): RetagOutcome;
  /** set without history: for loading examples and links */
  setClassText(folder: string, text: string): void;
  setAttributeText(folder: string, text: string): void;
  /** the user's edits in the label editor: undoable, consecutive edits of one field are one step */
  editClassText(folder: string, text: string): void;
  editAttributeText(folder: string, text: string): void;
  /**
   * The other reading of `landbird/{land,water}/…`: the attribute folders of this class become classes with no
   * attribute (the shared folder only held class folders). Undoable; the number of images changed.
   */
  readAttributesAsClasses(classFolder: string): number;
  undo(): void;
  redo(): void;
  setTemplates(templates: string[]): void;
  setGroupPromptPattern(pattern: string): void;
  resetTemplates(): void;
  /** skipped entries reported later, e.g. images the model could not decode */
  addSkipped(entries: readonly SkippedFile[]): void;
}

export const useDataset = create<DatasetState>()((set, get) => ({
  images: [],
  undoStack: [],
  redoStack: [],
  skipped: [],
  notes: [],
  classText: {},
  attributeText: {},
  templates: [...DEFAULT_TEMPLATES],
  groupPromptPattern: DEFAULT_GROUP_PROMPT_PATTERN,
  sourceLabel: '',
  addIngested(result, sourceLabel) {
    set((state) => {
      const known = new Set(state.images.map((i) => i.id));
      const fresh: DatasetImage[] = [];
      const skipped = [...state.skipped, ...result.skipped];
      for (const image of result.images) {
        if (known.has(image.id))
          skipped.push({ path: image.id, reason: 'already in the dataset; the earlier copy was kept' });
        else fresh.push(toDatasetImage(image));
      }
      return {
        images: [...state.images, ...fresh],
        skipped,
        notes: [...state.notes, ...result.notes],
        sourceLabel: state.images.length > 0 ? `${state.sourceLabel} + ${sourceLabel}` : sourceLabel,
      };
    });
  },
  clear() {
    set({
      images: [],
      skipped: [],
      notes: [],
      classText: {},
      attributeText: {},
      sourceLabel: '',
      undoStack: [],
      redoStack: [],
    });
  },
  retag(ids, typedClass, typedAttribute = null) {
    const { images } = get();
    const classFolder = matchExistingFolder(typedClass, distinctLabels(images, 'classFolder')).folder;
    const attributeMatch = matchExistingFolder(typedAttribute ?? '', distinctLabels(images, 'attributeFolder')).folder;
    const attributeFolder = attributeMatch === '' ? null : attributeMatch;
    if (classFolder === '') return { changed: 0, classFolder, attributeFolder };
    const wanted = new Set(ids);
    const before: ImageLabels[] = [];
    const after: ImageLabels[] = [];
    const next = images.map((image) => {
      if (!wanted.has(image.id)) return image;
      const attribute = attributeFolder ?? image.attributeFolder;
      if (image.classFolder === classFolder && image.attributeFolder === attribute) return image;
      before.push({ id: image.id, classFolder: image.classFolder, attributeFolder: image.attributeFolder });
      after.push({ id: image.id, classFolder, attributeFolder: attribute });
      return { ...image, classFolder, attributeFolder: attribute };
    });
    if (before.length > 0) {
      const description = describeRetag(before.length, classFolder, attributeFolder);
      set((state) => ({
        images: next,
        undoStack: pushEdit(state.undoStack, { kind: 'retag', description, before, after }),
        redoStack: [],
      }));
    }
    return { changed: before.length, classFolder, attributeFolder };
  },
  editClassText(folder, text) {
    set((state) => ({
      classText: { ...state.classText, [folder]: text },
      ...recordLabelEdit(state, 'class', folder, state.classText[folder], text),
    }));
  },
  editAttributeText(folder, text) {
    set((state) => ({
      attributeText: { ...state.attributeText, [folder]: text },
      ...recordLabelEdit(state, 'attribute', folder, state.attributeText[folder], text),
    }));
  },
  readAttributesAsClasses(classFolder) {
    const before: ImageLabels[] = [];
    const after: ImageLabels[] = [];
    const attributes = new Set<string>();
    const next = get().images.map((image) => {
      if (image.classFolder !== classFolder || image.attributeFolder === '') return image;
      attributes.add(image.attributeFolder);
      before.push({ id: image.id, classFolder, attributeFolder: image.attributeFolder });
      after.push({ id: image.id, classFolder: image.attributeFolder, attributeFolder: '' });
      return { ...image, classFolder: image.attributeFolder, attributeFolder: '' };
    });
    if (before.length === 0) return 0;
    const description = `read ${wordList([...attributes])} as classes`;
    set((state) => ({
      images: next,
      undoStack: pushEdit(state.undoStack, { kind: 'retag', description, before, after }),
      redoStack: [],
    }));
    return before.length;
  },
  undo() {
    const edit = get().undoStack.at(-1);
    if (!edit) return;
    set((state) => ({
      ...applyEdit(state, edit, 'before'),
      undoStack: state.undoStack.slice(0, -1),
      redoStack: [...state.redoStack, edit],
    }));
  },
  redo() {
    const edit = get().redoStack.at(-1);
    if (!edit) return;
    set((state) => ({
      ...applyEdit(state, edit, 'after'),
      undoStack: pushEdit(state.undoStack, edit),
      redoStack: state.redoStack.slice(0, -1),
    }));
  },
  setClassText(folder, text) {
    set((state) => ({ classText: { ...state.classText, [folder]: text } }));
  },
  setAttributeText(folder, text) {
    set((state) => ({ attributeText: { ...state.attributeText, [folder]: text } }));
  },
  setTemplates(templates) {
    set({ templates });
  },
  setGroupPromptPattern(groupPromptPattern) {
    set({ groupPromptPattern });
  },
  resetTemplates() {
    set({ templates: [...DEFAULT_TEMPLATES] });
  },
  addSkipped(entries) {
    set((state) => ({ skipped: [...state.skipped, ...entries] }));
  },
}));

function toDatasetImage(image: IngestedImage): DatasetImage {
  const { id, blob, classFolder, attributeFolder, split } = image;
  return split ? { id, blob, classFolder, attributeFolder, split } : { id, blob, classFolder, attributeFolder };
}

function distinctLabels(images: readonly DatasetImage[], key: 'classFolder' | 'attributeFolder'): string[] {
  const seen = new Set<string>();
  for (const image of images) if (image[key] !== '') seen.add(image[key]);
  return [...seen];
}

function pushEdit(stack: readonly DatasetEdit[], edit: DatasetEdit): DatasetEdit[] {
  const next = [...stack, edit];
  return next.length > HISTORY_LIMIT ? next.slice(next.length - HISTORY_LIMIT) : next;
}

/** Typing in one field is one undo step: a label edit right after an edit of the same field extends it. */
function recordLabelEdit(
  state: DatasetState,
  kind: 'class' | 'attribute',
  folder: string,
  before: string | undefined,
  after: string,
): Pick<DatasetState, 'undoStack' | 'redoStack'> {
  const last = state.undoStack.at(-1);
  const description = describeLabelEdit(kind, folder, after);
  if (last && last.kind === kind && last.folder === folder && state.redoStack.length === 0) {
    return { undoStack: [...state.undoStack.slice(0, -1), { ...last, after, description }], redoStack: [] };
  }
  return { undoStack: pushEdit(state.undoStack, { kind, description, folder, before, after }), redoStack: [] };
}

/** The state with one edit's before or after side applied. */
function applyEdit(
  state: DatasetState,
  edit: DatasetEdit,
  side: 'before' | 'after',
): Partial<Pick<DatasetState, 'images' | 'classText' | 'attributeText'>> {
  if (edit.kind === 'retag') {
    const labels = new Map(edit[side].map((l) => [l.id, l]));
    return {
      images: state.images.map((image) => {
        const l = labels.get(image.id);
        return l ? { ...image, classFolder: l.classFolder, attributeFolder: l.attributeFolder } : image;
      }),
    };
  }
  const key = edit.kind === 'class' ? 'classText' : 'attributeText';
  const value = edit[side];
  // absent = the folder name is used again, as before the first edit
  const texts = Object.fromEntries(Object.entries(state[key]).filter(([folder]) => folder !== edit.folder));
  if (value !== undefined) texts[edit.folder] = value;
  return { [key]: texts };
}
