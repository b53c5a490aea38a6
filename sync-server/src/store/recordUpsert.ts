import type { OrderVideoRecord } from '../../../src/core/evidence/record.ts';
import type { Db, Queryable } from './db.ts';
import { assertNoClearPersonalData } from './personalData.ts';
import { isoOrThrow, type RecordRow } from './rows.ts';
import { StoreConflictError, StoreInputError } from './storeErrors.ts';

/**
 * Storing a kiosk's record: idempotent per (txn, recordedAt), a newer recordedAt replaces (the kiosk
 * re-seals a record after a late answer), and nothing with a clear member/payment reference gets in.
 */
export const RECORD_COLUMNS =
  'txn, lane, recorded_at, flagged, hold, resolved_at, received_at, clip_sha256, clip_bytes, record';

interface RecordTimes {
  received: string;
  recorded: string;
  started: string;
  ended: string | null;
}

export async function upsertRecord(
  db: Db,
  record: OrderVideoRecord,
  receivedAt: string,
): Promise<'stored' | 'unchanged'> {
  assertNoClearPersonalData(record);
  if (typeof record.txn !== 'string' || typeof record.lane !== 'string' || !record.txn || !record.lane) {
    throw new StoreInputError('record needs a lane and a txn');
  }
  // Normalised here because PostgreSQL would read a time without a zone in the session's zone.
  const times: RecordTimes = {
    received: isoOrThrow(receivedAt, 'receivedAt'),
    recorded: isoOrThrow(record.recordedAt, 'record.recordedAt'),
    started: isoOrThrow(record.startedAt, 'record.startedAt'),
    ended: record.endedAt === undefined ? null : isoOrThrow(record.endedAt, 'record.endedAt'),
  };
  return db.transaction(async (tx) => {
    const inserted = await tx.query(
      `INSERT INTO records (txn, lane, recorded_at, started_at, ended_at, flagged, received_at, record)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb) ON CONFLICT (txn) DO NOTHING RETURNING txn`,
      [
        record.txn,
        record.lane,
        times.recorded,
        times.started,
        times.ended,
        record.flagged === true,
        times.received,
        JSON.stringify(record),
      ],
    );
    if (inserted.rows.length > 0) return 'stored';
    return replaceIfNewer(tx, record, times);
  });
}

/** A kiosk may re-seal a record (e.g. after a late answer): the newer recordedAt wins. */
async function replaceIfNewer(
  tx: Queryable,
  record: OrderVideoRecord,
  times: RecordTimes,
): Promise<'stored' | 'unchanged'> {
  const { rows } = await tx.query<RecordRow>(
    `SELECT ${RECORD_COLUMNS} FROM records WHERE txn = $1 FOR UPDATE`,
    [record.txn],
  );
  const old = rows[0];
  if (!old) throw new StoreConflictError(`record ${record.txn} vanished while being replaced`);
  if (old.lane !== record.lane) {
    throw new StoreConflictError(`txn ${record.txn} is already stored for another lane`);
  }
  if (Date.parse(times.recorded) <= new Date(old.recorded_at).getTime()) return 'unchanged';
  // A flag only a reviewer can clear: a re-sealed record cannot unflag itself. A newly raised flag
  // starts unresolved.
  const flagged = old.flagged || record.flagged === true;
  const resolvedAt = old.flagged ? old.resolved_at : null;
  // The attached clip stays only if the new record still names it.
  const keepClip = old.clip_sha256 !== null && record.clip?.sha256 === old.clip_sha256;
  await tx.query(
    `UPDATE records SET recorded_at = $2, started_at = $3, ended_at = $4, flagged = $5, resolved_at = $6,
       clip_sha256 = $7, clip_bytes = $8, record = $9::jsonb
     WHERE txn = $1`,
    [
      record.txn,
      times.recorded,
      times.started,
      times.ended,
      flagged,
      resolvedAt,
      keepClip ? old.clip_sha256 : null,
      keepClip ? old.clip_bytes : null,
      JSON.stringify({ ...record, flagged }),
    ],
  );
  return 'stored';
}
