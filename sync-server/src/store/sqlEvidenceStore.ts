import type { OrderVideoRecord } from '../../../src/core/evidence/record.ts';
import type { LaneZones } from '../../../src/core/lane/zones.ts';
import { auditHash, canonicalJson, GENESIS_HASH } from './auditChain.ts';
import { sqlState, UNIQUE_VIOLATION, type Db } from './db.ts';
import type {
  AuditEntry,
  EvidenceStore,
  Principal,
  RecordCursor,
  Role,
  StoredLaneZones,
  StoredRecord,
} from './evidenceStore.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { RECORD_COLUMNS, upsertRecord } from './recordUpsert.ts';
import {
  isoOrThrow,
  toAuditEntry,
  toIso,
  toPrincipal,
  toStoredRecord,
  type AuditRow,
  type PrincipalRow,
  type RecordRow,
} from './rows.ts';
import { StoreConflictError, StoreInputError, StoreNotFoundError } from './storeErrors.ts';

/** Arbitrary, fixed key for pg_advisory_xact_lock: one audit append at a time, across processes. */
const AUDIT_LOCK = 7_310_002;
const SHA256_HEX = /^[0-9a-f]{64}$/;
/**
 * Deletable by retention: not held, and not flagged unless resolved. Must match the predicate of
 * records_retention_idx (migrations/001_init.sql) word for word, or the index is not used.
 */
const DELETABLE = 'NOT hold AND (NOT flagged OR resolved_at IS NOT NULL)';
const KEPT = 'hold OR (flagged AND resolved_at IS NULL)';

function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 0) throw new StoreInputError('limit must be a whole number ≥ 0');
  return limit;
}

/**
 * The one EvidenceStore implementation, over the small Db interface, so PGlite and PostgreSQL behave
 * the same (the contract test runs the same cases on both). Timestamps are normalised to
 * `Date.toISOString()` on the way in, which is also how they come back.
 */
export class SqlEvidenceStore implements EvidenceStore {
  constructor(readonly db: Db) {}

  async migrate(): Promise<void> {
    await migrate(this.db, await loadMigrations());
  }

  close(): Promise<void> {
    return this.db.close();
  }

  // --- Principals ---

  async createPrincipal(p: Principal, tokenHash: string): Promise<void> {
    if (!SHA256_HEX.test(tokenHash)) throw new StoreInputError('tokenHash must be a SHA-256 hex digest');
    try {
      await this.db.query(
        'INSERT INTO principals (id, kind, role, lane, name, token_hash) VALUES ($1, $2, $3, $4, $5, $6)',
        [p.id, p.kind, p.role, p.lane ?? null, p.name, tokenHash],
      );
    } catch (err) {
      if (sqlState(err) === UNIQUE_VIOLATION)
        throw new StoreConflictError('principal id or token already exists');
      throw err;
    }
  }

  async findPrincipalByTokenHash(tokenHash: string): Promise<Principal | null> {
    const { rows } = await this.db.query<PrincipalRow>(
      'SELECT id, kind, role, lane, name FROM principals WHERE token_hash = $1',
      [tokenHash],
    );
    return rows[0] ? toPrincipal(rows[0]) : null;
  }

  async setRole(principalId: string, role: Role): Promise<void> {
    const { rows } = await this.db.query('UPDATE principals SET role = $2 WHERE id = $1 RETURNING id', [
      principalId,
      role,
    ]);
    if (rows.length === 0) throw new StoreNotFoundError(`no principal ${principalId}`);
  }

  async listPrincipals(): Promise<Principal[]> {
    const { rows } = await this.db.query<PrincipalRow>(
      'SELECT id, kind, role, lane, name FROM principals ORDER BY created_at, id',
    );
    return rows.map(toPrincipal);
  }

  // --- Enrolment codes ---

