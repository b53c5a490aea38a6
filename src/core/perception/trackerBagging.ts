/**
 * Bagging-zone rules of the perception tracker: explain each occupancy step of the still bag
 * (baggingSteps.ts) by the hand visits that caused it.
 *
 * - A rise is an object set down: itemPlacedInBagging under the id of the object a hand carried
 *   in (if its trajectory was not reported yet because the release was missed, the
 *   itemMovedPickupToBagging comes first), or under a fresh id with fromZone 'unknown' when no
 *   hand visit explains it.
 * - A fall is an object taken out: itemRemovedFromBagging once the hand that was in the bag
 *   reaches pick-up or the exit (or 'unknown' after `removalDestinationWaitMs`). A fall no hand
 *   visit explains (light, a bag slumping) is not reported: nothing was taken.
 */
import type { PerceptionEvent } from './events.ts';
import type { BaggingSteps, OccupancyStep } from './baggingSteps.ts';
import type { TrackerConfig } from './trackerConfig.ts';
import { makeEvent, moveEvent } from './trackerEmit.ts';
import { EvidenceStats, geometricMean } from './trackerEvidence.ts';
import type { BaggingFrom, BaggingVisit, ItemTrack } from './trackerState.ts';

/** A visit that ended this long before the old level was last seen may still explain a step. */
const VISIT_SLACK_MS = 200;
/** Finished visits are forgotten after this (no step is confirmed that late). */
const VISIT_RETENTION_MS = 30_000;
/** Factor standing in for the hand evidence of a step no hand visit explains. */
const NO_HAND_FACTOR = 0.5;

interface PendingRemoval {
  visit: BaggingVisit;
  trackId: number;
  startMs: number;
  endMs: number;
  confidence: number;
  deadlineMs: number;
}

export class BaggingRules {
  private readonly visits: BaggingVisit[] = [];
  private readonly pending: PendingRemoval[] = [];

  constructor(
    private readonly cfg: TrackerConfig,
    private readonly steps: BaggingSteps,
    private readonly newId: () => number,
  ) {}

  openVisit(handId: number, enterMs: number, fromZone: BaggingFrom): BaggingVisit {
    const visit: BaggingVisit = {
      handId,
      enterMs,
      fromZone,
      lost: false,
      evidence: new EvidenceStats(),
      used: false,
    };
    this.visits.push(visit);
    return visit;
  }

  /**
   * A hand reached pick-up or the exit: the destination of each of its finished visits that has
   * none yet (a hand may brush the bag zone again on its way out).
   */
  noteArrival(handId: number, zone: 'pickup' | 'exit'): void {
    for (const v of this.visits) {
      if (v.handId === handId && v.exitMs !== undefined && v.exitTo === undefined) v.exitTo = zone;
    }
  }

  /** One analysed frame: read the still bag, explain a confirmed step. */
  frame(t: number, occupancy: number | undefined, quiet: boolean, out: PerceptionEvent[]): void {
    const step = this.steps.push(t, occupancy, quiet);
    if (step?.direction === 'rise') this.onRise(step, t, out);
    else if (step?.direction === 'fall') this.onFall(step, t);
    this.prune(t);
  }

  /** Removals whose hand reached its destination (or waited long enough) are reported. */
  resolveRemovals(t: number, out: PerceptionEvent[]): void {
    for (let i = 0; i < this.pending.length;) {
      const p = this.pending[i]!;
      const toZone = p.visit.exitTo ?? (p.visit.lost || t >= p.deadlineMs ? 'unknown' : undefined);
      if (toZone === undefined) {
        i++;
        continue;
      }
      this.pending.splice(i, 1);
      out.push(
        makeEvent(
          { type: 'itemRemovedFromBagging', trackId: p.trackId, toZone },
          { startMs: p.startMs, endMs: p.endMs },
          p.confidence,
          t,
        ),
      );
    }
  }

  reset(): void {
    this.visits.length = 0;
    this.pending.length = 0;
    this.steps.reset();
  }

  private onRise(step: OccupancyStep, t: number, out: PerceptionEvent[]): void {
    const visit = this.explaining(step, t, (v) => v.carried !== undefined && !v.carried.placed);
    if (!visit) {
      out.push(
        makeEvent(
          { type: 'itemPlacedInBagging', trackId: this.newId(), fromZone: 'unknown' },
          { startMs: step.lastOldMs, endMs: step.confirmedMs },
          geometricMean([step.cleanliness, NO_HAND_FACTOR]),
          t,
        ),
      );
      return;
    }
    visit.used = true;
    const item = visit.carried && !visit.carried.placed ? visit.carried : undefined;
    // The hand's release was missed (or the hand was lost in the bag): the rise is the landing.
    if (item && item.origin === 'pickup' && !item.moveEmitted) {
      out.push(moveEvent(item, visit.exitMs ?? step.lastOldMs, t));
    }
    if (item) {
      item.placed = true;
      item.emittedAny = true;
    }
    out.push(
      makeEvent(
        { type: 'itemPlacedInBagging', trackId: item?.id ?? this.newId(), fromZone: placedFrom(visit, item) },
        { startMs: visit.enterMs, endMs: step.confirmedMs },
        geometricMean([step.cleanliness, visit.evidence.score(), visit.evidence.coverage()]),
        t,
      ),
    );
  }

  private onFall(step: OccupancyStep, t: number): void {
    const visit = this.explaining(step, t, (v) => v.picked !== undefined);
    if (!visit) return;
    visit.used = true;
    if (visit.picked) visit.picked.emittedAny = true;
    this.pending.push({
      visit,
      trackId: visit.picked?.id ?? this.newId(),
      startMs: visit.enterMs,
      endMs: step.confirmedMs,
      confidence: geometricMean([step.cleanliness, visit.evidence.score(), visit.evidence.coverage()]),
      deadlineMs: t + this.cfg.removalDestinationWaitMs,
    });
  }

  /** The hand visit that caused a step: one overlapping it, preferring `better`, then the latest. */
  private explaining(
    step: OccupancyStep,
    t: number,
    better: (v: BaggingVisit) => boolean,
  ): BaggingVisit | undefined {
    let best: BaggingVisit | undefined;
    for (const v of this.visits) {
      if (v.used || v.enterMs > step.confirmedMs) continue;
      if ((v.exitMs ?? t) < step.lastOldMs - VISIT_SLACK_MS) continue;
      if (
        !best ||
        (better(v) && !better(best)) ||
        (better(v) === better(best) && v.enterMs >= best.enterMs)
      ) {
        best = v;
      }
    }
    return best;
  }

  private prune(t: number): void {
    const keep = this.visits.filter(
      (v) =>
        v.exitMs === undefined ||
        v.exitMs >= t - VISIT_RETENTION_MS ||
        this.pending.some((p) => p.visit === v),
    );
    this.visits.splice(0, this.visits.length, ...keep);
  }
}

/** Where the set-down object came from, for the fusion engine ('outside' = not goods). */
function placedFrom(visit: BaggingVisit, item: ItemTrack | undefined): BaggingFrom {
  if (!item) return visit.fromZone;
  if (item.origin === 'outside') return 'outside';
  if (item.visitedScanner) return 'scanner';
  if (item.origin === 'pickup') return 'pickup';
  return visit.fromZone === 'outside' ? 'outside' : 'unknown';
}
