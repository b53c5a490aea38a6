import { describe, expect, it } from 'vitest';
import {
  matchHands,
  parseStillGolden,
  parseVideoGolden,
  scoreFrame,
  summarise,
  type Hand2,
} from '../../eval/pixel/golden.ts';

const hand = (dx: number, dy = 0): Hand2 =>
  Array.from({ length: 21 }, (_, i) => [100 + i * 3 + dx, 50 + i + dy] as const);

describe('matchHands', () => {
  it('pairs each golden hand with the nearest detection, whatever the detection order', () => {
    const golden = [hand(0), hand(300)];
    expect(matchHands(golden, [hand(302), hand(1)])).toEqual([1, 0]);
  });

  it('uses the best total, not the greedy first choice', () => {
    // Golden A is a bit closer to detection 0, but giving 0 to B costs far less overall.
    const golden = [hand(0), hand(40)];
    const detected = [hand(30), hand(-5)];
    expect(matchHands(golden, detected)).toEqual([1, 0]);
  });

  it('leaves a golden hand unmatched only when detections run out', () => {
    expect(matchHands([hand(0), hand(300)], [hand(299)])).toEqual([null, 0]);
    expect(matchHands([hand(0)], [])).toEqual([null]);
  });
});

describe('scoring', () => {
  it('counts a missed hand as 21 points outside the tolerance', () => {
    const s = summarise(scoreFrame([hand(0), hand(300)], [hand(3, 4)]), 20);
    expect(s.points).toBe(42);
    expect(s.missed).toBe(21);
    expect(s.meanPx).toBeCloseTo(5, 6);
    expect(s.maxPerCoordinatePx).toBe(4);
    expect(s.withinTolerance).toBeCloseTo(0.5, 6);
  });

  it('applies the tolerance per coordinate, like upstream', () => {
    // 15 px in x and y: 21 px away, but within 20 px per coordinate.
    const s = summarise(scoreFrame([hand(0)], [hand(15, 15)]), 20);
    expect(s.maxPx).toBeCloseTo(Math.hypot(15, 15), 6);
    expect(s.withinTolerance).toBe(1);
    const out = summarise(scoreFrame([hand(0)], [hand(21)]), 20);
    expect(out.withinTolerance).toBe(0);
    expect(out.p95Px).toBeCloseTo(21, 6);
  });
});

describe('golden files', () => {
  it('reads the still format and the video format (z dropped)', () => {
    const pts = Array.from({ length: 21 }, (_, i) => [i, i + 1]);
    const still = parseStillGolden({ image_size: [720, 382], tolerance_px: 20, hands: [pts] });
    expect(still).toMatchObject({ width: 720, height: 382, tolerancePx: 20 });
    expect(still.hands[0]![3]).toEqual([3, 4]);
    const video = parseVideoGolden([pts.map(([x, y]) => [x, y, -0.5])]);
    expect(video[0]![20]).toEqual([20, 21]);
  });

  it('refuses malformed data with a clear error', () => {
    expect(() => parseStillGolden({ image_size: [1, 1], hands: [[[1, 2]]] })).toThrow(/21 points/);
    expect(() => parseStillGolden({ hands: [] })).toThrow(/no "hands"/);
    expect(() => parseVideoGolden({})).toThrow(/array of frames/);
  });
});
