/**
 * Decoding for a chain-supplied YOLO-style item detector (docs/item-detector.md). Two output
 * layouts are accepted, told apart by shape:
 *  - v8 style [1, 4 + C, N]: per candidate cx, cy, w, h then C class scores (no objectness);
 *  - v5 style [1, N, 5 + C]: per candidate cx, cy, w, h, objectness, then C class scores.
 * Boxes are in input pixels (the S x S letterboxed image) and are mapped back to the source image.
 */
import type { NonItemKind } from './events.ts';

export interface Detection {
  /** Source-image pixels, top-left corner. */
  x: number;
  y: number;
  w: number;
  h: number;
  classId: number;
  score: number;
}

export type YoloLayout = 'v8' | 'v5';

export interface YoloDecodeOptions {
  numClasses: number;
  scoreThreshold: number;
  iouThreshold: number;
  maxDetections: number;
}

export const YOLO_DEFAULTS: Omit<YoloDecodeOptions, 'numClasses'> = {
  scoreThreshold: 0.35,
  iouThreshold: 0.45,
  maxDetections: 50,
};

/** The layout an output shape has for C classes; throws with the shape when it is neither. */
export function yoloLayout(dims: readonly number[], numClasses: number): YoloLayout {
  const [b, d1, d2] = dims;
  if (dims.length === 3 && b === 1) {
    if (d1 === 4 + numClasses) return 'v8';
    if (d2 === 5 + numClasses) return 'v5';
  }
  throw new Error(
    `detector output [${dims.join(', ')}] fits neither [1, 4+C, N] nor [1, N, 5+C] with C = ${numClasses} labels`,
  );
}

/** How the source image sits in the S x S input: scaled by `scale`, then offset by the padding. */
export interface Letterbox {
  scale: number;
  padX: number;
  padY: number;
  size: number;
}

export function letterbox(srcWidth: number, srcHeight: number, size: number): Letterbox {
  if (!(srcWidth > 0 && srcHeight > 0 && size > 0)) throw new Error('letterbox: sizes must be positive');
  const scale = Math.min(size / srcWidth, size / srcHeight);
  return { scale, padX: (size - srcWidth * scale) / 2, padY: (size - srcHeight * scale) / 2, size };
}

export function decodeYolo(
  data: Float32Array,
  dims: readonly number[],
  box: Letterbox,
  options: Pick<YoloDecodeOptions, 'numClasses'> & Partial<YoloDecodeOptions>,
): Detection[] {
  const o = { ...YOLO_DEFAULTS, ...options };
  const layout = yoloLayout(dims, o.numClasses);
  const n = layout === 'v8' ? (dims[2] ?? 0) : (dims[1] ?? 0);
  const stride = layout === 'v8' ? 4 + o.numClasses : 5 + o.numClasses;
  if (data.length !== n * stride)
    throw new Error(`detector output has ${data.length} values, expected ${n * stride}`);
  // v8 is channel-major (value k of candidate i at k * n + i), v5 candidate-major.
  const at =
    layout === 'v8'
      ? (i: number, k: number) => data[k * n + i] ?? 0
      : (i: number, k: number) => data[i * stride + k] ?? 0;
  const first = layout === 'v8' ? 4 : 5;
  const found: Detection[] = [];
  for (let i = 0; i < n; i++) {
    const objectness = layout === 'v5' ? at(i, 4) : 1;
    let classId = 0;
    let best = -Infinity;
    for (let c = 0; c < o.numClasses; c++) {
      const s = at(i, first + c);
      if (s > best) {
        best = s;
        classId = c;
      }
    }
    const score = best * objectness;
    if (!(score >= o.scoreThreshold)) continue;
    const cx = at(i, 0);
    const cy = at(i, 1);
    const w = at(i, 2);
    const h = at(i, 3);
    found.push({
      x: (cx - w / 2 - box.padX) / box.scale,
      y: (cy - h / 2 - box.padY) / box.scale,
      w: w / box.scale,
      h: h / box.scale,
      classId,
      score,
    });
  }
  return nms(found, o.iouThreshold).slice(0, o.maxDetections);
}

export function iou(a: Detection, b: Detection): number {
  const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  const inter = ix * iy;
  const union = a.w * a.h + b.w * b.h - inter;
  return union > 0 ? inter / union : 0;
}

/** Per-class greedy non-maximum suppression, highest score first. */
export function nms(detections: readonly Detection[], iouThreshold: number): Detection[] {
  const sorted = [...detections].sort((a, b) => b.score - a.score);
  const kept: Detection[] = [];
  for (const d of sorted) {
    if (!kept.some((k) => k.classId === d.classId && iou(k, d) > iouThreshold)) kept.push(d);
  }
  return kept;
}

/** One label per line; blank lines and surrounding spaces ignored. */
export function parseLabels(text: string): string[] {
  const labels = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  if (labels.length === 0) throw new Error('labels file is empty');
  return labels;
}

/**
 * What a detector label means for the lane. Non-item kinds are reported as `nonItemObject`
 * (the shopper's bag, phone or wallet is never goods from the pick-up zone); every other label is
 * an item. Matching is on words, so COCO's "handbag"/"cell phone" and a chain's "shopping_bag" work.
 */
export function nonItemKindForLabel(label: string): NonItemKind | null {
  const l = label.toLowerCase().replace(/[_-]+/g, ' ');
  if (/\b(bag|handbag|backpack|suitcase|tote)\b|bag$/.test(l)) return 'bag';
  if (/\b(phone|cell phone|mobile|smartphone)\b/.test(l)) return 'phone';
  if (/\b(wallet|purse)\b/.test(l)) return 'wallet';
  if (/\b(child|kid|baby)\b/.test(l)) return 'child';
  return null;
}
