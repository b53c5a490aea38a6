/**
 * The speed part of the pixel evaluation (Node side). Two questions, answered apart:
 * - What does the hand model cost per input type and size (canvas, CPU-backed canvas, ImageBitmap,
 *   VideoFrame; the live 320 px copy or the whole frame), and does the input change accuracy?
 *   Timed on the bottle clip, scored against the ASL golden frames.
 * - How fast is a recorded clip analysed? "Analysis speed" = clip length / processing time, with
 *   decoding excluded. The product figure reviews the clip as a lane does: the live hands task at
 *   the lane's 12 fps with its motion gating. The every-frame figure (every 30 fps frame, hand
 *   model on each) is reported beside it, labelled, as the worst case.
 */
import type { Page } from 'playwright';
import type { PixelEvalHarness } from './harness/pixelEvalPage.ts';
import type { FramesRequest } from './harness/pixelEvalWorker.ts';
import type { LaneRunRequest, LaneRunResult } from './speedLane.ts';
import type { ModelInputKind } from './speedInput.ts';
import type { Delegate, Urls } from './landmarkEval.ts';
import {
  VIDEO_FRAME_MS,
  VIDEO_TOLERANCE_PX,
  parseVideoGolden,
  scoreFrame,
  summarise,
  type Hand2,
} from './golden.ts';
import { HAND_MODELS, MEDIA, readMediaJson, type ExtractedFrames } from './media.ts';
import type { BottleAnnotations } from './annotations.ts';
import { DEFAULT_RECORDER_CONFIG } from '../../../src/recording/config.ts';
import { HANDS_MODEL_LONG_SIDE } from '../../../src/worker/tasks/handsTask.ts';
import { DEFAULT_REVIEW_PROFILE, type ReviewProfileName } from '../../../src/review/reviewProfiles.ts';
import { runReviewProfiles, type ReviewProfileResult } from './speedReview.ts';

export const BACKENDS = {
  'mediapipe-wasm': { delegate: 'CPU', emulated: false },
  'mediapipe-webgl (SwiftShader, emulated)': { delegate: 'GPU', emulated: true },
} as const satisfies Record<string, { delegate: Delegate; emulated: boolean }>;
export type BackendKey = keyof typeof BACKENDS;

const sum = (xs: readonly number[]) => xs.reduce((s, v) => s + v, 0);
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : NaN;
};
const round = (x: number, d = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : x);

function harness(page: Page) {
  return {
    landmarks: (delegate: Delegate, frames: FramesRequest) =>
      page.evaluate(
        ([m, d, f]) => {
          const h = (window as unknown as { pixelEval: PixelEvalHarness }).pixelEval;
          return h.landmarks({ modelUrl: `${h.base}models/${m}`, delegate: d }, f);
        },
        [HAND_MODELS.lite, delegate, frames] as const,
      ),
    lane: (req: Omit<LaneRunRequest, 'wasmBaseUrl' | 'modelUrl'>) =>
      page.evaluate(
        ([m, r]) => {
          const h = (window as unknown as { pixelEval: PixelEvalHarness }).pixelEval;
          return h.laneSpeed({ ...r, modelUrl: `${h.base}models/${m}` });
        },
        [HAND_MODELS.lite, req] as const,
      ),
  };
}

export interface InputCost {
  kind: ModelInputKind;
  /** Longer side of the model input (px); the frame's own size when not downscaled. */
  inputLongSide: number | 'frame';
  /** Bottle clip: input preparation + hand model per frame, median and p95 (ms). */
  detectMsMedian: number;
  detectMsP95: number;
  frames: number;
  /** ASL clip against the golden frames (lite model; the goldens are from the full model). */
  aslMeanPx: number;
  aslWithinTolerance: number;
  aslFramesWithHand: number;
}

