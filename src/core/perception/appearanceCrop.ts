/**
 * Where to crop a held item for the label reader: around the palm and fingers of the hand that
 * holds it (the item sits in or beside the grasp), or the item detector's box nearest that hand
 * when a chain ships a detector. Pure geometry in frame pixels.
 */
import { boundsOf } from '../lane/zones.ts';
import { isValidGtin } from '../scan/gtin.ts';
import type { HandObservation } from './frameObservation.ts';

export interface PixelRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface CropOptions {
  /** Palm lengths added on every side of the landmarks' box: a held pack reaches past the fingers. */
  marginPalms: number;
  /** Smallest crop side (px): the OCR detector finds nothing useful in a thumbnail. */
  minSidePx: number;
}

/** Wrist to middle-finger base, in pixels: the hand's own scale, steady while the fingers move. */
export function palmLengthPx(hand: HandObservation, width: number, height: number): number {
  const w = hand.landmarks[0];
  const m = hand.landmarks[9];
  if (!w || !m) return 0;
  return Math.hypot((m.x - w.x) * width, (m.y - w.y) * height);
}

/** The hand's landmarks' box grown by `marginPalms`, at least `minSidePx` square, inside the frame. */
export function handCropRect(
  hand: HandObservation,
  width: number,
  height: number,
  opts: CropOptions,
): PixelRect {
  if (hand.landmarks.length === 0) throw new Error('handCropRect: the hand has no landmarks');
  const b = boundsOf(hand.landmarks);
  const [x0, y0, x1, y1] = [b.x0 * width, b.y0 * height, b.x1 * width, b.y1 * height];
  const m = opts.marginPalms * palmLengthPx(hand, width, height);
  return fitRect(
    { x: x0 - m, y: y0 - m, w: x1 - x0 + 2 * m, h: y1 - y0 + 2 * m },
    width,
    height,
    opts.minSidePx,
  );
}

/**
 * Grows a rect to `minSide` about its centre, shifts it back inside the frame, clamps it to the
 * frame and rounds to whole pixels (a crop of a 200 px frame with minSide 300 is the whole frame).
 */
export function fitRect(r: PixelRect, width: number, height: number, minSide: number): PixelRect {
  if (!(width > 0 && height > 0)) throw new Error(`fitRect: empty frame ${width}x${height}`);
  const w = Math.min(width, Math.max(r.w, minSide));
  const h = Math.min(height, Math.max(r.h, minSide));
  const cx = r.x + r.w / 2;
  const cy = r.y + r.h / 2;
  const x = Math.min(Math.max(0, cx - w / 2), width - w);
  const y = Math.min(Math.max(0, cy - h / 2), height - h);
  const rx = Math.round(x);
  const ry = Math.round(y);
  return {
    x: rx,
    y: ry,
    w: Math.max(1, Math.min(width - rx, Math.round(w))),
    h: Math.max(1, Math.min(height - ry, Math.round(h))),
  };
}

export interface DetectedBox extends PixelRect {
  score: number;
  /** The detector's class label (a chain may name its classes by GTIN). */
  label?: string;
  /** Set when the detector's class is a bag, phone, wallet... (never goods). */
  nonItemKind?: string | null;
}

/**
 * The detector's box for the held item: the best-scoring goods box that overlaps the hand's crop,
 * or null (then the hand crop is read). A phone or a bag in the hand is not what was scanned.
 */
export function pickItemBox(boxes: readonly DetectedBox[], hand: PixelRect): DetectedBox | null {
  let best: DetectedBox | null = null;
  for (const b of boxes) {
    if (b.nonItemKind) continue;
    if (intersection(b, hand) <= 0) continue;
    if (!best || b.score > best.score) best = b;
  }
  return best;
}

/**
 * The product a detector box names, when the chain labels its classes by GTIN
 * (docs/item-detector.md): a label that is a valid GTIN, kept as written, because the fusion
 * compares it with the code the POS rang up; otherwise none.
 */
export function boxGtin(box: DetectedBox): { gtin: string; score: number } | null {
  const label = box.label?.trim() ?? '';
  return isValidGtin(label) ? { gtin: label, score: box.score } : null;
}

function intersection(a: PixelRect, b: PixelRect): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

export interface ReadSizeOptions {
  /** A crop whose longer side is below this is scaled up to it (px). */
  minLongSidePx: number;
  /** Never scaled past this (px): the label reader's detector limit would only shrink it again. */
  maxLongSidePx: number;
  /** At most this factor: beyond it interpolation only blurs. */
  maxScale: number;
}

/**
 * The label reader's detector scales an image down to its limit but never up, and a held carton's
 * print on a 640x360 lane is 10-15 px tall: at the crop's own size the detector splits or drops
 * those lines ("DRAVO" for BRAVO APPLE JUICE), at twice the size it finds them. Measured on the
 * label camera of tests/e2e/appearance.spec.ts: 280x240 crops read "APPLE JUICE" in 2 of 4 frames
 * as they are, in 4 of 4 at 1.5x and 2x.
 */
export const DEFAULT_READ_SIZE: Readonly<ReadSizeOptions> = {
  minLongSidePx: 560,
  maxLongSidePx: 640,
  maxScale: 3,
};

/** The size to hand a crop to the label reader at: small crops scaled up, large ones as they are. */
export function readSize(
  crop: { w: number; h: number },
  opts: ReadSizeOptions = DEFAULT_READ_SIZE,
): { width: number; height: number; scale: number } {
  if (!(crop.w > 0 && crop.h > 0)) throw new Error(`readSize: empty crop ${crop.w}x${crop.h}`);
  const long = Math.max(crop.w, crop.h);
  const want = Math.min(opts.minLongSidePx, opts.maxLongSidePx) / long;
  const scale = Math.max(1, Math.min(want, opts.maxScale));
  return { width: Math.round(crop.w * scale), height: Math.round(crop.h * scale), scale };
}
