import type { DeviceMeta, KioskDb, SyncMeta } from '../storage/db.ts';
import { BACKOFF_CAP_MS, backoffDelay } from './backoff.ts';
import { DEFAULT_CHUNK_SIZE, uploadClip, type ClipUploadContext } from './clipUploader.ts';
import type { FetchLike } from './http.ts';
import { dueEntries, failedCount, nextDueAt, requeueAll } from './outbox.ts';
import { sendRecordBatch, type SyncReporter } from './recordSender.ts';
import type { TusUploadFactory } from './tus.ts';

export interface SyncStatus {
  /** Records not yet confirmed with their clip. */
  pendingRecords: number;
  pendingClips: number;
  /** Encrypted bytes still to upload. */
  pendingBytes: number;
  /** Items the server refused for good; they stay until "Sync now" retries them. */
  failedItems: number;
  lastSuccessAt?: number;
  lastError?: string;
  lastErrorAt?: number;
  /** Whether the last request reached the server. */
  online: boolean;
  /** A device token is stored and the server has not refused it. */
  enrolled: boolean;
  persisted?: boolean;
  uploading?: { clipId: string; sent: number; total: number };
}

export interface SyncAgentDeps {
  /** Absolute origin of the store server (the page's own origin in production). */
  baseUrl: string;
  fetch: FetchLike;
  tusUpload: TusUploadFactory;
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  onStatus(status: SyncStatus): void;
  random?: () => number;
  batchSize?: number;
  chunkSize?: number;
}

export const MAX_BATCH = 50;

/** What the status reads before the outbox has been counted. */
export const INITIAL_SYNC_STATUS: Readonly<SyncStatus> = Object.freeze({
  pendingRecords: 0,
  pendingClips: 0,
  pendingBytes: 0,
  failedItems: 0,
  online: true,
  enrolled: false,
});

/**
 * The outbox worker. One run at a time sends due records in batches, then due clips one by one,
 * and then sleeps until the next item is due. Failures back off per item and, when the server is
 * unreachable, for the whole agent, so days offline cost one request every few minutes. Everything
 * it needs to resume (attempts, due times, upload URLs) is in IndexedDB, not in memory.
 */
export class SyncAgent {
  private stopped = true;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: unknown = undefined;
  /** No request before this time (server unreachable or overloaded), unless a person asks. */
  private pausedUntil = 0;
  private transientStreak = 0;
  /** The token the server refused: nothing is sent with it again (no hot loop on 401). */
  private refusedToken: string | undefined;
  private abortCurrent: (() => void) | null = null;
  private metaWrites: Promise<void> = Promise.resolve();
  private current: SyncStatus = { ...INITIAL_SYNC_STATUS };

  constructor(
    private readonly db: KioskDb,
    private readonly deps: SyncAgentDeps,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.kick();
  }

  /** Stops the timer and aborts an upload in flight; the server keeps its partial upload. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    this.abortCurrent?.();
    await this.running;
  }

  /** Wake up now (a new record was saved, the network came back); respects a server-down pause. */
  kick(): void {
    if (this.stopped) return;
    this.clearTimer();
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop();
  }

  /**
   * "Sync now": skips every backoff, retries a refused token once and (unless told otherwise)
   * the items the server refused. Call it with `includeFailed: false` on the browser's `online` event.
   */
  async syncNow(opts: { includeFailed?: boolean } = {}): Promise<void> {
    const manual = opts.includeFailed ?? true;
    await requeueAll(this.db, this.deps.now(), manual);
    this.pausedUntil = 0;
    if (manual) this.refusedToken = undefined;
    this.kick();
    await this.idle();
  }

  status(): SyncStatus {
    return this.current;
  }

