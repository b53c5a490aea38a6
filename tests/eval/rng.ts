import { mulberry32 } from '../../src/core/random.ts';

/**
 * Seeded pseudo-random numbers for the scenario simulator: every run with the same seed produces
 * the same streams, so figures in docs/fusion.md can be reproduced exactly.
 */
export class Rng {
  /** Uniform in [0, 1). */
  readonly next: () => number;

  constructor(seed: number) {
    // Scramble small seeds so seed 1 and seed 2 do not start on similar sequences.
    this.next = mulberry32(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0 || 1);
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  int(lo: number, hi: number): number {
    return Math.floor(this.uniform(lo, hi + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Normal via Box–Muller. */
  normal(mean: number, sd: number): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