  async createEnrolmentCode(codeHash: string, lane: string, expiresAt: string): Promise<void> {
    try {
      await this.db.query('INSERT INTO enrolment_codes (code_hash, lane, expires_at) VALUES ($1, $2, $3)', [
        codeHash,
        lane,
        isoOrThrow(expiresAt, 'expiresAt'),
      ]);
    } catch (err) {
      if (sqlState(err) === UNIQUE_VIOLATION) throw new StoreConflictError('enrolment code already exists');
      throw err;
    }
  }

  async consumeEnrolmentCode(codeHash: string, nowIso: string): Promise<string | null> {
    // One statement, so two kiosks racing with the same code cannot both win.
    const { rows } = await this.db.query<{ lane: string }>(
      `UPDATE enrolment_codes SET used_at = $2
       WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING lane`,
      [codeHash, isoOrThrow(nowIso, 'now')],
    );
    return rows[0]?.lane ?? null;
  }

  // --- Records ---

  upsertRecord(record: OrderVideoRecord, receivedAt: string): Promise<'stored' | 'unchanged'> {
    return upsertRecord(this.db, record, receivedAt);
  }

  async getRecord(txn: string): Promise<StoredRecord | null> {
    const { rows } = await this.db.query<RecordRow>(`SELECT ${RECORD_COLUMNS} FROM records WHERE txn = $1`, [
      txn,
    ]);
    return rows[0] ? toStoredRecord(rows[0]) : null;
  }

  /** Newest order first; `since` keeps orders that started at or after it. */
  async listRecords(q: { lane?: string; since?: string; limit: number }): Promise<StoredRecord[]> {
    const since = q.since === undefined ? null : isoOrThrow(q.since, 'since');
    const { rows } = await this.db.query<RecordRow>(
      `SELECT ${RECORD_COLUMNS} FROM records
       WHERE ($1::text IS NULL OR lane = $1) AND ($2::timestamptz IS NULL OR started_at >= $2)
       ORDER BY started_at DESC, txn DESC LIMIT $3`,
      [q.lane ?? null, since, checkLimit(q.limit)],
    );
    return rows.map(toStoredRecord);
  }

  async attachClip(txn: string, sha256: string, bytes: number): Promise<void> {
    if (!SHA256_HEX.test(sha256)) throw new StoreInputError('sha256 must be lowercase hex');
    if (!Number.isSafeInteger(bytes) || bytes < 0)
      throw new StoreInputError('bytes must be a whole number ≥ 0');
    const { rows } = await this.db.query<{ declared: string | null }>(
      `UPDATE records SET clip_sha256 = $2, clip_bytes = $3
       WHERE txn = $1 AND (record->'clip'->>'sha256' IS NULL OR record->'clip'->>'sha256' = $2)
       RETURNING txn`,
      [txn, sha256, bytes],
    );
    if (rows.length > 0) return;
    if (await this.getRecord(txn))
      throw new StoreConflictError(`the clip does not match record ${txn}'s sha256`);
    throw new StoreNotFoundError(`no record ${txn}`);
  }

  async setHold(txn: string, hold: boolean, resolvedAt?: string): Promise<void> {
    const resolved = resolvedAt === undefined ? null : isoOrThrow(resolvedAt, 'resolvedAt');
    const { rows } = await this.db.query(
      'UPDATE records SET hold = $2, resolved_at = COALESCE($3, resolved_at) WHERE txn = $1 RETURNING txn',
      [txn, hold, resolved],
    );
    if (rows.length === 0) throw new StoreNotFoundError(`no record ${txn}`);
  }

  /** Oldest first by first arrival (received_at); see docs/storage.md for why not the order's time. */
  async expiredRecords(beforeIso: string, limit: number, after?: RecordCursor): Promise<StoredRecord[]> {
    const { rows } = await this.db.query<RecordRow>(
      `SELECT ${RECORD_COLUMNS} FROM records WHERE received_at < $1 AND ${DELETABLE}
         AND ($3::timestamptz IS NULL OR (received_at, txn) > ($3::timestamptz, $4::text))
       ORDER BY received_at, txn LIMIT $2`,
      [
        isoOrThrow(beforeIso, 'before'),
        checkLimit(limit),
        after ? isoOrThrow(after.receivedAt, 'after.receivedAt') : null,
        after?.txn ?? null,
      ],
    );
    return rows.map(toStoredRecord);
  }

