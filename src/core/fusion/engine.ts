/**
 * Fusion engine: lines camera evidence up against the POS and raises suspicions for the five
 * abnormal events of the loss-prevention guide. Deterministic (no clocks, no randomness: time
 * only enters through the arguments) and explainable (every suspicion names its rule, its
 * frames and its POS events).
 *
 * Event handlers only record, and close suspicions the shopper has fixed; decisions that wait
 * for a window are taken by `tick`, which the host calls on a short interval (100 ms is plenty)
 * or exactly at `nextDueMs()`.
 */
import { resolveConfig, type FusionConfig } from './config.ts';
import { CountCheck } from './countCheck.ts';
import { assignScans } from './matching.ts';
import { PosLedger, type PosChange, type ScanRecord } from './posLedger.ts';
import { ReductionCheck } from './reductionCheck.ts';
import { SuspicionBook } from './suspicionBook.ts';
import { decideTrackRecord, wrongScanCheck } from './trackDecision.ts';
import { isNonItem, type Obs, type TrackRecord } from './tracks.ts';
import { TrackStore } from './trackStore.ts';
import { UnpaidCheck } from './unpaidCheck.ts';
import type { PosEvent } from '../pos/events.ts';
import type { PerceptionEvent } from '../perception/events.ts';
import type { Suspicion } from './types.ts';

/** POS events that prove somebody is at the lane (a time-out cancel does not). */
const PRESENCE_EVENTS: ReadonlySet<PosEvent['type']> = new Set([
  'item.added',
  'item.quantityChanged',
  'item.voided',
  'payment.started',
  'payment.failed',
  'payment.succeeded',
]);
/** How often old state is dropped. */
const PRUNE_EVERY_MS = 10_000;

export class FusionEngine {
  readonly config: FusionConfig;
  private readonly ledger = new PosLedger();
  private readonly tracks: TrackStore;
  private readonly book: SuspicionBook;
  private readonly reductions: ReductionCheck;
  private readonly counts: CountCheck;
  private readonly unpaid: UnpaidCheck;
  private lastPruneMs = -Infinity;

  constructor(config?: Partial<FusionConfig>) {
    this.config = resolveConfig(config);
    this.tracks = new TrackStore(this.config);
    this.book = new SuspicionBook(this.config);
    this.reductions = new ReductionCheck(this.config, this.ledger, this.tracks, this.book);
    this.counts = new CountCheck(this.config, this.ledger, this.tracks, this.book);
    this.unpaid = new UnpaidCheck(this.config, this.ledger, this.book, (ms) =>
      this.reductions.countPutBacksSince(ms),
    );
  }

  onPos(event: PosEvent, atMs: number): Suspicion[] {
    const out: Suspicion[] = [];
    if (PRESENCE_EVENTS.has(event.type)) this.unpaid.presence(atMs, true);
    for (const change of this.ledger.apply(event, atMs)) out.push(...this.onChange(change));
    if (event.type === 'transaction.cancelled') this.unpaid.onCancelled(event.txn, atMs);
    return out;
  }

  onPerception(event: PerceptionEvent): Suspicion[] {
    const t = this.tracks.apply(event);
    const obs: Obs = { startMs: event.startMs, endMs: event.endMs, confidence: event.confidence };
    const confident = event.confidence >= this.config.minEventConfidence;
    switch (event.type) {
      case 'itemPassedScanner':
      case 'scanMotion':
      case 'itemMovedPickupToBagging':
        if (confident) this.unpaid.presence(event.endMs, false);
        return [];
      case 'itemPlacedInBagging':
        if (confident && event.fromZone !== 'outside') this.unpaid.presence(event.endMs, false);
        if (t?.decided) this.counts.schedule(t);
        return [];
      case 'itemRemovedFromBagging':
        if (!t) return [];
        if (event.toZone === 'exit') {
          this.unpaid.onExit(t, obs);
          return [];
        }
        return this.reductions.onPutBack(t, obs);
      case 'itemAppearance':
        return t?.decided ? this.lateAppearance(t, event.atMs) : [];
      case 'nonItemObject':
        return t && isNonItem(t, this.config) ? this.retract(t, event.atMs) : [];
      case 'shopperLeft':
        this.unpaid.onShopperLeft(obs);
        return [];
      case 'handsInScanner':
        return [];
    }
  }

