/**
 * Browser side of ingest: DataTransfer / file inputs → DroppedFile[] → the stores.
 * Bundles go straight to the results view; reports open the report view.
 */
import { applyPendingLabels } from '../../state/config';
import { useDataset } from '../../state/dataset';
import {
  describeNoImages,
  ingestFiles,
  type DroppedFile,
  type SkippedFile,
  type SpecialFile,
} from '../../state/ingest/ingest';
import { comparePaths } from '../../state/ingest/layout';
import { walkEntries, type EntryLike } from '../../state/ingest/walkEntries';
import { openBundleFile } from '../../state/openBundleFile';
import { openReportText } from '../share/openReport';

export interface OpenOutcome {
  images: number;
  skipped: number;
  opened: 'dataset' | 'bundle' | 'report' | 'nothing';
  error?: string;
  /** files dropped with a bundle or report that were not used, each with its reason (none goes unmentioned) */
  notUsed?: SkippedFile[];
}

export async function filesFromDataTransfer(
  transfer: DataTransfer,
): Promise<{ files: DroppedFile[]; skipped: SkippedFile[] }> {
  const entries: EntryLike[] = [];
  const loose: DroppedFile[] = [];
  for (const item of Array.from(transfer.items)) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry?.();
    if (entry) entries.push(entry as unknown as EntryLike);
    else {
      const file = item.getAsFile();
      if (file) loose.push({ path: file.name, blob: file });
    }
  }
  if (entries.length === 0 && loose.length === 0) {
    for (const file of Array.from(transfer.files)) loose.push({ path: file.name, blob: file });
  }
  const walked = await walkEntries(entries);
  return { files: [...walked.files, ...loose], skipped: walked.skipped };
}

export function filesFromInput(list: FileList): DroppedFile[] {
  // pickers list files in no particular order; show them as the folder walk would (and as the run orders them)
  return Array.from(list)
    .map((file) => ({ path: file.webkitRelativePath || file.name, blob: file }))
    .sort((a, b) => comparePaths(a.path, b.path));
}

export async function openDropped(
  files: DroppedFile[],
  walkSkipped: SkippedFile[],
  label: string,
): Promise<OpenOutcome> {
  const result = await ingestFiles(files);
  result.skipped.unshift(...walkSkipped);
  const special = result.specials[0];
  if (special && result.images.length === 0) {
    const outcome = await openSpecial(special, result.skipped);
    // the dataset's skipped list is not shown for a bundle or report: say here what else was dropped
    const notUsed = [
      ...result.specials
        .slice(1)
        .map((other) => ({ path: other.name, reason: `not opened: open one bundle or report at a time` })),
      ...result.skipped,
    ];
    return notUsed.length > 0 ? { ...outcome, notUsed } : outcome;
  }
  if (result.specials.length > 0) {
    result.notes.push(
      `${result.specials.map((s) => s.name).join(', ')} ignored: drop a bundle or report on its own to open it.`,
    );
  }
  useDataset.getState().addIngested(result, label);
  // an empty folder, or one with no image in it, says so (issue 13 §4)
  const noImages = describeNoImages(result);
  if (noImages) return { images: 0, skipped: result.skipped.length, opened: 'nothing', error: noImages };
  const mismatch = applyPendingLabels();
  if (mismatch) useDataset.setState((s) => ({ notes: [...s.notes, mismatch] }));
  return {
    images: result.images.length,
    skipped: result.skipped.length,
    opened: result.images.length > 0 ? 'dataset' : 'nothing',
  };
}

async function openSpecial(special: SpecialFile, skipped: SkippedFile[]): Promise<OpenOutcome> {
  if (special.kind === 'report') {
    const outcome = openReportText(special.text, special.name);
    return {
      images: 0,
      skipped: skipped.length,
      opened: outcome.ok ? 'report' : 'nothing',
      error: outcome.ok ? undefined : outcome.error,
    };
  }
  const outcome = await openBundleFile(special.blob, special.name);
  if (!outcome.ok) return { images: 0, skipped: skipped.length, opened: 'nothing', error: outcome.error };
  return { images: outcome.images, skipped: skipped.length, opened: 'bundle' };
}

export function describeLabel(files: readonly DroppedFile[]): string {
  const tops = new Set(files.map((f) => f.path.split('/')[0]));
  if (tops.size === 1) return [...tops][0];
  return `${files.length} files`;
}
