/**
 * POS event protocol, version 1. The wire format is documented in docs/pos-protocol.md and
 * validated at run time against docs/pos-event.schema.json (see validate.ts).
 *
 * Money is always an integer in minor units (fen/cents) so totals never drift.
 * Member and payment identifiers only ever arrive as opaque references; the kiosk masks them
 * before display (see mask.ts) and never shows them in full.
 */
export const PROTOCOL_VERSION = 1 as const;

export interface PosEventBase {
  /** Protocol version. */
  v: typeof PROTOCOL_VERSION;
  /** Lane id, e.g. "L01". */
  lane: string;
  /** Transaction id, unique per lane and day at least. */
  txn: string;
  /** Per-lane sequence number assigned by the POS, strictly increasing across transactions. */
  seq: number;
  /** ISO-8601 timestamp from the POS clock. */
  at: string;
}

export interface TransactionStarted extends PosEventBase {
  type: 'transaction.started';
  orderNo?: string;
  memberRef?: string;
}

export interface ItemAdded extends PosEventBase {
  type: 'item.added';
  /** Line number within the transaction, unique, assigned by the POS. */
  line: number;
  gtin: string;
  name: string;
  nameEn?: string;
  /** Unit price in minor units; for weighed items, price per kilogram. */
  unitPrice: number;
  /** Quantity; for weighed items, 1. */
  qty: number;
  /** Weight in grams for weighed items. */
  weight?: number;
  /** Line total in minor units if the POS computed it (e.g. variable-price labels). */
  lineTotal?: number;
}

export interface ItemQuantityChanged extends PosEventBase {
  type: 'item.quantityChanged';
  line: number;
  qty: number;
}

export interface ItemVoided extends PosEventBase {
  type: 'item.voided';
  line: number;
  reason?: string;
}

export interface TransactionCancelled extends PosEventBase {
  type: 'transaction.cancelled';
  reason?: string;
}

export interface PaymentStarted extends PosEventBase {
  type: 'payment.started';
  amount: number;
  method?: string;
}

export interface PaymentFailed extends PosEventBase {
  type: 'payment.failed';
  reason?: string;
  paymentRef?: string;
}

export interface PaymentSucceeded extends PosEventBase {
  type: 'payment.succeeded';
  amount: number;
  paymentRef?: string;
  method?: string;
}

export interface TransactionEnded extends PosEventBase {
  type: 'transaction.ended';
}

export interface AssistanceRequested extends PosEventBase {
  type: 'assistance.requested';
  reason?: string;
}

export type PosEvent =
  | TransactionStarted
  | ItemAdded
  | ItemQuantityChanged
  | ItemVoided
  | TransactionCancelled
  | PaymentStarted
  | PaymentFailed
  | PaymentSucceeded
  | TransactionEnded
  | AssistanceRequested;

export type PosEventType = PosEvent['type'];

export const POS_EVENT_TYPES: readonly PosEventType[] = [
  'transaction.started',
  'item.added',
  'item.quantityChanged',
  'item.voided',
  'transaction.cancelled',
  'payment.started',
  'payment.failed',
  'payment.succeeded',
  'transaction.ended',
  'assistance.requested',
];

/** The four situations of guide clause 4.1.4 that need a voice prompt and a blocking confirm. */
export type PromptKind = 'itemVoided' | 'quantityReduced' | 'transactionCancelled' | 'paymentFailed';

/** How a shopper (or the time-out) answered a blocking prompt. */
export type PromptAnswer = 'confirmed' | 'undo' | 'callGuide' | 'timedOut';
