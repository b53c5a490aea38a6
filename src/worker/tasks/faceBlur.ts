import { FaceDetector } from '@mediapipe/tasks-vision';
import type { RecorderConfig } from '../../recording/config.ts';
import { FaceBoxTracker, clampBox, expandBox, type Box } from '../../recording/faceBoxes.ts';
import { RollingStats } from '../../recording/rollingStats.ts';
import { absoluteUrl, visionFileset } from '../mediapipe.ts';
import type { StillBlurResult } from '../protocol.ts';
import { RegionBlurrer } from './blurRegion.ts';
import type { FrameContext, FrameTask } from './types.ts';

/** Cells across the whole frame when it must be blurred whole (no trustworthy detection). */
const FULL_FRAME_CELLS = 24;
/** After this many detector failures in a row, stop trusting it: every frame is blurred whole. */
const MAX_CONSECUTIVE_FAILURES = 3;

/**
 * Blurs faces before a frame is stored (PIPL). Only boxes come out of the detector; they are used
 * on the frame they belong to (and held briefly, see FaceBoxTracker) and never leave the worker.
 * No landmarks or face descriptors are computed.
 *
 * Fail-safe: when blur is on and the detector is not available (failed to load, or keeps
 * failing), frames are blurred whole rather than stored with faces.
 */
export class FaceBlurTask implements FrameTask {
  readonly name = 'faceBlur';
  private readonly tracker: FaceBoxTracker;
  private readonly blurrer = new RegionBlurrer();
  private lastDetectTs = 0;
  private failures = 0;
  private forceDetect = true;
  readonly detectMs = new RollingStats();
  readonly blurMs = new RollingStats();
  facesDetected = 0;
  fullFrameBlurs = 0;
  errors = 0;
  lastError: string | null = null;

  private constructor(
    private readonly config: RecorderConfig,
    private detector: FaceDetector | null,
  ) {
    this.tracker = new FaceBoxTracker({
      marginFrac: config.faceMarginFrac,
      holdMs: config.faceHoldMs,
      growPerSec: config.faceGrowPerSec,
    });
  }

  /** Loads the detector; throws if it cannot (the caller decides whether recording may go on). */
  static async create(config: RecorderConfig): Promise<FaceBlurTask> {
    if (!config.faceBlur) return new FaceBlurTask(config, null);
    const fileset = await visionFileset(config.wasmBaseUrl);
    const detector = await FaceDetector.createFromOptions(fileset, {
      baseOptions: { modelAssetPath: absoluteUrl(config.faceModelUrl), delegate: 'CPU' },
      runningMode: 'VIDEO',
      minDetectionConfidence: config.minFaceScore,
    });
    return new FaceBlurTask(config, detector);
  }

  get detectorReady(): boolean {
    return this.detector !== null;
  }

  process(f: FrameContext): void {
    if (!this.config.faceBlur) return;
    if (!this.detector) {
      this.blurWhole(f.ctx, f.content);
      return;
    }
    if (this.forceDetect || f.index % this.config.detectEveryN === 0) {
      const found = this.detect(f.canvas, f.tMs);
      if (found === null) {
        this.blurWhole(f.ctx, f.content);
        return;
      }
      this.forceDetect = false;
      this.tracker.update(found, f.tMs);
    }
    const t0 = performance.now();
    this.blurBoxes(f.ctx, this.tracker.boxes(f.tMs));
    this.blurMs.add(performance.now() - t0);
  }

  onSourceChange(): void {
    // Boxes from the old camera mean nothing in the new image; detect on its first frame.
    this.tracker.reset();
    this.forceDetect = true;
  }

  /** Same detector, margins and blur as the recorder, applied to one image. */
  blurStill(image: ImageBitmap): StillBlurResult {
    const canvas = new OffscreenCanvas(image.width, image.height);
    const ctx = canvas.getContext('2d', { alpha: false });
    if (!ctx) throw new Error('no 2D context on OffscreenCanvas');
    ctx.drawImage(image, 0, 0);
    image.close();
    let faces: Box[] = [];
    let blurred: Box[];
    const found = this.detector ? this.detect(canvas, performance.timeOrigin + performance.now()) : null;
    if (found === null) {
      this.blurWhole(ctx, { x: 0, y: 0, w: canvas.width, h: canvas.height });
      blurred = [{ x: 0, y: 0, w: canvas.width, h: canvas.height }];
    } else {
      faces = found;
      blurred = this.blurBoxes(
        ctx,
        found.map((b) => expandBox(b, this.config.faceMarginFrac)),
      );
    }
    return { image: canvas.transferToImageBitmap(), faces, blurred };
  }

  dispose(): void {
    // close() makes tasks-vision send its usage log; the fetch guard answers it locally.
    this.detector?.close();
    this.detector = null;
  }

  /** Detector boxes in canvas pixels, or null when the detector failed on this image. */
  private detect(image: OffscreenCanvas, tMs: number): Box[] | null {
    if (!this.detector) return null;
    // VIDEO mode needs strictly increasing timestamps, also across still images.
    const ts = Math.max(this.lastDetectTs + 1, Math.round(tMs));
    this.lastDetectTs = ts;
    const t0 = performance.now();
    try {
      const result = this.detector.detectForVideo(image, ts);
      this.detectMs.add(performance.now() - t0);
      this.failures = 0;
      const boxes: Box[] = [];
      for (const d of result.detections) {
        const bb = d.boundingBox;
        if (bb) boxes.push({ x: bb.originX, y: bb.originY, w: bb.width, h: bb.height });
      }
      this.facesDetected += boxes.length;
      return boxes;
    } catch (err) {
      this.errors++;
      this.lastError = `face detection failed: ${err instanceof Error ? err.message : String(err)}`;
      if (++this.failures >= MAX_CONSECUTIVE_FAILURES) {
        this.detector.close();
        this.detector = null;
      }
      return null;
    }
  }

  private blurBoxes(ctx: OffscreenCanvasRenderingContext2D, boxes: Box[]): Box[] {
    const done: Box[] = [];
    for (const b of boxes) {
      const r = clampBox(b, ctx.canvas.width, ctx.canvas.height);
      if (!r) continue;
      this.blurrer.blur(ctx, r, this.config.blurCells);
      done.push(r);
    }
    return done;
  }

  private blurWhole(ctx: OffscreenCanvasRenderingContext2D, area: Box): void {
    this.blurrer.blur(ctx, area, FULL_FRAME_CELLS);
    this.fullFrameBlurs++;
  }
}
