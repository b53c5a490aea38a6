import { describe, expect, it } from 'vitest';
import { PosLedger } from './posLedger.ts';
import type { PosEvent } from '../pos/events.ts';

type Body = PosEvent extends infer E
  ? E extends PosEvent
    ? Omit<E, 'v' | 'lane' | 'seq' | 'at' | 'txn'>
    : never
  : never;
let seq = 0;
const ev = (body: Body, txn = 'T1'): PosEvent =>
  ({ ...body, v: 1, lane: 'L', txn, seq: ++seq, at: '' }) as PosEvent;

describe('PosLedger', () => {
  it('turns item.added and quantity bumps into scans, reductions into reduce changes', () => {
    const l = new PosLedger();
    l.apply(ev({ type: 'transaction.started' }), 0);
    const added = l.apply(
      ev({ type: 'item.added', line: 1, gtin: 'g', name: 'n', unitPrice: 1, qty: 1 }),
      100,
    );
    const bump = l.apply(ev({ type: 'item.quantityChanged', line: 1, qty: 3 }), 200);
    const down = l.apply(ev({ type: 'item.quantityChanged', line: 1, qty: 1 }), 300);
    expect(added.map((c) => c.kind)).toEqual(['activity', 'scan']);
    expect(bump.find((c) => c.kind === 'scan')).toMatchObject({ scan: { units: 2, gtin: 'g' } });
    expect(down.find((c) => c.kind === 'reduce')).toMatchObject({ units: 2, line: 1 });
    expect(l.rungUnits('T1', 'g')).toBe(1);
  });

  it('counts a weighed line as one unit whatever its quantity', () => {
    const l = new PosLedger();
    l.apply(
      ev({ type: 'item.added', line: 1, gtin: 'p', name: 'apples', unitPrice: 1, qty: 1, weight: 800 }),
      0,
    );
    expect(l.totalUnits('T1')).toBe(1);
    expect(l.scans[0]?.weighed).toBe(true);
  });

  it('attributes times to the transaction open then, with a lead for the first item', () => {
    const l = new PosLedger();
    l.apply(ev({ type: 'transaction.started' }, 'A'), 1000);
    l.apply(ev({ type: 'payment.succeeded', amount: 1 }, 'A'), 5000);
    l.apply(ev({ type: 'transaction.started' }, 'B'), 20_000);
    expect(l.txnAt(3000, 2000, 10_000)?.txn).toBe('A');
    expect(l.txnAt(19_000, 2000, 10_000)?.txn).toBe('B');
    expect(l.txnAt(17_000, 2000, 10_000)).toBeUndefined();
  });

  it('prunes closed transactions and their scans but keeps the newest', () => {
    const l = new PosLedger();
    l.apply(ev({ type: 'item.added', line: 1, gtin: 'g', name: 'n', unitPrice: 1, qty: 1 }, 'A'), 0);
    l.apply(ev({ type: 'transaction.ended' }, 'A'), 100);
    l.apply(ev({ type: 'item.added', line: 1, gtin: 'g', name: 'n', unitPrice: 1, qty: 1 }, 'B'), 200);
    l.prune(150);
    expect(l.get('A')).toBeUndefined();
    expect(l.scans.map((s) => s.txn)).toEqual(['B']);
  });
});
