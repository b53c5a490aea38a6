export type RelayInbound =
  | { kind: 'hello'; lane: string; lastSeq: number }
  | { kind: 'pos'; event: unknown }
  | { kind: 'diagnostic'; code: string; message: string; seq?: number; at: string };

export interface RelayClientOptions {
  url: (since: number) => string;
  /** The last seq this kiosk applied, so a reconnect replays only what was missed. */
  lastSeq: () => number;
  onMessage: (msg: RelayInbound) => void;
  onConnection: (online: boolean) => void;
  onError?: (message: string) => void;
  /**
   * The lane's device token, or null while the kiosk is not enrolled yet (then it waits and asks
   * again). Sent as a subprotocol because a WebSocket cannot send headers and a URL gets logged.
   */
  token?: () => Promise<string | null>;
  WebSocketImpl?: typeof WebSocket;
}

/** The subprotocol the relay answers with; the token travels in a second, `bearer.<token>`. */
export const RELAY_PROTOCOL = 'lane-relay.v1';
const TOKEN_GRACE_MS = 3000;

/** Keeps one WebSocket to the relay open, reconnecting with capped exponential backoff and jitter. */
export class RelayClient {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private generation = 0;
  /** Unknown until the first connection attempt settles, so the first outcome is always reported. */
  private online: boolean | null = null;

  constructor(private readonly opts: RelayClientOptions) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  /** Drops the current connection as a network failure would; the client reconnects by itself. */
  dropConnection(): void {
    this.socket?.close(4000, 'dropped');
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.socket?.close();
    this.socket = null;
  }

  private connect(): void {
    if (!this.opts.token) {
      this.open(undefined);
      return;
    }
    // One pending attempt at a time: stop() or a newer attempt makes this one moot.
    const attempt = ++this.generation;
    // Enrolment may be slow (server down or busy): say "offline" after a short grace instead of
    // leaving the lane's connection state unknown while the order itself keeps working locally.
    const grace = setTimeout(() => {
      if (!this.stopped && attempt === this.generation && this.socket === null) this.setOnline(false);
    }, TOKEN_GRACE_MS);
    this.opts.token().then(
      (token) => {
        clearTimeout(grace);
        if (this.stopped || attempt !== this.generation) return;
        if (token === null) {
          this.setOnline(false);
          this.scheduleReconnect();
          return;
        }
        this.open([RELAY_PROTOCOL, `bearer.${token}`]);
      },
      (err: Error) => {
        clearTimeout(grace);
        if (this.stopped || attempt !== this.generation) return;
        this.opts.onError?.(`relay credentials unavailable: ${err.message}`);
        this.setOnline(false);
        this.scheduleReconnect();
      },
    );
  }

  private open(protocols: string[] | undefined): void {
    const Impl = this.opts.WebSocketImpl ?? WebSocket;
    let socket: WebSocket;
    try {
      const url = this.opts.url(this.opts.lastSeq());
      socket = protocols ? new Impl(url, protocols) : new Impl(url);
    } catch (err) {
      this.opts.onError?.(`relay connection failed: ${(err as Error).message}`);
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.setOnline(true);
    };
    socket.onmessage = (ev) => {
      let msg: RelayInbound;
      try {
        msg = JSON.parse(String(ev.data)) as RelayInbound;
      } catch {
        this.opts.onError?.('relay sent a message that is not JSON; ignored');
        return;
      }
      this.opts.onMessage(msg);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.setOnline(false);
      this.scheduleReconnect();
    };
    socket.onerror = () => {
      // onclose follows and schedules the retry; nothing else to do here.
    };
  }

  private setOnline(online: boolean): void {
    if (this.online === online) return;
    this.online = online;
    this.opts.onConnection(online);
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const base = Math.min(30_000, 500 * 2 ** this.attempt);
    this.attempt += 1;
    const delay = base / 2 + Math.random() * (base / 2);
    this.timer = setTimeout(() => this.connect(), delay);
  }
}
