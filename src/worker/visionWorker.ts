/**
 * The app's one inference worker (a module worker). It owns the camera frames after they leave
 * the page and runs the pluggable tasks on them, in order: perception (zone analysis + hand
 * landmarks, on the raw image), the face blur, the clip encoder. See protocol.ts for the API and
 * docs/recording.md for the design.
 */
import * as Comlink from 'comlink';
import { PerceptionTracker } from '../core/perception/tracker.ts';
import type { RecorderConfig } from '../recording/config.ts';
import { installFetchGuard, type GuardScope } from './fetchGuard.ts';
import { VisionHost } from './host.ts';
import { installNativeLogFilter } from './nativeLog.ts';
import {
  DEFAULT_VISION_FEATURES,
  type InferenceMetrics,
  type InitResult,
  type PerceptionBatch,
  type RecorderMetrics,
  type VisionFeatures,
  type VisionWorkerApi,
  type WorkerCheckpoint,
} from './protocol.ts';
import { ClipEncoderTask, checkEncoder } from './tasks/clipEncoder.ts';
import { FaceBlurTask } from './tasks/faceBlur.ts';
import { DEFAULT_HAND_OPTIONS } from './tasks/handLandmarks.ts';
import { HANDS_MODEL_LONG_SIDE, HandsTask, ZONE_GRID } from './tasks/handsTask.ts';
import type { FrameTask } from './tasks/types.ts';
import { WorkerInference } from './ort/inference.ts';
import type { InferenceConfigPatch } from './ort/inferenceConfig.ts';
import { AppearanceTask } from './appearance/appearanceTask.ts';

installNativeLogFilter(console);
let blockedRequests = 0;
installFetchGuard(self as unknown as GuardScope, () => {
  blockedRequests++;
});

interface Running {
  config: RecorderConfig;
  features: VisionFeatures;
  host: VisionHost;
  /** Null when recording is off for this session (analysis only). */
  face: FaceBlurTask | null;
  encoder: ClipEncoderTask | null;
  hands: HandsTask | null;
  /** Label reads of held items (features.appearance); null when off. */
  appearance: AppearanceTask | null;
}

let running: Running | null = null;
// ONNX Runtime tasks (label reader, optional item detector): independent of init(), loaded on first use.
const inference = new WorkerInference();
// The appearance reader has its own runtime in its own worker; it gets the same settings.
let inferencePatch: InferenceConfigPatch | null = null;
let starting: Promise<InitResult> | null = null;

function need(): Running {
  if (!running) throw new Error('vision worker: init() has not succeeded');
  return running;
}

function needEncoder(): ClipEncoderTask | null {
  return need().encoder;
}

async function start(config: RecorderConfig, features: VisionFeatures): Promise<InitResult> {
  if (typeof OffscreenCanvas === 'undefined')
    return {
      ok: false,
      code: 'offscreen-canvas-unavailable',
      message: 'OffscreenCanvas is not available in workers',
    };
  let face: FaceBlurTask | null = null;
  let encoder: ClipEncoderTask | null = null;
  if (features.record) {
    const refused = await checkEncoder(config);
    if (refused) return refused;
    try {
      face = await FaceBlurTask.create(config);
    } catch (err) {
      // Blur is on and cannot work: refuse to record rather than store faces (docs/recording.md).
      const message = err instanceof Error ? err.message : String(err);
      return { ok: false, code: 'face-model-failed', message: `face detector did not load: ${message}` };
    }
    encoder = new ClipEncoderTask(config);
  }
  // Perception first: it needs the raw image, before the blur changes it.
  const hands = features.perception
    ? HandsTask.start({
        hands: { ...DEFAULT_HAND_OPTIONS, wasmBaseUrl: config.wasmBaseUrl },
        modelLongSide: HANDS_MODEL_LONG_SIDE,
        gridWidth: ZONE_GRID.width,
        gridHeight: ZONE_GRID.height,
        createTracker: (zones) => new PerceptionTracker(zones),
        // Half a stored-frame period behind: alternate the hand model with recording, which must
        // keep its rate (the model alone takes most of a frame period on a 2-core kiosk).
        shedAfterMs: 500 / config.fps,
      })
    : null;
  // Loading the model compiles its graph on this thread for a second or more: done before the
  // first frame, so it never stalls recording mid-transaction. A failure leaves recording on.
  await hands?.loaded;
  const appearance =
    hands && features.appearance ? new AppearanceTask({ emit: (e, t) => hands.publish(e, t) }) : null;
  if (appearance) {
    if (inferencePatch) appearance.configure(inferencePatch);
    hands?.setObserver(appearance);
  }
  const host = new VisionHost(config);
  const tasks: (FrameTask | null)[] = [hands, face, encoder];
  host.setTasks(tasks.filter((t): t is FrameTask => t !== null));
  const ok = {
    ok: true,
    codec: config.codec,
    faceBlur: features.record && config.faceBlur,
    faceDetector: face?.detectorReady ?? false,
  } as const;
  running = { config, features, host, face, encoder, hands, appearance };
  return ok;
}

const NO_STATS = { n: 0, p50: 0, p95: 0, max: 0 };

