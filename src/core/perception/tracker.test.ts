import { describe, expect, it } from 'vitest';
import type { PerceptionEvent, PerceptionEventType } from './events.ts';
import type { FrameObservation } from './frameObservation.ts';
import { InvalidFrameObservationError } from './frameObservationCheck.ts';
import { PerceptionTracker, type TrackerConfig } from './tracker.ts';
import { path, renderScene, TEST_ZONES, type HandScript, type Scene } from './tracker.testkit.ts';
import { validatePerceptionEvent } from './validate.ts';

/** Runs every frame through a fresh tracker; checks each event against the contract on the way. */
function run(scene: Scene, config?: Partial<TrackerConfig>): PerceptionEvent[] {
  const tracker = new PerceptionTracker(TEST_ZONES, config);
  const events: PerceptionEvent[] = [];
  for (const frame of renderScene(scene)) {
    for (const e of tracker.push(frame)) {
      const v = validatePerceptionEvent(e);
      expect(v.ok, JSON.stringify(v)).toBe(true);
      expect(e.atMs).toBe(frame.tMs);
      expect(e.endMs).toBeLessThanOrEqual(e.atMs);
      events.push(e);
    }
  }
  return events;
}

const ofType = <T extends PerceptionEventType>(events: PerceptionEvent[], type: T) =>
  events.filter((e): e is Extract<PerceptionEvent, { type: T }> => e.type === type);

const types = (events: PerceptionEvent[]) => events.map((e) => e.type);

/** Basket → scanner (held there a moment) → bag, let go in the bag, hand back to the shopper. */
const scanTrip = (t0: number, extra: Partial<HandScript> = {}): HandScript => ({
  keys: path(t0, [
    ['ownBag', 0, 0.1],
    ['pickup', 500, 0.1],
    ['pickup', 300, 0.9],
    ['scanner', 500, 0.9],
    ['scanner', 700, 0.9],
    ['bagging', 500, 0.9],
    ['bagging', 300, 0.1],
    ['ownBag', 600, 0.1],
  ]),
  ...extra,
});

describe('PerceptionTracker: an item scanned and bagged', () => {
  const events = run({ durationMs: 7000, hands: [scanTrip(500)], bag: [{ t: 3000, level: 0.14 }] });

  it('reports the pass, the gesture, the trajectory and the landing once each, under one track id', () => {
    const pass = ofType(events, 'itemPassedScanner');
    const motion = ofType(events, 'scanMotion');
    const move = ofType(events, 'itemMovedPickupToBagging');
    const placed = ofType(events, 'itemPlacedInBagging');
    expect([pass.length, motion.length, move.length, placed.length]).toEqual([1, 1, 1, 1]);
    expect(pass[0]).toMatchObject({ fromZone: 'pickup', holdingItem: true });
    expect(move[0]!.viaScanner).toBe(true);
    expect(placed[0]!.fromZone).toBe('scanner');
    const id = pass[0]!.trackId;
    expect([motion[0]!.trackId, move[0]!.trackId, placed[0]!.trackId]).toEqual([id, id, id]);
  });

  it('keeps the evidence in trip order and the dwell within the scanner frames', () => {
    const pass = ofType(events, 'itemPassedScanner')[0]!;
    const move = ofType(events, 'itemMovedPickupToBagging')[0]!;
    const placed = ofType(events, 'itemPlacedInBagging')[0]!;
    expect(pass.dwellMs).toBe(pass.endMs - pass.startMs);
    // The hand spends about 0.95 s in the scanner on this path (enters ~0.25 s before the stop).
    expect(pass.dwellMs).toBeGreaterThan(700);
    expect(pass.dwellMs).toBeLessThan(1300);
    expect(move.startMs).toBeLessThan(pass.startMs);
    expect(move.endMs).toBeGreaterThan(pass.endMs);
    expect(placed.endMs).toBeGreaterThanOrEqual(move.endMs);
  });

  it('reports the hands in the scanner going 1 then 0', () => {
    expect(ofType(events, 'handsInScanner').map((e) => e.count)).toEqual([1, 0]);
  });

  it('gives clean synthetic evidence a high confidence', () => {
    for (const e of events) expect(e.confidence, e.type).toBeGreaterThan(0.8);
  });
});

