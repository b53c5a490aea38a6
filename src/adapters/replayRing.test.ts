import { describe, expect, it } from 'vitest';
import { FrameRing } from './replayRing.ts';

class Frame {
  closed = false;
  constructor(readonly n: number) {}
  close(): void {
    this.closed = true;
  }
}

describe('FrameRing', () => {
  it('keeps only the last window of frames and closes the ones it drops', () => {
    const ring = new FrameRing<Frame>(1000, 100);
    const frames = Array.from({ length: 20 }, (_, i) => new Frame(i));
    frames.forEach((f, i) => ring.push(i * 125, f));
    // Newest at 2375 ms: frames from 1375 ms on stay.
    expect(ring.between(0, Infinity).map((f) => f.frame.n)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(frames.filter((f) => f.closed).map((f) => f.n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('never holds more than its frame cap', () => {
    const ring = new FrameRing<Frame>(10_000, 4);
    const frames = Array.from({ length: 10 }, (_, i) => new Frame(i));
    frames.forEach((f, i) => ring.push(i, f));
    expect(ring.size).toBe(4);
    expect(frames.filter((f) => !f.closed).map((f) => f.n)).toEqual([6, 7, 8, 9]);
  });

  it('returns the frames of a time range, oldest first', () => {
    const ring = new FrameRing<Frame>(6000, 100);
    for (let i = 0; i < 10; i++) ring.push(1000 + i * 100, new Frame(i));
    expect(ring.between(1250, 1500).map((f) => f.atMs)).toEqual([1300, 1400, 1500]);
    expect(ring.between(5000, 6000)).toEqual([]);
  });

  it('starts over when the clock steps back, and clear() closes everything', () => {
    const ring = new FrameRing<Frame>(6000, 100);
    const old = new Frame(0);
    ring.push(5000, old);
    ring.push(4000, new Frame(1));
    expect(old.closed).toBe(true);
    expect(ring.size).toBe(1);
    const held = ring.between(0, Infinity)[0]?.frame;
    ring.clear();
    expect(held?.closed).toBe(true);
    expect(ring.size).toBe(0);
  });
});
