import { describe, expect, it } from 'vitest';
import { gradientEnergy, laplacianVariance, toGray } from './imageEnergy.ts';

function image(width: number, height: number, px: (x: number, y: number) => number) {
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const v = px(x, y);
      rgba.set([v, v, v, 255], (y * width + x) * 4);
    }
  return toGray(rgba, width, height);
}

describe('laplacianVariance', () => {
  it('is zero on a flat or linear ramp region and high on fine texture', () => {
    const flat = image(40, 40, () => 128);
    const ramp = image(40, 40, (x) => x * 3);
    const checker = image(40, 40, (x, y) => ((x + y) % 2 ? 255 : 0));
    const all = { x: 0, y: 0, w: 40, h: 40 };
    expect(laplacianVariance(flat, 40, 40, all)).toBe(0);
    expect(laplacianVariance(ramp, 40, 40, all)).toBeCloseTo(0, 6);
    expect(laplacianVariance(checker, 40, 40, all)).toBeGreaterThan(1e5);
  });

  it('looks only inside the box', () => {
    const half = image(40, 40, (x, y) => (x < 20 ? 100 : (x + y) % 2 ? 255 : 0));
    expect(laplacianVariance(half, 40, 40, { x: 0, y: 0, w: 19, h: 40 })).toBe(0);
    expect(laplacianVariance(half, 40, 40, { x: 21, y: 0, w: 19, h: 40 })).toBeGreaterThan(1e5);
    expect(laplacianVariance(half, 40, 40, { x: 50, y: 0, w: 5, h: 5 })).toBe(0);
  });
});

describe('gradientEnergy', () => {
  it('is zero on flat regions, high on edges, and skips excluded boxes', () => {
    const bars = image(64, 32, (x) => (x < 32 ? 80 : Math.floor(x / 4) % 2 ? 255 : 0));
    const all = { x: 0, y: 0, w: 64, h: 32 };
    expect(gradientEnergy(bars, 64, 32, { x: 0, y: 0, w: 30, h: 32 })).toBe(0);
    expect(gradientEnergy(bars, 64, 32, { x: 32, y: 0, w: 32, h: 32 })).toBeGreaterThan(1e4);
    expect(gradientEnergy(bars, 64, 32, all, [{ x: 28, y: 0, w: 36, h: 32 }])).toBe(0);
    expect(gradientEnergy(bars, 64, 32, { x: 100, y: 0, w: 4, h: 4 })).toBe(0);
  });

  it('ignores single-pixel noise that a codec would remove, unlike the Laplacian', () => {
    const noise = image(40, 40, (x, y) => 128 + ((x + y) % 2 ? 20 : -20));
    const all = { x: 0, y: 0, w: 40, h: 40 };
    expect(gradientEnergy(noise, 40, 40, all)).toBeLessThan(1);
    expect(laplacianVariance(noise, 40, 40, all)).toBeGreaterThan(1000);
  });
});
