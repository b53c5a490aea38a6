/**
 * Rules that decide one item presentation once its scan window has closed:
 *  - missedScan.noBeep (漏扫): the item went over the scanner, no scan registered in time;
 *  - noScan.bypass (不扫): the item went from pick-up to the bag without touching the scanner;
 *  - missedScan.bagSurplus (漏扫, "more items than rung up"): an item showed up in the bag that
 *    neither a track nor any spare scan explains (its trip was not seen, so which of the two
 *    it was cannot be told; the guide files "more goods than scans" under 漏扫).
 * Each rule needs item evidence from at least two agreeing cues (noisy-OR >= minTrackConfidence),
 * so a single spurious detection never raises anything.
 */
import type { FusionConfig } from '../config.ts';
import type { ScanRecord } from '../posLedger.ts';
import { isNonItem, trackConfidence, trackKind, type TrackRecord } from '../tracks.ts';
import type { RuleId, SuspicionType } from '../types.ts';

export interface TrackDecisionContext {
  /** Scan matched with the track, if any. */
  scan?: ScanRecord;
  /** The lane was in the payment phase: a phone or card at the scanner is a payment code. */
  inPaymentPhase: boolean;
  /** Another presentation took a scan right after this scanner-only one (a second try). */
  rescanFollowed: boolean;
  /** A scan no track claimed, close enough to explain an item seen only in the bag. */
  spareScan?: ScanRecord;
}

export type IgnoreReason = 'nonItem' | 'weak' | 'paymentCode' | 'rescan' | 'reconciled' | 'notGoods';

export type TrackDecision =
  | { kind: 'clean'; scan: ScanRecord }
  | { kind: 'ignore'; reason: IgnoreReason }
  | { kind: 'reconciled'; scan: ScanRecord }
  | { kind: 'raise'; type: SuspicionType; rule: RuleId; confidence: number; explanation: string };

/** Scanner evidence without a landing in the bag is weaker: the item may have gone back. */
const NOT_BAGGED_FACTOR = 0.8;
const BAG_SURPLUS_FACTOR = 0.8;

export function decideTrack(t: TrackRecord, ctx: TrackDecisionContext, cfg: FusionConfig): TrackDecision {
  if (isNonItem(t, cfg)) return { kind: 'ignore', reason: 'nonItem' };
  const kind = trackKind(t);
  if (kind === 'none') return { kind: 'ignore', reason: 'notGoods' };
  if (ctx.scan) return { kind: 'clean', scan: ctx.scan };
  const confidence = trackConfidence(t);
  if (confidence < cfg.minTrackConfidence) return { kind: 'ignore', reason: 'weak' };
  const bagged = t.move !== undefined || t.placement !== undefined;
  const seconds = (cfg.scanMatchWindowMs / 1000).toFixed(1);

  if (kind === 'scanner') {
    if (!bagged && ctx.inPaymentPhase) return { kind: 'ignore', reason: 'paymentCode' };
    if (!bagged && ctx.rescanFollowed) return { kind: 'ignore', reason: 'rescan' };
    return {
      kind: 'raise',
      type: 'missedScan',
      rule: 'missedScan.noBeep',
      confidence: bagged ? confidence : confidence * NOT_BAGGED_FACTOR,
      explanation: `An item passed over the scanner but no scan was registered within ${seconds} s.`,
    };
  }
  if (kind === 'bypass') {
    return {
      kind: 'raise',
      type: 'noScan',
      rule: 'noScan.bypass',
      confidence,
      explanation: `An item went from the basket side to the bagging area without passing the scanner, and no scan was registered within ${seconds} s.`,
    };
  }
  if (ctx.spareScan) return { kind: 'reconciled', scan: ctx.spareScan };
  return {
    kind: 'raise',
    type: 'missedScan',
    rule: 'missedScan.bagSurplus',
    confidence: confidence * BAG_SURPLUS_FACTOR,
    explanation: 'An item appeared in the bagging area that no registered scan accounts for.',
  };
}
