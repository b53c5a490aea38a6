/**
 * Evaluation worker (tests only, never shipped to a lane): runs the app's own HandLandmarks
 * wrapper, the exact code the live hands task uses, on still images and on decoded video frames,
 * and times it. Frames arrive as URLs of ffmpeg-extracted images so frame i is exactly golden
 * frame i; decoding is timed apart from inference.
 */
import * as Comlink from 'comlink';
import { HandLandmarks } from '../../../../src/worker/tasks/handLandmarks.ts';
import { ZoneAnalyzer, rgbaToGrey } from '../../../../src/worker/tasks/zoneAnalysis.ts';
import type { LaneZones } from '../../../../src/core/lane/zones.ts';
import { installFetchGuard, type GuardScope } from '../../../../src/worker/fetchGuard.ts';
import { installNativeLogFilter } from '../../../../src/worker/nativeLog.ts';
import { StudyInput, type ModelInputKind } from '../speedInput.ts';
import { laneRun } from '../speedLane.ts';
import { ClipReview, type ReviewRequest, type ReviewResult } from '../../../../src/review/reviewClip.ts';
import { parseIvf } from '../../../../src/review/ivf.ts';

installNativeLogFilter(console);
let blockedRequests = 0;
installFetchGuard(self as unknown as GuardScope, () => {
  blockedRequests++;
});

export interface OpenOptions {
  modelUrl: string;
  wasmBaseUrl: string;
  delegate: 'CPU' | 'GPU';
}

export interface FramesRequest {
  /** Frame image URLs, in media order. */
  urls: string[];
  /** Timestamp of frame i = firstMs + i * stepMs (VIDEO mode needs increasing media times). */
  firstMs: number;
  stepMs: number;
  /** Also run the zone analysis (128x72 grey grid) on each frame, as the live task does. */
  zones?: LaneZones | null;
  /**
   * Downscale each frame so its longer side is this many px before the hand model, as the live
   * hands task does (HANDS_MODEL_LONG_SIDE); landmarks are still reported in frame pixels.
   */
  inputLongSide?: number;
  /**
   * How the frame reaches the hand model (the speed study, tests/eval/pixel/speedInputs.ts). Unset:
   * the decoded ImageBitmap itself (or the downscaled canvas with inputLongSide), as before. Set:
   * the frame is first drawn into a 2D canvas like the live host's, and handed over as that
   * canvas (or a downscaled copy), a CPU-backed canvas, an ImageBitmap or a VideoFrame of it.
   */
  inputKind?: ModelInputKind;
  /** Give up after this much wall time (slow emulated backends); frames done so far are kept. */
  budgetMs?: number;
}

export interface FramesResult {
  /** Per frame, per detected hand, 21 [x, y] pixel points. */
  hands: [number, number][][][];
  detectMs: number[];
  zonesMs: number[];
  decodeMs: number[];
  width: number;
  height: number;
  stoppedEarly: boolean;
}

let landmarks: HandLandmarks | null = null;
let review: ClipReview | null = null;

/** A review profile run (tests/eval/pixel/speedReview.ts): the clip is fetched, not part of the time. */
export type ReviewOpenRequest = Omit<ReviewRequest, 'clip'> & { clipUrl: string };

async function decode(url: string): Promise<ImageBitmap> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return createImageBitmap(await res.blob());
}

