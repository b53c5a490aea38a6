import { describe, expect, it } from 'vitest';
import { ItemDetectorSlot, parseItemDetectorConfig, type ItemDetectorLike } from './itemDetectorConfig.ts';

/** Stand-in for an ImageBitmap: the slot only ever closes it. */
function bitmap(): ImageBitmap & { closed: boolean } {
  const b = { width: 4, height: 4, closed: false, close: () => void (b.closed = true) };
  return b as unknown as ImageBitmap & { closed: boolean };
}

describe('parseItemDetectorConfig', () => {
  it('treats a missing detector as none', () => {
    expect(parseItemDetectorConfig(undefined)).toBeNull();
    expect(parseItemDetectorConfig(null)).toBeNull();
  });
  it('accepts a full config and names what is wrong', () => {
    const ok = {
      modelUrl: '/models/items.onnx',
      labelsUrl: '/models/items.txt',
      inputSize: 640,
      scoreThreshold: 0.4,
    };
    expect(parseItemDetectorConfig(ok)).toEqual(ok);
    expect(() => parseItemDetectorConfig({ ...ok, modelUrl: '' })).toThrow(/modelUrl/);
    expect(() => parseItemDetectorConfig({ ...ok, inputSize: 600 })).toThrow(/multiple of 32/);
    expect(() => parseItemDetectorConfig({ ...ok, iouThreshold: 1.5 })).toThrow(/iouThreshold/);
    expect(() => parseItemDetectorConfig('yes')).toThrow(/object or null/);
  });
});

describe('ItemDetectorSlot', () => {
  it('without a detector: finds nothing, loads nothing, and releases the frame', async () => {
    let loads = 0;
    const slot = new ItemDetectorSlot(null, async () => {
      loads++;
      return { detect: async () => [] };
    });
    const image = bitmap();
    expect(slot.configured).toBe(false);
    expect(await slot.detect(image)).toEqual([]);
    expect(image.closed).toBe(true);
    expect(loads).toBe(0);
  });
  it('with one: loads it once, on first use, and retries after a failed load', async () => {
    let loads = 0;
    const detector: ItemDetectorLike = {
      detect: async () => [
        { x: 1, y: 2, w: 3, h: 4, classId: 0, score: 0.9, label: 'handbag', nonItemKind: 'bag' },
      ],
    };
    const slot = new ItemDetectorSlot({ modelUrl: 'm', labelsUrl: 'l', inputSize: 320 }, async () => {
      loads++;
      if (loads === 1) throw new Error('HTTP 404');
      return detector;
    });
    expect(loads).toBe(0);
    await expect(slot.detect(bitmap())).rejects.toThrow(/404/);
    expect((await slot.detect(bitmap()))[0]?.nonItemKind).toBe('bag');
    await slot.detect(bitmap());
    expect(loads).toBe(2);
  });
});
