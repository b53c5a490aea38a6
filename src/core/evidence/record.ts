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
  /** Suspicions raised by the in-lane inference (filled once that runs). */
  suspicions: unknown[];
  /** Kept past normal retention until a reviewer resolves it (e.g. a suspicion or a guide call). */
  flagged: boolean;
  clip?: ClipMeta;
  /** Kiosk clock when the record was sealed. */
  recordedAt: string;
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

export function toOrderVideoRecord(order: Order, recordedAt: string, clip?: ClipMeta): OrderVideoRecord {
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
    suspicions: [],
    flagged: shouldFlag(order),
    recordedAt,
  };
  if (order.orderNo !== undefined) record.orderNo = order.orderNo;
  if (order.endedAt !== undefined) record.endedAt = order.endedAt;
  if (order.memberRefMasked !== undefined) record.memberRefMasked = order.memberRefMasked;
  if (order.paymentRefMasked !== undefined) record.paymentRefMasked = order.paymentRefMasked;
  if (clip) record.clip = clip;
  return record;
}
