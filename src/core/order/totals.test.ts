import { describe, expect, it } from 'vitest';
import { computeLineTotal, orderTotals, scaleLineTotal } from './totals.ts';
import type { OrderLine } from './types.ts';

describe('computeLineTotal', () => {
  it('multiplies unit price by quantity', () => {
    expect(computeLineTotal({ unitPrice: 350, qty: 3 })).toBe(1050);
  });

  it('prices weighed items per kilogram, rounding half up', () => {
    expect(computeLineTotal({ unitPrice: 2990, qty: 1, weight: 455 })).toBe(1360); // 1360.45
    expect(computeLineTotal({ unitPrice: 2999, qty: 1, weight: 500 })).toBe(1500); // 1499.5
    expect(computeLineTotal({ unitPrice: 500, qty: 1, weight: 1 })).toBe(1); // 0.5
    expect(computeLineTotal({ unitPrice: 499, qty: 1, weight: 1 })).toBe(0); // 0.499
  });

  it('rounds exact halves up where binary floating point would round them down', () => {
    expect(25 * 2.3).toBeLessThan(57.5);
    expect(computeLineTotal({ unitPrice: 25, qty: 2.3 })).toBe(58);
  });

  it('stays exact at the largest values the protocol allows', () => {
    expect(computeLineTotal({ unitPrice: 1e9, qty: 9999 })).toBe(9_999_000_000_000);
    expect(computeLineTotal({ unitPrice: 1e9, qty: 1, weight: 100_000 })).toBe(100_000_000_000);
  });
});

describe('scaleLineTotal', () => {
  it('keeps the POS price per unit when the quantity changes', () => {
    expect(scaleLineTotal(999, 1, 3)).toBe(2997);
    expect(scaleLineTotal(1000, 3, 1)).toBe(333);
    expect(scaleLineTotal(1001, 2, 1)).toBe(501); // 500.5
  });
});

describe('orderTotals', () => {
  const line = (total: number, qty: number, extra: Partial<OrderLine> = {}): OrderLine => ({
    line: 1,
    gtin: '96385074',
    name: 'x',
    unitPrice: total,
    qty,
    total,
    scannedAt: '2025-03-01T01:30:00Z',
    voided: false,
    ...extra,
  });

  it('sums non-voided lines and counts weighed lines once', () => {
    const lines = [
      line(100, 2),
      line(50, 1, { voided: true }),
      line(1360, 1, { weight: 455 }),
      line(30, 0.1),
      line(60, 0.2),
    ];
    expect(orderTotals(lines)).toEqual({ total: 1550, itemCount: 3.3 });
  });
});