function collect({ config, host, face, encoder, hands }: Running): RecorderMetrics {
  const now = performance.timeOrigin + performance.now();
  return {
    source: host.source,
    codec: config.codec,
    width: config.width,
    height: config.height,
    faceBlur: face !== null && config.faceBlur,
    fpsIn: host.rateIn.rate(now),
    fpsOut: encoder?.rateOut.rate(now) ?? 0,
    framesIn: host.framesIn,
    framesEncoded: encoder?.framesEncoded ?? 0,
    dropped: { ...host.dropped, encoderBacklog: encoder?.droppedBacklog ?? 0 },
    encodeMs: encoder?.encodeMs.summary() ?? NO_STATS,
    detectMs: face?.detectMs.summary() ?? NO_STATS,
    blurMs: face?.blurMs.summary() ?? NO_STATS,
    frameMs: host.frameMs.summary(),
    facesDetected: face?.facesDetected ?? 0,
    fullFrameBlurs: face?.fullFrameBlurs ?? 0,
    ...(encoder?.ringStats() ?? { ringBytes: 0, ringMs: 0, ringChunks: 0, openTransactions: 0 }),
    checkpointsSent: encoder?.checkpointsSent ?? 0,
    blockedRequests,
    errors: host.errors + (face?.errors ?? 0) + (encoder?.errors ?? 0) + (hands?.errors ?? 0),
    lastError: encoder?.lastError ?? face?.lastError ?? host.lastError ?? hands?.lastError ?? null,
  };
}

function collectInference({ host, hands, appearance }: Running): InferenceMetrics {
  const now = performance.timeOrigin + performance.now();
  return {
    state: hands?.state ?? 'off',
    backend: hands?.backend ?? 'mediapipe-wasm',
    model: hands?.model ?? '',
    modelInput: hands?.modelInput ?? { width: 0, height: 0 },
    zones: hands?.zonesSet ?? false,
    fps: hands?.rate.rate(now) ?? 0,
    framesSeen: hands?.framesSeen ?? 0,
    framesAnalysed: hands?.framesAnalysed ?? 0,
    framesGated: hands?.framesGated ?? 0,
    framesShed: hands?.framesShed ?? 0,
    framesWithHands: hands?.framesWithHands ?? 0,
    hands: hands?.lastHandCount ?? 0,
    latencyMs: hands?.latencyMs.summary() ?? NO_STATS,
    handsMs: hands?.handsMs.summary() ?? NO_STATS,
    zonesMs: hands?.zonesMs.summary() ?? NO_STATS,
    frameMs: host.frameMs.summary(),
    holding: hands?.holding.summary() ?? NO_STATS,
    eventsEmitted: hands?.eventsEmitted ?? 0,
    framesIn: host.framesIn,
    framesProcessed: host.framesProcessed,
    dropped: { ...host.dropped },
    errors: hands?.errors ?? 0,
    lastError: hands?.lastError ?? null,
    ...(appearance ? { appearance: appearance.metrics() } : {}),
  };
}

const api: VisionWorkerApi = {
  init(config, features = DEFAULT_VISION_FEATURES) {
    starting ??= start(config, features).then((r) => {
      if (!r.ok) starting = null;
      return r;
    });
    return starting;
  },

  async attachStream(readable) {
    return need().host.attachStream(readable);
  },

  async beginFrames() {
    return need().host.beginFrames();
  },

  async pushFrame(sourceId, frame, tMs) {
    if (!running) {
      frame.close();
      return false;
    }
    return running.host.offer(sourceId, frame, tMs);
  },

  async detachSource() {
    running?.host.detach();
  },

  async metrics() {
    return collect(need());
  },

  async shutdown() {
    const r = running;
    running = null;
    starting = null;
    if (!r) return null;
    r.appearance?.dispose();
    await r.host.dispose();
    // Let clips released by the encoder's dispose reach the page before the worker is ended.
    await new Promise((resolve) => setTimeout(resolve, 0));
    // Final figures, after the detector's close (and its blocked usage log).
    return collect(r);
  },

  async markTransactionStart(txn, atMs) {
    needEncoder()?.markStart(txn, atMs);
  },

  async markTransactionEnd(txn, atMs) {
    // Not recording in this session: there is no clip to give.
    const clip = (await needEncoder()?.markEnd(txn, atMs)) ?? null;
    return clip ? Comlink.transfer(clip, [clip.bytes.buffer]) : null;
  },

  async setCheckpointSink(sink) {
    needEncoder()?.setSink(
      sink
        ? (cp: WorkerCheckpoint) => {
            // Fire and forget: a slow consumer must not stall the frame pipeline.
            void Promise.resolve(sink(Comlink.transfer(cp, [cp.bytes.buffer]))).catch(() => undefined);
          }
        : null,
    );
  },

  async blurStill(image) {
    const face = need().face;
    if (!face) {
      image.close();
      throw new Error('blurStill: recording (and with it the face blur) is off in this session');
    }
    const result = face.blurStill(image);
    return Comlink.transfer(result, [result.image]);
  },

  async setZones(zones) {
    need().hands?.setZones(zones);
  },

  async setPerceptionSink(sink) {
    need().hands?.setSink(
      sink
        ? (batch: PerceptionBatch) => {
            // Fire and forget, like checkpoints: the page must never hold up the frame pipeline.
            void Promise.resolve(sink(batch)).catch(() => undefined);
          }
        : null,
    );
  },

  async inferenceMetrics() {
    return collectInference(need());
  },

  async configureInference(config) {
    inference.configure(config);
    inferencePatch = { ...inferencePatch, ...config };
    running?.appearance?.configure(config);
  },

  readLabel(image) {
    return inference.readLabel(image);
  },

  inferenceBackend() {
    return inference.status();
  },

  detectItems(image) {
    return inference.detectItems(image);
  },
};

Comlink.expose(api);
