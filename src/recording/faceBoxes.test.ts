import { describe, expect, it } from 'vitest';
import { FaceBoxTracker, blurGrid, clampBox, expandBox, fitContain, intersects } from './faceBoxes.ts';

describe('box maths', () => {
  it('expands each side by a fraction of the box', () => {
    expect(expandBox({ x: 100, y: 50, w: 40, h: 20 }, 0.25)).toEqual({ x: 90, y: 45, w: 60, h: 30 });
  });

  it('clamps to the frame, rounding outwards', () => {
    expect(clampBox({ x: -5.5, y: 10.2, w: 20, h: 10.1 }, 640, 360)).toEqual({ x: 0, y: 10, w: 15, h: 11 });
    expect(clampBox({ x: 630.5, y: 350, w: 30, h: 30 }, 640, 360)).toEqual({ x: 630, y: 350, w: 10, h: 10 });
    expect(clampBox({ x: 700, y: 0, w: 10, h: 10 }, 640, 360)).toBeNull();
  });

  it('letterboxes into the output size', () => {
    expect(fitContain(1280, 720, 640, 360)).toEqual({ x: 0, y: 0, w: 640, h: 360 });
    expect(fitContain(640, 480, 640, 360)).toEqual({ x: 80, y: 0, w: 480, h: 360 });
    expect(fitContain(0, 0, 640, 360)).toEqual({ x: 0, y: 0, w: 640, h: 360 });
  });

  it('reduces a region to a few cells across its long side', () => {
    expect(blurGrid({ x: 0, y: 0, w: 120, h: 150 }, 6)).toEqual({ cols: 5, rows: 6 });
    expect(blurGrid({ x: 0, y: 0, w: 300, h: 10 }, 6)).toEqual({ cols: 6, rows: 1 });
    expect(blurGrid({ x: 0, y: 0, w: 3, h: 3 }, 6)).toEqual({ cols: 3, rows: 3 });
  });

  it('detects overlap', () => {
    expect(intersects({ x: 0, y: 0, w: 10, h: 10 }, { x: 9, y: 9, w: 5, h: 5 })).toBe(true);
    expect(intersects({ x: 0, y: 0, w: 10, h: 10 }, { x: 10, y: 0, w: 5, h: 5 })).toBe(false);
  });
});

describe('FaceBoxTracker', () => {
  const opts = { marginFrac: 0.25, holdMs: 700, growPerSec: 1 };

  it('adds the margin on the frame the face was detected in', () => {
    const t = new FaceBoxTracker(opts);
    t.update([{ x: 100, y: 100, w: 80, h: 80 }], 1000);
    expect(t.boxes(1000)).toEqual([{ x: 80, y: 80, w: 120, h: 120 }]);
  });

  it('grows a held box with its age so a moving face stays covered', () => {
    const t = new FaceBoxTracker(opts);
    t.update([{ x: 100, y: 100, w: 80, h: 80 }], 1000);
    const [b] = t.boxes(1500); // 0.25 + 0.5 per side
    expect(b).toEqual({ x: 40, y: 40, w: 200, h: 200 });
    // A face that moved 40 px right in that half second is still inside.
    const moved = { x: 140, y: 100, w: 80, h: 80 };
    expect(moved.x >= b!.x && moved.x + moved.w <= b!.x + b!.w).toBe(true);
  });

  it('keeps a box through missed detections for holdMs, then drops it', () => {
    const t = new FaceBoxTracker(opts);
    t.update([{ x: 100, y: 100, w: 80, h: 80 }], 1000);
    t.update([], 1300); // the detector missed the face (hand in front)
    expect(t.boxes(1300)).toHaveLength(1);
    t.update([], 1800);
    expect(t.boxes(1800)).toHaveLength(0);
  });

  it('replaces a held box with the new detection that overlaps it, keeps other faces', () => {
    const t = new FaceBoxTracker(opts);
    t.update(
      [
        { x: 100, y: 100, w: 80, h: 80 },
        { x: 400, y: 100, w: 60, h: 60 },
      ],
      1000,
    );
    t.update([{ x: 110, y: 100, w: 80, h: 80 }], 1100);
    const boxes = t.boxes(1100);
    expect(boxes).toHaveLength(2);
    expect(t.count).toBe(2);
    t.reset();
    expect(t.boxes(1100)).toEqual([]);
  });
});
