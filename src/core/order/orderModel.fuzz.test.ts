/**
 * Seeded random streams against OrderModel. Every run uses the same seeds, so a failure is
 * reproducible; the seed of a failing session is in the assertion message.
 *
 * Three kinds of stream, all from the same generator of valid lane sessions:
 *   clean     in order, compared against an independent reference of what the order must be;
 *   shuffled  reordered within a short window and partly duplicated, which must end up exactly
 *             like the clean run, each event applied once;
 *   mangled   dropped, duplicated, reordered far, corrupted, mistyped, wrong-lane and plain
 *             garbage, where only invariants can be checked.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random.ts';
import type { PosEvent } from '../pos/events.ts';
import { atFor, pos } from '../pos/eventFactory.testkit.ts';
import { OrderModel } from './orderModel.ts';
import type { AcceptResult, Order, OrderStatus } from './types.ts';

type Rand = () => number;

const int = (r: Rand, min: number, max: number): number => min + Math.floor(r() * (max - min + 1));
const chance = (r: Rand, p: number): boolean => r() < p;
const digits = (r: Rand, n: number): string => Array.from({ length: n }, () => String(int(r, 0, 9))).join('');
function pick<T>(r: Rand, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)] as T;
}

interface Expected {
  txn: string;
  status: OrderStatus;
  total: number;
  lineCount: number;
  counts: Order['counts'];
  paymentFailures: number;
  prompts: number;
}

interface Session {
  events: PosEvent[];
  expected: Expected[];
  /** Member and payment references in the clear, which must never show up in an order. */
  secrets: string[];
}

interface LineRef {
  line: number;
  unitPrice: number;
  /** Twice the quantity: quantities are whole or halves so the reference stays in integers. */
  halves: number;
  adjustable: boolean;
  total: number;
  voided: boolean;
}

