/**
 * Deferred check for reduction.notReturned: each void / quantity reduction waits
 * reductionWindowMs for the item to be taken back out of the bag, then the units still rung up,
 * the units physically seen and the put-backs are compared (rules/reduction.ts). Also keeps the
 * put-backs themselves, which close a raised reduction late and back self-corrections.
 */
import type { FusionConfig } from './config.ts';
import type { PosChange, PosLedger } from './posLedger.ts';
import { assessReduction, physicalUnits, reductionExplanation } from './rules/reduction.ts';
import type { SuspicionBook } from './suspicionBook.ts';
import { allTrackIds, gtinHint, isNonItem, type Obs, type TrackRecord } from './tracks.ts';
import type { TrackStore } from './trackStore.ts';
import type { Suspicion } from './types.ts';

export type Reduce = Extract<PosChange, { kind: 'reduce' }>;

interface PutBack {
  key: number;
  obs: Obs;
  consumed: boolean;
}

export class ReductionCheck {
  private pending: (Reduce & { dueMs: number })[] = [];
  private putBacks: PutBack[] = [];
  /** Put-backs already used to explain a void, per `txn \0 gtin`: those items left the bag. */
  private readonly consumed = new Map<string, number>();

  constructor(
    private readonly cfg: FusionConfig,
    private readonly ledger: PosLedger,
    private readonly tracks: TrackStore,
    private readonly book: SuspicionBook,
  ) {}

  onReduce(change: Reduce): void {
    this.pending.push({ ...change, dueMs: change.atMs + this.cfg.reductionWindowMs });
  }

  /** An item left the bag towards pick-up (or out of view); may close a raised reduction. */
  onPutBack(t: TrackRecord, obs: Obs): Suspicion[] {
    if (obs.confidence < this.cfg.minEventConfidence || isNonItem(t, this.cfg)) return [];
    const putBack: PutBack = { key: t.key, obs, consumed: false };
    this.putBacks.push(putBack);
    for (const e of this.book.list()) {
      const { s } = e;
      if (s.rule !== 'reduction.notReturned' || obs.endMs > s.raisedAtMs + this.cfg.selfCorrectWindowMs)
        continue;
      if (!this.compatible(t, s.subject?.gtin ?? '')) continue;
      putBack.consumed = true;
      this.addConsumed(s.txn, s.subject?.gtin ?? '');
      return [this.book.resolve(e, 'selfCorrected', obs.endMs, { trackId: t.trackId })];
    }
    return [];
  }

  /** Whether anything was taken back out of the bag since `ms`. */
  putBackSince(ms: number): boolean {
    return this.putBacks.some((r) => r.obs.endMs >= ms);
  }

  /** Put-backs that started at or after `ms`. */
  countPutBacksSince(ms: number): number {
    return this.putBacks.filter((r) => r.obs.startMs >= ms).length;
  }

  run(nowMs: number): Suspicion[] {
    const due = this.pending.filter((r) => r.dueMs <= nowMs);
    this.pending = this.pending.filter((r) => r.dueMs > nowMs);
    return due.flatMap((r) => this.decide(r, nowMs));
  }

  nextDueMs(): number | undefined {
    return this.pending.length > 0 ? Math.min(...this.pending.map((r) => r.dueMs)) : undefined;
  }

  prune(beforeMs: number): void {
    this.putBacks = this.putBacks.filter((r) => r.obs.endMs >= beforeMs);
    for (const key of this.consumed.keys()) {
      if (!this.ledger.get(key.split('\0')[0] ?? '')) this.consumed.delete(key);
    }
  }

  private decide(r: Reduce & { dueMs: number }, nowMs: number): Suspicion[] {
    const scans = this.ledger.scans.filter((s) => s.txn === r.txn && s.gtin === r.gtin);
    const available = this.putBacks.filter(
      (x) =>
        !x.consumed &&
        x.obs.endMs >= r.atMs - this.cfg.returnLeadMs &&
        x.obs.startMs <= r.dueMs &&
        this.compatible(this.tracks.byKey(x.key), r.gtin),
    );
    const verdict = assessReduction({
      units: r.units,
      rungAfter: this.ledger.rungUnits(r.txn, r.gtin),
      physical: physicalUnits(scans, this.cfg) - (this.consumed.get(`${r.txn}\0${r.gtin}`) ?? 0),
      returnsAvailable: available.length,
      seenByCamera: scans.some((s) => s.committedUnits > 0),
    });
    for (const x of available.slice(0, verdict.returnsUsed)) x.consumed = true;
    for (let i = 0; i < verdict.returnsUsed; i++) this.addConsumed(r.txn, r.gtin);
    if (verdict.shortfall < 1) return [];
    const trackIds = this.tracks.records
      .filter((t) => t.scanId !== undefined && scans.some((s) => s.id === t.scanId && s.line === r.line))
      .flatMap(allTrackIds);
    const lineSeq = this.ledger.get(r.txn)?.lines.get(r.line)?.seq;
    const s = this.book.raise(
      {
        type: 'reduction',
        rule: 'reduction.notReturned',
        txn: r.txn,
        confidence: verdict.confidence,
        explanation: reductionExplanation(r.name, r.line, verdict.shortfall),
        evidence: {
          startMs: r.atMs,
          endMs: r.atMs,
          trackIds,
          posSeqs: lineSeq !== undefined ? [lineSeq, r.seq] : [r.seq],
        },
        windowClosedMs: r.dueMs,
        subject: { gtin: r.gtin, line: r.line, name: r.name },
        bagged: true,
      },
      nowMs,
    );
    return [s];
  }

  /** Whether a track can be the given product (unknown identity is given the benefit). */
  private compatible(t: TrackRecord | undefined, gtin: string): boolean {
    if (!t) return true;
    const scanned = t.decided && t.scanId !== undefined ? this.ledger.scan(t.scanId)?.gtin : undefined;
    const identity = scanned ?? gtinHint(t, this.cfg);
    return identity === undefined || identity === gtin;
  }

  private addConsumed(txn: string, gtin: string): void {
    const key = `${txn}\0${gtin}`;
    this.consumed.set(key, (this.consumed.get(key) ?? 0) + 1);
  }
}
