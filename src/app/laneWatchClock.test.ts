import { describe, expect, it } from 'vitest';
import { shiftTimes } from './laneWatchClock.ts';

describe('shiftTimes', () => {
  it('moves every time of a perception event by the clock offset and leaves the rest', () => {
    const e = { v: 1, type: 'scanMotion', trackId: 3, atMs: 1000, startMs: 800, endMs: 900, confidence: 0.9 };
    expect(shiftTimes([e], 50)).toEqual([{ ...e, atMs: 1050, startMs: 850, endMs: 950 }]);
    expect(e.atMs).toBe(1000);
  });

  it('passes malformed entries on untouched, for validation to name', () => {
    const bad = [null, 'x', { atMs: '1' }];
    expect(shiftTimes(bad, 50)).toEqual(bad);
  });
});
