import type { Order, TimelineEntry } from '../order/types.ts';

/**
 * "Order video information" (guide 3.x): the structured order bundled with its clip. This is what
 * the kiosk stores and syncs and what the store server keeps for at least 90 days. It never holds
 * a member or payment reference in clear: only the masked form shown on screen.
 */
export interface OrderVideoRecord {
  schema: 1;
  lane: string;
  txn: string;
  orderNo?: string;
  status: Order['status'];
  startedAt: string;
  endedAt?: string;
  lines: Order['lines'];
  total: number;
  itemCount: number;
  counts: Order['counts'];
  paymentFailures: number;
  memberRefMasked?: string;
  paymentRefMasked?: string;
  /** Every POS event, prompt, answer and diagnostic, in order. */
  timeline: TimelineEntry[];
  /** Suspicions raised by the in-lane inference (camera + POS fusion) and what became of them. */
  suspicions: RecordedSuspicion[];
  /** Kept past normal retention until a reviewer resolves it (e.g. a suspicion or a guide call). */
  flagged: boolean;
  clip?: ClipMeta;
  /** Kiosk clock when the record was sealed. */
  recordedAt: string;
}

/**
 * What became of a suspicion: 'open' = nudged, not fixed and not (yet) escalated when sealed;
 * 'ignored' = below the chain's confidence floor or raised while the lane was locked.
 */
export type SuspicionOutcome = 'open' | 'selfCorrected' | 'escalated' | 'retracted' | 'ignored';

/** One fusion suspicion as kept with the order; never a verdict, never personal data. */
export interface RecordedSuspicion {
  id: string;
  type: string;
  rule: string;
  confidence: number;
  /** Neutral wording from the rule (what was seen, what was expected). */
  explanation: string;
  /** The frames (epoch ms, POS clock) and POS events the suspicion rests on. */
  evidence: { startMs: number; endMs: number; trackIds: number[]; posSeqs: number[] };
  raisedAt: string;
  outcome: SuspicionOutcome;
  /** The shopper saw the replay on screen. */
  nudged: boolean;
  /** A guide was alerted (kept even if the shopper fixed it afterwards). */
  escalated: boolean;
  resolvedAt?: string;
  /** What the shopper tapped on the nudge, if anything. */
  shopperAnswer?: 'continue' | 'scanAgain';
  subject?: { gtin?: string; line?: number };
}

export interface ClipMeta {
  clipId: string;
  mime: string;
  /** Size of the encrypted file in bytes. */
  bytes: number;
  /** SHA-256 (hex) of the encrypted file, checked by the server on upload. */
  sha256: string;
  /** Epoch ms of the first and last frame. */
  startMs: number;
  endMs: number;
  faceBlur: boolean;
  /** The per-clip AES-GCM key, wrapped with the store server's RSA-OAEP public key (base64). */
  wrappedKey: string;
  /** Id of the server key that wrapped it, so the server can rotate keys. */
  keyId: string;
}

/** A record must be flagged (kept until resolved) when the lane needed a guide or the shopper reversed something. */
export function shouldFlag(order: Order): boolean {
  return order.timeline.some(
    (t) =>
      t.kind === 'answer' && (t.answer === 'callGuide' || t.answer === 'timedOut' || t.answer === 'undo'),
  );
}

/** Suspicions worth a reviewer's look: all but the ones later evidence withdrew or policy ignored. */
export function hasReviewableSuspicion(suspicions: readonly RecordedSuspicion[]): boolean {
  return suspicions.some((s) => s.outcome !== 'retracted' && s.outcome !== 'ignored');
}

export function toOrderVideoRecord(
  order: Order,
  recordedAt: string,
  clip?: ClipMeta,
  suspicions: readonly RecordedSuspicion[] = [],
): OrderVideoRecord {
  const record: OrderVideoRecord = {
    schema: 1,
    lane: order.lane,
    txn: order.txn,
    status: order.status,
    startedAt: order.startedAt,
    lines: order.lines.map((l) => ({ ...l })),
    total: order.total,
    itemCount: order.itemCount,
    counts: { ...order.counts },
    paymentFailures: order.paymentFailures,
    timeline: order.timeline.map((t) => ({ ...t })),
    suspicions: suspicions.map((x) => ({ ...x, evidence: { ...x.evidence } })),
    flagged: shouldFlag(order) || hasReviewableSuspicion(suspicions),
    recordedAt,
  };
  if (order.orderNo !== undefined) record.orderNo = order.orderNo;
  if (order.endedAt !== undefined) record.endedAt = order.endedAt;
  if (order.memberRefMasked !== undefined) record.memberRefMasked = order.memberRefMasked;
  if (order.paymentRefMasked !== undefined) record.paymentRefMasked = order.paymentRefMasked;
  if (clip) record.clip = clip;
  return record;
}
