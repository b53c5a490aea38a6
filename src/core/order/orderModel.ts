/**
 * The live order of one lane, built from the POS event stream (docs/pos-protocol.md).
 *
 * The stream is unreliable in the ordinary ways: the same event can come over two transports,
 * events can overtake each other or go missing, and the kiosk can join in the middle of a
 * transaction. The model therefore decides per event, in this order:
 *   1. is it a well-formed v1 event for this lane (else rejected);
 *   2. where it falls in the sequence (Sequencer: duplicate, conflict, next, early → held, late);
 *   3. which order it belongs to (open one, implicit start, closed → stale);
 *   4. what it does to that order (applyToOrder).
 * Every call returns what happened as data; nothing here throws, whatever the input.
 */
import { validatePosEvent } from '../pos/validate.ts';
import type { PosEvent, PromptAnswer, PromptKind } from '../pos/events.ts';
import {
  applyLateEnd,
  applyToOrder,
  diagnostic,
  type ApplyContext,
  type ApplyOutcome,
} from './applyToOrder.ts';
import { addTimeline, cloneDiagnostic, cloneOrder, newOrderState, type OrderState } from './orderState.ts';
import { Sequencer } from './sequencer.ts';
import type { AcceptResult, Diagnostic, Order, PromptRequest } from './types.ts';

export const DEFAULT_GAP_HOLD_MS = 1500;
const HISTORY_SIZE = 20;
/** Closed transaction ids remembered to refuse stale events for them. */
const CLOSED_TXN_MEMORY = 1000;

const PROMPT_KINDS: ReadonlySet<string> = new Set<PromptKind>([
  'itemVoided',
  'quantityReduced',
  'transactionCancelled',
  'paymentFailed',
]);
const PROMPT_ANSWERS: ReadonlySet<string> = new Set<PromptAnswer>([
  'confirmed',
  'undo',
  'callGuide',
  'timedOut',
]);

export interface OrderModelSnapshot {
  lane: string;
  lastSeq: number;
  isTransactionOpen: boolean;
  /** See OrderModel.current. */
  current: Order | null;
  /** Oldest first. */
  history: Order[];
  /** Seqs received early and waiting for the ones before them. */
  heldSeqs: number[];
  /** When tick() should next be called to release held events (caller's clock), or null. */
  nextTickAt: number | null;
}

export class OrderModel {
  readonly lane: string;
  private readonly sequencer: Sequencer<PosEvent>;
  private open: OrderState | null = null;
  private last: OrderState | null = null;
  private readonly closed: OrderState[] = [];
  /** txn → closed implicitly (another transaction began before its end event arrived). */
  private readonly closedTxns = new Map<string, boolean>();
  private clock = 0;

  constructor(opts: { lane: string; gapHoldMs?: number }) {
    this.lane = opts.lane;
    const hold = opts.gapHoldMs;
    this.sequencer = new Sequencer(
      typeof hold === 'number' && Number.isFinite(hold) && hold >= 0 ? hold : DEFAULT_GAP_HOLD_MS,
    );
  }

  /**
   * The open order, or else the order that closed last, kept until the next transaction starts so
   * the screen can go on showing "paid" or "cancelled". Use isTransactionOpen to tell the two
   * apart. A copy: changing it does not change the model.
   */
  get current(): Order | null {
    const state = this.open ?? this.last;
    return state ? cloneOrder(state.order) : null;
  }

  get isTransactionOpen(): boolean {
    return this.open !== null;
  }

  /** Highest seq dealt with (applied, or refused because of order state), -1 before any. */
  get lastSeq(): number {
    return this.sequencer.lastSeq;
  }

  /** The last 20 closed orders, oldest first, as copies. */
  get history(): Order[] {
    return this.closed.map((state) => cloneOrder(state.order));
  }

  /**
   * Continues the stream after `lastSeq`, e.g. the value persisted before a reload or a
   * reconnect. Events at or below it that were never seen are then late: they are applied only
   * to a transaction that is open, never start one. To rebuild an open transaction, replay it
   * from its transaction.started with resumeFrom(startSeq - 1).
   *
   * resumeFrom(-1) forgets all sequence history and joins the stream at the next event, whatever
   * its seq: the way out after the POS restarted its numbering. Orders are kept either way.
   */
  resumeFrom(lastSeq: number): void {
    if (Number.isSafeInteger(lastSeq) && lastSeq >= -1) this.sequencer.resume(lastSeq);
  }

  accept(raw: unknown, nowMs: number): AcceptResult {
    const result: AcceptResult = { applied: [], diagnostics: [], prompts: [] };
    this.guard(result, () => {
      const now = this.now(nowMs);
      this.admit(raw, now, result);
      this.release(now, result);
    });
    return result;
  }

  /** Releases held events whose gap has been waited out. Call it at nextTickAt, or every second. */
  tick(nowMs: number): AcceptResult {
    const result: AcceptResult = { applied: [], diagnostics: [], prompts: [] };
    this.guard(result, () => this.release(this.now(nowMs), result));
    return result;
  }

