import { describe, expect, it } from 'vitest';
import type { PerceptionEvent } from '../../../src/core/perception/events.ts';
import { loadAnnotations } from '../../eval/pixel/annotations.ts';
import { recorderToMedia, scoreAll, toPosClock } from '../../eval/pixel/bottleScore.ts';

const T0 = Date.UTC(2026, 10, 22, 8, 0, 0);

/** What a perfect tracker would report for a lift-out: pass over the scanner, move, landing. */
function trip(trackId: number, fromS: number, toS: number): PerceptionEvent[] {
  const s = T0 + fromS * 1000;
  const e = T0 + toS * 1000;
  const base = { v: 1 as const, confidence: 0.9, atMs: e + 150 };
  return [
    {
      ...base,
      type: 'itemPassedScanner',
      trackId,
      fromZone: 'pickup',
      holdingItem: true,
      startMs: s,
      endMs: s + 600,
      atMs: s + 750,
    },
    { ...base, type: 'scanMotion', trackId, startMs: s + 100, endMs: s + 500, atMs: s + 650 },
    { ...base, type: 'itemMovedPickupToBagging', trackId, viaScanner: true, startMs: s, endMs: e },
    { ...base, type: 'itemPlacedInBagging', trackId, fromZone: 'scanner', startMs: e - 200, endMs: e },
  ];
}

describe('bottle clip scoring', () => {
  const a = loadAnnotations();
  // One trip per lift-out, each crossing the scanner when the annotation says.
  const lifts = a.moves.filter((m) => m.kind === 'pickupToBagging');
  const perfect = lifts.flatMap((m, i) => trip(i + 1, m.crossesScannerS! - 0.3, m.endS));

  it('with perfect perception the planted missed scans are caught and the scanned ones raise nothing', () => {
    const byName = Object.fromEntries(scoreAll(a, perfect, T0).map((s) => [s.scenario, s]));
    expect(byName.planted!.detected.sort()).toEqual(['m1', 'm6']);
    expect(byName.planted!.recall).toBe(1);
    expect(byName.planted!.falseAlarms).toEqual([]);
    expect(byName.allScanned!.falseAlarms).toEqual([]);
    expect(byName.allScanned!.recall).toBeNull();
    expect(byName.noneScanned!.recall).toBe(1);
  });

  it('with no perception nothing is detected (recall 0, not a division error)', () => {
    const planted = scoreAll(a, [], T0).find((s) => s.scenario === 'planted')!;
    expect(planted.recall).toBe(0);
    expect(planted.missed.sort()).toEqual(['m1', 'm6']);
  });

  it('counts one suspicion for one move only, even when two moves happen together', () => {
    const together = lifts.filter((m) => m.id === 'm3a' || m.id === 'm3b');
    expect(together).toHaveLength(2);
    const first = together[0]!;
    const none = scoreAll(a, trip(1, first.crossesScannerS! - 0.3, first.endS), T0).find(
      (s) => s.scenario === 'noneScanned',
    )!;
    expect(none.detected).toHaveLength(1);
    expect(['m3a', 'm3b']).toContain(none.detected[0]);
  });

  it('moves recorder-clock events onto the POS clock', () => {
    const [e] = toPosClock(trip(1, 1, 2), (t) => t - (T0 - 5000), T0);
    expect(e!.startMs - T0).toBe(1000 + 5000);
  });
});

describe('recorderToMedia', () => {
  it('maps frame stamps back to media time, also when pushing fell behind the video', () => {
    // 10 fps video; frames 0..2 pushed on time, frame 3 pushed 500 ms late.
    const f = recorderToMedia([1000, 1100, 1200, 1800], 10);
    expect(f(1000)).toBe(0);
    expect(f(1150)).toBe(150);
    // Between the late frames media time stops at the next frame's start.
    expect(f(1700)).toBe(300);
    expect(f(1800)).toBe(300);
    expect(f(1900)).toBe(400);
    expect(() => recorderToMedia([], 10)).toThrow(/no frames/);
  });
});
