/**
 * The engine's deferred checks (reduction, count excess, unpaid) and everything that can close a
 * raised suspicion (correcting scan, item put back, payment, non-item retraction). Kept apart
 * from the per-item decision so each part stays small enough to read in one go.
 */
import type { FusionConfig } from './config.ts';
import type { PosChange, PosLedger, ScanRecord } from './posLedger.ts';
import { countExcess, countExplanation } from './rules/countExcess.ts';
import { assessReduction, reductionExplanation } from './rules/reduction.ts';
import { assessUnpaid, unpaidExplanation } from './rules/unpaid.ts';
import type { SuspicionBook } from './suspicionBook.ts';
import { wrongScanCheck } from './trackDecision.ts';
import { allTrackIds, gtinHint, isNonItem, type Obs, type TrackRecord, type TrackStore } from './tracks.ts';
import type { Suspicion } from './types.ts';

type Reduce = Extract<PosChange, { kind: 'reduce' }>;
interface Removal {
  key: number;
  trackId: number;
  obs: Obs;
  consumed: boolean;
}
/** Confidence given to the idle time-out as a trigger (no one was seen leaving). */
const IDLE_TRIGGER_CONFIDENCE = 0.8;
const KEEP_OUT_OF_EXITS: ReadonlySet<string> = new Set(['phone', 'wallet', 'child']);

export class Checks {
  private reductions: (Reduce & { dueMs: number })[] = [];
  private counts: { key: number; dueMs: number }[] = [];
  private unpaid: { left: Obs; dueMs: number }[] = [];
  private exits: Removal[] = [];
  private returns: Removal[] = [];
  /** Returns already used to explain a void, per `txn \0 gtin`: those items left the bag. */
  private readonly consumedReturns = new Map<string, number>();
  private readonly unpaidRaised = new Set<string>();
  private readonly idleCheckedAt = new Map<string, number>();
  private readonly countChecked = new Set<number>();
  private lastPresenceMs = -Infinity;

  constructor(
    private readonly cfg: FusionConfig,
    private readonly ledger: PosLedger,
    private readonly tracks: TrackStore,
    private readonly book: SuspicionBook,
  ) {}

  presence(ms: number): void {
    this.lastPresenceMs = Math.max(this.lastPresenceMs, ms);
  }

  onScan(scan: ScanRecord): Suspicion[] {
    const entry = this.book.correctedBy(scan, (ms) => this.returns.some((r) => r.obs.endMs >= ms));
    return entry ? [this.book.resolve(entry, 'selfCorrected', scan.atMs, { posSeq: scan.seq })] : [];
  }

  onReduce(change: Reduce): void {
    this.reductions.push({ ...change, dueMs: change.atMs + this.cfg.reductionWindowMs });
  }

  onPaid(txn: string, atMs: number, seq: number): Suspicion[] {
    return this.book
      .list()
      .filter((e) => e.s.type === 'unpaid' && e.s.txn === txn)
      .map((e) => this.book.resolve(e, 'selfCorrected', atMs, { posSeq: seq }));
  }

  onRemoval(t: TrackRecord, toZone: 'pickup' | 'exit' | 'unknown', obs: Obs): Suspicion[] {
    if (obs.confidence < this.cfg.minEventConfidence) return [];
    const removal: Removal = { key: t.key, trackId: t.trackId, obs, consumed: false };
    if (toZone === 'exit') {
      // A bag may hold goods; a phone, a wallet or a child does not.
      if (!KEEP_OUT_OF_EXITS.has(t.nonItem?.kind ?? '')) this.exits.push(removal);
      return [];
    }
    if (isNonItem(t, this.cfg)) return [];
    this.returns.push(removal);
    // An item taken back after the suspicion was raised still settles it.
    for (const e of this.book.list()) {
      const { s } = e;
      if (s.rule !== 'reduction.notReturned' || obs.endMs > s.raisedAtMs + this.cfg.selfCorrectWindowMs)
        continue;
      if (!this.compatible(t, s.subject?.gtin ?? '')) continue;
      removal.consumed = true;
      this.addConsumed(s.txn, s.subject?.gtin ?? '');
      return [this.book.resolve(e, 'selfCorrected', obs.endMs, { trackId: t.trackId })];
    }
    return [];
  }

  onShopperLeft(obs: Obs): void {
    if (obs.confidence >= this.cfg.minEventConfidence) {
      this.unpaid.push({ left: obs, dueMs: obs.endMs + this.cfg.unpaidGraceMs });
    }
  }

