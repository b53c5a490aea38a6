/** Small fixed-memory statistics for the recorder's metrics (the worker runs for days). */

export interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  max: number;
}

/** The last `capacity` samples; percentiles by nearest rank. */
export class RollingStats {
  private readonly samples: number[] = [];
  private next = 0;

  constructor(private readonly capacity = 240) {}

  add(value: number): void {
    if (!Number.isFinite(value)) return;
    if (this.samples.length < this.capacity) this.samples.push(value);
    else this.samples[this.next] = value;
    this.next = (this.next + 1) % this.capacity;
  }

  summary(): Percentiles {
    const n = this.samples.length;
    if (n === 0) return { n: 0, p50: 0, p95: 0, max: 0 };
    const sorted = [...this.samples].sort((a, b) => a - b);
    const rank = (p: number) => sorted[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))] ?? 0;
    return { n, p50: rank(0.5), p95: rank(0.95), max: sorted[n - 1] ?? 0 };
  }
}

/** Events per second over the last `windowMs`. */
export class RateMeter {
  private readonly times: number[] = [];

  constructor(private readonly windowMs = 5000) {}

  tick(tMs: number): void {
    this.times.push(tMs);
    this.trim(tMs);
  }

  rate(nowMs: number): number {
    this.trim(nowMs);
    if (this.times.length === 0) return 0;
    return (this.times.length * 1000) / this.windowMs;
  }

  private trim(nowMs: number): void {
    let drop = 0;
    while (drop < this.times.length && (this.times[drop] ?? 0) <= nowMs - this.windowMs) drop++;
    if (drop > 0) this.times.splice(0, drop);
  }
}

/**
 * Decides which camera frames to keep for a target rate. A frame is due once `1000/fps` has passed
 * since the last kept one, with the schedule advanced in whole periods so the long-run rate is
 * right even when the camera rate is not a multiple of the target (15 fps -> 12 fps).
 */
export class FrameRateGate {
  private nextDueMs: number | undefined;

  constructor(private readonly fps: number) {}

  accept(tMs: number): boolean {
    const period = 1000 / this.fps;
    // Some tolerance for capture jitter: without it 30 fps -> 15 fps would keep every third frame
    // whenever a due frame arrives a millisecond early.
    if (this.nextDueMs !== undefined && tMs < this.nextDueMs - period * 0.15) return false;
    const base = this.nextDueMs === undefined || tMs - this.nextDueMs > period ? tMs : this.nextDueMs;
    this.nextDueMs = base + period;
    return true;
  }

  reset(): void {
    this.nextDueMs = undefined;
  }
}
