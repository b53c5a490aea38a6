/**
 * Recorder settings. Everything a chain may tune lives here so the worker and the facade agree on
 * one shape; the defaults are chosen for a 2-core kiosk PC (see docs/recording.md for the figures).
 */
export type VideoCodecChoice = 'vp8' | 'vp09.00.10.08';

export interface RecorderConfig {
  /** Size of the stored video; the camera image is letterboxed into it. */
  width: number;
  height: number;
  /** Frames per second kept for storage; camera frames above this rate are dropped early. */
  fps: number;
  codec: VideoCodecChoice;
  /** Target bits per second for the encoder. */
  bitrate: number;
  /** A clip can only start on a keyframe, so this bounds how much extra pre-roll a clip carries. */
  keyframeIntervalMs: number;
  /** Kept before transaction start and after its end. */
  preMs: number;
  postMs: number;
  /** Longest transaction the in-memory ring keeps whole; older video is evicted (see checkpoints). */
  maxTransactionMs: number;
  /** Hard memory cap of the ring, whatever the time window says. */
  maxRingBytes: number;
  /** Blur faces before a frame is encoded. On by default (PIPL); a chain may turn it off. */
  faceBlur: boolean;
  /**
   * Run the face detector on every Nth stored frame; boxes are held and grown in between. 1 (the
   * default) detects on every frame before it is encoded, so a face that just appeared cannot be
   * stored unblurred for a frame; N > 1 saves ~8 ms of CPU per skipped frame but reopens that gap.
   */
  detectEveryN: number;
  /** Detections below this score are ignored. Low on purpose: blurring a non-face costs nothing. */
  minFaceScore: number;
  /** Each side of a detected box grows by this fraction of the box size. */
  faceMarginFrac: number;
  /** A box stays blurred this long after the last detection that saw it. */
  faceHoldMs: number;
  /** A held box also grows by this fraction of its size per second since it was seen (motion). */
  faceGrowPerSec: number;
  /** The face region is reduced to this many cells across its longer side, then smoothed back. */
  blurCells: number;
  /** While a transaction is open, hand its encoded video to the caller this often (0 = never). */
  checkpointMs: number;
  /** How camera frames reach the worker: a transferred track-processor stream, or frame by frame. */
  frameDelivery: 'auto' | 'stream' | 'frames';
  /** Served by our own origin (see src/recording/viteMediapipeAssets.ts); never a CDN. */
  faceModelUrl: string;
  wasmBaseUrl: string;
}

export const DEFAULT_RECORDER_CONFIG: Readonly<RecorderConfig> = Object.freeze({
  width: 640,
  height: 360,
  fps: 12,
  codec: 'vp8',
  bitrate: 400_000,
  keyframeIntervalMs: 1000,
  preMs: 3000,
  postMs: 3000,
  maxTransactionMs: 10 * 60_000,
  maxRingBytes: 48 * 1024 * 1024,
  faceBlur: true,
  detectEveryN: 1,
  minFaceScore: 0.4,
  faceMarginFrac: 0.25,
  faceHoldMs: 700,
  faceGrowPerSec: 1,
  blurCells: 6,
  checkpointMs: 10_000,
  frameDelivery: 'auto',
  faceModelUrl: '/models/face_detector_short_range.tflite',
  wasmBaseUrl: '/mediapipe',
});

export class RecorderConfigError extends Error {
  override name = 'RecorderConfigError';
}

type NumericKey = {
  [K in keyof RecorderConfig]: RecorderConfig[K] extends number ? K : never;
}[keyof RecorderConfig];

/** [min, max] for each number; a chain config outside them is a mistake, not a preference. */
const RANGES: Record<NumericKey, readonly [number, number]> = {
  width: [64, 3840],
  height: [64, 2160],
  fps: [1, 60],
  bitrate: [50_000, 20_000_000],
  keyframeIntervalMs: [200, 10_000],
  preMs: [0, 60_000],
  postMs: [0, 60_000],
  maxTransactionMs: [10_000, 60 * 60_000],
  maxRingBytes: [1024 * 1024, 1024 * 1024 * 1024],
  detectEveryN: [1, 30],
  minFaceScore: [0.05, 0.95],
  faceMarginFrac: [0, 2],
  faceHoldMs: [0, 10_000],
  faceGrowPerSec: [0, 10],
  blurCells: [2, 32],
  checkpointMs: [0, 10 * 60_000],
};

export function resolveRecorderConfig(partial: Partial<RecorderConfig> = {}): RecorderConfig {
  const config: RecorderConfig = { ...DEFAULT_RECORDER_CONFIG };
  for (const [key, value] of Object.entries(partial) as [keyof RecorderConfig, unknown][]) {
    if (value !== undefined) (config as unknown as Record<string, unknown>)[key] = value;
  }
  for (const [key, [min, max]] of Object.entries(RANGES) as [NumericKey, readonly [number, number]][]) {
    const v = config[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)
      throw new RecorderConfigError(`${key} must be a number in [${min}, ${max}], got ${String(v)}`);
  }
  // Encoders want even dimensions (4:2:0 chroma).
  if (config.width % 2 !== 0 || config.height % 2 !== 0)
    throw new RecorderConfigError(`width and height must be even, got ${config.width}x${config.height}`);
  if (config.codec !== 'vp8' && config.codec !== 'vp09.00.10.08')
    throw new RecorderConfigError(`codec must be vp8 or vp09.00.10.08, got ${String(config.codec)}`);
  if (!['auto', 'stream', 'frames'].includes(config.frameDelivery))
    throw new RecorderConfigError(`frameDelivery must be auto, stream or frames`);
  if (typeof config.faceBlur !== 'boolean') throw new RecorderConfigError('faceBlur must be a boolean');
  return config;
}

/** The WebM CodecID for the encoder codec string. */
export function webmCodecId(codec: VideoCodecChoice): 'V_VP8' | 'V_VP9' {
  return codec === 'vp8' ? 'V_VP8' : 'V_VP9';
}
