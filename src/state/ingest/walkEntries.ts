/**
 * Walk dropped folders (DataTransferItem.webkitGetAsEntry) into files with relative paths.
 * Chromium's readEntries returns at most 100 entries per call, so it is called until it returns none.
 * Typed against minimal structural interfaces so tests can pass fake entries.
 */
import type { DroppedFile, SkippedFile } from './ingest';
import { errorMessage } from '../../core/errors';

export interface EntryLike {
  isFile: boolean;
  isDirectory: boolean;
  name: string;
  fullPath: string;
}
export interface FileEntryLike extends EntryLike {
  file(success: (file: Blob) => void, failure?: (error: unknown) => void): void;
}
export interface DirectoryReaderLike {
  readEntries(success: (entries: EntryLike[]) => void, failure?: (error: unknown) => void): void;
}
export interface DirectoryEntryLike extends EntryLike {
  createReader(): DirectoryReaderLike;
}

function isFileEntry(entry: EntryLike): entry is FileEntryLike {
  return entry.isFile;
}
function isDirectoryEntry(entry: EntryLike): entry is DirectoryEntryLike {
  return entry.isDirectory;
}

export async function readAllEntries(directory: DirectoryEntryLike): Promise<EntryLike[]> {
  const reader = directory.createReader();
  const all: EntryLike[] = [];
  for (;;) {
    const batch = await new Promise<EntryLike[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

export async function walkEntries(
  roots: readonly EntryLike[],
): Promise<{ files: DroppedFile[]; skipped: SkippedFile[] }> {
  const files: DroppedFile[] = [];
  const skipped: SkippedFile[] = [];
  const stack: EntryLike[] = [...roots];
  while (stack.length > 0) {
    const entry = stack.pop() as EntryLike;
    const path = entry.fullPath.replace(/^\/+/, '');
    if (isDirectoryEntry(entry)) {
      try {
        stack.push(...(await readAllEntries(entry)));
      } catch (error) {
        skipped.push({ path: path + '/', reason: `folder could not be read: ${errorMessage(error)}` });
      }
    } else if (isFileEntry(entry)) {
      try {
        const blob = await new Promise<Blob>((resolve, reject) => entry.file(resolve, reject));
        files.push({ path, blob });
      } catch (error) {
        skipped.push({ path, reason: `file could not be read: ${errorMessage(error)}` });
      }
    }
  }
  // the stack walks in reverse; give a stable, readable order
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, skipped };
}