/** One or two whole transactions for lane L01, with the outcome each must have. */
function generateSession(r: Rand, id: number): Session {
  const events: PosEvent[] = [];
  const expected: Expected[] = [];
  const secrets: string[] = [];
  let seq = int(r, 0, 1_000_000);
  const next = (): number => seq++;

  for (let t = int(r, 1, 2); t > 0; t--) {
    const txn = `S${id}-T${t}`;
    const exp: Expected = {
      txn,
      status: 'ended',
      total: 0,
      lineCount: 0,
      counts: { added: 0, voided: 0, quantityChanged: 0, quantityReduced: 0 },
      paymentFailures: 0,
      prompts: 0,
    };
    if (chance(r, 0.8)) {
      const memberRef = chance(r, 0.6) ? `MBR${digits(r, 12)}` : undefined;
      if (memberRef) secrets.push(memberRef);
      events.push(
        pos.started({ seq: next(), txn, ...(memberRef ? { memberRef } : {}), orderNo: `N${id}${t}` }),
      );
    }
    const lines: LineRef[] = [];
    for (let n = int(r, 1, 5); n > 0; n--) {
      const line = lines.length + 1;
      const unitPrice = int(r, 0, 20_000);
      const kind = r();
      if (kind < 0.2) {
        const weight = int(r, 1, 5000);
        events.push(
          pos.added({ seq: next(), txn, line, unitPrice, qty: 1, weight, gtin: `2${digits(r, 12)}` }),
        );
        lines.push({
          line,
          unitPrice,
          halves: 2,
          adjustable: false,
          total: Math.floor((unitPrice * weight + 500) / 1000),
          voided: false,
        });
      } else if (kind < 0.3) {
        const lineTotal = int(r, 0, 50_000);
        events.push(pos.added({ seq: next(), txn, line, unitPrice, qty: 1, lineTotal }));
        lines.push({ line, unitPrice, halves: 2, adjustable: false, total: lineTotal, voided: false });
      } else {
        const halves = chance(r, 0.2) ? pick(r, [1, 3, 5]) : 2 * int(r, 1, 4);
        events.push(pos.added({ seq: next(), txn, line, unitPrice, qty: halves / 2, name: `商品 ${line}` }));
        lines.push({
          line,
          unitPrice,
          halves,
          adjustable: true,
          total: Math.floor((unitPrice * halves + 1) / 2),
          voided: false,
        });
      }
      exp.counts.added += 1;
      if (chance(r, 0.25)) {
        const target = lines.find((l) => l.adjustable && !l.voided && chance(r, 0.5));
        if (target) {
          const halves = 2 * int(r, 1, 6);
          events.push(pos.qty({ seq: next(), txn, line: target.line, qty: halves / 2 }));
          exp.counts.quantityChanged += 1;
          if (halves < target.halves) {
            exp.counts.quantityReduced += 1;
            exp.prompts += 1;
          }
          target.halves = halves;
          target.total = Math.floor((target.unitPrice * halves + 1) / 2);
        }
      }
      if (chance(r, 0.15)) {
        const target = lines.find((l) => !l.voided && chance(r, 0.5));
        if (target) {
          events.push(pos.voided({ seq: next(), txn, line: target.line, reason: 'changed mind' }));
          target.voided = true;
          exp.counts.voided += 1;
          exp.prompts += 1;
        }
      }
      if (chance(r, 0.05)) events.push(pos.assistance({ seq: next(), txn, reason: 'help' }));
    }
    exp.total = lines.filter((l) => !l.voided).reduce((sum, l) => sum + l.total, 0);
    exp.lineCount = lines.length;

    if (chance(r, 0.15)) {
      events.push(pos.cancelled({ seq: next(), txn, reason: 'left' }));
      exp.status = 'cancelled';
      exp.prompts += 1;
    } else {
      for (let f = chance(r, 0.3) ? int(r, 1, 2) : 0; f > 0; f--) {
        const paymentRef = `PAY${digits(r, 16)}`;
        secrets.push(paymentRef);
        events.push(pos.payStarted({ seq: next(), txn, amount: exp.total }));
        events.push(pos.payFailed({ seq: next(), txn, reason: 'declined', paymentRef }));
        exp.paymentFailures += 1;
        exp.prompts += 1;
      }
      const paymentRef = `PAY${digits(r, 16)}`;
      secrets.push(paymentRef);
      events.push(pos.payStarted({ seq: next(), txn, amount: exp.total, method: 'card' }));
      events.push(pos.paySucceeded({ seq: next(), txn, amount: exp.total, paymentRef }));
      events.push(pos.ended({ seq: next(), txn }));
    }
    expected.push(exp);
  }
  // Timestamps follow seq, like a real POS clock.
  for (const e of events) e.at = atFor(e.seq);
  return { events, expected, secrets };
}

interface Run {
  model: OrderModel;
  results: AcceptResult[];
}

function appliedSeqs(run: Run): number[] {
  return run.results.flatMap((res) => res.applied.map((e) => e.seq));
}

function play(items: readonly unknown[], stepMs: number): Run {
  const model = new OrderModel({ lane: 'L01' });
  const results = items.map((item, i) => model.accept(item, i * stepMs));
  results.push(model.tick(items.length * stepMs + 10_000));
  return { model, results };
}

/** Each event moves at most `window` places, well inside the gap hold time at 10 ms per event. */
function shuffleWithin(r: Rand, items: readonly PosEvent[], window: number): PosEvent[] {
  const keyed = items.map((item, i) => ({ item, key: i + r() * window }));
  return keyed.sort((a, b) => a.key - b.key).map((k) => k.item);
}

/** Orders with the kiosk-clock stamps of diagnostics removed, which depend on arrival times. */
function comparable(model: OrderModel): unknown {
  return model.history.map((o) => ({
    ...o,
    timeline: o.timeline.map((t) => (t.kind === 'diagnostic' ? { ...t, at: '' } : t)),
  }));
}

/**
 * The properties every order must have whatever the input. Returns what is wrong, so one
 * expect per test reports all of it (an expect per check would dominate the run time).
 */
