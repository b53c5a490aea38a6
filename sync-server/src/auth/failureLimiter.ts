/**
 * Counts failed attempts per key (a client IP) in a fixed window, so guessing enrolment codes is slow.
 * In memory on purpose: one store server per site, and a restart resetting the counters is harmless
 * next to 50-bit one-time codes that expire.
 */
export class FailureLimiter {
  private readonly failures = new Map<string, { count: number; windowStart: number }>();

  constructor(
    readonly maxFailures: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until `key` may try again, or 0 if it may try now. */
  retryAfter(key: string): number {
    const entry = this.current(key);
    if (!entry || entry.count < this.maxFailures) return 0;
    return Math.ceil((entry.windowStart + this.windowMs - this.now()) / 1000);
  }

  fail(key: string): void {
    const entry = this.current(key);
    if (entry) entry.count++;
    else this.failures.set(key, { count: 1, windowStart: this.now() });
    if (this.failures.size > 10_000) this.prune();
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }

  private current(key: string): { count: number; windowStart: number } | undefined {
    const entry = this.failures.get(key);
    if (entry && this.now() - entry.windowStart >= this.windowMs) {
      this.failures.delete(key);
      return undefined;
    }
    return entry;
  }

  // Bounds memory under a flood of distinct addresses.
  private prune(): void {
    for (const key of [...this.failures.keys()]) this.current(key);
  }
}
