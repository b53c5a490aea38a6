/**
 * Retention on the kiosk. The kiosk is a buffer: once the store server has confirmed a record and
 * its clip, the local copy is kept DEFAULT_KEEP_AFTER_SYNC_HOURS (for a guide's quick look at the
 * lane) and then deleted. Unsynced evidence is the only copy, so it is never deleted, except by the
 * emergency rule when storage is about to run out (a kiosk that cannot record loses more evidence
 * than one that drops its oldest unsynced clip); then a guide must be told. Flagged unsynced
 * evidence is never deleted.
 */
export const DEFAULT_KEEP_AFTER_SYNC_HOURS = 72;
const HOUR_MS = 60 * 60 * 1000;

export interface KioskRetentionConfig {
  keepAfterSyncHours: number;
  /** Below this much free storage the emergency rule runs. */
  lowFreeBytes: number;
  /** The emergency rule deletes until this much is free. */
  targetFreeBytes: number;
}

export const DEFAULT_KIOSK_RETENTION: KioskRetentionConfig = {
  keepAfterSyncHours: DEFAULT_KEEP_AFTER_SYNC_HOURS,
  lowFreeBytes: 512 * 1024 ** 2,
  targetFreeBytes: 1024 ** 3,
};

export interface KioskEvidenceItem {
  id: string;
  sealedAt: string;
  /** When the server confirmed record and clip; absent while unsynced. */
  syncedAt?: string;
  flagged: boolean;
  bytes: number;
}

export type KioskDeleteReason = 'synced-expired' | 'emergency-synced' | 'emergency-unsynced';

export interface KioskRetentionPlan {
  victims: { id: string; reason: KioskDeleteReason }[];
  freedBytes: number;
  /** True when unsynced evidence is deleted or the target cannot be reached: a guide must act. */
  guideAlert: boolean;
  alert?: string;
}

export function planKioskRetention(
  items: readonly KioskEvidenceItem[],
  now: Date,
  freeBytes: number,
  config: KioskRetentionConfig,
): KioskRetentionPlan {
  const victims: KioskRetentionPlan['victims'] = [];
  let freedBytes = 0;
  const take = (item: KioskEvidenceItem, reason: KioskDeleteReason) => {
    victims.push({ id: item.id, reason });
    freedBytes += item.bytes;
  };
  const keepMs = config.keepAfterSyncHours * HOUR_MS;
  const synced = items.filter((i) => i.syncedAt !== undefined);
  const fresh: KioskEvidenceItem[] = [];
  for (const item of synced) {
    if (now.getTime() - Date.parse(item.syncedAt ?? '') >= keepMs) take(item, 'synced-expired');
    else fresh.push(item);
  }
  if (freeBytes + freedBytes >= config.lowFreeBytes) return { victims, freedBytes, guideAlert: false };

  // Emergency: first what the server already has, then the oldest unsynced, never flagged unsynced.
  const want = config.targetFreeBytes - freeBytes;
  const byTime = (at: (i: KioskEvidenceItem) => string) => (a: KioskEvidenceItem, b: KioskEvidenceItem) =>
    Date.parse(at(a)) - Date.parse(at(b)) || (a.id < b.id ? -1 : 1);
  const order: [KioskEvidenceItem[], KioskDeleteReason][] = [
    [fresh.sort(byTime((i) => i.syncedAt ?? '')), 'emergency-synced'],
    [
      items.filter((i) => i.syncedAt === undefined && !i.flagged).sort(byTime((i) => i.sealedAt)),
      'emergency-unsynced',
    ],
  ];
  let lostUnsynced = 0;
  for (const [group, reason] of order) {
    for (const item of group) {
      if (freedBytes >= want) break;
      if (item.bytes <= 0) continue;
      take(item, reason);
      if (reason === 'emergency-unsynced') lostUnsynced++;
    }
  }
  const plan: KioskRetentionPlan = { victims, freedBytes, guideAlert: false };
  const notes: string[] = [];
  if (lostUnsynced > 0) {
    notes.push(
      `storage nearly full: ${lostUnsynced} unsynced order video(s) deleted before reaching the server`,
    );
  }
  if (freedBytes < want) {
    notes.push('storage still nearly full: only flagged, unsynced evidence is left; restore the connection');
  }
  if (notes.length > 0) {
    plan.guideAlert = true;
    plan.alert = notes.join('; ');
  }
  return plan;
}
