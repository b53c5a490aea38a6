import {
  DEFAULT_KIOSK_RETENTION,
  planKioskRetention,
  type KioskEvidenceItem,
  type KioskRetentionConfig,
  type KioskRetentionPlan,
} from '../core/retention/kioskRetention.ts';
import type { KioskDb, RecordRow } from './db.ts';

/**
 * Applies the kiosk retention rule (src/core/retention/kioskRetention.ts) to IndexedDB. The rule
 * decides; this module only reads the facts it needs and carries out its plan:
 * - 'synced-expired' and 'emergency-synced': the server holds record and clip, so both go;
 * - 'emergency-unsynced': only the clip goes (the space is there); the record, a few KB of order
 *   data, stays and still syncs, so the server learns the transaction happened without a video.
 */

/** One retention item per record; its bytes are the clip it holds on the kiosk. */
export async function collectRetentionItems(db: KioskDb): Promise<KioskEvidenceItem[]> {
  const sizes = new Map<string, number>();
  await db.clips.each((c) => sizes.set(c.clipId, c.size));
  const items: KioskEvidenceItem[] = [];
  await db.records.each((r) => {
    const item: KioskEvidenceItem = {
      id: r.txn,
      sealedAt: r.recordedAt,
      flagged: r.flagged,
      bytes: r.clipId === undefined ? 0 : (sizes.get(r.clipId) ?? 0),
    };
    if (r.syncState === 'synced' && r.syncedAt !== undefined)
      item.syncedAt = new Date(r.syncedAt).toISOString();
    items.push(item);
  });
  return items;
}

/** Carries out a plan in one transaction, so a crash leaves either the old state or the new one. */
export async function applyRetentionPlan(db: KioskDb, plan: KioskRetentionPlan, now: number): Promise<void> {
  if (plan.victims.length === 0) return;
  await db.transaction('rw', db.records, db.clips, db.outbox, async () => {
    for (const { id: txn, reason } of plan.victims) {
      const row = await db.records.get(txn);
      if (!row) continue;
      // Re-checked inside the transaction: the sync agent may have changed the row since the plan.
      if (reason === 'emergency-unsynced') {
        if (row.flagged || row.syncState === 'synced' || row.clipId === undefined) continue;
        await deleteClip(db, row.clipId);
        await db.records.put(withoutClip(row, 'dropped by the emergency storage rule (storage full)', now));
        continue;
      }
      if (row.syncState !== 'synced') continue;
      if (row.clipId !== undefined) await deleteClip(db, row.clipId);
      await db.outbox.where('[kind+ref]').equals(['record', txn]).delete();
      await db.records.delete(txn);
    }
  });
}

async function deleteClip(db: KioskDb, clipId: string): Promise<void> {
  await db.outbox.where('[kind+ref]').equals(['clip', clipId]).delete();
  await db.clips.delete(clipId);
}

/**
 * A record whose clip is gone. If the server has not seen the record yet it is sent without clip
 * metadata (the server must not wait for a clip that will never come); if it has, nothing is left to
 * send, so the record counts as synced and the routine rule removes it later.
 */
export function withoutClip(row: RecordRow, reason: string, now: number): RecordRow {
  const next: RecordRow = { ...row, clipDropped: reason };
  delete next.clipId;
  if (row.recordStoredAt === undefined) {
    const record = { ...row.record };
    delete record.clip;
    next.record = record;
  } else if (row.syncState !== 'synced') {
    next.syncState = 'synced';
    next.syncedAt = now;
  }
  return next;
}

/**
 * Plans and applies the rule. `freeBytes` is the room left (after the pending write); with the
 * default (Infinity) only the routine 72 h rule can apply, never the emergency one.
 */
export async function runRetention(
  db: KioskDb,
  now: number,
  freeBytes = Number.POSITIVE_INFINITY,
  config: KioskRetentionConfig = DEFAULT_KIOSK_RETENTION,
): Promise<KioskRetentionPlan> {
  const plan = planKioskRetention(await collectRetentionItems(db), new Date(now), freeBytes, config);
  await applyRetentionPlan(db, plan, now);
  return plan;
}
