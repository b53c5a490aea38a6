import { FAILED_AT_NEVER, type KioskDb, type OutboxKind, type OutboxRow } from '../storage/db.ts';
import { BACKOFF_CAP_MS, backoffDelay } from './backoff.ts';

/**
 * Outbox bookkeeping in IndexedDB. Every state change the server confirmed is written in one
 * transaction with the rows it concerns, so a reload never sees "outbox entry gone, record still
 * pending" or the reverse. An item leaves the outbox only after a 2xx for that very item.
 */

/** Due, not failed entries of one kind, oldest due first. */
export function dueEntries(db: KioskDb, kind: OutboxKind, now: number, limit: number): Promise<OutboxRow[]> {
  return db.outbox
    .where('nextAttemptAt')
    .belowOrEqual(now)
    .filter((e) => e.kind === kind && e.failedAt === undefined)
    .limit(limit)
    .toArray();
}

/** When the next queued (not failed) entry is due; undefined when the outbox is empty. */
export async function nextDueAt(db: KioskDb): Promise<number | undefined> {
  const first = await db.outbox.where('nextAttemptAt').below(FAILED_AT_NEVER).first();
  return first?.nextAttemptAt;
}

/** A transient failure: try again later, each item on its own growing delay. */
export async function retryLater(
  db: KioskDb,
  entries: readonly OutboxRow[],
  error: string,
  now: number,
  random: () => number,
  minDelayMs = 0,
): Promise<void> {
  await db.transaction('rw', db.outbox, async () => {
    for (const e of entries) {
      if (e.id === undefined) continue;
      const attempts = e.attempts + 1;
      await db.outbox.update(e.id, {
        attempts,
        nextAttemptAt: now + backoffDelay(attempts, random, minDelayMs),
        lastError: error,
      });
    }
  });
}

/** The server refused the item for good: keep it, show why, retry only when a person asks. */
export async function markFailed(db: KioskDb, entry: OutboxRow, error: string, now: number): Promise<void> {
  if (entry.id === undefined) return;
  await db.outbox.update(entry.id, {
    attempts: entry.attempts + 1,
    nextAttemptAt: FAILED_AT_NEVER,
    failedAt: now,
    lastError: error,
  });
}

/** Items waiting out a backoff become due now; with `includeFailed`, refused items too ("Sync now"). */
export async function requeueAll(db: KioskDb, now: number, includeFailed: boolean): Promise<number> {
  return db.outbox
    .where('nextAttemptAt')
    .above(now)
    .modify((e) => {
      if (e.failedAt !== undefined && !includeFailed) return;
      e.nextAttemptAt = now;
      delete e.failedAt;
    });
}

export function failedCount(db: KioskDb): Promise<number> {
  return db.outbox.where('nextAttemptAt').equals(FAILED_AT_NEVER).count();
}

/**
 * The server stored these records: each entry leaves the outbox, and its record is synced if its
 * clip is there too. `sentRecordedAt` is the version that was sent: a record re-sealed meanwhile
 * has a new outbox entry and stays pending until that newer version is confirmed too.
 */
export async function markRecordsStored(
  db: KioskDb,
  entries: readonly OutboxRow[],
  sentRecordedAt: ReadonlyMap<string, string>,
  now: number,
): Promise<void> {
  await db.transaction('rw', db.records, db.clips, db.outbox, async () => {
    for (const e of entries) {
      if (e.id !== undefined) await db.outbox.delete(e.id);
      const row = await db.records.get(e.ref);
      if (!row || row.recordedAt !== sentRecordedAt.get(e.ref)) continue;
      const clip = row.clipId === undefined ? undefined : await db.clips.get(row.clipId);
      const done = !clip || clip.uploadState === 'uploaded';
      await db.records.update(
        e.ref,
        done ? { recordStoredAt: now, syncState: 'synced', syncedAt: now } : { recordStoredAt: now },
      );
      if (!done && clip) {
        // The clip was held back until the server knew its record: let it go in this same run.
        await db.outbox
          .where('[kind+ref]')
          .equals(['clip', clip.clipId])
          .modify((c) => {
            if (c.attempts === 0 && c.failedAt === undefined)
              c.nextAttemptAt = Math.min(c.nextAttemptAt, now);
          });
      }
    }
  });
}

/** The server holds the whole clip: it leaves the outbox, and its record is synced if stored. */
export async function markClipUploaded(db: KioskDb, entry: OutboxRow, now: number): Promise<void> {
  await db.transaction('rw', db.records, db.clips, db.outbox, async () => {
    if (entry.id !== undefined) await db.outbox.delete(entry.id);
    const clip = await db.clips.get(entry.ref);
    if (!clip) return;
    await db.clips.update(clip.clipId, { uploadState: 'uploaded' });
    const row = await db.records.get(clip.txn);
    if (row?.recordStoredAt !== undefined && row.syncState !== 'synced') {
      await db.records.update(row.txn, { syncState: 'synced', syncedAt: now });
    }
  });
}

/** A clip whose record the server does not have yet waits; no attempt is used up. */
export async function deferClip(db: KioskDb, entry: OutboxRow, txn: string, now: number): Promise<void> {
  if (entry.id === undefined) return;
  const recordEntry = await db.outbox.where('[kind+ref]').equals(['record', txn]).first();
  const recordDue = recordEntry?.failedAt === undefined ? recordEntry?.nextAttemptAt : undefined;
  const at = Math.max(now + 1_000, Math.min(recordDue ?? now + BACKOFF_CAP_MS, now + BACKOFF_CAP_MS));
  await db.outbox.update(entry.id, { nextAttemptAt: at });
}

/** The server says it has no record for this txn: queue the record again (once) and forget it was stored. */
export async function requeueRecord(db: KioskDb, txn: string, now: number): Promise<void> {
  await db.transaction('rw', db.records, db.outbox, async () => {
    const row = await db.records.get(txn);
    if (!row) return;
    await db.records.update(txn, { recordStoredAt: undefined, syncState: 'pending', syncedAt: undefined });
    const queued = await db.outbox.where('[kind+ref]').equals(['record', txn]).count();
    if (queued === 0) await db.outbox.add({ kind: 'record', ref: txn, attempts: 0, nextAttemptAt: now });
  });
}
