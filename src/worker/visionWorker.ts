/**
 * The app's one inference worker (a module worker). It owns the camera frames after they leave
 * the page and runs the pluggable tasks on them: today the face blur and the clip encoder;
 * hand-landmark inference joins as another task (before the blur, on the raw image) with its own
 * methods added to the API. See protocol.ts for the API and docs/recording.md for the design.
 */
import * as Comlink from 'comlink';
import type { RecorderConfig } from '../recording/config.ts';
import { installFetchGuard, type GuardScope } from './fetchGuard.ts';
import { VisionHost } from './host.ts';
import { installNativeLogFilter } from './nativeLog.ts';
import type { InitResult, RecorderMetrics, VisionWorkerApi, WorkerCheckpoint } from './protocol.ts';
import { ClipEncoderTask, checkEncoder } from './tasks/clipEncoder.ts';
import { FaceBlurTask } from './tasks/faceBlur.ts';

installNativeLogFilter(console);
let blockedRequests = 0;
installFetchGuard(self as unknown as GuardScope, () => {
  blockedRequests++;
});

interface Running {
  config: RecorderConfig;
  host: VisionHost;
  face: FaceBlurTask;
  encoder: ClipEncoderTask;
}

let running: Running | null = null;
let starting: Promise<InitResult> | null = null;

function need(): Running {
  if (!running) throw new Error('vision worker: init() has not succeeded');
  return running;
}

async function start(config: RecorderConfig): Promise<InitResult> {
  if (typeof OffscreenCanvas === 'undefined')
    return {
      ok: false,
      code: 'offscreen-canvas-unavailable',
      message: 'OffscreenCanvas is not available in workers',
    };
  const refused = await checkEncoder(config);
  if (refused) return refused;
  let face: FaceBlurTask;
  try {
    face = await FaceBlurTask.create(config);
  } catch (err) {
    // Blur is on and cannot work: refuse to record rather than store faces (docs/recording.md).
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, code: 'face-model-failed', message: `face detector did not load: ${message}` };
  }
  const host = new VisionHost(config);
  const encoder = new ClipEncoderTask(config);
  host.setTasks([face, encoder]);
  const ok = {
    ok: true,
    codec: config.codec,
    faceBlur: config.faceBlur,
    faceDetector: face.detectorReady,
  } as const;
  running = { config, host, face, encoder };
  return ok;
}

function collect({ config, host, face, encoder }: Running): RecorderMetrics {
  const now = performance.timeOrigin + performance.now();
  return {
    source: host.source,
    codec: config.codec,
    width: config.width,
    height: config.height,
    faceBlur: config.faceBlur,
    fpsIn: host.rateIn.rate(now),
    fpsOut: encoder.rateOut.rate(now),
    framesIn: host.framesIn,
    framesEncoded: encoder.framesEncoded,
    dropped: { ...host.dropped, encoderBacklog: encoder.droppedBacklog },
    encodeMs: encoder.encodeMs.summary(),
    detectMs: face.detectMs.summary(),
    blurMs: face.blurMs.summary(),
    frameMs: host.frameMs.summary(),
    facesDetected: face.facesDetected,
    fullFrameBlurs: face.fullFrameBlurs,
    ...encoder.ringStats(),
    checkpointsSent: encoder.checkpointsSent,
    blockedRequests,
    errors: host.errors + face.errors + encoder.errors,
    lastError: encoder.lastError ?? face.lastError ?? host.lastError,
  };
}

const api: VisionWorkerApi = {
  init(config) {
    starting ??= start(config).then((r) => {
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

  async pushFrame(sourceId, frame) {
    if (!running) {
      frame.close();
      return false;
    }
    return running.host.offer(sourceId, frame);
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
    await r.host.dispose();
    // Let clips released by the encoder's dispose reach the page before the worker is ended.
    await new Promise((resolve) => setTimeout(resolve, 0));
    // Final figures, after the detector's close (and its blocked usage log).
    return collect(r);
  },

  async markTransactionStart(txn, atMs) {
    need().encoder.markStart(txn, atMs);
  },

  async markTransactionEnd(txn, atMs) {
    const clip = await need().encoder.markEnd(txn, atMs);
    return clip ? Comlink.transfer(clip, [clip.bytes.buffer]) : null;
  },

  async setCheckpointSink(sink) {
    need().encoder.setSink(
      sink
        ? (cp: WorkerCheckpoint) => {
            // Fire and forget: a slow consumer must not stall the frame pipeline.
            void Promise.resolve(sink(Comlink.transfer(cp, [cp.bytes.buffer]))).catch(() => undefined);
          }
        : null,
    );
  },

  async blurStill(image) {
    const result = need().face.blurStill(image);
    return Comlink.transfer(result, [result.image]);
  },
};

Comlink.expose(api);
