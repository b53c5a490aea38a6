/**
 * Builders for valid POS events in tests. Each takes the fields that matter to the test and
 * fills in the rest with sensible values for lane L01.
 */
import type {
  AssistanceRequested,
  ItemAdded,
  ItemQuantityChanged,
  ItemVoided,
  PaymentFailed,
  PaymentStarted,
  PaymentSucceeded,
  PosEvent,
  TransactionCancelled,
  TransactionEnded,
  TransactionStarted,
} from './events.ts';

type Common = { txn?: string; seq: number; lane?: string; at?: string };
type Extra<T extends PosEvent> = Common & Partial<Omit<T, 'v' | 'type' | 'lane' | 'txn' | 'seq' | 'at'>>;

const T0 = Date.UTC(2025, 2, 1, 1, 30, 0);

/** A POS timestamp one second per seq after a fixed start, written with an explicit offset. */
export function atFor(seq: number): string {
  return new Date(T0 + seq * 1000).toISOString().replace('Z', '+00:00');
}

function base(c: Common): { v: 1; lane: string; txn: string; seq: number; at: string } {
  return { v: 1, lane: c.lane ?? 'L01', txn: c.txn ?? 'T1', seq: c.seq, at: c.at ?? atFor(c.seq) };
}

export const pos = {
  started: (c: Extra<TransactionStarted>): TransactionStarted => ({
    ...c,
    ...base(c),
    type: 'transaction.started',
  }),
  added: (c: Extra<ItemAdded> & { line: number }): ItemAdded => ({
    gtin: '6901234567892',
    name: `Item ${c.line}`,
    unitPrice: 350,
    qty: 1,
    ...c,
    ...base(c),
    type: 'item.added',
  }),
  qty: (c: Extra<ItemQuantityChanged> & { line: number; qty: number }): ItemQuantityChanged => ({
    ...c,
    ...base(c),
    type: 'item.quantityChanged',
  }),
  voided: (c: Extra<ItemVoided> & { line: number }): ItemVoided => ({
    ...c,
    ...base(c),
    type: 'item.voided',
  }),
  cancelled: (c: Extra<TransactionCancelled>): TransactionCancelled => ({
    ...c,
    ...base(c),
    type: 'transaction.cancelled',
  }),
  payStarted: (c: Extra<PaymentStarted> & { amount: number }): PaymentStarted => ({
    ...c,
    ...base(c),
    type: 'payment.started',
  }),
  payFailed: (c: Extra<PaymentFailed>): PaymentFailed => ({ ...c, ...base(c), type: 'payment.failed' }),
  paySucceeded: (c: Extra<PaymentSucceeded> & { amount: number }): PaymentSucceeded => ({
    ...c,
    ...base(c),
    type: 'payment.succeeded',
  }),
  ended: (c: Extra<TransactionEnded>): TransactionEnded => ({ ...c, ...base(c), type: 'transaction.ended' }),
  assistance: (c: Extra<AssistanceRequested>): AssistanceRequested => ({
    ...c,
    ...base(c),
    type: 'assistance.requested',
  }),
};
