/**
 * The orders of one lane: the open one, the one that closed last, and recent history. Decides
 * which order an event belongs to once the Sequencer has put it in sequence, starting and closing
 * orders as the stream implies.
 */
import type { PosEvent } from '../pos/events.ts';
import {
  applyLateEnd,
  applyToOrder,
  diagnostic,
  type ApplyContext,
  type ApplyOutcome,
} from './applyToOrder.ts';
import { addTimeline, cloneDiagnostic, newOrderState, type OrderState } from './orderState.ts';
import type { AcceptResult, Diagnostic } from './types.ts';

const HISTORY_SIZE = 20;
/** Closed transaction ids remembered to refuse stale events for them. */
const CLOSED_TXN_MEMORY = 1000;

export class OrderBook {
  private open: OrderState | null = null;
  private last: OrderState | null = null;
  private readonly closed: OrderState[] = [];
  /** txn → closed implicitly (another transaction began before its end event arrived). */
  private readonly closedTxns = new Map<string, boolean>();

  /** `stamp` gives the kiosk-clock time for diagnostics filed on an order. */
  constructor(
    private readonly lane: string,
    private readonly stamp: () => string,
  ) {}

  get openOrder(): OrderState | null {
    return this.open;
  }

  /** The open order, or else the one that closed last. */
  get currentOrder(): OrderState | null {
    return this.open ?? this.last;
  }

  /** The last 20 closed orders, oldest first. */
  get closedOrders(): readonly OrderState[] {
    return this.closed;
  }

  /** The order with this txn among the current and recent ones, else the current one. */
  find(txn: unknown): OrderState | null {
    if (this.open !== null && this.open.order.txn === txn) return this.open;
    if (this.last !== null && this.last.order.txn === txn) return this.last;
    return this.closed.find((s) => s.order.txn === txn) ?? this.currentOrder;
  }

  /** Finds the order an in-sequence (or late) event belongs to, starting or closing orders as needed. */
  route(event: PosEvent, late: boolean, result: AcceptResult): void {
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
      addTimeline(previous, { kind: 'diagnostic', at: this.stamp(), diagnostic: cloneDiagnostic(note) });
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

  /** Returns the diagnostic to the caller and files it on `state` (default the current order; null: nowhere). */
  report(result: AcceptResult, d: Diagnostic, state: OrderState | null = this.open ?? this.last): void {
    result.diagnostics.push(d);
    if (state !== null)
      addTimeline(state, { kind: 'diagnostic', at: this.stamp(), diagnostic: cloneDiagnostic(d) });
  }
}
