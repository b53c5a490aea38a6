import { describe, expect, it } from 'vitest';
import { LaneController, type LaneControllerDeps } from './laneController.ts';
import { DEFAULT_LIGHT_CONFIG } from '../core/lane/lightConfig.ts';

function harness(overrides: Partial<LaneControllerDeps> = {}) {
  let now = Date.parse('2026-11-22T08:00:00Z');
  const timers = new Map<number, { fn: () => void; at: number }>();
  let nextTimer = 1;
  const played: string[] = [];
  const published: { state: string; light: { color: string } }[] = [];
  const controller = new LaneController({
    lane: 'L01',
    lightConfig: DEFAULT_LIGHT_CONFIG,
    promptTimeoutMs: 30_000,
    replayPromptMaxAgeMs: 120_000,
    now: () => now,
    playPrompt: (k) => played.push(k),
    stopPrompt: () => undefined,
    publishStatus: (s) => published.push(s as (typeof published)[number]),
    log: () => undefined,
    setTimer: (fn, ms) => {
      timers.set(nextTimer, { fn, at: now + ms });
      return nextTimer++;
    },
    clearTimer: (h) => timers.delete(h as number),
    ...overrides,
  });
  const advance = (ms: number) => {
    now += ms;
    for (const [id, t] of [...timers]) {
      if (t.at <= now) {
        timers.delete(id);
        t.fn();
      }
    }
  };
  let seq = 0;
  const ev = (type: string, extra: Record<string, unknown> = {}) => ({
    v: 1,
    lane: 'L01',
    txn: 'T1',
    seq: ++seq,
    at: new Date(now).toISOString(),
    type,
    ...extra,
  });
  const add = (line: number, qty = 1) =>
    ev('item.added', { line, gtin: '6901234567892', name: '牛奶', nameEn: 'Milk', unitPrice: 500, qty });
  return { controller, played, published, advance, ev, add, view: () => controller.view.get() };
}

describe('LaneController', () => {
  it('raises a blocking prompt on a void, plays it, and returns to scanning when confirmed', () => {
    const h = harness();
    h.controller.ingest(h.ev('transaction.started'), 'test');
    h.controller.ingest(h.add(1), 'test');
    expect(h.view().laneState).toBe('scanning');
    h.controller.ingest(h.ev('item.voided', { line: 1 }), 'test');
    expect(h.view().prompt?.request.kind).toBe('itemVoided');
    expect(h.view().laneState).toBe('awaitingConfirmation');
    expect(h.view().light.color).toBe('amber');
    expect(h.played).toEqual(['itemVoided']);
    h.advance(4000);
    h.controller.answer('confirmed');
    expect(h.view().prompt).toBeNull();
    expect(h.view().laneState).toBe('scanning');
    const answer = h.view().order?.timeline.find((t) => t.kind === 'answer');
    expect(answer).toMatchObject({ prompt: 'itemVoided', answer: 'confirmed', tookMs: 4000 });
    expect(h.published.at(-1)).toMatchObject({ state: 'scanning' });
  });

  it('calls a guide when the prompt times out but keeps the dialog answerable', () => {
    const h = harness();
    h.controller.ingest(h.ev('transaction.started'), 'test');
    h.controller.ingest(h.add(1, 3), 'test');
    h.controller.ingest(h.ev('item.quantityChanged', { line: 1, qty: 1 }), 'test');
    h.advance(30_000);
    expect(h.view().laneState).toBe('assistanceRequested');
    expect(h.view().prompt?.guideCalled).toBe(true);
    expect(h.played).toEqual(['quantityReduced', 'guideCalled']);
    h.controller.answer('confirmed');
    expect(h.view().prompt).toBeNull();
    expect(h.view().laneState).toBe('assistanceRequested');
    h.controller.guideCleared();
    expect(h.view().laneState).toBe('scanning');
  });

  it('gives more time on request and queues a second prompt behind the first', () => {
    const h = harness();
    h.controller.ingest(h.ev('transaction.started'), 'test');
    h.controller.ingest(h.add(1, 2), 'test');
    h.controller.ingest(h.add(2), 'test');
    h.controller.ingest(h.ev('item.voided', { line: 2 }), 'test');
    h.controller.ingest(h.ev('item.quantityChanged', { line: 1, qty: 1 }), 'test');
    expect(h.view().queuedPrompts).toBe(1);
    h.advance(25_000);
    h.controller.extendTime();
    h.advance(25_000);
    expect(h.view().laneState).toBe('awaitingConfirmation');
    h.controller.answer('confirmed');
    expect(h.view().prompt?.request.kind).toBe('quantityReduced');
  });

  it('does not replay prompts for history, but does for a recent void in the still-open transaction', () => {
    const h = harness();
    h.controller.beginReplay(3);
    h.controller.ingest(h.ev('transaction.started'), 'relay');
    h.controller.ingest(h.add(1), 'relay');
    h.controller.ingest(h.ev('item.voided', { line: 1 }), 'relay');
    expect(h.view().prompt?.request.kind).toBe('itemVoided');

    const old = harness();
    old.controller.beginReplay(4);
    old.controller.ingest(old.ev('transaction.started'), 'relay');
    old.controller.ingest(old.add(1), 'relay');
    old.controller.ingest(old.ev('item.voided', { line: 1 }), 'relay');
    old.controller.ingest(old.ev('transaction.ended'), 'relay');
    expect(old.view().prompt).toBeNull();
  });

  it('counts history as replayed only after the relay hello and every event up to it', () => {
    const h = harness();
    expect(h.controller.historyReplayed).toBe(false);
    h.controller.beginReplay(2);
    expect(h.controller.historyReplayed).toBe(false);
    h.controller.ingest(h.ev('transaction.started'), 'relay');
    expect(h.controller.historyReplayed).toBe(false);
    h.controller.ingest(h.add(1), 'relay');
    expect(h.controller.historyReplayed).toBe(true);
    expect(h.controller.isTransactionOpen).toBe(true);

    const empty = harness();
    empty.controller.beginReplay(0);
    expect(empty.controller.historyReplayed).toBe(true);
  });

  it('shows malformed input as a diagnostic and keeps going', () => {
    const h = harness();
    h.controller.ingest({ nonsense: true }, 'broadcast');
    h.controller.ingest(h.ev('transaction.started'), 'test');
    h.controller.ingest(h.add(1), 'test');
    expect(h.view().diagnostics.map((d) => d.code)).toContain('invalid');
    expect(h.view().order?.lines).toHaveLength(1);
  });

  it('shows the lane offline while the relay is down, below any prompt', () => {
    const h = harness();
    h.controller.setOnline(false);
    expect(h.view().laneState).toBe('offline');
    expect(h.view().light.color).toBe('blue');
    h.controller.ingest(h.ev('transaction.started'), 'demo');
    h.controller.ingest(h.add(1), 'demo');
    h.controller.ingest(h.ev('item.voided', { line: 1 }), 'demo');
    expect(h.view().laneState).toBe('awaitingConfirmation');
  });
});

