/**
 * Model, backend and display settings. The model id follows ExplorerConfig.model:
 * a hub id, "local:<name>" (served from models/<name>/) or "files:<name>" (a dropped model folder).
 */
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { DEFAULT_MODEL, type Dtype } from '../core/config';
import type { ModelSource } from '../core/modelCatalog';
import type { BackendPreference } from '../worker/protocol';
import {
  BATCH_SIZE_RANGE,
  SETTINGS_STORAGE_KEY,
  SETTINGS_STORAGE_VERSION,
  type Theme,
  readStoredSettings,
  settingsStorage,
} from './settingsStorage';

// the ui reaches these through state (layer rule)
export { HUB_MODELS, type HubModelOption, dtypesInModelFolder } from '../core/modelCatalog';
export { THEMES, type Theme } from './settingsStorage';
export type { BackendPreference };

export interface DroppedModel {
  name: string;
  files: { path: string; data: ArrayBuffer }[];
}

export interface SettingsState {
  model: string;
  dtype: Dtype;
  backend: BackendPreference;
  batchSize: number;
  theme: Theme;
  droppedModel: DroppedModel | null;
  setModel(model: string): void;
  setDtype(dtype: Dtype): void;
  setBackend(backend: BackendPreference): void;
  setBatchSize(size: number): void;
  setTheme(theme: Theme): void;
  setDroppedModel(model: DroppedModel | null): void;
}

/** The user's choices (theme, backend, batch size, model and precision) persist across reloads (issue 10). */
export const useSettings = create<SettingsState>()(
  persist(
    (set) => ({
      model: DEFAULT_MODEL,
      dtype: 'q8',
      backend: 'auto',
      batchSize: 8,
      theme: 'auto',
      droppedModel: null,
      setModel: (model) => set({ model }),
      setDtype: (dtype) => set({ dtype }),
      setBackend: (backend) => set({ backend }),
      setBatchSize: (batchSize) =>
        set({ batchSize: Math.max(BATCH_SIZE_RANGE.min, Math.min(BATCH_SIZE_RANGE.max, Math.round(batchSize))) }),
      setTheme: (theme) => set({ theme }),
      setDroppedModel: (droppedModel) =>
        set(droppedModel ? { droppedModel, model: `files:${droppedModel.name}` } : { droppedModel: null }),
    }),
    {
      name: SETTINGS_STORAGE_KEY,
      version: SETTINGS_STORAGE_VERSION,
      storage: settingsStorage,
      // only what would pass the checks on reading it back: a dropped folder ("files:…") is not kept
      partialize: ({ theme, backend, batchSize, dtype, model }) =>
        readStoredSettings({ theme, backend, batchSize, dtype, model }),
      // any other stored version: keep what still passes today's checks (merge checks every field)
      migrate: (stored) => readStoredSettings(stored),
      merge: (stored, current) => ({ ...current, ...readStoredSettings(stored) }),
    },
  ),
);

export type ModelSourceResult = { ok: true; source: ModelSource } | { ok: false; error: string };

/** ExplorerConfig.model → where the worker loads it from. */
export function modelSourceFor(model: string, dropped: DroppedModel | null): ModelSourceResult {
  if (model.startsWith('local:')) {
    const name = model.slice('local:'.length);
    if (!/^[\w.-]+$/.test(name))
      return { ok: false, error: `local model name "${name}" may only use letters, digits, "-", "_" and "."` };
    return { ok: true, source: { kind: 'local', name } };
  }
  if (model.startsWith('files:')) {
    const name = model.slice('files:'.length);
    if (!dropped || dropped.name !== name) {
      return {
        ok: false,
        error: `model "${name}" came from a folder on someone's disk; drop that model folder here to use it`,
      };
    }
    return { ok: true, source: { kind: 'files', name, files: dropped.files } };
  }
  if (!/^[\w.-]+\/[\w.-]+$/.test(model)) return { ok: false, error: `"${model}" is not a hub model id (owner/name)` };
  return { ok: true, source: { kind: 'hub', id: model } };
}