describe('PerceptionTracker: no scan', () => {
  it('reports a trip round the scanner as a bypass (viaScanner false) with no scanner events', () => {
    const hand: HandScript = {
      keys: path(500, [
        ['pickup', 0, 0.1],
        ['pickup', 300, 0.9],
        ['around', 600, 0.9],
        ['bagging', 600, 0.9],
        ['bagging', 300, 0.1],
        ['ownBag', 600, 0.1],
      ]),
    };
    const events = run({ durationMs: 5000, hands: [hand], bag: [{ t: 2500, level: 0.14 }] });
    expect(types(events).filter((t) => t !== 'shopperLeft')).toEqual([
      'itemMovedPickupToBagging',
      'itemPlacedInBagging',
    ]);
    const move = ofType(events, 'itemMovedPickupToBagging')[0]!;
    expect(move.viaScanner).toBe(false);
    expect(ofType(events, 'itemPlacedInBagging')[0]).toMatchObject({
      trackId: move.trackId,
      fromZone: 'pickup',
    });
  });
});

describe('PerceptionTracker: honest cases', () => {
  it('an empty hand passing the scanner from the basket is a pass with holdingItem false, never an item', () => {
    const hand: HandScript = {
      keys: path(500, [
        ['pickup', 0, 0.1],
        ['pickup', 400, 0.1],
        ['scanner', 400, 0.1],
        ['gap', 400, 0.1],
        ['ownBag', 500, 0.1],
      ]),
    };
    const events = run({ durationMs: 3000, hands: [hand] });
    const pass = ofType(events, 'itemPassedScanner');
    expect(pass).toHaveLength(1);
    expect(pass[0]).toMatchObject({ holdingItem: false, fromZone: 'pickup' });
    expect(types(events)).not.toContain('itemMovedPickupToBagging');
    expect(types(events)).not.toContain('scanMotion');
  });

  it("the shopper's own bag set down in the bagging area comes 'outside', with no trajectory", () => {
    const hand: HandScript = {
      keys: path(500, [
        ['ownBag', 0, 0.9],
        ['ownBag', 2500, 0.9],
        ['bagging', 600, 0.9],
        ['bagging', 300, 0.1],
        ['ownBag', 600, 0.1],
      ]),
    };
    const events = run({ durationMs: 6000, hands: [hand], bag: [{ t: 4000, level: 0.3 }] });
    expect(types(events)).toEqual(['itemPlacedInBagging']);
    expect(ofType(events, 'itemPlacedInBagging')[0]!.fromZone).toBe('outside');
  });

  it('a phone held briefly near the screen raises nothing', () => {
    const hand: HandScript = {
      keys: path(500, [
        ['ownBag', 0, 0.1],
        ['ownBag', 300, 0.9],
        ['screen', 500, 0.9],
        ['screen', 1500, 0.9],
        ['ownBag', 500, 0.9],
        ['ownBag', 300, 0.1],
      ]),
    };
    expect(run({ durationMs: 4000, hands: [hand] })).toEqual([]);
  });

  it('a phone shown at the scanner is a pass from an unknown zone, then a non-item once it goes back', () => {
    const hand: HandScript = {
      keys: path(500, [
        ['ownBag', 0, 0.9],
        ['ownBag', 2500, 0.9],
        ['scanner', 500, 0.9],
        ['scanner', 800, 0.9],
        ['ownBag', 500, 0.9],
        ['ownBag', 400, 0.1],
      ]),
    };
    const events = run({ durationMs: 6000, hands: [hand] });
    const pass = ofType(events, 'itemPassedScanner');
    const nonItem = ofType(events, 'nonItemObject');
    expect(pass).toHaveLength(1);
    expect(pass[0]).toMatchObject({ fromZone: 'unknown', holdingItem: true });
    expect(nonItem).toHaveLength(1);
    expect(nonItem[0]!.trackId).toBe(pass[0]!.trackId);
    expect(types(events)).not.toContain('itemMovedPickupToBagging');
    expect(types(events)).not.toContain('itemPlacedInBagging');
  });

  it('a hand resting on the scanner (from the shopper side) gives only the hand count, once', () => {
    const hand: HandScript = {
      keys: path(500, [
        ['ownBag', 0, 0.1],
        ['scanner', 600, 0.1],
        ['scanner', 10_000, 0.1],
        ['ownBag', 600, 0.1],
      ]),
    };
    const events = run({ durationMs: 12_500, hands: [hand] });
    expect(types(events)).toEqual(['handsInScanner', 'handsInScanner']);
  });

  it('an empty hand resting on the scanner after the basket gives one empty pass, however long it rests', () => {
    const hand: HandScript = {
      keys: path(500, [
        ['pickup', 0, 0.1],
        ['scanner', 600, 0.1],
        ['scanner', 10_000, 0.1],
        ['ownBag', 600, 0.1],
      ]),
    };
    const pass = ofType(run({ durationMs: 12_500, hands: [hand] }), 'itemPassedScanner');
    expect(pass).toHaveLength(1);
    expect(pass[0]!.holdingItem).toBe(false);
  });

  it('weighed produce left on the plate keeps its track: one long pass, then the trip to the bag', () => {
    const hand: HandScript = {
      keys: path(500, [
        ['pickup', 0, 0.1],
        ['pickup', 300, 0.9],
        ['scanner', 500, 0.9],
        ['scanner', 200, 0.1], // set down on the scale
        ['screen', 500, 0.1], // picks the product on screen
        ['screen', 3000, 0.1],
        ['scanner', 500, 0.1],
        ['scanner', 200, 0.9], // takes it again
        ['bagging', 600, 0.9],
        ['bagging', 300, 0.1],
        ['ownBag', 500, 0.1],
      ]),
    };
    const events = run({ durationMs: 9000, hands: [hand], bag: [{ t: 6900, level: 0.14 }] });
    const pass = ofType(events, 'itemPassedScanner');
    expect(pass).toHaveLength(1);
    expect(pass[0]!.holdingItem).toBe(true);
    expect(pass[0]!.dwellMs).toBeGreaterThanOrEqual(1200); // fusion's restDwellMs: weighed
    const move = ofType(events, 'itemMovedPickupToBagging');
    expect(move).toHaveLength(1);
    expect(move[0]).toMatchObject({ viaScanner: true, trackId: pass[0]!.trackId });
    expect(ofType(events, 'itemPlacedInBagging').map((e) => e.trackId)).toEqual([pass[0]!.trackId]);
  });
});

