/**
 * The order a run embeds its images in, and which groups the streamed results cover so far (issue 12 §7).
 *
 * Images are scheduled round-robin over their class × attribute groups (stable within a group), so the first
 * batch, a cancelled run and every refresh while streaming hold images of every group instead of the first
 * folder only. The records are put back into path order when the run ends (results.restoreRecordOrder), so
 * a finished run's records, exports and random picks are those of the folder-order run the CLI also makes.
 * Embeddings are cached per image, so the schedule does not affect the cache.
 */

export interface GroupedItem {
  classFolder: string;
  attributeFolder: string;
}

/** A group of the run: class string as the records carry it, attribute folder ('' = no attribute). */
export interface RunGroup {
  class: string;
  attribute: string;
}

/** One key per group; \u0000 cannot occur in a folder name or class string typed in a text field. */
export function groupKey(cls: string, attribute: string): string {
  return `${cls}\u0000${attribute}`;
}

/**
 * `items` (already in their canonical order) round-robin over their groups: one image of each group in
 * turn, groups in order of their first image, each group's images in their given order. A group that runs
 * out drops out of the rotation.
 */
export function interleaveByGroup<T extends GroupedItem>(items: readonly T[]): T[] {
  const queues = new Map<string, T[]>();
  for (const item of items) {
    const key = groupKey(item.classFolder, item.attributeFolder);
    const queue = queues.get(key);
    if (queue) queue.push(item);
    else queues.set(key, [item]);
  }
  const groups = [...queues.values()];
  const scheduled: T[] = [];
  for (let round = 0; scheduled.length < items.length; round++) {
    for (const queue of groups) if (round < queue.length) scheduled.push(queue[round]);
  }
  return scheduled;
}

/** The groups of the run that none of the first `analysed` records belong to, in the order given. */
export function groupsWithoutResults(
  groups: readonly RunGroup[],
  records: readonly RunGroup[],
  analysed: number,
): RunGroup[] {
  if (groups.length === 0) return [];
  const seen = new Set<string>();
  const end = Math.min(analysed, records.length);
  for (let i = 0; i < end && seen.size < groups.length; i++) seen.add(groupKey(records[i].class, records[i].attribute));
  return groups.filter((g) => !seen.has(groupKey(g.class, g.attribute)));
}

/**
 * Positions that put `ids` back into their canonical order: `ids[order[0]]` comes first. `rank` gives each
 * id's canonical position; ids without one keep their relative order after the ranked ones.
 */
export function canonicalOrder(ids: readonly string[], rank: ReadonlyMap<string, number>): Int32Array | null {
  const positions = Array.from({ length: ids.length }, (_, i) => i);
  const rankOf = (i: number) => rank.get(ids[i]) ?? Number.MAX_SAFE_INTEGER;
  positions.sort((a, b) => rankOf(a) - rankOf(b) || a - b);
  // already in order (one group, or a run that was never interleaved): nothing to move
  if (positions.every((p, i) => p === i)) return null;
  return Int32Array.from(positions);
}
