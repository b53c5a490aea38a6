import { describe, expect, it } from 'vitest';
import { maskFraction, rasterizeZones } from './zoneMasks.ts';

const rect = (x0: number, y0: number, x1: number, y1: number) => [
  { x: x0, y: y0 },
  { x: x1, y: y0 },
  { x: x1, y: y1 },
  { x: x0, y: y1 },
];

describe('rasterizeZones', () => {
  it('takes the cells whose centres lie inside each polygon', () => {
    const masks = rasterizeZones(
      { pickup: rect(0, 0, 0.5, 0.5), scanner: rect(0.5, 0, 1, 1), bagging: rect(0, 0.5, 0.5, 1) },
      10,
      4,
    );
    // pickup: columns 0-4, rows 0-1 = 10 cells; scanner: columns 5-9, all rows = 20 cells.
    expect(masks.pickup).toHaveLength(10);
    expect(masks.scanner).toHaveLength(20);
    expect(masks.bagging).toHaveLength(10);
    expect(masks.exit).toBeUndefined();
    expect([...masks.pickup!]).toEqual([0, 1, 2, 3, 4, 10, 11, 12, 13, 14]);
  });

  it('follows a triangle, not its bounding box', () => {
    const tri = [
      { x: 0, y: 0 },
      { x: 1, y: 0 },
      { x: 0, y: 1 },
    ];
    const masks = rasterizeZones({ pickup: tri, scanner: tri, bagging: tri }, 20, 20);
    // 190 cell centres lie strictly inside and 20 exactly on the diagonal, which may fall either
    // way (ray casting); the bounding box would be all 400.
    expect(masks.pickup!.length).toBeGreaterThanOrEqual(190);
    expect(masks.pickup!.length).toBeLessThanOrEqual(210);
  });

  it('gives a zone smaller than a cell the cell under its centroid', () => {
    const tiny = rect(0.31, 0.61, 0.32, 0.62);
    const masks = rasterizeZones({ pickup: tiny, scanner: tiny, bagging: tiny }, 10, 10);
    expect([...masks.pickup!]).toEqual([6 * 10 + 3]);
  });

  it('refuses a grid without cells', () => {
    const r = rect(0, 0, 1, 1);
    expect(() => rasterizeZones({ pickup: r, scanner: r, bagging: r }, 0, 10)).toThrow(/1x1/);
  });
});

describe('maskFraction', () => {
  it('is the share of the zone cells that are flagged', () => {
    const flags = new Uint8Array([1, 0, 1, 1, 0, 0]);
    expect(maskFraction(Uint32Array.from([0, 1, 2, 3]), flags)).toBe(0.75);
    expect(maskFraction(new Uint32Array(0), flags)).toBe(0);
  });
});
