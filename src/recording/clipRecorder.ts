import * as Comlink from 'comlink';
import type { LaneZones } from '../core/lane/zones.ts';
import type { PerceptionEvent } from '../core/perception/events.ts';
import {
  DEFAULT_VISION_FEATURES,
  type InferenceMetrics,
  type PerceptionBatch,
  type RecorderErrorCode,
  type RecorderMetrics,
  type StillBlurResult,
  type VisionFeatures,
  type VisionWorkerApi,
  type WorkerCheckpoint,
  type WorkerClip,
} from '../worker/protocol.ts';
import type { InferenceStatus } from '../worker/ort/backend.ts';
import { epochToMono, monoToEpoch } from './clock.ts';
import { resolveRecorderConfig, type RecorderConfig } from './config.ts';
import { canTransferTrackStream, startFrameFeed, trackFrameStream, type FrameFeed } from './frameSource.ts';

export type { RecorderConfig } from './config.ts';
export type {
  InferenceMetrics,
  PerceptionBatch,
  RecorderMetrics,
  StillBlurResult,
  VisionFeatures,
} from '../worker/protocol.ts';

/** Perception events on the recorder clock (monotonic ms; see clock.ts), with their whole batch. */
export type PerceptionListener = (events: PerceptionEvent[], batch: PerceptionBatch) => void;

/** One transaction's video. Times are epoch ms (like Date.now() and ClipMeta). */
export interface RecordedClip {
  txn: string;
  bytes: Uint8Array<ArrayBuffer>;
  mime: 'video/webm';
  codec: string;
  startMs: number;
  endMs: number;
  faceBlur: boolean;
  frames: number;
  /** The clip starts later than `preMs` before the start (see docs/recording.md). */
  truncatedStart: boolean;
}

/** A keyframe-aligned piece of a still-open transaction; persist it until the final clip arrives. */
export interface ClipCheckpoint extends RecordedClip {
  seq: number;
}

export type RecorderStatus =
  | { kind: 'idle' }
  | { kind: 'starting' }
  | { kind: 'recording'; delivery: 'stream' | 'frames'; codec: string; faceBlur: boolean }
  /** Recording is off by configuration; the camera is still analysed (hands, zones). */
  | { kind: 'analysing'; delivery: 'stream' | 'frames' }
  | { kind: 'waiting-for-camera' }
  | { kind: 'unavailable'; code: RecorderErrorCode; message: string }
  | { kind: 'stopped' };

