import { describe, expect, it } from 'vitest';
import { assessUnpaid } from './unpaid.ts';
import { LaneScript } from '../laneScript.testkit.ts';

const A = '6901234567892';
const exit = { startMs: 0, endMs: 1, confidence: 0.9 };

describe('assessUnpaid', () => {
  it('needs goods rung up, no payment and something carried out', () => {
    const base = { paid: false, rungUnits: 3, exits: [exit], returns: 0, triggerConfidence: 0.9 };
    expect(assessUnpaid(base)?.confidence).toBeCloseTo(0.81, 5);
    expect(assessUnpaid({ ...base, paid: true })).toBeUndefined();
    expect(assessUnpaid({ ...base, rungUnits: 0 })).toBeUndefined();
    expect(assessUnpaid({ ...base, exits: [] })).toBeUndefined();
  });

  it('treats unpacking most goods back to pick-up as leaving them', () => {
    const base = { paid: false, rungUnits: 4, exits: [exit], triggerConfidence: 0.9 };
    expect(assessUnpaid({ ...base, returns: 2 })).toBeUndefined();
    expect(assessUnpaid({ ...base, returns: 1 })).toBeDefined();
  });
});

function shopped(): LaneScript {
  return new LaneScript()
    .pos(0, { type: 'transaction.started' })
    .trip(1, 2000)
    .scan(2400, 1, A)
    .trip(2, 6000)
    .scan(6400, 2, '6900000000017');
}

describe('unpaid rules in the engine', () => {
  it('flags a shopper leaving with bagged goods and nothing paid', () => {
    const { raised } = shopped()
      .see(12_000, 12_400, { type: 'itemRemovedFromBagging', trackId: 1, toZone: 'exit' })
      .see(15_000, 15_500, { type: 'shopperLeft' })
      .run();
    expect(raised.map((s) => s.rule)).toEqual(['unpaid.leftWithGoods']);
    expect(raised[0]?.evidence.posSeqs).toHaveLength(2);
  });

  it('falls back to the POS cancelling the order when nobody was seen leaving', () => {
    const { raised } = shopped()
      .see(12_000, 12_400, { type: 'itemRemovedFromBagging', trackId: 1, toZone: 'exit' })
      .pos(80_000, { type: 'transaction.cancelled', reason: 'timeout' })
      .run();
    expect(raised.map((s) => s.rule)).toEqual(['unpaid.cancelled']);
  });

  it('does not flag stepping away and coming back to pay', () => {
    const s = shopped()
      .see(10_000, 10_500, { type: 'shopperLeft' })
      .trip(3, 40_000)
      .scan(40_400, 3, '6900000000024')
      .pos(45_000, { type: 'payment.started', amount: 1500 })
      .pos(48_000, { type: 'payment.succeeded', amount: 1500 })
      .see(50_000, 50_400, { type: 'itemRemovedFromBagging', trackId: 1, toZone: 'exit' })
      .see(52_000, 52_400, { type: 'shopperLeft' });
    expect(s.run().raised).toEqual([]);
  });

  it('does not flag a full bag moved to the cart before scanning goes on', () => {
    const s = shopped()
      .see(8000, 8400, { type: 'itemRemovedFromBagging', trackId: 1, toZone: 'exit' })
      .trip(3, 10_000)
      .scan(10_400, 3, '6900000000024')
      .pos(14_000, { type: 'transaction.cancelled', reason: 'customer' })
      .see(17_000, 17_400, { type: 'shopperLeft' });
    expect(s.run().raised).toEqual([]);
  });

  it('does not flag an abandoned order whose goods were unpacked back to pick-up', () => {
    const s = shopped()
      .pos(10_000, { type: 'transaction.cancelled', reason: 'customer' })
      .see(11_000, 11_300, { type: 'itemRemovedFromBagging', trackId: 1, toZone: 'pickup' })
      .see(12_000, 12_300, { type: 'itemRemovedFromBagging', trackId: 2, toZone: 'pickup' })
      .see(13_000, 13_300, { type: 'nonItemObject', trackId: 9, kind: 'bag' })
      .see(13_000, 13_300, { type: 'itemRemovedFromBagging', trackId: 9, toZone: 'exit' })
      .see(15_000, 15_400, { type: 'shopperLeft' });
    expect(s.run().raised).toEqual([]);
  });

  it('is closed when the shopper comes back and pays', () => {
    const { raised, resolved } = shopped()
      .see(12_000, 12_400, { type: 'itemRemovedFromBagging', trackId: 1, toZone: 'exit' })
      .see(15_000, 15_500, { type: 'shopperLeft' })
      .pos(40_000, { type: 'payment.started', amount: 1000 })
      .pos(42_000, { type: 'payment.succeeded', amount: 1000 })
      .run();
    expect(raised).toHaveLength(1);
    expect(resolved.map((r) => [r.id, r.resolved])).toEqual([[raised[0]?.id, 'selfCorrected']]);
  });
});
