import type { Box } from '../../recording/faceBoxes.ts';

/**
 * Where the image given to the hand model came from. The worker's canvas holds the camera image
 * letterboxed into `content`; the model sees the canvas region `source`, scaled to
 * `width` x `height` (the whole canvas, or a smaller crop of the content for speed).
 */
export interface ModelView {
  source: Box;
  content: Box;
  width: number;
  height: number;
}

export interface NormPoint {
  x: number;
  y: number;
}

/**
 * A point in the model image's pixels to the camera image normalised to 0..1 (the lane zones'
 * space): back to canvas pixels through `source`, then out of the letterbox through `content`.
 * Points the model places beyond the image edge are clamped onto it.
 */
export function modelToCamera(p: NormPoint, view: ModelView): NormPoint {
  const { source: s, content: c } = view;
  if (c.w <= 0 || c.h <= 0 || view.width <= 0 || view.height <= 0)
    throw new RangeError('modelToCamera: empty content box or model image');
  const cx = s.x + (p.x * s.w) / view.width;
  const cy = s.y + (p.y * s.h) / view.height;
  return { x: clamp01((cx - c.x) / c.w), y: clamp01((cy - c.y) / c.h) };
}

/** The model image size for a crop of `content`: its longer side `longSide`, aspect kept, even. */
export function modelSizeFor(content: Box, longSide: number): { width: number; height: number } {
  const scale = longSide / Math.max(content.w, content.h);
  const even = (v: number) => Math.max(2, 2 * Math.round((v * scale) / 2));
  return { width: even(content.w), height: even(content.h) };
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
