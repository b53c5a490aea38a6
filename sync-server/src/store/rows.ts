import type { OrderVideoRecord } from '../../../src/core/evidence/record.ts';
import type { AuditEntry, Principal, Role, StoredRecord } from './evidenceStore.ts';
import { StoreInputError } from './storeErrors.ts';

/**
 * Row shapes and their conversion to the interface's types. The two backends differ in what they
 * return: pg gives bigint as a string, PGlite as a number; both give timestamptz as a Date. The
 * helpers accept either, so SqlEvidenceStore does not care which backend it runs on.
 */
export interface PrincipalRow {
  id: string;
  kind: Principal['kind'];
  role: Role;
  lane: string | null;
  name: string;
}

export interface RecordRow {
  txn: string;
  lane: string;
  recorded_at: Date | string;
  flagged: boolean;
  hold: boolean;
  resolved_at: Date | string | null;
  received_at: Date | string;
  clip_sha256: string | null;
  clip_bytes: number | string | null;
  record: OrderVideoRecord;
}

export interface AuditRow {
  seq: number | string;
  at: Date | string;
  actor: string;
  action: string;
  target: string;
  detail: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export function toIso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

/** Normalises a caller's timestamp to the form the database gives back, or throws. */
export function isoOrThrow(value: string, field: string): string {
  const ms = Date.parse(value);
  if (typeof value !== 'string' || Number.isNaN(ms))
    throw new StoreInputError(`${field} must be an ISO-8601 time`);
  return new Date(ms).toISOString();
}

export function toPrincipal(row: PrincipalRow): Principal {
  const p: Principal = { id: row.id, kind: row.kind, role: row.role, name: row.name };
  if (row.lane !== null) p.lane = row.lane;
  return p;
}

export function toStoredRecord(row: RecordRow): StoredRecord {
  const stored: StoredRecord = { record: row.record, receivedAt: toIso(row.received_at), hold: row.hold };
  if (row.resolved_at !== null) stored.resolvedAt = toIso(row.resolved_at);
  if (row.clip_sha256 !== null) stored.clipSha256 = row.clip_sha256;
  if (row.clip_bytes !== null) stored.clipBytes = Number(row.clip_bytes);
  return stored;
}

export function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    seq: Number(row.seq),
    at: toIso(row.at),
    actor: row.actor,
    action: row.action,
    target: row.target,
    detail: row.detail,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
