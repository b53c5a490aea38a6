import Dexie, { type DexieOptions, type Table, type Transaction } from 'dexie';
import type { OrderVideoRecord } from '../core/evidence/record.ts';

/**
 * The kiosk's one IndexedDB database: order video records, their encrypted clips, the sync outbox
 * and a few settings. Everything the kiosk must never lose lives here, so this is the only module
 * that knows table names and indexes; the vault and the sync agent go through it.
 */

export const DB_NAME = 'lane-evidence';

export type SyncState = 'pending' | 'synced';
export type UploadState = 'pending' | 'uploading' | 'uploaded';

export interface RecordRow {
  txn: string;
  lane: string;
  /** ISO time the record was sealed; ISO strings of one clock sort in time order. */
  recordedAt: string;
  flagged: boolean;
  /** 'synced' only once the server confirmed the record AND its clip (when there is one). */
  syncState: SyncState;
  /** Epoch ms of that confirmation: the 72 h retention clock starts here. */
  syncedAt?: number;
  /** Epoch ms the server confirmed the record JSON; its clip may still be uploading. */
  recordStoredAt?: number;
  clipId?: string;
  /** Why the transaction has no clip although one was recorded (storage full, not enrolled...). */
  clipDropped?: string;
  record: OrderVideoRecord;
}

export interface ClipRow {
  clipId: string;
  txn: string;
  /** The ENCRYPTED clip (LCC1 format); the plaintext is never written anywhere. */
  bytes: Blob | ArrayBuffer;
  size: number;
  sha256: string;
  mime: string;
  startMs: number;
  endMs: number;
  wrappedKey: string;
  keyId: string;
  uploadState: UploadState;
  /** tus upload URL, saved as soon as the server created the upload so a reload resumes it. */
  uploadUrl?: string;
}

/**
 * One checkpoint of a transaction that was still open when it was written (schema version 2):
 * insurance against a killed browser, replaced by the final clip when the transaction ends.
 */
export interface PieceRow {
  id?: number;
  txn: string;
  lane: string;
  /** The recorder's 1, 2, 3 ...; restarts after a reload, so rows are ordered by startMs. */
  seq: number;
  /** The piece ENCRYPTED (LCC1) under its transaction's piece key; never the plaintext. */
  bytes: Blob | ArrayBuffer;
  size: number;
  mime: string;
  /** Epoch ms. */
  startMs: number;
  endMs: number;
  faceBlur: boolean;
  frames: number;
  storedAt: number;
}

/**
 * The AES-GCM key a transaction's pieces are encrypted with (non-extractable CryptoKey). Unlike a
 * clip key it stays on the kiosk, because joining pieces after a crash means decrypting them here;
 * it is deleted with the pieces once the transaction's sealed clip is stored.
 */
export interface PieceKeyRow {
  txn: string;
  key: CryptoKey;
  createdAt: number;
}

export type OutboxKind = 'record' | 'clip';

export interface OutboxRow {
  id?: number;
  kind: OutboxKind;
  /** txn for a record, clipId for a clip. */
  ref: string;
  attempts: number;
  /** Epoch ms; FAILED_AT_NEVER while the item waits for a person (see failedAt). */
  nextAttemptAt: number;
  lastError?: string;
  /** Set when the server refused the item for good (a 4xx); kept, shown, retried only by hand. */
  failedAt?: number;
}

/** nextAttemptAt of a failed item: far enough that "due" queries never pick it up. */
export const FAILED_AT_NEVER = Number.MAX_SAFE_INTEGER;

export interface DeviceMeta {
  deviceId: string;
  lane: string;
  token: string;
  enrolledAt: string;
}

export interface ServerKeyMeta {
  keyId: string;
  jwk: JsonWebKey;
  fetchedAt: string;
}

export interface SyncMeta {
  lastSuccessAt?: number;
  lastError?: string;
  lastErrorAt?: number;
}

export interface PersistMeta {
  persisted: boolean;
  askedAt: number;
  error?: string;
}

/** Every meta key and the shape of its value, so reads and writes stay typed. */
export interface MetaValues {
  device: DeviceMeta;
  serverKey: ServerKeyMeta;
  sync: SyncMeta;
  persist: PersistMeta;
}
export type MetaKey = keyof MetaValues;

export interface MetaRow<K extends MetaKey = MetaKey> {
  key: K;
  value: MetaValues[K];
}

