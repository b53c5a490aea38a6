import { describe, expect, it } from 'vitest';
import { DEFAULT_KIOSK_RETENTION, planKioskRetention, type KioskEvidenceItem } from './kioskRetention.ts';

const now = new Date('2026-11-22T12:00:00.000Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();
const config = { keepAfterSyncHours: 72, lowFreeBytes: 100, targetFreeBytes: 300 };
const item = (
  id: string,
  sealedH: number,
  bytes: number,
  more: Partial<KioskEvidenceItem> = {},
): KioskEvidenceItem => ({
  id,
  sealedAt: hoursAgo(sealedH),
  flagged: false,
  bytes,
  ...more,
});

describe('kiosk retention', () => {
  it('keeps synced evidence 72 h by default and never touches unsynced evidence with room to spare', () => {
    expect(DEFAULT_KIOSK_RETENTION.keepAfterSyncHours).toBe(72);
    const items = [
      item('synced-old', 100, 10, { syncedAt: hoursAgo(73) }),
      item('synced-flagged-old', 100, 10, { syncedAt: hoursAgo(80), flagged: true }),
      item('synced-recent', 100, 10, { syncedAt: hoursAgo(71) }),
      item('unsynced-ancient', 2000, 10),
    ];
    const plan = planKioskRetention(items, now, 1_000_000, config);
    expect(plan.victims).toEqual([
      { id: 'synced-old', reason: 'synced-expired' },
      { id: 'synced-flagged-old', reason: 'synced-expired' },
    ]);
    expect(plan.guideAlert).toBe(false);
  });

  it('when storage runs low, drops synced copies first, then the oldest unflagged unsynced, and alerts', () => {
    const items = [
      item('u-flagged', 50, 500, { flagged: true }),
      item('u-new', 1, 100),
      item('u-old', 30, 100),
      item('s-recent', 5, 120, { syncedAt: hoursAgo(2) }),
    ];
    // 20 free, target 300 → 280 needed: s-recent (120) + u-old (100) + u-new (100).
    const plan = planKioskRetention(items, now, 20, config);
    expect(plan.victims).toEqual([
      { id: 's-recent', reason: 'emergency-synced' },
      { id: 'u-old', reason: 'emergency-unsynced' },
      { id: 'u-new', reason: 'emergency-unsynced' },
    ]);
    expect(plan.freedBytes).toBe(320);
    expect(plan.guideAlert).toBe(true);
    expect(plan.alert).toMatch(/2 unsynced order video/);
  });

  it('needs no guide when synced copies alone free enough', () => {
    const items = [item('u-old', 30, 100), item('s-recent', 5, 400, { syncedAt: hoursAgo(2) })];
    const plan = planKioskRetention(items, now, 50, config);
    expect(plan.victims).toEqual([{ id: 's-recent', reason: 'emergency-synced' }]);
    expect(plan.guideAlert).toBe(false);
  });

  it('never deletes flagged unsynced evidence, and alerts when that leaves storage short', () => {
    const items = [item('u-flagged', 50, 500, { flagged: true }), item('u-plain', 40, 30)];
    const plan = planKioskRetention(items, now, 10, config);
    expect(plan.victims.map((v) => v.id)).toEqual(['u-plain']);
    expect(plan.guideAlert).toBe(true);
    expect(plan.alert).toMatch(/only flagged, unsynced evidence is left/);
  });
});
