import {
  checkServerRetention,
  emergencyNeeded,
  emergencyShortfallAlert,
  pickEmergencyVictims,
  retentionCutoff,
  type RetentionItem,
  type ServerRetentionConfig,
} from '../../../src/core/retention/serverRetention.ts';
import type { BlobStore, EvidenceStore, RecordCursor, StoredRecord } from './evidenceStore.ts';

/**
 * Applies the server retention rules (src/core/retention/serverRetention.ts): deletes records whose
 * retention ran out, then, if the disk is low, the emergency rule. Each deletion removes the record,
 * then its clip file (unless another record still names it), then appends an audit entry with actor
 * 'retention'. Held and flagged-unresolved records are never read as candidates at all.
 */
// A type alias, not an interface, so it fits EvidenceServices' loose `{ [field: string]: unknown }`.
export type RetentionReport = {
  cutoffIso: string;
  /** Records deleted by this run (expired + emergency). */
  deleted: number;
  /** Records past the cutoff kept because they are held or flagged-unresolved. */
  kept: number;
  /** True when the low-disk emergency rule ran. */
  emergency: boolean;
  emergencyDeleted: number;
  /** Emergency deletions of records younger than the retention period (a 7.1.6 breach to report). */
  deletedWithinRetention: number;
  lowDisk: boolean;
  freeBytesBefore: number;
  freedBytes: number;
  /** Clip files that could not be removed (left behind; the records are gone). */
  errors: string[];
  alert?: string;
};

const BATCH = 200;
/** "Received before the end of time": every deletable record, for the emergency rule. */
const END_OF_TIME = '9999-12-31T23:59:59.999Z';

export async function runRetention(
  store: EvidenceStore,
  blobs: BlobStore,
  config: Partial<ServerRetentionConfig>,
  now: Date,
  freeBytes: () => Promise<number>,
): Promise<RetentionReport> {
  const rules = checkServerRetention(config);
  const { cutoffIso } = retentionCutoff(now, rules);
  const report: RetentionReport = {
    cutoffIso,
    deleted: 0,
    kept: 0,
    emergency: false,
    emergencyDeleted: 0,
    deletedWithinRetention: 0,
    lowDisk: false,
    freeBytesBefore: 0,
    freedBytes: 0,
    errors: [],
  };

  const remove = async (stored: StoredRecord, reason: 'expired' | 'emergency') => {
    const { record } = stored;
    await store.deleteRecord(record.txn);
    const clips = new Set([stored.clipSha256, record.clip?.sha256].filter((h): h is string => !!h));
    for (const sha256 of clips) {
      if (await store.isClipReferenced(sha256)) continue;
      await blobs.remove(sha256).catch((err: Error) => report.errors.push(`${sha256}: ${err.message}`));
    }
    await store.appendAudit({
      at: now.toISOString(),
      actor: 'retention',
      action: 'record.delete',
      target: record.txn,
      detail: {
        reason,
        lane: record.lane,
        startedAt: record.startedAt,
        receivedAt: stored.receivedAt,
        clipSha256: stored.clipSha256 ?? null,
        clipBytes: stored.clipBytes ?? 0,
        cutoff: cutoffIso,
      },
    });
    report.deleted++;
    report.freedBytes += stored.clipBytes ?? 0;
  };

  // Expired records: every page is deleted, so the next page starts again from the oldest.
  for (;;) {
    const page = await store.expiredRecords(cutoffIso, BATCH);
    for (const stored of page) await remove(stored, 'expired');
    if (page.length < BATCH) break;
  }
  report.kept = await store.countKept(cutoffIso);

  const free = await freeBytes();
  report.freeBytesBefore = free;
  report.lowDisk = emergencyNeeded(free + report.freedBytes, rules);
  if (report.lowDisk) await runEmergency(store, rules, now, free + report.freedBytes, report, remove);
  if (report.alert) {
    await store.appendAudit({
      at: now.toISOString(),
      actor: 'retention',
      action: 'retention.alert',
      target: 'storage',
      detail: { alert: report.alert, freeBytesBefore: free, freedBytes: report.freedBytes },
    });
  }
  return report;
}

async function runEmergency(
  store: EvidenceStore,
  rules: ServerRetentionConfig,
  now: Date,
  freeAtStart: number,
  report: RetentionReport,
  remove: (stored: StoredRecord, reason: 'emergency') => Promise<void>,
): Promise<void> {
  report.emergency = true;
  let free = freeAtStart;
  let freed = 0;
  let cursor: RecordCursor | undefined;
  // Page through every deletable record, oldest first, until the target is free. The cursor moves
  // past records the rule skips (no clip), which stay in the table.
  while (free < rules.emergencyTargetFreeBytes) {
    const page = await store.expiredRecords(END_OF_TIME, BATCH, cursor);
    const last = page.at(-1);
    if (!last) break;
    cursor = { receivedAt: last.receivedAt, txn: last.record.txn };
    const byTxn = new Map(page.map((s) => [s.record.txn, s]));
    const items: RetentionItem[] = page.map((s) => ({
      txn: s.record.txn,
      keptFrom: s.receivedAt,
      bytes: s.clipBytes ?? 0,
      flagged: s.record.flagged,
      resolved: s.resolvedAt !== undefined,
      hold: s.hold,
    }));
    const pick = pickEmergencyVictims(items, rules.emergencyTargetFreeBytes - free, rules, now);
    for (const txn of pick.victims) {
      const stored = byTxn.get(txn);
      if (stored) await remove(stored, 'emergency');
    }
    report.emergencyDeleted += pick.victims.length;
    report.deletedWithinRetention += pick.withinRetention;
    free += pick.freedBytes;
    freed += pick.freedBytes;
  }
  const alerts: string[] = [];
  if (free < rules.emergencyTargetFreeBytes) alerts.push(emergencyShortfallAlert(freeAtStart, freed, rules));
  if (report.deletedWithinRetention > 0) {
    alerts.push(
      `Emergency deleted ${report.deletedWithinRetention} order video record(s) younger than ` +
        `${rules.retentionDays} days (guide 7.1.6 minimum).`,
    );
  }
  if (alerts.length > 0) report.alert = alerts.join(' ');
}
