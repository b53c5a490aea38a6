/**
 * The order model's private view of one order: the public Order plus what it needs to judge
 * late and repeated events. Only copies of the Order ever leave the model.
 */
import type { Diagnostic, Order, OrderLine, TimelineEntry } from './types.ts';

/** Keeps a flood of bad input from growing one order's timeline without bound. */
const MAX_TIMELINE_ENTRIES = 5000;
const MAX_DIAGNOSTIC_ENTRIES = 200;

export interface LineState {
  /** The same object as in order.lines, updated in place. */
  line: OrderLine;
  /** Line total as sent by the POS, which then wins over the kiosk's own arithmetic. */
  posLineTotal?: number;
  /** Quantity when the line was added, the base for scaling posLineTotal. */
  addedQty: number;
  /** Seq of the event that last set the quantity; older quantity changes are superseded. */
  qtySeq: number;
}

export interface OrderState {
  order: Order;
  lines: Map<number, LineState>;
  /** Seq of the event that last set the status; older payment events are superseded. */
  statusSeq: number;
  /** Highest seq applied to this order. */
  maxSeq: number;
  /** Closed because another transaction began, not by transaction.ended or .cancelled. */
  closedImplicitly: boolean;
  diagnosticEntries: number;
}

export function newOrderState(lane: string, txn: string, startedAt: string): OrderState {
  return {
    order: {
      lane,
      txn,
      status: 'open',
      startedAt,
      lines: [],
      total: 0,
      itemCount: 0,
      counts: { added: 0, voided: 0, quantityChanged: 0, quantityReduced: 0 },
      paymentFailures: 0,
      timeline: [],
    },
    lines: new Map(),
    statusSeq: -1,
    maxSeq: -1,
    closedImplicitly: false,
    diagnosticEntries: 0,
  };
}

export function addTimeline(state: OrderState, entry: TimelineEntry): void {
  if (state.order.timeline.length >= MAX_TIMELINE_ENTRIES) return;
  if (entry.kind === 'diagnostic') {
    if (state.diagnosticEntries >= MAX_DIAGNOSTIC_ENTRIES) return;
    state.diagnosticEntries += 1;
  }
  state.order.timeline.push(entry);
}

/** A deep copy made of plain objects and arrays only, so it survives structured cloning. */
export function cloneOrder(order: Order): Order {
  return {
    ...order,
    lines: order.lines.map((line) => ({ ...line })),
    counts: { ...order.counts },
    timeline: order.timeline.map(cloneEntry),
  };
}

function cloneEntry(entry: TimelineEntry): TimelineEntry {
  return entry.kind === 'diagnostic'
    ? { ...entry, diagnostic: cloneDiagnostic(entry.diagnostic) }
    : { ...entry };
}

export function cloneDiagnostic(diagnostic: Diagnostic): Diagnostic {
  return { ...diagnostic };
}
