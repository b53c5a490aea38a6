/**
 * Deferred checks for the unpaid rules: after shopperLeft (plus a grace), after the POS cancels
 * the order, and when an open order goes idle. Keeps the objects seen leaving the bagging area
 * towards the exit, and the last signs of somebody at the lane.
 */
import type { FusionConfig } from './config.ts';
import type { PosLedger } from './posLedger.ts';
import { assessUnpaid, unpaidExplanation } from './rules/unpaid.ts';
import type { SuspicionBook } from './suspicionBook.ts';
import type { Obs, TrackRecord } from './tracks.ts';
import type { Suspicion } from './types.ts';

/** Confidence given to the idle time-out and to a POS cancel as triggers (nobody seen leaving). */
const IDLE_TRIGGER_CONFIDENCE = 0.8;
/** A bag may hold goods; a phone, a wallet or a child does not. */
const KEEP_OUT_OF_EXITS: ReadonlySet<string> = new Set(['phone', 'wallet', 'child']);

type Trigger =
  { left: Obs; dueMs: number; trigger: 'left' } | { txn: string; dueMs: number; trigger: 'cancelled' };

export class UnpaidCheck {
  private pending: Trigger[] = [];
  private exits: Obs[] = [];
  private readonly raised = new Set<string>();
  private readonly idleCheckedAt = new Map<string, number>();
  /** Last sign of anybody at the lane (POS action or a confident item movement). */
  private lastPresenceMs = -Infinity;
  /** Last POS action by the shopper: only this proves they came back after "left". */
  private lastPosPresenceMs = -Infinity;

  constructor(
    private readonly cfg: FusionConfig,
    private readonly ledger: PosLedger,
    private readonly book: SuspicionBook,
    /** Items taken back out of the bag towards pick-up since a time (unpacking to leave). */
    private readonly putBacksSince: (ms: number) => number,
  ) {}

  presence(ms: number, fromPos: boolean): void {
    this.lastPresenceMs = Math.max(this.lastPresenceMs, ms);
    if (fromPos) this.lastPosPresenceMs = Math.max(this.lastPosPresenceMs, ms);
  }

  onExit(t: TrackRecord, obs: Obs): void {
    if (obs.confidence >= this.cfg.minEventConfidence && !KEEP_OUT_OF_EXITS.has(t.nonItem?.kind ?? '')) {
      this.exits.push(obs);
    }
  }

  onShopperLeft(obs: Obs): void {
    if (obs.confidence >= this.cfg.minEventConfidence) {
      this.pending.push({ left: obs, dueMs: obs.endMs + this.cfg.unpaidGraceMs, trigger: 'left' });
    }
  }

  /** A cancelled order is checked like a departure: were goods taken without payment? */
  onCancelled(txn: string, atMs: number): void {
    this.pending.push({ txn, dueMs: atMs + this.cfg.unpaidGraceMs, trigger: 'cancelled' });
  }

  /** Payment closes any unpaid suspicion of the order. */
  onPaid(txn: string, atMs: number, seq: number): Suspicion[] {
    return this.book
      .list()
      .filter((e) => e.s.type === 'unpaid' && e.s.txn === txn)
      .map((e) => this.book.resolve(e, 'selfCorrected', atMs, { posSeq: seq }));
  }

  run(nowMs: number): Suspicion[] {
    const out: Suspicion[] = [];
    const due = this.pending.filter((u) => u.dueMs <= nowMs);
    this.pending = this.pending.filter((u) => u.dueMs > nowMs);
    for (const u of due) {
      out.push(
        ...(u.trigger === 'left'
          ? this.decide(u.left, u.dueMs, nowMs)
          : this.decide(undefined, u.dueMs, nowMs, u.txn, 'unpaid.cancelled')),
      );
    }
    for (const txn of this.ledger.openTxns()) {
      const idleAt = Math.max(txn.lastActivityMs, this.lastPresenceMs) + this.cfg.idleTimeoutMs;
      if (idleAt > nowMs || this.idleCheckedAt.get(txn.txn) === txn.lastActivityMs) continue;
      this.idleCheckedAt.set(txn.txn, txn.lastActivityMs);
      out.push(...this.decide(undefined, idleAt, nowMs, txn.txn, 'unpaid.idle'));
    }
    return out;
  }

  nextDueMs(): number | undefined {
    const dues = this.pending.map((d) => d.dueMs);
    for (const txn of this.ledger.openTxns()) {
      if (this.idleCheckedAt.get(txn.txn) === txn.lastActivityMs) continue;
      dues.push(Math.max(txn.lastActivityMs, this.lastPresenceMs) + this.cfg.idleTimeoutMs);
    }
    return dues.length > 0 ? Math.min(...dues) : undefined;
  }

  prune(beforeMs: number): void {
    this.exits = this.exits.filter((r) => r.endMs >= beforeMs);
    for (const set of [this.raised, this.idleCheckedAt]) {
      for (const txn of set.keys()) if (!this.ledger.get(txn)) set.delete(txn);
    }
  }

  private decide(
    left: Obs | undefined,
    dueMs: number,
    nowMs: number,
    txnId?: string,
    rule: 'unpaid.idle' | 'unpaid.cancelled' = 'unpaid.idle',
  ): Suspicion[] {
    const txn =
      txnId !== undefined
        ? this.ledger.get(txnId)
        : this.ledger.txnAt(left?.endMs ?? nowMs, 0, this.cfg.postTxnAttributionMs);
    if (!txn || txn.paidMs !== undefined || this.raised.has(txn.txn)) return [];
    // The shopper used the POS after "left": they came back. (Camera activity alone is not
    // enough here; a detector glitch must not cancel the check.)
    if (left && this.lastPosPresenceMs > left.endMs) return [];
    let lastScanMs = txn.startedMs;
    for (const line of txn.lines.values()) lastScanMs = Math.max(lastScanMs, line.addedMs);
    const exits = this.exits.filter((x) => x.startMs >= lastScanMs);
    const verdict = assessUnpaid({
      paid: false,
      rungUnits: this.ledger.totalUnits(txn.txn),
      exits,
      returns: this.putBacksSince(lastScanMs),
      triggerConfidence: left?.confidence ?? IDLE_TRIGGER_CONFIDENCE,
    });
    if (!verdict) return [];
    this.raised.add(txn.txn);
    const seqs = [...txn.lines.values()].filter((l) => !l.voided).map((l) => l.seq);
    const startMs = Math.min(...exits.map((x) => x.startMs), left?.startMs ?? Infinity);
    const endMs = left?.endMs ?? Math.max(txn.lastActivityMs, ...exits.map((x) => x.endMs));
    const s = this.book.raise(
      {
        type: 'unpaid',
        rule: left ? 'unpaid.leftWithGoods' : rule,
        txn: txn.txn,
        confidence: verdict.confidence,
        explanation: unpaidExplanation(
          this.ledger.totalUnits(txn.txn),
          left ? 'left' : rule === 'unpaid.idle' ? 'idle' : 'cancelled',
        ),
        evidence: { startMs, endMs, trackIds: [], posSeqs: seqs },
        windowClosedMs: dueMs,
      },
      nowMs,
    );
    return [s];
  }
}
