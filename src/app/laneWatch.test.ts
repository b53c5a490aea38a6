import { describe, expect, it } from 'vitest';
import { LaneStory, T0 } from './laneWatch.testkit.ts';
import { OrderModel } from '../core/order/orderModel.ts';
import { toOrderVideoRecord } from '../core/evidence/record.ts';
import { checkRecord } from '../../sync-server/src/evidence/recordValidation.ts';

const A = '6901234567892';
const B = '6900000000017';
/** Scanner frames of a trip at 2000 end at 2500; the engine waits scanMatchWindowMs (2 s) for a scan. */
const NUDGE_AT = 4500;
const NUDGE_TIMEOUT = 8000;

const started = () => new LaneStory().pos(0, { type: 'transaction.started' });
const nudges = (s: LaneStory) => s.effects.filter((e) => e.kind === 'nudge' && e.stage !== null);

describe('LaneWatch', () => {
  it('stays quiet for an honest scan', () => {
    const s = started().trip(1, 2000).scan(2400, 1, A).run();
    expect(nudges(s)).toEqual([]);
    expect(s.signals()).toEqual([]);
    expect(s.prompts()).toEqual([]);
    expect(s.watch.suspicionsFor('T1')).toEqual([]);
  });

  it('stays quiet for an honest double scan taken back with a void', () => {
    const s = started().trip(1, 2000).scan(2400, 1, A).scan(2600, 2, A).pos(5000, {
      type: 'item.voided',
      line: 2,
    });
    s.run();
    expect(nudges(s)).toEqual([]);
    expect(s.signals()).toEqual([]);
  });

  it('nudges once the scan window closes on a missed scan: replay of the frames and the voice prompt', () => {
    const s = started()
      .trip(1, 2000)
      .run(NUDGE_AT - 2000 + 1);
    expect(nudges(s)).toEqual([{ at: NUDGE_AT, kind: 'nudge', stage: 'nudge', type: 'missedScan' }]);
    expect(s.prompts()).toEqual(['nudgeCheckScan']);
    expect(s.signals()).toEqual([]);
    const shown = s.watch.nudge.get();
    // The replay covers the item's trip: from the pick-up side to the bag.
    expect(shown?.replay).toEqual({ startMs: T0 + 1500, endMs: T0 + 3400 });
    expect(s.watch.suspicionsFor('T1')).toMatchObject([
      { type: 'missedScan', rule: 'missedScan.noBeep', outcome: 'open', nudged: true, escalated: false },
    ]);
  });

  it('clears the nudge when the shopper scans the item after all (self-correction)', () => {
    const s = started()
      .trip(1, 2000)
      .see(6000, 6300, { type: 'itemRemovedFromBagging', trackId: 1, toZone: 'pickup' })
      .trip(1, 7000)
      .scan(7400, 1, A)
      .run();
    expect(s.watch.nudge.get()).toBeNull();
    expect(
      s.effects.filter((e) => e.kind === 'nudge').map((e) => [e.at, e.kind === 'nudge' && e.stage]),
    ).toEqual([
      [NUDGE_AT, 'nudge'],
      [7400, null],
    ]);
    expect(s.signals()).toEqual([]);
    expect(s.watch.stats).toMatchObject({ nudges: 1, selfCorrected: 1, escalated: 0 });
    expect(s.watch.suspicionsFor('T1')).toMatchObject([
      {
        outcome: 'selfCorrected',
        nudged: true,
        escalated: false,
        resolvedAt: new Date(T0 + 7400).toISOString(),
      },
    ]);
  });

  it('calls the guide when the nudge is not acted on in time', () => {
    const s = started().trip(1, 2000).run();
    expect(s.signals()).toEqual(['anomalySuspected']);
    const alert = s.effects.find((e) => e.kind === 'lane');
    expect(alert?.at).toBe(NUDGE_AT + NUDGE_TIMEOUT);
    expect(s.prompts()).toEqual(['nudgeCheckScan', 'guideCalled']);
    expect(s.watch.nudge.get()).toMatchObject({ stage: 'guide', type: 'missedScan' });
    expect(s.watch.suspicionsFor('T1')).toMatchObject([
      { outcome: 'escalated', nudged: true, escalated: true },
    ]);
  });

  it('keeps counting down after "It scanned": only a fix or a guide closes a suspicion', () => {
    const s = started()
      .trip(1, 2000)
      .act(NUDGE_AT + 1000, (w) => w.answerNudge('continue'))
      .run();
    expect(s.effects.filter((e) => e.kind === 'nudge').map((e) => e.kind === 'nudge' && e.stage)).toEqual([
      'nudge',
      null,
      'guide',
    ]);
    expect(s.signals()).toEqual(['anomalySuspected']);
    expect(s.watch.suspicionsFor('T1')).toMatchObject([{ shopperAnswer: 'continue', outcome: 'escalated' }]);
  });

  it('calls the guide at once on a second suspicion while the first is open', () => {
    const s = started().trip(1, 2000).trip(2, 5000).run(4000);
    expect(s.signals()).toEqual(['anomalySuspected']);
    expect(s.effects.find((e) => e.kind === 'lane')?.at).toBe(7500);
    expect(s.watch.suspicionsFor('T1').map((x) => x.outcome)).toEqual(['escalated', 'escalated']);
  });

  it('locks the lane on a second suspicion when the chain asks for it', () => {
    const s = new LaneStory({ lockOnSecond: true })
      .pos(0, { type: 'transaction.started' })
      .trip(1, 2000)
      .trip(2, 5000)
      .run(4000);
    expect(s.signals()).toEqual(['anomalySuspected', 'lock']);
  });

  it('sends an unpaid walk-out straight to the guide, with nothing on the screen', () => {
    const s = started()
      .trip(1, 2000)
      .scan(2400, 1, A)
      .trip(2, 6000)
      .scan(6400, 2, B)
      .see(12_000, 12_400, { type: 'itemRemovedFromBagging', trackId: 1, toZone: 'exit' })
      .see(15_000, 15_500, { type: 'shopperLeft' })
      .run();
    expect(nudges(s)).toEqual([]);
    expect(s.signals()).toEqual(['anomalySuspected']);
    expect(s.prompts()).toEqual(['guideCalled']);
    expect(s.watch.suspicionsFor('T1')).toMatchObject([
      { type: 'unpaid', outcome: 'escalated', nudged: false },
    ]);
  });

  it('turns the light off at the end of a transaction whose alerted suspicions were all fixed', () => {
    const s = started()
      .trip(1, 2000)
      .see(13_000, 13_300, { type: 'itemRemovedFromBagging', trackId: 1, toZone: 'pickup' })
      .trip(1, 14_000)
      .scan(14_400, 1, A)
      .pos(16_000, { type: 'payment.succeeded', amount: 500 })
      .pos(16_500, { type: 'transaction.ended' })
      .run();
    expect(s.signals()).toEqual(['anomalySuspected', 'anomalyCleared']);
    expect(s.effects.find((e) => e.kind === 'lane' && e.signal === 'anomalyCleared')?.at).toBe(16_500);
    expect(s.watch.suspicionsFor('T1')).toMatchObject([{ outcome: 'selfCorrected', escalated: true }]);
  });

  it('leaves the light for staff while an alerted suspicion is still open at the end', () => {
    const s = started()
      .trip(1, 2000)
      .pos(16_000, { type: 'payment.succeeded', amount: 0 })
      .pos(16_500, { type: 'transaction.ended' })
      .run();
    expect(s.signals()).toEqual(['anomalySuspected']);
  });

  it('withdraws the nudge when later camera evidence shows the object was not goods', () => {
    const s = started()
      .trip(1, 2000)
      .see(5000, 5300, { type: 'nonItemObject', trackId: 1, kind: 'phone', confidence: 0.8 })
      .run();
    expect(s.watch.nudge.get()).toBeNull();
    expect(s.signals()).toEqual([]);
    expect(s.watch.stats.retracted).toBe(1);
    expect(s.watch.suspicionsFor('T1')).toMatchObject([{ outcome: 'retracted' }]);
  });

  it('raises nothing in a transaction the camera reported nothing for', () => {
    // Scan-only reasoning would take this honest void for an item kept in the bag.
    const s = started().scan(2400, 1, A).pos(5000, { type: 'item.voided', line: 1 }).run();
    expect(nudges(s)).toEqual([]);
    expect(s.signals()).toEqual([]);
    expect(s.logs.some((l) => /no camera evidence/.test(l))).toBe(true);
  });

  it('does nothing at all when vision is switched off', () => {
    const s = new LaneStory({ enabled: false }).pos(0, { type: 'transaction.started' }).trip(1, 2000).run();
    expect(s.effects).toEqual([]);
    expect(s.watch.suspicionsFor('T1')).toEqual([]);
  });

  it('starts every transaction afresh: a new shopper never inherits the last one', () => {
    const s = started().trip(1, 2000);
    s.txn = 'T2';
    s.pos(6000, { type: 'transaction.started' }).scan(9000, 1, A);
    s.run();
    expect(s.watch.nudge.get()).toBeNull();
    expect(
      s.effects.filter((e) => e.kind === 'nudge').map((e) => [e.at, e.kind === 'nudge' && e.stage]),
    ).toEqual([
      [NUDGE_AT, 'nudge'],
      [6000, null],
    ]);
    expect(s.signals()).toEqual([]);
    expect(s.watch.suspicionsFor('T2')).toEqual([]);
  });

  it('drops a malformed perception event with a message and keeps going', () => {
    const s = started().run(0);
    const taken = s.watch.onPerception([
      { v: 1, type: 'scanMotion', trackId: 1, atMs: Number.NaN, startMs: 0, endMs: 1, confidence: 0.9 },
    ]);
    expect(taken).toBe(0);
    expect(s.logs.join('\n')).toMatch(/perception event dropped/);
  });

  it("reports each change of a transaction's suspicions so its record can be resealed", () => {
    const s = started().trip(1, 2000).run();
    expect(s.changed.length).toBeGreaterThanOrEqual(2);
    expect(new Set(s.changed)).toEqual(new Set(['T1']));
  });

  it('gives the order record its suspicions, and flags the record for review', () => {
    const s = started().trip(1, 2000).run();
    const model = new OrderModel({ lane: 'L01' });
    const at = new Date(T0).toISOString();
    model.accept({ v: 1, lane: 'L01', txn: 'T1', seq: 1, at, type: 'transaction.started' }, T0);
    const order = model.current;
    if (!order) throw new Error('the order model opened no order');
    const record = toOrderVideoRecord(order, at, undefined, s.watch.suspicionsFor('T1'));
    expect(record.flagged).toBe(true);
    expect(record.suspicions).toMatchObject([
      {
        type: 'missedScan',
        rule: 'missedScan.noBeep',
        outcome: 'escalated',
        evidence: { startMs: T0 + 1500, endMs: T0 + 3400, trackIds: [1] },
      },
    ]);
    expect(toOrderVideoRecord(order, at).flagged).toBe(false);
    // The store server takes it as it is, and refuses a suspicion that carries anything else.
    expect(checkRecord(JSON.parse(JSON.stringify(record)))).toMatchObject({ ok: true });
    const tampered = { ...record, suspicions: [{ ...record.suspicions[0], shopperFace: 'x' }] };
    expect(checkRecord(tampered)).toEqual({
      ok: false,
      error: 'suspicions[0].shopperFace is not a known field',
    });
    const badOutcome = { ...record, suspicions: [{ ...record.suspicions[0], outcome: 'guilty' }] };
    expect(checkRecord(badOutcome)).toEqual({
      ok: false,
      error: 'suspicions[0].outcome is not a known outcome',
    });
  });
});
