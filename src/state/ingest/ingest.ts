/**
 * Dropped files → labelled images, a skipped list with reasons, and any special file
 * (an embeddings bundle or a report). Uses only Blob (present in browsers and Node), no DOM.
 */
import { unzipSync } from 'fflate';
import { classifyByName, imageContentProblem } from './fileKinds';
import { labelByLayout, normalisePath, type ImageSplit } from './layout';
import { buildSuffixIndex, matchManifestPath, parseManifestCsv } from './manifestCsv';
import { isBinaryBundleHead } from '../../core/bundleBinary';
import { errorMessage } from '../../core/errors';

export interface DroppedFile {
  /** path relative to what was dropped/picked, '/' separated */
  path: string;
  blob: Blob;
}

export interface IngestedImage {
  /** unique id: the normalised path */
  id: string;
  blob: Blob;
  classFolder: string;
  attributeFolder: string;
  /** from a train/val/test folder or a manifest's split column (issue 15) */
  split?: ImageSplit;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

/** A bundle stays a Blob: it may be hundreds of MB, and the bundle worker reads it (state/openBundleFile). */
export type SpecialFile = { kind: 'bundle'; name: string; blob: Blob } | { kind: 'report'; name: string; text: string };

export interface IngestResult {
  images: IngestedImage[];
  skipped: SkippedFile[];
  notes: string[];
  specials: SpecialFile[];
}

const HEAD_BYTES = 16;
/** zip entries beyond this total are refused (bounded memory for a zip bomb) */
const MAX_UNZIPPED_BYTES = 2 * 1024 ** 3;

async function readHead(blob: Blob, bytes = HEAD_BYTES): Promise<Uint8Array> {
  return new Uint8Array(await blob.slice(0, bytes).arrayBuffer());
}

/** Expand a .zip into its files, each under a folder named after the zip (keeps ids unique across zips). */
export async function expandZip(file: DroppedFile): Promise<{ files: DroppedFile[]; skipped: SkippedFile[] }> {
  const bytes = new Uint8Array(await file.blob.arrayBuffer());
  let total = 0;
  let tooBig = false;
  try {
    const entries = unzipSync(bytes, {
      filter: (entry) => {
        if (entry.name.endsWith('/')) return false;
        total += entry.originalSize;
        if (total > MAX_UNZIPPED_BYTES) tooBig = true;
        return !tooBig;
      },
    });
    const files: DroppedFile[] = [];
    const zipFolder = normalisePath(file.path).replace(/\.zip$/i, '');
    for (const [name, data] of Object.entries(entries)) {
      // copy into a fresh ArrayBuffer-backed view so Blob accepts it under strict lib typings
      const copy = new Uint8Array(data.byteLength);
      copy.set(data);
      files.push({ path: `${zipFolder}/${normalisePath(name)}`, blob: new Blob([copy.buffer]) });
    }
    const skipped: SkippedFile[] = tooBig
      ? [{ path: file.path, reason: 'zip expands to more than 2 GB; only the first entries were read' }]
      : [];
    return { files, skipped };
  } catch (error) {
    return {
      files: [],
      skipped: [{ path: file.path, reason: `unreadable zip: ${errorMessage(error)}` }],
    };
  }
}

/** Where a bundle's or report's "format" field is looked for. */
const FORMAT_HEAD_BYTES = 4096;

function detectJsonFormat(text: string): 'bundle' | 'report' | string {
  // look only at the format field; full validation happens where the file is opened
  const match = /"format"\s*:\s*"([^"]{0,64})"/.exec(text.slice(0, FORMAT_HEAD_BYTES));
  if (!match) return 'JSON without a "format" field: neither an embeddings bundle nor a report';
  // a /2 bundle.json dropped alone goes to the reader too, which says to open the whole .sage.zip
  if (match[1] === 'sage-embeddings/1' || match[1] === 'sage-embeddings/2') return 'bundle';
  // every report version goes to the report reader: it migrates older ones or says why it cannot
  if (match[1].startsWith('sage-report/')) return 'report';
  if (match[1].startsWith('sage-embeddings/')) {
    return `format "${match[1]}" is a different embeddings bundle version; this version of SAGE Explorer reads sage-embeddings/1 and /2`;
  }
  return `JSON with format "${match[1]}" is not something SAGE Explorer opens`;
}

