/**
 * The recorder's perception events are stamped on its monotonic clock (performance.timeOrigin +
 * performance.now(), shared by page and worker); the fusion engine compares them with POS times
 * (Date.parse(event.at), epoch). Shifting by the offset between the two at arrival keeps a
 * wall-clock step from tearing one batch apart.
 */

/** Times every perception event carries. */
interface Timed {
  atMs: number;
  startMs: number;
  endMs: number;
}

/** Copies of `events` with every time moved by `offsetMs`; anything without the three times is passed on as is (the engine's validation rejects it with a message). */
export function shiftTimes(events: readonly unknown[], offsetMs: number): unknown[] {
  return events.map((e) => {
    if (typeof e !== 'object' || e === null) return e;
    const t = e as Partial<Timed>;
    if (typeof t.atMs !== 'number' || typeof t.startMs !== 'number' || typeof t.endMs !== 'number') return e;
    return { ...e, atMs: t.atMs + offsetMs, startMs: t.startMs + offsetMs, endMs: t.endMs + offsetMs };
  });
}
