/**
 * Hand-landmark accuracy, measured in real Chromium through the harness page (analysis speed is
 * tests/eval/pixel/speed.ts; harness: tests/eval/pixel/harness). Shared by runPixelEval and
 * tests/e2e/landmarks.spec.ts so the e2e assertion and the reported figures come from one code.
 */
import type { Page } from 'playwright';
import type { LandmarkRun, PixelEvalHarness } from './harness/pixelEvalPage.ts';
import type { FramesRequest } from './harness/pixelEvalWorker.ts';
import {
  VIDEO_FRAME_MS,
  VIDEO_TOLERANCE_PX,
  parseStillGolden,
  parseVideoGolden,
  scoreFrame,
  summarise,
  type ErrorSummary,
  type Hand2,
  type PointErrors,
} from './golden.ts';
import { HAND_MODELS, MEDIA, readMediaJson, type ExtractedFrames, type HandModel } from './media.ts';

export const HARNESS_PATH = '/tests/eval/pixel/harness/index.html';
export type Delegate = 'CPU' | 'GPU';

/** How the page reaches media and frames (a route in e2e, the eval server otherwise). */
export interface Urls {
  media(rel: string): string;
  frame(frames: ExtractedFrames, name: string): string;
}

export async function openHarness(page: Page, origin = ''): Promise<void> {
  await page.goto(`${origin}${HARNESS_PATH}`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
}

async function run(
  page: Page,
  model: HandModel,
  delegate: Delegate,
  frames: FramesRequest,
): Promise<LandmarkRun> {
  return page.evaluate(
    ([m, d, f]) => {
      const h = (window as unknown as { pixelEval: PixelEvalHarness }).pixelEval;
      return h.landmarks({ modelUrl: `${h.base}models/${m}`, delegate: d }, f);
    },
    [HAND_MODELS[model], delegate, frames] as const,
  );
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : NaN;
};

export interface StillResult extends ErrorSummary {
  model: HandModel;
  handsExpected: number;
  handsDetected: number;
  detectMs: number;
}

/** hands/tfjs_hands.jpg against its golden keypoints (one VIDEO-mode frame on a fresh landmarker). */
export async function evalStill(
  page: Page,
  urls: Urls,
  model: HandModel,
  delegate: Delegate = 'CPU',
): Promise<StillResult> {
  const golden = parseStillGolden(readMediaJson(MEDIA.handsGolden));
  const r = await run(page, model, delegate, { urls: [urls.media(MEDIA.handsImage)], firstMs: 0, stepMs: 0 });
  if (r.width !== golden.width || r.height !== golden.height)
    throw new Error(`decoded ${r.width}x${r.height}, golden is for ${golden.width}x${golden.height}`);
  const detected = r.hands[0] ?? [];
  const errors = scoreFrame(golden.hands, detected as Hand2[]);
  return {
    model,
    ...summarise(errors, golden.tolerancePx),
    handsExpected: golden.hands.length,
    handsDetected: detected.length,
    detectMs: r.detectMs[0] ?? NaN,
  };
}

export interface VideoResult extends ErrorSummary {
  model: HandModel;
  frames: number;
  framesWithHand: number;
  /** Frames where every point is within the tolerance (upstream's per-frame check). */
  framesPassing: number;
  /** The frame with the largest per-coordinate error, and that error (px). */
  worstFrame: { index: number; perCoordinatePx: number };
  detectMsMedian: number;
}

/** Every frame of the ASL clip in VIDEO mode with 40 ms timestamps, against the golden frames. */
export async function evalVideo(
  page: Page,
  urls: Urls,
  frames: ExtractedFrames,
  model: HandModel,
  delegate: Delegate = 'CPU',
): Promise<VideoResult> {
  const golden = parseVideoGolden(readMediaJson(MEDIA.aslGolden));
  if (frames.names.length !== golden.length)
    throw new Error(`ffmpeg gave ${frames.names.length} frames, the golden data has ${golden.length}`);
  const r = await run(page, model, delegate, {
    urls: frames.names.map((n) => urls.frame(frames, n)),
    firstMs: 0,
    stepMs: VIDEO_FRAME_MS,
  });
  const all: PointErrors[] = [];
  let framesPassing = 0;
  const worstFrame = { index: -1, perCoordinatePx: -1 };
  r.hands.forEach((detected, i) => {
    const [e] = scoreFrame([golden[i]!], detected as Hand2[]);
    all.push(e!);
    if (e!.perCoordinate.every((d) => d <= VIDEO_TOLERANCE_PX)) framesPassing++;
    const worst = Math.max(...e!.perCoordinate.map((d) => (Number.isNaN(d) ? Infinity : d)));
    if (worst > worstFrame.perCoordinatePx) Object.assign(worstFrame, { index: i, perCoordinatePx: worst });
  });
  return {
    model,
    ...summarise(all, VIDEO_TOLERANCE_PX),
    frames: r.hands.length,
    framesWithHand: r.hands.filter((h) => h.length > 0).length,
    framesPassing,
    worstFrame,
    detectMsMedian: median(r.detectMs),
  };
}
