/**
 * `embed --shard i/n`: a deterministic 1/n of the images, and the order `merge` writes them back in.
 * Images are sorted by id in path order (folder by folder, each name in code-unit order: the order `embed`
 * walks a folder in) and cut into n contiguous runs of nearly equal size; shard i (1-based: 1/3, 2/3, 3/3) is
 * the i-th run. Contiguous runs make a merge of all n shards the sorted list again, whatever machine ran which.
 */
import { CliInputError } from './command';

export interface Shard {
  /** 1-based */
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index < 1 || index > count) {
    throw new CliInputError(
      `--shard: expected i/n with 1 ≤ i ≤ n (e.g. 1/3, 2/3, 3/3: shards count from 1), got "${text}"`,
    );
  }
  return { index, count };
}

export function shardLabel(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/** Path order: compares ids segment by segment ("a/b" before "a-b", as a folder walk lists them). */
export function comparePathOrder(a: string, b: string): number {
  const left = a.split('/');
  const right = b.split('/');
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    if (left[i] !== right[i]) return left[i] < right[i] ? -1 : 1;
  }
  return left.length - right.length;
}

/** The items of shard `shard`, by id in path order: items [⌊(i−1)·N/n⌋, ⌊i·N/n⌋) of the sorted list. */
export function selectShard<T extends { id: string }>(items: readonly T[], shard: Shard): T[] {
  const sorted = [...items].sort((x, y) => comparePathOrder(x.id, y.id));
  const start = Math.floor(((shard.index - 1) * sorted.length) / shard.count);
  const end = Math.floor((shard.index * sorted.length) / shard.count);
  return sorted.slice(start, end);
}
