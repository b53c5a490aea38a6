import type { OrderVideoRecord } from '../core/evidence/record.ts';
import { DEFAULT_KIOSK_RETENTION, type KioskRetentionConfig } from '../core/retention/kioskRetention.ts';
import type { KioskDb, RecordRow } from './db.ts';
import { runRetention } from './retention.ts';
import {
  isConstraintError,
  isQuotaError,
  laterThan,
  sealClip,
  writeEvidence,
  type ClipInput,
  type EvidenceWrite,
  type ServerKeyHandle,
} from './vaultWrites.ts';

export type { ClipInput, ServerKeyHandle } from './vaultWrites.ts';

export interface StorageEstimateLike {
  usage: number;
  quota: number;
}

export interface VaultDeps {
  /** The store server's public key from the enrolment cache; rejects when the kiosk is not enrolled. */
  getServerKey(): Promise<ServerKeyHandle>;
  /** Epoch ms. */
  now(): number;
  /** navigator.storage.estimate(), reduced to numbers. */
  estimate(): Promise<StorageEstimateLike>;
  /** The lane's guide alert: evidence was or could be lost. */
  onAlert(message: string): void;
  /** navigator.storage.persist(); absent where the browser has no such API. */
  persist?: () => Promise<boolean>;
  /** Overrides for the kiosk retention rule (low-water mark, emergency target, hours kept). */
  retention?: Partial<KioskRetentionConfig>;
  /** Clip id generator (tests pin it). */
  newClipId?: () => string;
}

export type UnsealedRecord = Omit<OrderVideoRecord, 'clip'>;

/**
 * Stores each transaction's evidence durably and encrypted, ready for the sync agent.
 *
 * Without a server key (the kiosk never enrolled) a clip cannot be sealed for the server, and a key
 * the kiosk made itself would let a stolen kiosk open its own clips. So the vault stores the record,
 * drops the clip, and says so through onAlert; the app must require enrolment before recording.
 */
export class EvidenceVault {
  private persisted: Promise<boolean> | null = null;
  private readonly retentionConfig: KioskRetentionConfig;

  constructor(
    private readonly db: KioskDb,
    private readonly deps: VaultDeps,
  ) {
    this.retentionConfig = { ...DEFAULT_KIOSK_RETENTION, ...deps.retention };
  }

  /**
   * Seals and stores one transaction; resolves only after the IndexedDB transaction committed. The
   * returned record carries its ClipMeta, or no clip when the clip could not be kept (the reason went
   * to onAlert and is kept on the row).
   *
   * For a txn already stored: the same (or an older) seal is a no-op; a newer `recordedAt` re-seals
   * it (the server keeps the newest); a clip for a record that has none is attached. A stored clip
   * is never replaced: evidence, once sealed, does not change.
   */
  async saveEvidence(
    record: UnsealedRecord,
    clip?: ClipInput,
    opts: { piecesOf?: string } = {},
  ): Promise<OrderVideoRecord> {
    const existing = await this.db.records.get(record.txn);
    const fresh = withoutClipMeta(record);
    if (!existing) return this.store(fresh, clip, undefined, opts.piecesOf);
    const newer = Date.parse(record.recordedAt) > Date.parse(existing.recordedAt);
    const addClip = clip !== undefined && existing.clipId === undefined;
    if (!newer && !addClip) return existing.record;
    const base = newer
      ? fresh
      : { ...withoutClipMeta(existing.record), recordedAt: laterThan(existing.recordedAt, this.deps.now()) };
    if (addClip) return this.store(base, clip, existing, opts.piecesOf);
    const kept = existing.record.clip ? { ...base, clip: existing.record.clip } : base;
    return this.commit({ record: kept, replaces: existing, now: this.deps.now() });
  }

  /**
   * Adds the clip to a record saved earlier. Lets the app store the order the moment the
   * transaction closes and add the clip once the recorder's post-roll is done, so a browser killed
   * in between loses at most the clip, never the order record.
   */
  async attachClip(txn: string, clip: ClipInput): Promise<OrderVideoRecord> {
    const existing = await this.db.records.get(txn);
    if (!existing) throw new Error(`no record for transaction ${txn}: save it with saveEvidence first`);
    return this.saveEvidence(existing.record, clip);
  }

  private async store(
    base: OrderVideoRecord,
    clip: ClipInput | undefined,
    replaces: RecordRow | undefined,
    piecesOf: string | undefined,
  ): Promise<OrderVideoRecord> {
    if (!clip) return this.commitRecord({ record: base, replaces, now: this.deps.now() });
    let key: ServerKeyHandle;
    try {
      key = await this.deps.getServerKey();
    } catch (err) {
      const reason = `no server key to encrypt the clip (${(err as Error).message})`;
      return this.dropClip(base, reason, replaces, piecesOf);
    }
    const sealed = await sealClip(clip, key, this.deps.newClipId?.() ?? crypto.randomUUID());
    const full: OrderVideoRecord = { ...base, clip: sealed.meta };
    const size = sealed.meta.bytes;

    // Quota guard. Keep free space above the rule's low-water mark; when this write would go below
    // it, the retention rule runs first (routine deletions, then the emergency rule if needed).
    let free = await this.freeAfter(size);
    if (free !== undefined && free < this.retentionConfig.lowFreeBytes) {
      // Browsers update `usage` lazily after deletes, so the plan's own count is trusted here.
      free += await this.applyRetention(free);
    }
    if (free === undefined || free >= 0) {
      const write: EvidenceWrite = { record: full, sealed, replaces, now: this.deps.now() };
      if (piecesOf !== undefined) write.piecesOf = piecesOf;
      const saved = await this.tryCommit(write);
      if (saved) return saved;
      // The browser refused although the estimate had room (e.g. the disk itself is full): run the
      // rule as if nothing were free, then retry once.
      await this.applyRetention(0);
      const retried = await this.tryCommit(write);
      if (retried) return retried;
    }
    return this.dropClip(base, `storage full: no room for a ${size}-byte clip`, replaces, piecesOf);
  }

