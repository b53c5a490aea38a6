import { describe, expect, it } from 'vitest';
import { fitContain } from '../../recording/faceBoxes.ts';
import { modelSizeFor, modelToCamera } from './handsMapping.ts';

describe('modelToCamera', () => {
  it('is the identity scale when the model sees the whole un-letterboxed canvas', () => {
    const box = { x: 0, y: 0, w: 640, h: 360 };
    const p = modelToCamera({ x: 320, y: 90 }, { source: box, content: box, width: 640, height: 360 });
    expect(p).toEqual({ x: 0.5, y: 0.25 });
  });

  it('undoes the letterbox of a 4:3 camera in a 16:9 canvas', () => {
    const content = fitContain(640, 480, 640, 360); // 480x360 at x = 80
    expect(content).toEqual({ x: 80, y: 0, w: 480, h: 360 });
    const whole = { x: 0, y: 0, w: 640, h: 360 };
    const view = { source: whole, content, width: 640, height: 360 };
    expect(modelToCamera({ x: 80, y: 0 }, view)).toEqual({ x: 0, y: 0 });
    expect(modelToCamera({ x: 320, y: 180 }, view)).toEqual({ x: 0.5, y: 0.5 });
    expect(modelToCamera({ x: 560, y: 360 }, view)).toEqual({ x: 1, y: 1 });
    // In the black bar: clamped onto the image edge.
    expect(modelToCamera({ x: 20, y: 100 }, view).x).toBe(0);
  });

  it('maps a downscaled crop of the content back to the camera image', () => {
    const content = fitContain(640, 480, 640, 360);
    const size = modelSizeFor(content, 256);
    expect(size).toEqual({ width: 256, height: 192 });
    const view = { source: content, content, ...size };
    expect(modelToCamera({ x: 64, y: 144 }, view)).toEqual({ x: 0.25, y: 0.75 });
  });

  it('refuses an empty content box', () => {
    const empty = { x: 0, y: 0, w: 0, h: 0 };
    expect(() =>
      modelToCamera({ x: 1, y: 1 }, { source: empty, content: empty, width: 1, height: 1 }),
    ).toThrow(/empty content/);
  });
});
