import type { PosEvent, PromptAnswer, PromptKind } from '../pos/events.ts';

export interface OrderLine {
  line: number;
  gtin: string;
  name: string;
  nameEn?: string;
  unitPrice: number;
  qty: number;
  weight?: number;
  /** Line total in minor units. */
  total: number;
  /** When the line was first rung up (POS clock, ISO-8601). */
  scannedAt: string;
  voided: boolean;
}

export type OrderStatus = 'open' | 'paying' | 'paid' | 'cancelled' | 'ended';

export type TimelineEntry =
  | { kind: 'event'; at: string; seq: number; type: PosEvent['type']; summary: string }
  | { kind: 'prompt'; at: string; prompt: PromptKind; line?: number }
  | { kind: 'answer'; at: string; prompt: PromptKind; answer: PromptAnswer; tookMs: number }
  | { kind: 'diagnostic'; at: string; diagnostic: Diagnostic };

export interface Order {
  lane: string;
  txn: string;
  orderNo?: string;
  /** Masked member reference, never the clear value. */
  memberRefMasked?: string;
  /** Masked payment reference, never the clear value. */
  paymentRefMasked?: string;
  status: OrderStatus;
  startedAt: string;
  endedAt?: string;
  lines: OrderLine[];
  /** Sum of the non-voided line totals, minor units. */
  total: number;
  /** Number of items (sum of qty over non-voided lines; weighed lines count 1). */
  itemCount: number;
  counts: { added: number; voided: number; quantityChanged: number; quantityReduced: number };
  paymentFailures: number;
  timeline: TimelineEntry[];
}

export type DiagnosticCode =
  | 'invalid'
  | 'unsupported-version'
  | 'unknown-type'
  | 'wrong-lane'
  | 'duplicate'
  | 'conflict'
  | 'gap'
  | 'late'
  | 'implicit-start'
  | 'unknown-line'
  | 'no-transaction'
  | 'stale-transaction';

export interface Diagnostic {
  code: DiagnosticCode;
  /** 'rejected': the event was not applied. 'reconciled': applied, with an adjustment worth noting. */
  outcome: 'rejected' | 'reconciled' | 'ignored';
  message: string;
  seq?: number;
  txn?: string;
}

/** A request for the UI to play a voice prompt and show a blocking confirm (guide 4.1.4). */
export interface PromptRequest {
  kind: PromptKind;
  txn: string;
  seq: number;
  /** The line concerned, for item prompts. */
  line?: number;
  /** Display name of the item concerned, for item prompts. */
  itemName?: string;
  itemNameEn?: string;
  /** For quantity reductions. */
  fromQty?: number;
  toQty?: number;
}

export interface AcceptResult {
  /** Events applied by this call, in order (may include earlier held events released by it). */
  applied: PosEvent[];
  diagnostics: Diagnostic[];
  prompts: PromptRequest[];
}
