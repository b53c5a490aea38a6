/**
 * Two clocks meet at the recorder: callers speak epoch ms (Date.now(), what the lane controller and
 * ClipMeta use), the worker stamps frames on a monotonic clock (performance.timeOrigin +
 * performance.now(), the same in page and worker, never stepped by NTP). Conversions use the offset
 * between them at the moment of the call, so a wall-clock step only shifts future marks.
 */
export interface ClockSource {
  epochNow(): number;
  monoNow(): number;
}

export const browserClock: ClockSource = {
  epochNow: () => Date.now(),
  monoNow: () => performance.timeOrigin + performance.now(),
};

export function epochToMono(epochMs: number, clock: ClockSource = browserClock): number {
  return epochMs - (clock.epochNow() - clock.monoNow());
}

export function monoToEpoch(monoMs: number, clock: ClockSource = browserClock): number {
  return monoMs + (clock.epochNow() - clock.monoNow());
}
