/**
 * Rules that decide one item presentation once its scan window has closed:
 *  - missedScan.noBeep (漏扫): the item went over the scanner, no scan registered in time;
 *  - noScan.bypass (不扫): the item went from pick-up to the bag without touching the scanner;
 *  - missedScan.bagSurplus (漏扫, "more items than rung up"): an item showed up in the bag that
 *    neither a track nor any spare scan explains (its trip was not seen, so which of the two
 *    it was cannot be told; the guide files "more goods than scans" under 漏扫).
 * Each rule needs at least two independent cues that the object is an item (scanner pass, scan
 * gesture, trajectory, landing, gallery match) whose noisy-OR reaches minTrackConfidence, so a
 * single spurious detection, however confident, never raises anything.
 */
import type { FusionConfig } from '../config.ts';
import type { ScanRecord } from '../posLedger.ts';
import {
  isConfidentItem,
  isNonItem,
  reachedBag,
  trackConfidence,
  trackKind,
  type TrackRecord,
} from '../tracks.ts';
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
  /** A transaction was open (started, not paid or closed) when the item landed. */
  txnOpen: boolean;
  /**
   * The gallery names a product this transaction already rang up (and that landed): an object
   * seen only in the bag is then most likely a bagged item moved and re-detected.
   */
  seenProductBagged?: boolean;
}

export type IgnoreReason =
  'nonItem' | 'weak' | 'paymentCode' | 'rescan' | 'notBagged' | 'notGoods' | 'resident';

export type TrackDecision =
  | { kind: 'clean'; scan: ScanRecord }
  | { kind: 'ignore'; reason: IgnoreReason }
  | { kind: 'reconciled'; scan: ScanRecord }
  | { kind: 'raise'; type: SuspicionType; rule: RuleId; confidence: number; explanation: string };

const BAG_SURPLUS_FACTOR = 0.8;

export function decideTrack(t: TrackRecord, ctx: TrackDecisionContext, cfg: FusionConfig): TrackDecision {
  if (isNonItem(t, cfg)) return { kind: 'ignore', reason: 'nonItem' };
  const kind = trackKind(t);
  if (kind === 'none') return { kind: 'ignore', reason: 'notGoods' };
  // Weak evidence first: a detector glitch that happened to overlap a scan must not keep it
  // from the real item whose events arrive a moment later.
  if (!isConfidentItem(t, cfg)) return { kind: 'ignore', reason: 'weak' };
  const confidence = trackConfidence(t, cfg);
  if (ctx.scan) return { kind: 'clean', scan: ctx.scan };
  const bagged = reachedBag(t);
  const seconds = (cfg.scanMatchWindowMs / 1000).toFixed(1);

  if (kind === 'scanner') {
    // Shown at the scanner but not seen going into the bag: put back, tried again, or a
    // payment code. Nothing left the pick-up side, so nothing to flag.
    if (!bagged) {
      const reason = ctx.inPaymentPhase ? 'paymentCode' : ctx.rescanFollowed ? 'rescan' : 'notBagged';
      return { kind: 'ignore', reason };
    }
    return {
      kind: 'raise',
      type: 'missedScan',
      rule: 'missedScan.noBeep',
      confidence,
      explanation: `An item passed over the scanner but no scan was registered within ${seconds} s.`,
    };
  }
  if (kind === 'bypass') {
    const route = t.move?.viaScanner
      ? 'across the scanner area without a scan gesture'
      : 'without passing the scanner';
    return {
      kind: 'raise',
      type: 'noScan',
      rule: 'noScan.bypass',
      confidence,
      explanation: `An item went from the basket side to the bagging area ${route}, and no scan was registered within ${seconds} s.`,
    };
  }
  if (ctx.spareScan) return { kind: 'reconciled', scan: ctx.spareScan };
  // Before the order starts or after it is paid, things put down are the shopper's own.
  if (!ctx.txnOpen) return { kind: 'ignore', reason: 'notGoods' };
  if (ctx.seenProductBagged) return { kind: 'ignore', reason: 'resident' };
  // The landing's entry side tells a trip round the scanner from one over it.
  const bypassed = t.placement?.fromZone === 'pickup';
  return {
    kind: 'raise',
    type: bypassed ? 'noScan' : 'missedScan',
    rule: bypassed ? 'noScan.bagSurplus' : 'missedScan.bagSurplus',
    confidence: confidence * BAG_SURPLUS_FACTOR,
    explanation: bypassed
      ? 'An item came into the bagging area from the basket side, and no registered scan accounts for it.'
      : 'An item appeared in the bagging area that no registered scan accounts for.',
  };
}
