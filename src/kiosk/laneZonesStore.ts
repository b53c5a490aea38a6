import { Observable } from '../app/observable.ts';
import { validateLaneZones, type ZoneProblem } from '../core/lane/zoneValidation.ts';
import type { LaneZones } from '../core/lane/zones.ts';
import { backoffDelay } from '../sync/backoff.ts';
import { parseServerError, type FetchLike } from '../sync/http.ts';

/** The slice of localStorage the store uses, so tests pass a Map. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/**
 * - 'none': this lane has never been calibrated (here or on the server);
 * - 'synced': the zones shown are the server's;
 * - 'not-synced': saved on this kiosk only; sent again later and on the next save.
 */
export type ZonesSync = 'none' | 'synced' | 'not-synced';

export interface LaneZonesState {
  zones: LaneZones | null;
  sync: ZonesSync;
  /** Why the last server exchange failed (never contains the token). */
  lastError?: string;
  /** True while the first load has not finished. */
  loading: boolean;
}

export type SaveResult =
  { ok: false; problems: ZoneProblem[] } | { ok: true; synced: boolean; message: string; zones: LaneZones };

export interface LaneZonesStoreOptions {
  lane: string;
  baseUrl: string;
  fetch: FetchLike;
  storage: KeyValueStore;
  /** The lane's device token, or undefined while the kiosk is not enrolled (for this lane). */
  getToken: () => Promise<string | undefined>;
  now: () => number;
  setTimer: (fn: () => void, ms: number) => unknown;
  clearTimer: (handle: unknown) => void;
  random?: () => number;
}

interface CachedZones {
  zones: LaneZones;
  synced: boolean;
}

class ServerAnswer extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

/**
 * The lane's calibration on the kiosk: loaded from the store server first, with a local copy as the
 * fallback, so a kiosk that starts while the server is down still knows its zones. A save is
 * validated here, kept locally at once (the tracker uses it immediately) and then sent; if the
 * server cannot be reached it stays "not synced" and is retried with backoff and on the next save.
 * `zones` is the value the inference worker follows.
 */
export class LaneZonesStore {
  readonly state = new Observable<LaneZonesState>({ zones: null, sync: 'none', loading: true });
  /** The current zones for the tracker: changes only when the zones themselves change. */
  readonly zones = new Observable<LaneZones | null>(null);
  private retryHandle: unknown = null;
  private loadFailed = false;
  private attempts = 0;
  private readonly key: string;

  constructor(private readonly opts: LaneZonesStoreOptions) {
    this.key = `lane-companion.zones.${opts.lane}`;
    const cached = this.readCache();
    if (cached)
      this.publish({ zones: cached.zones, sync: cached.synced ? 'synced' : 'not-synced', loading: true });
  }

  /** Server first; the local copy when the server is unreachable; pushes a local copy it lacks. */
  async load(): Promise<void> {
    const cached = this.readCache();
    try {
      const server = await this.request('GET');
      if (server === undefined)
        throw new ServerAnswer(404, 'no-zones', 'this lane has not been calibrated yet');
      const serverZones = validateLaneZones((server as { zones?: unknown } | null)?.zones);
      if (!serverZones.ok) throw new Error('the server sent zones this kiosk cannot read');
      if (
        cached &&
        !cached.synced &&
        Date.parse(cached.zones.updatedAt) > Date.parse(serverZones.value.updatedAt)
      ) {
        // Drawn here after the server's copy while the server was away: ours wins, send it.
        await this.push(cached.zones);
        return;
      }
      this.writeCache({ zones: serverZones.value, synced: true });
      this.loadFailed = false;
      this.attempts = 0;
      this.publish({ zones: serverZones.value, sync: 'synced', lastError: undefined });
    } catch (err) {
      if (err instanceof ServerAnswer && err.status === 404) {
        this.loadFailed = false;
        if (cached) await this.push(cached.zones);
        else this.publish({ zones: null, sync: 'none', lastError: undefined });
        return;
      }
      const message = (err as Error).message;
      // Server down or this kiosk not enrolled yet: ask again later, or a lane that booted before
      // its enrolment (or with the server away) would never get the zones drawn elsewhere.
      this.loadFailed = true;
      if (cached) {
        this.publish({
          zones: cached.zones,
          sync: cached.synced ? 'synced' : 'not-synced',
          lastError: message,
        });
      } else {
        this.publish({ zones: null, sync: 'none', lastError: message });
      }
      this.scheduleRetry();
    }
  }

