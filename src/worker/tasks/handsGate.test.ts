import { describe, expect, it } from 'vitest';
import { DEFAULT_HANDS_GATE, HandsGate } from './handsGate.ts';

const still = { pickup: 0, scanner: 0, bagging: 0 };

describe('HandsGate', () => {
  it('runs on the first frame, then skips a still lane until the probe interval', () => {
    const g = new HandsGate();
    expect(g.shouldRun({ tMs: 0, zoneMotion: still, globalMotion: 0 })).toBe(true);
    g.ran(0, 0);
    expect(g.shouldRun({ tMs: 100, zoneMotion: still, globalMotion: 0 })).toBe(false);
    expect(g.shouldRun({ tMs: DEFAULT_HANDS_GATE.probeMs, zoneMotion: still, globalMotion: 0 })).toBe(true);
  });

  it('runs while a zone moves; motion outside every zone does not count', () => {
    const g = new HandsGate();
    g.ran(0, 0);
    expect(g.shouldRun({ tMs: 100, zoneMotion: { ...still, bagging: 0.05 }, globalMotion: 0.01 })).toBe(true);
    expect(g.shouldRun({ tMs: 100, zoneMotion: still, globalMotion: 0.3 })).toBe(false);
  });

  it('uses the whole image when no zones are drawn', () => {
    const g = new HandsGate();
    g.ran(0, 0);
    expect(g.shouldRun({ tMs: 100, zoneMotion: null, globalMotion: 0.0001 })).toBe(false);
    expect(g.shouldRun({ tMs: 100, zoneMotion: null, globalMotion: 0.01 })).toBe(true);
  });

  it('keeps running for a while after a hand was seen, even when nothing moves', () => {
    const g = new HandsGate();
    g.ran(0, 1);
    g.ran(80, 0);
    expect(g.shouldRun({ tMs: DEFAULT_HANDS_GATE.handHoldMs, zoneMotion: still, globalMotion: 0 })).toBe(
      true,
    );
    expect(g.shouldRun({ tMs: DEFAULT_HANDS_GATE.handHoldMs + 90, zoneMotion: still, globalMotion: 0 })).toBe(
      false,
    );
    g.reset();
    expect(g.shouldRun({ tMs: 200, zoneMotion: still, globalMotion: 0 })).toBe(true);
  });
});
