import { describe, expect, it } from 'vitest';
import { dbBoxes, readingOrder, type TextBox } from './ocrBoxes.ts';

function map(width: number, height: number, rects: [number, number, number, number, number][]) {
  const data = new Float32Array(width * height);
  for (const [x, y, w, h, p] of rects)
    for (let j = y; j < y + h; j++) for (let i = x; i < x + w; i++) data[j * width + i] = p;
  return { data, width, height };
}

describe('dbBoxes', () => {
  it('finds separate regions, grows them by the unclip distance and scales to the source', () => {
    const m = map(40, 20, [
      [5, 5, 10, 4, 0.9],
      [20, 12, 16, 6, 0.8],
    ]);
    const boxes = dbBoxes(m, 80, 40);
    expect(boxes).toHaveLength(2);
    const [a, b] = boxes as [TextBox, TextBox];
    // 10x4 region: grow = 40*1.5/28 ≈ 2.14 map px, x2 for the source scale.
    expect(a.x).toBeCloseTo((5 - (40 * 1.5) / 28) * 2, 5);
    expect(a.w).toBeCloseTo((10 + (2 * (40 * 1.5)) / 28) * 2, 5);
    expect(a.score).toBeCloseTo(0.9, 5);
    expect(b.y).toBeGreaterThan(a.y);
  });
  it('drops weak and tiny regions', () => {
    const m = map(30, 30, [
      [1, 1, 10, 5, 0.5], // above the binary threshold but below the box threshold
      [15, 15, 2, 8, 0.9], // 2 px thin
    ]);
    expect(dbBoxes(m, 30, 30)).toEqual([]);
  });
  it('clamps to the image', () => {
    const [b] = dbBoxes(map(10, 10, [[0, 0, 10, 10, 1]]), 10, 10);
    expect(b).toMatchObject({ x: 0, y: 0, w: 10, h: 10 });
  });
  it('refuses a map of the wrong size', () => {
    expect(() => dbBoxes({ data: new Float32Array(5), width: 2, height: 2 }, 2, 2)).toThrow(/expected 2x2/);
  });
});

describe('readingOrder', () => {
  it('orders lines top to bottom and boxes on a line left to right', () => {
    const box = (x: number, y: number): TextBox => ({ x, y, w: 20, h: 10, score: 1 });
    const out = readingOrder([box(50, 31), box(0, 2), box(40, 0), box(0, 30)]);
    expect(out.map((b) => [b.x, b.y])).toEqual([
      [0, 2],
      [40, 0],
      [0, 30],
      [50, 31],
    ]);
  });
});
