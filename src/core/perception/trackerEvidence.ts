/**
 * How the perception tracker turns the quality of what it saw into an event's `confidence`.
 *
 * Every event is backed by a few evidence factors in 0..1 (how sure the hand detector was, how
 * clearly the hand held something or was empty, how many frames of the episode actually had the
 * hand, how clean an occupancy step was). The confidence is their geometric mean: one weak factor
 * pulls it down clearly, but no single factor can zero a detection that the rest supports well.
 */

/** Running mean that also counts how many of the expected frames contributed. */
export class EvidenceStats {
  private scoreSum = 0;
  private holdingSum = 0;
  private seen = 0;
  private expected = 0;

  /** One analysed frame of the episode; `hand` is absent when the hand was not detected in it. */
  frame(hand?: { score: number; holding: number }): void {
    this.expected++;
    if (!hand) return;
    this.seen++;
    this.scoreSum += hand.score;
    this.holdingSum += hand.holding;
  }

  /** Mean detector score over the frames that had the hand. */
  score(): number {
    return this.seen === 0 ? 0 : this.scoreSum / this.seen;
  }

  /** Mean holding likelihood over the frames that had the hand. */
  holding(): number {
    return this.seen === 0 ? 0 : this.holdingSum / this.seen;
  }

  /** Share of the episode's frames in which the hand was detected (dropouts lower it). */
  coverage(): number {
    return this.expected === 0 ? 0 : this.seen / this.expected;
  }

  /** Confidence that the hand held something (`held`) or was empty (`!held`) for the episode. */
  confidence(held: boolean): number {
    const holdingFactor = held ? this.holding() : 1 - this.holding();
    return geometricMean([this.score(), holdingFactor, this.coverage()]);
  }

  /**
   * Forgets the last `frames` expected frames, all of them without the hand: a hand found lost
   * after a dropout ended at its last detection, so the frames it was already gone do not count.
   */
  dropTrailingMisses(frames: number): void {
    this.expected = Math.max(this.seen, this.expected - Math.max(0, frames));
  }

  merge(other: EvidenceStats): void {
    this.scoreSum += other.scoreSum;
    this.holdingSum += other.holdingSum;
    this.seen += other.seen;
    this.expected += other.expected;
  }
}

export function geometricMean(factors: readonly number[]): number {
  if (factors.length === 0) return 0;
  let logSum = 0;
  for (const f of factors) {
    const c = clamp01(f);
    if (c === 0) return 0;
    logSum += Math.log(c);
  }
  return clamp01(Math.exp(logSum / factors.length));
}

export function clamp01(x: number): number {
  if (!Number.isFinite(x)) return 0;
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/** Rounds for the wire: confidences with 15 digits look like more precision than there is. */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