describe('PerceptionTracker: taking things out of the bag', () => {
  const takeOut = (to: 'pickup' | 'exit'): HandScript => ({
    keys: path(500, [
      ['ownBag', 0, 0.1],
      ['bagging', 600, 0.1],
      ['bagging', 300, 0.9],
      ['gap', 500, 0.9],
      [to, 600, 0.9],
      [to, 300, 0.1],
    ]),
  });

  for (const to of ['pickup', 'exit'] as const) {
    it(`reports a removal towards ${to}, under the id of the object the hand took`, () => {
      const events = run({
        durationMs: 5000,
        hands: [takeOut(to)],
        bagStart: 0.2,
        bag: [{ t: 1500, level: 0.15 }],
      });
      const removed = ofType(events, 'itemRemovedFromBagging');
      expect(removed).toHaveLength(1);
      expect(removed[0]!.toZone).toBe(to);
      expect(types(events)).not.toContain('itemPlacedInBagging');
      expect(types(events)).not.toContain('itemMovedPickupToBagging');
    });
  }

  it('ignores a fall of the bag level that no hand explains', () => {
    const events = run({ durationMs: 3000, hands: [], bagStart: 0.2, bag: [{ t: 1500, level: 0.15 }] });
    expect(events).toEqual([]);
  });

  it('reports a rise no hand explains as a landing from an unknown zone with lower confidence', () => {
    const events = run({ durationMs: 3000, hands: [], bag: [{ t: 1500, level: 0.14 }] });
    const placed = ofType(events, 'itemPlacedInBagging');
    expect(placed).toHaveLength(1);
    expect(placed[0]!.fromZone).toBe('unknown');
    expect(placed[0]!.confidence).toBeLessThan(0.8);
  });
});

