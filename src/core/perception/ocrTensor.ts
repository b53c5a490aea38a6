/**
 * Pixels to PP-OCR input tensors. The models were trained on OpenCV images, i.e. BGR channel order,
 * so the planes are written B, G, R; the normalisation constants are PaddleOCR's (det: ImageNet
 * mean/std on 0..1 values, rec: 0..1 mapped to -1..1).
 */

export interface Size {
  width: number;
  height: number;
}

export interface Normalisation {
  /** Per channel, in tensor (B, G, R) order, applied to value/255. */
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
}

export const DET_NORMALISATION: Normalisation = {
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
};
export const REC_NORMALISATION: Normalisation = { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] };

/** Rec input height of PP-OCRv3/v4. */
export const REC_HEIGHT = 48;

/**
 * Detector input size: the longer side scaled to at most `limit` (never up), each side rounded to a
 * multiple of 32 (the network downsamples 32x) and at least 32.
 */
export function detInputSize(src: Size, limit = 960): Size {
  if (!(src.width > 0 && src.height > 0)) throw new Error(`image size must be positive, got ${fmt(src)}`);
  const scale = Math.min(1, limit / Math.max(src.width, src.height));
  const round32 = (v: number): number => Math.max(32, Math.round((v * scale) / 32) * 32);
  return { width: round32(src.width), height: round32(src.height) };
}

/** Recogniser input width for a crop: height fixed at 48, aspect kept, clamped to [16, maxWidth]. */
export function recInputWidth(crop: Size, maxWidth = 320): number {
  if (!(crop.width > 0 && crop.height > 0)) throw new Error(`crop size must be positive, got ${fmt(crop)}`);
  const w = Math.ceil((REC_HEIGHT * crop.width) / crop.height);
  return Math.min(maxWidth, Math.max(16, w));
}

/**
 * RGBA bytes (ImageData layout) to a [1, 3, height, tensorWidth] float tensor in BGR order. When
 * `tensorWidth` exceeds the image width, the right is padded with zeros (PaddleOCR pads rec inputs
 * the same way, with the value 0 after normalisation).
 */
export function rgbaToBgrTensor(
  rgba: Uint8ClampedArray | Uint8Array,
  size: Size,
  norm: Normalisation,
  tensorWidth = size.width,
): Float32Array {
  const { width, height } = size;
  if (rgba.length !== width * height * 4)
    throw new Error(`expected ${width * height * 4} RGBA bytes for ${fmt(size)}, got ${rgba.length}`);
  if (tensorWidth < width)
    throw new Error(`tensor width ${tensorWidth} is smaller than the image (${width})`);
  const plane = height * tensorWidth;
  const out = new Float32Array(3 * plane);
  // Tensor channel c holds source channel 2 - c (B, G, R from R, G, B).
  const scale: number[] = [];
  const offset: number[] = [];
  for (let c = 0; c < 3; c++) {
    scale.push(1 / (255 * norm.std[c as 0 | 1 | 2]));
    offset.push(norm.mean[c as 0 | 1 | 2] / norm.std[c as 0 | 1 | 2]);
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = (y * width + x) * 4;
      const d = y * tensorWidth + x;
      for (let c = 0; c < 3; c++) out[c * plane + d] = (rgba[s + 2 - c] ?? 0) * scale[c]! - offset[c]!;
    }
  }
  return out;
}

function fmt(s: Size): string {
  return `${s.width}x${s.height}`;
}
