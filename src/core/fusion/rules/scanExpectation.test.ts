import { describe, expect, it } from 'vitest';
import { LaneScript, T0 } from '../laneScript.testkit.ts';
import { DEFAULT_FUSION_CONFIG } from '../config.ts';

const A = '6901234567892';
const B = '6900000000017';

function started(): LaneScript {
  return new LaneScript().pos(0, { type: 'transaction.started' });
}

describe('missedScan.noBeep', () => {
  it('stays quiet when every item passing the scanner is rung up', () => {
    const s = started().trip(1, 2000).scan(2500, 1, A).trip(2, 6000).scan(6400, 2, B);
    expect(s.run().raised).toEqual([]);
  });

  it('flags an item that went over the scanner and into the bag without a scan', () => {
    const { raised } = started().trip(1, 2000).scan(2500, 1, A).trip(2, 6000).run();
    expect(raised).toHaveLength(1);
    const [s] = raised;
    expect(s?.type).toBe('missedScan');
    expect(s?.rule).toBe('missedScan.noBeep');
    expect(s?.txn).toBe('T1');
    expect(s?.evidence.trackIds).toEqual([2]);
    // Decided from tick, right after the window that follows the scanner evidence closed.
    expect(s?.windowClosedMs).toBe(T0 + 6500 + DEFAULT_FUSION_CONFIG.scanMatchWindowMs);
    expect((s?.raisedAtMs ?? 0) - (s?.windowClosedMs ?? 0)).toBeGreaterThanOrEqual(0);
    expect((s?.raisedAtMs ?? 0) - (s?.windowClosedMs ?? 0)).toBeLessThanOrEqual(100);
    expect(s?.latencyMs).toBe((s?.raisedAtMs ?? 0) - (s?.evidence.endMs ?? 0));
    expect(s?.explanation).not.toMatch(/theft|steal|fraud/i);
  });

  it('matches a scan that reaches the engine before the camera event does', () => {
    // POS event 100 ms into the pass; the pass event itself arrives after the pass ends.
    const s = started().trip(1, 2000).scan(2100, 1, A);
    expect(s.run().raised).toEqual([]);
  });

  it('treats a second try under a new track id as the same item', () => {
    const s = started()
      .see(2000, 2500, { type: 'itemPassedScanner', trackId: 1, fromZone: 'pickup', holdingItem: true })
      .see(2100, 2400, { type: 'scanMotion', trackId: 1 })
      .trip(2, 3300)
      .scan(3700, 1, A);
    expect(s.run().raised).toEqual([]);
  });

  it('does not let a weak glitch next to the scanner take the scan of the real item', () => {
    const s = started()
      .see(1000, 1300, { type: 'itemMovedPickupToBagging', trackId: 9, viaScanner: false, confidence: 0.3 })
      .trip(1, 2500)
      .scan(2900, 1, A);
    expect(s.run().raised).toEqual([]);
  });

  it('gives weighed produce (long rest on the scale) the longer window', () => {
    const s = started()
      .trip(1, 2000, { dwellMs: 6000 })
      .scan(7500, 1, '2000000000015', 'apples', { weight: 640 });
    expect(s.run().raised).toEqual([]);
  });
});

describe('noScan.bypass', () => {
  it('flags an item carried from the basket to the bag round the scanner', () => {
    const { raised } = started().trip(1, 2000, { scanner: false }).run();
    expect(raised.map((s) => [s.type, s.rule])).toEqual([['noScan', 'noScan.bypass']]);
    expect(raised[0]?.explanation).toContain('without passing the scanner');
  });

  it('accepts a scan after all (the camera misjudged the route)', () => {
    const s = started().trip(1, 2000, { scanner: false }).scan(2600, 1, A);
    expect(s.run().raised).toEqual([]);
  });

  it('needs two cues: one confident detection alone never raises', () => {
    const s = started().see(2000, 2600, {
      type: 'itemMovedPickupToBagging',
      trackId: 1,
      viaScanner: false,
      confidence: 0.99,
    });
    expect(s.run().raised).toEqual([]);
  });
});

