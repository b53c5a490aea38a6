/**
 * Raised suspicions that can still be closed by the shopper (self-correction) or by later camera
 * evidence (retraction), and the matching that decides which one a new scan or return closes.
 */
import type { FusionConfig } from './config.ts';
import type { ScanRecord } from './posLedger.ts';
import type { Resolution, RuleId, Suspicion, SuspicionEvidence, SuspicionType } from './types.ts';

export interface OpenSuspicion {
  s: Suspicion;
  /** Track record (internal key) the suspicion is about. */
  trackKey?: number;
  /** Product the camera recognised, if any (what a correcting scan should ring up). */
  seenGtin?: string;
  /** The item had reached the bag (a correction then needs it taken back out). */
  bagged: boolean;
  expiresMs: number;
}

export interface RaiseArgs {
  type: SuspicionType;
  rule: RuleId;
  txn: string;
  confidence: number;
  explanation: string;
  evidence: SuspicionEvidence;
  windowClosedMs: number;
  subject?: Suspicion['subject'];
  trackKey?: number;
  seenGtin?: string;
  bagged?: boolean;
}

export class SuspicionBook {
  private readonly open: OpenSuspicion[] = [];
  private counter = 0;

  constructor(private readonly cfg: FusionConfig) {}

  raise(args: RaiseArgs, nowMs: number): Suspicion {
    this.counter += 1;
    const s: Suspicion = {
      id: `${args.txn || '-'}:${args.rule}:${this.counter}`,
      type: args.type,
      txn: args.txn,
      confidence: round3(Math.min(1, Math.max(0, args.confidence))),
      rule: args.rule,
      explanation: args.explanation,
      evidence: args.evidence,
      raisedAtMs: nowMs,
      latencyMs: nowMs - args.evidence.endMs,
      windowClosedMs: args.windowClosedMs,
    };
    if (args.subject) s.subject = args.subject;
    // The unpaid order can still be paid long after; everything else is corrected at the lane.
    const keep = args.type === 'unpaid' ? this.cfg.retentionMs : this.cfg.selfCorrectWindowMs;
    const entry: OpenSuspicion = { s, bagged: args.bagged ?? false, expiresMs: nowMs + keep };
    if (args.trackKey !== undefined) entry.trackKey = args.trackKey;
    if (args.seenGtin !== undefined) entry.seenGtin = args.seenGtin;
    this.open.push(entry);
    return s;
  }

  /** Open suspicions, oldest first. */
  list(): readonly OpenSuspicion[] {
    return this.open;
  }

  /** Closes one suspicion and returns its resolution record. */
  resolve(
    entry: OpenSuspicion,
    resolution: Resolution,
    atMs: number,
    by: { posSeq?: number; trackId?: number },
  ): Suspicion {
    const i = this.open.indexOf(entry);
    if (i >= 0) this.open.splice(i, 1);
    return { ...entry.s, resolved: resolution, resolvedAtMs: atMs, resolvedBy: by };
  }

  /**
   * The open suspicion a new scan corrects, if any: the shopper rang up the product the camera
   * saw, re-added the reduced product, or (when the camera could not name the product) took an
   * item back out of the bag and scanned it.
   */
  correctedBy(scan: ScanRecord, returnedSince: (ms: number) => boolean): OpenSuspicion | undefined {
    for (const e of this.open) {
      const { s } = e;
      if (s.txn !== scan.txn || s.resolved) continue;
      if (scan.atMs < s.evidence.startMs || scan.atMs > s.raisedAtMs + this.cfg.selfCorrectWindowMs) continue;
      switch (s.rule) {
        case 'reduction.notReturned':
        case 'missedScan.countExcess':
          if (s.subject?.gtin === scan.gtin) return e;
          break;
        case 'wrongScan.appearance':
          if (e.seenGtin === scan.gtin) return e;
          break;
        case 'missedScan.noBeep':
        case 'noScan.bypass':
        case 'missedScan.bagSurplus':
          if (
            e.seenGtin !== undefined ? e.seenGtin === scan.gtin : !e.bagged || returnedSince(s.evidence.endMs)
          ) {
            return e;
          }
          break;
        case 'unpaid.leftWithGoods':
        case 'unpaid.cancelled':
        case 'unpaid.idle':
          break;
      }
    }
    return undefined;
  }

  expire(nowMs: number): void {
    for (let i = this.open.length - 1; i >= 0; i--) {
      if ((this.open[i]?.expiresMs ?? Infinity) < nowMs) this.open.splice(i, 1);
    }
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
