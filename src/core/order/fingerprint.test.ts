import { describe, expect, it } from 'vitest';
import { pos } from '../pos/eventFactory.testkit.ts';
import { PROTOCOL_FIELDS, fingerprint } from './fingerprint.ts';

describe('fingerprint', () => {
  it('covers every field of every event type', () => {
    for (const field of [
      'v',
      'type',
      'lane',
      'txn',
      'seq',
      'at',
      'memberRef',
      'lineTotal',
      'weight',
      'paymentRef',
    ]) {
      expect(PROTOCOL_FIELDS).toContain(field);
    }
    expect(PROTOCOL_FIELDS.some((f) => f.startsWith('x-'))).toBe(false);
  });

  it('ignores key order and x- extensions', () => {
    const event = pos.added({ seq: 3, line: 1, weight: 250 });
    const reordered = Object.fromEntries(Object.entries(event).reverse()) as typeof event;
    expect(fingerprint(reordered)).toBe(fingerprint(event));
    expect(fingerprint({ ...event, 'x-relay': 'http' } as typeof event)).toBe(fingerprint(event));
  });

  it('tells apart events that differ in any protocol field, optional ones included', () => {
    const event = pos.added({ seq: 3, line: 1 });
    expect(fingerprint({ ...event, qty: 2 })).not.toBe(fingerprint(event));
    expect(fingerprint({ ...event, nameEn: 'Cola' })).not.toBe(fingerprint(event));
    expect(fingerprint({ ...event, at: '2025-03-01T09:30:00+08:00' })).not.toBe(fingerprint(event));
  });
});
