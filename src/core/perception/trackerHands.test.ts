import { describe, expect, it } from 'vitest';
import type { HandObservation } from './frameObservation.ts';
import { DEFAULT_TRACKER_CONFIG } from './trackerConfig.ts';
import { associate, newHandTrack, observeHand, palmCentre, zonesBefore } from './trackerHands.ts';
import { PLACES, TEST_ZONES } from './tracker.testkit.ts';

const hand = (
  x: number,
  y: number,
  holding = 0.1,
  handedness: 'Left' | 'Right' = 'Right',
): HandObservation => ({
  landmarks: Array.from({ length: 21 }, () => ({ x, y })),
  handedness,
  score: 0.9,
  holding,
});

describe('hand tracks', () => {
  it('takes the palm centre from the wrist and finger bases', () => {
    const h = hand(0.5, 0.5);
    const lm = h.landmarks.map((p, i) => (i === 8 ? { x: 0.9, y: 0.9 } : p)); // a fingertip far off
    expect(palmCentre({ ...h, landmarks: lm })).toEqual({ x: 0.5, y: 0.5 });
  });

  it('matches detections to the nearest track and starts a new hand beyond the gate', () => {
    const a = newHandTrack(1, hand(0.2, 0.5), 0, TEST_ZONES);
    const b = newHandTrack(2, hand(0.6, 0.5, 0.1, 'Left'), 0, TEST_ZONES);
    const dets = [hand(0.62, 0.52, 0.1, 'Left'), hand(0.22, 0.5), hand(0.95, 0.05)];
    const { pairs, newDetections } = associate([a, b], dets, DEFAULT_TRACKER_CONFIG.maxAssociationDistance);
    expect(pairs.sort()).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(newDetections).toEqual([2]);
  });

  it('confirms a zone change and a holding change only after they last, with hysteresis', () => {
    const cfg = DEFAULT_TRACKER_CONFIG;
    const t = newHandTrack(1, hand(PLACES.pickup.x, PLACES.pickup.y), 0, TEST_ZONES);
    const s = PLACES.scanner;
    expect(observeHand(t, hand(s.x, s.y, 0.9), 66, TEST_ZONES, cfg)).toEqual([]);
    expect(observeHand(t, hand(s.x, s.y, 0.9), 133, TEST_ZONES, cfg)).toEqual([
      { kind: 'zone', from: 'pickup', to: 'scanner', atMs: 66, lastInFromMs: 0 },
      { kind: 'hold', holding: true, atMs: 66 },
    ]);
    // 0.5 is between holdOff and holdOn: still holding.
    expect(observeHand(t, hand(s.x, s.y, 0.5), 200, TEST_ZONES, cfg)).toEqual([]);
    expect(observeHand(t, hand(s.x, s.y, 0.5), 266, TEST_ZONES, cfg)).toEqual([]);
    expect(t.holding).toBe(true);
    expect(zonesBefore(t, 300, cfg.originLookbackMs)).toEqual(['pickup']);
  });
});
