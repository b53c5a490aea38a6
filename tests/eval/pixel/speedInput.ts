/**
 * The input-type study of the speed evaluation (browser side, in the evaluation worker): the same
 * frame handed to the hand model as the live host holds it (a 2D OffscreenCanvas), as a
 * downscaled copy, as a CPU-backed canvas, as an ImageBitmap or as a VideoFrame, so the cheapest
 * way for the live hands task can be chosen on figures rather than guesses.
 */
import type { DetectedHand, HandLandmarks } from '../../../src/worker/tasks/handLandmarks.ts';
import { modelSizeFor } from '../../../src/worker/tasks/handsMapping.ts';

export type ModelInputKind = 'canvas' | 'canvas-cpu' | 'bitmap' | 'videoframe';
export const MODEL_INPUT_KINDS: readonly ModelInputKind[] = ['canvas', 'canvas-cpu', 'bitmap', 'videoframe'];

export class StudyInput {
  private frameCanvas: OffscreenCanvas | null = null;
  private frameCtx: OffscreenCanvasRenderingContext2D | null = null;
  private small: { key: string; canvas: OffscreenCanvas; ctx: OffscreenCanvasRenderingContext2D } | null =
    null;

  /** The host's part (not timed as hand-model cost): the decoded frame drawn into its canvas. */
  frame(bitmap: ImageBitmap): void {
    const { width, height } = bitmap;
    if (!this.frameCanvas || this.frameCanvas.width !== width || this.frameCanvas.height !== height) {
      this.frameCanvas = new OffscreenCanvas(width, height);
      // As src/worker/host.ts makes it.
      this.frameCtx = this.frameCanvas.getContext('2d', { alpha: false, desynchronized: true });
    }
    this.frameCtx!.drawImage(bitmap, 0, 0);
  }

  /** The hand task's part: turn the frame into the model input of this kind and detect. */
  async detect(
    lm: HandLandmarks,
    kind: ModelInputKind,
    longSide: number | undefined,
    tMs: number,
  ): Promise<DetectedHand[]> {
    const frame = this.frameCanvas;
    if (!frame) throw new Error('frame() first');
    const { width, height } = frame;
    const source: OffscreenCanvas =
      longSide !== undefined || kind === 'canvas-cpu' ? this.downscaled(frame, kind, longSide) : frame;
    switch (kind) {
      case 'canvas':
      case 'canvas-cpu':
        return lm.detect(source, tMs, width, height);
      case 'bitmap': {
        const bitmap = await createImageBitmap(source);
        try {
          return lm.detect(bitmap, tMs, width, height);
        } finally {
          bitmap.close();
        }
      }
      case 'videoframe': {
        const vf = new VideoFrame(source, { timestamp: Math.round(tMs * 1000) });
        try {
          return lm.detect(vf as unknown as TexImageSource, tMs, width, height);
        } finally {
          vf.close();
        }
      }
    }
  }

  private downscaled(frame: OffscreenCanvas, kind: ModelInputKind, longSide: number | undefined) {
    const size = longSide
      ? modelSizeFor({ x: 0, y: 0, w: frame.width, h: frame.height }, longSide)
      : { width: frame.width, height: frame.height };
    const key = `${kind}:${size.width}x${size.height}`;
    if (!this.small || this.small.key !== key) {
      const canvas = new OffscreenCanvas(size.width, size.height);
      const ctx = canvas.getContext('2d', { alpha: false, willReadFrequently: kind === 'canvas-cpu' });
      if (!ctx) throw new Error('no 2D context on OffscreenCanvas');
      this.small = { key, canvas, ctx };
    }
    this.small.ctx.drawImage(frame, 0, 0, size.width, size.height);
    return this.small.canvas;
  }
}
