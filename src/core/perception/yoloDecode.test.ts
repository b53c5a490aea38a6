import { describe, expect, it } from 'vitest';
import {
  decodeYolo,
  iou,
  letterbox,
  nms,
  nonItemKindForLabel,
  parseLabels,
  yoloLayout,
} from './yoloDecode.ts';

const identity = { scale: 1, padX: 0, padY: 0, size: 640 };

describe('yoloLayout', () => {
  it('tells v8 and v5 outputs apart by shape', () => {
    expect(yoloLayout([1, 6, 8400], 2)).toBe('v8');
    expect(yoloLayout([1, 25200, 7], 2)).toBe('v5');
  });
  it('names a shape that fits neither', () => {
    expect(() => yoloLayout([1, 84, 8400], 3)).toThrow(/\[1, 84, 8400\] fits neither .* C = 3/);
  });
});

describe('decodeYolo', () => {
  it('decodes a v8 (channel-major) output and suppresses the overlapping box', () => {
    // 3 candidates, 2 classes: rows cx, cy, w, h, s0, s1
    const rows = [
      [100, 102, 300],
      [100, 100, 300],
      [40, 40, 20],
      [20, 20, 20],
      [0.9, 0.8, 0.1],
      [0.1, 0.2, 0.7],
    ];
    const out = decodeYolo(new Float32Array(rows.flat()), [1, 6, 3], identity, { numClasses: 2 });
    expect(out).toEqual([
      { x: 80, y: 90, w: 40, h: 20, classId: 0, score: expect.closeTo(0.9, 5) },
      { x: 290, y: 290, w: 20, h: 20, classId: 1, score: expect.closeTo(0.7, 5) },
    ]);
  });
  it('decodes a v5 (candidate-major) output, score = objectness x class', () => {
    const cands = [
      [50, 50, 10, 10, 0.5, 0.2, 0.9],
      [10, 10, 4, 4, 0.2, 0.9, 0.1], // 0.18 < threshold
    ];
    const out = decodeYolo(new Float32Array(cands.flat()), [1, 2, 7], identity, { numClasses: 2 });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ classId: 1, x: 45, y: 45 });
    expect(out[0]?.score).toBeCloseTo(0.45, 5);
  });
  it('maps letterboxed boxes back to the source image', () => {
    const lb = letterbox(1280, 720, 640); // scale 0.5, 140 px bars top and bottom
    expect(lb).toEqual({ scale: 0.5, padX: 0, padY: 140, size: 640 });
    const out = decodeYolo(new Float32Array([320, 320, 64, 64, 1]), [1, 5, 1], lb, { numClasses: 1 });
    expect(out[0]).toMatchObject({ x: 576, y: 296, w: 128, h: 128 });
  });
  it('refuses data that does not fill the shape', () => {
    expect(() => decodeYolo(new Float32Array(5), [1, 6, 3], identity, { numClasses: 2 })).toThrow(
      /expected 18/,
    );
  });
});

describe('nms and iou', () => {
  const d = (x: number, classId = 0, score = 1) => ({ x, y: 0, w: 10, h: 10, classId, score });
  it('keeps overlapping boxes of different classes', () => {
    expect(iou(d(0), d(5))).toBeCloseTo(50 / 150, 5);
    expect(nms([d(0, 0, 0.9), d(1, 0, 0.8), d(1, 1, 0.7)], 0.5).map((k) => k.score)).toEqual([0.9, 0.7]);
  });
});

describe('labels', () => {
  it('parses a labels file', () => {
    expect(parseLabels('bottle\r\n\n handbag \n')).toEqual(['bottle', 'handbag']);
    expect(() => parseLabels('\n')).toThrow(/empty/);
  });
  it('maps bag, phone, wallet and child labels to non-item kinds, everything else to items', () => {
    expect(nonItemKindForLabel('handbag')).toBe('bag');
    expect(nonItemKindForLabel('shopping_bag')).toBe('bag');
    expect(nonItemKindForLabel('cell phone')).toBe('phone');
    expect(nonItemKindForLabel('Wallet')).toBe('wallet');
    expect(nonItemKindForLabel('child')).toBe('child');
    expect(nonItemKindForLabel('bottle')).toBeNull();
    expect(nonItemKindForLabel('cabbage')).toBeNull();
  });
});