  /** Notes that the UI showed a prompt; goes to the order the prompt is about. Returns false if none. */
  recordPrompt(req: PromptRequest, atIso: string): boolean {
    try {
      if (!PROMPT_KINDS.has(req.kind) || typeof atIso !== 'string') return false;
      const state = this.orderFor(req.txn);
      if (state === null) return false;
      addTimeline(
        state,
        typeof req.line === 'number'
          ? { kind: 'prompt', at: atIso, prompt: req.kind, line: req.line }
          : { kind: 'prompt', at: atIso, prompt: req.kind },
      );
      return true;
    } catch {
      return false;
    }
  }

  /** Notes how the shopper answered a prompt, on the current order. Returns false if none. */
  recordAnswer(kind: PromptKind, answer: PromptAnswer, tookMs: number, atIso: string): boolean {
    try {
      const state = this.open ?? this.last;
      if (
        state === null ||
        !PROMPT_KINDS.has(kind) ||
        !PROMPT_ANSWERS.has(answer) ||
        typeof atIso !== 'string'
      ) {
        return false;
      }
      const took = Number.isFinite(tookMs) && tookMs > 0 ? Math.round(tookMs) : 0;
      addTimeline(state, { kind: 'answer', at: atIso, prompt: kind, answer, tookMs: took });
      return true;
    } catch {
      return false;
    }
  }

  /** Everything the UI shows, as plain data that survives structured cloning and JSON. */
  snapshot(): OrderModelSnapshot {
    return {
      lane: this.lane,
      lastSeq: this.lastSeq,
      isTransactionOpen: this.isTransactionOpen,
      current: this.current,
      history: this.history,
      heldSeqs: this.sequencer.heldSeqs,
      nextTickAt: this.sequencer.releaseAt,
    };
  }

  private guard(result: AcceptResult, work: () => void): void {
    try {
      work();
    } catch {
      // Only a bug gets here; report it like a refused event rather than take the kiosk down.
      result.diagnostics.push(diagnostic('invalid', 'rejected', 'internal error while handling the event'));
    }
  }

  /** A non-finite clock reading must not poison the gap timer; reuse the last good one. */
  private now(nowMs: number): number {
    if (typeof nowMs === 'number' && Number.isFinite(nowMs)) this.clock = nowMs;
    return this.clock;
  }

  private admit(raw: unknown, now: number, result: AcceptResult): void {
    const checked = validatePosEvent(raw);
    if (!checked.ok) {
      this.report(result, diagnostic(checked.code, 'rejected', checked.errors.join('; ')));
      return;
    }
    const event = checked.event;
    if (event.lane !== this.lane) {
      this.report(
        result,
        diagnostic('wrong-lane', 'rejected', `event for lane ${event.lane} reached lane ${this.lane}`, event),
      );
      return;
    }
    const print = fingerprint(event);
    switch (this.sequencer.admit(event.seq, print, event, now)) {
      case 'duplicate':
        // Not filed on the order: with two transports live, every event arrives twice.
        this.report(
          result,
          diagnostic('duplicate', 'ignored', `seq ${event.seq} was already received`, event),
          null,
        );
        return;
      case 'conflict':
        this.report(
          result,
          diagnostic(
            'conflict',
            'rejected',
            `seq ${event.seq} was already received with different content`,
            event,
          ),
        );
        return;
      case 'held':
        return;
      case 'next':
        this.process(event, false, result);
        this.sequencer.processed(event.seq, print);
        return;
      case 'late':
        this.process(event, true, result);
        this.sequencer.processed(event.seq, print);
        return;
    }
  }

  private release(now: number, result: AcceptResult): void {
    for (let next = this.sequencer.next(now); next !== null; next = this.sequencer.next(now)) {
      if (next.gap) {
        const { from, to, waitedMs } = next.gap;
        const missing = from === to ? `seq ${from} is` : `seqs ${from}–${to} are`;
        this.report(
          result,
          diagnostic(
            'gap',
            'reconciled',
            `${missing} missing after waiting ${waitedMs} ms; continued from seq ${next.seq}`,
            next.item,
          ),
        );
      }
      this.process(next.item, next.late, result);
      this.sequencer.processed(next.seq, next.fingerprint);
    }
  }

