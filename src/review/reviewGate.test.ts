import { describe, expect, it } from 'vitest';
import { ReviewGate, type ReviewGateOptions } from './reviewGate.ts';

const OPTS: ReviewGateOptions = {
  zoneMotion: 0.004,
  activeIntervalMs: 333,
  crossingIntervalMs: 83,
  crossingWindowMs: 400,
  crossingMotion: 0.012,
  crossingQuietMs: 500,
  handHoldMs: 1500,
  probeMs: 2000,
};

/** Feeds 12 fps frames; motion(t) gives the zone motion; hands(t) what the model would find. */
function runs(
  durationMs: number,
  motion: (t: number) => Record<string, number>,
  hands: (t: number) => number,
  opts = OPTS,
) {
  const gate = new ReviewGate(opts);
  const out: { t: number; mode: string }[] = [];
  for (let k = 0; k < Math.round((durationMs * 12) / 1000); k++) {
    const t = (k * 1000) / 12;
    if (gate.shouldRun({ tMs: t, zoneMotion: motion(t), globalMotion: 0 })) {
      gate.ran(t, hands(t));
      out.push({ t, mode: gate.lastMode });
    }
  }
  return out;
}

describe('ReviewGate', () => {
  it('probes an idle lane only every probeMs', () => {
    const r = runs(
      10_000,
      () => ({ pickup: 0, scanner: 0, bagging: 0 }),
      () => 0,
    );
    expect(r.map((x) => Math.round(x.t))).toEqual([0, 2000, 4000, 6000, 8000]);
    expect(r.every((x) => x.mode === 'idle')).toBe(true);
  });

  it('runs at the active rate while a zone keeps moving, not on every frame', () => {
    const r = runs(
      6000,
      () => ({ pickup: 0.05, scanner: 0, bagging: 0 }),
      () => 1,
    );
    // 6 s at 333 ms spacing on a 12 fps grid: one run per 4 frames (333 ms) = 18 runs.
    expect(r.length).toBe(18);
    expect(r.slice(1).every((x) => x.mode === 'active')).toBe(true);
  });

  it('runs densely for crossingWindowMs when a zone starts or stops moving', () => {
    const moving = (t: number) => ({ pickup: 0.05, scanner: t >= 2000 ? 0.05 : 0, bagging: 0 });
    const r = runs(4000, moving, () => 1);
    const crossing = r.filter((x) => x.mode === 'crossing');
    // The scanner starts moving at 2 s: every frame (83 ms) within the next 400 ms.
    expect(crossing.length).toBe(5);
    expect(Math.round(crossing[0]!.t)).toBe(2000);
    expect(crossing.every((x) => x.t >= 2000 && x.t <= 2400)).toBe(true);
  });

  it('keeps the active rate for handHoldMs after the last hand, then falls back to probing', () => {
    const r = runs(
      8000,
      (t) => ({ pickup: t < 1000 ? 0.05 : 0, scanner: 0, bagging: 0 }),
      (t) => (t < 1000 ? 1 : 0),
    );
    const active = r.filter((x) => x.mode === 'active');
    // The hand was last seen before 1 s; the active rate may run up to 1 s + handHoldMs.
    expect(Math.max(...active.map((x) => x.t))).toBeLessThanOrEqual(1000 + OPTS.handHoldMs);
    expect(r.filter((x) => x.t > 3000).every((x) => x.mode === 'idle')).toBe(true);
  });

  it('a zone flickering around the threshold is one crossing, not one per flicker', () => {
    const flicker = (t: number) => ({ scanner: Math.round(t / (1000 / 12)) % 2 ? 0.02 : 0.001 });
    const r = runs(3000, flicker, () => 1);
    const starts = r.filter((x, i) => x.mode === 'crossing' && r[i - 1]?.mode !== 'crossing');
    expect(starts.length).toBe(1);
  });

  it('pick-up motion alone is active, never a crossing', () => {
    const r = runs(
      3000,
      (t) => ({ pickup: t > 1000 ? 0.05 : 0 }),
      () => 1,
    );
    expect(r.some((x) => x.mode === 'crossing')).toBe(false);
  });

  it('does not treat the first frame as a crossing (a clip opening mid-move)', () => {
    const r = runs(
      300,
      () => ({ scanner: 0.05 }),
      () => 1,
    );
    expect(r.map((x) => x.mode)).toEqual(['active']);
  });

  it('rejects a negative or non-finite setting', () => {
    expect(() => new ReviewGate({ ...OPTS, activeIntervalMs: -1 })).toThrow(/activeIntervalMs/);
    expect(() => new ReviewGate({ ...OPTS, probeMs: Number.NaN })).toThrow(/probeMs/);
  });

  it('reset forgets hands, runs and the moving zones', () => {
    const gate = new ReviewGate(OPTS);
    gate.shouldRun({ tMs: 0, zoneMotion: { scanner: 0.05 }, globalMotion: 0 });
    gate.ran(0, 1);
    gate.reset();
    expect(gate.shouldRun({ tMs: 10, zoneMotion: { scanner: 0 }, globalMotion: 0 })).toBe(true);
    expect(gate.lastMode).toBe('idle');
  });
});
