/**
 * What the fusion engine hands out: suspicions, i.e. places where what the cameras saw and what
 * the POS rang up disagree. A suspicion is never a verdict; its wording stays neutral because the
 * shopper may see it (see escalation.ts) and most disagreements have an innocent cause.
 */

/** The five abnormal events of the loss-prevention guide. */
export type SuspicionType = 'missedScan' | 'wrongScan' | 'noScan' | 'reduction' | 'unpaid';

export const SUSPICION_TYPES: readonly SuspicionType[] = [
  'missedScan',
  'wrongScan',
  'noScan',
  'reduction',
  'unpaid',
];

/** Every rule that can raise a suspicion; the prefix is the type it raises. */
export type RuleId =
  | 'missedScan.noBeep'
  | 'missedScan.countExcess'
  | 'missedScan.bagSurplus'
  | 'noScan.bypass'
  | 'noScan.bagSurplus'
  | 'wrongScan.appearance'
  | 'reduction.notReturned'
  | 'unpaid.leftWithGoods'
  | 'unpaid.cancelled'
  | 'unpaid.idle';

export interface SuspicionEvidence {
  /** First frame / event time of the evidence (ms, POS clock). */
  startMs: number;
  /** Last frame / event time of the evidence (ms, POS clock). */
  endMs: number;
  /** Perception tracks involved (external track ids, as the worker sent them). */
  trackIds: number[];
  /** POS events involved, by sequence number. */
  posSeqs: number[];
}

/** How a raised suspicion was closed without staff. */
export type Resolution =
  /** The shopper fixed it: scanned the item, re-added the line, returned the item, paid. */
  | 'selfCorrected'
  /** Later perception showed the evidence was not an item (e.g. it was a phone). */
  | 'retracted';

export interface Suspicion {
  id: string;
  type: SuspicionType;
  /** POS transaction id; '' when no transaction was open or recently closed. */
  txn: string;
  /** 0..1, combined from the confidences of the evidence used. */
  confidence: number;
  rule: RuleId;
  /** Neutral, human-readable: what was seen and what was expected. */
  explanation: string;
  evidence: SuspicionEvidence;
  raisedAtMs: number;
  /** Decision latency: raisedAtMs − evidence.endMs (includes the wait for a matching scan). */
  latencyMs: number;
  /** When the rule's waiting window closed; raisedAtMs − windowClosedMs is the tick lag. */
  windowClosedMs: number;
  /** The product concerned, where known (from the POS line or the camera's gallery match). */
  subject?: { gtin?: string; line?: number; name?: string };
  /** Present on resolution records: the same id re-emitted once the suspicion was closed. */
  resolved?: Resolution;
  resolvedAtMs?: number;
  resolvedBy?: { posSeq?: number; trackId?: number };
}
