import { describe, expect, it } from 'vitest';
import { FrameRing, REPLAY_WINDOW_MS } from './replayRing.ts';
import { LaneScript, T0 } from '../core/fusion/laneScript.testkit.ts';
import type { Suspicion } from '../core/fusion/types.ts';

/** NudgeOverlay's MARGIN_MS: it asks for the evidence plus 1 s either side. */
const OVERLAY_MARGIN_MS = 1000;
const FRAME_MS = 125; // the ring's 8 fps

class Frame {
  close(): void {}
}

/** A ring of `windowMs` fed at 8 fps up to the moment the nudge shows; the frames the overlay gets. */
function replayAtNudge(s: Suspicion, windowMs: number): number[] {
  const ring = new FrameRing<Frame>(windowMs, Math.ceil((windowMs / 1000) * 8) + 2);
  for (let t = T0 - 5000; t <= s.raisedAtMs; t += FRAME_MS) ring.push(t, new Frame());
  return ring
    .between(s.evidence.startMs - OVERLAY_MARGIN_MS, s.evidence.endMs + OVERLAY_MARGIN_MS)
    .map((f) => f.atMs);
}

/** The first suspicion the real engine raises for a lane story with nothing rung up. */
function firstSuspicion(script: LaneScript): Suspicion {
  const { raised } = script.pos(0, { type: 'transaction.started' }).run();
  expect(raised.length).toBeGreaterThan(0);
  return raised[0]!;
}

describe('replay window against the fusion engine decision time', () => {
  const cases: [string, () => LaneScript][] = [
    ['a quick trip over the scanner into the bag', () => new LaneScript().trip(1, 2000)],
    // The bottle video's lift lingers 1.4 s in the scanner band: the engine waits the weighed window.
    [
      'an item resting 1.5 s on the scanner, then bagged',
      () => new LaneScript().trip(1, 2000, { dwellMs: 1500 }),
    ],
  ];

  for (const [name, story] of cases) {
    it(`still holds every frame of the evidence when the nudge shows: ${name}`, () => {
      const s = firstSuspicion(story());
      const frames = replayAtNudge(s, REPLAY_WINDOW_MS);
      const from = s.evidence.startMs - OVERLAY_MARGIN_MS;
      const to = s.evidence.endMs + OVERLAY_MARGIN_MS;
      expect(frames.length).toBeGreaterThanOrEqual(Math.floor((to - from) / FRAME_MS));
      expect(frames[0]! - from).toBeLessThan(FRAME_MS);
      expect(to - frames[frames.length - 1]!).toBeLessThan(FRAME_MS);
    });
  }

  it('a 6 s ring (the old size) had lost a weighed item by the time its nudge showed', () => {
    const s = firstSuspicion(new LaneScript().trip(1, 2000, { dwellMs: 1500 }));
    expect(s.raisedAtMs - s.evidence.endMs).toBeGreaterThan(6000);
    expect(replayAtNudge(s, 6000)).toEqual([]);
  });
});