  scheduleCount(t: TrackRecord): void {
    const p = t.placement;
    if (!p || p.count < 2 || this.countChecked.has(t.key) || this.counts.some((c) => c.key === t.key)) return;
    this.counts.push({ key: t.key, dueMs: p.endMs + this.cfg.scanMatchWindowMs });
  }

  lateAppearance(t: TrackRecord, atMs: number): Suspicion[] {
    const scan = t.scanId !== undefined ? this.ledger.scan(t.scanId) : undefined;
    return scan ? wrongScanCheck(t, scan, atMs, this.cfg, this.book) : [];
  }

  retract(t: TrackRecord, atMs: number): Suspicion[] {
    return this.book
      .list()
      .filter((e) => e.trackKey === t.key)
      .map((e) => this.book.resolve(e, 'retracted', atMs, { trackId: t.trackId }));
  }

  run(nowMs: number): Suspicion[] {
    const out: Suspicion[] = [];
    const dueR = this.reductions.filter((r) => r.dueMs <= nowMs);
    this.reductions = this.reductions.filter((r) => r.dueMs > nowMs);
    for (const r of dueR) out.push(...this.decideReduction(r, nowMs));
    const dueC = this.counts.filter((c) => c.dueMs <= nowMs);
    this.counts = this.counts.filter((c) => c.dueMs > nowMs);
    for (const c of dueC) out.push(...this.decideCount(c.key, c.dueMs, nowMs));
    const dueU = this.unpaid.filter((u) => u.dueMs <= nowMs);
    this.unpaid = this.unpaid.filter((u) => u.dueMs > nowMs);
    for (const u of dueU) out.push(...this.decideUnpaid(u.left, u.dueMs, nowMs));
    for (const txn of this.ledger.openTxns()) {
      const idleAt = Math.max(txn.lastActivityMs, this.lastPresenceMs) + this.cfg.idleTimeoutMs;
      if (idleAt > nowMs || this.idleCheckedAt.get(txn.txn) === txn.lastActivityMs) continue;
      this.idleCheckedAt.set(txn.txn, txn.lastActivityMs);
      out.push(...this.decideUnpaid(undefined, idleAt, nowMs, txn.txn));
    }
    return out;
  }

  nextDueMs(): number | undefined {
    const dues = [...this.reductions, ...this.counts, ...this.unpaid].map((d) => d.dueMs);
    for (const txn of this.ledger.openTxns()) {
      if (this.idleCheckedAt.get(txn.txn) === txn.lastActivityMs) continue;
      dues.push(Math.max(txn.lastActivityMs, this.lastPresenceMs) + this.cfg.idleTimeoutMs);
    }
    return dues.length > 0 ? Math.min(...dues) : undefined;
  }

  prune(beforeMs: number): void {
    this.exits = this.exits.filter((r) => r.obs.endMs >= beforeMs);
    this.returns = this.returns.filter((r) => r.obs.endMs >= beforeMs);
    for (const key of this.consumedReturns.keys()) {
      if (!this.ledger.get(key.split('\0')[0] ?? '')) this.consumedReturns.delete(key);
    }
    for (const set of [this.unpaidRaised, this.idleCheckedAt]) {
      for (const txn of set.keys()) if (!this.ledger.get(txn)) set.delete(txn);
    }
    const keys = new Set(this.tracks.records.map((t) => t.key));
    for (const key of this.countChecked) if (!keys.has(key)) this.countChecked.delete(key);
  }

