import { describe, expect, it } from 'vitest';
import { BACKOFF_CAP_MS, backoffDelay } from './backoff.ts';

describe('backoffDelay', () => {
  it('doubles per attempt between half and the whole step', () => {
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, () => 0))).toEqual([1000, 2000, 4000, 8000]);
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, () => 0.999999))).toEqual([2000, 4000, 8000, 16000]);
  });

  it('never exceeds the cap, even after days of attempts', () => {
    for (const attempts of [9, 50, 10_000]) {
      const d = backoffDelay(attempts, () => 0.999999);
      expect(d).toBeLessThanOrEqual(BACKOFF_CAP_MS);
      expect(d).toBeGreaterThanOrEqual(BACKOFF_CAP_MS / 2);
    }
  });

  it('spreads lanes that failed together', () => {
    const delays = new Set([0.1, 0.4, 0.7, 0.9].map((r) => backoffDelay(6, () => r)));
    expect(delays.size).toBe(4);
  });

  it('waits at least what the server asked (Retry-After), within the cap', () => {
    expect(backoffDelay(1, () => 0, 30_000)).toBe(30_000);
    expect(backoffDelay(1, () => 0, 3_600_000)).toBe(BACKOFF_CAP_MS);
  });
});
