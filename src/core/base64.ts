/**
 * A small standard-alphabet base64 codec and little-endian float32 packing, identical in Node and browsers
 * (no Buffer, no reliance on atob's lenient parsing). Errors say what is wrong and where.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

export class Base64Error extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Base64Error';
  }
}

export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 3 <= bytes.length; i += 3) {
    const x = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += ALPHABET[x >> 18] + ALPHABET[(x >> 12) & 63] + ALPHABET[(x >> 6) & 63] + ALPHABET[x & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const x = bytes[i] << 16;
    out += ALPHABET[x >> 18] + ALPHABET[(x >> 12) & 63] + '==';
  } else if (rest === 2) {
    const x = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += ALPHABET[x >> 18] + ALPHABET[(x >> 12) & 63] + ALPHABET[(x >> 6) & 63] + '=';
  }
  return out;
}

/** Strict decoding: length a multiple of 4, only alphabet characters, "=" only as 1–2 trailing pads. */
export function decodeBase64(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new Base64Error(`base64 length ${text.length} is not a multiple of 4`);
  let pad = 0;
  if (text.endsWith('==')) pad = 2;
  else if (text.endsWith('=')) pad = 1;
  const bytes = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let x = 0;
    for (let j = 0; j < 4; j++) {
      const pos = i + j;
      const code = text.charCodeAt(pos);
      let v = code < 128 ? DECODE[code] : -1;
      if (v < 0) {
        if (code === 61 /* '=' */ && pos >= text.length - pad) v = 0;
        else throw new Base64Error(`invalid base64 character ${JSON.stringify(text[pos])} at position ${pos}`);
      }
      x = (x << 6) | v;
    }
    if (o < bytes.length) bytes[o++] = (x >> 16) & 255;
    if (o < bytes.length) bytes[o++] = (x >> 8) & 255;
    if (o < bytes.length) bytes[o++] = x & 255;
  }
  return bytes;
}

/** Little-endian float32 bytes (the bundle's wire format, whatever the host's endianness). */
export function floatsToBase64(values: Float32Array): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return encodeBase64(bytes);
}

export function base64ToFloats(text: string): Float32Array {
  const bytes = decodeBase64(text);
  if (bytes.length % 4 !== 0) {
    throw new Base64Error(`decodes to ${bytes.length} bytes, not a whole number of float32 values (4 bytes each)`);
  }
  const view = new DataView(bytes.buffer);
  const values = new Float32Array(bytes.length / 4);
  for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(i * 4, true);
  return values;
}
