import type { TusHandle, TusOptions, TusUploadFactory } from './tus.ts';

/** A scripted fetch: each call is recorded and answered by `respond`. */
export function fakeFetch(
  respond: (url: string, init: RequestInit, call: number) => Response | Promise<Response>,
) {
  const calls: { url: string; init: RequestInit; body: unknown }[] = [];
  const fetch = async (url: string, init: RequestInit = {}) => {
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    calls.push({ url, init, body });
    return respond(url, init, calls.length);
  };
  return { fetch, calls };
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** Answers a records POST as an idempotent server would: every record sent is stored. */
export const storeAll = (_url: string, init: RequestInit) => {
  const { records } = JSON.parse(init.body as string) as { records: { txn: string }[] };
  return json(200, { stored: records.map((r) => r.txn), rejected: [] });
};

export interface FakeUpload {
  file: Blob;
  opts: TusOptions;
  handle: TusHandle & { url: string | null; aborted: boolean };
}

/**
 * A tus client stand-in. `script` runs on start() and drives the callbacks like the real client
 * would (URL available, chunk progress, success or error).
 */
export function fakeTus(script: (u: FakeUpload) => void | Promise<void>) {
  const uploads: FakeUpload[] = [];
  const factory: TusUploadFactory = (file, opts) => {
    const handle = {
      url: null as string | null,
      aborted: false,
      start: () => {
        void script(upload);
      },
      abort: async () => {
        handle.aborted = true;
      },
    };
    const upload: FakeUpload = { file, opts, handle };
    uploads.push(upload);
    return handle;
  };
  return { factory, uploads };
}

/** An error shaped like tus-js-client's DetailedError. */
export function tusHttpError(status: number, body = ''): Error {
  return Object.assign(new Error(`tus: unexpected response (${status})`), {
    originalResponse: { getStatus: () => status, getBody: () => body },
  });
}

/** A manual clock and timer queue: tests decide when time passes. */
export function manualTime(start: number) {
  let now = start;
  const timers: { fn: () => void; at: number; ms: number; id: number }[] = [];
  let ids = 0;
  return {
    now: () => now,
    setTimer: (fn: () => void, ms: number) => {
      const t = { fn, at: now + ms, ms, id: ++ids };
      timers.push(t);
      return t.id;
    },
    clearTimer: (id: unknown) => {
      const i = timers.findIndex((t) => t.id === id);
      if (i >= 0) timers.splice(i, 1);
    },
    timers,
    /** Moves the clock and fires timers that came due. */
    advance(ms: number) {
      now += ms;
      for (const t of timers.filter((x) => x.at <= now)) {
        timers.splice(timers.indexOf(t), 1);
        t.fn();
      }
    },
  };
}
