/**
 * The Discover panel's choices (issue 14): the vocabulary the user edits, pastes or loads, how its words are
 * turned into prompts, the method under audit, the presence top-k, and the words picked for the hand-off.
 */
import { create } from 'zustand';
import { DEFAULT_PRESENCE_TOP_K, DEFAULT_VOCABULARY, type MethodId } from '../core';

export const DEFAULT_VOCABULARY_TEXT = DEFAULT_VOCABULARY.join('\n');

/** The longest vocabulary file read (a word list of a few thousand lines is far below this). */
export const MAX_VOCABULARY_FILE_BYTES = 2 * 1024 * 1024;

export interface DiscoveryState {
  /** shown once the user opened the panel: discovery costs N·V·dim, so it runs only when asked */
  open: boolean;
  /** the vocabulary as typed: one word per line (commas also separate) */
  vocabularyText: string;
  /** where the words came from, in the user's words ("the default list", "birds.txt", "your edits") */
  vocabularySource: string;
  /** embed each word with every template of the results (the ensemble) instead of `a photo of a {word}.` */
  ensemble: boolean;
  /** the method whose errors are explained */
  method: MethodId;
  /** a word is present in an image when it is among the image's top-k words */
  topK: number;
  /** words picked for the hand-off, in the order picked */
  picked: string[];
  /** a file that could not be read, in a sentence */
  fileError: string | null;
  setOpen(open: boolean): void;
  setVocabularyText(text: string): void;
  loadVocabularyFile(file: File): Promise<void>;
  resetVocabulary(): void;
  setEnsemble(ensemble: boolean): void;
  setMethod(method: MethodId): void;
  setTopK(topK: number): void;
  togglePicked(word: string): void;
  clearPicked(): void;
}

export const useDiscovery = create<DiscoveryState>()((set) => ({
  open: false,
  vocabularyText: DEFAULT_VOCABULARY_TEXT,
  vocabularySource: 'the default list',
  ensemble: false,
  method: 'zeroshot',
  topK: DEFAULT_PRESENCE_TOP_K,
  picked: [],
  fileError: null,
  setOpen: (open) => set({ open }),
  setVocabularyText: (vocabularyText) => set({ vocabularyText, vocabularySource: 'your edits', fileError: null }),
  async loadVocabularyFile(file) {
    if (file.size > MAX_VOCABULARY_FILE_BYTES) {
      set({
        fileError: `${file.name} is ${(file.size / 1024 / 1024).toFixed(1)} MB; a word list should be a plain text file of at most 2 MB (one word per line).`,
      });
      return;
    }
    try {
      const text = await file.text();
      if (text.includes('\u0000')) {
        set({ fileError: `${file.name} is not a plain text file: save the word list as .txt, one word per line.` });
        return;
      }
      set({ vocabularyText: text, vocabularySource: file.name, fileError: null, picked: [] });
    } catch {
      set({ fileError: `${file.name} could not be read; try saving it again as a plain .txt file.` });
    }
  },
  resetVocabulary: () =>
    set({ vocabularyText: DEFAULT_VOCABULARY_TEXT, vocabularySource: 'the default list', fileError: null }),
  setEnsemble: (ensemble) => set({ ensemble }),
  setMethod: (method) => set({ method }),
  setTopK: (topK) => {
    // an empty or odd number field keeps the previous k rather than breaking the lists
    if (Number.isFinite(topK) && topK >= 1) set({ topK: Math.min(50, Math.round(topK)) });
  },
  togglePicked: (word) =>
    set((s) => ({ picked: s.picked.includes(word) ? s.picked.filter((w) => w !== word) : [...s.picked, word] })),
  clearPicked: () => set({ picked: [] }),
}));
