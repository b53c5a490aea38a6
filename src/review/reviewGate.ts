import type { ZoneName } from '../core/lane/zones.ts';
import type { GateInput, HandsGatePolicy } from '../worker/tasks/handsGate.ts';

/**
 * When to run the hand model while reviewing a stored clip faster than real time. The live gate
 * (src/worker/tasks/handsGate.ts) runs the model on every frame while a hand is in view, which on
 * a busy lane is nearly every frame; a review can afford far fewer runs because the zone motion on
 * the cheap 128x72 grid still sees every kept frame:
 * - idle (nothing moves, no hand lately): one probe every `probeMs`;
 * - active (a zone moves or a hand was seen within `handHoldMs`): one run per `activeIntervalMs`;
 * - crossing (one of `crossingZones` starts moving: something enters the scanner or the bag): one
 *   run per `crossingIntervalMs` for `crossingWindowMs`, because zone entries are what the
 *   tracker's scanner and bagging rules read, and they last only a few frames. A zone starts
 *   moving at `crossingMotion` and counts as still again only after `crossingQuietMs` below
 *   `zoneMotion` (hysteresis: motion flickering around one threshold is not a crossing).
 */
export interface ReviewGateOptions {
  /** A zone moves when at least this fraction of its cells changed since the previous kept frame. */
  zoneMotion: number;
  activeIntervalMs: number;
  crossingIntervalMs: number;
  crossingWindowMs: number;
  crossingMotion: number;
  crossingQuietMs: number;
  handHoldMs: number;
  probeMs: number;
}

/**
 * Frame times come quantised (µs timestamps, 1000/12 ms steps summed in floating point): an
 * interval "due" a hair early still counts, or a 333 ms spacing would silently become 417 ms.
 */
const JITTER_MS = 2;

export type ReviewGateMode = 'idle' | 'active' | 'crossing';

export class ReviewGate implements HandsGatePolicy {
  private lastHandMs = -Infinity;
  private lastRunMs = -Infinity;
  private crossingUntilMs = -Infinity;
  private primed = false;
  /** Why the last shouldRun() answered as it did (for the review's run log). */
  lastMode: ReviewGateMode = 'idle';

  private readonly zoneState = new Map<ZoneName, { moving: boolean; quietSinceMs: number }>();

  constructor(
    private readonly opts: Readonly<ReviewGateOptions>,
    private readonly crossingZones: readonly ZoneName[] = ['scanner', 'bagging'],
  ) {
    for (const [key, value] of Object.entries(opts)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
        throw new RangeError(`review gate: ${key} must be a finite number >= 0, got ${String(value)}`);
    }
  }

  shouldRun({ tMs, zoneMotion, globalMotion }: GateInput): boolean {
    const moving = movingZones(zoneMotion, globalMotion, this.opts.zoneMotion);
    // The first frame sets the baseline: a clip that opens mid-move is "active", not a crossing.
    if (this.crossed(tMs, zoneMotion) && this.primed) this.crossingUntilMs = tMs + this.opts.crossingWindowMs;
    this.primed = true;
    const since = tMs - this.lastRunMs + JITTER_MS;
    if (tMs <= this.crossingUntilMs) {
      this.lastMode = 'crossing';
      return since >= this.opts.crossingIntervalMs;
    }
    if (moving !== '' || tMs - this.lastHandMs <= this.opts.handHoldMs) {
      this.lastMode = 'active';
      return since >= this.opts.activeIntervalMs;
    }
    this.lastMode = 'idle';
    return since >= this.opts.probeMs;
  }

  /** Whether a crossing zone started moving on this frame (and the zones' hysteresis state). */
  private crossed(tMs: number, zoneMotion: Partial<Record<ZoneName, number>> | null): boolean {
    let started = false;
    for (const zone of this.crossingZones) {
      const m = zoneMotion?.[zone] ?? 0;
      const st = this.zoneState.get(zone) ?? { moving: false, quietSinceMs: tMs };
      if (!st.moving && m >= this.opts.crossingMotion) {
        st.moving = true;
        started = true;
      }
      if (m >= this.opts.zoneMotion) st.quietSinceMs = tMs;
      else if (st.moving && tMs - st.quietSinceMs >= this.opts.crossingQuietMs) st.moving = false;
      this.zoneState.set(zone, st);
    }
    return started;
  }

  ran(tMs: number, hands: number): void {
    this.lastRunMs = tMs;
    if (hands > 0) this.lastHandMs = tMs;
  }

  reset(): void {
    this.lastHandMs = -Infinity;
    this.lastRunMs = -Infinity;
    this.crossingUntilMs = -Infinity;
    this.zoneState.clear();
    this.primed = false;
    this.lastMode = 'idle';
  }
}

/** The moving zones as one sorted key ('' = none); without zones, '*' while the image moves. */
function movingZones(
  zoneMotion: Partial<Record<ZoneName, number>> | null,
  globalMotion: number,
  threshold: number,
): string {
  if (zoneMotion === null) return globalMotion >= threshold ? '*' : '';
  return (Object.entries(zoneMotion) as [ZoneName, number | undefined][])
    .filter(([, m]) => (m ?? 0) >= threshold)
    .map(([z]) => z)
    .sort()
    .join(',');
}
