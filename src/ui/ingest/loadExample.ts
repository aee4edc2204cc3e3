/**
 * "Try the example": fetch a built-in example set (public/examples/<name>/manifest.json, format
 * sage-example/1) with its images, class strings and attribute words, into the dataset store.
 */
import { applyPendingLabels } from '../../state/config';
import { useDataset } from '../../state/dataset';
import type { IngestedImage, SkippedFile } from '../../state/ingest/ingest';
import { errorMessage } from '../../state/errorMessage';

export const EXAMPLES = [
  { id: 'waterbirds-lite', label: 'Waterbirds-lite (150 images, landbird/waterbird on land/water)' },
] as const;

interface ExampleManifest {
  name: string;
  classes: { folder: string; text: string }[];
  attributes: { folder: string; text: string }[];
  images: { path: string; class: string; attribute: string }[];
}

function parseManifest(value: unknown): ExampleManifest {
  const record = value as Record<string, unknown> | null;
  if (!record || typeof record !== 'object') throw new Error('manifest: expected a JSON object');
  if (record.format !== 'sage-example/1')
    throw new Error(`manifest.format: expected "sage-example/1", got ${JSON.stringify(record.format)}`);
  const pairs = (field: string): { folder: string; text: string }[] => {
    const list = record[field];
    if (!Array.isArray(list)) throw new Error(`manifest.${field}: expected an array`);
    return list.map((item: unknown, i) => {
      const entry = item as Record<string, unknown>;
      if (typeof entry?.folder !== 'string' || typeof entry?.text !== 'string')
        throw new Error(`manifest.${field}[${i}]: expected {folder, text} strings`);
      return { folder: entry.folder, text: entry.text };
    });
  };
  const images = record.images;
  if (!Array.isArray(images)) throw new Error('manifest.images: expected an array');
  return {
    name: typeof record.name === 'string' ? record.name : 'example',
    classes: pairs('classes'),
    attributes: pairs('attributes'),
    images: images.map((item: unknown, i) => {
      const entry = item as Record<string, unknown>;
      if (typeof entry?.path !== 'string' || typeof entry?.class !== 'string' || typeof entry?.attribute !== 'string') {
        throw new Error(`manifest.images[${i}]: expected path, class and attribute strings`);
      }
      if (entry.path.includes('..') || entry.path.startsWith('/'))
        throw new Error(`manifest.images[${i}].path: must stay inside the example folder`);
      return { path: entry.path, class: entry.class, attribute: entry.attribute };
    }),
  };
}

export async function loadExample(
  id: string,
  onProgress?: (done: number, total: number) => void,
): Promise<{ images: number; skipped: number }> {
  const base = new URL(`examples/${id}/`, document.baseURI);
  const response = await fetch(new URL('manifest.json', base));
  if (!response.ok) throw new Error(`the example's manifest could not be loaded (HTTP ${response.status})`);
  const manifest = parseManifest(await response.json());
  const images: IngestedImage[] = [];
  const skipped: SkippedFile[] = [];
  let done = 0;
  // a few requests at a time: fast on a local server, gentle on a slow one
  const queue = [...manifest.images];
  const worker = async () => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      try {
        const r = await fetch(new URL(item.path, base));
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
        images.push({
          id: `${id}/${item.path}`,
          blob: await r.blob(),
          classFolder: item.class,
          attributeFolder: item.attribute,
        });
      } catch (error) {
        skipped.push({
          path: item.path,
          reason: `could not be fetched: ${errorMessage(error)}`,
        });
      }
      onProgress?.(++done, manifest.images.length);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  images.sort((a, b) => (a.id < b.id ? -1 : 1));
  const dataset = useDataset.getState();
  dataset.clear();
  dataset.addIngested({ images, skipped, notes: [], specials: [] }, manifest.name);
  for (const c of manifest.classes) dataset.setClassText(c.folder, c.text);
  for (const a of manifest.attributes) dataset.setAttributeText(a.folder, a.text);
  // a shared link's class strings (e.g. a teacher's edited wording) win over the example's defaults
  applyPendingLabels();
  return { images: images.length, skipped: skipped.length };
}
