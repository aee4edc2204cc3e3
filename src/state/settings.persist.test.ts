import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_MODEL } from '../core/config';
import { useSettings } from './settings';
import { SETTINGS_STORAGE_KEY, SETTINGS_STORAGE_VERSION, readStoredSettings } from './settingsStorage';

/** A Storage in memory, as the browser's localStorage behaves. */
class MemoryStorage implements Storage {
  private items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, String(value));
  }
}

const DEFAULTS = { model: DEFAULT_MODEL, dtype: 'q8', backend: 'auto', batchSize: 8, theme: 'auto' } as const;
let storage: MemoryStorage;

function stored(): { state: Record<string, unknown>; version: number } {
  return JSON.parse(storage.getItem(SETTINGS_STORAGE_KEY) ?? 'null') as {
    state: Record<string, unknown>;
    version: number;
  };
}

/** A fresh page: the defaults, then whatever `text` the storage holds read back over them. */
async function reload(text: string) {
  useSettings.setState({ ...DEFAULTS, droppedModel: null }); // (this writes the storage too)
  storage.setItem(SETTINGS_STORAGE_KEY, text);
  await useSettings.persist.rehydrate();
}

beforeEach(() => {
  storage = new MemoryStorage();
  vi.stubGlobal('localStorage', storage);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('settings persist across reloads', () => {
  it('stores the choices under a versioned key and reads them back', async () => {
    const s = useSettings.getState();
    s.setTheme('dark');
    s.setBackend('wasm');
    s.setBatchSize(16);
    s.setModel('local:tiny-clip');
    s.setDtype('fp32');
    expect(stored()).toEqual({
      version: SETTINGS_STORAGE_VERSION,
      state: { theme: 'dark', backend: 'wasm', batchSize: 16, model: 'local:tiny-clip', dtype: 'fp32' },
    });
    await reload(JSON.stringify(stored()));
    expect(useSettings.getState()).toMatchObject({
      theme: 'dark',
      backend: 'wasm',
      batchSize: 16,
      model: 'local:tiny-clip',
      dtype: 'fp32',
    });
  });

  it('does not keep a dropped model folder, whose files are gone after a reload', () => {
    useSettings.getState().setDroppedModel({ name: 'my-clip', files: [] });
    expect(useSettings.getState().model).toBe('files:my-clip');
    expect(stored().state.model).toBeUndefined();
  });

  it('falls back to the defaults when what is stored is not JSON', async () => {
    await reload('{"state": {"theme": "dark"');
    expect(useSettings.getState()).toMatchObject(DEFAULTS);
  });

  it('keeps the valid fields of a damaged value and drops the rest', async () => {
    const state = { theme: 'purple', backend: 'cuda', batchSize: 500, dtype: 'fp16', model: 'files:gone' };
    await reload(JSON.stringify({ version: SETTINGS_STORAGE_VERSION, state }));
    expect(useSettings.getState()).toMatchObject({ ...DEFAULTS, dtype: 'fp16' });
    await reload(JSON.stringify({ version: SETTINGS_STORAGE_VERSION, state: 'dark' }));
    expect(useSettings.getState()).toMatchObject(DEFAULTS);
  });

  it('reads a value stored by another version through the same checks', async () => {
    await reload(JSON.stringify({ version: 0, state: { theme: 'projector', batchSize: 2.5 } }));
    expect(useSettings.getState()).toMatchObject({ ...DEFAULTS, theme: 'projector' });
  });

  it('keeps working when the browser blocks storage', async () => {
    vi.stubGlobal('localStorage', {
      getItem: () => {
        throw new DOMException('blocked', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
      removeItem: () => undefined,
    });
    await useSettings.persist.rehydrate();
    useSettings.getState().setTheme('light');
    expect(useSettings.getState().theme).toBe('light');
  });
});

describe('readStoredSettings', () => {
  it('accepts hub ids and served folders as models, nothing else', () => {
    expect(readStoredSettings({ model: 'Xenova/clip-vit-base-patch16' })).toEqual({
      model: 'Xenova/clip-vit-base-patch16',
    });
    expect(readStoredSettings({ model: 'local:tiny-clip' })).toEqual({ model: 'local:tiny-clip' });
    expect(readStoredSettings({ model: 'local:../etc' })).toEqual({});
    expect(readStoredSettings({ model: 'https://evil.test/x' })).toEqual({});
    expect(readStoredSettings(null)).toEqual({});
  });
});
