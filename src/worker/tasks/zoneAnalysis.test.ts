import { describe, expect, it } from 'vitest';
import type { LaneZones } from '../../core/lane/zones.ts';
import { DEFAULT_ZONE_ANALYSIS, ZoneAnalyzer, rgbaToGrey } from './zoneAnalysis.ts';

const W = 20;
const H = 10;
const rect = (x0: number, y0: number, x1: number, y1: number) => [
  { x: x0, y: y0 },
  { x: x1, y: y0 },
  { x: x1, y: y1 },
  { x: x0, y: y1 },
];
/** pickup = left half, scanner = right half top, bagging = right half bottom. */
const ZONES: LaneZones = {
  v: 1,
  zones: { pickup: rect(0, 0, 0.5, 1), scanner: rect(0.5, 0, 1, 0.5), bagging: rect(0.5, 0.5, 1, 1) },
  updatedAt: '2026-11-22T08:00:00Z',
};

function frame(fill: number, patches: { x0: number; y0: number; x1: number; y1: number; v: number }[] = []) {
  const g = new Uint8Array(W * H).fill(fill);
  for (const p of patches)
    for (let y = p.y0; y < p.y1; y++) for (let x = p.x0; x < p.x1; x++) g[y * W + x] = p.v;
  return g;
}

function analyzer() {
  const a = new ZoneAnalyzer(W, H);
  a.setZones(ZONES);
  return a;
}

describe('ZoneAnalyzer', () => {
  it('reports no motion or occupancy on a still, empty lane', () => {
    const a = analyzer();
    let r = a.analyse(frame(100));
    for (let i = 0; i < 10; i++) r = a.analyse(frame(100));
    expect(r.motion).toEqual({ pickup: 0, scanner: 0, bagging: 0 });
    expect(r.occupancy).toEqual({ pickup: 0, scanner: 0, bagging: 0 });
    expect(r.backgroundReady).toBe(true);
  });

  it('measures motion as the share of zone cells changed since the previous frame', () => {
    const a = analyzer();
    a.analyse(frame(100));
    // A 5x5 bright patch in the bagging zone (50 cells): half of it moves in.
    const r = a.analyse(frame(100, [{ x0: 10, y0: 5, x1: 15, y1: 10, v: 200 }]));
    expect(r.motion.bagging).toBeCloseTo(0.5);
    expect(r.motion.scanner).toBe(0);
    expect(r.motion.pickup).toBe(0);
    expect(r.globalMotion).toBeCloseTo(25 / 200);
  });

  it('ignores changes below the motion threshold (sensor noise)', () => {
    const a = analyzer();
    a.analyse(frame(100));
    const r = a.analyse(frame(100 + DEFAULT_ZONE_ANALYSIS.motionThreshold - 1));
    expect(r.globalMotion).toBe(0);
  });

  it('keeps an object set down as occupancy after the motion stops, and learns it only slowly', () => {
    const a = analyzer();
    for (let i = 0; i < 10; i++) a.analyse(frame(100));
    const item = [{ x0: 10, y0: 5, x1: 15, y1: 10, v: 200 }];
    const placed = a.analyse(frame(100, item));
    expect(placed.occupancy.bagging).toBeCloseTo(0.5);
    // One second later at 12 fps the item is still there and still occupied.
    let r = placed;
    for (let i = 0; i < 12; i++) r = a.analyse(frame(100, item));
    expect(r.motion.bagging).toBe(0);
    expect(r.occupancy.bagging).toBeCloseTo(0.5);
    // Taken away again: occupancy falls back at once.
    r = a.analyse(frame(100));
    expect(r.occupancy.bagging).toBe(0);
  });

  it('does not learn cells under a hand (exclude mask) into the background', () => {
    const a = analyzer();
    for (let i = 0; i < 10; i++) a.analyse(frame(100));
    const hand = [{ x0: 0, y0: 0, x1: 5, y1: 5, v: 30 }];
    const exclude = frame(0, [{ x0: 0, y0: 0, x1: 5, y1: 5, v: 1 }]);
    let r = a.analyse(frame(100, hand), exclude);
    // A hand resting still for 30 s (360 frames) stays foreground.
    for (let i = 0; i < 360; i++) r = a.analyse(frame(100, hand), exclude);
    expect(r.occupancy.pickup).toBeCloseTo(25 / 100);
  });

  it('follows a slow global light change (one grey level every 2 s)', () => {
    const a = analyzer();
    let r = a.analyse(frame(100));
    for (let i = 0; i < 60 * 24; i++) r = a.analyse(frame(100 + Math.floor(i / 24)));
    expect(r.occupancy).toEqual({ pickup: 0, scanner: 0, bagging: 0 });
  });

  it('measures the whole image without zones, and forgets everything on reset', () => {
    const a = new ZoneAnalyzer(W, H);
    a.analyse(frame(100));
    const r = a.analyse(frame(100, [{ x0: 0, y0: 0, x1: 20, y1: 5, v: 0 }]));
    expect(r.motion).toEqual({});
    expect(r.globalMotion).toBeCloseTo(0.5);
    a.reset();
    expect(a.backgroundReady).toBe(false);
    expect(a.analyse(frame(0)).globalMotion).toBe(0);
  });

  it('rejects a frame of the wrong size with a clear error', () => {
    expect(() => analyzer().analyse(new Uint8Array(7))).toThrow(/200 grey pixels, got 7/);
  });
});

describe('rgbaToGrey', () => {
  it('uses BT.601 luma weights', () => {
    const rgba = new Uint8ClampedArray([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255]);
    expect([...rgbaToGrey(rgba, new Uint8Array(4))]).toEqual([76, 149, 28, 255]);
  });
});
