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
import { diagnostic } from './applyToOrder.ts';
import { fingerprint } from './fingerprint.ts';
import { OrderBook } from './orderBook.ts';
import { addTimeline, cloneOrder } from './orderState.ts';
import { Sequencer } from './sequencer.ts';
import type { AcceptResult, Order, PromptRequest } from './types.ts';

export const DEFAULT_GAP_HOLD_MS = 1500;

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
  private readonly book: OrderBook;
  private clock = 0;

  constructor(opts: { lane: string; gapHoldMs?: number }) {
    this.lane = opts.lane;
    this.book = new OrderBook(opts.lane, () => this.isoNow());
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
    const state = this.book.currentOrder;
    return state ? cloneOrder(state.order) : null;
  }

  get isTransactionOpen(): boolean {
    return this.book.openOrder !== null;
  }

  /** Highest seq dealt with (applied, or refused because of order state), -1 before any. */
  get lastSeq(): number {
    return this.sequencer.lastSeq;
  }

  /** The last 20 closed orders, oldest first, as copies. */
  get history(): Order[] {
    return this.book.closedOrders.map((state) => cloneOrder(state.order));
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
      const state = this.book.find(req.txn);
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
      const state = this.book.currentOrder;
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
      this.book.report(result, diagnostic(checked.code, 'rejected', checked.errors.join('; ')));
      return;
    }
    const event = checked.event;
    if (event.lane !== this.lane) {
      this.book.report(
        result,
        diagnostic('wrong-lane', 'rejected', `event for lane ${event.lane} reached lane ${this.lane}`, event),
      );
      return;
    }
    const print = fingerprint(event);
    switch (this.sequencer.admit(event.seq, print, event, now)) {
      case 'duplicate':
        // Not filed on the order: with two transports live, every event arrives twice.
        this.book.report(
          result,
          diagnostic('duplicate', 'ignored', `seq ${event.seq} was already received`, event),
          null,
        );
        return;
      case 'conflict':
        this.book.report(
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
        this.book.route(event, false, result);
        this.sequencer.processed(event.seq, print);
        return;
      case 'late':
        this.book.route(event, true, result);
        this.sequencer.processed(event.seq, print);
        return;
    }
  }

  private release(now: number, result: AcceptResult): void {
    for (let next = this.sequencer.next(now); next !== null; next = this.sequencer.next(now)) {
      if (next.gap) {
        const { from, to, waitedMs } = next.gap;
        const missing = from === to ? `seq ${from} is` : `seqs ${from}–${to} are`;
        this.book.report(
          result,
          diagnostic(
            'gap',
            'reconciled',
            `${missing} missing after waiting ${waitedMs} ms; continued from seq ${next.seq}`,
            next.item,
          ),
        );
      }
      this.book.route(next.item, next.late, result);
      this.sequencer.processed(next.seq, next.fingerprint);
    }
  }

  private isoNow(): string {
    const date = new Date(this.clock);
    return Number.isNaN(date.getTime()) ? new Date(0).toISOString() : date.toISOString();
  }
}
