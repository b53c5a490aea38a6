/**
 * Face-box maths for blurring: pure, so the rules that decide what gets covered are unit-tested.
 * Boxes are only ever used to blur the frame they belong to and are then dropped; nothing here
 * describes a face beyond where it is.
 */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface TrackerOptions {
  marginFrac: number;
  holdMs: number;
  growPerSec: number;
}

interface Track {
  box: Box;
  seenMs: number;
}

/** Grows each side by `frac` of the box's own width/height. */
export function expandBox(b: Box, frac: number): Box {
  const dx = b.w * frac;
  const dy = b.h * frac;
  return { x: b.x - dx, y: b.y - dy, w: b.w + 2 * dx, h: b.h + 2 * dy };
}

/** Whole-pixel box inside the frame (rounded outwards so no edge pixel escapes), or null if empty. */
export function clampBox(b: Box, width: number, height: number): Box | null {
  const x0 = Math.max(0, Math.floor(b.x));
  const y0 = Math.max(0, Math.floor(b.y));
  const x1 = Math.min(width, Math.ceil(b.x + b.w));
  const y1 = Math.min(height, Math.ceil(b.y + b.h));
  if (x1 <= x0 || y1 <= y0) return null;
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

export function intersects(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** Where to draw a src image inside dst keeping its aspect ratio (letterbox or pillarbox). */
export function fitContain(srcW: number, srcH: number, dstW: number, dstH: number): Box {
  if (srcW <= 0 || srcH <= 0) return { x: 0, y: 0, w: dstW, h: dstH };
  const scale = Math.min(dstW / srcW, dstH / srcH);
  const w = Math.round(srcW * scale);
  const h = Math.round(srcH * scale);
  return { x: Math.floor((dstW - w) / 2), y: Math.floor((dstH - h) / 2), w, h };
}

/**
 * Size of the coarse grid a region is reduced to: `cells` across its longer side, at least one
 * cell each way. Few cells is what makes the blur irreversible: only cols*rows colours survive.
 */
export function blurGrid(box: Box, cells: number): { cols: number; rows: number } {
  const long = Math.max(box.w, box.h);
  if (long <= 0) return { cols: 1, rows: 1 };
  const cols = Math.max(1, Math.round((cells * box.w) / long));
  const rows = Math.max(1, Math.round((cells * box.h) / long));
  return { cols: Math.min(cols, Math.max(1, box.w)), rows: Math.min(rows, Math.max(1, box.h)) };
}

/**
 * Holds face boxes between detections. Detection runs on every Nth frame and can miss a face for
 * a frame or two (motion blur, a hand in front), so a box stays for `holdMs` after it was last
 * seen and grows with its age to cover a face that moved meanwhile. Erring towards blurring too
 * much is the point: a missed face is stored for good, an extra blur costs nothing.
 */
export class FaceBoxTracker {
  private tracks: Track[] = [];

  constructor(private readonly opts: TrackerOptions) {}

  /** Takes one detection result (possibly empty) made on the frame captured at `tMs`. */
  update(detections: readonly Box[], tMs: number): void {
    const kept = this.tracks.filter(
      (t) => tMs - t.seenMs <= this.opts.holdMs && !detections.some((d) => intersects(d, t.box)),
    );
    this.tracks = [...kept, ...detections.map((box) => ({ box: { ...box }, seenMs: tMs }))];
  }

  /** Boxes to blur on the frame captured at `tMs`, margins and motion growth included. */
  boxes(tMs: number): Box[] {
    this.tracks = this.tracks.filter((t) => tMs - t.seenMs <= this.opts.holdMs);
    return this.tracks.map((t) => {
      const ageS = Math.max(0, tMs - t.seenMs) / 1000;
      return expandBox(t.box, this.opts.marginFrac + this.opts.growPerSec * ageS);
    });
  }

  get count(): number {
    return this.tracks.length;
  }

  reset(): void {
    this.tracks = [];
  }
}