function invariantProblems(model: OrderModel, secrets: readonly string[], seed: number): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string): void => {
    if (!ok) problems.push(`seed ${seed}: ${what}`);
  };
  const snapshot = model.snapshot();
  const orders = [...snapshot.history, ...(snapshot.current ? [snapshot.current] : [])];
  for (const o of orders) {
    const live = o.lines.filter((l) => !l.voided);
    const items = live.reduce((n, l) => n + (l.weight !== undefined ? 1 : l.qty), 0);
    check(
      o.total === live.reduce((sum, l) => sum + l.total, 0),
      `${o.txn} total is not the sum of its lines`,
    );
    check(Math.abs(o.itemCount - items) < 1e-6, `${o.txn} itemCount ${o.itemCount} ≠ ${items}`);
    check(o.counts.added === o.lines.length, `${o.txn} counts.added ≠ lines`);
    check(o.counts.voided === o.lines.length - live.length, `${o.txn} counts.voided ≠ voided lines`);
    check(o.counts.quantityReduced <= o.counts.quantityChanged, `${o.txn} more reductions than changes`);
    check(new Set(o.lines.map((l) => l.line)).size === o.lines.length, `${o.txn} repeats a line number`);
    check(
      o.lines.every((l) => Number.isSafeInteger(l.total) && l.total >= 0),
      `${o.txn} has a line total that is not a whole amount`,
    );
    const eventSeqs = o.timeline.flatMap((t) => (t.kind === 'event' ? [t.seq] : []));
    check(new Set(eventSeqs).size === eventSeqs.length, `${o.txn} has an event twice in its timeline`);
  }
  const json = JSON.stringify(snapshot);
  for (const secret of secrets) {
    check(
      !json.includes(secret) && !json.includes(secret.slice(3)),
      `clear reference ${secret} in the orders`,
    );
  }
  return problems;
}

const SEED = 0x5eed;

