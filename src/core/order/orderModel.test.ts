import { describe, expect, it } from 'vitest';
import type { PosEvent } from '../pos/events.ts';
import { pos } from '../pos/eventFactory.testkit.ts';
import { OrderModel } from './orderModel.ts';
import type { AcceptResult, Diagnostic, Order } from './types.ts';

const MEMBER = 'M-000012345678';
const CARD = 'P-6222021234561234';

function model(): OrderModel {
  return new OrderModel({ lane: 'L01' });
}

/** Feeds events 10 ms apart and merges what came back. */
function feed(m: OrderModel, events: unknown[], start = 0): AcceptResult {
  const all: AcceptResult = { applied: [], diagnostics: [], prompts: [] };
  events.forEach((e, i) => {
    const r = m.accept(e, start + i * 10);
    all.applied.push(...r.applied);
    all.diagnostics.push(...r.diagnostics);
    all.prompts.push(...r.prompts);
  });
  return all;
}

function codes(r: AcceptResult): string[] {
  return r.diagnostics.map((d) => `${d.code}/${d.outcome}`);
}

function seqs(events: PosEvent[]): number[] {
  return events.map((e) => e.seq);
}

function current(m: OrderModel): Order {
  const order = m.current;
  if (order === null) throw new Error('no current order');
  return order;
}

function timelineDiagnostics(order: Order): Diagnostic[] {
  return order.timeline.flatMap((t) => (t.kind === 'diagnostic' ? [t.diagnostic] : []));
}

/** An open transaction T1 with line 1 (2 × 3.50) and line 2 (1 × 12.00), seqs 1–3. */
function withTwoLines(): OrderModel {
  const m = model();
  feed(m, [
    pos.started({ seq: 1, memberRef: MEMBER, orderNo: 'A-100' }),
    pos.added({ seq: 2, line: 1, name: '可口可乐', nameEn: 'Coca-Cola', qty: 2 }),
    pos.added({ seq: 3, line: 2, name: '面包', unitPrice: 1200 }),
  ]);
  return m;
}

