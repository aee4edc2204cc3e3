/**
 * Model download failing half-way (issue 7, faults): retried and resumed, then a message naming the file;
 * a broken body is never handed on as complete (which is what would let Cache Storage keep a partial file).
 */
import { describe, expect, it } from 'vitest';
import { retryingFetch, type FetchLike } from './retryingFetch';

const URL_ = 'https://huggingface.co/Xenova/clip/resolve/main/onnx/vision_model.onnx';
const FILE = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 251);

/** A body that sends `bytes` in 100-byte chunks, then errors (or ends cleanly when `fail` is false). */
function body(bytes: Uint8Array, fail: boolean): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) {
        if (fail) controller.error(new TypeError('network error: connection reset'));
        else controller.close();
        return;
      }
      controller.enqueue(bytes.slice(at, at + 100));
      at += 100;
    },
  });
}

interface Call {
  range: string | null;
}

/** A server whose answers are scripted per call; records the Range header of each request. */
function server(script: ((range: number) => Response | Error)[]): { fetch: FetchLike; calls: Call[] } {
  const calls: Call[] = [];
  const fetch: FetchLike = async (_input, init) => {
    const range = new Headers(init?.headers).get('Range');
    calls.push({ range });
    const step = script[Math.min(calls.length - 1, script.length - 1)];
    const from = range ? Number(/bytes=(\d+)-/.exec(range)?.[1]) : 0;
    const answer = step(from);
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { fetch, calls };
}

const full = () => new Response(body(FILE, false), { status: 200, headers: { 'content-length': String(FILE.length) } });
const brokenAt = (cut: number) => () =>
  new Response(body(FILE.slice(0, cut), true), { status: 200, headers: { 'content-length': String(FILE.length) } });
const shortAt = (cut: number) => () =>
  new Response(body(FILE.slice(0, cut), false), { status: 200, headers: { 'content-length': String(FILE.length) } });
const partial = (from: number) =>
  new Response(body(FILE.slice(from), false), {
    status: 206,
    headers: {
      'content-length': String(FILE.length - from),
      'content-range': `bytes ${from}-${FILE.length - 1}/${FILE.length}`,
    },
  });

const noDelay = { delayMs: () => 0 };

describe('retryingFetch', () => {
  it('resumes a body that breaks off half-way with a Range request; the bytes are exactly the file', async () => {
    const { fetch, calls } = server([brokenAt(500), partial]);
    const response = await retryingFetch(fetch, noDelay)(URL_);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(FILE);
    expect(calls.map((c) => c.range)).toEqual([null, 'bytes=500-']);
    expect(response.headers.get('content-length')).toBe('1000'); // progress reporting still sees the size
  });

  it('resumes from a server that ignores Range by skipping what it already passed on', async () => {
    const { fetch, calls } = server([brokenAt(300), () => full()]);
    const response = await retryingFetch(fetch, noDelay)(URL_);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(FILE);
    expect(calls).toHaveLength(2);
  });

  it('treats a body that ends before its Content-Length as broken, and resumes it', async () => {
    const { fetch, calls } = server([shortAt(700), partial]);
    const response = await retryingFetch(fetch, noDelay)(URL_);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(FILE);
    expect(calls.map((c) => c.range)).toEqual([null, 'bytes=700-']);
  });

  it('retries network errors and 503 before the response; a 404 is an answer, not retried', async () => {
    const flaky = server([
      () => new TypeError('Failed to fetch'),
      () => new Response('busy', { status: 503 }),
      () => full(),
    ]);
    expect(new Uint8Array(await (await retryingFetch(flaky.fetch, noDelay)(URL_)).arrayBuffer())).toEqual(FILE);
    expect(flaky.calls).toHaveLength(3);

    const missing = server([() => new Response('no', { status: 404 })]);
    expect((await retryingFetch(missing.fetch, noDelay)(URL_)).status).toBe(404);
    expect(missing.calls).toHaveLength(1);
  });

  it('gives up after the retries with an error naming the URL and how far it got; never a short body', async () => {
    const { fetch, calls } = server([brokenAt(400), () => new TypeError('Failed to fetch')]);
    const response = await retryingFetch(fetch, { retries: 2, delayMs: () => 0 })(URL_);
    await expect(response.arrayBuffer()).rejects.toThrow(
      `download of ${URL_} broke off after 400 of 1000 bytes (3 attempts): Failed to fetch`,
    );
    expect(calls).toHaveLength(3);
  });

  it('a consumer that stores only complete bodies (as Cache.put does) stores nothing from a broken download', async () => {
    const stored = new Map<string, Uint8Array>();
    const cachePut = async (key: string, response: Response) =>
      stored.set(key, new Uint8Array(await response.arrayBuffer()));
    const broken = server([shortAt(600), shortAt(0)]);
    await expect(
      cachePut(URL_, await retryingFetch(broken.fetch, { retries: 1, delayMs: () => 0 })(URL_)),
    ).rejects.toThrow(/broke off after 600 of 1000/);
    expect(stored.size).toBe(0);
    // without the wrapper the same server's short body would have been stored as if it were the file
    await cachePut(URL_, await broken.fetch(URL_));
    expect(stored.get(URL_)?.length).toBe(0);
  });

  it('gives up on an endless run of errors before the response, naming the URL and the last cause', async () => {
    const down = server([() => new TypeError('Failed to fetch')]);
    await expect(retryingFetch(down.fetch, { retries: 2, delayMs: () => 0 })(URL_)).rejects.toThrow(
      `download of ${URL_} failed after 3 attempts: Failed to fetch`,
    );
  });
});
