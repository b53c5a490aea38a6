import type { OrderVideoRecord } from '../../../src/core/evidence/record.ts';

/** A small, valid order video record for store tests; override what a test is about. */
export function sampleRecord(overrides: Partial<OrderVideoRecord> = {}): OrderVideoRecord {
  return {
    schema: 1,
    lane: 'L01',
    txn: 'T-0001',
    orderNo: 'A100',
    status: 'paid',
    startedAt: '2026-11-01T10:00:00.000Z',
    endedAt: '2026-11-01T10:03:00.000Z',
    lines: [
      {
        line: 1,
        gtin: '6901234567892',
        name: '矿泉水 550ml',
        unitPrice: 200,
        qty: 2,
        total: 400,
        scannedAt: '2026-11-01T10:00:10.000Z',
        voided: false,
      },
    ],
    total: 400,
    itemCount: 2,
    counts: { added: 1, voided: 0, quantityChanged: 0, quantityReduced: 0 },
    paymentFailures: 0,
    memberRefMasked: '••••1234',
    paymentRefMasked: '••••',
    timeline: [
      {
        kind: 'event',
        at: '2026-11-01T10:00:00.000Z',
        seq: 1,
        type: 'transaction.started',
        summary: 'start',
      },
    ],
    suspicions: [],
    flagged: false,
    recordedAt: '2026-11-01T10:03:05.000Z',
    ...overrides,
  };
}

/** A fake clip hash for record `n` (64 hex chars). */
export function fakeSha(n: number): string {
  return n.toString(16).padStart(64, '0');
}
