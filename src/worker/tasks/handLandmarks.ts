import { HandLandmarker } from '@mediapipe/tasks-vision';
import { absoluteUrl, visionFileset } from '../mediapipe.ts';

export interface HandLandmarksOptions {
  /** e.g. '/models/hand_landmarker_lite.task' (built by models/build.ts from npm weights). */
  modelUrl: string;
  wasmBaseUrl: string;
  numHands: number;
  minDetectionConfidence: number;
  /** MediaPipe's CPU delegate is its WASM build; 'GPU' is WebGL (SwiftShader here: slow). */
  delegate: 'CPU' | 'GPU';
}

export const DEFAULT_HAND_OPTIONS: Readonly<HandLandmarksOptions> = Object.freeze({
  modelUrl: '/models/hand_landmarker_lite.task',
  wasmBaseUrl: '/mediapipe',
  numHands: 2,
  minDetectionConfidence: 0.5,
  delegate: 'CPU',
});

/** One detected hand, in pixels of the image that was analysed. */
export interface DetectedHand {
  landmarks: { x: number; y: number }[];
  handedness: 'Left' | 'Right';
  score: number;
}

/**
 * MediaPipe HandLandmarker in VIDEO mode, reduced to what the app needs: pixel landmarks and
 * handedness. Shared by the live hands task and the accuracy/speed evaluation so both measure the
 * same code. No landmark ever leaves the worker except as these numbers (no images, no templates).
 */
export class HandLandmarks {
  private lastTs = 0;

  private constructor(
    private readonly landmarker: HandLandmarker,
    readonly options: HandLandmarksOptions,
  ) {}

  static async create(partial: Partial<HandLandmarksOptions> = {}): Promise<HandLandmarks> {
    const options = { ...DEFAULT_HAND_OPTIONS, ...partial };
    const fileset = await visionFileset(options.wasmBaseUrl);
    const landmarker = await HandLandmarker.createFromOptions(fileset, {
      baseOptions: { modelAssetPath: absoluteUrl(options.modelUrl), delegate: options.delegate },
      runningMode: 'VIDEO',
      numHands: options.numHands,
      minHandDetectionConfidence: options.minDetectionConfidence,
      minHandPresenceConfidence: options.minDetectionConfidence,
      minTrackingConfidence: 0.5,
    });
    return new HandLandmarks(landmarker, options);
  }

  /**
   * Detects hands in one frame. Timestamps must increase (VIDEO mode tracks between frames);
   * a repeated or older one is nudged forward by 1 ms rather than rejected.
   */
  detect(
    image: TexImageSource | OffscreenCanvas | ImageBitmap,
    tMs: number,
    width: number,
    height: number,
  ): DetectedHand[] {
    const ts = Math.max(Math.round(tMs), this.lastTs + 1);
    this.lastTs = ts;
    const result = this.landmarker.detectForVideo(image as TexImageSource, ts);
    return result.landmarks.map((points, i) => {
      const category = result.handedness[i]?.[0];
      return {
        landmarks: points.map((p) => ({ x: p.x * width, y: p.y * height })),
        handedness: category?.categoryName === 'Left' ? 'Left' : 'Right',
        score: category?.score ?? 0,
      };
    });
  }

  close(): void {
    this.landmarker.close();
  }
}