describe('OrderModel fuzz', () => {
  it('builds exactly the reference orders from 1,500 clean sessions', () => {
    const problems: string[] = [];
    let events = 0;
    for (let s = 0; s < 1500; s++) {
      const seed = SEED + s;
      const session = generateSession(mulberry32(seed), s);
      events += session.events.length;
      const run = play(session.events, 10);
      expect(appliedSeqs(run), `seed ${seed}`).toEqual(session.events.map((e) => e.seq));
      const codes = run.results.flatMap((res) => res.diagnostics.map((d) => d.code));
      expect(
        codes.every((c) => c === 'implicit-start'),
        `seed ${seed}: ${codes.join(',')}`,
      ).toBe(true);
      const prompts = run.results.reduce((n, res) => n + res.prompts.length, 0);
      expect(prompts, `seed ${seed}`).toBe(session.expected.reduce((n, e) => n + e.prompts, 0));
      expect(
        run.model.history.map((o) => ({
          txn: o.txn,
          status: o.status,
          total: o.total,
          lineCount: o.lines.length,
          counts: o.counts,
          paymentFailures: o.paymentFailures,
        })),
        `seed ${seed}`,
      ).toEqual(session.expected.map(({ prompts: _p, ...rest }) => rest));
      problems.push(...invariantProblems(run.model, session.secrets, seed));
    }
    expect(problems).toEqual([]);
    expect(events).toBeGreaterThan(15_000);
  });

  it('loses nothing and applies nothing twice from 1,500 shuffled sessions with duplicates', () => {
    const problems: string[] = [];
    let events = 0;
    for (let s = 0; s < 1500; s++) {
      const seed = SEED + 10_000 + s;
      const r = mulberry32(seed);
      const session = generateSession(r, s);
      const withCopies = session.events.flatMap((e) =>
        chance(r, 0.15) ? [e, { ...e, 'x-copy': true }] : [e],
      );
      // The first event has to come first: it is where a fresh kiosk joins the stream.
      const [first, ...rest] = withCopies;
      const stream = [first as PosEvent, ...shuffleWithin(r, rest, 4)];
      events += stream.length;

      const run = play(stream, 10);
      const applied = appliedSeqs(run);
      expect(
        [...applied].sort((a, b) => a - b),
        `seed ${seed}`,
      ).toEqual(session.events.map((e) => e.seq));
      const codes = run.results.flatMap((res) => res.diagnostics.map((d) => d.code));
      expect(codes.filter((c) => c === 'duplicate').length, `seed ${seed}`).toBe(
        stream.length - session.events.length,
      );
      expect(comparable(run.model), `seed ${seed}`).toEqual(comparable(play(session.events, 10).model));
      problems.push(...invariantProblems(run.model, session.secrets, seed));
    }
    expect(problems).toEqual([]);
    expect(events).toBeGreaterThan(15_000);
  });

  it('keeps its invariants on 2,000 mangled sessions and never throws', () => {
    const garbage: readonly unknown[] = [
      null,
      undefined,
      '',
      'x'.repeat(300),
      -1,
      -0,
      1.5,
      2 ** 53,
      1e308,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      true,
      [],
      [1, 2],
      {},
      { nested: { deep: [1] } },
      '123',
      '0',
    ];
    const problems: string[] = [];
    let events = 0;
    let applied = 0;
    for (let s = 0; s < 2000; s++) {
      const seed = SEED + 20_000 + s;
      const r = mulberry32(seed);
      const session = generateSession(r, s);
      const stream: unknown[] = [];
      for (const e of session.events) {
        const roll = r();
        if (roll < 0.08) continue; // dropped
        if (roll < 0.16) stream.push(e, e);
        else if (roll < 0.3) {
          const keys = Object.keys(e);
          stream.push({ ...e, [pick(r, keys)]: pick(r, garbage) });
        } else if (roll < 0.35) {
          const { [pick(r, Object.keys(e))]: _gone, ...rest } = e as unknown as Record<string, unknown>;
          stream.push(rest);
        } else if (roll < 0.38) stream.push({ ...e, lane: 'L02' });
        else if (roll < 0.41) stream.push({ ...e, seq: int(r, 0, 1_000_100) });
        else if (roll < 0.43) stream.push({ ...e, unexpected: 1 });
        else if (roll < 0.45) stream.push(pick(r, garbage));
        else stream.push(e);
      }
      // Far moves: some events overtake dozens of others.
      for (let m = int(r, 0, 3); m > 0 && stream.length > 1; m--) {
        const [moved] = stream.splice(int(r, 0, stream.length - 1), 1);
        stream.splice(int(r, 0, stream.length), 0, moved);
      }
      events += stream.length;

      const model = new OrderModel({ lane: 'L01' });
      const seen = new Set<number>();
      let now = 0;
      let lastSeq = -1;
      const record = (res: AcceptResult): void => {
        for (const e of res.applied) {
          if (seen.has(e.seq)) problems.push(`seed ${seed}: seq ${e.seq} applied twice`);
          if (e.lane !== 'L01') problems.push(`seed ${seed}: applied an event for lane ${e.lane}`);
          seen.add(e.seq);
        }
        applied += res.applied.length;
        if (model.lastSeq < lastSeq) problems.push(`seed ${seed}: lastSeq went back`);
        lastSeq = model.lastSeq;
      };
      for (const item of stream) {
        now += chance(r, 0.05) ? int(r, 1500, 4000) : int(r, 0, 300);
        record(model.accept(item, chance(r, 0.01) ? Number.NaN : now));
        if (chance(r, 0.1)) record(model.tick(now));
      }
      record(model.tick(now + 10_000));
      if (model.snapshot().heldSeqs.length > 0)
        problems.push(`seed ${seed}: events still held after the last tick`);
      problems.push(...invariantProblems(model, session.secrets, seed));
    }
    expect(problems).toEqual([]);
    expect(events).toBeGreaterThan(20_000);
    expect(applied).toBeGreaterThan(events / 2);
  });
});
