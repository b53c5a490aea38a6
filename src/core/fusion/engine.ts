/**
 * Fusion engine: lines camera evidence up against the POS and raises suspicions for the five
 * abnormal events of the loss-prevention guide. Deterministic (no clocks, no randomness: time
 * only enters through the arguments) and explainable (every suspicion names its rule, its
 * frames and its POS events).
 *
 * Event handlers only record; decisions that wait for a window are taken by `tick`, which the
 * host calls on a short interval (100 ms is plenty) or exactly at `nextDueMs()`.
 */
import { resolveConfig, type FusionConfig } from './config.ts';
import { PosLedger, type PosChange } from './posLedger.ts';
import { assignScans } from './matching.ts';
import { SuspicionBook } from './suspicionBook.ts';
import { TrackStore, isNonItem, type Obs } from './tracks.ts';
import { Checks } from './checks.ts';
import { decideTrackRecord } from './trackDecision.ts';
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
  private readonly checks: Checks;
  private lastPruneMs = -Infinity;

  constructor(config?: Partial<FusionConfig>) {
    this.config = resolveConfig(config);
    this.tracks = new TrackStore(this.config);
    this.book = new SuspicionBook(this.config);
    this.checks = new Checks(this.config, this.ledger, this.tracks, this.book);
  }

  onPos(event: PosEvent, atMs: number): Suspicion[] {
    const out: Suspicion[] = [];
    if (PRESENCE_EVENTS.has(event.type)) this.checks.presence(atMs);
    for (const change of this.ledger.apply(event, atMs)) out.push(...this.onChange(change));
    return out;
  }

  onPerception(event: PerceptionEvent): Suspicion[] {
    const t = this.tracks.apply(event);
    const obs: Obs = { startMs: event.startMs, endMs: event.endMs, confidence: event.confidence };
    switch (event.type) {
      case 'itemPassedScanner':
        if (event.holdingItem) this.checks.presence(event.endMs);
        return [];
      case 'scanMotion':
      case 'itemMovedPickupToBagging':
        this.checks.presence(event.endMs);
        return [];
      case 'itemPlacedInBagging':
        if (event.fromZone !== 'outside') this.checks.presence(event.endMs);
        if (t?.decided) this.checks.scheduleCount(t);
        return [];
      case 'itemRemovedFromBagging':
        return t ? this.checks.onRemoval(t, event.toZone, obs) : [];
      case 'itemAppearance':
        return t?.decided ? this.checks.lateAppearance(t, event.atMs) : [];
      case 'nonItemObject':
        return t && isNonItem(t, this.config) ? this.checks.retract(t, event.atMs) : [];
      case 'shopperLeft':
        this.checks.onShopperLeft(obs);
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
      const s = decideTrackRecord(t, nowMs, this.config, this.ledger, this.tracks, this.book);
      out.push(...s);
      if (t.scanId !== undefined && t.placement) this.checks.scheduleCount(t);
    }
    this.finalizeScans(nowMs);
    out.push(...this.checks.run(nowMs));
    this.book.expire(nowMs);
    if (nowMs - this.lastPruneMs >= PRUNE_EVERY_MS) {
      this.lastPruneMs = nowMs;
      const before = nowMs - this.config.retentionMs;
      this.tracks.prune(before);
      this.ledger.prune(before);
      this.checks.prune(before);
    }
    return out;
  }

  /** Earliest time at which `tick` has something to decide, if anything is waiting. */
  nextDueMs(): number | undefined {
    const candidates = [this.tracks.nextDueMs(), this.checks.nextDueMs()];
    let next: number | undefined;
    for (const c of candidates) if (c !== undefined && (next === undefined || c < next)) next = c;
    return next;
  }

  private onChange(change: PosChange): Suspicion[] {
    switch (change.kind) {
      case 'scan':
        return this.checks.onScan(change.scan);
      case 'reduce':
        this.checks.onReduce(change);
        return [];
      case 'paid':
        return this.checks.onPaid(change.txn, change.atMs, change.seq);
      case 'activity':
        return [];
    }
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