/**
 * Schema history. Each entry is one Dexie version and lists ONLY the tables it adds or whose indexes
 * it changes (Dexie carries the rest forward; `null` deletes a table). Entries are never edited once
 * shipped: a kiosk may open the database with any older version on disk. To add a store in version 2:
 *
 *   { version: 2, stores: { alerts: '++id, at' }, upgrade: async (tx) => { ...fill it from tx.table('records') } }
 *
 * and add the typed `declare alerts: Table<...>` below. An upgrade runs inside the versionchange
 * transaction: if it throws, the database stays at the old version with its data untouched.
 * Going back (an older app after a rollback) also works: Dexie 4 opens a newer database at its
 * installed version instead of failing with VersionError, so new fields must stay optional.
 */
export interface SchemaVersion {
  version: number;
  stores: Record<string, string | null>;
  upgrade?: (tx: Transaction) => Promise<void>;
}

export const SCHEMA: readonly SchemaVersion[] = [
  {
    version: 1,
    stores: {
      records: 'txn, syncState, recordedAt',
      clips: 'clipId, txn, uploadState',
      outbox: '++id, [kind+ref], nextAttemptAt',
      meta: 'key',
    },
  },
  // Checkpoints of open transactions; both stores start empty, so no upgrade function.
  { version: 2, stores: { pieces: '++id, txn', pieceKeys: 'txn' } },
];

export const SCHEMA_VERSION = SCHEMA[SCHEMA.length - 1]?.version ?? 1;

export class KioskDb extends Dexie {
  declare records: Table<RecordRow, string>;
  declare clips: Table<ClipRow, string>;
  declare outbox: Table<OutboxRow, number>;
  declare meta: Table<MetaRow, MetaKey>;
  declare pieces: Table<PieceRow, number>;
  declare pieceKeys: Table<PieceKeyRow, string>;

  /** `schema` is only overridden by tests that exercise a future migration. */
  constructor(name = DB_NAME, options: DexieOptions = {}, schema: readonly SchemaVersion[] = SCHEMA) {
    // 'strict' makes Chrome flush to disk before a transaction reports complete, so a saved record
    // survives a power cut right after saveEvidence resolved (Chrome's default is 'relaxed').
    super(name, { chromeTransactionDurability: 'strict', ...options });
    for (const v of schema) {
      const version = this.version(v.version).stores(v.stores);
      if (v.upgrade) version.upgrade(v.upgrade);
    }
  }

  async getMeta<K extends MetaKey>(key: K): Promise<MetaValues[K] | undefined> {
    const row = (await this.meta.get(key)) as MetaRow<K> | undefined;
    return row?.value;
  }

  async setMeta<K extends MetaKey>(key: K, value: MetaValues[K]): Promise<void> {
    await this.meta.put({ key, value } as MetaRow);
  }
}

export class StorageOpenError extends Error {
  override name = 'StorageOpenError';
  constructor(
    message: string,
    readonly reason: 'unavailable' | 'newer-version' | 'upgrade-failed' | 'quota' | 'other',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Turns Dexie/IndexedDB open failures into messages an installer can act on. */
export function describeOpenError(err: unknown): StorageOpenError {
  const e = err as { name?: string; message?: string; inner?: { name?: string; message?: string } };
  const name = e.inner?.name ?? e.name ?? '';
  const detail = e.inner?.message ?? e.message ?? String(err);
  const cause = { cause: err };
  switch (name) {
    case 'MissingAPIError':
      return new StorageOpenError(
        'IndexedDB is not available in this browser (private window, disabled site data, or an old ' +
          'browser): order video evidence cannot be stored on this kiosk.',
        'unavailable',
        cause,
      );
    case 'InvalidStateError':
    case 'SecurityError':
      return new StorageOpenError(
        `The browser refused access to IndexedDB (${detail}); check that site data is allowed for this origin.`,
        'unavailable',
        cause,
      );
    case 'VersionError':
      return new StorageOpenError(
        `The evidence database on this kiosk was written by a newer app version than this one ` +
          `(expects ${SCHEMA_VERSION}). Nothing was deleted: update the kiosk app rather than ` +
          `clearing site data.`,
        'newer-version',
        cause,
      );
    case 'UpgradeError':
      return new StorageOpenError(
        `Upgrading the evidence database failed (${detail}); it was left at its previous version.`,
        'upgrade-failed',
        cause,
      );
    case 'QuotaExceededError':
      return new StorageOpenError(
        'The browser has no storage quota left for this site: the evidence database cannot open.',
        'quota',
        cause,
      );
    default:
      return new StorageOpenError(`Could not open the evidence database: ${detail}`, 'other', cause);
  }
}

/** Opens (and if needed upgrades) the database; rejects with a StorageOpenError. */
export async function openKioskDb(name = DB_NAME, options: DexieOptions = {}): Promise<KioskDb> {
  const db = new KioskDb(name, options);
  try {
    await db.open();
  } catch (err) {
    db.close();
    throw describeOpenError(err);
  }
  return db;
}
