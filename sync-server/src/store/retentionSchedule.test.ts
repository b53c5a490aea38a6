import { afterEach, describe, expect, it, vi } from 'vitest';
import { diskFreeBytes } from './diskFree.ts';
import { startRetentionSchedule } from './retentionSchedule.ts';

describe('startRetentionSchedule', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs at once and then on every interval, never two runs at a time', async () => {
    vi.useFakeTimers();
    let release: () => void = () => undefined;
    const run = vi.fn(
      () =>
        new Promise<number>((resolve) => {
          release = () => resolve(run.mock.calls.length);
        }),
    );
    const reports: number[] = [];
    const schedule = startRetentionSchedule({
      run,
      onReport: (r) => reports.push(r),
      onError: () => undefined,
      intervalMs: 1000,
    });
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(2500); // the first run is still going: no second one
    expect(run).toHaveBeenCalledTimes(1);
    release();
    await vi.advanceTimersByTimeAsync(1000);
    expect(reports).toEqual([1]);
    expect(run).toHaveBeenCalledTimes(2);
    schedule.stop();
    release();
    await vi.advanceTimersByTimeAsync(5000);
    expect(run).toHaveBeenCalledTimes(2);
    expect(reports).toEqual([1, 2]);
  });

  it('reports a failed run and keeps going', async () => {
    const errors: unknown[] = [];
    const schedule = startRetentionSchedule({
      run: () => Promise.reject(new Error('disk gone')),
      onReport: () => undefined,
      onError: (e) => errors.push(e),
      intervalMs: 60_000,
    });
    await schedule.runNow();
    schedule.stop();
    expect(errors.map((e) => (e as Error).message)).toEqual(['disk gone']);
  });
});

describe('diskFreeBytes', () => {
  it('reports a plausible, positive number of free bytes', async () => {
    const free = await diskFreeBytes(process.cwd());
    expect(Number.isSafeInteger(free)).toBe(true);
    expect(free).toBeGreaterThan(0);
  });
});