  /** Takes every decision whose window has closed by `nowMs`. */
  tick(nowMs: number): Suspicion[] {
    const out: Suspicion[] = [];
    assignScans(this.tracks.pending(), this.ledger.scans, this.config);
    for (const t of this.tracks.due(nowMs)) {
      out.push(...decideTrackRecord(t, nowMs, this.config, this.ledger, this.tracks, this.book));
      if (t.scanId !== undefined && t.placement) this.counts.schedule(t);
    }
    // A landing folded into an already decided trip (tracker id switch) still gets its count check.
    for (const r of this.tracks.takeRelinked()) {
      if (r.decided && r.scanId !== undefined && r.placement) this.counts.schedule(r);
    }
    this.finalizeScans(nowMs);
    out.push(...this.reductions.run(nowMs), ...this.counts.run(nowMs), ...this.unpaid.run(nowMs));
    this.book.expire(nowMs);
    if (nowMs - this.lastPruneMs >= PRUNE_EVERY_MS) {
      this.lastPruneMs = nowMs;
      const before = nowMs - this.config.retentionMs;
      this.tracks.prune(before);
      this.ledger.prune(before);
      this.reductions.prune(before);
      this.counts.prune();
      this.unpaid.prune(before);
    }
    return out;
  }

  /** Earliest time at which `tick` has something to decide, if anything is waiting. */
  nextDueMs(): number | undefined {
    const candidates = [
      this.tracks.nextDueMs(),
      this.reductions.nextDueMs(),
      this.counts.nextDueMs(),
      this.unpaid.nextDueMs(),
    ];
    let next: number | undefined;
    for (const c of candidates) if (c !== undefined && (next === undefined || c < next)) next = c;
    return next;
  }

  private onChange(change: PosChange): Suspicion[] {
    switch (change.kind) {
      case 'scan':
        return this.selfCorrect(change.scan);
      case 'reduce':
        this.reductions.onReduce(change);
        return [];
      case 'paid':
        return this.unpaid.onPaid(change.txn, change.atMs, change.seq);
      case 'activity':
        return [];
    }
  }

  /** A new scan may be the shopper fixing what a nudge pointed at. */
  private selfCorrect(scan: ScanRecord): Suspicion[] {
    const entry = this.book.correctedBy(scan, (ms) => this.reductions.putBackSince(ms));
    return entry ? [this.book.resolve(entry, 'selfCorrected', scan.atMs, { posSeq: scan.seq })] : [];
  }

  private lateAppearance(t: TrackRecord, atMs: number): Suspicion[] {
    const scan = t.scanId !== undefined ? this.ledger.scan(t.scanId) : undefined;
    return scan ? wrongScanCheck(t, scan, atMs, atMs, this.config, this.book) : [];
  }

  /** Later evidence says the track was not goods: withdraw what was raised on it. */
  private retract(t: TrackRecord, atMs: number): Suspicion[] {
    return this.book
      .list()
      .filter((e) => e.trackKey === t.key)
      .map((e) => this.book.resolve(e, 'retracted', atMs, { trackId: t.trackId }));
  }

  /**
   * Scans no new perception event can claim any more become "untracked": the camera missed the
   * item, or the scan was a duplicate. Held scans wait for their track's decision.
   */
  private finalizeScans(nowMs: number): void {
    const horizon = Math.max(this.config.scanLeadMs, this.config.placementScanLeadMs) + 1000;
    for (const s of this.ledger.scans) {
      if (!s.finalized && s.heldUnits === 0 && s.atMs + horizon <= nowMs) s.finalized = true;
    }
  }
}