  private decideReduction(r: Reduce & { dueMs: number }, nowMs: number): Suspicion[] {
    const scans = this.ledger.scans.filter((s) => s.txn === r.txn && s.gtin === r.gtin);
    const available = this.returns.filter(
      (x) =>
        !x.consumed &&
        x.obs.endMs >= r.atMs - this.cfg.returnLeadMs &&
        x.obs.startMs <= r.dueMs &&
        this.compatible(this.tracks.byKey(x.key), r.gtin),
    );
    const verdict = assessReduction({
      units: r.units,
      rungAfter: this.ledger.rungUnits(r.txn, r.gtin),
      physical: physicalUnits(scans, this.cfg) - (this.consumedReturns.get(`${r.txn}\0${r.gtin}`) ?? 0),
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

  private decideCount(key: number, dueMs: number, nowMs: number): Suspicion[] {
    const t = this.tracks.byKey(key);
    const scan = t?.scanId !== undefined ? this.ledger.scan(t.scanId) : undefined;
    const line = scan ? this.ledger.get(scan.txn)?.lines.get(scan.line) : undefined;
    if (!t?.placement || !scan || !line || t.placement.countConfidence < this.cfg.countMinConfidence)
      return [];
    this.countChecked.add(key);
    const onLine = this.tracks.records.filter(
      (r) => r.decided && r.scanId !== undefined && this.sameLine(r.scanId, scan),
    );
    const placedCounts = onLine.map((r) =>
      r.placement && r.placement.countConfidence >= this.cfg.countMinConfidence ? r.placement.count : 1,
    );
    const excess = countExcess({ lineQty: line.voided ? 0 : line.qty, weighed: line.weighed, placedCounts });
    if (excess < 1) return [];
    const placed = placedCounts.reduce((a, b) => a + b, 0);
    const s = this.book.raise(
      {
        type: 'missedScan',
        rule: 'missedScan.countExcess',
        txn: scan.txn,
        confidence: t.placement.countConfidence * t.placement.confidence,
        explanation: countExplanation(scan.name, scan.line, placed, line.qty),
        evidence: {
          startMs: Math.min(scan.atMs, t.placement.startMs),
          endMs: Math.max(scan.atMs, t.placement.endMs),
          trackIds: onLine.flatMap(allTrackIds),
          posSeqs: [scan.seq],
        },
        windowClosedMs: dueMs,
        subject: { gtin: scan.gtin, line: scan.line, name: scan.name },
        trackKey: t.key,
        bagged: true,
      },
      nowMs,
    );
    t.suspicionIds.push(s.id);
    return [s];
  }

  private decideUnpaid(left: Obs | undefined, dueMs: number, nowMs: number, idleTxn?: string): Suspicion[] {
    const txn =
      idleTxn !== undefined
        ? this.ledger.get(idleTxn)
        : this.ledger.txnAt(left?.endMs ?? nowMs, 0, this.cfg.postTxnAttributionMs);
    if (!txn || txn.paidMs !== undefined || this.unpaidRaised.has(txn.txn)) return [];
    // Somebody was active at the lane after "left": they came back.
    if (left && this.lastPresenceMs > left.endMs) return [];
    const exits = this.exits.filter((x) => x.obs.startMs >= txn.startedMs).map((x) => x.obs);
    const verdict = assessUnpaid({
      paid: false,
      rungUnits: this.ledger.totalUnits(txn.txn),
      exits,
      triggerConfidence: left?.confidence ?? IDLE_TRIGGER_CONFIDENCE,
    });
    if (!verdict) return [];
    this.unpaidRaised.add(txn.txn);
    const seqs = [...txn.lines.values()].filter((l) => !l.voided).map((l) => l.seq);
    const startMs = Math.min(...exits.map((x) => x.startMs), left?.startMs ?? Infinity);
    const endMs = left?.endMs ?? Math.max(txn.lastActivityMs, ...exits.map((x) => x.endMs));
    const s = this.book.raise(
      {
        type: 'unpaid',
        rule: left ? 'unpaid.leftWithGoods' : 'unpaid.idle',
        txn: txn.txn,
        confidence: verdict.confidence,
        explanation: unpaidExplanation(this.ledger.totalUnits(txn.txn), !left),
        evidence: { startMs, endMs, trackIds: [], posSeqs: seqs },
        windowClosedMs: dueMs,
      },
      nowMs,
    );
    return [s];
  }

  private sameLine(scanId: number, scan: ScanRecord): boolean {
    const other = this.ledger.scan(scanId);
    return other !== undefined && other.txn === scan.txn && other.line === scan.line;
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
    this.consumedReturns.set(key, (this.consumedReturns.get(key) ?? 0) + 1);
  }
}

/**
 * Units of one product physically seen: items matched with a scan, items seen only in the bag
 * and explained by a scan, and scans the camera missed that are not duplicates of a nearby scan
 * of the same product (those are double scans, not items).
 */
export function physicalUnits(scans: readonly ScanRecord[], cfg: FusionConfig): number {
  let units = 0;
  for (const s of scans) {
    units += s.committedUnits + s.reconciledUnits;
    const left = s.units - s.committedUnits - s.reconciledUnits;
    if (!s.finalized || left <= 0) continue;
    const duplicate = scans.some((o) => o !== s && Math.abs(o.atMs - s.atMs) <= cfg.duplicateScanWindowMs);
    if (!duplicate) units += left;
  }
  return units;
}
