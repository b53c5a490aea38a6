import { describe, expect, it } from 'vitest';
import { AppearancePlanner, type PlannerAction } from './appearancePlanner.ts';
import { fitRect, handCropRect, pickItemBox } from './appearanceCrop.ts';
import type { PerceptionEvent } from './events.ts';
import type { HandObservation } from './frameObservation.ts';
import { PerceptionTracker } from './tracker.ts';
import { path, renderScene, TEST_ZONES, type HandScript } from './tracker.testkit.ts';

const W = 640;
const H = 360;

/** Runs a scene through the real tracker and the planner; the reader takes `readMs` per read. */
function run(hands: HandScript[], durationMs: number, readMs = 800) {
  const tracker = new PerceptionTracker(TEST_ZONES);
  const planner = new AppearancePlanner(TEST_ZONES);
  const actions: (PlannerAction & { at: number })[] = [];
  const events: PerceptionEvent[] = [];
  let busyUntil = -Infinity;
  for (const obs of renderScene({ durationMs, hands, seed: 3 })) {
    const ev = tracker.push(obs);
    events.push(...ev);
    if (!obs.analysed) continue;
    const out = planner.frame({
      tMs: obs.tMs,
      width: W,
      height: H,
      hands: obs.hands,
      events: ev,
      readerBusy: obs.tMs < busyUntil,
    });
    for (const a of out) {
      if (a.kind === 'read') busyUntil = obs.tMs + readMs;
      actions.push({ ...a, at: obs.tMs });
    }
  }
  return { actions, events };
}

/** Pick-up → scanner (held, lingering) → bagging, starting at t0. */
const carry = (t0: number): HandScript => ({
  keys: path(t0, [
    ['pickup', 0, 0.2],
    ['pickup', 300, 0.9],
    ['scanner', 500, 0.9],
    ['scanner', 700, 0.9],
    ['bagging', 500, 0.9],
    ['bagging', 400, 0.1],
    ['around', 600, 0.1],
  ]),
});

describe('AppearancePlanner', () => {
  it('snapshots a held item in the scanner and reads it once for the tracker pass', () => {
    const { actions, events } = run([carry(200)], 5000);
    const pass = events.find((e) => e.type === 'itemPassedScanner' && e.holdingItem);
    expect(pass).toBeDefined();
    const captures = actions.filter((a) => a.kind === 'capture');
    expect(captures.length).toBeGreaterThanOrEqual(1);
    const reads = actions.filter((a) => a.kind === 'read');
    expect(reads).toHaveLength(1);
    const read = reads[0]!;
    expect(read.kind === 'read' && read.trackId).toBe(pass && 'trackId' in pass ? pass.trackId : -1);
    // The read follows the pass and covers the frames the snapshot came from.
    const lastCapture = captures[captures.length - 1]!;
    expect(read.kind === 'read' && read.startMs <= lastCapture.tMs && read.endMs >= lastCapture.tMs).toBe(
      true,
    );
    for (const c of captures) {
      if (c.kind !== 'capture') continue;
      expect(c.rect.w).toBeGreaterThanOrEqual(96);
      expect(c.rect.x + c.rect.w).toBeLessThanOrEqual(W);
      expect(c.rect.y + c.rect.h).toBeLessThanOrEqual(H);
    }
  });

  it('never snapshots an empty hand or a hand holding something outside the scanner', () => {
    const empty: HandScript = {
      keys: path(200, [
        ['pickup', 0, 0.1],
        ['scanner', 500, 0.1],
        ['bagging', 500, 0.1],
      ]),
    };
    const around: HandScript = {
      keys: path(200, [
        ['pickup', 0, 0.9],
        ['around', 600, 0.9],
        ['bagging', 600, 0.9],
      ]),
    };
    expect(run([empty], 3000).actions).toEqual([]);
    expect(run([around], 3000).actions.filter((a) => a.kind !== 'release')).toEqual([]);
  });

  it('keeps reads at least minIntervalMs apart and drops the older waiting read', () => {
    // Three items in a row with a reader slower than the items come: reads stay spaced out.
    const hands = [0, 1, 2].map((i) => carry(200 + i * 2600));
    const { actions } = run(hands, 10_000, 2500);
    const reads = actions.filter((a) => a.kind === 'read');
    for (let i = 1; i < reads.length; i++)
      expect(reads[i]!.at - reads[i - 1]!.at).toBeGreaterThanOrEqual(1500);
    // Every snapshot ends read or released: none leaks.
    const keys = new Set(actions.filter((a) => a.kind === 'capture').map((a) => a.key));
    const ended = new Set(actions.filter((a) => a.kind !== 'capture').map((a) => a.key));
    const openKeys = [...keys].filter((k) => !ended.has(k));
    expect(openKeys.length).toBeLessThanOrEqual(1);
    expect(reads.length).toBeGreaterThanOrEqual(1);
  });

  it('reads a track at most maxReadsPerTrack times', () => {
    const planner = new AppearancePlanner(TEST_ZONES, { maxReadsPerTrack: 1, minIntervalMs: 0 });
    const hand = handAt(0.48, 0.5, 0.9);
    const pass = (t: number): PerceptionEvent => ({
      v: 1,
      type: 'itemPassedScanner',
      trackId: 7,
      fromZone: 'pickup',
      holdingItem: true,
      atMs: t,
      startMs: t - 300,
      endMs: t,
      confidence: 0.9,
    });
    const frame = (tMs: number, events: PerceptionEvent[] = [], hands = [hand]) =>
      planner.frame({ tMs, width: W, height: H, hands, events, readerBusy: false });
    frame(1000);
    expect(frame(1100, [pass(1100)]).map((a) => a.kind)).toEqual(['read']);
    frame(6000);
    expect(frame(6100, [pass(6100)])).toEqual([{ kind: 'release', key: 2, reason: 'trackLimit' }]);
  });

  it('rejects a nonsense config', () => {
    expect(() => new AppearancePlanner(TEST_ZONES, { minIntervalMs: Number.NaN })).toThrow(/minIntervalMs/);
  });
});

