/**
 * Analysis speed as the product reviews a recorded clip (browser side, in the evaluation worker):
 * the live hands task itself (src/worker/tasks/handsTask.ts: zone analysis, motion gating, hand
 * model, holding estimate, tracker) fed the clip's frames the way the worker host feeds camera
 * frames: kept by the lane's frame-rate gate, drawn into a canvas, then processed. The clip's
 * length over the summed processing time is its analysis speed.
 */
import type { LaneZones } from '../../../src/core/lane/zones.ts';
import { PerceptionTracker } from '../../../src/core/perception/tracker.ts';
import { FrameRateGate } from '../../../src/recording/rollingStats.ts';
import { HandsTask, ZONE_GRID } from '../../../src/worker/tasks/handsTask.ts';
import { DEFAULT_HANDS_GATE } from '../../../src/worker/tasks/handsGate.ts';

export interface LaneRunRequest {
  urls: string[];
  /** The clip's own frame rate (frame i is at i / videoFps s). */
  videoFps: number;
  /** The lane's analysis rate (the host's FrameRateGate); null = every frame of the clip. */
  laneFps: number | null;
  /** The live task's motion gating on (true) or the hand model on every kept frame (false). */
  motionGate: boolean;
  modelUrl: string;
  wasmBaseUrl: string;
  delegate: 'CPU' | 'GPU';
  modelLongSide: number;
  zones: LaneZones;
  budgetMs?: number;
}

export interface LaneRunResult {
  framesInClip: number;
  /** Frames the clip offered before the time budget ran out (all of them unless stoppedEarly). */
  framesOffered: number;
  framesKept: number;
  framesAnalysed: number;
  framesGated: number;
  framesWithHands: number;
  /** Per kept frame: drawing it into the host canvas plus the task's process() (decoding excluded). */
  processMs: number[];
  decodeMs: number[];
  handsMsP50: number;
  createMs: number;
  stoppedEarly: boolean;
  errors: number;
  lastError: string | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function decode(url: string): Promise<ImageBitmap> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return createImageBitmap(await res.blob());
}

export async function laneRun(req: LaneRunRequest): Promise<LaneRunResult> {
  const c0 = performance.now();
  const task = HandsTask.start({
    hands: { modelUrl: req.modelUrl, wasmBaseUrl: req.wasmBaseUrl, delegate: req.delegate },
    modelLongSide: req.modelLongSide,
    gridWidth: ZONE_GRID.width,
    gridHeight: ZONE_GRID.height,
    createTracker: (zones) => new PerceptionTracker(zones),
    gate: req.motionGate ? DEFAULT_HANDS_GATE : null,
  });
  try {
    while (task.state === 'loading') await sleep(20);
    if (task.state === 'failed') throw new Error(task.lastError ?? 'hand model failed to load');
    const createMs = performance.now() - c0;
    task.setZones(req.zones);
    const rate = req.laneFps ? new FrameRateGate(req.laneFps) : null;
    const processMs: number[] = [];
    const decodeMs: number[] = [];
    let canvas: OffscreenCanvas | null = null;
    let ctx: OffscreenCanvasRenderingContext2D | null = null;
    let offered = 0;
    let stoppedEarly = false;
    const start = performance.now();
    for (let i = 0; i < req.urls.length; i++) {
      if (req.budgetMs !== undefined && performance.now() - start > req.budgetMs) {
        stoppedEarly = true;
        break;
      }
      offered++;
      const tMs = (i * 1000) / req.videoFps;
      // Frames the lane's rate drops are never decoded on a lane either (the host closes them).
      if (rate && !rate.accept(tMs)) continue;
      const d0 = performance.now();
      const bitmap = await decode(req.urls[i]!);
      decodeMs.push(performance.now() - d0);
      const t0 = performance.now();
      if (!canvas || canvas.width !== bitmap.width || canvas.height !== bitmap.height) {
        canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        // As src/worker/host.ts makes its frame canvas.
        ctx = canvas.getContext('2d', { alpha: false, desynchronized: true });
        if (!ctx) throw new Error('no 2D context on OffscreenCanvas');
      }
      ctx!.drawImage(bitmap, 0, 0);
      bitmap.close();
      task.process({
        canvas,
        ctx: ctx!,
        tMs,
        index: processMs.length,
        content: { x: 0, y: 0, w: canvas.width, h: canvas.height },
      });
      processMs.push(performance.now() - t0);
    }
    return {
      framesInClip: req.urls.length,
      framesOffered: offered,
      framesKept: processMs.length,
      framesAnalysed: task.framesAnalysed,
      framesGated: task.framesGated,
      framesWithHands: task.framesWithHands,
      processMs,
      decodeMs,
      handsMsP50: task.handsMs.summary().p50,
      createMs,
      stoppedEarly,
      errors: task.errors,
      lastError: task.lastError,
    };
  } finally {
    task.dispose();
  }
}