export async function ingestFiles(dropped: readonly DroppedFile[]): Promise<IngestResult> {
  const skipped: SkippedFile[] = [];
  const specials: SpecialFile[] = [];
  const notes: string[] = [];
  const queue: DroppedFile[] = [];
  for (const file of dropped) {
    const path = normalisePath(file.path);
    if (classifyByName(path).kind === 'zip') {
      // a zipped bundle (sage-embeddings/2) is opened as one file, not expanded into a dataset
      if (/\.sage\.zip$/i.test(path) || isBinaryBundleHead(await readHead(file.blob, 64))) {
        specials.push({ kind: 'bundle', name: path, blob: file.blob });
        continue;
      }
      const expanded = await expandZip({ path, blob: file.blob });
      queue.push(...expanded.files);
      skipped.push(...expanded.skipped);
    } else queue.push({ path, blob: file.blob });
  }

  const imageFiles: DroppedFile[] = [];
  const manifests: { path: string; text: string }[] = [];
  const seen = new Set<string>();
  for (const file of queue) {
    if (seen.has(file.path)) {
      skipped.push({ path: file.path, reason: 'duplicate path; the first copy was kept' });
      continue;
    }
    seen.add(file.path);
    const kind = classifyByName(file.path);
    switch (kind.kind) {
      case 'image': {
        const problem = imageContentProblem(file.blob.size, await readHead(file.blob));
        if (problem) skipped.push({ path: file.path, reason: problem });
        else imageFiles.push(file);
        break;
      }
      case 'csv':
        manifests.push({ path: file.path, text: await file.blob.text() });
        break;
      case 'json': {
        // the format field is near the start; a bundle's text (maybe hundreds of MB) is read by the bundle worker
        const format = detectJsonFormat(await file.blob.slice(0, FORMAT_HEAD_BYTES).text());
        if (format === 'bundle') specials.push({ kind: 'bundle', name: file.path, blob: file.blob });
        else if (format === 'report') specials.push({ kind: 'report', name: file.path, text: await file.blob.text() });
        else skipped.push({ path: file.path, reason: format });
        break;
      }
      case 'zip':
        skipped.push({ path: file.path, reason: 'zip inside a zip is not expanded' });
        break;
      case 'unsupported':
        skipped.push({ path: file.path, reason: kind.reason });
        break;
    }
  }

  let images: IngestedImage[];
  if (manifests.length > 0) {
    if (manifests.length > 1)
      notes.push(`${manifests.length} CSV manifests were dropped; only ${manifests[0].path} was used.`);
    images = labelByManifest(manifests[0], imageFiles, skipped, notes);
  } else {
    const layout = labelByLayout(imageFiles.map((f) => f.path));
    notes.push(...layout.notes);
    images = layout.labelled.map((l, i) => ({
      id: l.path,
      blob: imageFiles[i].blob,
      classFolder: l.classFolder,
      attributeFolder: l.attributeFolder,
      ...(l.split ? { split: l.split } : {}),
    }));
  }
  return { images, skipped, notes, specials };
}

/** What an empty drop (or a picked empty folder) says. */
export const EMPTY_DROP = 'The folder is empty: there are no images in it.';

/**
 * Why a drop gave no images, in words (issue 13 §4: an empty folder must say so), or null when it gave some or
 * opened a bundle or report.
 */
export function describeNoImages(result: Pick<IngestResult, 'images' | 'skipped' | 'specials'>): string | null {
  if (result.images.length > 0 || result.specials.length > 0) return null;
  const n = result.skipped.length;
  if (n === 0) return EMPTY_DROP;
  return n === 1
    ? 'No images here: 1 file was found, and it is not an image (see the list below).'
    : `No images here: ${n} files were found, and none of them is an image (see the list below).`;
}

function labelByManifest(
  manifest: { path: string; text: string },
  imageFiles: readonly DroppedFile[],
  skipped: SkippedFile[],
  notes: string[],
): IngestedImage[] {
  const parsed = parseManifestCsv(manifest.text);
  for (const error of parsed.errors) skipped.push({ path: manifest.path, reason: error });
  const byPath = new Map(imageFiles.map((f) => [f.path, f]));
  const index = buildSuffixIndex([...byPath.keys()]);
  const used = new Set<string>();
  const images: IngestedImage[] = [];
  for (const row of parsed.rows) {
    const match = matchManifestPath(row.path, index);
    if (!match.ok) {
      skipped.push({ path: row.path, reason: `${manifest.path} line ${row.line}: ${match.reason}` });
      continue;
    }
    if (used.has(match.path)) {
      skipped.push({
        path: row.path,
        reason: `${manifest.path} line ${row.line}: listed twice; the first row was used`,
      });
      continue;
    }
    used.add(match.path);
    const file = byPath.get(match.path);
    if (file) {
      const image: IngestedImage = {
        id: match.path,
        blob: file.blob,
        classFolder: row.class,
        attributeFolder: row.attribute,
      };
      if (row.split) image.split = row.split;
      images.push(image);
    }
  }
  let unlisted = 0;
  for (const file of imageFiles) {
    if (!used.has(file.path)) {
      unlisted++;
      skipped.push({ path: file.path, reason: `not listed in ${manifest.path}` });
    }
  }
  notes.push(
    `Labels come from ${manifest.path} (${images.length} images${unlisted ? `, ${unlisted} dropped images not listed` : ''}).`,
  );
  return images;
}