  /** Resolves once no run is in progress (tests, and syncNow). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async refreshStatus(): Promise<SyncStatus> {
    const { db } = this;
    await this.metaWrites;
    let pendingClips = 0;
    let pendingBytes = 0;
    const [pendingRecords, failedItems, device, sync, persist] = await Promise.all([
      db.records.where('syncState').equals('pending').count(),
      failedCount(db),
      db.getMeta('device'),
      db.getMeta('sync'),
      db.getMeta('persist'),
      db.clips
        .where('uploadState')
        .anyOf('pending', 'uploading')
        .each((c) => {
          pendingClips++;
          pendingBytes += c.size;
        }),
    ]);
    const next: SyncStatus = {
      pendingRecords,
      pendingClips,
      pendingBytes,
      failedItems,
      online: this.current.online,
      enrolled: device !== undefined && device.token !== this.refusedToken,
      ...sync,
    };
    if (persist) next.persisted = persist.persisted;
    if (this.current.uploading) next.uploading = this.current.uploading;
    this.publish(next);
    return next;
  }

  private publish(s: SyncStatus): void {
    this.current = s;
    this.deps.onStatus(s);
  }

  private async loop(): Promise<void> {
    try {
      for (;;) {
        this.again = false;
        await this.runOnce();
        if (!this.again || this.stopped) break;
      }
    } catch (err) {
      // IndexedDB trouble: report it and let the timer try again; nothing was marked synced.
      await this.noteError(`sync failed: ${(err as Error).message}`);
      this.pausedUntil = this.deps.now() + backoffDelay(++this.transientStreak, this.random);
    }
    try {
      await this.refreshStatus();
      await this.schedule();
    } catch {
      // Status or due times could not be read (database closing?): look again in a while.
      if (!this.stopped) this.timer = this.deps.setTimer(() => this.wake(), BACKOFF_CAP_MS);
    } finally {
      this.running = null;
    }
    if (this.again && !this.stopped) this.kick();
  }

  private async runOnce(): Promise<void> {
    const device = await this.db.getMeta('device');
    if (!device || device.token === this.refusedToken) return;
    if (this.deps.now() < this.pausedUntil) return;
    const ctx = this.context(device);
    const batchSize = Math.min(this.deps.batchSize ?? MAX_BATCH, MAX_BATCH);
    while (!this.stopped && !this.halted(device)) {
      const batch = await dueEntries(this.db, 'record', this.deps.now(), batchSize);
      if (batch.length === 0 || (await sendRecordBatch(ctx, batch)) === 'stop') break;
    }
    while (!this.stopped && !this.halted(device) && this.deps.now() >= this.pausedUntil) {
      const [entry] = await dueEntries(this.db, 'clip', this.deps.now(), 1);
      if (!entry || (await uploadClip(ctx, entry)) === 'stop') break;
    }
  }

  private halted(device: DeviceMeta): boolean {
    return device.token === this.refusedToken;
  }

  private context(device: DeviceMeta): ClipUploadContext {
    const reporter: SyncReporter = {
      success: () => {
        this.transientStreak = 0;
        this.pausedUntil = 0;
        this.current = { ...this.current, online: true };
        void this.saveSyncMeta({ lastSuccessAt: this.deps.now() });
      },
      transient: (message, { reached, retryAfterMs }) => {
        const now = this.deps.now();
        this.current = { ...this.current, online: reached };
        this.pausedUntil = now + backoffDelay(++this.transientStreak, this.random, retryAfterMs ?? 0);
        void this.noteError(message);
      },
      rejected: (status, message) => {
        this.refusedToken = device.token;
        this.current = { ...this.current, online: true, enrolled: false };
        void this.noteError(
          `device not enrolled or revoked (HTTP ${status}: ${message}); enrol again with a code from the admin`,
        );
      },
      failed: (message) => void this.noteError(message),
    };
    return {
      db: this.db,
      fetch: this.deps.fetch,
      baseUrl: this.deps.baseUrl,
      token: device.token,
      now: this.deps.now,
      random: this.random,
      report: reporter,
      tusUpload: this.deps.tusUpload,
      chunkSize: this.deps.chunkSize ?? DEFAULT_CHUNK_SIZE,
      onProgress: (p) => this.publish({ ...this.current, uploading: p }),
      setCurrent: (abort) => {
        this.abortCurrent = abort;
        if (!abort && this.current.uploading) {
          const { uploading: _done, ...rest } = this.current;
          this.current = rest;
        }
      },
    };
  }

  private readonly random = (): number => (this.deps.random ?? Math.random)();

  private async schedule(): Promise<void> {
    this.clearTimer();
    const device = await this.db.getMeta('device');
    if (this.stopped || !device || this.halted(device)) return;
    const due = await nextDueAt(this.db);
    if (due === undefined) return;
    const now = this.deps.now();
    const delay = Math.max(0, Math.max(due, this.pausedUntil) - now);
    this.timer = this.deps.setTimer(() => this.wake(), delay);
  }

  private wake(): void {
    this.timer = undefined;
    this.kick();
  }

  private clearTimer(): void {
    if (this.timer === undefined) return;
    this.deps.clearTimer(this.timer);
    this.timer = undefined;
  }

  private async noteError(message: string): Promise<void> {
    await this.saveSyncMeta({ lastError: message, lastErrorAt: this.deps.now() });
  }

  /** Chained, so a success and an error reported together cannot overwrite each other. */
  private saveSyncMeta(patch: SyncMeta): Promise<void> {
    this.metaWrites = this.metaWrites
      .then(async () => {
        const prev = (await this.db.getMeta('sync')) ?? {};
        await this.db.setMeta('sync', { ...prev, ...patch });
      })
      .catch(() => undefined);
    return this.metaWrites;
  }
}
