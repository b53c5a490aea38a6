/**
 * The typed Comlink API of the app's one inference worker (src/worker/visionWorker.ts). The host
 * part (frames in, metrics) is shared by every task; each task adds its own methods (recording,
 * perception) and joins `VisionWorkerApi`.
 *
 * Times crossing this boundary are on the recorder clock: `performance.timeOrigin +
 * performance.now()` in ms, which page and worker share and which never jumps with the wall clock.
 * The facade (src/recording/clipRecorder.ts) converts to and from epoch ms.
 */
import type { LaneZones } from '../core/lane/zones.ts';
import type { PerceptionEvent } from '../core/perception/events.ts';
import type { RecorderConfig } from '../recording/config.ts';
import type { Box } from '../recording/faceBoxes.ts';
import type { Percentiles } from '../recording/rollingStats.ts';
import type { InferenceStatus } from './ort/backend.ts';
import type { InferenceConfigPatch } from './ort/inferenceConfig.ts';
import type { LabelRead } from './tasks/labelReader.ts';
import type { ItemDetection } from './tasks/itemDetectorConfig.ts';
import type { AppearanceMetrics } from './appearance/appearanceApi.ts';

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

/** What a worker session runs besides the host. */
export interface VisionFeatures {
  /** Face blur + encoder + ring. Off: frames are only analysed (recording disabled by config). */
  record: boolean;
  /** Zone analysis + hand landmarks + perception tracker. */
  perception: boolean;
  /**
   * Label reads of held items in the scanner, emitted as itemAppearance (needs perception). The
   * reader loads on the first read, in its own worker (src/worker/appearance/). Default off.
   */
  appearance?: boolean;
}

export const DEFAULT_VISION_FEATURES: Readonly<VisionFeatures> = Object.freeze({
  record: true,
  perception: true,
});

export interface VisionHostApi {
  /**
   * Loads the tasks. Resolves with why recording is impossible instead of throwing. The hand
   * model loads in the background after this resolves; it never delays or blocks recording.
   */
  init(config: RecorderConfig, features?: VisionFeatures): Promise<InitResult>;
  /** A MediaStreamTrackProcessor readable, transferred. Replaces any previous source. */
  attachStream(readable: ReadableStream<VideoFrame>): Promise<number>;
  /** Frame-by-frame delivery: open a new source, then push frames (transferred) to it. */
  beginFrames(): Promise<number>;
  /**
   * false = not taken (busy or stale source); the frame is closed either way. `tMs` (recorder
   * clock) stamps the frame instead of its arrival time: the pixel evaluation feeds a recorded
   * video with media timestamps (tests/eval/pixel).
   */
  pushFrame(sourceId: number, frame: VideoFrame, tMs?: number): Promise<boolean>;
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

/** One batch for the page: what the tracker emitted on one frame. Times on the recorder clock. */
export interface PerceptionBatch {
  events: PerceptionEvent[];
  /** Capture time of the frame that produced the batch. */
  tMs: number;
  /** Hands seen on that frame. */
  hands: number;
}

export type InferenceBackend = 'mediapipe-wasm' | 'mediapipe-webgl';

export interface InferenceMetrics {
  /** 'off': perception not enabled in this session; 'failed': the hand model did not load. */
  state: 'off' | 'loading' | 'ready' | 'failed';
  backend: InferenceBackend;
  /** The hand model file, e.g. 'hand_landmarker_lite.task'. */
  model: string;
  /** Size of the image given to the hand model (a downscaled crop of the camera image). */
  modelInput: { width: number; height: number };
  zones: boolean;
  /** Frames the hand model ran on, per second over the last 5 s. */
  fps: number;
  /** Frames the perception task saw (every stored frame), analysed ones, skipped by motion gating. */
  framesSeen: number;
  framesAnalysed: number;
  framesGated: number;
  /** Frames whose hand-model run was skipped because the worker was behind (recording keeps its rate). */
  framesShed: number;
  framesWithHands: number;
  /** Hands on the last analysed frame. */
  hands: number;
  /** Capture to observation, per analysed frame (includes the wait for the worker). */
  latencyMs: Percentiles;
  /** The hand model alone, per analysed frame. */
  handsMs: Percentiles;
  /** Downscale + zone analysis, per frame. */
  zonesMs: Percentiles;
  /** The host's whole pipeline per frame (perception, blur, encode): what a waiting frame waits for. */
  frameMs: Percentiles;
  /** `holding` of every hand seen (recent 240). */
  holding: Percentiles;
  eventsEmitted: number;
  /** Camera frames in, processed, and dropped by the host (never queued: only the newest waits). */
  framesIn: number;
  framesProcessed: number;
  dropped: { rate: number; busy: number };
  errors: number;
  lastError: string | null;
  /** Item-appearance label reads; absent when off in this session. */
  appearance?: AppearanceMetrics;
}

export interface PerceptionApi {
  /** The lane's calibration; null = measure hands and motion for metrics, emit no events. */
  setZones(zones: LaneZones | null): Promise<void>;
  /** A Comlink.proxy'd callback for perception batches (fire and forget), or null to stop. */
  setPerceptionSink(sink: ((batch: PerceptionBatch) => void) | null): Promise<void>;
  inferenceMetrics(): Promise<InferenceMetrics>;
}

/**
 * Wrong-scan label reader (PP-OCR on onnxruntime-web) and the backend it runs on. The models load
 * on the first readLabel(), never at init(), so they cannot delay recording.
 */
export interface LabelReaderApi {
  /** Model URLs, backend preference ('auto' | 'webgpu' | 'wasm'), optional item detector. */
  configureInference(config: InferenceConfigPatch): Promise<void>;
  /** Reads the packaging text on one image (transferred; closed by the worker). */
  readLabel(image: ImageBitmap): Promise<LabelRead>;
  /** The backend chosen and why, and the sessions loaded so far. */
  inferenceBackend(): Promise<InferenceStatus>;
  /** The optional item detector (docs/item-detector.md); [] when none is configured. */
  detectItems(image: ImageBitmap): Promise<ItemDetection[]>;
}

export type VisionWorkerApi = VisionHostApi & RecordingApi & PerceptionApi & LabelReaderApi;