  /**
   * Validates and saves the drawn zones. Invalid zones are refused without touching anything; valid
   * ones are kept locally whatever the server says, so nothing drawn is lost.
   */
  async save(drawn: LaneZones['zones']): Promise<SaveResult> {
    const checked = validateLaneZones({
      v: 1,
      zones: drawn,
      updatedAt: new Date(this.opts.now()).toISOString(),
    });
    if (!checked.ok) return { ok: false, problems: checked.problems };
    this.writeCache({ zones: checked.value, synced: false });
    this.publish({ zones: checked.value, sync: 'not-synced' });
    this.attempts = 0;
    return this.push(checked.value);
  }

  /**
   * Sends a not-synced local copy now, or asks the server again after a failed load (the
   * maintenance screen's retry, the timer).
   */
  async retry(): Promise<void> {
    const cached = this.readCache();
    if (cached && !cached.synced) await this.push(cached.zones);
    else if (this.loadFailed) await this.load();
  }

  stop(): void {
    if (this.retryHandle !== null) this.opts.clearTimer(this.retryHandle);
    this.retryHandle = null;
  }

  private async push(zones: LaneZones): Promise<SaveResult> {
    this.stop();
    try {
      const stored = (await this.request('PUT', zones)) as { zones: unknown };
      const accepted = validateLaneZones(stored.zones);
      const value = accepted.ok ? accepted.value : zones;
      this.writeCache({ zones: value, synced: true });
      this.attempts = 0;
      this.publish({ zones: value, sync: 'synced', lastError: undefined });
      return { ok: true, synced: true, message: 'Saved and sent to the store server.', zones: value };
    } catch (err) {
      if (err instanceof ServerAnswer && err.status === 409) {
        // Someone calibrated this lane later than this drawing: theirs stays, and is shown.
        const current = validateLaneZones((err.body as { current?: { zones?: unknown } })?.current?.zones);
        if (current.ok) {
          this.writeCache({ zones: current.value, synced: true });
          this.publish({ zones: current.value, sync: 'synced', lastError: err.message });
          return { ok: true, synced: true, message: err.message, zones: current.value };
        }
      }
      if (err instanceof ServerAnswer && err.status === 400) {
        const problems = (err.body as { problems?: ZoneProblem[] })?.problems;
        this.publish({ zones, sync: 'not-synced', lastError: err.message });
        if (Array.isArray(problems) && problems.length > 0) return { ok: false, problems };
      }
      const message = (err as Error).message;
      this.publish({ zones, sync: 'not-synced', lastError: message });
      this.scheduleRetry();
      return {
        ok: true,
        synced: false,
        message: `Saved on this kiosk but not synced (${message}); it is sent again automatically.`,
        zones,
      };
    }
  }

  private scheduleRetry(): void {
    this.stop();
    this.attempts++;
    const ms = backoffDelay(this.attempts, this.opts.random ?? Math.random);
    this.retryHandle = this.opts.setTimer(() => {
      this.retryHandle = null;
      void this.retry();
    }, ms);
  }

  private async request(method: 'GET' | 'PUT', body?: LaneZones): Promise<unknown> {
    const token = await this.opts.getToken();
    if (!token) throw new Error('this kiosk is not enrolled for this lane yet');
    const url = new URL(`/api/lanes/${encodeURIComponent(this.opts.lane)}/zones`, this.opts.baseUrl);
    // 204 instead of 404 for a lane never calibrated: the browser logs every 404 as a console error.
    if (method === 'GET') url.searchParams.set('ifAbsent', 'empty');
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await this.opts.fetch(url.toString(), {
        method,
        headers,
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    } catch (err) {
      throw new Error(`the store server is unreachable (${(err as Error).message})`, { cause: err });
    }
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // Not JSON (a proxy's error page): the status says enough.
    }
    if (res.ok) return parsed;
    const { code, message } = parseServerError(text, res.status);
    throw new ServerAnswer(res.status, code, `the store server answered ${res.status}: ${message}`, parsed);
  }

  private readCache(): CachedZones | null {
    try {
      const raw = this.opts.storage.getItem(this.key);
      if (!raw) return null;
      const parsed = JSON.parse(raw) as { zones?: unknown; synced?: unknown };
      const checked = validateLaneZones(parsed.zones);
      // A copy that no longer validates is ignored (the server's copy, if any, takes over).
      return checked.ok ? { zones: checked.value, synced: parsed.synced === true } : null;
    } catch {
      return null;
    }
  }

  private writeCache(value: CachedZones): void {
    try {
      this.opts.storage.setItem(this.key, JSON.stringify(value));
    } catch {
      // Storage full or disabled: the zones still apply until the next reload, and the server has them.
    }
  }

  private publish(patch: Partial<LaneZonesState>): void {
    const next: LaneZonesState = { ...this.state.get(), loading: false, ...patch };
    if (next.lastError === undefined) delete next.lastError;
    this.state.set(next);
    if (next.zones !== this.zones.get()) this.zones.set(next.zones);
  }
}
