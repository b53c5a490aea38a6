/**
 * The tracker's events through the real fusion engine: the contract is only right if the
 * engine draws the right conclusions from what the tracker says about synthetic lanes.
 */
import { describe, expect, it } from 'vitest';
import { FusionEngine } from '../fusion/engine.ts';
import type { Suspicion } from '../fusion/types.ts';
import type { PosEvent } from '../pos/events.ts';
import type { PerceptionEvent } from './events.ts';
import { PerceptionTracker } from './tracker.ts';
import {
  path,
  reachAndCarryOut,
  renderScene,
  TEST_ZONES,
  type HandScript,
  type Scene,
} from './tracker.testkit.ts';

const T0 = Date.UTC(2026, 10, 22, 8, 0, 0);
const GTIN = '6901234567892';

type Body<E> = E extends PosEvent ? Omit<E, 'v' | 'lane' | 'txn' | 'seq' | 'at'> : never;
type PosBody = { ms: number; event: Body<PosEvent> };

function fuse(scene: Scene, pos: PosBody[]): Suspicion[] {
  const tracker = new PerceptionTracker(TEST_ZONES);
  const perception: PerceptionEvent[] = renderScene({ ...scene, startMs: T0 }).flatMap((f) =>
    tracker.push(f),
  );
  const stream: { atMs: number; pos?: PosEvent; perception?: PerceptionEvent }[] = [
    ...perception.map((p) => ({ atMs: p.atMs, perception: p })),
    ...pos.map((p, i) => ({
      atMs: T0 + p.ms,
      pos: {
        ...p.event,
        v: 1,
        lane: 'L01',
        txn: 'T1',
        seq: i + 1,
        at: new Date(T0 + p.ms).toISOString(),
      } as PosEvent,
    })),
  ].sort((a, b) => a.atMs - b.atMs);
  const engine = new FusionEngine();
  const raised: Suspicion[] = [];
  let clock = T0;
  const tickTo = (limit: number) => {
    for (; clock <= limit; clock += 100) raised.push(...engine.tick(clock));
  };
  for (const e of stream) {
    tickTo(e.atMs);
    if (e.pos) raised.push(...engine.onPos(e.pos, e.atMs));
    if (e.perception) raised.push(...engine.onPerception(e.perception));
  }
  tickTo(clock + 30_000);
  return raised.filter((s) => !s.resolved);
}

const started: PosBody = { ms: 0, event: { type: 'transaction.started' } };
const scanned = (ms: number): PosBody => ({
  ms,
  event: { type: 'item.added', line: 1, gtin: GTIN, name: 'Milk', unitPrice: 500, qty: 1 },
});

const scanTrip: HandScript = {
  keys: path(500, [
    ['ownBag', 0, 0.1],
    ['pickup', 500, 0.1],
    ['pickup', 300, 0.9],
    ['scanner', 500, 0.9],
    ['scanner', 700, 0.9],
    ['bagging', 500, 0.9],
    ['bagging', 300, 0.1],
    ['ownBag', 600, 0.1],
  ]),
};
const bypass: HandScript = {
  keys: path(500, [
    ['pickup', 0, 0.1],
    ['pickup', 300, 0.9],
    ['around', 600, 0.9],
    ['bagging', 600, 0.9],
    ['bagging', 300, 0.1],
    ['ownBag', 600, 0.1],
  ]),
};
const landed = [{ t: 3000, level: 0.14 }];

describe('tracker events through the fusion engine', () => {
  it('an item scanned while it is over the scanner raises nothing', () => {
    expect(fuse({ durationMs: 8000, hands: [scanTrip], bag: landed }, [started, scanned(2000)])).toEqual([]);
  });

  it('the same trip with no beep is a missed scan', () => {
    const raised = fuse({ durationMs: 8000, hands: [scanTrip], bag: landed }, [started]);
    expect(raised.map((s) => s.rule)).toEqual(['missedScan.noBeep']);
  });

  it('an object lifted from pick-up by a hand reaching from above and carried out over the bag: missed scan unless scanned', () => {
    const lift = reachAndCarryOut(500, 0.45, 0.9);
    expect(fuse({ durationMs: 6000, hands: [lift] }, [started]).map((s) => s.rule)).toEqual([
      'missedScan.noBeep',
    ]);
    expect(fuse({ durationMs: 6000, hands: [lift] }, [started, scanned(1500)])).toEqual([]);
  });

  it('a trip round the scanner with no beep is a no-scan', () => {
    const raised = fuse({ durationMs: 8000, hands: [bypass], bag: landed }, [started]);
    expect(raised.map((s) => s.rule)).toEqual(['noScan.bypass']);
  });

  it('an empty hand at the scanner, an own bag and a phone shown at the scanner raise nothing', () => {
    const emptyPass: HandScript = {
      keys: path(500, [
        ['pickup', 0, 0.1],
        ['scanner', 400, 0.1],
        ['ownBag', 600, 0.1],
      ]),
    };
    const ownBag: HandScript = {
      keys: path(2500, [
        ['ownBag', 0, 0.9],
        ['ownBag', 2500, 0.9],
        ['bagging', 600, 0.9],
        ['bagging', 300, 0.1],
        ['ownBag', 600, 0.1],
      ]),
    };
    const phone: HandScript = {
      keys: path(8000, [
        ['ownBag', 0, 0.9],
        ['ownBag', 2500, 0.9],
        ['scanner', 500, 0.9],
        ['scanner', 800, 0.9],
        ['ownBag', 500, 0.9],
        ['ownBag', 400, 0.1],
      ]),
    };
    const scene: Scene = {
      durationMs: 14_000,
      hands: [emptyPass, ownBag, phone],
      bag: [{ t: 6000, level: 0.3 }],
    };
    expect(fuse(scene, [started])).toEqual([]);
  });
});
