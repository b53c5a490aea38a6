import type { FetchLike } from './http.ts';

export interface LaneAlertSenderOptions {
  baseUrl: string;
  lane: string;
  fetch: FetchLike;
  token: () => Promise<string | null>;
  setTimer: (fn: () => void, ms: number) => unknown;
  retryMs?: number;
}

/**
 * Sends the lane's alerts (e.g. evidence dropped under storage pressure) to the store server,
 * where the guide wall shows them. Kept in memory and retried until the server takes them: the
 * alert is also on the lane's own screen, and the kiosk cannot do more while the server is away.
 */
export class LaneAlertSender {
  private readonly queue: { kind: string; message: string }[] = [];
  private sending = false;

  constructor(private readonly opts: LaneAlertSenderOptions) {}

  raise(kind: string, message: string): void {
    this.queue.push({ kind, message: message.slice(0, 500) });
    void this.flush();
  }

  get pending(): number {
    return this.queue.length;
  }

  private async flush(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.queue.length > 0) {
        const token = await this.opts.token();
        if (token === null) throw new Error('not enrolled');
        const res = await this.opts.fetch(
          new URL(`/api/lanes/${encodeURIComponent(this.opts.lane)}/alerts`, this.opts.baseUrl).toString(),
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify(this.queue[0]),
          },
        );
        // A 4xx other than auth will not improve with retries: drop that one alert, keep the rest.
        if (
          !res.ok &&
          (res.status >= 500 || res.status === 401 || res.status === 403 || res.status === 429)
        ) {
          throw new Error(`server answered ${res.status}`);
        }
        this.queue.shift();
      }
    } catch {
      this.opts.setTimer(() => void this.flush(), this.opts.retryMs ?? 10_000);
    } finally {
      this.sending = false;
    }
  }
}
