/**
 * Things a user should know about how a file was decoded: where the pixels CLIP sees differ from what an image
 * viewer shows. Read from the header alone, so a file embedded from the cache gets its note too. Kept free of
 * decoder imports: the run state and the CLI use it to word the notes.
 */

/** The product decision for 16-bit grayscale PNG (README, "Image decoding"). */
export const SIXTEEN_BIT_GRAY_NOTE =
  "16-bit grayscale PNG: read as Pillow reads it (Python's CLIP pipelines use Pillow), which clips every value " +
  'above 255 to white, so CLIP sees most such images (X-rays, microscopy) almost entirely white; ' +
  'save them as 8-bit PNGs to embed what they show';

/** The note for a file's bytes, or null. */
export function decodingNote(bytes: Uint8Array): string | null {
  // PNG signature, then IHDR: width, height, bit depth (byte 24), colour type (byte 25; 0 = gray)
  const isPng = bytes.length >= 26 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  if (isPng && bytes[24] === 16 && bytes[25] === 0) return SIXTEEN_BIT_GRAY_NOTE;
  return null;
}

const LISTED_FILES = 3;

/** One sentence per distinct note, naming the files it applies to (the first three, then how many more). */
export function summariseDecodingNotes(notes: readonly { id: string; note: string }[]): string[] {
  const files = new Map<string, string[]>();
  for (const { id, note } of notes) {
    const list = files.get(note) ?? [];
    if (!list.includes(id)) list.push(id);
    files.set(note, list);
  }
  return [...files].map(([note, ids]) => {
    const more = ids.length > LISTED_FILES ? ` and ${ids.length - LISTED_FILES} more` : '';
    const count = ids.length === 1 ? '1 image' : `${ids.length} images`;
    return `${note} (${count}: ${ids.slice(0, LISTED_FILES).join(', ')}${more}).`;
  });
}