describe('PerceptionTracker: imperfect detection', () => {
  it('bridges dropouts of a few frames and noisy holding without duplicating any event (20 seeds)', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const events = run({
        seed,
        durationMs: 7000,
        hands: [scanTrip(500, { dropouts: [[1900, 2100]], score: 0.85 })],
        bag: [{ t: 3000, level: 0.14 }],
        noise: { position: 0.006, holding: 0.12, occupancy: 0.002 },
      });
      const count = (t: PerceptionEventType) => events.filter((e) => e.type === t).length;
      expect(
        [count('itemPassedScanner'), count('itemMovedPickupToBagging'), count('itemPlacedInBagging')],
        `seed ${seed}`,
      ).toEqual([1, 1, 1]);
      expect(
        new Set(events.filter((e) => 'trackId' in e).map((e) => (e as { trackId: number }).trackId)).size,
      ).toBe(1);
    }
  });

  it('reports lower confidence when the hand is missed in part of the trip', () => {
    const clean = run({ durationMs: 7000, hands: [scanTrip(500)], bag: [{ t: 3000, level: 0.14 }] });
    const patchy = run({
      durationMs: 7000,
      hands: [
        scanTrip(500, {
          dropouts: [
            [1750, 1950],
            [2150, 2350],
          ],
        }),
      ],
      bag: [{ t: 3000, level: 0.14 }],
    });
    const conf = (ev: PerceptionEvent[]) => ofType(ev, 'itemPassedScanner')[0]!.confidence;
    expect(conf(patchy)).toBeLessThan(conf(clean));
  });

  it('still reports the trajectory when the release was missed but the bag level rose', () => {
    const hand: HandScript = {
      keys: path(500, [
        ['pickup', 0, 0.9],
        ['pickup', 300, 0.9],
        ['scanner', 500, 0.9],
        ['bagging', 700, 0.9],
        ['bagging', 300, 0.9], // the detector keeps saying "holding"
        ['ownBag', 600, 0.9],
      ]),
    };
    const events = run({ durationMs: 5000, hands: [hand], bag: [{ t: 2400, level: 0.14 }] });
    const move = ofType(events, 'itemMovedPickupToBagging');
    expect(move).toHaveLength(1);
    expect(ofType(events, 'itemPlacedInBagging').map((e) => e.trackId)).toEqual([move[0]!.trackId]);
    expect(types(events)).not.toContain('nonItemObject');
  });

  it('gives the same events when motion gating skips still frames', () => {
    const base: Scene = { durationMs: 7000, hands: [scanTrip(500)], bag: [{ t: 3000, level: 0.14 }] };
    const strip = (ev: PerceptionEvent[]) => ev.map((e) => e.type);
    expect(strip(run({ ...base, gated: [[5000, 5600]] }))).toEqual(strip(run(base)));
  });

  it('follows two hands at once: each keeps its own track', () => {
    const resting: HandScript = {
      keys: path(300, [
        ['pickup', 0, 0.1],
        ['pickup', 6000, 0.1],
      ]),
      handedness: 'Left',
    };
    const events = run({
      durationMs: 7000,
      hands: [resting, scanTrip(500)],
      bag: [{ t: 3000, level: 0.14 }],
    });
    expect(ofType(events, 'itemMovedPickupToBagging')).toHaveLength(1);
    expect(ofType(events, 'itemPassedScanner')).toHaveLength(1);
    expect(ofType(events, 'handsInScanner').map((e) => e.count)).toEqual([1, 0]);
  });
});

