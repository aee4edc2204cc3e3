import { describe, expect, it } from 'vitest';
import { decodingNote, SIXTEEN_BIT_GRAY_NOTE, summariseDecodingNotes } from './decodingNotes';

/** The first 26 bytes of a PNG: signature, IHDR length and type, width, height, bit depth, colour type. */
function pngHead(depth: number, colourType: number): Uint8Array {
  return Uint8Array.from([
    137,
    80,
    78,
    71,
    13,
    10,
    26,
    10,
    0,
    0,
    0,
    13,
    73,
    72,
    68,
    82,
    0,
    0,
    0,
    9,
    0,
    0,
    0,
    9,
    depth,
    colourType,
  ]);
}

describe('decoding notes', () => {
  it('16-bit grayscale PNG gets the note; 16-bit colour, 8-bit gray and other formats do not', () => {
    expect(decodingNote(pngHead(16, 0))).toBe(SIXTEEN_BIT_GRAY_NOTE);
    expect(decodingNote(pngHead(16, 2))).toBeNull();
    expect(decodingNote(pngHead(8, 0))).toBeNull();
    expect(decodingNote(Uint8Array.from([0xff, 0xd8, 0xff, ...new Array(30).fill(16)]))).toBeNull();
  });

  it('one sentence per note, naming up to three files and counting the rest', () => {
    const notes = ['a.png', 'b.png', 'c.png', 'd.png', 'a.png'].map((id) => ({ id, note: 'a note' }));
    expect(summariseDecodingNotes(notes)).toEqual(['a note (4 images: a.png, b.png, c.png and 1 more).']);
    expect(summariseDecodingNotes([{ id: 'x.png', note: 'other' }])).toEqual(['other (1 image: x.png).']);
    expect(summariseDecodingNotes([])).toEqual([]);
  });
});
