/**
 * Applies one validated event to the order it belongs to. Which order that is, and whether the
 * event is in sequence, is decided by OrderModel; this file holds what each event does to lines,
 * totals, status and prompts.
 */
import { maskRef } from '../pos/mask.ts';
import type {
  ItemAdded,
  ItemQuantityChanged,
  ItemVoided,
  PaymentFailed,
  PaymentStarted,
  PaymentSucceeded,
  PosEvent,
  TransactionStarted,
} from '../pos/events.ts';
import { addTimeline, type LineState, type OrderState } from './orderState.ts';
import { summarize } from './summary.ts';
import { computeLineTotal, orderTotals, scaleLineTotal } from './totals.ts';
import type { Diagnostic, DiagnosticCode, OrderLine, OrderStatus, PromptRequest } from './types.ts';

export interface ApplyContext {
  /** The event's seq is already behind the stream. */
  late: boolean;
  diagnose(diagnostic: Diagnostic): void;
  prompt(request: PromptRequest): void;
}

/** 'closed': applied, and the order is now ended or cancelled. */
export type ApplyOutcome = 'applied' | 'rejected' | 'closed';

export function diagnostic(
  code: DiagnosticCode,
  outcome: Diagnostic['outcome'],
  message: string,
  event?: PosEvent,
): Diagnostic {
  return event ? { code, outcome, message, seq: event.seq, txn: event.txn } : { code, outcome, message };
}

export function applyToOrder(state: OrderState, event: PosEvent, ctx: ApplyContext): ApplyOutcome {
  switch (event.type) {
    case 'transaction.started':
      return started(state, event, ctx);
    case 'item.added':
      return added(state, event, ctx);
    case 'item.quantityChanged':
      return quantityChanged(state, event, ctx);
    case 'item.voided':
      return voided(state, event, ctx);
    case 'payment.started':
    case 'payment.failed':
    case 'payment.succeeded':
      return payment(state, event, ctx);
    case 'transaction.ended':
    case 'transaction.cancelled':
      return closing(state, event, ctx);
    case 'assistance.requested':
      return record(state, event, ctx);
  }
}

/**
 * Ends an order that was closed implicitly (another transaction began first) once its real end
 * event turns up. No prompt: the shopper concerned has most likely left the lane.
 */
export function applyLateEnd(state: OrderState, event: PosEvent, ctx: ApplyContext): ApplyOutcome {
  if (event.type !== 'transaction.ended' && event.type !== 'transaction.cancelled') return 'rejected';
  state.closedImplicitly = false;
  setStatus(state, event, event.type === 'transaction.ended' ? 'ended' : 'cancelled');
  state.order.endedAt = event.at;
  ctx.diagnose(
    diagnostic('late', 'reconciled', `${event.type} arrived after the next transaction had begun`, event),
  );
  record(state, event, { ...ctx, late: false });
  return 'closed';
}

function record(
  state: OrderState,
  event: PosEvent,
  ctx: ApplyContext,
  line?: OrderLine,
  fromQty?: number,
): 'applied' {
  if (ctx.late) ctx.diagnose(diagnostic('late', 'reconciled', `applied ${event.type} out of order`, event));
  state.maxSeq = Math.max(state.maxSeq, event.seq);
  addTimeline(state, {
    kind: 'event',
    at: event.at,
    seq: event.seq,
    type: event.type,
    summary: summarize(event, line, fromQty),
  });
  return 'applied';
}

function started(state: OrderState, event: TransactionStarted, ctx: ApplyContext): ApplyOutcome {
  const order = state.order;
  // Nothing applied yet: this is the order's own start. Otherwise the transaction was already
  // open, started implicitly by an earlier event or started twice, and the details are merged.
  const fresh = state.maxSeq < 0;
  if (event.orderNo !== undefined) order.orderNo ??= event.orderNo;
  if (event.memberRef !== undefined) order.memberRefMasked ??= maskRef(event.memberRef);
  // A late start carries the true start time; an implicit start only had the first item's.
  if (fresh || ctx.late) order.startedAt = event.at;
  if (!fresh && !ctx.late) {
    ctx.diagnose(
      diagnostic('duplicate', 'reconciled', `transaction ${event.txn} was already open; kept it`, event),
    );
  }
  return record(state, event, ctx);
}

function added(state: OrderState, event: ItemAdded, ctx: ApplyContext): ApplyOutcome {
  if (state.lines.has(event.line)) {
    ctx.diagnose(
      diagnostic('conflict', 'rejected', `line ${event.line} already exists in ${event.txn}`, event),
    );
    return 'rejected';
  }
  const line: OrderLine = {
    line: event.line,
    gtin: event.gtin,
    name: event.name,
    unitPrice: event.unitPrice,
    qty: event.qty,
    total: event.lineTotal ?? computeLineTotal(event),
    scannedAt: event.at,
    voided: false,
  };
  if (event.nameEn !== undefined) line.nameEn = event.nameEn;
  if (event.weight !== undefined) line.weight = event.weight;
  const lineState: LineState = { line, addedQty: event.qty, qtySeq: event.seq };
  if (event.lineTotal !== undefined) lineState.posLineTotal = event.lineTotal;

  state.lines.set(event.line, lineState);
  state.order.lines.push(line);
  state.order.counts.added += 1;
  refreshTotals(state);
  return record(state, event, ctx, line);
}

