/**
 * DB (differentiable binarisation) post-processing for the PP-OCR detector: the network gives, per
 * pixel, the probability of being inside a (shrunk) text region. Regions are the connected pixels
 * above `binaryThreshold`; each one is kept when its mean probability reaches `boxThreshold`, then
 * grown back by the DB "unclip" distance (area x ratio / perimeter) that undoes the training-time
 * shrink. Boxes are axis-aligned: product labels face the camera roughly upright, and the crop for
 * the recogniser is taken from the axis-aligned box either way.
 */

export interface TextBox {
  /** Pixels of the source image. */
  x: number;
  y: number;
  w: number;
  h: number;
  /** Mean probability inside the region, 0..1. */
  score: number;
}

export interface DbOptions {
  binaryThreshold: number;
  boxThreshold: number;
  unclipRatio: number;
  /** Regions with a shorter side (in map pixels) are noise. */
  minSide: number;
  maxBoxes: number;
}

export const DB_DEFAULTS: DbOptions = {
  binaryThreshold: 0.3,
  boxThreshold: 0.6,
  unclipRatio: 1.5,
  minSide: 3,
  maxBoxes: 50,
};

export interface ProbMap {
  data: Float32Array;
  width: number;
  height: number;
}

/**
 * Text boxes from a probability map of `map.width` x `map.height`, scaled to a source image of
 * `srcWidth` x `srcHeight`, in reading order (top to bottom, then left to right on a line).
 */
export function dbBoxes(
  map: ProbMap,
  srcWidth: number,
  srcHeight: number,
  options: Partial<DbOptions> = {},
): TextBox[] {
  const o = { ...DB_DEFAULTS, ...options };
  const { data, width, height } = map;
  if (data.length !== width * height)
    throw new Error(`probability map has ${data.length} values, expected ${width}x${height}`);
  const label = new Int32Array(width * height);
  const stack: number[] = [];
  const found: TextBox[] = [];
  const sx = srcWidth / width;
  const sy = srcHeight / height;
  let next = 0;
  for (let start = 0; start < data.length; start++) {
    if (label[start] !== 0 || (data[start] ?? 0) <= o.binaryThreshold) continue;
    next++;
    label[start] = next;
    stack.push(start);
    let minX = width;
    let minY = height;
    let maxX = -1;
    let maxY = -1;
    let sum = 0;
    let count = 0;
    while (stack.length > 0) {
      const i = stack.pop()!;
      const x = i % width;
      const y = (i - x) / width;
      sum += data[i] ?? 0;
      count++;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      // 8-connected, as OpenCV's findContours groups pixels.
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const j = ny * width + nx;
          if (label[j] === 0 && (data[j] ?? 0) > o.binaryThreshold) {
            label[j] = next;
            stack.push(j);
          }
        }
      }
    }
    const w = maxX - minX + 1;
    const h = maxY - minY + 1;
    const score = sum / count;
    if (Math.min(w, h) < o.minSide || score < o.boxThreshold) continue;
    const grow = (w * h * o.unclipRatio) / (2 * (w + h));
    const x0 = Math.max(0, (minX - grow) * sx);
    const y0 = Math.max(0, (minY - grow) * sy);
    const x1 = Math.min(srcWidth, (maxX + 1 + grow) * sx);
    const y1 = Math.min(srcHeight, (maxY + 1 + grow) * sy);
    found.push({ x: x0, y: y0, w: x1 - x0, h: y1 - y0, score });
  }
  return readingOrder(found.sort((a, b) => b.score * b.w * b.h - a.score * a.w * a.h).slice(0, o.maxBoxes));
}

/** Top to bottom; boxes whose vertical centres are within half a line height count as one line. */
export function readingOrder(boxes: readonly TextBox[]): TextBox[] {
  const sorted = [...boxes].sort((a, b) => a.y + a.h / 2 - (b.y + b.h / 2));
  const lines: TextBox[][] = [];
  for (const b of sorted) {
    const line = lines.at(-1);
    const ref = line?.[0];
    if (line && ref && Math.abs(b.y + b.h / 2 - (ref.y + ref.h / 2)) < Math.min(b.h, ref.h) / 2) line.push(b);
    else lines.push([b]);
  }
  return lines.flatMap((l) => l.sort((a, b) => a.x - b.x));
}
