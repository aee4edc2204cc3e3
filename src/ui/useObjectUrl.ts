import { useCallback, useSyncExternalStore } from 'react';

/**
 * Object URLs shared by every component showing the same Blob, counted so the URL is revoked when the last
 * one lets go. An external store for useSyncExternalStore: subscribing acquires, unsubscribing releases.
 */
const registry = new Map<Blob, { url: string; users: number }>();

export function acquireObjectUrl(blob: Blob): string {
  let entry = registry.get(blob);
  if (!entry) {
    entry = { url: URL.createObjectURL(blob), users: 0 };
    registry.set(blob, entry);
  }
  entry.users++;
  return entry.url;
}

export function releaseObjectUrl(blob: Blob): void {
  const entry = registry.get(blob);
  if (!entry) return;
  entry.users--;
  if (entry.users > 0) return;
  registry.delete(blob);
  URL.revokeObjectURL(entry.url);
}

/** The URL a Blob has while someone holds it, else undefined. */
export function heldObjectUrl(blob: Blob): string | undefined {
  return registry.get(blob)?.url;
}

function noSubscription(): () => void {
  return () => undefined;
}

/**
 * An object URL for a Blob while the component is mounted, revoked on unmount.
 * Thumbnails are created lazily (only for visible rows of a virtualised grid), so 10,000 images
 * never hold 10,000 URLs at once. Strings (data URLs from reports) pass through.
 */
export function useObjectUrl(source: Blob | string | undefined): string | undefined {
  const subscribe = useCallback(
    (onChange: () => void) => {
      if (source === undefined || typeof source === 'string') return noSubscription();
      acquireObjectUrl(source);
      onChange();
      return () => releaseObjectUrl(source);
    },
    [source],
  );
  const snapshot = () => (source === undefined || typeof source === 'string' ? source : heldObjectUrl(source));
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}