  /** Records past `beforeIso` that retention keeps because they are held or flagged-unresolved. */
  async countKept(beforeIso: string): Promise<number> {
    const { rows } = await this.db.query<{ n: number | string }>(
      `SELECT count(*) AS n FROM records WHERE received_at < $1 AND (${KEPT})`,
      [isoOrThrow(beforeIso, 'before')],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Whether any record still points at this clip file, so its blob must stay. */
  async isClipReferenced(sha256: string): Promise<boolean> {
    const { rows } = await this.db.query('SELECT 1 FROM records WHERE clip_sha256 = $1 LIMIT 1', [sha256]);
    return rows.length > 0;
  }

  async deleteRecord(txn: string): Promise<void> {
    await this.db.query('DELETE FROM records WHERE txn = $1', [txn]);
  }

  // --- Audit ---

  async appendAudit(entry: Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>): Promise<AuditEntry> {
    const at = isoOrThrow(entry.at, 'at');
    for (const field of ['actor', 'action', 'target'] as const) {
      if (typeof entry[field] !== 'string') throw new StoreInputError(`${field} must be a string`);
    }
    // Round-trip through JSON so the hashed detail is exactly what jsonb will give back.
    const detail = JSON.parse(canonicalJson(entry.detail ?? {})) as Record<string, unknown>;
    if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) {
      throw new StoreInputError('detail must be an object');
    }
    return this.db.transaction(async (tx) => {
      // An advisory lock rather than SELECT ... FOR UPDATE: it also serialises the very first append,
      // when there is no row to lock. PGlite runs one transaction at a time anyway.
      await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK]);
      const last = await tx.query<{ seq: number | string; hash: string }>(
        'SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1',
      );
      const seq = last.rows[0] ? Number(last.rows[0].seq) + 1 : 1;
      const prevHash = last.rows[0]?.hash ?? GENESIS_HASH;
      const content = { seq, at, actor: entry.actor, action: entry.action, target: entry.target, detail };
      const hash = auditHash(prevHash, content);
      await tx.query(
        `INSERT INTO audit (seq, at, actor, action, target, detail, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)`,
        [seq, at, entry.actor, entry.action, entry.target, JSON.stringify(detail), prevHash, hash],
      );
      return { ...content, prevHash, hash };
    });
  }

  /** Entries after `sinceSeq` (exclusive), in order. */
  async listAudit(q: { sinceSeq?: number; limit: number }): Promise<AuditEntry[]> {
    const { rows } = await this.db.query<AuditRow>(
      'SELECT seq, at, actor, action, target, detail, prev_hash, hash FROM audit WHERE seq > $1 ORDER BY seq LIMIT $2',
      [q.sinceSeq ?? 0, checkLimit(q.limit)],
    );
    return rows.map(toAuditEntry);
  }

  // --- Lane calibration ---

  async putLaneZones(lane: string, zones: LaneZones, updatedBy: string, storedAt: string): Promise<void> {
    await this.db.query(
      `INSERT INTO lane_zones (lane, zones, updated_by, stored_at) VALUES ($1, $2::jsonb, $3, $4)
       ON CONFLICT (lane) DO UPDATE SET zones = EXCLUDED.zones, updated_by = EXCLUDED.updated_by,
         stored_at = EXCLUDED.stored_at`,
      [lane, JSON.stringify(zones), updatedBy, isoOrThrow(storedAt, 'storedAt')],
    );
  }

  async getLaneZones(lane: string): Promise<StoredLaneZones | null> {
    const { rows } = await this.db.query<{
      lane: string;
      zones: LaneZones;
      updated_by: string;
      stored_at: Date | string;
    }>('SELECT lane, zones, updated_by, stored_at FROM lane_zones WHERE lane = $1', [lane]);
    const row = rows[0];
    return row
      ? { lane: row.lane, zones: row.zones, updatedBy: row.updated_by, storedAt: toIso(row.stored_at) }
      : null;
  }
}
