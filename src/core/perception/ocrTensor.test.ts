import { describe, expect, it } from 'vitest';
import {
  DET_NORMALISATION,
  REC_NORMALISATION,
  detInputSize,
  recInputWidth,
  rgbaToBgrTensor,
} from './ocrTensor.ts';

describe('detInputSize', () => {
  it('keeps small images at their size, rounded to multiples of 32', () => {
    expect(detInputSize({ width: 348, height: 348 })).toEqual({ width: 352, height: 352 });
    expect(detInputSize({ width: 10, height: 5 })).toEqual({ width: 32, height: 32 });
  });
  it('scales the longer side down to the limit and keeps the aspect', () => {
    expect(detInputSize({ width: 1920, height: 1080 }, 960)).toEqual({ width: 960, height: 544 });
  });
  it('refuses empty images', () => {
    expect(() => detInputSize({ width: 0, height: 10 })).toThrow(/positive/);
  });
});

describe('recInputWidth', () => {
  it('scales to height 48 and clamps', () => {
    expect(recInputWidth({ width: 100, height: 48 })).toBe(100);
    expect(recInputWidth({ width: 200, height: 24 })).toBe(320);
    expect(recInputWidth({ width: 2, height: 48 })).toBe(16);
  });
});

describe('rgbaToBgrTensor', () => {
  it('writes planes in B, G, R order with the given normalisation', () => {
    const rgba = new Uint8ClampedArray([255, 0, 51, 255, 0, 255, 0, 255]); // 2x1: (255,0,51), (0,255,0)
    const t = rgbaToBgrTensor(rgba, { width: 2, height: 1 }, REC_NORMALISATION);
    // rec: v/255 -> -1..1
    expect(Array.from(t).map((v) => Number(v.toFixed(3)))).toEqual([-0.6, -1, -1, 1, 1, -1]);
  });
  it('pads the right with zeros up to the tensor width', () => {
    const rgba = new Uint8ClampedArray([255, 255, 255, 255]);
    const t = rgbaToBgrTensor(rgba, { width: 1, height: 1 }, REC_NORMALISATION, 3);
    expect(Array.from(t)).toEqual([1, 0, 0, 1, 0, 0, 1, 0, 0]);
  });
  it('uses the ImageNet constants for the detector', () => {
    const t = rgbaToBgrTensor(
      new Uint8ClampedArray([0, 0, 0, 255]),
      { width: 1, height: 1 },
      DET_NORMALISATION,
    );
    expect(t[0]).toBeCloseTo(-0.485 / 0.229, 5);
  });
  it('refuses a buffer of the wrong length', () => {
    expect(() =>
      rgbaToBgrTensor(new Uint8ClampedArray(7), { width: 2, height: 1 }, REC_NORMALISATION),
    ).toThrow(/expected 8 RGBA bytes/);
  });
});
