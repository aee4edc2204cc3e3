/**
 * Bundle files for every command: reads either version (a zip is sage-embeddings/2, JSON is /1) and writes /2 when
 * the output name ends in `.zip` (`.sage.zip` by convention), /1 JSON otherwise. Failures become one-line
 * CliInputErrors.
 */
import { open, writeFile } from 'node:fs/promises';
import {
  BundleError,
  type ByteSource,
  type EmbeddingBundle,
  readBundle,
  serializeBinaryBundle,
  serializeBundle,
} from '../src/core';
import { CliInputError } from './command';

/** Output names that get the binary (zip) bundle. */
export function writesBinaryBundle(path: string): boolean {
  return /\.zip$/i.test(path);
}

function unreadable(path: string, error: unknown): CliInputError {
  const code = (error as { code?: string }).code;
  const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? 'unreadable');
  return new CliInputError(`cannot read bundle ${path}: ${reason}`);
}

export async function readBundleFile(path: string): Promise<EmbeddingBundle> {
  let handle: Awaited<ReturnType<typeof open>>;
  let size: number;
  try {
    handle = await open(path, 'r');
    const stats = await handle.stat();
    if (stats.isDirectory()) {
      await handle.close();
      throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    }
    size = stats.size;
  } catch (error) {
    throw unreadable(path, error);
  }
  // ranges only: a zipped bundle's members are read once each, not the whole file twice
  const source: ByteSource = {
    size,
    read: async (offset, length) => {
      const buffer = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
      return buffer.subarray(0, bytesRead);
    },
  };
  try {
    return await readBundle(source);
  } catch (error) {
    if (error instanceof BundleError) throw new CliInputError(`invalid bundle ${path}: ${error.message}`);
    throw error;
  } finally {
    await handle.close();
  }
}

/** The bundle as file bytes for `path`: sage-embeddings/2 for a `.zip` name, /1 JSON text otherwise. */
export function bundleFileBytes(path: string, bundle: EmbeddingBundle): Uint8Array | string {
  return writesBinaryBundle(path) ? serializeBinaryBundle(bundle) : serializeBundle(bundle);
}

export async function writeBundleFile(path: string, bundle: EmbeddingBundle): Promise<void> {
  await writeFile(path, bundleFileBytes(path, bundle));
}

/** A command's `--out`: the file (its name picks the version), or /1 JSON on stdout when there is none. */
export async function writeBundleOutput(out: string | undefined, bundle: EmbeddingBundle): Promise<void> {
  if (out !== undefined && out !== '') await writeBundleFile(out, bundle);
  else process.stdout.write(`${serializeBundle(bundle)}\n`);
}

/** The `--out` line of each bundle-writing command's help. */
export const OUT_HELP = 'write the bundle here; a name ending in .zip writes sage-embeddings/2 (default: stdout)';
