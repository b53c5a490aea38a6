import { describe, expect, it } from 'vitest';
import { assessReduction } from './reduction.ts';
import { DEFAULT_FUSION_CONFIG } from '../config.ts';
import { LaneScript, T0 } from '../laneScript.testkit.ts';

const A = '6901234567892';

describe('assessReduction', () => {
  it('finds no shortfall when what is still rung up covers every unit seen (double scan)', () => {
    const v = assessReduction({
      units: 1,
      rungAfter: 1,
      physical: 1,
      returnsAvailable: 0,
      seenByCamera: true,
    });
    expect(v.shortfall).toBe(0);
  });

  it('counts each item taken back out of the bag against the voided units', () => {
    const v = assessReduction({
      units: 2,
      rungAfter: 0,
      physical: 2,
      returnsAvailable: 1,
      seenByCamera: true,
    });
    expect(v).toMatchObject({ shortfall: 1, returnsUsed: 1 });
  });

  it('never reports more than the units removed by this void', () => {
    const v = assessReduction({
      units: 1,
      rungAfter: 0,
      physical: 3,
      returnsAvailable: 0,
      seenByCamera: false,
    });
    expect(v.shortfall).toBe(1);
    expect(v.confidence).toBeLessThan(
      assessReduction({ units: 1, rungAfter: 0, physical: 3, returnsAvailable: 0, seenByCamera: true })
        .confidence,
    );
  });
});

function bagged(): LaneScript {
  return new LaneScript().pos(0, { type: 'transaction.started' }).trip(1, 2000).scan(2400, 1, A);
}

describe('reduction.notReturned in the engine', () => {
  it('flags a voided line whose item stays in the bag', () => {
    const { raised } = bagged().pos(10_000, { type: 'item.voided', line: 1 }).run();
    expect(raised.map((s) => s.rule)).toEqual(['reduction.notReturned']);
    const [s] = raised;
    expect(s?.subject).toMatchObject({ gtin: A, line: 1 });
    expect(s?.evidence.trackIds).toEqual([1]);
    expect(s?.windowClosedMs).toBe(T0 + 10_000 + DEFAULT_FUSION_CONFIG.reductionWindowMs);
    expect(s?.latencyMs).toBeGreaterThanOrEqual(DEFAULT_FUSION_CONFIG.reductionWindowMs);
  });

  it('accepts a void followed by the item going back to the pick-up side', () => {
    const s = bagged()
      .pos(10_000, { type: 'item.voided', line: 1 })
      .see(12_000, 12_400, { type: 'itemRemovedFromBagging', trackId: 1, toZone: 'pickup' });
    expect(s.run().raised).toEqual([]);
  });

  it('accepts the item taken out first and the line voided after', () => {
    const s = bagged()
      .see(9000, 9400, { type: 'itemRemovedFromBagging', trackId: 1, toZone: 'pickup' })
      .pos(11_000, { type: 'item.voided', line: 1 });
    expect(s.run().raised).toEqual([]);
  });

  it('does not count an item carried to the exit as put back', () => {
    const s = bagged()
      .pos(10_000, { type: 'item.voided', line: 1 })
      .see(12_000, 12_400, { type: 'itemRemovedFromBagging', trackId: 1, toZone: 'exit' });
    expect(s.run().raised.map((x) => x.type)).toEqual(['reduction']);
  });

  it('accepts a double scan (one item, two registrations) fixed by voiding the extra line', () => {
    const s = bagged().scan(2900, 2, A).pos(8000, { type: 'item.voided', line: 2 });
    expect(s.run().raised).toEqual([]);
  });

  it('accepts a double scan registered as a quantity bump and taken back down', () => {
    const s = bagged()
      .pos(2900, { type: 'item.quantityChanged', line: 1, qty: 2 })
      .pos(8000, { type: 'item.quantityChanged', line: 1, qty: 1 });
    expect(s.run().raised).toEqual([]);
  });

  it('flags a quantity reduced below the number of items bagged', () => {
    const s = bagged()
      .trip(2, 5000)
      .pos(5400, { type: 'item.quantityChanged', line: 1, qty: 2 })
      .pos(12_000, { type: 'item.quantityChanged', line: 1, qty: 1 });
    const { raised } = s.run();
    expect(raised.map((x) => x.rule)).toEqual(['reduction.notReturned']);
    expect(raised[0]?.evidence.trackIds.sort()).toEqual([1, 2]);
  });

  it('is closed by a late return or by ringing the product up again', () => {
    // Just after the wait for a put-back has run out.
    const afterWindow = 10_000 + DEFAULT_FUSION_CONFIG.reductionWindowMs + 2000;
    const late = bagged()
      .pos(10_000, { type: 'item.voided', line: 1 })
      .see(afterWindow, afterWindow + 300, { type: 'itemRemovedFromBagging', trackId: 1, toZone: 'pickup' })
      .run();
    expect(late.raised).toHaveLength(1);
    expect(late.resolved.map((r) => r.resolved)).toEqual(['selfCorrected']);
    const readded = bagged()
      .pos(10_000, { type: 'item.voided', line: 1 })
      .scan(afterWindow + 1000, 2, A)
      .run();
    expect(readded.resolved.map((r) => [r.id, r.resolvedBy?.posSeq !== undefined])).toEqual([
      [readded.raised[0]?.id, true],
    ]);
  });
});
