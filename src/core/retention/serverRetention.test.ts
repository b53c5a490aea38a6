import { describe, expect, it } from 'vitest';
import {
  checkServerRetention,
  DEFAULT_SERVER_RETENTION,
  planEmergency,
  retentionCutoff,
  RetentionConfigError,
  type RetentionItem,
} from './serverRetention.ts';

const now = new Date('2026-11-22T00:00:00.000Z');
const config = { retentionDays: 90, lowDiskFreeBytes: 100, emergencyTargetFreeBytes: 300 };
const item = (
  txn: string,
  keptFrom: string,
  bytes: number,
  more: Partial<RetentionItem> = {},
): RetentionItem => ({
  txn,
  keptFrom,
  bytes,
  flagged: false,
  resolved: false,
  hold: false,
  ...more,
});

describe('server retention config', () => {
  it('defaults to 90 days and refuses less unless explicitly allowed', () => {
    expect(checkServerRetention().retentionDays).toBe(90);
    expect(checkServerRetention({ retentionDays: 180 }).retentionDays).toBe(180);
    expect(() => checkServerRetention({ retentionDays: 30 })).toThrow(RetentionConfigError);
    expect(() => checkServerRetention({ retentionDays: 89.5 })).toThrow(/90-day minimum/);
    expect(checkServerRetention({ retentionDays: 7, allowBelowMinimum: true }).retentionDays).toBe(7);
    expect(() => checkServerRetention({ retentionDays: 0, allowBelowMinimum: true })).toThrow(/positive/);
    expect(() => checkServerRetention({ lowDiskFreeBytes: 10, emergencyTargetFreeBytes: 5 })).toThrow(
      RetentionConfigError,
    );
    expect(DEFAULT_SERVER_RETENTION.emergencyTargetFreeBytes).toBeGreaterThan(
      DEFAULT_SERVER_RETENTION.lowDiskFreeBytes,
    );
  });

  it('puts the cutoff exactly retentionDays before now', () => {
    expect(retentionCutoff(now, checkServerRetention())).toEqual({ cutoffIso: '2026-08-24T00:00:00.000Z' });
  });
});

describe('low-disk emergency rule', () => {
  const items = [
    item('newest', '2026-11-20T00:00:00.000Z', 100),
    item('held', '2026-01-01T00:00:00.000Z', 1000, { hold: true }),
    item('flagged', '2026-01-02T00:00:00.000Z', 1000, { flagged: true }),
    item('resolved', '2026-03-01T00:00:00.000Z', 120, { flagged: true, resolved: true }),
    item('no-clip', '2026-02-01T00:00:00.000Z', 0),
    item('oldest', '2026-02-15T00:00:00.000Z', 50),
    item('middle', '2026-10-01T00:00:00.000Z', 100),
  ];

  it('does nothing while free space is above the threshold', () => {
    expect(planEmergency(items, 100, config, now)).toEqual({
      needed: false,
      victims: [],
      freedBytes: 0,
      withinRetention: 0,
    });
  });

  it('deletes oldest first, never held or flagged-unresolved, until the target is free', () => {
    // 50 free, target 300: needs 250 → oldest (50) + resolved (120) + middle (100) = 270.
    const plan = planEmergency(items, 50, config, now);
    expect(plan.victims).toEqual(['oldest', 'resolved', 'middle']);
    expect(plan.freedBytes).toBe(270);
    expect(plan.withinRetention).toBe(1); // 'middle' is younger than 90 days
    expect(plan.alert).toBeUndefined();
  });

  it('raises an alert when deleting everything deletable is still not enough', () => {
    const plan = planEmergency(items, 0, { ...config, emergencyTargetFreeBytes: 10_000 }, now);
    expect(plan.victims).toEqual(['oldest', 'resolved', 'middle', 'newest']);
    expect(plan.victims).not.toContain('held');
    expect(plan.victims).not.toContain('flagged');
    expect(plan.freedBytes).toBe(370);
    expect(plan.alert).toMatch(/frees 370 of the 10000 bytes needed/);
  });
});
