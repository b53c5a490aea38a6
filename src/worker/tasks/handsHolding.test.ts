import { describe, expect, it } from 'vitest';
import { estimateHolding, gripPose, objectBesideHand, type ForegroundMap } from './handsHolding.ts';
import type { NormPoint } from './handsMapping.ts';
import { syntheticHand } from './handsSynthetic.testkit.ts';

const ASPECT = 16 / 9;
const GW = 128;
const GH = 72;

function emptyMap(): ForegroundMap {
  return { width: GW, height: GH, cells: new Uint8Array(GW * GH) };
}

/** Sets the cells whose centres satisfy `inside` (camera-normalised coordinates). */
function paint(map: ForegroundMap, inside: (p: NormPoint) => boolean): ForegroundMap {
  for (let y = 0; y < GH; y++)
    for (let x = 0; x < GW; x++)
      if (inside({ x: (x + 0.5) / GW, y: (y + 0.5) / GH })) map.cells[y * GW + x] = 1;
  return map;
}

/** Cells within `r` (normalised height units) of any landmark: the hand's own skin and the arm. */
function handSkin(hand: NormPoint[], r: number) {
  return (p: NormPoint) => hand.some((q) => Math.hypot((p.x - q.x) * ASPECT, p.y - q.y) < r);
}

describe('gripPose', () => {
  const open = syntheticHand({ bendDeg: 0 });
  const grip = syntheticHand({ bendDeg: 45 });
  const fist = syntheticHand({ bendDeg: 85 });

  it('scores fingers wrapped round a gap high, an open hand and a fist low', () => {
    expect(gripPose(grip, ASPECT)).toBeGreaterThan(0.8);
    expect(gripPose(open, ASPECT)).toBeLessThan(0.1);
    expect(gripPose(fist, ASPECT)).toBeLessThan(0.1);
  });

  it('does not depend on where the hand is or how large it looks', () => {
    const far = syntheticHand({ bendDeg: 45, wrist: { x: 0.3, y: 0.4 }, palm: 0.05 });
    expect(gripPose(far, ASPECT)).toBeCloseTo(gripPose(grip, ASPECT), 5);
  });

  it('rejects a hand without 21 landmarks', () => {
    expect(() => gripPose(grip.slice(0, 20), ASPECT)).toThrow(/21 landmarks/);
  });
});

describe('objectBesideHand', () => {
  const hand = syntheticHand({ bendDeg: 45 });

  it('is 0 over the empty lane', () => {
    expect(objectBesideHand(hand, ASPECT, emptyMap())).toBe(0);
  });

  it('ignores the hand itself and the forearm behind the wrist', () => {
    const wrist = hand[0]!;
    const map = paint(
      emptyMap(),
      (p) => handSkin(hand, 0.02)(p) || (p.y > wrist.y && Math.abs(p.x - wrist.x) < 0.04),
    );
    expect(objectBesideHand(hand, ASPECT, map)).toBeLessThan(0.2);
  });

  it('is high when a bottle sticks out of the grasp', () => {
    const c = hand[9]!;
    // A bottle 0.08 wide (normalised height units) standing through the hand, above and below it.
    const map = paint(
      emptyMap(),
      (p) => Math.abs((p.x - c.x - 0.03) * ASPECT) < 0.05 && p.y > c.y - 0.2 && p.y < c.y + 0.1,
    );
    expect(objectBesideHand(hand, ASPECT, map)).toBeGreaterThan(0.6);
  });
});

describe('estimateHolding', () => {
  it('is the pose alone until a background exists, then half pose, half appearance', () => {
    const hand = syntheticHand({ bendDeg: 45 });
    const noBg = estimateHolding(hand, ASPECT, null);
    expect(noBg.appearance).toBeNull();
    expect(noBg.holding).toBe(noBg.pose);
    const empty = estimateHolding(hand, ASPECT, emptyMap());
    expect(empty.holding).toBeCloseTo(0.5 * empty.pose);
  });

  it('ranks an open empty hand below a gripping hand holding an object', () => {
    const open = syntheticHand({ bendDeg: 0 });
    const grip = syntheticHand({ bendDeg: 45 });
    const c = grip[9]!;
    const bottle = paint(
      emptyMap(),
      (p) => Math.abs((p.x - c.x - 0.03) * ASPECT) < 0.05 && p.y > c.y - 0.2 && p.y < c.y + 0.1,
    );
    expect(estimateHolding(grip, ASPECT, bottle).holding).toBeGreaterThan(0.7);
    expect(estimateHolding(open, ASPECT, emptyMap()).holding).toBeLessThan(0.1);
  });
});
