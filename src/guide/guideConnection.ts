import { SseParser, type SseEvent } from './sseParser.ts';

/** Where the guide wall keeps its login: a guide's token, typed in once on this screen. */
export const GUIDE_TOKEN_KEY = 'lane-companion.guideToken';

export type GuideConnectionState = 'connecting' | 'live' | 'login' | 'offline';

export interface GuideConnectionOptions {
  token: string;
  onEvent: (e: SseEvent) => void;
  onState: (state: GuideConnectionState, message?: string) => void;
  fetch?: typeof fetch;
}

/**
 * Follows /api/guide/stream with the guide's token in the Authorization header (EventSource cannot
 * send one, and a token in the URL would be logged). Reconnects with backoff; a 401/403 stops and
 * asks for a new token instead of retrying a token that will never work.
 */
export function connectGuideStream(opts: GuideConnectionOptions): () => void {
  const doFetch = opts.fetch ?? ((url: string, init?: RequestInit) => fetch(url, init));
  let stopped = false;
  let controller: AbortController | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let attempt = 0;

  const retry = (message: string) => {
    if (stopped) return;
    opts.onState('offline', message);
    const delay = Math.min(30_000, 1000 * 2 ** attempt++);
    timer = setTimeout(() => void run(), delay);
  };

  async function run(): Promise<void> {
    controller = new AbortController();
    opts.onState('connecting');
    let res: Response;
    try {
      res = await doFetch('/api/guide/stream', {
        headers: { authorization: `Bearer ${opts.token}`, accept: 'text/event-stream' },
        signal: controller.signal,
      });
    } catch (err) {
      retry(`server unreachable: ${(err as Error).message}`);
      return;
    }
    if (res.status === 401 || res.status === 403) {
      const body = (await res.json().catch(() => ({}))) as { message?: string };
      opts.onState('login', body.message ?? `server answered ${res.status}`);
      return;
    }
    if (!res.ok || !res.body) {
      retry(`server answered ${res.status}`);
      return;
    }
    attempt = 0;
    opts.onState('live');
    const parser = new SseParser();
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (const e of parser.push(value)) opts.onEvent(e);
      }
      retry('stream ended');
    } catch (err) {
      if (!stopped) retry(`stream broken: ${(err as Error).message}`);
    }
  }

  void run();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    controller?.abort();
  };
}
