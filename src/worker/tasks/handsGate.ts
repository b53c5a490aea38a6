import type { ZoneName } from '../../core/lane/zones.ts';

export interface HandsGateOptions {
  /** A zone "moved" when at least this fraction of its cells changed since the last frame. */
  zoneMotion: number;
  /** Without zones, the whole image must move this much. */
  globalMotion: number;
  /** Keep running the hand model this long after the last frame with a hand in it. */
  handHoldMs: number;
  /** Even on a still lane, look once this often (a hand that came in between frames, slowly). */
  probeMs: number;
}

export const DEFAULT_HANDS_GATE: Readonly<HandsGateOptions> = Object.freeze({
  zoneMotion: 0.004,
  globalMotion: 0.002,
  handHoldMs: 1500,
  probeMs: 2000,
});

export interface GateInput {
  tMs: number;
  /** Per-zone motion, or null when no zones are drawn. */
  zoneMotion: Partial<Record<ZoneName, number>> | null;
  globalMotion: number;
}

/** What the hands task asks of a gate (HandsGate live; src/review/reviewGate.ts for stored clips). */
export interface HandsGatePolicy {
  shouldRun(input: GateInput): boolean;
  ran(tMs: number, hands: number): void;
  reset(): void;
}

/**
 * Motion gating of the hand model: the landmarker (the expensive part, tens of ms) runs only
 * while something moves in a zone or a hand was seen recently, so an idle kiosk costs the zone
 * analysis alone (well under a millisecond per frame).
 */
export class HandsGate implements HandsGatePolicy {
  private lastHandMs = -Infinity;
  private lastRunMs = -Infinity;

  constructor(private readonly opts: HandsGateOptions = DEFAULT_HANDS_GATE) {}

  /** Whether to run the hand model on this frame; call ran() when it did. */
  shouldRun({ tMs, zoneMotion, globalMotion }: GateInput): boolean {
    if (tMs - this.lastHandMs <= this.opts.handHoldMs) return true;
    if (tMs - this.lastRunMs >= this.opts.probeMs) return true;
    if (zoneMotion === null) return globalMotion >= this.opts.globalMotion;
    return Object.values(zoneMotion).some((m) => m >= this.opts.zoneMotion);
  }

  ran(tMs: number, hands: number): void {
    this.lastRunMs = tMs;
    if (hands > 0) this.lastHandMs = tMs;
  }

  reset(): void {
    this.lastHandMs = -Infinity;
    this.lastRunMs = -Infinity;
  }
}
