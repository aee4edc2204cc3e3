/**
 * Re-attaching a restored session's images: the files dropped again are matched to the saved references by
 * SHA-256 of their bytes, so a renamed or moved file still finds its labels, and a file with the same name but
 * other content does not. Two references with the same content (a copied file) take dropped copies in path
 * order, a same-path copy first. Pure: the hashes are computed by the caller.
 */
import type { ImageReference } from './sessionRecord';

export interface DroppedHashed {
  /** the path it was dropped with */
  path: string;
  sha256: string;
}

export interface ReattachMatch<T extends DroppedHashed> {
  /** each matched reference with the dropped file that re-attaches it */
  matched: { reference: ImageReference; file: T }[];
  /** dropped files no saved image has the content of */
  notInSession: T[];
  /** saved images no dropped file matched */
  missing: ImageReference[];
}

export function matchReattached<T extends DroppedHashed>(
  references: readonly ImageReference[],
  dropped: readonly T[],
): ReattachMatch<T> {
  const byHash = new Map<string, T[]>();
  for (const file of dropped) {
    const same = byHash.get(file.sha256);
    if (same) same.push(file);
    else byHash.set(file.sha256, [file]);
  }
  const matched: ReattachMatch<T>['matched'] = [];
  const missing: ImageReference[] = [];
  const used = new Set<T>();
  // same-path copies first, so duplicates keep their own paths when they can
  const pending: ImageReference[] = [];
  for (const reference of references) {
    const file = byHash.get(reference.sha256)?.find((f) => f.path === reference.id && !used.has(f));
    if (file) {
      used.add(file);
      matched.push({ reference, file });
    } else pending.push(reference);
  }
  for (const reference of pending) {
    const file = byHash.get(reference.sha256)?.find((f) => !used.has(f));
    if (file) {
      used.add(file);
      matched.push({ reference, file });
    } else missing.push(reference);
  }
  return { matched, notInSession: dropped.filter((f) => !used.has(f)), missing };
}

/** The sentences after a re-attach: how many came back, which were not in the session, which are still missing. */
export function describeReattach(result: { matched: number; notInSession: string[]; missing: string[] }): string {
  const parts = [`Re-attached ${result.matched} ${result.matched === 1 ? 'image' : 'images'} with their labels.`];
  if (result.notInSession.length > 0)
    parts.push(
      `${result.notInSession.length} dropped ${result.notInSession.length === 1 ? 'file is' : 'files are'} not part of the saved session and ${result.notInSession.length === 1 ? 'was' : 'were'} left out (add ${result.notInSession.length === 1 ? 'it' : 'them'} afterwards with “Add a folder”).`,
    );
  if (result.missing.length > 0)
    parts.push(
      `${result.missing.length} saved ${result.missing.length === 1 ? 'image was' : 'images were'} not among the dropped files: drop ${result.missing.length === 1 ? 'it' : 'them'} too, or forget ${result.missing.length === 1 ? 'it' : 'them'}.`,
    );
  return parts.join(' ');
}
