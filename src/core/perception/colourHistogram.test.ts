import { describe, expect, it } from 'vitest';
import { HISTOGRAM_BINS, HUE_BINS, SAT_BINS, colourHistogram, histogramDistance } from './colourHistogram.ts';

function image(pixels: [number, number, number][]): Uint8ClampedArray {
  return new Uint8ClampedArray(pixels.flatMap(([r, g, b]) => [r, g, b, 255]));
}

describe('colourHistogram', () => {
  it('puts saturated colours in hue bins and sums to 1', () => {
    const h = colourHistogram(
      image([
        [255, 0, 0],
        [255, 0, 0],
        [0, 0, 255],
        [0, 200, 0],
      ]),
      4,
      1,
    );
    expect(h).toHaveLength(HISTOGRAM_BINS);
    expect(h.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 10);
    expect(h[0 * SAT_BINS + 1]).toBeCloseTo(0.5); // red, hue 0, full saturation
    expect(h[(240 / 30) * SAT_BINS + 1]).toBeCloseTo(0.25); // blue, hue 240
    expect(h[(120 / 30) * SAT_BINS + 1]).toBeCloseTo(0.25); // green, hue 120
  });
  it('counts greys by brightness and leaves out white', () => {
    const h = colourHistogram(
      image([
        [20, 20, 20],
        [128, 130, 128],
        [250, 250, 250],
      ]),
      3,
      1,
    );
    const grey = HUE_BINS * SAT_BINS;
    expect(h.slice(grey)).toEqual([0.5, 0.5, 0]);
    expect(colourHistogram(image([[250, 250, 250]]), 1, 1, { ignoreWhite: false })[grey + 2]).toBe(1);
  });
  it('can look at the centre only', () => {
    const px: [number, number, number][] = [];
    for (let y = 0; y < 4; y++)
      for (let x = 0; x < 4; x++) px.push(x > 0 && x < 3 && y > 0 && y < 3 ? [0, 0, 255] : [255, 0, 0]);
    const h = colourHistogram(image(px), 4, 4, { centre: 0.5 });
    expect(h[8 * SAT_BINS + 1]).toBe(1);
  });
  it('refuses a wrong buffer size', () => {
    expect(() => colourHistogram(new Uint8ClampedArray(3), 1, 1)).toThrow(/expected 4 RGBA bytes/);
  });
});

describe('histogramDistance', () => {
  it('is 0 for the same histogram, 1 for disjoint ones, symmetric in between', () => {
    expect(histogramDistance([0.5, 0.5], [0.5, 0.5])).toBeCloseTo(0, 10);
    expect(histogramDistance([1, 0], [0, 1])).toBe(1);
    const a = [0.7, 0.3];
    const b = [0.2, 0.8];
    expect(histogramDistance(a, b)).toBeCloseTo(histogramDistance(b, a), 12);
    expect(() => histogramDistance([1], [0.5, 0.5])).toThrow(/length/);
  });
});