/** Recording is impossible in this browser or deployment; `message` is meant for the screen. */
export class RecorderUnavailableError extends Error {
  override name = 'RecorderUnavailableError';
  constructor(
    readonly code: RecorderErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface RecorderDeps {
  /** Tests and other bundles may supply the worker; the default is the app's vision worker. */
  createWorker?: () => Worker;
}

/** Codes no retry can fix in this browser; others (a model that failed to load) may pass later. */
const FINAL_CODES = new Set<RecorderErrorCode>([
  'webcodecs-unavailable',
  'codec-unsupported',
  'offscreen-canvas-unavailable',
]);

function defaultWorker(): Worker {
  return new Worker(new URL('../worker/visionWorker.ts', import.meta.url), {
    type: 'module',
    name: 'vision',
  });
}

interface Session {
  worker: Worker;
  api: Comlink.Remote<VisionWorkerApi>;
}

function toClip(c: WorkerClip): RecordedClip {
  return {
    txn: c.txn,
    bytes: c.bytes,
    mime: c.mime,
    codec: c.codec,
    startMs: monoToEpoch(c.startMs),
    endMs: monoToEpoch(c.endMs),
    faceBlur: c.faceBlur,
    frames: c.frames,
    truncatedStart: c.truncatedStart,
  };
}

/**
 * Main-thread facade of the lane recorder. The camera frames go to the vision worker, which blurs
 * faces, encodes and keeps a pre-roll ring; this class only routes calls and converts clocks.
 * Call `start(stream)` again whenever the camera stream changes (reconnect).
 */
export class ClipRecorder {
  readonly config: RecorderConfig;
  /** The current worker, once booting began; replaced (not reused) after stop(). */
  private session: Promise<Session> | null = null;
  private feed: FrameFeed | null = null;
  private track: MediaStreamTrack | null = null;
  private current: RecorderStatus = { kind: 'idle' };
  private readonly statusListeners = new Set<(s: RecorderStatus) => void>();
  private readonly checkpointListeners = new Set<(cp: ClipCheckpoint) => void>();
  private readonly perceptionListeners = new Set<PerceptionListener>();
  private zones: LaneZones | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  readonly features: VisionFeatures;

  /**
   * `features.record: false` (recording disabled by config) starts the same worker without the
   * face blur and encoder: the camera is still analysed for perception, nothing is stored.
   */
  constructor(
    opts: Partial<RecorderConfig> = {},
    private readonly deps: RecorderDeps = {},
    features: Partial<VisionFeatures> = {},
  ) {
    this.config = resolveRecorderConfig(opts);
    this.features = { ...DEFAULT_VISION_FEATURES, ...features };
  }

  get status(): RecorderStatus {
    return this.current;
  }

  onStatus(fn: (s: RecorderStatus) => void): () => void {
    this.statusListeners.add(fn);
    return () => this.statusListeners.delete(fn);
  }

  /** Pieces of open transactions, every `checkpointMs`, so a crash loses little (see docs). */
  onCheckpoint(fn: (cp: ClipCheckpoint) => void): () => void {
    this.checkpointListeners.add(fn);
    return () => this.checkpointListeners.delete(fn);
  }

  /**
   * Perception events from the worker's tracker, as they happen (only while zones are set).
   * Times (events and batch) are on the recorder clock: convert with monoToEpoch (clock.ts).
   */
  onPerception(fn: PerceptionListener): () => void {
    this.perceptionListeners.add(fn);
    return () => this.perceptionListeners.delete(fn);
  }

  /**
   * The lane's zones for the perception tracker (null: measure only, no events). Kept and
   * re-applied to every new worker, so it may be called before start().
   */
  async setZones(zones: LaneZones | null): Promise<void> {
    this.zones = zones;
    const api = await this.readyApi();
    await api?.setZones(this.zones);
  }

  /** Live inference figures (null before the worker is up). */
  async inferenceMetrics(): Promise<InferenceMetrics | null> {
    const api = await this.readyApi();
    return api ? api.inferenceMetrics() : null;
  }

  /** The worker's ONNX Runtime backend (WebGPU or WASM) and why it was chosen. */
  async inferenceBackend(): Promise<InferenceStatus | null> {
    const api = await this.readyApi();
    return api ? api.inferenceBackend() : null;
  }

  /**
   * Starts the worker and loads the face detector without a camera (optional: start() does it).
   * Lets the app warm up at launch and learn early that recording is impossible.
   */
  async prepare(): Promise<void> {
    const s = this.current;
    if (s.kind === 'unavailable' && FINAL_CODES.has(s.code))
      throw new RecorderUnavailableError(s.code, s.message);
    if (!this.session) this.setStatus({ kind: 'starting' });
    await this.boot();
    if (this.current.kind === 'starting') this.setStatus({ kind: 'waiting-for-camera' });
  }

  /** Starts recording `stream`, or switches to it. Rejects with RecorderUnavailableError. */
  start(stream: MediaStream): Promise<void> {
    const s = this.current;
    if (s.kind === 'unavailable' && FINAL_CODES.has(s.code))
      return Promise.reject(new RecorderUnavailableError(s.code, s.message));
    // Booting starts now, not when the queue gets here, so marks made right after start() wait
    // for the worker instead of being dropped.
    if (!this.session) this.setStatus({ kind: 'starting' });
    const booting = this.boot();
    booting.catch(() => undefined);
    return this.serial(async () => {
      const { api } = await booting;
      const track = stream.getVideoTracks()[0];
      if (!track) throw new Error('ClipRecorder.start: the stream has no video track');
      this.feed?.stop();
      this.feed = null;
      const useStream =
        this.config.frameDelivery === 'stream' ||
        (this.config.frameDelivery === 'auto' && canTransferTrackStream());
      if (useStream) {
        const readable = trackFrameStream(track);
        await api.attachStream(Comlink.transfer(readable, [readable]));
      } else {
        const id = await api.beginFrames();
        // Half a period: the page only thins out fast cameras; the worker's gate sets the exact rate.
        const minIntervalMs = 500 / this.config.fps;
        this.feed = startFrameFeed(track, (f) => api.pushFrame(id, Comlink.transfer(f, [f])), minIntervalMs);
      }
      this.track = track;
      track.addEventListener('ended', () => {
        if (this.track === track && (this.current.kind === 'recording' || this.current.kind === 'analysing'))
          this.setStatus({ kind: 'waiting-for-camera' });
      });
      const delivery = useStream ? 'stream' : 'frames';
      this.setStatus(
        this.features.record
          ? { kind: 'recording', delivery, codec: this.config.codec, faceBlur: this.config.faceBlur }
          : { kind: 'analysing', delivery },
      );
    });
  }

  /** `atMs` is epoch ms (default now). Marks before start() are ignored: nothing was recorded. */
  async markTransactionStart(txn: string, atMs: number = Date.now()): Promise<void> {
    const mono = epochToMono(atMs);
    const api = await this.readyApi();
    await api?.markTransactionStart(txn, mono);
  }

  /** Resolves `postMs` after `atMs` with the clip, or null if nothing was recorded in its window. */
  async markTransactionEnd(txn: string, atMs: number = Date.now()): Promise<RecordedClip | null> {
    const mono = epochToMono(atMs);
    const api = await this.readyApi();
    const clip = api ? await api.markTransactionEnd(txn, mono) : null;
    return clip ? toClip(clip) : null;
  }

  /** Blurs the faces of one image with the recorder's detector and blur (the image is consumed). */
  async blurStill(image: ImageBitmap): Promise<StillBlurResult> {
    const api = await this.readyApi();
    if (!api) throw new RecorderUnavailableError('not-started', 'ClipRecorder.blurStill: start() first');
    return api.blurStill(Comlink.transfer(image, [image]));
  }

  async metrics(): Promise<RecorderMetrics | null> {
    const api = await this.readyApi();
    return api ? api.metrics() : null;
  }

  /**
   * Ends recording. Clips still waiting for their post-roll resolve with what was recorded.
   * Resolves with the final metrics (null if the worker never started). A start() made after
   * this call gets a fresh worker.
   */
  stop(): Promise<RecorderMetrics | null> {
    const session = this.session;
    this.session = null;
    return this.serial(async () => {
      this.feed?.stop();
      this.feed = null;
      this.track = null;
      const s = session ? await session.catch(() => null) : null;
      let final: RecorderMetrics | null = null;
      if (s) {
        final = await s.api.shutdown().catch(() => null);
        s.api[Comlink.releaseProxy]();
        s.worker.terminate();
      }
      if (this.current.kind !== 'unavailable' && !this.session) this.setStatus({ kind: 'stopped' });
      return final;
    });
  }

  private boot(): Promise<Session> {
    if (this.session) return this.session;
    const session = (async (): Promise<Session> => {
      const worker = (this.deps.createWorker ?? defaultWorker)();
      const api = Comlink.wrap<VisionWorkerApi>(worker);
      const result = await api.init(this.config, this.features);
      if (!result.ok) {
        api[Comlink.releaseProxy]();
        worker.terminate();
        this.setStatus({ kind: 'unavailable', code: result.code, message: result.message });
        throw new RecorderUnavailableError(result.code, result.message);
      }
      await api.setCheckpointSink(
        Comlink.proxy((cp: WorkerCheckpoint) => {
          const out: ClipCheckpoint = { ...toClip(cp), seq: cp.seq };
          for (const fn of this.checkpointListeners) fn(out);
        }),
      );
      await api.setPerceptionSink(
        Comlink.proxy((batch: PerceptionBatch) => {
          for (const fn of this.perceptionListeners) fn(batch.events, batch);
        }),
      );
      if (this.zones) await api.setZones(this.zones);
      return { worker, api };
    })();
    this.session = session;
    // A failed boot is forgotten, so a later start() may try again (if the code allows).
    session.catch(() => {
      if (this.session === session) this.session = null;
    });
    return session;
  }

  /** The worker once it is up, null when recording never started (or failed). */
  private async readyApi(): Promise<Comlink.Remote<VisionWorkerApi> | null> {
    if (!this.session) return null;
    return this.session.then(
      (s) => s.api,
      () => null,
    );
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private setStatus(s: RecorderStatus): void {
    this.current = s;
    for (const fn of this.statusListeners) fn(s);
  }
}
