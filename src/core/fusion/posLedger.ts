/**
 * The fusion engine's own, minimal view of the POS: which transaction is open, which lines are
 * rung up, and every scan as a time-stamped unit that perception evidence can be matched with.
 * Deliberately independent of the order model (src/core/order): the engine needs scan timing and
 * per-GTIN unit counts, not totals or display state, and must keep working if that model changes.
 */
import type { PosEvent } from '../pos/events.ts';

export type TxnStatus = 'open' | 'paying' | 'paid' | 'cancelled' | 'ended';

export interface LineRecord {
  line: number;
  gtin: string;
  name: string;
  /** Current quantity; weighed lines count as one unit. */
  qty: number;
  weighed: boolean;
  addedMs: number;
  seq: number;
  voided: boolean;
}

export interface TxnRecord {
  txn: string;
  startedMs: number;
  status: TxnStatus;
  closedMs?: number;
  /** Set on the first payment.started and kept through failures: the lane is in the pay phase. */
  paymentStartedMs?: number;
  paidMs?: number;
  lastActivityMs: number;
  lines: Map<number, LineRecord>;
}

/** One registration at the scanner (item.added, or a quantity increase) waiting for an item. */
export interface ScanRecord {
  id: number;
  txn: string;
  seq: number;
  line: number;
  gtin: string;
  name: string;
  /** Physical items this registration pays for. */
  units: number;
  atMs: number;
  weighed: boolean;
  /** Units claimed by tracks whose decision is final. */
  committedUnits: number;
  /** Units tentatively held by undecided tracks (recomputed by matching on every tick). */
  heldUnits: number;
  /** No new track may claim it any more; leftover units are "untracked". */
  finalized: boolean;
  /** Untracked units used up to explain items seen only in the bagging zone. */
  reconciledUnits: number;
}

export type PosChange =
  | { kind: 'scan'; scan: ScanRecord }
  | {
      kind: 'reduce';
      txn: string;
      line: number;
      gtin: string;
      name: string;
      units: number;
      atMs: number;
      seq: number;
    }
  | { kind: 'paid'; txn: string; atMs: number; seq: number }
  | { kind: 'activity'; txn: string; atMs: number };

export class PosLedger {
  private readonly txns = new Map<string, TxnRecord>();
  /** Transactions in start order, for attribution by time. */
  private readonly order: TxnRecord[] = [];
  readonly scans: ScanRecord[] = [];
  private nextScanId = 1;

  apply(event: PosEvent, atMs: number): PosChange[] {
    const txn = this.txnRecord(event.txn, atMs);
    txn.lastActivityMs = Math.max(txn.lastActivityMs, atMs);
    const changes: PosChange[] = [{ kind: 'activity', txn: txn.txn, atMs }];
    switch (event.type) {
      case 'transaction.started':
        txn.startedMs = Math.min(txn.startedMs, atMs);
        break;
      case 'item.added': {
        const weighed = event.weight !== undefined;
        const qty = weighed ? 1 : Math.max(1, event.qty);
        const line: LineRecord = {
          line: event.line,
          gtin: event.gtin,
          name: event.name,
          qty,
          weighed,
          addedMs: atMs,
          seq: event.seq,
          voided: false,
        };
        txn.lines.set(event.line, line);
        changes.push({ kind: 'scan', scan: this.addScan(txn.txn, line, qty, atMs, event.seq) });
        break;
      }
      case 'item.quantityChanged': {
        const line = txn.lines.get(event.line);
        if (!line || line.voided || line.weighed) break;
        const delta = event.qty - line.qty;
        line.qty = Math.max(0, event.qty);
        // A quantity bump is how many POSes register a second scan of the same product.
        if (delta > 0)
          changes.push({ kind: 'scan', scan: this.addScan(txn.txn, line, delta, atMs, event.seq) });
        if (delta < 0) changes.push(reduce(txn.txn, line, -delta, atMs, event.seq));
        break;
      }
      case 'item.voided': {
        const line = txn.lines.get(event.line);
        if (!line || line.voided) break;
        const units = line.qty;
        line.voided = true;
        line.qty = 0;
        if (units > 0) changes.push(reduce(txn.txn, line, units, atMs, event.seq));
        break;
      }
      case 'payment.started':
        txn.status = 'paying';
        txn.paymentStartedMs ??= atMs;
        break;
      case 'payment.failed':
        if (txn.status === 'paying') txn.status = 'open';
        break;
      case 'payment.succeeded':
        txn.status = 'paid';
        txn.paidMs = atMs;
        txn.paymentStartedMs ??= atMs;
        changes.push({ kind: 'paid', txn: txn.txn, atMs, seq: event.seq });
        break;
      case 'transaction.cancelled':
        txn.status = 'cancelled';
        txn.closedMs = atMs;
        break;
      case 'transaction.ended':
        if (txn.status !== 'paid' && txn.status !== 'cancelled') txn.status = 'ended';
        txn.closedMs ??= atMs;
        break;
      case 'assistance.requested':
        break;
    }
    return changes;
  }

