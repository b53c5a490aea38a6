import { describe, expect, it } from 'vitest';
import { FrameRateGate, RateMeter, RollingStats } from './rollingStats.ts';

describe('RollingStats', () => {
  it('gives nearest-rank percentiles over the last samples only', () => {
    const s = new RollingStats(100);
    for (let i = 1; i <= 100; i++) s.add(i);
    expect(s.summary()).toEqual({ n: 100, p50: 50, p95: 95, max: 100 });
    for (let i = 0; i < 100; i++) s.add(1000);
    expect(s.summary().p50).toBe(1000);
    expect(new RollingStats().summary().n).toBe(0);
  });
});

describe('RateMeter', () => {
  it('counts events per second in its window', () => {
    const r = new RateMeter(1000);
    for (let t = 0; t < 3000; t += 100) r.tick(t);
    expect(r.rate(2950)).toBe(10);
    expect(r.rate(10_000)).toBe(0);
  });
});

describe('FrameRateGate', () => {
  const keep = (cameraFps: number, target: number, seconds = 10, jitterMs = 0) => {
    const gate = new FrameRateGate(target);
    let kept = 0;
    for (let i = 0; i < cameraFps * seconds; i++) {
      const jitter = jitterMs * Math.sin(i * 1.7);
      if (gate.accept((i * 1000) / cameraFps + jitter)) kept++;
    }
    return kept / seconds;
  };

  it('keeps the target rate from faster cameras, even with jitter', () => {
    expect(keep(15, 12)).toBeCloseTo(12, 0);
    expect(keep(30, 12)).toBeCloseTo(12, 0);
    expect(keep(30, 15, 10, 3)).toBeCloseTo(15, 0);
    expect(keep(25, 12, 10, 2)).toBeCloseTo(12, 0);
  });

  it('keeps every frame of a camera slower than the target', () => {
    expect(keep(10, 12)).toBe(10);
  });

  it('starts afresh after a reset (new camera)', () => {
    const gate = new FrameRateGate(10);
    expect(gate.accept(5000)).toBe(true);
    gate.reset();
    expect(gate.accept(10)).toBe(true);
  });
});
