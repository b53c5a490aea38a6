/**
 * Publishes the lane's status to the store server. Only the latest status matters, so a failed
 * send is retried with the newest value rather than queued.
 */
export class StatusPublisher {
  private pending: unknown = null;
  private inFlight = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly url: string,
    private readonly onError: (message: string | null) => void,
    /** The lane's device token; null while not enrolled (the send is retried until there is one). */
    private readonly token?: () => Promise<string | null>,
  ) {}

  publish(status: unknown): void {
    this.pending = status;
    if (!this.inFlight) void this.flush();
  }

  private async flush(): Promise<void> {
    if (this.pending === null) return;
    const body = JSON.stringify(this.pending);
    this.pending = null;
    this.inFlight = true;
    try {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (this.token) {
        const token = await this.token();
        if (token === null) throw new Error('the kiosk is not enrolled yet');
        headers.authorization = `Bearer ${token}`;
      }
      const res = await fetch(this.url, { method: 'PUT', headers, body });
      if (!res.ok) throw new Error(`server answered ${res.status}`);
      this.onError(null);
    } catch (err) {
      this.onError(`lane status not published: ${(err as Error).message}`);
      if (this.pending === null) this.pending = JSON.parse(body);
      if (this.retryTimer) clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        void this.flush();
      }, 5000);
    } finally {
      this.inFlight = false;
    }
    if (this.pending !== null && !this.retryTimer) void this.flush();
  }
}
