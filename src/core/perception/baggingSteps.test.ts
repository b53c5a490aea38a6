import { describe, expect, it } from 'vitest';
import { BaggingSteps } from './baggingSteps.ts';
import { DEFAULT_TRACKER_CONFIG } from './trackerConfig.ts';

/** Feeds `level` every 66 ms from `fromMs` to `toMs`; returns the steps seen. */
function feed(steps: BaggingSteps, fromMs: number, toMs: number, level: number, quiet = true) {
  const out = [];
  for (let t = fromMs; t <= toMs; t += 66) {
    const s = steps.push(t, level, quiet);
    if (s) out.push(s);
  }
  return out;
}

describe('BaggingSteps', () => {
  it('learns the first level silently, then reports a rise that holds', () => {
    const steps = new BaggingSteps(DEFAULT_TRACKER_CONFIG);
    expect(feed(steps, 0, 1000, 0.1)).toEqual([]);
    expect(steps.settledLevel).toBeCloseTo(0.1);
    const rise = feed(steps, 1066, 2000, 0.14);
    expect(rise).toHaveLength(1);
    expect(rise[0]).toMatchObject({ direction: 'rise', lastOldMs: 990 });
    expect(rise[0]!.delta).toBeCloseTo(0.04);
    expect(rise[0]!.confirmedMs - 1066).toBeGreaterThanOrEqual(DEFAULT_TRACKER_CONFIG.stepHoldMs);
  });

  it('reads no level while a hand is in the zone, so the hand itself is never a step', () => {
    const steps = new BaggingSteps(DEFAULT_TRACKER_CONFIG);
    feed(steps, 0, 1000, 0.1);
    expect(feed(steps, 1066, 3000, 0.2, false)).toEqual([]);
    const after = feed(steps, 3066, 4000, 0.1);
    expect(after).toEqual([]);
  });

  it('reports a fall, and lets small drifts move the reference without an event', () => {
    const steps = new BaggingSteps(DEFAULT_TRACKER_CONFIG);
    feed(steps, 0, 1000, 0.2);
    expect(feed(steps, 1066, 2000, 0.21)).toEqual([]); // 0.01 < minOccupancyStep
    expect(steps.settledLevel).toBeCloseTo(0.21);
    expect(feed(steps, 2066, 3000, 0.15).map((s) => s.direction)).toEqual(['fall']);
  });

  it('does not confirm a level that never holds still', () => {
    const steps = new BaggingSteps(DEFAULT_TRACKER_CONFIG);
    feed(steps, 0, 1000, 0.1);
    const out = [];
    for (let i = 0; i < 30; i++) {
      const s = steps.push(1066 + i * 66, i % 2 === 0 ? 0.13 : 0.16, true);
      if (s) out.push(s);
    }
    expect(out).toEqual([]);
  });
});