describe('things that are not goods', () => {
  it('ignores own bags and phones put in the bagging area', () => {
    const s = started()
      .see(500, 900, { type: 'nonItemObject', trackId: 5, kind: 'bag' })
      .see(600, 900, { type: 'itemPlacedInBagging', trackId: 5, fromZone: 'outside' })
      .see(1000, 1500, { type: 'itemMovedPickupToBagging', trackId: 6, viaScanner: false })
      .see(1500, 1600, { type: 'itemPlacedInBagging', trackId: 6, fromZone: 'unknown' })
      .see(1000, 1600, { type: 'nonItemObject', trackId: 6, kind: 'phone' })
      .trip(1, 3000)
      .scan(3400, 1, A);
    expect(s.run().raised).toEqual([]);
  });

  it('ignores a child reaching over the scanner while an item is scanned', () => {
    const s = started()
      .see(1500, 2000, { type: 'nonItemObject', trackId: 7, kind: 'child' })
      .see(2000, 2500, { type: 'itemPassedScanner', trackId: 7, fromZone: 'unknown', holdingItem: true })
      .see(2050, 2450, { type: 'scanMotion', trackId: 7 })
      .trip(1, 2000)
      .scan(2400, 1, A);
    expect(s.run().raised).toEqual([]);
  });

  it('reads a phone shown at the scanner while paying as a payment code', () => {
    const s = started()
      .trip(1, 2000)
      .scan(2400, 1, A)
      .pos(5000, { type: 'payment.started', amount: 500 })
      .see(5500, 6200, { type: 'itemPassedScanner', trackId: 8, fromZone: 'unknown', holdingItem: true })
      .see(5600, 6100, { type: 'scanMotion', trackId: 8 })
      .pos(8000, { type: 'payment.succeeded', amount: 500 });
    expect(s.run().raised).toEqual([]);
  });
});

describe('items seen only landing in the bag (trip not tracked)', () => {
  const GALLERY = { type: 'itemAppearance' as const, matchScore: 0.9, confidence: 0.9 };
  const landing = (fromZone: 'pickup' | 'scanner' | 'unknown', gtin = B): LaneScript =>
    started()
      .trip(1, 2000)
      .scan(2500, 1, A)
      .see(8000, 8200, { type: 'itemPlacedInBagging', trackId: 9, fromZone })
      .see(8000, 8200, { ...GALLERY, trackId: 9, matchGtin: gtin });

  it('needs the bag view to recognise goods: a landing alone is one cue', () => {
    const s = started()
      .trip(1, 2000)
      .scan(2500, 1, A)
      .see(8000, 8200, { type: 'itemPlacedInBagging', trackId: 9, fromZone: 'pickup' });
    expect(s.run().raised).toEqual([]);
  });

  it('files an unexplained landing from the basket side as noScan, from the scanner side as missedScan', () => {
    expect(
      landing('pickup')
        .run()
        .raised.map((s) => s.rule),
    ).toEqual(['noScan.bagSurplus']);
    expect(
      landing('scanner')
        .run()
        .raised.map((s) => s.rule),
    ).toEqual(['missedScan.bagSurplus']);
    expect(
      landing('unknown')
        .run()
        .raised.map((s) => s.rule),
    ).toEqual(['missedScan.bagSurplus']);
  });

  it('reads a landing of a product already rung up and bagged as that item moved in the bag', () => {
    const s = started()
      .trip(1, 2000)
      .see(2000, 2500, { ...GALLERY, trackId: 1, matchGtin: A })
      .scan(2500, 1, A)
      .see(8000, 8200, { type: 'itemPlacedInBagging', trackId: 9, fromZone: 'unknown' })
      .see(8000, 8200, { ...GALLERY, trackId: 9, matchGtin: A });
    expect(s.run().raised).toEqual([]);
  });
});