/** Hand-model cost and accuracy per input type and size (CPU delegate, lite model). */
export async function studyInputs(
  page: Page,
  urls: Urls,
  bottle: ExtractedFrames,
  asl: ExtractedFrames,
  fps: number,
  opts: {
    frames: number;
    aslFrames: number;
    kinds?: readonly ModelInputKind[];
    sizes?: readonly (number | 'frame')[];
    onResult?: (c: InputCost) => void;
  },
): Promise<InputCost[]> {
  const h = harness(page);
  const golden = parseVideoGolden(readMediaJson(MEDIA.aslGolden));
  const out: InputCost[] = [];
  for (const inputLongSide of opts.sizes ?? [HANDS_MODEL_LONG_SIDE, 'frame']) {
    for (const kind of opts.kinds ?? (['canvas', 'canvas-cpu', 'bitmap', 'videoframe'] as const)) {
      const size = inputLongSide === 'frame' ? undefined : inputLongSide;
      const speed = await h.landmarks('CPU', {
        urls: bottle.names.slice(0, opts.frames).map((n) => urls.frame(bottle, n)),
        firstMs: 0,
        stepMs: 1000 / fps,
        inputKind: kind,
        inputLongSide: size,
      });
      const acc = await h.landmarks('CPU', {
        urls: asl.names.slice(0, opts.aslFrames).map((n) => urls.frame(asl, n)),
        firstMs: 0,
        stepMs: VIDEO_FRAME_MS,
        inputKind: kind,
        inputLongSide: size,
      });
      const errors = acc.hands.flatMap((d, i) => scoreFrame([golden[i]!], d as Hand2[]));
      const s = summarise(errors, VIDEO_TOLERANCE_PX);
      const sorted = [...speed.detectMs].sort((a, b) => a - b);
      const cost: InputCost = {
        kind,
        inputLongSide,
        detectMsMedian: median(speed.detectMs),
        detectMsP95: sorted[Math.floor(sorted.length * 0.95)] ?? NaN,
        frames: speed.detectMs.length,
        aslMeanPx: s.meanPx,
        aslWithinTolerance: s.withinTolerance,
        aslFramesWithHand: acc.hands.filter((x) => x.length > 0).length,
      };
      out.push(cost);
      opts.onResult?.(cost);
    }
  }
  return out;
}

export interface ClipSpeed {
  backend: BackendKey;
  emulated: boolean;
  /** 'lane' = the lane's rate with motion gating; 'every-frame' = every clip frame, no gating. */
  mode: 'lane' | 'every-frame';
  laneFps: number | null;
  motionGate: boolean;
  /** Media seconds covered (the whole clip unless the time budget stopped the run). */
  videoS: number;
  processingS: number;
  /** videoS / processingS: the guide's "analysis speed" (> 10 is its target on recorded clips). */
  speed: number;
  framesKept: number;
  framesAnalysed: number;
  framesWithHands: number;
  processMsMedian: number;
  handsMsP50: number;
  decodeMsMedian: number;
  stoppedEarly: boolean;
  errors: number;
}

/** The live hands task over the clip, as a lane reviews it or on every frame. */
export async function clipSpeed(
  page: Page,
  urls: Urls,
  bottle: ExtractedFrames,
  annotations: BottleAnnotations,
  backend: BackendKey,
  mode: ClipSpeed['mode'],
  budgetMs?: number,
): Promise<ClipSpeed> {
  const fps = annotations.frames / annotations.durationS;
  const { delegate, emulated } = BACKENDS[backend];
  const laneFps = mode === 'lane' ? DEFAULT_RECORDER_CONFIG.fps : null;
  const r: LaneRunResult = await harness(page).lane({
    urls: bottle.names.map((n) => urls.frame(bottle, n)),
    videoFps: fps,
    laneFps,
    motionGate: mode === 'lane',
    delegate,
    modelLongSide: HANDS_MODEL_LONG_SIDE,
    zones: annotations.zones,
    budgetMs,
  });
  const videoS = r.framesOffered / fps;
  const processingS = sum(r.processMs) / 1000;
  return {
    backend,
    emulated,
    mode,
    laneFps,
    motionGate: mode === 'lane',
    videoS,
    processingS,
    speed: videoS / processingS,
    framesKept: r.framesKept,
    framesAnalysed: r.framesAnalysed,
    framesWithHands: r.framesWithHands,
    processMsMedian: median(r.processMs),
    handsMsP50: r.handsMsP50,
    decodeMsMedian: median(r.decodeMs),
    stoppedEarly: r.stoppedEarly,
    errors: r.errors,
  };
}

export interface SpeedPart {
  /**
   * Labelled row -> video seconds per processing second. First the product's review profile on a
   * stored clip (src/review/, decoding included), then the live hands task per backend at the
   * lane's rate (12 fps, gated, decoding excluded), each label saying which.
   */
  analysisSpeed: Record<string, number>;
  /** The review profile the first analysisSpeed row was measured with. */
  analysisSpeedProfile?: ReviewProfileName;
  /** Backend -> the same, every clip frame through the hand model (the worst case). */
  analysisSpeedEveryFrame: Partial<Record<BackendKey, number>>;
  analysisSpeedDetail: { clips: ClipSpeed[]; inputs: InputCost[]; review?: ReviewProfileResult[] };
}

