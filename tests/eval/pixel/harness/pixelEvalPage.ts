/**
 * The pixel evaluation page (tests and benchmarks only): built with the kiosk (vite.config.ts) so
 * it is served at the app's origin with the same /models/ and /mediapipe/ files, and driven by
 * Playwright (tests/eval/pixel/browserRun.ts, tests/e2e/landmarks.spec.ts). Inference runs in a
 * module worker, as on a lane.
 */
import * as Comlink from 'comlink';
import type {
  FramesRequest,
  FramesResult,
  OpenOptions,
  PixelEvalWorkerApi,
  ReviewOpenRequest,
} from './pixelEvalWorker.ts';
import type { ReviewResult } from '../../../../src/review/reviewClip.ts';
import { REVIEW_PROFILES, splitClip, type ReviewProfileName } from '../../../../src/review/reviewProfiles.ts';
import type { LaneZones } from '../../../../src/core/lane/zones.ts';
import type { LaneRunRequest, LaneRunResult } from '../speedLane.ts';
import type { PerceptionEvent } from '../../../../src/core/perception/events.ts';
import { DEFAULT_RECORDER_CONFIG } from '../../../../src/recording/config.ts';
import type { InferenceMetrics, PerceptionBatch, VisionWorkerApi } from '../../../../src/worker/protocol.ts';

const BASE = import.meta.env.BASE_URL;

export interface LandmarkRun extends FramesResult {
  createMs: number;
  blockedRequests: number;
}

/** Opens a fresh worker (a fresh wasm runtime and model), runs the frames, ends the worker. */
async function landmarks(
  open: Omit<OpenOptions, 'wasmBaseUrl'>,
  frames: FramesRequest,
): Promise<LandmarkRun> {
  const worker = new Worker(new URL('./pixelEvalWorker.ts', import.meta.url), { type: 'module' });
  const api = Comlink.wrap<PixelEvalWorkerApi>(worker);
  try {
    const { createMs } = await api.open({ ...open, wasmBaseUrl: `${BASE}mediapipe` });
    const result = await api.runFrames(frames);
    const { blockedRequests } = await api.close();
    return { ...result, createMs, blockedRequests };
  } finally {
    api[Comlink.releaseProxy]();
    worker.terminate();
  }
}

/** The live hands task over a clip in a fresh evaluation worker (tests/eval/pixel/speedLane.ts). */
async function laneSpeed(req: Omit<LaneRunRequest, 'wasmBaseUrl'>): Promise<LaneRunResult> {
  const worker = new Worker(new URL('./pixelEvalWorker.ts', import.meta.url), { type: 'module' });
  const api = Comlink.wrap<PixelEvalWorkerApi>(worker);
  try {
    return await api.laneRun({ ...req, wasmBaseUrl: `${BASE}mediapipe` });
  } finally {
    api[Comlink.releaseProxy]();
    worker.terminate();
  }
}

export interface ReviewSpeedRun {
  parts: ReviewResult[];
  /** From starting every part (all workers warm) to the last one done: decoding included. */
  wallMs: number;
}

/**
 * A stored clip reviewed with a profile (src/review/): one warm worker per part of the clip,
 * started together once all have loaded, timed until the last finishes.
 */
async function reviewSpeed(req: {
  profile: ReviewProfileName;
  clipUrl: string;
  durationMs: number;
  zones: LaneZones;
  modelFile: string;
  warmupMs: number;
  cpuCanvas?: boolean;
}): Promise<ReviewSpeedRun> {
  const profile = REVIEW_PROFILES[req.profile];
  const parts = splitClip(req.durationMs, profile.workers, req.warmupMs);
  const workers = parts.map(
    () => new Worker(new URL('./pixelEvalWorker.ts', import.meta.url), { type: 'module' }),
  );
  const apis = workers.map((w) => Comlink.wrap<PixelEvalWorkerApi>(w));
  try {
    await Promise.all(
      apis.map((api, i) => {
        const open: ReviewOpenRequest = {
          clipUrl: req.clipUrl,
          profile,
          zones: req.zones,
          modelUrl: `${BASE}models/${req.modelFile}`,
          wasmBaseUrl: `${BASE}mediapipe`,
          part: parts[i],
          cpuCanvas: req.cpuCanvas,
        };
        return api.reviewOpen(open);
      }),
    );
    const t0 = performance.now();
    const results = await Promise.all(apis.map((api) => api.reviewRun()));
    return { parts: results, wallMs: performance.now() - t0 };
  } finally {
    apis.forEach((api) => api[Comlink.releaseProxy]());
    workers.forEach((w) => w.terminate());
  }
}

