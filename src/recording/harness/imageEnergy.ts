import { clampBox, type Box } from '../faceBoxes.ts';

/**
 * How much fine detail a region holds: the variance of the 4-neighbour Laplacian of the luma.
 * A face that is really blurred loses nearly all of it; a region that only went through the video
 * codec keeps most. Pure, for the e2e check and the unit tests.
 */
export function toGray(rgba: ArrayLike<number>, width: number, height: number): Float32Array {
  const gray = new Float32Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const r = rgba[i * 4] ?? 0;
    const g = rgba[i * 4 + 1] ?? 0;
    const b = rgba[i * 4 + 2] ?? 0;
    gray[i] = 0.299 * r + 0.587 * g + 0.114 * b;
  }
  return gray;
}

export function laplacianVariance(gray: Float32Array, width: number, height: number, box: Box): number {
  const r = clampBox(box, width, height);
  if (!r) return 0;
  // Interior pixels only: the box edge would see pixels outside the region.
  const x0 = Math.max(1, r.x + 1);
  const y0 = Math.max(1, r.y + 1);
  const x1 = Math.min(width - 1, r.x + r.w - 1);
  const y1 = Math.min(height - 1, r.y + r.h - 1);
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = y * width + x;
      const lap =
        (gray[i - 1] ?? 0) +
        (gray[i + 1] ?? 0) +
        (gray[i - width] ?? 0) +
        (gray[i + width] ?? 0) -
        4 * (gray[i] ?? 0);
      n++;
      sum += lap;
      sumSq += lap * lap;
    }
  }
  if (n === 0) return 0;
  const mean = sum / n;
  return sumSq / n - mean * mean;
}

/**
 * Mean squared luma gradient at half resolution (2x2 averages, 2 px apart) over `box`, skipping
 * pixels inside any `exclude` box. Coarser than the Laplacian on purpose: the video codec removes
 * sensor noise and the finest texture everywhere, which says nothing about blurring; edges (eyes,
 * mouth, fingers, hair) survive the codec and do not survive the face blur.
 */
export function gradientEnergy(
  gray: Float32Array,
  width: number,
  height: number,
  box: Box,
  exclude: readonly Box[] = [],
): number {
  const r = clampBox(box, width, height);
  if (!r) return 0;
  const avg = (x: number, y: number) => {
    const i = y * width + x;
    return ((gray[i] ?? 0) + (gray[i + 1] ?? 0) + (gray[i + width] ?? 0) + (gray[i + width + 1] ?? 0)) / 4;
  };
  const inside = (x: number, y: number) =>
    exclude.some((e) => x + 4 > e.x && x < e.x + e.w && y + 4 > e.y && y < e.y + e.h);
  let n = 0;
  let sum = 0;
  for (let y = r.y; y + 4 <= r.y + r.h; y += 2) {
    for (let x = r.x; x + 4 <= r.x + r.w; x += 2) {
      if (inside(x, y)) continue;
      const c = avg(x, y);
      const gx = avg(x + 2, y) - c;
      const gy = avg(x, y + 2) - c;
      sum += gx * gx + gy * gy;
      n++;
    }
  }
  return n === 0 ? 0 : sum / n;
}
