import { minCountConfidence } from '../countCheck.ts';
import { DEFAULT_FUSION_CONFIG } from '../config.ts';
import { describe, expect, it } from 'vitest';
import { countExcess } from './countExcess.ts';
import { LaneScript } from '../laneScript.testkit.ts';

const A = '6901234567892';

describe('countExcess', () => {
  it('is the number of objects beyond the line quantity', () => {
    expect(countExcess({ lineQty: 1, weighed: false, placedCounts: [3] })).toBe(2);
    expect(countExcess({ lineQty: 3, weighed: false, placedCounts: [2, 1] })).toBe(0);
  });

  it('skips weighed lines (many pieces of produce, one line)', () => {
    expect(countExcess({ lineQty: 1, weighed: true, placedCounts: [5] })).toBe(0);
  });
});

describe('missedScan.countExcess in the engine', () => {
  const stack = (): LaneScript =>
    new LaneScript().pos(0, { type: 'transaction.started' }).trip(1, 2000, { count: 3 }).scan(2400, 1, A);

  it('flags one scan followed by three items landing in the bag', () => {
    const { raised } = stack().run();
    expect(raised.map((s) => s.rule)).toEqual(['missedScan.countExcess']);
    expect(raised[0]?.explanation).toContain('3 items');
  });

  it('accepts the quantity corrected on screen within the window', () => {
    const s = stack().pos(3000, { type: 'item.quantityChanged', line: 1, qty: 3 });
    expect(s.run().raised).toEqual([]);
  });

  it('ignores count estimates the worker is unsure of', () => {
    const s = new LaneScript()
      .pos(0, { type: 'transaction.started' })
      .trip(1, 2000)
      .see(3300, 3400, { type: 'itemPlacedInBagging', trackId: 1, count: 3, countConfidence: 0.4 })
      .scan(2400, 1, A);
    expect(s.run().raised).toEqual([]);
  });

  it('asks less count confidence of a larger surplus (one seen as three is a rare miscount)', () => {
    const landing = (count: number) =>
      new LaneScript()
        .pos(0, { type: 'transaction.started' })
        .see(2000, 2500, { type: 'itemPassedScanner', trackId: 1, fromZone: 'pickup', holdingItem: true })
        .see(2100, 2400, { type: 'scanMotion', trackId: 1 })
        .see(1500, 3200, { type: 'itemMovedPickupToBagging', trackId: 1, viaScanner: true })
        .see(3200, 3400, { type: 'itemPlacedInBagging', trackId: 1, count, countConfidence: 0.7 })
        .scan(2400, 1, A)
        .run().raised;
    expect(landing(2)).toEqual([]);
    expect(landing(3).map((s) => s.rule)).toEqual(['missedScan.countExcess']);
    expect(minCountConfidence(3, 1, DEFAULT_FUSION_CONFIG)).toBeLessThan(
      minCountConfidence(2, 1, DEFAULT_FUSION_CONFIG),
    );
  });
});
