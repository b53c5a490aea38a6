/**
 * Test helper: a lane story (POS and perception events at times after T0) played through a
 * LaneWatch with a fake clock and fake timers, the way the kiosk runs it: events arrive in time
 * order, and the watch's own timer fires exactly when it asked.
 */
import { LaneWatch, type LaneSignal, type LaneWatchDeps } from './laneWatch.ts';
import { DEFAULT_VISION_CONFIG, type VisionConfig } from './laneWatchConfig.ts';
import type { PosEvent } from '../core/pos/events.ts';
import type { PerceptionEvent } from '../core/perception/events.ts';
import { PERCEPTION_DELAY_MS, type PerceptionBody, type PosBody } from '../core/fusion/laneScript.testkit.ts';

export const T0 = Date.UTC(2026, 10, 22, 8, 0, 0);
interface Timer {
  id: number;
  atMs: number;
  fn: () => void;
}

/** What the watch did, in order, with the fake time it happened at (ms after T0). */
export type Effect =
  | { at: number; kind: 'prompt'; prompt: string }
  | { at: number; kind: 'lane'; signal: LaneSignal }
  | { at: number; kind: 'nudge'; stage: 'nudge' | 'guide' | null; type?: string };

export class LaneStory {
  readonly effects: Effect[] = [];
  readonly logs: string[] = [];
  readonly changed: string[] = [];
  readonly watch: LaneWatch;
  private nowMs = T0;
  private timers: Timer[] = [];
  private nextId = 1;
  private seq = 0;
  private readonly queue: { atMs: number; order: number; run: () => void }[] = [];
  private order = 0;
  txn = 'T1';

  constructor(vision: Partial<VisionConfig> = {}, extra: Partial<LaneWatchDeps> = {}) {
    this.watch = new LaneWatch({
      vision: { ...DEFAULT_VISION_CONFIG, ...vision },
      now: () => this.nowMs,
      setTimer: (fn, ms) => {
        const t = { id: this.nextId++, atMs: this.nowMs + ms, fn };
        this.timers.push(t);
        return t.id;
      },
      clearTimer: (h) => {
        this.timers = this.timers.filter((t) => t.id !== h);
      },
      playPrompt: (prompt) => this.effects.push({ at: this.rel(), kind: 'prompt', prompt }),
      signalLane: (signal) => this.effects.push({ at: this.rel(), kind: 'lane', signal }),
      onSuspicionsChanged: (txn) => this.changed.push(txn),
      log: (m) => this.logs.push(m),
      ...extra,
    });
    this.watch.nudge.subscribe((n) =>
      this.effects.push(
        n
          ? { at: this.rel(), kind: 'nudge', stage: n.stage, type: n.type }
          : { at: this.rel(), kind: 'nudge', stage: null },
      ),
    );
  }

  /** POS event at `ms` after T0 (arrives then). */
  pos(ms: number, body: PosBody, txn = this.txn): this {
    const at = T0 + ms;
    const event = {
      ...body,
      v: 1,
      lane: 'L01',
      txn,
      seq: ++this.seq,
      at: new Date(at).toISOString(),
    } as PosEvent;
    return this.at(at, () => this.watch.onPos(event));
  }

  scan(ms: number, line: number, gtin: string, qty = 1): this {
    return this.pos(ms, { type: 'item.added', line, gtin, name: `product ${gtin}`, unitPrice: 500, qty });
  }

  /** Perception event with frames `fromMs`..`toMs` after T0, arriving a little later. */
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
    return this.at(event.atMs, () => this.watch.onPerception([event]));
  }

  /** An item carried over the scanner (pass + gesture) into the bag. */
  trip(trackId: number, fromMs: number, opts: { scanner?: boolean } = {}): this {
    const scanner = opts.scanner ?? true;
    const passEnd = fromMs + 500;
    if (scanner) {
      this.see(fromMs, passEnd, {
        type: 'itemPassedScanner',
        trackId,
        fromZone: 'pickup',
        holdingItem: true,
      });
      this.see(fromMs + 100, passEnd - 100, { type: 'scanMotion', trackId });
    }
    this.see(fromMs - 500, passEnd + 700, { type: 'itemMovedPickupToBagging', trackId, viaScanner: scanner });
    return this.see(passEnd + 700, passEnd + 900, {
      type: 'itemPlacedInBagging',
      trackId,
      count: 1,
      fromZone: scanner ? 'scanner' : 'pickup',
    });
  }

  /** Something to do at `ms` after T0 (e.g. the shopper tapping the nudge). */
  act(ms: number, fn: (watch: LaneWatch) => void): this {
    return this.at(T0 + ms, () => fn(this.watch));
  }

  /** Plays everything queued, then lets `tailMs` of fake time pass. */
  run(tailMs = 30_000): this {
    const sorted = this.queue.splice(0).sort((a, b) => a.atMs - b.atMs || a.order - b.order);
    for (const e of sorted) {
      this.advanceTo(e.atMs);
      e.run();
    }
    this.advanceTo(this.nowMs + tailMs);
    return this;
  }

  signals(): LaneSignal[] {
    return this.effects.flatMap((e) => (e.kind === 'lane' ? [e.signal] : []));
  }

  prompts(): string[] {
    return this.effects.flatMap((e) => (e.kind === 'prompt' ? [e.prompt] : []));
  }

  private at(atMs: number, run: () => void): this {
    this.queue.push({ atMs, order: this.order++, run });
    return this;
  }

  private advanceTo(atMs: number): void {
    for (;;) {
      const next = this.timers
        .filter((t) => t.atMs <= atMs)
        .sort((a, b) => a.atMs - b.atMs || a.id - b.id)[0];
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.nowMs = Math.max(this.nowMs, next.atMs);
      next.fn();
    }
    this.nowMs = Math.max(this.nowMs, atMs);
  }

  private rel(): number {
    return this.nowMs - T0;
  }
}
