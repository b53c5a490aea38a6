import type { Box } from '../../recording/faceBoxes.ts';

/** One frame on its way through the worker: drawn once, then handed to each task in order. */
export interface FrameContext {
  canvas: OffscreenCanvas;
  ctx: OffscreenCanvasRenderingContext2D;
  /** Capture time on the recorder clock (ms). */
  tMs: number;
  /** Frames processed since this source was attached (detection cadence counts from here). */
  index: number;
  /** Where the camera image lies inside the canvas (letterboxing). */
  content: Box;
}

/**
 * A pluggable step of the frame pipeline. Order matters: tasks that need the raw image (hand
 * landmarks, later) run before the face blur, and the encoder runs last on the blurred image.
 */
export interface FrameTask {
  readonly name: string;
  process(frame: FrameContext): void | Promise<void>;
  /** A new camera: forget state tied to the old image. */
  onSourceChange?(): void;
  dispose(): void | Promise<void>;
}