export interface WorkerRun {
  /** Recorder-clock stamp of each frame pushed (frame i is media time i / fps). */
  stampsMs: number[];
  events: PerceptionEvent[];
  batches: number;
  framesPushed: number;
  wallMs: number;
  metrics: InferenceMetrics;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const recorderNow = () => performance.timeOrigin + performance.now();

/**
 * The clip through the app's own worker (src/worker/visionWorker.ts), frames in order through
 * beginFrames/pushFrame, perception events back through setPerceptionSink.
 * - pace 'media': frame i is stamped t0 + i / fps (media time) and the next frame waits until the
 *   worker has taken this one (processed, or skipped by its 12 fps rate gate): every frame the
 *   lane's rate keeps is analysed, whatever this machine's speed.
 * - pace 'realtime': frames are handed over on the video's own wall-clock schedule and stamped when
 *   handed over, like a camera; the worker drops what it cannot keep up with, as on a lane here.
 */
async function workerRun(opts: {
  urls: string[];
  fps: number;
  zones: LaneZones;
  tailMs: number;
  /** Recording (face blur + encoder) beside perception, as on a lane that records. */
  record: boolean;
  pace: 'media' | 'realtime';
}): Promise<WorkerRun> {
  const blobs = await Promise.all(opts.urls.map(async (u) => (await fetch(u)).blob()));
  const worker = new Worker(new URL('../../../../src/worker/visionWorker.ts', import.meta.url), {
    type: 'module',
  });
  const api = Comlink.wrap<VisionWorkerApi>(worker);
  const events: PerceptionEvent[] = [];
  let batches = 0;
  try {
    const init = await api.init(
      {
        ...DEFAULT_RECORDER_CONFIG,
        wasmBaseUrl: `${BASE}mediapipe`,
        faceModelUrl: `${BASE}models/face_detector_short_range.tflite`,
      },
      { record: opts.record, perception: true },
    );
    if (!init.ok) throw new Error(`worker init: ${init.code}: ${init.message}`);
    await api.setZones(opts.zones);
    await api.setPerceptionSink(
      Comlink.proxy((b: PerceptionBatch) => {
        batches++;
        events.push(...b.events);
      }),
    );
    for (let i = 0; (await api.inferenceMetrics()).state === 'loading'; i++) {
      if (i > 600) throw new Error('hand model still loading after 60 s');
      await sleep(100);
    }
    const source = await api.beginFrames();
    const stampsMs: number[] = [];
    const t0Ms = recorderNow();
    const wall0 = performance.now();
    const base = await api.inferenceMetrics();
    for (let i = 0; i < blobs.length; i++) {
      if (opts.pace === 'realtime') {
        const wait = wall0 + (i * 1000) / opts.fps - performance.now();
        if (wait > 1) await sleep(wait);
      }
      const bitmap = await createImageBitmap(blobs[i]!);
      const frame = new VideoFrame(bitmap, { timestamp: Math.round((i * 1e6) / opts.fps) });
      bitmap.close();
      const stamp = opts.pace === 'media' ? t0Ms + (i * 1000) / opts.fps : recorderNow();
      stampsMs.push(stamp);
      // Stamped here, like a camera's capture time: the worker may read its queue late when busy.
      const pushed = api.pushFrame(
        source,
        Comlink.transfer(frame, [frame as unknown as Transferable]),
        stamp,
      );
      if (opts.pace === 'media') {
        await pushed;
        for (;;) {
          const m = await api.inferenceMetrics();
          if (m.framesProcessed + m.dropped.rate - base.framesProcessed - base.dropped.rate >= i + 1) break;
          await sleep(2);
        }
      }
    }
    // Let the tracker close its last tracks.
    await sleep(opts.tailMs);
    const metrics = await api.inferenceMetrics();
    return {
      stampsMs,
      events,
      batches,
      framesPushed: blobs.length,
      wallMs: performance.now() - wall0,
      metrics,
    };
  } finally {
    await api.shutdown().catch(() => null);
    api[Comlink.releaseProxy]();
    worker.terminate();
  }
}

const api = { landmarks, workerRun, laneSpeed, reviewSpeed, base: BASE };
export type PixelEvalHarness = typeof api;
(window as unknown as { pixelEval: PixelEvalHarness }).pixelEval = api;
document.body.dataset.ready = 'true';
