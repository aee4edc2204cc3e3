/** Reads and validates a bundle file, turning every failure into a one-line CliInputError. */
import { readFile } from 'node:fs/promises';
import { BundleError, type EmbeddingBundle, parseBundle } from '../src/core';
import { CliInputError } from './command';

export async function readBundleFile(path: string): Promise<EmbeddingBundle> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? 'unreadable');
    throw new CliInputError(`cannot read bundle ${path}: ${reason}`);
  }
  try {
    return parseBundle(text);
  } catch (error) {
    if (error instanceof BundleError) throw new CliInputError(`invalid bundle ${path}: ${error.message}`);
    throw error;
  }
}