  /** A retained scan by id (ids grow with array position, so binary search). */
  scan(id: number): ScanRecord | undefined {
    return findById(this.scans, id, (s) => s.id);
  }

  get(txn: string): TxnRecord | undefined {
    return this.txns.get(txn);
  }

  /** Transactions not yet closed, oldest first. */
  openTxns(): TxnRecord[] {
    return this.order.filter((t) => t.closedMs === undefined && t.status !== 'paid');
  }

  /**
   * Which transaction evidence at `ms` belongs to: the newest one that had started by then (or
   * started up to `leadMs` later: the first item is seen before the POS opens the transaction)
   * and had not been closed for longer than `postMs`.
   */
  txnAt(ms: number, leadMs: number, postMs: number): TxnRecord | undefined {
    for (let i = this.order.length - 1; i >= 0; i--) {
      const t = this.order[i];
      if (!t || t.startedMs - leadMs > ms) continue;
      const closed = t.closedMs ?? t.paidMs;
      return closed === undefined || ms <= closed + postMs ? t : undefined;
    }
    return undefined;
  }

  /** Units currently rung up for a GTIN (weighed lines count one). */
  rungUnits(txn: string, gtin: string): number {
    let units = 0;
    for (const line of this.txns.get(txn)?.lines.values() ?? []) {
      if (!line.voided && line.gtin === gtin) units += line.qty;
    }
    return units;
  }

  /** Units on all live lines. */
  totalUnits(txn: string): number {
    let units = 0;
    for (const line of this.txns.get(txn)?.lines.values() ?? []) if (!line.voided) units += line.qty;
    return units;
  }

  /**
   * Forget transactions that closed (or went quiet) before `beforeMs`, with their scans. Scans of
   * a transaction still kept stay: a late void needs the whole order's unit counts.
   */
  prune(beforeMs: number): void {
    const settled = (t: TxnRecord): boolean => (t.closedMs ?? t.paidMs ?? t.lastActivityMs) < beforeMs;
    // The newest transaction always stays so that evidence can still be attributed to it.
    while (this.order.length > 1 && this.order[0] && settled(this.order[0])) {
      const first = this.order.shift();
      if (first) this.txns.delete(first.txn);
    }
    const keep = this.scans.filter((s) => this.txns.has(s.txn));
    if (keep.length !== this.scans.length) this.scans.splice(0, this.scans.length, ...keep);
  }

  private txnRecord(id: string, atMs: number): TxnRecord {
    let txn = this.txns.get(id);
    if (!txn) {
      // A POS that lost transaction.started still gets a record: the order exists either way.
      txn = { txn: id, startedMs: atMs, status: 'open', lastActivityMs: atMs, lines: new Map() };
      this.txns.set(id, txn);
      this.order.push(txn);
    }
    return txn;
  }

  private addScan(txn: string, line: LineRecord, units: number, atMs: number, seq: number): ScanRecord {
    const scan: ScanRecord = {
      id: this.nextScanId++,
      txn,
      seq,
      line: line.line,
      gtin: line.gtin,
      name: line.name,
      units,
      atMs,
      weighed: line.weighed,
      committedUnits: 0,
      heldUnits: 0,
      finalized: false,
      reconciledUnits: 0,
    };
    this.scans.push(scan);
    return scan;
  }
}

function reduce(txn: string, line: LineRecord, units: number, atMs: number, seq: number): PosChange {
  return { kind: 'reduce', txn, line: line.line, gtin: line.gtin, name: line.name, units, atMs, seq };
}

/** Units of a scan nobody has claimed, tentatively or for good. */
export function freeUnits(scan: ScanRecord): number {
  return scan.units - scan.committedUnits - scan.heldUnits - scan.reconciledUnits;
}

/** Binary search in an array sorted by a numeric id. */
export function findById<T>(items: readonly T[], id: number, idOf: (item: T) => number): T | undefined {
  let lo = 0;
  let hi = items.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const item = items[mid];
    if (item === undefined) return undefined;
    const at = idOf(item);
    if (at === id) return item;
    if (at < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}