describe('OrderModel: a whole transaction', () => {
  it('builds the order, prompts where the guide requires, and closes it', () => {
    const m = model();
    expect(m.current).toBeNull();
    expect(m.lastSeq).toBe(-1);

    let r = feed(m, [pos.started({ seq: 1, memberRef: MEMBER, orderNo: 'A-100' })]);
    expect(seqs(r.applied)).toEqual([1]);
    expect(r.diagnostics).toEqual([]);
    expect(m.isTransactionOpen).toBe(true);
    expect(current(m)).toMatchObject({ lane: 'L01', txn: 'T1', orderNo: 'A-100', status: 'open', total: 0 });
    expect(current(m).memberRefMasked).toBe('••••5678');

    r = feed(m, [
      pos.added({ seq: 2, line: 1, name: '可口可乐', nameEn: 'Coca-Cola', unitPrice: 350, qty: 1 }),
      pos.added({ seq: 3, line: 2, name: '苹果', unitPrice: 1990, qty: 1, weight: 455 }),
      pos.added({ seq: 4, line: 3, name: '蛋糕', unitPrice: 2000, qty: 1, lineTotal: 1500 }),
    ]);
    expect(r.prompts).toEqual([]);
    // 350 + round(19.90 × 0.455 kg = 905.45) + the POS's own 1500.
    expect(current(m)).toMatchObject({ total: 350 + 905 + 1500, itemCount: 3 });

    r = feed(m, [pos.qty({ seq: 5, line: 1, qty: 3 })]);
    expect(r.prompts).toEqual([]);
    expect(current(m).total).toBe(1050 + 905 + 1500);

    r = feed(m, [pos.qty({ seq: 6, line: 1, qty: 2 })]);
    expect(r.prompts).toEqual([
      {
        kind: 'quantityReduced',
        txn: 'T1',
        seq: 6,
        line: 1,
        itemName: '可口可乐',
        itemNameEn: 'Coca-Cola',
        fromQty: 3,
        toQty: 2,
      },
    ]);

    r = feed(m, [pos.voided({ seq: 7, line: 2, reason: 'not wanted' })]);
    expect(r.prompts).toEqual([{ kind: 'itemVoided', txn: 'T1', seq: 7, line: 2, itemName: '苹果' }]);
    let order = current(m);
    expect(order.lines.map((l) => [l.line, l.voided])).toEqual([
      [1, false],
      [2, true],
      [3, false],
    ]);
    expect(order).toMatchObject({ total: 700 + 1500, itemCount: 3 });

    feed(m, [pos.payStarted({ seq: 8, amount: 2200, method: 'card' })]);
    expect(current(m).status).toBe('paying');
    r = feed(m, [pos.payFailed({ seq: 9, reason: 'declined', paymentRef: CARD })]);
    expect(r.prompts).toEqual([{ kind: 'paymentFailed', txn: 'T1', seq: 9 }]);
    expect(current(m)).toMatchObject({ status: 'open', paymentFailures: 1 });
    feed(m, [
      pos.payStarted({ seq: 10, amount: 2200 }),
      pos.paySucceeded({ seq: 11, amount: 2200, paymentRef: CARD }),
    ]);
    expect(current(m)).toMatchObject({ status: 'paid', paymentRefMasked: '••••1234' });

    r = feed(m, [pos.ended({ seq: 12 })]);
    expect(seqs(r.applied)).toEqual([12]);
    expect(m.isTransactionOpen).toBe(false);
    order = current(m);
    expect(order).toMatchObject({
      status: 'ended',
      endedAt: pos.ended({ seq: 12 }).at,
      counts: { added: 3, voided: 1, quantityChanged: 2, quantityReduced: 1 },
      paymentFailures: 1,
    });
    expect(m.history.map((o) => o.txn)).toEqual(['T1']);
    expect(m.lastSeq).toBe(12);

    const events = order.timeline.filter((t) => t.kind === 'event');
    expect(events.map((t) => t.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(events.map((t) => t.summary)).toEqual([
      'transaction started, order A-100, member ••••5678',
      'added line 1 可口可乐 × 1 = 3.50',
      'added line 2 苹果 455 g = 9.05',
      'added line 3 蛋糕 × 1 = 15.00',
      'quantity of line 1 可口可乐 1 → 3',
      'quantity of line 1 可口可乐 3 → 2',
      'voided line 2 苹果: not wanted',
      'payment of 22.00 started (card)',
      'payment failed: declined (ref ••••1234)',
      'payment of 22.00 started',
      'paid 22.00 (ref ••••1234)',
      'transaction ended',
    ]);
    expect(JSON.stringify(m.snapshot())).not.toContain(MEMBER);
    expect(JSON.stringify(m.snapshot())).not.toContain(CARD);
  });

  it('prompts on cancellation and keeps the cancelled order as current until the next starts', () => {
    const m = withTwoLines();
    const r = feed(m, [pos.cancelled({ seq: 4, reason: 'shopper left' })]);
    expect(r.prompts).toEqual([{ kind: 'transactionCancelled', txn: 'T1', seq: 4 }]);
    expect(current(m)).toMatchObject({ txn: 'T1', status: 'cancelled' });
    expect(m.isTransactionOpen).toBe(false);
    feed(m, [pos.started({ seq: 5, txn: 'T2' })]);
    expect(current(m)).toMatchObject({ txn: 'T2', status: 'open', total: 0 });
    expect(m.history.map((o) => [o.txn, o.status])).toEqual([['T1', 'cancelled']]);
  });

  it('scales a POS line total when the quantity changes', () => {
    const m = model();
    feed(m, [
      pos.added({ seq: 1, line: 1, unitPrice: 500, qty: 2, lineTotal: 900 }),
      pos.qty({ seq: 2, line: 1, qty: 3 }),
    ]);
    expect(current(m).total).toBe(1350);
  });

  it('keeps only the last 20 closed orders, oldest first', () => {
    const m = model();
    const events: PosEvent[] = [];
    for (let t = 1; t <= 25; t++) {
      events.push(pos.started({ seq: t * 2, txn: `T${t}` }), pos.ended({ seq: t * 2 + 1, txn: `T${t}` }));
    }
    m.resumeFrom(1);
    feed(m, events);
    const history = m.history;
    expect(history).toHaveLength(20);
    expect(history[0]?.txn).toBe('T6');
    expect(history[19]?.txn).toBe('T25');
  });
});

describe('OrderModel: which events count', () => {
  it('rejects events for another lane without using up their seq', () => {
    const m = withTwoLines();
    const r = feed(m, [pos.added({ seq: 4, line: 3, lane: 'L02' })]);
    expect(r.applied).toEqual([]);
    expect(codes(r)).toEqual(['wrong-lane/rejected']);
    expect(m.lastSeq).toBe(3);
    expect(current(m).lines).toHaveLength(2);
  });

  it('passes validation failures through with their codes', () => {
    const m = withTwoLines();
    const r = feed(m, [
      { ...pos.added({ seq: 4, line: 3 }), unitPrice: 1.5 },
      { ...pos.added({ seq: 4, line: 3 }), v: 2 },
      { ...pos.added({ seq: 4, line: 3 }), type: 'item.renamed' },
    ]);
    expect(codes(r)).toEqual(['invalid/rejected', 'unsupported-version/rejected', 'unknown-type/rejected']);
    expect(r.diagnostics[0]?.message).toBe('item.added: unitPrice must be an integer');
    expect(m.lastSeq).toBe(3);
    // Filed on the order so the evidence shows why an item never appeared.
    expect(timelineDiagnostics(current(m)).map((d) => d.code)).toEqual([
      'invalid',
      'unsupported-version',
      'unknown-type',
    ]);
  });

  it('ignores an exact duplicate and rejects a different event reusing a seq', () => {
    const m = withTwoLines();
    const again = pos.added({ seq: 3, line: 2, name: '面包', unitPrice: 1200 });
    let r = feed(m, [again, { ...again, 'x-relay': 'http' }]);
    expect(codes(r)).toEqual(['duplicate/ignored', 'duplicate/ignored']);
    expect(r.applied).toEqual([]);
    r = feed(m, [{ ...again, unitPrice: 1 }]);
    expect(codes(r)).toEqual(['conflict/rejected']);
    expect(current(m)).toMatchObject({ total: 1900, counts: { added: 2 } });
  });

  it('treats a duplicate of a held event as a duplicate too', () => {
    const m = withTwoLines();
    const early = pos.added({ seq: 5, line: 4 });
    feed(m, [early]);
    expect(codes(feed(m, [early]))).toEqual(['duplicate/ignored']);
    expect(codes(feed(m, [{ ...early, qty: 2 }]))).toEqual(['conflict/rejected']);
  });
});

describe('OrderModel: gaps and late events', () => {
  it('holds an early event until the missing one arrives, then applies both in order', () => {
    const m = withTwoLines();
    let r = m.accept(pos.voided({ seq: 5, line: 3 }), 1000);
    expect(r).toEqual({ applied: [], diagnostics: [], prompts: [] });
    expect(m.snapshot()).toMatchObject({ heldSeqs: [5], nextTickAt: 2500 });
    r = m.accept(pos.added({ seq: 4, line: 3 }), 1200);
    expect(seqs(r.applied)).toEqual([4, 5]);
    expect(r.diagnostics).toEqual([]);
    expect(r.prompts.map((p) => p.kind)).toEqual(['itemVoided']);
    expect(m.snapshot()).toMatchObject({ heldSeqs: [], nextTickAt: null, lastSeq: 5 });
  });

  it('gives up on a missing seq after the hold time and says so', () => {
    const m = withTwoLines();
    m.accept(pos.added({ seq: 5, line: 5 }), 1000);
    m.accept(pos.added({ seq: 6, line: 6 }), 1100);
    expect(m.tick(2499).applied).toEqual([]);
    const r = m.tick(2500);
    expect(seqs(r.applied)).toEqual([5, 6]);
    expect(r.diagnostics).toEqual([
      {
        code: 'gap',
        outcome: 'reconciled',
        message: 'seq 4 is missing after waiting 1500 ms; continued from seq 5',
        seq: 5,
        txn: 'T1',
      },
    ]);
    expect(current(m).lines.map((l) => l.line)).toEqual([1, 2, 5, 6]);
  });

  it('releases expired held events on the next accept even without a tick', () => {
    const m = withTwoLines();
    m.accept(pos.added({ seq: 5, line: 5 }), 0);
    const r = m.accept(pos.added({ seq: 7, line: 7 }), 5000);
    expect(seqs(r.applied)).toEqual([5]);
    expect(codes(r)).toEqual(['gap/reconciled']);
    expect(m.snapshot().heldSeqs).toEqual([7]);
  });

  it('honours a custom hold time', () => {
    const m = new OrderModel({ lane: 'L01', gapHoldMs: 100 });
    feed(m, [pos.started({ seq: 1 })]);
    m.accept(pos.added({ seq: 3, line: 1 }), 0);
    expect(seqs(m.tick(100).applied)).toEqual([3]);
  });

  it('applies a late event that still fits the open transaction', () => {
    const m = withTwoLines();
    m.accept(pos.added({ seq: 5, line: 5 }), 0);
    m.tick(2000);
    const r = m.accept(pos.added({ seq: 4, line: 4 }), 2100);
    expect(seqs(r.applied)).toEqual([4]);
    expect(codes(r)).toEqual(['late/reconciled']);
    expect(current(m).lines.map((l) => l.line)).toEqual([1, 2, 5, 4]);
    expect(m.lastSeq).toBe(5);
  });

  it('records a late quantity change that a newer one superseded, without applying it', () => {
    const m = withTwoLines();
    m.accept(pos.qty({ seq: 5, line: 1, qty: 5 }), 0);
    m.tick(2000);
    const r = m.accept(pos.qty({ seq: 4, line: 1, qty: 1 }), 2100);
    expect(codes(r)).toEqual(['late/reconciled']);
    expect(r.prompts).toEqual([]);
    expect(current(m)).toMatchObject({ counts: { quantityChanged: 2, quantityReduced: 0 } });
    expect(current(m).lines[0]?.qty).toBe(5);
  });

  it('does not roll back a payment status or prompt for a failure already overtaken', () => {
    const m = withTwoLines();
    m.accept(pos.paySucceeded({ seq: 6, amount: 1900 }), 0);
    m.tick(2000);
    const r = m.accept(pos.payFailed({ seq: 5, reason: 'timeout' }), 2100);
    expect(seqs(r.applied)).toEqual([5]);
    expect(r.prompts).toEqual([]);
    expect(current(m)).toMatchObject({ status: 'paid', paymentFailures: 1 });
  });

  it('rejects a late event for a transaction that is not open', () => {
    const m = withTwoLines();
    m.accept(pos.added({ seq: 5, line: 3 }), 0);
    m.tick(2000);
    const r = m.accept(pos.added({ seq: 4, line: 9, txn: 'T0' }), 2100);
    expect(r.applied).toEqual([]);
    expect(codes(r)).toEqual(['late/rejected']);
    expect(current(m).txn).toBe('T1');
  });

  it('rejects a late end that is older than events already applied to the order', () => {
    const m = withTwoLines();
    m.accept(pos.added({ seq: 5, line: 3 }), 0);
    m.tick(2000);
    const r = m.accept(pos.ended({ seq: 4 }), 2100);
    expect(codes(r)).toEqual(['late/rejected']);
    expect(m.isTransactionOpen).toBe(true);
  });
});

describe('OrderModel: transactions', () => {
  it('starts a transaction implicitly when items arrive without transaction.started', () => {
    const m = model();
    const r = feed(m, [pos.added({ seq: 10, line: 1, txn: 'T9' })]);
    expect(seqs(r.applied)).toEqual([10]);
    expect(codes(r)).toEqual(['implicit-start/reconciled']);
    expect(current(m)).toMatchObject({
      txn: 'T9',
      status: 'open',
      total: 350,
      startedAt: pos.added({ seq: 10, line: 1 }).at,
    });
  });

  it('merges a late transaction.started into the implicitly started order', () => {
    const m = model();
    m.accept(pos.added({ seq: 10, line: 1 }), 0);
    const r = m.accept(pos.started({ seq: 9, memberRef: MEMBER, orderNo: 'A-7' }), 10);
    expect(codes(r)).toEqual(['late/reconciled']);
    expect(current(m)).toMatchObject({
      orderNo: 'A-7',
      memberRefMasked: '••••5678',
      startedAt: pos.started({ seq: 9 }).at,
      lines: [{ line: 1 }],
    });
  });

  it('keeps the open order when transaction.started repeats for it', () => {
    const m = withTwoLines();
    const r = feed(m, [pos.started({ seq: 4 })]);
    expect(codes(r)).toEqual(['duplicate/reconciled']);
    expect(current(m).lines).toHaveLength(2);
  });

  it('closes an order whose end never came when the next transaction begins, and fixes it if the end turns up', () => {
    const m = model();
    feed(m, [pos.started({ seq: 1 }), pos.added({ seq: 2, line: 1 })]);
    expect(m.accept(pos.added({ seq: 4, line: 1, txn: 'T2' }), 0).applied).toEqual([]);
    let r = m.tick(1500);
    expect(codes(r)).toEqual(['gap/reconciled', 'implicit-start/reconciled', 'implicit-start/reconciled']);
    expect(current(m).txn).toBe('T2');
    expect(m.history.map((o) => [o.txn, o.status])).toEqual([['T1', 'open']]);
    // The gap is filed on T1, the order showing when it was noticed: it explains T1's missing end.
    expect(timelineDiagnostics(m.history[0] as Order).map((d) => d.code)).toEqual(['gap', 'implicit-start']);

    r = m.accept(pos.ended({ seq: 3 }), 1600);
    expect(seqs(r.applied)).toEqual([3]);
    expect(codes(r)).toEqual(['late/reconciled']);
    expect(r.prompts).toEqual([]);
    expect(m.history.map((o) => [o.txn, o.status])).toEqual([['T1', 'ended']]);
    expect(current(m).txn).toBe('T2');
    expect(codes(m.accept(pos.added({ seq: 5, line: 2 }), 1700))).toEqual(['stale-transaction/rejected']);
  });

  it('closes the open order when another transaction.started arrives', () => {
    const m = withTwoLines();
    const r = feed(m, [pos.started({ seq: 4, txn: 'T2' })]);
    expect(codes(r)).toEqual(['implicit-start/reconciled']);
    expect(current(m)).toMatchObject({ txn: 'T2', lines: [] });
    expect(m.history[0]?.total).toBe(1900);
  });

  it('rejects events for a transaction that already ended', () => {
    const m = withTwoLines();
    feed(m, [pos.ended({ seq: 4 })]);
    const r = feed(m, [pos.added({ seq: 5, line: 3 }), pos.voided({ seq: 6, line: 1 })]);
    expect(codes(r)).toEqual(['stale-transaction/rejected', 'stale-transaction/rejected']);
    expect(r.applied).toEqual([]);
    expect(current(m).lines).toHaveLength(2);
    expect(m.lastSeq).toBe(6);
  });

  it('rejects changes to lines it never saw, and moves on past them', () => {
    const m = withTwoLines();
    const r = feed(m, [
      pos.voided({ seq: 4, line: 9 }),
      pos.qty({ seq: 5, line: 8, qty: 1 }),
      pos.added({ seq: 6, line: 3 }),
    ]);
    expect(codes(r)).toEqual(['unknown-line/rejected', 'unknown-line/rejected']);
    expect(seqs(r.applied)).toEqual([6]);
    expect(m.snapshot().heldSeqs).toEqual([]);
  });

  it('ignores a second void of a line and refuses quantity changes on a voided line', () => {
    const m = withTwoLines();
    const r = feed(m, [
      pos.voided({ seq: 4, line: 1 }),
      pos.voided({ seq: 5, line: 1 }),
      pos.qty({ seq: 6, line: 1, qty: 9 }),
    ]);
    expect(codes(r)).toEqual(['duplicate/ignored', 'unknown-line/rejected']);
    expect(r.prompts).toHaveLength(1);
    expect(current(m)).toMatchObject({ total: 1200, counts: { voided: 1, quantityChanged: 0 } });
  });

  it('refuses a line number used twice', () => {
    const m = withTwoLines();
    expect(codes(feed(m, [pos.added({ seq: 4, line: 2 })]))).toEqual(['conflict/rejected']);
  });

  it('refuses to end or change a transaction it never saw', () => {
    const m = model();
    const r = feed(m, [pos.ended({ seq: 1, txn: 'TX' }), pos.voided({ seq: 2, line: 1, txn: 'TX' })]);
    expect(codes(r)).toEqual(['no-transaction/rejected', 'no-transaction/rejected']);
    expect(m.current).toBeNull();
  });

  it('applies an assistance request outside a transaction without starting one', () => {
    const m = model();
    const r = feed(m, [pos.assistance({ seq: 1, txn: 'none', reason: 'help' })]);
    expect(seqs(r.applied)).toEqual([1]);
    expect(m.current).toBeNull();
  });

  it('passes on an assistance request naming a transaction that just ended', () => {
    const m = withTwoLines();
    feed(m, [pos.ended({ seq: 4 })]);
    const r = feed(m, [pos.assistance({ seq: 5, reason: 'receipt printer' })]);
    expect(seqs(r.applied)).toEqual([5]);
    expect(r.diagnostics).toEqual([]);
  });

  it('files an assistance request for the open transaction on its timeline', () => {
    const m = withTwoLines();
    feed(m, [pos.assistance({ seq: 4, reason: 'age check' })]);
    expect(current(m).timeline.at(-1)).toMatchObject({
      kind: 'event',
      seq: 4,
      summary: 'assistance requested: age check',
    });
  });
});

describe('OrderModel: prompts answered', () => {
  it('files prompts and answers on the order concerned, even just after it closed', () => {
    const m = withTwoLines();
    const [prompt] = feed(m, [pos.cancelled({ seq: 4 })]).prompts;
    if (!prompt) throw new Error('expected a prompt');
    expect(m.recordPrompt(prompt, '2025-03-01T01:31:00.000Z')).toBe(true);
    expect(m.recordAnswer('transactionCancelled', 'confirmed', 2345.6, '2025-03-01T01:31:02.345Z')).toBe(
      true,
    );
    expect(current(m).timeline.slice(-2)).toEqual([
      { kind: 'prompt', at: '2025-03-01T01:31:00.000Z', prompt: 'transactionCancelled' },
      {
        kind: 'answer',
        at: '2025-03-01T01:31:02.345Z',
        prompt: 'transactionCancelled',
        answer: 'confirmed',
        tookMs: 2346,
      },
    ]);
    expect(m.history[0]?.timeline.at(-1)).toMatchObject({ kind: 'answer' });
  });

  it('keeps the line of item prompts', () => {
    const m = withTwoLines();
    const [prompt] = feed(m, [pos.voided({ seq: 4, line: 1 })]).prompts;
    if (!prompt) throw new Error('expected a prompt');
    m.recordPrompt(prompt, '2025-03-01T01:31:00.000Z');
    expect(current(m).timeline.at(-1)).toEqual({
      kind: 'prompt',
      at: '2025-03-01T01:31:00.000Z',
      prompt: 'itemVoided',
      line: 1,
    });
  });

  it('reports false when there is no order or the input is nonsense', () => {
    const m = model();
    expect(m.recordAnswer('itemVoided', 'confirmed', 10, 'x')).toBe(false);
    expect(m.recordPrompt({ kind: 'itemVoided', txn: 'T1', seq: 1 }, 'x')).toBe(false);
    const open = withTwoLines();
    expect(open.recordAnswer('nope' as never, 'confirmed', 10, 'x')).toBe(false);
    expect(open.recordPrompt(null as never, 'x')).toBe(false);
  });
});

describe('OrderModel: reconnects and robustness', () => {
  it('resumes after a persisted seq', () => {
    const m = model();
    m.resumeFrom(100);
    expect(m.lastSeq).toBe(100);
    expect(seqs(m.accept(pos.added({ seq: 101, line: 1 }), 0).applied)).toEqual([101]);
    expect(m.accept(pos.added({ seq: 103, line: 3 }), 0).applied).toEqual([]);
    expect(codes(m.accept(pos.added({ seq: 50, line: 5, txn: 'T0' }), 0))).toEqual(['late/rejected']);
    m.resumeFrom(Number.NaN);
    m.resumeFrom(-7);
    expect(m.lastSeq).toBe(101);
  });

  it('starts the sequence over after resumeFrom(-1), for a POS that restarted its numbering', () => {
    const m = withTwoLines();
    feed(m, [pos.ended({ seq: 4 })]);
    expect(codes(feed(m, [pos.started({ seq: 1, txn: 'T2' })]))).toEqual(['conflict/rejected']);
    m.resumeFrom(-1);
    expect(m.lastSeq).toBe(-1);
    const r = feed(m, [pos.started({ seq: 1, txn: 'T2' }), pos.added({ seq: 2, line: 1, txn: 'T2' })]);
    expect(seqs(r.applied)).toEqual([1, 2]);
    expect(current(m)).toMatchObject({ txn: 'T2', total: 350 });
    expect(m.history.map((o) => o.txn)).toEqual(['T1']);
  });

  it('treats a replay after a reconnect as duplicates', () => {
    const m = withTwoLines();
    m.resumeFrom(0);
    expect(m.lastSeq).toBe(3);
    const r = feed(m, [
      pos.added({ seq: 2, line: 1, name: '可口可乐', nameEn: 'Coca-Cola', qty: 2 }),
      pos.added({ seq: 4, line: 3 }),
    ]);
    expect(codes(r)).toEqual(['duplicate/ignored']);
    expect(seqs(r.applied)).toEqual([4]);
  });

  it('never throws, whatever it is fed', () => {
    const m = withTwoLines();
    const junk: unknown[] = [
      null,
      undefined,
      42,
      'item.added',
      [],
      {},
      { v: 1 },
      Object.create(null),
      new Map(),
      () => 1,
      Symbol('s'),
      10n,
      { ...pos.added({ seq: 4, line: 3 }), seq: Number.MAX_VALUE },
      new Proxy(
        {},
        {
          getPrototypeOf() {
            throw new Error('boom');
          },
        },
      ),
    ];
    for (const raw of junk) {
      const r = m.accept(raw, Number.NaN);
      expect(r.applied).toEqual([]);
      expect(r.diagnostics[0]?.outcome).toBe('rejected');
    }
    expect(m.tick(Number.POSITIVE_INFINITY)).toEqual({ applied: [], diagnostics: [], prompts: [] });
    expect(current(m).total).toBe(1900);
  });

  it('hands out copies, and snapshots that survive cloning', () => {
    const m = withTwoLines();
    const copy = current(m);
    copy.lines.length = 0;
    copy.total = 0;
    expect(current(m).total).toBe(1900);
    const snapshot = m.snapshot();
    expect(structuredClone(snapshot)).toEqual(snapshot);
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
    expect(JSON.stringify(snapshot)).not.toContain(MEMBER);
  });
});
