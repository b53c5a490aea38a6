/**
 * Occupancy steps of the bagging zone: something set down (a rise that stays) or taken out (a fall
 * that stays).
 *
 * A hand in the bagging zone raises its occupancy by itself, so levels are only read while the
 * zone is quiet: no hand in it (a hand in a brief dropout still counts as in it) and little
 * motion. The rule is "compare the still bag before a hand visit with the still bag after it":
 * a new level must hold for `stepHoldMs` before it counts, and a change smaller than
 * `minOccupancyStep` only moves the reference (slow light changes, a bag settling).
 */
import type { TrackerConfig } from './trackerConfig.ts';

export interface OccupancyStep {
  direction: 'rise' | 'fall';
  /** New level minus the old one. */
  delta: number;
  /** Last quiet frame that still showed the old level: the disturbance began after it. */
  lastOldMs: number;
  /** Frame at which the new level was confirmed. */
  confirmedMs: number;
  /** 0..1: how clearly the step stands out of the noise of the new level. */
  cleanliness: number;
}

interface Candidate {
  sinceMs: number;
  n: number;
  sum: number;
  sumSq: number;
}

export class BaggingSteps {
  private level: number | undefined;
  private lastOldMs = 0;
  private candidate: Candidate | undefined;

  constructor(private readonly cfg: TrackerConfig) {}

  /** The reference (still-bag) level, once one has been read. */
  get settledLevel(): number | undefined {
    return this.level;
  }

  /**
   * One frame. `occupancy` is undefined when the frame has no reading for the zone; `quiet` is
   * false while a hand is in the zone or it moves.
   */
  push(tMs: number, occupancy: number | undefined, quiet: boolean): OccupancyStep | undefined {
    if (!quiet) {
      // A level read half before and half after a hand visit would be neither.
      this.candidate = undefined;
      return undefined;
    }
    if (occupancy === undefined) return undefined;
    const tol = this.cfg.occupancyTolerance;
    if (this.level !== undefined && Math.abs(occupancy - this.level) <= tol) {
      this.lastOldMs = tMs;
      this.candidate = undefined;
      return undefined;
    }
    const c = this.candidate;
    if (c && Math.abs(occupancy - c.sum / c.n) <= tol) {
      c.n++;
      c.sum += occupancy;
      c.sumSq += occupancy * occupancy;
    } else {
      this.candidate = { sinceMs: tMs, n: 1, sum: occupancy, sumSq: occupancy * occupancy };
    }
    const cand = this.candidate!;
    if (tMs - cand.sinceMs < this.cfg.stepHoldMs) return undefined;

    const mean = cand.sum / cand.n;
    const sd = Math.sqrt(Math.max(0, cand.sumSq / cand.n - mean * mean));
    const old = this.level;
    const lastOldMs = this.lastOldMs;
    this.level = mean;
    this.lastOldMs = tMs;
    this.candidate = undefined;
    if (old === undefined) return undefined; // first reading of the empty lane: nothing happened
    const delta = mean - old;
    if (Math.abs(delta) < this.cfg.minOccupancyStep) return undefined;
    const size = Math.min(1, Math.abs(delta) / (2 * this.cfg.minOccupancyStep));
    const steadiness = 1 - Math.min(1, sd / Math.abs(delta));
    return {
      direction: delta > 0 ? 'rise' : 'fall',
      delta,
      lastOldMs,
      confirmedMs: tMs,
      cleanliness: Math.sqrt(size * steadiness),
    };
  }

  reset(): void {
    this.level = undefined;
    this.lastOldMs = 0;
    this.candidate = undefined;
  }
}