  /** Finds the order an in-sequence (or late) event belongs to, starting or closing orders as needed. */
  private process(event: PosEvent, late: boolean, result: AcceptResult): void {
    const open = this.open;
    if (open !== null && open.order.txn === event.txn) {
      this.settle(open, applyToOrder(open, event, this.context(open, late, result)), event, result);
      return;
    }

    if (event.type === 'assistance.requested') {
      // A shopper can ask for help before, between or just after transactions; the request counts
      // whatever txn it names, but proves no transaction is running.
      result.applied.push(event);
      return;
    }

    const implicit = this.closedTxns.get(event.txn);
    if (implicit !== undefined) {
      const state = implicit ? this.closed.find((s) => s.order.txn === event.txn) : undefined;
      if (
        state !== undefined &&
        (event.type === 'transaction.ended' || event.type === 'transaction.cancelled')
      ) {
        const outcome = applyLateEnd(state, event, this.context(state, late, result));
        if (outcome === 'closed') {
          this.closedTxns.set(event.txn, false);
          result.applied.push(event);
        }
        return;
      }
      this.report(
        result,
        diagnostic('stale-transaction', 'rejected', `transaction ${event.txn} has already ended`, event),
      );
      return;
    }

    const openNote = open !== null ? `; ${open.order.txn} is open` : '';
    if (late) {
      this.report(
        result,
        diagnostic(
          'late',
          'rejected',
          `late ${event.type} for ${event.txn}, which is not open${openNote}`,
          event,
        ),
      );
      return;
    }
    switch (event.type) {
      case 'item.quantityChanged':
      case 'item.voided':
      case 'transaction.ended':
      case 'transaction.cancelled':
        this.report(
          result,
          diagnostic(
            'no-transaction',
            'rejected',
            `${event.type} for ${event.txn}, which is not open${openNote}`,
            event,
          ),
        );
        return;
      default:
        break;
    }

    // Sequence numbers rise across transactions, so an in-sequence event for another
    // transaction means the open one ended without us hearing of it.
    const previous = open;
    const state = newOrderState(this.lane, event.txn, event.at);
    if (previous !== null) this.close(previous, true);
    this.open = state;
    this.last = state;
    if (previous !== null) {
      const note = diagnostic(
        'implicit-start',
        'reconciled',
        `${event.txn} began before ${previous.order.txn} ended; ${previous.order.txn} closed as ${previous.order.status}`,
        event,
      );
      addTimeline(previous, { kind: 'diagnostic', at: this.isoNow(), diagnostic: cloneDiagnostic(note) });
      this.report(result, note, state);
    }
    if (event.type !== 'transaction.started') {
      this.report(
        result,
        diagnostic(
          'implicit-start',
          'reconciled',
          `${event.txn} started by ${event.type} (no transaction.started seen)`,
          event,
        ),
        state,
      );
    }
    const ctx = this.context(state, false, result);
    this.settle(state, applyToOrder(state, event, ctx), event, result);
  }

  private settle(state: OrderState, outcome: ApplyOutcome, event: PosEvent, result: AcceptResult): void {
    if (outcome === 'rejected') return;
    result.applied.push(event);
    if (outcome === 'closed') this.close(state, false);
  }

  private close(state: OrderState, implicitly: boolean): void {
    state.closedImplicitly = implicitly;
    if (this.open === state) this.open = null;
    this.closed.push(state);
    if (this.closed.length > HISTORY_SIZE) this.closed.shift();
    this.closedTxns.delete(state.order.txn);
    this.closedTxns.set(state.order.txn, implicitly);
    if (this.closedTxns.size > CLOSED_TXN_MEMORY) {
      const oldest = this.closedTxns.keys().next();
      if (!oldest.done) this.closedTxns.delete(oldest.value);
    }
  }

  private context(state: OrderState, late: boolean, result: AcceptResult): ApplyContext {
    return {
      late,
      diagnose: (d) => this.report(result, d, state),
      prompt: (p) => result.prompts.push(p),
    };
  }

  /** Returns the diagnostic to the caller and files it on the order concerned (default: the current one; null: none). */
  private report(
    result: AcceptResult,
    d: Diagnostic,
    state: OrderState | null = this.open ?? this.last,
  ): void {
    result.diagnostics.push(d);
    if (state !== null)
      addTimeline(state, { kind: 'diagnostic', at: this.isoNow(), diagnostic: cloneDiagnostic(d) });
  }

  private orderFor(txn: unknown): OrderState | null {
    if (this.open !== null && this.open.order.txn === txn) return this.open;
    if (this.last !== null && this.last.order.txn === txn) return this.last;
    return this.closed.find((s) => s.order.txn === txn) ?? this.open ?? this.last;
  }

  private isoNow(): string {
    const date = new Date(this.clock);
    return Number.isNaN(date.getTime()) ? new Date(0).toISOString() : date.toISOString();
  }
}

/** Every protocol field, in a fixed order, so equal events give equal fingerprints whatever their key order. */
const FINGERPRINT_FIELDS = [
  'v',
  'type',
  'lane',
  'txn',
  'seq',
  'at',
  'orderNo',
  'memberRef',
  'line',
  'gtin',
  'name',
  'nameEn',
  'unitPrice',
  'qty',
  'weight',
  'lineTotal',
  'reason',
  'amount',
  'method',
  'paymentRef',
] as const;

/**
 * Identity of an event for duplicate detection: the protocol fields only. "x-" extensions are
 * left out so that a relay stamping its own metadata does not turn a replay into a conflict.
 */
function fingerprint(event: PosEvent): string {
  const fields = event as unknown as Record<string, unknown>;
  return JSON.stringify(FINGERPRINT_FIELDS.map((key) => fields[key] ?? null));
}
