import { describe, expect, it } from 'vitest';
import { servedFolderFetch } from './modelSource';

const INDEX_HTML = '<!doctype html><html><body>SAGE Explorer</body></html>';

describe('servedFolderFetch', () => {
  it("turns a static server's index.html fallback for a model file into a 404 and records it", async () => {
    const record: { missing: string[]; found: number } = { missing: [], found: 0 };
    const fetch = servedFolderFetch(
      () =>
        Promise.resolve(
          new Response(INDEX_HTML, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' } }),
        ),
      record,
    );
    expect((await fetch('/models/tiny-clpi/config.json')).status).toBe(404);
    expect(record).toEqual({ missing: ['config.json'], found: 0 });
  });

  it('passes model files through untouched', async () => {
    const record: { missing: string[]; found: number } = { missing: [], found: 0 };
    const fetch = servedFolderFetch(
      () => Promise.resolve(new Response('{"model_type":"clip"}', { headers: { 'content-type': 'application/json' } })),
      record,
    );
    const response = await fetch('/models/tiny-clip/config.json');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ model_type: 'clip' });
    expect(record.found).toBe(1);
  });
});
