import { describe, expect, it } from 'vitest';
import { FusionEngine } from './engine.ts';
import { LaneScript, T0 } from './laneScript.testkit.ts';

const A = '6901234567892';

function missed(): LaneScript {
  return new LaneScript().pos(0, { type: 'transaction.started' }).trip(1, 2000);
}

describe('FusionEngine', () => {
  it('is deterministic: the same streams give the same suspicions, ids included', () => {
    const script = missed().trip(2, 6000, { scanner: false }).pos(9000, { type: 'item.voided', line: 1 });
    expect(script.run().raised).toEqual(script.run().raised);
  });

  it('decides only from tick: event handlers alone raise nothing for a missed scan', () => {
    const engine = new FusionEngine();
    const base = { v: 1 as const, confidence: 0.9 };
    const out = [
      ...engine.onPerception({
        ...base,
        type: 'itemPassedScanner',
        trackId: 1,
        fromZone: 'pickup',
        holdingItem: true,
        atMs: T0 + 600,
        startMs: T0,
        endMs: T0 + 500,
      }),
      ...engine.onPerception({
        ...base,
        type: 'itemMovedPickupToBagging',
        trackId: 1,
        viaScanner: true,
        atMs: T0 + 1300,
        startMs: T0 - 500,
        endMs: T0 + 1200,
      }),
    ];
    expect(out).toEqual([]);
    expect(engine.nextDueMs()).toBe(T0 + 500 + engine.config.scanMatchWindowMs);
    expect(engine.tick(T0 + 2400)).toEqual([]);
    expect(engine.tick(T0 + 2500).map((s) => s.rule)).toEqual(['missedScan.noBeep']);
  });

  it('marks a missed scan self-corrected when the shopper takes the item back and scans it', () => {
    const { raised, resolved } = missed()
      .see(7000, 7300, { type: 'itemRemovedFromBagging', trackId: 1, toZone: 'pickup' })
      .trip(1, 8000)
      .scan(8400, 1, A)
      .run();
    expect(raised.map((s) => s.rule)).toEqual(['missedScan.noBeep']);
    expect(resolved).toHaveLength(1);
    expect(resolved[0]).toMatchObject({ id: raised[0]?.id, resolved: 'selfCorrected' });
    expect(resolved[0]?.resolvedBy?.posSeq).toBeTypeOf('number');
  });

  it('does not take an unrelated later scan as a correction', () => {
    const { resolved } = missed().trip(2, 8000).scan(8400, 1, A).run();
    expect(resolved).toEqual([]);
  });

  it('resolves by product when the gallery recognised the missed item', () => {
    const { raised, resolved } = missed()
      .see(2000, 2500, { type: 'itemAppearance', trackId: 1, matchGtin: A, matchScore: 0.9 })
      .scan(9000, 1, A)
      .run();
    expect(raised).toHaveLength(1);
    expect(resolved.map((r) => r.resolved)).toEqual(['selfCorrected']);
  });

  it('retracts a suspicion when the track turns out not to be goods', () => {
    const { raised, resolved } = missed()
      .see(6000, 6300, { type: 'nonItemObject', trackId: 1, kind: 'phone', confidence: 0.8 })
      .run();
    expect(raised).toHaveLength(1);
    expect(resolved.map((r) => [r.id, r.resolved])).toEqual([[raised[0]?.id, 'retracted']]);
  });

  it('attributes evidence to the open transaction and never to the next one', () => {
    const s = new LaneScript()
      .pos(0, { type: 'transaction.started' }, 'T1')
      .trip(1, 2000)
      .scan(2400, 1, A)
      .pos(5000, { type: 'payment.started', amount: 500 }, 'T1')
      .pos(7000, { type: 'payment.succeeded', amount: 500 }, 'T1')
      .pos(7500, { type: 'transaction.ended' }, 'T1')
      .pos(30_000, { type: 'transaction.started' }, 'T2')
      .trip(2, 32_000, { scanner: false });
    expect(s.run().raised.map((x) => [x.txn, x.type])).toEqual([['T2', 'noScan']]);
  });

  it('keeps its memory flat over a long lane', () => {
    const s = new LaneScript();
    for (let i = 0; i < 200; i++) {
      const t0 = i * 40_000;
      s.txn = `T${i}`;
      s.pos(t0, { type: 'transaction.started' })
        .trip(i * 10 + 1, t0 + 2000)
        .scan(t0 + 2400, 1, A);
      s.pos(t0 + 6000, { type: 'payment.succeeded', amount: 500 }).pos(t0 + 6500, {
        type: 'transaction.ended',
      });
    }
    const { raised, engine } = s.run();
    expect(raised).toEqual([]);
    // White-box: nothing older than the retention period is kept.
    const inner = engine as unknown as { tracks: { records: unknown[] }; ledger: { scans: unknown[] } };
    const perWindow = Math.ceil(engine.config.retentionMs / 40_000) + 2;
    expect(inner.tracks.records.length).toBeLessThanOrEqual(perWindow);
    expect(inner.ledger.scans.length).toBeLessThanOrEqual(perWindow);
  });
});
