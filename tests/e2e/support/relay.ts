import type { APIRequestContext } from '@playwright/test';
import { POS_TOKEN } from './env.ts';

let seqByLane = new Map<string, number>();

export function resetSeq(): void {
  seqByLane = new Map();
}

/** Builds protocol v1 events for a lane with increasing seq, as a POS would. */
export function posEvents(lane: string, txn: string) {
  const next = () => {
    const s = (seqByLane.get(lane) ?? 0) + 1;
    seqByLane.set(lane, s);
    return s;
  };
  const base = () => ({ v: 1, lane, txn, seq: next(), at: new Date().toISOString() });
  return {
    started: () => ({ ...base(), type: 'transaction.started', orderNo: txn }),
    added: (line: number, gtin: string, name: string, unitPrice: number, qty = 1) => ({
      ...base(),
      type: 'item.added',
      line,
      gtin,
      name,
      nameEn: name,
      unitPrice,
      qty,
    }),
    voided: (line: number) => ({ ...base(), type: 'item.voided', line }),
    qty: (line: number, qty: number) => ({ ...base(), type: 'item.quantityChanged', line, qty }),
    cancelled: () => ({ ...base(), type: 'transaction.cancelled' }),
    paymentStarted: (amount: number) => ({ ...base(), type: 'payment.started', amount }),
    paymentFailed: () => ({ ...base(), type: 'payment.failed', reason: 'declined' }),
    paid: (amount: number) => ({ ...base(), type: 'payment.succeeded', amount }),
    ended: () => ({ ...base(), type: 'transaction.ended' }),
  };
}

export async function postPos(request: APIRequestContext, lane: string, body: unknown, token = POS_TOKEN) {
  return request.post(`/api/lanes/${lane}/pos-events`, {
    data: body,
    headers: { authorization: `Bearer ${token}` },
  });
}
