/**
 * Rules for hands that do not move palm-first through the zones: fingers reaching into pick-up
 * from beside it (the object's origin), and a hand lost on its way into the bag (carried there).
 */
import { describe, expect, it } from 'vitest';
import type { PerceptionEvent, PerceptionEventType } from './events.ts';
import { PerceptionTracker } from './tracker.ts';
import { path, reachAndCarryOut, renderScene, TEST_ZONES, type Scene } from './tracker.testkit.ts';
import { validatePerceptionEvent } from './validate.ts';

function run(scene: Scene): PerceptionEvent[] {
  const tracker = new PerceptionTracker(TEST_ZONES);
  return renderScene(scene).flatMap((f) => {
    const out = tracker.push(f);
    for (const e of out) expect(validatePerceptionEvent(e).ok).toBe(true);
    return out;
  });
}

const ofType = <T extends PerceptionEventType>(events: PerceptionEvent[], type: T) =>
  events.filter((e): e is Extract<PerceptionEvent, { type: T }> => e.type === type);

describe('PerceptionTracker: reaching into pick-up from the scanner side', () => {
  it('takes the object from pick-up and, carried out through the bag side, reports the whole trip', () => {
    const events = run({ durationMs: 4000, hands: [reachAndCarryOut(300, 0.45, 0.9)] });
    const pass = ofType(events, 'itemPassedScanner');
    const move = ofType(events, 'itemMovedPickupToBagging');
    expect(pass).toHaveLength(1);
    expect(pass[0]).toMatchObject({ fromZone: 'pickup', holdingItem: true });
    // Carried away, not set down on the plate: the pass ends with the hand's last frame.
    expect(pass[0]!.dwellMs).toBeLessThan(1500);
    expect(move).toHaveLength(1);
    expect(move[0]).toMatchObject({ trackId: pass[0]!.trackId, viaScanner: true });
    expect(move[0]!.confidence).toBeGreaterThan(0.8);
  });

  it('an empty hand doing the same is neither an item nor a trip', () => {
    const events = run({ durationMs: 4000, hands: [reachAndCarryOut(300, 0.1, 0.1)] });
    expect(ofType(events, 'itemMovedPickupToBagging')).toHaveLength(0);
    expect(ofType(events, 'itemPassedScanner').every((e) => !e.holdingItem)).toBe(true);
  });

  it('the same hand with its fingers outside pick-up holds something of unknown origin: no trip', () => {
    const hand = { ...reachAndCarryOut(300, 0.45, 0.9), reach: { x: 0, y: 0 } };
    const events = run({ durationMs: 4000, hands: [hand] });
    expect(ofType(events, 'itemPassedScanner')[0]).toMatchObject({ fromZone: 'unknown' });
    expect(ofType(events, 'itemMovedPickupToBagging')).toHaveLength(0);
  });
});

describe('PerceptionTracker: a hand lost on its way into the bag', () => {
  it('a held object moving fast from the scanner towards the bag goes with it, not onto the plate', () => {
    const hand = {
      keys: path(300, [
        ['pickup', 0, 0.9],
        ['pickup', 300, 0.9],
        [{ x: 0.375, y: 0.5 }, 400, 0.9],
        [{ x: 0.42, y: 0.5 }, 500, 0.9],
        [{ x: 0.575, y: 0.5 }, 200, 0.9],
      ]),
    };
    const events = run({ durationMs: 4000, fps: 10, hands: [hand] });
    const move = ofType(events, 'itemMovedPickupToBagging');
    expect(move).toHaveLength(1);
    expect(move[0]!.viaScanner).toBe(true);
    expect(ofType(events, 'itemPassedScanner')[0]!.dwellMs).toBeLessThan(1500);
  });

  it('a held object whose hand vanishes still inside the scanner is set down there (weighed), no trip', () => {
    const hand = {
      keys: path(300, [
        ['pickup', 0, 0.9],
        ['pickup', 300, 0.9],
        ['scanner', 400, 0.9],
        ['scanner', 600, 0.9],
      ]),
    };
    const events = run({ durationMs: 6000, fps: 10, hands: [hand] });
    expect(ofType(events, 'itemMovedPickupToBagging')).toHaveLength(0);
    expect(ofType(events, 'itemPassedScanner')[0]!.dwellMs).toBeGreaterThanOrEqual(3000);
  });

  it("the shopper's phone lost towards the bag is no trip from pick-up", () => {
    const hand = {
      keys: path(300, [
        ['ownBag', 0, 0.9],
        ['ownBag', 600, 0.9],
        [{ x: 0.45, y: 0.5 }, 400, 0.9],
        [{ x: 0.58, y: 0.5 }, 200, 0.9],
      ]),
    };
    const events = run({ durationMs: 4000, fps: 10, hands: [hand] });
    expect(ofType(events, 'itemMovedPickupToBagging')).toHaveLength(0);
  });
});
