/**
 * What a review profile costs in perception, from its run log (plain TypeScript, Node-tested):
 * hand-model runs per annotated move, and the profile's events scored like the bottle evaluation.
 */
import type { PerceptionEvent } from '../../../src/core/perception/events.ts';
import type { HandRun } from '../../../src/review/reviewClip.ts';
import type { BottleAnnotations } from './annotations.ts';
import { scoreAll, toPosClock, type ScenarioScore } from './bottleScore.ts';

export interface MoveCoverage {
  id: string;
  kind: string;
  /** Hand-model runs inside the move's annotated span. */
  runs: number;
  /** Of those, runs that found a hand. */
  withHands: number;
}

export function handsPerMove(a: BottleAnnotations, runs: readonly HandRun[]): MoveCoverage[] {
  return a.moves.map((m) => {
    const inside = runs.filter((r) => r.tMs >= m.startS * 1000 && r.tMs <= m.endS * 1000);
    return {
      id: m.id,
      kind: m.kind,
      runs: inside.length,
      withHands: inside.filter((r) => r.hands > 0).length,
    };
  });
}

/** Median (lower middle) and minimum of the lift-outs' hand runs that found a hand. */
export function liftCoverage(moves: readonly MoveCoverage[]): { median: number; min: number } {
  const lifts = moves
    .filter((m) => m.kind === 'pickupToBagging')
    .map((m) => m.withHands)
    .sort((x, y) => x - y);
  if (lifts.length === 0) return { median: NaN, min: NaN };
  return { median: lifts[Math.floor((lifts.length - 1) / 2)]!, min: lifts[0]! };
}

/** Events in media ms (a review's clock) through the fusion engine for each POS scenario. */
export function scoreReviewEvents(
  a: BottleAnnotations,
  events: readonly PerceptionEvent[],
  posT0Ms: number,
): ScenarioScore[] {
  const sorted = [...events].sort((x, y) => x.atMs - y.atMs);
  return scoreAll(
    a,
    toPosClock(sorted, (t) => t, posT0Ms),
    posT0Ms,
  );
}
