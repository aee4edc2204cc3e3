/**
 * What a dropped file is, from its name and (for images) its first bytes.
 * Pure: no DOM. Reasons are user-facing sentences shown in the skipped list.
 */

export type FileKind =
  | { kind: 'image'; format: ImageFormat }
  | { kind: 'zip' }
  | { kind: 'csv' }
  | { kind: 'json' }
  | { kind: 'unsupported'; reason: string };

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'bmp';

const IMAGE_EXTENSIONS: Record<string, ImageFormat> = {
  jpg: 'jpeg',
  jpeg: 'jpeg',
  jfif: 'jpeg',
  png: 'png',
  webp: 'webp',
  gif: 'gif',
  bmp: 'bmp',
};

/** Formats users commonly have that the browser's image decoder cannot (or should not) read. */
const KNOWN_UNSUPPORTED: Record<string, string> = {
  heic: 'HEIC images are not supported by the browser decoder; convert to JPEG or PNG',
  heif: 'HEIF images are not supported by the browser decoder; convert to JPEG or PNG',
  tif: 'TIFF images are not supported; convert to JPEG or PNG',
  tiff: 'TIFF images are not supported; convert to JPEG or PNG',
  svg: 'SVG is a vector format, not a photo; export it as PNG to include it',
  avif: 'AVIF is not supported here; convert to JPEG or PNG',
  raw: 'camera RAW files are not supported; convert to JPEG',
  cr2: 'camera RAW files are not supported; convert to JPEG',
  nef: 'camera RAW files are not supported; convert to JPEG',
};

export function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Files the OS or archivers add that nobody means to analyse: skipped, but still listed. */
export function isSystemFile(path: string): boolean {
  const name = baseName(path);
  return (
    name === '.DS_Store' ||
    name === 'Thumbs.db' ||
    name === 'desktop.ini' ||
    name.startsWith('._') ||
    path.includes('__MACOSX/')
  );
}

export function classifyByName(path: string): FileKind {
  if (isSystemFile(path)) return { kind: 'unsupported', reason: 'system file (not an image)' };
  const ext = extensionOf(path);
  const format = IMAGE_EXTENSIONS[ext];
  if (format) return { kind: 'image', format };
  if (ext === 'zip') return { kind: 'zip' };
  if (ext === 'csv') return { kind: 'csv' };
  if (ext === 'json') return { kind: 'json' };
  if (ext === 'npy' || ext === 'npz' || ext === 'parquet') {
    return {
      kind: 'unsupported',
      reason:
        'embeddings and metadata tables are imported on their own: drop the .npy/.npz with its .csv or .parquet table, without images',
    };
  }
  const known = KNOWN_UNSUPPORTED[ext];
  if (known) return { kind: 'unsupported', reason: known };
  if (ext === '') return { kind: 'unsupported', reason: 'no file extension; not recognised as an image' };
  return { kind: 'unsupported', reason: `.${ext} files are not images` };
}

/** Identify an image from its magic bytes; null when the bytes are not a supported image. */
export function sniffImageFormat(head: Uint8Array): ImageFormat | null {
  const b = head;
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (
    b.length >= 8 &&
    b[0] === 0x89 &&
    b[1] === 0x50 &&
    b[2] === 0x4e &&
    b[3] === 0x47 &&
    b[4] === 0x0d &&
    b[5] === 0x0a &&
    b[6] === 0x1a &&
    b[7] === 0x0a
  )
    return 'png';
  if (
    b.length >= 12 &&
    b[0] === 0x52 &&
    b[1] === 0x49 &&
    b[2] === 0x46 &&
    b[3] === 0x46 &&
    b[8] === 0x57 &&
    b[9] === 0x45 &&
    b[10] === 0x42 &&
    b[11] === 0x50
  )
    return 'webp';
  if (b.length >= 4 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38) return 'gif';
  if (b.length >= 2 && b[0] === 0x42 && b[1] === 0x4d) return 'bmp';
  return null;
}

/** Why an image-named file cannot be an image, given its size and first bytes; null when it looks fine. */
export function imageContentProblem(size: number, head: Uint8Array): string | null {
  if (size === 0) return 'empty file (0 bytes)';
  const format = sniffImageFormat(head);
  if (!format) {
    const text = looksLikeText(head);
    return text ? 'not an image: the file contains text' : 'not a recognised image (unknown file signature)';
  }
  return null;
}

function looksLikeText(head: Uint8Array): boolean {
  if (head.length === 0) return false;
  for (let i = 0; i < head.length; i++) {
    const c = head[i];
    if (c < 0x09 || (c > 0x0d && c < 0x20 && c !== 0x1b)) return false;
  }
  return true;
}
