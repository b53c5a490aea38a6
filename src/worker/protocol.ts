/**
 * The typed Comlink API of the app's one inference worker (src/worker/visionWorker.ts). The host
 * part (frames in, metrics) is shared by every task; each task adds its own methods. Hand-landmark
 * inference will add a `HandsApi` here and join `VisionWorkerApi` the same way.
 *
 * Times crossing this boundary are on the recorder clock: `performance.timeOrigin +
 * performance.now()` in ms, which page and worker share and which never jumps with the wall clock.
 * The facade (src/recording/clipRecorder.ts) converts to and from epoch ms.
 */
import type { RecorderConfig } from '../recording/config.ts';
import type { Box } from '../recording/faceBoxes.ts';
import type { Percentiles } from '../recording/rollingStats.ts';

export type RecorderErrorCode =
  | 'webcodecs-unavailable'
  | 'codec-unsupported'
  | 'offscreen-canvas-unavailable'
  | 'face-model-failed'
  | 'config-invalid'
  | 'not-started';

export type InitResult =
  | { ok: true; codec: string; faceBlur: boolean; faceDetector: boolean }
  | { ok: false; code: RecorderErrorCode; message: string };

export type SourceState = 'none' | 'live' | 'ended';

/** One transaction's video, cut from the ring. Times are on the recorder clock. */
export interface WorkerClip {
  txn: string;
  bytes: Uint8Array<ArrayBuffer>;
  mime: 'video/webm';
  codec: string;
  startMs: number;
  endMs: number;
  frames: number;
  faceBlur: boolean;
  /** The ring no longer held the start of the window (recorder started late, or over the cap). */
  truncatedStart: boolean;
}

/** A piece of a still-open transaction, handed out so storage can persist it before the end. */
export interface WorkerCheckpoint extends WorkerClip {
  /** 1, 2, 3 ... per transaction; together the pieces cover it without gap or overlap. */
  seq: number;
}

export interface StillBlurResult {
  /** The image with every face found blurred, by the same function the recorder uses. */
  image: ImageBitmap;
  /** The detector's boxes (image pixels), before margins. Used only to blur, then dropped. */
  faces: Box[];
  /** The regions actually blurred (margins added, clamped). */
  blurred: Box[];
}

export interface RecorderMetrics {
  source: SourceState;
  codec: string;
  width: number;
  height: number;
  faceBlur: boolean;
  /** Camera frames reaching the worker, and frames stored, per second (last 5 s). */
  fpsIn: number;
  fpsOut: number;
  framesIn: number;
  framesEncoded: number;
  /** Frames dropped: above the target rate, while busy (only the newest frame waits), encoder backlog. */
  dropped: { rate: number; busy: number; encoderBacklog: number };
  /** Wall time from encode() to its chunk, per frame. */
  encodeMs: Percentiles;
  /** One face-detector run (every Nth frame). */
  detectMs: Percentiles;
  /** Blurring all boxes of one frame. */
  blurMs: Percentiles;
  /** Whole per-frame pipeline: draw, detect, blur, submit to the encoder. */
  frameMs: Percentiles;
  facesDetected: number;
  /** Frames blurred whole because no detector result could be trusted (fail-safe). */
  fullFrameBlurs: number;
  ringBytes: number;
  ringMs: number;
  ringChunks: number;
  openTransactions: number;
  checkpointsSent: number;
  /** Requests to other origins that the worker answered itself (library telemetry). */
  blockedRequests: number;
  errors: number;
  lastError: string | null;
}

export interface VisionHostApi {
  /** Loads the tasks. Resolves with why recording is impossible instead of throwing. */
  init(config: RecorderConfig): Promise<InitResult>;
  /** A MediaStreamTrackProcessor readable, transferred. Replaces any previous source. */
  attachStream(readable: ReadableStream<VideoFrame>): Promise<number>;
  /** Frame-by-frame delivery: open a new source, then push frames (transferred) to it. */
  beginFrames(): Promise<number>;
  /** false = not taken (busy or stale source); the frame is closed either way. */
  pushFrame(sourceId: number, frame: VideoFrame): Promise<boolean>;
  detachSource(): Promise<void>;
  metrics(): Promise<RecorderMetrics>;
  /** Stops everything; resolves with the final metrics (null if it never started). */
  shutdown(): Promise<RecorderMetrics | null>;
}

export interface RecordingApi {
  markTransactionStart(txn: string, atMs: number): Promise<void>;
  /** Resolves once `postMs` after `atMs` has been recorded; null when no frame covers the window. */
  markTransactionEnd(txn: string, atMs: number): Promise<WorkerClip | null>;
  /** A Comlink.proxy'd callback for checkpoints of open transactions, or null to stop. */
  setCheckpointSink(sink: ((cp: WorkerCheckpoint) => void) | null): Promise<void>;
  /** Detects and blurs faces in one image (a still for evidence, and the e2e check). */
  blurStill(image: ImageBitmap): Promise<StillBlurResult>;
}

export type VisionWorkerApi = VisionHostApi & RecordingApi;
