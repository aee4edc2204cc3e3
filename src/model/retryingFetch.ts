import { errorMessage } from '../core/errors';
/**
 * A fetch for model downloads that survives a connection breaking off half-way (issue 7, faults).
 *
 * - Before the response: a network error or a 408/429/5xx status is retried (404 and other 4xx are
 *   answers, returned as they are: transformers.js reads a 404 as "file not in this model").
 * - During the body: a read error, or a body that ends before its Content-Length, is resumed with
 *   `Range: bytes=<received>-` (or, when the server ignores Range, by skipping what was already received).
 * - When the retries are spent the body stream errors, naming the URL and how far it got.
 *
 * So the consumer only ever sees a complete body or an error: transformers.js stores a file in Cache
 * Storage by reading the response to its end (Cache.put is all-or-nothing on a stream error), so a broken
 * download can never be cached as if it were the whole file.
 */

export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

export interface RetryOptions {
  /** further attempts after the first, before the response and again during the body (default 3) */
  retries?: number;
  /** wait before attempt `n` (1-based); default 400 ms × n. Tests pass 0. */
  delayMs?: (attempt: number) => number;
}

const RETRY_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

function wait(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

function withRange(init: RequestInit | undefined, from: number): RequestInit {
  const headers = new Headers(init?.headers);
  headers.set('Range', `bytes=${from}-`);
  return { ...init, headers };
}

export function retryingFetch(inner: FetchLike, options: RetryOptions = {}): FetchLike {
  const retries = options.retries ?? 3;
  const delayMs = options.delayMs ?? ((attempt: number) => 400 * attempt);

  /** One response, retrying network errors and transient statuses. */
  async function fetchOnce(input: string | URL, init: RequestInit | undefined, label: string): Promise<Response> {
    let lastError = '';
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await wait(delayMs(attempt));
      try {
        const response = await inner(input, init);
        if (!RETRY_STATUS.has(response.status)) return response;
        lastError = `HTTP ${response.status} ${response.statusText}`.trim();
        await response.body?.cancel().catch(() => undefined);
      } catch (error) {
        if (init?.signal?.aborted) throw error;
        lastError = errorMessage(error);
      }
    }
    throw new Error(`${label} failed after ${retries + 1} attempts: ${lastError}`);
  }

  return async (input, init) => {
    const url = typeof input === 'string' ? input : input.href;
    const first = await fetchOnce(input, init, `download of ${url}`);
    const method = (init?.method ?? 'GET').toUpperCase();
    if (!first.ok || first.status === 206 || method !== 'GET' || !first.body) return first;

    const declared = first.headers.get('content-length');
    const total = declared !== null && /^\d+$/.test(declared) ? Number(declared) : null;
    let reader = first.body.getReader();
    let received = 0;
    /** bytes of a resumed 200 (server ignored Range) still to drop because we already passed them on */
    let skip = 0;
    let resumes = 0;

    const resume = async (cause: string): Promise<void> => {
      reader.cancel().catch(() => undefined);
      for (;;) {
        if (resumes >= retries) {
          const of = total === null ? '' : ` of ${total}`;
          throw new Error(
            `download of ${url} broke off after ${received}${of} bytes (${resumes + 1} attempts): ${cause}`,
          );
        }
        resumes++;
        await wait(delayMs(resumes));
        let next: Response;
        try {
          next = await inner(input, withRange(init, received));
        } catch (error) {
          cause = errorMessage(error);
          continue;
        }
        if ((next.status !== 206 && next.status !== 200) || !next.body) {
          cause = `HTTP ${next.status} on resume`;
          await next.body?.cancel().catch(() => undefined);
          continue;
        }
        const range = next.headers.get('content-range');
        if (next.status === 206 && range !== null && !range.startsWith(`bytes ${received}-`)) {
          cause = `resume answered ${range}, not from byte ${received}`;
          await next.body.cancel().catch(() => undefined);
          continue;
        }
        skip = next.status === 200 ? received : 0;
        reader = next.body.getReader();
        return;
      }
    };

    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        for (;;) {
          let chunk: ReadableStreamReadResult<Uint8Array>;
          try {
            chunk = await reader.read();
          } catch (error) {
            if (init?.signal?.aborted) throw error;
            await resume(errorMessage(error));
            continue;
          }
          if (chunk.done) {
            if (total !== null && received < total) {
              await resume(`the connection closed early`);
              continue;
            }
            controller.close();
            return;
          }
          let bytes = chunk.value;
          if (skip > 0) {
            const dropped = Math.min(skip, bytes.length);
            skip -= dropped;
            bytes = bytes.subarray(dropped);
            if (bytes.length === 0) continue;
          }
          if (total !== null && received + bytes.length > total) {
            throw new Error(`download of ${url} sent more than its declared ${total} bytes`);
          }
          received += bytes.length;
          controller.enqueue(bytes);
          return;
        }
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    });
    return new Response(body, { status: first.status, statusText: first.statusText, headers: first.headers });
  };
}
