import { describe, expect, it } from 'vitest';
import { DEFAULT_READ_SIZE, boxGtin, pickItemBox, readSize } from './appearanceCrop.ts';

describe('readSize', () => {
  it('scales a hand crop of a 640x360 lane up to the minimum long side, keeping its aspect', () => {
    // The crop the live path read on the label camera.
    expect(readSize({ w: 281, h: 241 })).toEqual({ width: 560, height: 480, scale: 560 / 281 });
  });

  it('leaves a crop already large enough as it is (the detector shrinks it if need be)', () => {
    expect(readSize({ w: 600, h: 300 })).toEqual({ width: 600, height: 300, scale: 1 });
    expect(readSize({ w: 1280, h: 720 })).toEqual({ width: 1280, height: 720, scale: 1 });
  });

  it('never scales past maxScale, so a thumbnail is not blown up into blur', () => {
    const r = readSize({ w: 96, h: 96 });
    expect(r.scale).toBe(DEFAULT_READ_SIZE.maxScale);
    expect(r.width).toBe(288);
  });

  it('never aims past maxLongSidePx', () => {
    const r = readSize({ w: 200, h: 100 }, { minLongSidePx: 900, maxLongSidePx: 500, maxScale: 10 });
    expect(r).toEqual({ width: 500, height: 250, scale: 2.5 });
  });

  it('refuses an empty crop with a clear error', () => {
    expect(() => readSize({ w: 0, h: 10 })).toThrow(/empty crop 0x10/);
    expect(() => readSize({ w: Number.NaN, h: 10 })).toThrow(/empty crop/);
  });
});

describe('the detector box of the held item', () => {
  const hand = { x: 100, y: 100, w: 80, h: 80 };
  const box = (label: string, score: number, x = 120, nonItemKind: string | null = null) => ({
    x,
    y: 110,
    w: 60,
    h: 90,
    score,
    label,
    nonItemKind,
  });

  it('picks the best goods box touching the hand, never a phone or a box elsewhere', () => {
    const picked = pickItemBox(
      [box('6901234567892', 0.6), box('phone', 0.95, 130, 'phone'), box('4006381333931', 0.9, 400)],
      hand,
    );
    expect(picked?.label).toBe('6901234567892');
  });

  it('names a product only when the class label is a valid GTIN, as written', () => {
    expect(boxGtin(box(' 6901234567892 ', 0.8))).toEqual({ gtin: '6901234567892', score: 0.8 });
    expect(boxGtin(box('6901234567893', 0.8))).toBeNull(); // check digit wrong
    expect(boxGtin(box('bottle', 0.8))).toBeNull();
    expect(boxGtin({ ...hand, score: 0.8 })).toBeNull();
  });
});