function liveLine(
  state: OrderState,
  event: ItemQuantityChanged | ItemVoided,
  ctx: ApplyContext,
): LineState | null {
  const lineState = state.lines.get(event.line);
  if (lineState === undefined) {
    ctx.diagnose(diagnostic('unknown-line', 'rejected', `no line ${event.line} in ${event.txn}`, event));
    return null;
  }
  return lineState;
}

function quantityChanged(state: OrderState, event: ItemQuantityChanged, ctx: ApplyContext): ApplyOutcome {
  const lineState = liveLine(state, event, ctx);
  if (lineState === null) return 'rejected';
  const line = lineState.line;
  if (line.voided) {
    ctx.diagnose(
      diagnostic('unknown-line', 'rejected', `line ${event.line} in ${event.txn} is voided`, event),
    );
    return 'rejected';
  }
  state.order.counts.quantityChanged += 1;
  if (event.seq < lineState.qtySeq) {
    // A newer quantity is already showing; keep the change for the record only.
    ctx.diagnose(
      diagnostic(
        'late',
        'reconciled',
        `quantity change superseded by seq ${lineState.qtySeq}; recorded only`,
        event,
      ),
    );
    return record(state, event, { ...ctx, late: false }, line, line.qty);
  }

  const fromQty = line.qty;
  line.qty = event.qty;
  lineState.qtySeq = event.seq;
  line.total =
    lineState.posLineTotal !== undefined
      ? scaleLineTotal(lineState.posLineTotal, lineState.addedQty, event.qty)
      : computeLineTotal(line);
  refreshTotals(state);
  if (event.qty < fromQty) {
    state.order.counts.quantityReduced += 1;
    ctx.prompt({ ...itemPrompt('quantityReduced', event, line), fromQty, toQty: event.qty });
  }
  return record(state, event, ctx, line, fromQty);
}

function voided(state: OrderState, event: ItemVoided, ctx: ApplyContext): ApplyOutcome {
  const lineState = liveLine(state, event, ctx);
  if (lineState === null) return 'rejected';
  const line = lineState.line;
  if (line.voided) {
    ctx.diagnose(
      diagnostic('duplicate', 'ignored', `line ${event.line} in ${event.txn} is already voided`, event),
    );
    return 'rejected';
  }
  line.voided = true;
  state.order.counts.voided += 1;
  refreshTotals(state);
  ctx.prompt(itemPrompt('itemVoided', event, line));
  return record(state, event, ctx, line);
}

const PAYMENT_STATUS: Readonly<
  Record<'payment.started' | 'payment.failed' | 'payment.succeeded', OrderStatus>
> = {
  'payment.started': 'paying',
  'payment.failed': 'open',
  'payment.succeeded': 'paid',
};

function payment(
  state: OrderState,
  event: PaymentStarted | PaymentFailed | PaymentSucceeded,
  ctx: ApplyContext,
): ApplyOutcome {
  if (event.type === 'payment.failed') state.order.paymentFailures += 1;
  if (event.seq < state.statusSeq) {
    // A later payment event already set the status; do not roll it back, and do not prompt about
    // a failure the shopper has since moved past.
    ctx.diagnose(
      diagnostic(
        'late',
        'reconciled',
        `${event.type} superseded by seq ${state.statusSeq}; recorded only`,
        event,
      ),
    );
    return record(state, event, { ...ctx, late: false });
  }
  if (event.type !== 'payment.started' && event.paymentRef !== undefined) {
    state.order.paymentRefMasked = maskRef(event.paymentRef);
  }
  setStatus(state, event, PAYMENT_STATUS[event.type]);
  if (event.type === 'payment.failed') ctx.prompt({ kind: 'paymentFailed', txn: event.txn, seq: event.seq });
  return record(state, event, ctx);
}

function closing(
  state: OrderState,
  event: PosEvent & { type: 'transaction.ended' | 'transaction.cancelled' },
  ctx: ApplyContext,
): ApplyOutcome {
  if (ctx.late && event.seq < state.maxSeq) {
    ctx.diagnose(
      diagnostic(
        'late',
        'rejected',
        `${event.type} is older than events already applied to ${event.txn}`,
        event,
      ),
    );
    return 'rejected';
  }
  setStatus(state, event, event.type === 'transaction.ended' ? 'ended' : 'cancelled');
  state.order.endedAt = event.at;
  if (event.type === 'transaction.cancelled') {
    ctx.prompt({ kind: 'transactionCancelled', txn: event.txn, seq: event.seq });
  }
  record(state, event, ctx);
  return 'closed';
}

function setStatus(state: OrderState, event: PosEvent, status: OrderStatus): void {
  state.order.status = status;
  state.statusSeq = Math.max(state.statusSeq, event.seq);
}

function refreshTotals(state: OrderState): void {
  const { total, itemCount } = orderTotals(state.order.lines);
  state.order.total = total;
  state.order.itemCount = itemCount;
}

function itemPrompt(kind: 'itemVoided' | 'quantityReduced', event: PosEvent, line: OrderLine): PromptRequest {
  const request: PromptRequest = {
    kind,
    txn: event.txn,
    seq: event.seq,
    line: line.line,
    itemName: line.name,
  };
  if (line.nameEn !== undefined) request.itemNameEn = line.nameEn;
  return request;
}
