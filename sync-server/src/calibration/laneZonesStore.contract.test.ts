import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LaneZones, Point } from '../../../src/core/lane/zones.ts';
import { BACKENDS, openTestStore, type TestStore } from '../store/storeBackends.testkit.ts';

const rect = (x0: number, y0: number, x1: number, y1: number): Point[] => [
  { x: x0, y: y0 },
  { x: x1, y: y0 },
  { x: x1, y: y1 },
  { x: x0, y: y1 },
];

const sample = (updatedAt: string, exit = false): LaneZones => ({
  v: 1,
  updatedAt,
  updatedBy: 'dev_1',
  zones: {
    pickup: rect(0.05, 0.5, 0.3, 0.95),
    scanner: rect(0.35, 0.4, 0.6, 0.7),
    bagging: rect(0.65, 0.4, 0.95, 0.8),
    ...(exit ? { exit: rect(0.8, 0, 1, 0.3) } : {}),
  },
});

/** The lane calibration part of the EvidenceStore contract, on every backend (see storeBackends.testkit). */
for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(backend.title('lane zones in the store'), () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await openTestStore(backend.name);
    }, 60_000);
    afterAll(async () => {
      await t?.dispose();
    });
    beforeEach(async () => {
      await t.reset();
    });

    it('keeps one current calibration per lane, replaced by the next, exactly as given', async () => {
      expect(await t.store.getLaneZones('L01')).toBeNull();
      await t.store.putLaneZones('L01', sample('2026-11-22T08:00:00.000Z'), 'dev_1', '2026-11-22T08:00:01Z');
      await t.store.putLaneZones('L02', sample('2026-11-22T09:00:00.000Z'), 'dev_2', '2026-11-22T09:00:01Z');
      await t.store.putLaneZones(
        'L01',
        sample('2026-11-23T08:00:00.000Z', true),
        'usr_a',
        '2026-11-23T08:00:01Z',
      );
      expect(await t.store.getLaneZones('L01')).toEqual({
        lane: 'L01',
        zones: sample('2026-11-23T08:00:00.000Z', true),
        updatedBy: 'usr_a',
        storedAt: '2026-11-23T08:00:01.000Z',
      });
      expect((await t.store.getLaneZones('L02'))?.updatedBy).toBe('dev_2');
    });

    it('refuses a lane id the schema does not allow, and a bad time', async () => {
      await expect(
        t.store.putLaneZones('../L01', sample('2026-11-22T08:00:00.000Z'), 'dev_1', '2026-11-22T08:00:01Z'),
      ).rejects.toThrow();
      await expect(
        t.store.putLaneZones('L01', sample('2026-11-22T08:00:00.000Z'), 'dev_1', 'not a time'),
      ).rejects.toThrow(/storedAt must be an ISO-8601 time/);
      expect(await t.store.getLaneZones('L01')).toBeNull();
    });
  });
}