describe('LaneController transaction hooks', () => {
  it('reports opens and closes, including implicit ones, with the final order', () => {
    const started: string[] = [];
    const closed: { txn: string; status: string; answers: number }[] = [];
    const changed: string[] = [];
    const h = harness({
      onTransactionStarted: (txn) => started.push(txn),
      onTransactionClosed: (o) =>
        closed.push({
          txn: o.txn,
          status: o.status,
          answers: o.timeline.filter((t) => t.kind === 'answer').length,
        }),
      onClosedOrderChanged: (o) => changed.push(o.txn),
    });
    h.controller.ingest(h.ev('transaction.started'), 'test');
    h.controller.ingest(h.add(1), 'test');
    h.controller.ingest(h.ev('transaction.cancelled'), 'test');
    expect(started).toEqual(['T1']);
    expect(closed).toEqual([{ txn: 'T1', status: 'cancelled', answers: 0 }]);
    // The cancel prompt is answered after the order closed: its record must be resealed.
    h.controller.answer('confirmed');
    expect(changed).toEqual(['T1']);
    // An item for a new transaction with no start event opens it implicitly.
    h.controller.ingest({ ...h.add(1), txn: 'T2' }, 'test');
    expect(started).toEqual(['T1', 'T2']);
  });
});

describe('LaneController replayed history', () => {
  it('reports replayed closes once, flagged, and the still-open transaction at the end of the replay', () => {
    const calls: string[] = [];
    const h = harness({
      onTransactionStarted: (txn, _at, replayed) => calls.push(`start ${txn} ${replayed}`),
      onTransactionClosed: (o, _at, replayed) => calls.push(`close ${o.txn} ${replayed}`),
    });
    h.controller.beginReplay(5);
    h.controller.ingest(h.ev('transaction.started'), 'relay');
    h.controller.ingest(h.add(1), 'relay');
    h.controller.ingest(h.ev('transaction.ended'), 'relay');
    h.controller.ingest({ ...h.ev('transaction.started'), txn: 'T2' }, 'relay');
    expect(calls).toEqual([]);
    h.controller.ingest({ ...h.add(1), txn: 'T2' }, 'relay');
    expect(calls).toEqual(['close T1 true', 'start T2 true']);
    h.controller.ingest({ ...h.ev('transaction.ended'), txn: 'T2' }, 'relay');
    expect(calls.at(-1)).toBe('close T2 false');
  });
});
