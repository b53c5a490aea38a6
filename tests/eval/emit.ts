/**
 * Collects one lane's simulated streams: POS events as the POS would send them, and perception
 * events as the vision worker would emit them (frame jitter, emission delay, confidence noise).
 */
import type { PosEvent } from '../../src/core/pos/events.ts';
import type { PerceptionEvent } from '../../src/core/perception/events.ts';
import type { NoiseModel } from './noise.ts';
import { clamp, type Rng } from './rng.ts';

export type StreamEvent =
  | { arriveMs: number; order: number; kind: 'pos'; event: PosEvent; atMs: number }
  | { arriveMs: number; order: number; kind: 'perception'; event: PerceptionEvent };

/** A perception event before the emitter adds version, times and confidence noise. */
export type RawPerception = PerceptionEvent extends infer E
  ? E extends PerceptionEvent
    ? Omit<E, 'v' | 'atMs' | 'confidence'> & { confidence?: number }
    : never
  : never;

type PosBody = PosEvent extends infer E
  ? E extends PosEvent
    ? Omit<E, 'v' | 'lane' | 'seq' | 'at'>
    : never
  : never;

export class Emitter {
  readonly events: StreamEvent[] = [];
  private order = 0;
  private trackId = 0;

  constructor(
    readonly rng: Rng,
    readonly noise: NoiseModel,
    readonly lane: string,
  ) {}

  newTrackId(): number {
    return ++this.trackId;
  }

  /** Confidence of a real detection. */
  realConfidence(): number {
    const [mean, sd] = this.noise.realConfidence;
    return clamp(this.rng.normal(mean, sd), 0.3, 0.99);
  }

  perceive(raw: RawPerception): void {
    const jitter = (): number => this.rng.normal(0, this.noise.frameJitterMs);
    const startMs = Math.round(raw.startMs + jitter());
    const endMs = Math.max(startMs, Math.round(raw.endMs + jitter()));
    const [lo, hi] = this.noise.perceptionDelayMs;
    const atMs = Math.round(endMs + this.rng.uniform(lo, hi));
    const event = {
      ...raw,
      v: 1,
      startMs,
      endMs,
      atMs,
      confidence: round2(raw.confidence ?? this.realConfidence()),
    } as PerceptionEvent;
    this.events.push({ arriveMs: atMs, order: this.order++, kind: 'perception', event });
  }

  /** A POS event at `atMs` on the POS clock; seq is assigned once the stream is sorted. */
  pos(body: PosBody, atMs: number): void {
    const ms = Math.round(atMs);
    const event = { ...body, v: 1, lane: this.lane, seq: 0, at: new Date(ms).toISOString() } as PosEvent;
    this.events.push({ arriveMs: ms, order: this.order++, kind: 'pos', event, atMs: ms });
  }

  /** Scanner-to-POS latency for a beep. */
  posLatency(): number {
    const [lo, hi] = this.noise.posLatencyMs;
    return this.rng.uniform(lo, hi);
  }

  /** Sorts by arrival and numbers POS events in arrival order, as a POS would. */
  finish(): StreamEvent[] {
    this.events.sort((a, b) => a.arriveMs - b.arriveMs || a.order - b.order);
    let seq = 0;
    for (const e of this.events) if (e.kind === 'pos') e.event.seq = ++seq;
    return this.events;
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
