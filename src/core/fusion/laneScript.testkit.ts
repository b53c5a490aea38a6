/**
 * Test helper: write a lane's story as timed POS and perception events, then play it through a
 * FusionEngine the way a kiosk does (events in arrival order, tick every 100 ms).
 */
import { FusionEngine } from './engine.ts';
import type { FusionConfig } from './config.ts';
import type { Suspicion } from './types.ts';
import type { PosEvent } from '../pos/events.ts';
import type { PerceptionEvent } from '../perception/events.ts';

export const T0 = Date.UTC(2025, 2, 1, 2, 0, 0);
const TICK_MS = 100;
/** Perception events arrive this long after their last frame. */
export const PERCEPTION_DELAY_MS = 150;

/** A POS event without the envelope the script fills in. */
export type PosBody = PosEvent extends infer E
  ? E extends PosEvent
    ? Omit<E, 'v' | 'lane' | 'seq' | 'at' | 'txn'>
    : never
  : never;
/** A perception event without its times (and with an optional confidence). */
export type PerceptionBody = PerceptionEvent extends infer E
  ? E extends PerceptionEvent
    ? Omit<E, 'v' | 'atMs' | 'startMs' | 'endMs' | 'confidence'> & { confidence?: number }
    : never
  : never;

interface Entry {
  arriveMs: number;
  order: number;
  pos?: PosEvent;
  perception?: PerceptionEvent;
}

export class LaneScript {
  private readonly entries: Entry[] = [];
  private seq = 0;
  private order = 0;
  txn = 'T1';

  /** POS event at `ms` after T0. */
  pos(ms: number, body: PosBody, txn = this.txn): this {
    const at = T0 + ms;
    const event = { ...body, v: 1, lane: 'L01', txn, seq: 0, at: new Date(at).toISOString() } as PosEvent;
    this.entries.push({ arriveMs: at, order: this.order++, pos: event });
    return this;
  }

  /** Perception event with frames `fromMs`..`toMs` after T0. */
  see(fromMs: number, toMs: number, body: PerceptionBody): this {
    const endMs = T0 + toMs;
    const event = {
      confidence: 0.9,
      ...body,
      v: 1,
      startMs: T0 + fromMs,
      endMs,
      atMs: endMs + PERCEPTION_DELAY_MS,
    } as PerceptionEvent;
    this.entries.push({ arriveMs: event.atMs, order: this.order++, perception: event });
    return this;
  }

  /** A whole honest-looking trip: pass + gesture over the scanner, move, landing. */
  trip(
    trackId: number,
    fromMs: number,
    opts: { scanner?: boolean; count?: number; dwellMs?: number } = {},
  ): this {
    const scanner = opts.scanner ?? true;
    const passEnd = fromMs + 500 + (opts.dwellMs ?? 0);
    if (scanner) {
      this.see(fromMs, passEnd, {
        type: 'itemPassedScanner',
        trackId,
        fromZone: 'pickup',
        holdingItem: true,
        dwellMs: passEnd - fromMs,
      });
      this.see(fromMs + 100, passEnd - 100, { type: 'scanMotion', trackId });
    }
    this.see(fromMs - 500, passEnd + 700, { type: 'itemMovedPickupToBagging', trackId, viaScanner: scanner });
    this.see(passEnd + 700, passEnd + 900, {
      type: 'itemPlacedInBagging',
      trackId,
      count: opts.count ?? 1,
      fromZone: scanner ? 'scanner' : 'pickup',
    });
    return this;
  }

  /** item.added for a line, `ms` after T0. */
  scan(
    ms: number,
    line: number,
    gtin: string,
    name = `product ${gtin}`,
    extra: { weight?: number } = {},
  ): this {
    return this.pos(ms, { type: 'item.added', line, gtin, name, unitPrice: 500, qty: 1, ...extra });
  }

  /** Plays everything (plus `tailMs` of ticks) through a fresh engine. */
  run(
    config: Partial<FusionConfig> = {},
    tailMs = 60_000,
  ): { raised: Suspicion[]; resolved: Suspicion[]; engine: FusionEngine } {
    const engine = new FusionEngine(config);
    const raised: Suspicion[] = [];
    const resolved: Suspicion[] = [];
    const collect = (list: Suspicion[]): void => {
      for (const s of list) (s.resolved ? resolved : raised).push(s);
    };
    const sorted = [...this.entries].sort((a, b) => a.arriveMs - b.arriveMs || a.order - b.order);
    let clock = T0 - TICK_MS;
    const tickTo = (limit: number): void => {
      while (clock + TICK_MS <= limit) {
        clock += TICK_MS;
        collect(engine.tick(clock));
      }
    };
    for (const e of sorted) {
      tickTo(e.arriveMs);
      if (e.pos) collect(engine.onPos(e.pos, e.arriveMs));
      if (e.perception) collect(engine.onPerception(e.perception));
    }
    tickTo((sorted[sorted.length - 1]?.arriveMs ?? T0) + tailMs);
    return { raised, resolved, engine };
  }
}
