/**
 * The settings a user chooses, kept in localStorage across reloads. What is read back is checked field by
 * field: a value that is corrupt, from an older version or hand-edited falls back to its default, and
 * unreadable storage (private mode, blocked cookies, no localStorage in Node) just means nothing is kept.
 */
import * as v from 'valibot';
import type { PersistStorage, StorageValue } from 'zustand/middleware';

export const SETTINGS_STORAGE_KEY = 'sage-explorer-settings';
/** Bump when a stored field changes meaning; older values are then checked against the new rules. */
export const SETTINGS_STORAGE_VERSION = 1;

export const THEMES = ['auto', 'light', 'dark', 'projector'] as const;
export type Theme = (typeof THEMES)[number];

export const BATCH_SIZE_RANGE = { min: 1, max: 64 } as const;

/** One schema per stored field, so one bad field does not cost the others. */
const FIELD_SCHEMAS = {
  theme: v.picklist(THEMES),
  backend: v.picklist(['auto', 'webgpu', 'wasm']),
  batchSize: v.pipe(v.number(), v.integer(), v.minValue(BATCH_SIZE_RANGE.min), v.maxValue(BATCH_SIZE_RANGE.max)),
  dtype: v.picklist(['fp32', 'fp16', 'q8']),
  // a hub id or a folder the app serves; a dropped folder ("files:") cannot outlive the page
  model: v.pipe(v.string(), v.regex(/^(?:[\w.-]+\/[\w.-]+|local:[\w.-]+)$/)),
};

export type StoredSettings = { [K in keyof typeof FIELD_SCHEMAS]: v.InferOutput<(typeof FIELD_SCHEMAS)[K]> };

/** The valid fields of whatever was stored; anything else (wrong type, out of range, unknown) is dropped. */
export function readStoredSettings(stored: unknown): Partial<StoredSettings> {
  if (typeof stored !== 'object' || stored === null) return {};
  const record = stored as Record<string, unknown>;
  const valid: Partial<Record<keyof StoredSettings, unknown>> = {};
  for (const key of Object.keys(FIELD_SCHEMAS) as (keyof StoredSettings)[]) {
    const parsed = v.safeParse(FIELD_SCHEMAS[key], record[key]);
    if (parsed.success) valid[key] = parsed.output;
  }
  return valid as Partial<StoredSettings>;
}

function browserStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // a SecurityError when storage is blocked
  }
}

/** localStorage as JSON; a missing, blocked or full storage and unparsable text all read as "nothing stored". */
export const settingsStorage: PersistStorage<Partial<StoredSettings>> = {
  getItem(name) {
    try {
      const text = browserStorage()?.getItem(name);
      return text ? (JSON.parse(text) as StorageValue<Partial<StoredSettings>>) : null;
    } catch {
      return null;
    }
  },
  setItem(name, value) {
    try {
      browserStorage()?.setItem(name, JSON.stringify(value));
    } catch {
      // quota exceeded or storage blocked: the settings still apply to this page
    }
  },
  removeItem(name) {
    try {
      browserStorage()?.removeItem(name);
    } catch {
      // as above
    }
  },
};
