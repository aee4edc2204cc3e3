/** Saving an export: a Blob or text becomes a file download with a safe, dated name. */

export const EXPORT_MIME = {
  json: 'application/json',
  csv: 'text/csv;charset=utf-8',
  png: 'image/png',
} as const;

export type ExportExtension = keyof typeof EXPORT_MIME;

/**
 * A file name from user-influenced parts (dataset or class names): no path separators, control or
 * reserved characters, no leading dots, at most 120 characters.
 */
export function safeFilename(name: string): string {
  const cleaned = name
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]+/g, '-')
    .replace(/\s+/g, ' ')
    .replace(/^[.\s-]+/, '')
    .trim();
  return (cleaned || 'export').slice(0, 120);
}

/** e.g. `sage-report-20261123-1407.json` (UTC). */
export function exportFilename(kind: string, extension: ExportExtension, date: Date = new Date()): string {
  const stamp = date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 13);
  return `${safeFilename(`sage-${kind}-${stamp}`)}.${extension}`;
}

/** Triggers a download of `blob` as `filename` (DOM only). */
export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = safeFilename(filename);
  anchor.rel = 'noopener';
  anchor.style.display = 'none';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // Revoking at once can cancel the download in some browsers; a minute is ample.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Triggers a download of text content (JSON, CSV). */
export function downloadText(text: string, filename: string, type: string): void {
  downloadBlob(new Blob([text], { type }), filename);
}
