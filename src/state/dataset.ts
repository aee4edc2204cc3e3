/**
 * The dataset the user dropped: images with their labels (folder names), the skipped list,
 * the class strings and attribute words that go into prompts, and the template pool.
 */
import { create } from 'zustand';
import clipTemplates from '../core/clipTemplates.json';
import { DEFAULT_GROUP_PROMPT_PATTERN } from '../core/config';
import type { IngestedImage, IngestResult, SkippedFile } from './ingest/ingest';
import type { ImageSplit } from './ingest/layout';

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
  addIngested(result: IngestResult, sourceLabel: string): void;
  clear(): void;
  retag(ids: readonly string[], classFolder: string, attributeFolder: string): void;
  setClassText(folder: string, text: string): void;
  setAttributeText(folder: string, text: string): void;
  setTemplates(templates: string[]): void;
  setGroupPromptPattern(pattern: string): void;
  resetTemplates(): void;
  /** skipped entries reported later, e.g. images the model could not decode */
  addSkipped(entries: readonly SkippedFile[]): void;
}

export const useDataset = create<DatasetState>()((set) => ({
  images: [],
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
    set({ images: [], skipped: [], notes: [], classText: {}, attributeText: {}, sourceLabel: '' });
  },
  retag(ids, classFolder, attributeFolder) {
    const wanted = new Set(ids);
    set((state) => ({
      images: state.images.map((image) => (wanted.has(image.id) ? { ...image, classFolder, attributeFolder } : image)),
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