/** The analysisSpeed label of a lane-rate row (the figures from before the review profiles). */
export const laneRowLabel = (backend: BackendKey) =>
  `live task, lane 12 fps + motion gating, ${backend}, decoding excluded`;
export const reviewRowLabel = (profile: string) => `review ${profile}, mediapipe-wasm, decoding included`;

export async function runSpeedPart(
  page: Page,
  urls: Urls,
  clips: { bottle: ExtractedFrames; asl: ExtractedFrames },
  annotations: BottleAnnotations,
  opts: {
    log: (line: string) => void;
    skipGpu?: boolean;
    gpuBudgetMs?: number;
    inputStudy?: boolean;
    /** Review profiles on the stored clip (default all of REVIEW_PROFILES); [] skips them. */
    reviewProfiles?: readonly ReviewProfileName[];
    reviewRepeats?: number;
  },
): Promise<SpeedPart> {
  const { log } = opts;
  const part: SpeedPart = {
    analysisSpeed: {},
    analysisSpeedEveryFrame: {},
    analysisSpeedDetail: { clips: [], inputs: [] },
  };
  const fps = annotations.frames / annotations.durationS;
  if (opts.reviewProfiles?.length !== 0) {
    const review = await runReviewProfiles(page, new URL(urls.media('')).origin, annotations, {
      // The lane's own analysis on the same stored clip beside the product's review profile.
      profiles: opts.reviewProfiles ?? ['lane', DEFAULT_REVIEW_PROFILE],
      repeats: opts.reviewRepeats,
      log,
    });
    part.analysisSpeedDetail.review = review;
    const chosen = review.find((x) => x.profile === DEFAULT_REVIEW_PROFILE) ?? review[0];
    if (chosen) {
      part.analysisSpeed[reviewRowLabel(chosen.profile)] = chosen.speed;
      part.analysisSpeedProfile = chosen.profile;
    }
  }
  if (opts.inputStudy !== false) {
    part.analysisSpeedDetail.inputs = await studyInputs(page, urls, clips.bottle, clips.asl, fps, {
      frames: 120,
      aslFrames: 100,
      onResult: (c) =>
        log(
          `hand model input ${c.kind} @ ${c.inputLongSide}: ${round(c.detectMsMedian)} ms median, p95 ${round(c.detectMsP95)} ` +
            `(${c.frames} bottle frames); ASL ${c.aslFramesWithHand} frames with a hand, mean ${round(c.aslMeanPx)} px, ` +
            `${round(c.aslWithinTolerance * 100)} % within ${VIDEO_TOLERANCE_PX} px`,
        ),
    });
  }
  for (const backend of Object.keys(BACKENDS) as BackendKey[]) {
    if (BACKENDS[backend].emulated && opts.skipGpu) continue;
    for (const mode of ['lane', 'every-frame'] as const) {
      const budget = BACKENDS[backend].emulated ? (opts.gpuBudgetMs ?? 45_000) : undefined;
      const r = await clipSpeed(page, urls, clips.bottle, annotations, backend, mode, budget);
      part.analysisSpeedDetail.clips.push(r);
      if (mode === 'lane') part.analysisSpeed[laneRowLabel(backend)] = round(r.speed, 3);
      else part.analysisSpeedEveryFrame[backend] = round(r.speed, 3);
      log(
        `analysis speed ${backend}, ${mode === 'lane' ? `lane rate ${r.laneFps} fps + motion gating` : 'every frame, no gating'}: ` +
          `${round(r.videoS)} s of video in ${round(r.processingS)} s = ${round(r.speed, 2)}x ` +
          `(${r.framesKept} frames kept, hand model on ${r.framesAnalysed}, hands in ${r.framesWithHands}; ` +
          `per kept frame ${round(r.processMsMedian, 2)} ms median, hand model p50 ${round(r.handsMsP50)} ms; ` +
          `decoding excluded, ${round(r.decodeMsMedian)} ms/frame)${r.stoppedEarly ? ' [stopped at the time budget]' : ''}`,
      );
    }
  }
  return part;
}