const api = {
  async open(o: OpenOptions): Promise<{ createMs: number }> {
    landmarks?.close();
    landmarks = null;
    const t0 = performance.now();
    landmarks = await HandLandmarks.create({
      modelUrl: o.modelUrl,
      wasmBaseUrl: o.wasmBaseUrl,
      delegate: o.delegate,
    });
    return { createMs: performance.now() - t0 };
  },

  async runFrames(req: FramesRequest): Promise<FramesResult> {
    const lm = landmarks;
    if (!lm) throw new Error('open() first');
    const out: FramesResult = {
      hands: [],
      detectMs: [],
      zonesMs: [],
      decodeMs: [],
      width: 0,
      height: 0,
      stoppedEarly: false,
    };
    let analyzer: ZoneAnalyzer | null = null;
    let grid: OffscreenCanvasRenderingContext2D | null = null;
    let grey: Uint8Array | null = null;
    if (req.zones !== undefined) {
      analyzer = new ZoneAnalyzer(128, 72);
      analyzer.setZones(req.zones);
      grid = new OffscreenCanvas(128, 72).getContext('2d', { willReadFrequently: true });
      grey = new Uint8Array(128 * 72);
    }
    let small: OffscreenCanvas | null = null;
    const studyInput = new StudyInput();
    const start = performance.now();
    for (let i = 0; i < req.urls.length; i++) {
      if (req.budgetMs !== undefined && performance.now() - start > req.budgetMs) {
        out.stoppedEarly = true;
        break;
      }
      const t0 = performance.now();
      const bitmap = await decode(req.urls[i]!);
      out.decodeMs.push(performance.now() - t0);
      out.width = bitmap.width;
      out.height = bitmap.height;
      if (analyzer && grid && grey) {
        const z0 = performance.now();
        grid.drawImage(bitmap, 0, 0, 128, 72);
        rgbaToGrey(grid.getImageData(0, 0, 128, 72).data, grey);
        analyzer.analyse(grey);
        out.zonesMs.push(performance.now() - z0);
      }
      if (req.inputKind) {
        studyInput.frame(bitmap);
        const t1 = performance.now();
        const ts = req.firstMs + i * req.stepMs;
        const found = await studyInput.detect(lm, req.inputKind, req.inputLongSide, ts);
        out.detectMs.push(performance.now() - t1);
        bitmap.close();
        out.hands.push(found.map((h) => h.landmarks.map((p) => [p.x, p.y] as [number, number])));
        continue;
      }
      const t1 = performance.now();
      let input: ImageBitmap | OffscreenCanvas = bitmap;
      if (req.inputLongSide) {
        const k = req.inputLongSide / Math.max(bitmap.width, bitmap.height);
        const w = Math.round(bitmap.width * k);
        const h = Math.round(bitmap.height * k);
        if (!small || small.width !== w || small.height !== h) small = new OffscreenCanvas(w, h);
        small.getContext('2d')!.drawImage(bitmap, 0, 0, w, h);
        input = small;
      }
      // Pixel landmarks of the frame: the model's normalised output times the frame size.
      const found = lm.detect(input, req.firstMs + i * req.stepMs, bitmap.width, bitmap.height);
      out.detectMs.push(performance.now() - t1);
      bitmap.close();
      out.hands.push(found.map((h) => h.landmarks.map((p) => [p.x, p.y] as [number, number])));
    }
    return out;
  },

  /** The live hands task over a clip at the lane's rate (tests/eval/pixel/speedLane.ts). */
  laneRun,

  /** Loads the hand model and the stored clip for one review part (src/review/reviewClip.ts). */
  async reviewOpen(req: ReviewOpenRequest): Promise<void> {
    const res = await fetch(req.clipUrl);
    if (!res.ok) throw new Error(`${req.clipUrl}: HTTP ${res.status}`);
    const clip = parseIvf(new Uint8Array(await res.arrayBuffer()));
    const { clipUrl, ...rest } = req;
    void clipUrl;
    review = await ClipReview.open({ ...rest, clip });
  },

  /** Decodes and analyses the opened part (decoding included in analyseMs). */
  async reviewRun(): Promise<ReviewResult> {
    if (!review) throw new Error('reviewOpen() first');
    const r = review;
    review = null;
    return r.run();
  },

  async close(): Promise<{ blockedRequests: number }> {
    landmarks?.close();
    landmarks = null;
    return { blockedRequests };
  },
};

export type PixelEvalWorkerApi = typeof api;
Comlink.expose(api);
