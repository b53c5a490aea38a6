import type { OrderVideoRecord } from '../../../src/core/evidence/record.ts';
import type { LaneZones } from '../../../src/core/lane/zones.ts';

/**
 * Everything the store server keeps, behind one interface with two implementations: the embedded
 * default (PGlite in DATA_DIR, used by `npm start`) and PostgreSQL for chains (DATABASE_URL).
 * Clip bytes are not in the database: they live in a content-addressed file store (BlobStore).
 */
export type Role = 'admin' | 'lossPrevention' | 'guide' | 'device';

export interface Principal {
  id: string;
  kind: 'user' | 'device';
  role: Role;
  /** Devices are bound to one lane. */
  lane?: string;
  name: string;
}

export interface StoredRecord {
  record: OrderVideoRecord;
  receivedAt: string;
  /** Set while a reviewer holds the evidence; retention never deletes held or flagged-unresolved items. */
  hold: boolean;
  resolvedAt?: string;
  /** sha256 of the clip file once the upload completed and verified. */
  clipSha256?: string;
  clipBytes?: number;
}

/** A position in expiredRecords' order (received_at, txn), for paging. */
export interface RecordCursor {
  receivedAt: string;
  txn: string;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  detail: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** A lane's current calibration, as stored (migrations/002_lane_zones.sql). */
export interface StoredLaneZones {
  lane: string;
  zones: LaneZones;
  /** Principal id that stored it (device or user); never a person's name. */
  updatedBy: string;
  /** When the server stored it (the document's updatedAt is when it was drawn). */
  storedAt: string;
}

export interface EvidenceStore {
  migrate(): Promise<void>;
  close(): Promise<void>;

  // Principals. Tokens are stored only as SHA-256 hashes.
  createPrincipal(p: Principal, tokenHash: string): Promise<void>;
  findPrincipalByTokenHash(tokenHash: string): Promise<Principal | null>;
  setRole(principalId: string, role: Role): Promise<void>;
  listPrincipals(): Promise<Principal[]>;

  // One-time enrolment codes, stored as hashes.
  createEnrolmentCode(codeHash: string, lane: string, expiresAt: string): Promise<void>;
  /** Atomically consumes a code; returns its lane, or null if unknown, used or expired. */
  consumeEnrolmentCode(codeHash: string, nowIso: string): Promise<string | null>;

  // Order video records. Upsert is idempotent: the same (lane, txn, recordedAt) is a no-op, an older
  // recordedAt too; a newer one replaces the record (a kiosk re-seals after a late answer). Throws
  // ClearPersonalDataError for a clear member/payment reference, StoreConflictError for a txn stored
  // for another lane (storeErrors.ts).
  upsertRecord(record: OrderVideoRecord, receivedAt: string): Promise<'stored' | 'unchanged'>;
  getRecord(txn: string): Promise<StoredRecord | null>;
  listRecords(q: { lane?: string; since?: string; limit: number }): Promise<StoredRecord[]>;
  attachClip(txn: string, sha256: string, bytes: number): Promise<void>;
  setHold(txn: string, hold: boolean, resolvedAt?: string): Promise<void>;
  /**
   * Records whose retention has run out: first received before `before`, not held, not
   * flagged-unresolved; oldest first. `after` continues from the last record of a previous page.
   */
  expiredRecords(beforeIso: string, limit: number, after?: RecordCursor): Promise<StoredRecord[]>;
  /** How many records received before `before` are kept because held or flagged-unresolved. */
  countKept(beforeIso: string): Promise<number>;
  /** Whether any record still references this clip (so its blob must stay). */
  isClipReferenced(sha256: string): Promise<boolean>;
  deleteRecord(txn: string): Promise<void>;

  // Append-only, hash-chained audit log (auditChain.ts: verifyAuditChain, verifyStoredAuditChain).
  appendAudit(entry: Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>): Promise<AuditEntry>;
  /** Entries with seq > sinceSeq, in seq order. */
  listAudit(q: { sinceSeq?: number; limit: number }): Promise<AuditEntry[]>;

  // Lane calibration: one current, already validated (zoneValidation.ts) document per lane.
  putLaneZones(lane: string, zones: LaneZones, updatedBy: string, storedAt: string): Promise<void>;
  getLaneZones(lane: string): Promise<StoredLaneZones | null>;
}

export interface BlobStore {
  /** Stores a finished file under its SHA-256; returns the hash. Idempotent. */
  putFile(tempPath: string, sha256: string): Promise<void>;
  path(sha256: string): string;
  has(sha256: string): Promise<boolean>;
  remove(sha256: string): Promise<void>;
  /** Every stored hash, for backups. */
  list(): AsyncIterable<string>;
  usage(): Promise<{ files: number; bytes: number }>;
}