/** A template hand with palm centre near (x, y), palm length about 0.1 of the frame height. */
function handAt(x: number, y: number, holding: number): HandObservation {
  const landmarks = Array.from({ length: 21 }, (_, i) => ({
    x: x + (i === 0 ? 0 : ((i % 5) - 2) * 0.01),
    y: y + (i === 0 ? 0.05 : -0.01 * Math.ceil(i / 5)),
  }));
  return { landmarks, handedness: 'Right', score: 0.9, holding };
}

describe('crop geometry', () => {
  it('crops around the hand with a palm margin, at least the minimum size, inside the frame', () => {
    const r = handCropRect(handAt(0.5, 0.5, 1), W, H, { marginPalms: 1, minSidePx: 96 });
    expect(r.w).toBeGreaterThanOrEqual(96);
    expect(r.h).toBeGreaterThanOrEqual(96);
    expect(r.x).toBeLessThan(0.5 * W - 0.02 * W);
    expect(r.x + r.w).toBeGreaterThan(0.5 * W + 0.02 * W);
    const corner = handCropRect(handAt(0.01, 0.99, 1), W, H, { marginPalms: 1, minSidePx: 96 });
    expect(corner.x).toBe(0);
    expect(corner.y + corner.h).toBe(H);
  });

  it('clamps a crop bigger than the frame to the frame and rejects an empty frame', () => {
    expect(fitRect({ x: 50, y: 50, w: 10, h: 10 }, 200, 100, 300)).toEqual({ x: 0, y: 0, w: 200, h: 100 });
    expect(() => fitRect({ x: 0, y: 0, w: 1, h: 1 }, 0, 100, 10)).toThrow(/empty frame/);
  });

  it('takes the best goods box overlapping the hand, never a phone', () => {
    const hand = { x: 100, y: 100, w: 100, h: 100 };
    const boxes = [
      { x: 120, y: 120, w: 50, h: 50, score: 0.95, nonItemKind: 'phone' },
      { x: 150, y: 150, w: 80, h: 80, score: 0.7, nonItemKind: null },
      { x: 400, y: 10, w: 80, h: 80, score: 0.99, nonItemKind: null },
    ];
    expect(pickItemBox(boxes, hand)?.score).toBe(0.7);
    expect(pickItemBox(boxes.slice(0, 1), hand)).toBeNull();
  });
});