  /**
   * The routine pass: deletes what the server confirmed more than 72 h ago, and runs the emergency
   * rule if free space is already below the low-water mark. Call at start-up and then hourly.
   */
  async runRetention(): Promise<void> {
    const free = await this.freeAfter(0);
    await this.applyRetention(free ?? Number.POSITIVE_INFINITY);
  }

  /** Asks the browser once (per app start) to keep this origin's storage; records the answer. */
  requestPersistence(): Promise<boolean> {
    this.persisted ??= this.askPersistence();
    return this.persisted;
  }

  async storageEstimate(): Promise<StorageEstimateLike & { persisted?: boolean }> {
    const [estimate, persist] = await Promise.all([
      this.deps.estimate().catch(() => ({ usage: 0, quota: 0 })),
      this.db.getMeta('persist'),
    ]);
    return persist ? { ...estimate, persisted: persist.persisted } : estimate;
  }

  private async askPersistence(): Promise<boolean> {
    const askedAt = this.deps.now();
    if (!this.deps.persist) {
      await this.db.setMeta('persist', { persisted: false, askedAt, error: 'not supported' });
      return false;
    }
    try {
      const persisted = await this.deps.persist();
      await this.db.setMeta('persist', { persisted, askedAt });
      return persisted;
    } catch (err) {
      // A refusal (or a browser that throws) is an answer too: storage may then be evicted under pressure.
      await this.db.setMeta('persist', { persisted: false, askedAt, error: (err as Error).message });
      return false;
    }
  }

  /** Bytes left after writing `bytes` more; undefined when the browser gives no usable estimate. */
  private async freeAfter(bytes: number): Promise<number | undefined> {
    try {
      const e = await this.deps.estimate();
      return e.quota > 0 ? e.quota - e.usage - bytes : undefined;
    } catch {
      return undefined; // No estimate: rely on QuotaExceededError from the write itself.
    }
  }

  /** Runs the rule with `freeBytes` left; raises its alert; returns the bytes it freed. */
  private async applyRetention(freeBytes: number): Promise<number> {
    const plan = await runRetention(this.db, this.deps.now(), freeBytes, this.retentionConfig);
    if (plan.alert) this.deps.onAlert(plan.alert);
    return plan.freedBytes;
  }

  /** Null only for a quota refusal; the aborted transaction then left nothing behind. */
  private async tryCommit(w: EvidenceWrite): Promise<OrderVideoRecord | null> {
    try {
      return await this.commit(w);
    } catch (err) {
      if (isQuotaError(err)) return null;
      throw err;
    }
  }

  /** Two first saves of one txn racing: the loser's transaction aborts whole; it returns the winner's record. */
  private async commit(w: EvidenceWrite): Promise<OrderVideoRecord> {
    try {
      await writeEvidence(this.db, w);
      return w.record;
    } catch (err) {
      const winner =
        !w.replaces && isConstraintError(err) ? await this.db.records.get(w.record.txn) : undefined;
      if (winner) return winner.record;
      throw err;
    }
  }

  private async dropClip(
    record: OrderVideoRecord,
    reason: string,
    replaces: RecordRow | undefined,
    piecesOf: string | undefined,
  ): Promise<OrderVideoRecord> {
    this.deps.onAlert(`lane ${record.lane}, transaction ${record.txn}: clip not kept: ${reason}`);
    const write: EvidenceWrite = { record, clipDropped: reason, replaces, now: this.deps.now() };
    if (piecesOf !== undefined) write.piecesOf = piecesOf;
    return this.commitRecord(write);
  }

  /**
   * A write without a clip (a few KB of order data). If even that hits the quota, clips are what may
   * go: run the emergency rule as if nothing were free and retry once. Records are never dropped
   * to make room; if it still fails, the caller gets a clear error (the order stays on screen).
   */
  private async commitRecord(w: EvidenceWrite): Promise<OrderVideoRecord> {
    const saved = await this.tryCommit(w);
    if (saved) return saved;
    await this.applyRetention(0);
    const retried = await this.tryCommit(w);
    if (retried) return retried;
    const message =
      `lane ${w.record.lane}, transaction ${w.record.txn}: order record not stored: storage full ` +
      'even after deleting every clip the rules allow (flagged and unsynced records are kept)';
    this.deps.onAlert(message);
    throw new Error(message);
  }
}

function withoutClipMeta(record: UnsealedRecord | OrderVideoRecord): OrderVideoRecord {
  const copy: OrderVideoRecord = { ...record };
  delete copy.clip;
  return copy;
}
