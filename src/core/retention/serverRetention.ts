/**
 * Retention rules for the store server, as pure functions (the job in sync-server/src/store applies
 * them). Guide 7.1.6: order video information is kept at least 90 days, so a shorter setting is
 * refused unless explicitly allowed (a test or a jurisdiction with a different rule). Held and
 * flagged-unresolved evidence is never deleted, not even to free disk.
 */
export const MIN_RETENTION_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;
const GIB = 1024 ** 3;

export interface ServerRetentionConfig {
  retentionDays: number;
  /** Allows retentionDays below the 90-day minimum; off unless someone decides otherwise in writing. */
  allowBelowMinimum?: boolean;
  /** Below this much free disk the emergency rule runs. */
  lowDiskFreeBytes: number;
  /** The emergency rule deletes until this much is free (≥ lowDiskFreeBytes, so it does not run again at once). */
  emergencyTargetFreeBytes: number;
}

export const DEFAULT_SERVER_RETENTION: ServerRetentionConfig = {
  retentionDays: MIN_RETENTION_DAYS,
  lowDiskFreeBytes: 5 * GIB,
  emergencyTargetFreeBytes: 10 * GIB,
};

export class RetentionConfigError extends Error {
  override name = 'RetentionConfigError';
}

/** Fills in defaults and refuses settings that would break the rules. */
export function checkServerRetention(partial: Partial<ServerRetentionConfig> = {}): ServerRetentionConfig {
  const config = { ...DEFAULT_SERVER_RETENTION, ...partial };
  const { retentionDays, lowDiskFreeBytes, emergencyTargetFreeBytes } = config;
  if (!Number.isFinite(retentionDays) || retentionDays <= 0) {
    throw new RetentionConfigError(`retentionDays must be a positive number of days (got ${retentionDays})`);
  }
  if (retentionDays < MIN_RETENTION_DAYS && config.allowBelowMinimum !== true) {
    throw new RetentionConfigError(
      `retentionDays ${retentionDays} is below the ${MIN_RETENTION_DAYS}-day minimum for order video ` +
        'information (guide 7.1.6); set allowBelowMinimum to override',
    );
  }
  if (!(lowDiskFreeBytes >= 0) || !(emergencyTargetFreeBytes >= lowDiskFreeBytes)) {
    throw new RetentionConfigError('need 0 ≤ lowDiskFreeBytes ≤ emergencyTargetFreeBytes');
  }
  return config;
}

/** Evidence first received before the cutoff has served its retention. */
export function retentionCutoff(now: Date, config: ServerRetentionConfig): { cutoffIso: string } {
  return { cutoffIso: new Date(now.getTime() - config.retentionDays * DAY_MS).toISOString() };
}

export interface RetentionItem {
  txn: string;
  /** When retention started counting for it (the record's first arrival). */
  keptFrom: string;
  /** Disk the item frees when deleted (its clip file). */
  bytes: number;
  flagged: boolean;
  resolved: boolean;
  hold: boolean;
}

export interface EmergencyPick {
  /** Oldest first. */
  victims: string[];
  freedBytes: number;
  /** How many victims are still inside the retention period: deleting them breaks the 90-day rule. */
  withinRetention: number;
}

export interface EmergencyPlan extends EmergencyPick {
  /** True when free space is below lowDiskFreeBytes. */
  needed: boolean;
  /** Set when even deleting every deletable item cannot reach the target. */
  alert?: string;
}

export function isProtected(item: Pick<RetentionItem, 'hold' | 'flagged' | 'resolved'>): boolean {
  return item.hold || (item.flagged && !item.resolved);
}

export function emergencyNeeded(freeBytes: number, config: ServerRetentionConfig): boolean {
  return freeBytes < config.lowDiskFreeBytes;
}

/**
 * Picks the oldest unprotected items until `bytesWanted` is freed. Items that free nothing are
 * skipped (deleting them loses evidence for no gain). The job calls this page by page.
 */
export function pickEmergencyVictims(
  items: readonly RetentionItem[],
  bytesWanted: number,
  config: ServerRetentionConfig,
  now: Date,
): EmergencyPick {
  const cutoffMs = Date.parse(retentionCutoff(now, config).cutoffIso);
  const candidates = items
    .filter((item) => !isProtected(item) && item.bytes > 0)
    .sort((a, b) => Date.parse(a.keptFrom) - Date.parse(b.keptFrom) || (a.txn < b.txn ? -1 : 1));
  const pick: EmergencyPick = { victims: [], freedBytes: 0, withinRetention: 0 };
  for (const item of candidates) {
    if (pick.freedBytes >= bytesWanted) break;
    pick.victims.push(item.txn);
    pick.freedBytes += item.bytes;
    if (Date.parse(item.keptFrom) >= cutoffMs) pick.withinRetention++;
  }
  return pick;
}

export function emergencyShortfallAlert(
  freeBytes: number,
  freedBytes: number,
  config: ServerRetentionConfig,
): string {
  const want = config.emergencyTargetFreeBytes - freeBytes;
  return (
    `Low disk: ${freeBytes} bytes free (threshold ${config.lowDiskFreeBytes}). Deleting every ` +
    `deletable clip frees ${freedBytes} of the ${want} bytes needed; held and flagged evidence is ` +
    'kept. Add storage or resolve reviews now.'
  );
}

/**
 * The low-disk emergency rule on one list of items: when free space falls below lowDiskFreeBytes,
 * delete the oldest unprotected items until emergencyTargetFreeBytes is free.
 */
export function planEmergency(
  items: readonly RetentionItem[],
  freeBytes: number,
  config: ServerRetentionConfig,
  now: Date,
): EmergencyPlan {
  if (!emergencyNeeded(freeBytes, config))
    return { needed: false, victims: [], freedBytes: 0, withinRetention: 0 };
  const want = config.emergencyTargetFreeBytes - freeBytes;
  const plan: EmergencyPlan = { needed: true, ...pickEmergencyVictims(items, want, config, now) };
  if (plan.freedBytes < want) plan.alert = emergencyShortfallAlert(freeBytes, plan.freedBytes, config);
  return plan;
}
