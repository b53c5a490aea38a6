import { describe, expect, it } from 'vitest';
import { FailureLimiter } from './failureLimiter.ts';

describe('FailureLimiter', () => {
  it('blocks a key after maxFailures until the window ends, and leaves other keys alone', () => {
    let now = 1_000_000;
    const limiter = new FailureLimiter(3, 60_000, () => now);
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfter('a')).toBe(0);
      limiter.fail('a');
    }
    expect(limiter.retryAfter('a')).toBe(60);
    expect(limiter.retryAfter('b')).toBe(0);
    now += 30_000;
    expect(limiter.retryAfter('a')).toBe(30);
    now += 30_000;
    expect(limiter.retryAfter('a')).toBe(0);
  });

  it('forgets failures after a success', () => {
    const limiter = new FailureLimiter(2, 60_000);
    limiter.fail('a');
    limiter.fail('a');
    expect(limiter.retryAfter('a')).toBeGreaterThan(0);
    limiter.succeed('a');
    expect(limiter.retryAfter('a')).toBe(0);
  });
});