describe('PerceptionTracker: shopperLeft', () => {
  it('fires once after the configured quiet time, and again only after new activity', () => {
    const hand: HandScript = {
      keys: path(500, [
        ['ownBag', 0, 0.1],
        ['pickup', 500, 0.1],
      ]),
    };
    const back: HandScript = {
      keys: path(9000, [
        ['ownBag', 0, 0.1],
        ['pickup', 500, 0.1],
      ]),
    };
    const events = run({ durationMs: 16_000, hands: [hand, back] }, { shopperLeftMs: 4000 });
    const left = ofType(events, 'shopperLeft');
    expect(left).toHaveLength(2);
    expect(left[0]!.endMs - left[0]!.startMs).toBeGreaterThanOrEqual(4000);
    expect(left[0]!.endMs - left[0]!.startMs).toBeLessThan(4100);
  });

  it('does not fire while a hand stays in view', () => {
    const still: HandScript = {
      keys: path(0, [
        ['screen', 0, 0.1],
        ['screen', 15_000, 0.1],
      ]),
    };
    expect(ofType(run({ durationMs: 15_000, hands: [still] }), 'shopperLeft')).toEqual([]);
  });
});

describe('PerceptionTracker: bad input and reset', () => {
  const frames = renderScene({ durationMs: 7000, hands: [scanTrip(500)], bag: [{ t: 3000, level: 0.14 }] });

  it('rejects a malformed or out-of-order frame with readable errors and loses nothing', () => {
    const clean = new PerceptionTracker(TEST_ZONES);
    const expected = frames.flatMap((f) => clean.push(f));
    const tracker = new PerceptionTracker(TEST_ZONES);
    const got: PerceptionEvent[] = [];
    frames.forEach((f, i) => {
      if (i === 30) {
        const bad = { ...f, tMs: Number.NaN } as FrameObservation;
        expect(() => tracker.push(bad)).toThrow(InvalidFrameObservationError);
        expect(() => tracker.push({ ...f, hands: [{ ...f.hands[0]!, landmarks: [] }] })).toThrow(/landmarks/);
        expect(() => tracker.push({ ...f, occupancy: { bagging: 2 } })).toThrow(/occupancy\.bagging/);
        expect(() => tracker.push({ ...f, tMs: f.tMs - 10_000 })).toThrow(/before the previous frame/);
      }
      got.push(...tracker.push(f));
    });
    expect(got).toEqual(expected);
  });

  it('rejects a config no rule can work with', () => {
    expect(() => new PerceptionTracker(TEST_ZONES, { holdOn: 0.3, holdOff: 0.5 })).toThrow(/hysteresis/);
    expect(() => new PerceptionTracker(TEST_ZONES, { stepHoldMs: Number.NaN })).toThrow(/stepHoldMs/);
  });

  it('never reuses a track id after reset', () => {
    const tracker = new PerceptionTracker(TEST_ZONES);
    const first = frames.flatMap((f) => tracker.push(f));
    tracker.reset();
    const second = frames.flatMap((f) => tracker.push(f));
    const ids = (ev: PerceptionEvent[]) =>
      new Set(ev.filter((e) => 'trackId' in e).map((e) => (e as { trackId: number }).trackId));
    expect(second.map((e) => e.type)).toEqual(first.map((e) => e.type));
    for (const id of ids(second)) expect(ids(first).has(id)).toBe(false);
  });
});
