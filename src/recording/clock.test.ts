import { describe, expect, it } from 'vitest';
import { epochToMono, monoToEpoch, type ClockSource } from './clock.ts';

describe('recorder clock', () => {
  it('converts epoch marks to the monotonic clock and back', () => {
    const clock: ClockSource = { epochNow: () => 1_700_000_010_000, monoNow: () => 1_700_000_000_000 };
    expect(epochToMono(1_700_000_009_000, clock)).toBe(1_699_999_999_000);
    expect(monoToEpoch(1_699_999_999_000, clock)).toBe(1_700_000_009_000);
  });

  it('uses the offset at the time of the call (a wall-clock step moves only later marks)', () => {
    let wall = 5000;
    const clock: ClockSource = { epochNow: () => wall, monoNow: () => 1000 };
    const before = epochToMono(4000, clock);
    wall = 65_000; // NTP stepped the wall clock a minute ahead
    expect(before).toBe(0);
    expect(epochToMono(64_000, clock)).toBe(0);
  });
});
