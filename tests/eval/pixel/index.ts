/**
 * The pixel-level evaluation (real Chromium, real models, real video): hand-landmark accuracy
 * against golden data, analysis speed per backend, and the annotated bottle clip through the
 * app's worker and the fusion engine. `npm run eval -- --json` calls runPixelEval; the CLI is
 * tests/eval/pixel/run.ts. It builds nothing: it expects a built kiosk in KIOSK_OUT_DIR (or dist).
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright';
import { loadAnnotations } from './annotations.ts';
import { runBottleVideo } from './bottleRun.ts';
import { evalStill, evalVideo, openHarness, HARNESS_PATH, type Urls } from './landmarkEval.ts';
import { FRAMES_DIR, MEDIA, MEDIA_DIR, ROOT, extractFrames, missingMedia, missingTool } from './media.ts';
import { startEvalServer, PIXEL_PREFIX } from './staticServer.ts';
import { runSpeedPart } from './speed.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Headless Debian Chromium as root (tests/e2e/support/env.ts); SwiftShader WebGL for the GPU delegate. */
export const EVAL_CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

export interface PixelEvalOptions {
  log: (line: string) => void;
  /** Skip the emulated GPU delegate (slow). */
  skipGpu?: boolean;
  /** Also run the bottle clip with recording on beside perception (the lane's default). */
  withRecording?: boolean;
  /** Only these parts (default all). */
  only?: ('landmarks' | 'speed' | 'bottle')[];
  /** Wall-time cap for the emulated GPU speed run (ms). */
  gpuBudgetMs?: number;
}

export function pixelUrls(origin: string): Urls {
  return {
    media: (rel) => `${origin}${PIXEL_PREFIX}media/${rel}`,
    frame: (frames, name) =>
      `${origin}${PIXEL_PREFIX}frames/${path.relative(FRAMES_DIR, frames.dir)}/${name}`,
  };
}

/** Why the evaluation cannot run here, or null. */
export function whySkip(distDir: string): string | null {
  const media = missingMedia();
  if (media) return media;
  if (!fs.existsSync(CHROMIUM_PATH)) return `Chromium not found at ${CHROMIUM_PATH} (set CHROMIUM_PATH)`;
  const ffmpeg = missingTool('ffmpeg');
  if (ffmpeg) return ffmpeg;
  if (!fs.existsSync(path.join(distDir, HARNESS_PATH)))
    return `no built kiosk with the evaluation page in ${distDir} (run: KIOSK_OUT_DIR=${path.relative(ROOT, distDir) || '.'} npx vite build)`;
  return null;
}

const round = (x: number, d = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : x);

function watchConsole(page: Page, log: (line: string) => void): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('requestfailed', (r) => log(`request failed: ${r.url()}`));
  page.on('response', (r) => {
    if (r.status() >= 400) log(`HTTP ${r.status()}: ${r.url()}`);
  });
  return errors;
}

export async function runPixelEval(opts: PixelEvalOptions): Promise<Record<string, unknown>> {
  const { log } = opts;
  const distDir = path.resolve(ROOT, process.env.KIOSK_OUT_DIR ?? 'dist');
  const skip = whySkip(distDir);
  if (skip) {
    log(`pixel eval skipped: ${skip}`);
    return { skipped: skip };
  }
  log('extracting video frames with ffmpeg (cached in .tmp/pixel-frames)...');
  const asl = extractFrames(MEDIA.aslVideo, 'asl', 'png');
  const bottle = extractFrames(MEDIA.bottleVideo, 'bottle', 'jpg');
  const annotations = loadAnnotations();
  const server = await startEvalServer(distDir, MEDIA_DIR, FRAMES_DIR);
  const urls = pixelUrls(server.origin);
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: EVAL_CHROMIUM_ARGS });
    const page = await browser.newPage();
    const consoleErrors = watchConsole(page, log);
    await openHarness(page, server.origin);

    const want = (part: 'landmarks' | 'speed' | 'bottle') => !opts.only || opts.only.includes(part);
    const landmarks: Record<string, unknown> = {};
    for (const model of want('landmarks') ? (['lite', 'full'] as const) : []) {
      const still = await evalStill(page, urls, model);
      log(
        `landmarks ${model} still: ${still.handsDetected}/${still.handsExpected} hands, mean ${round(still.meanPx)} px, ` +
          `p95 ${round(still.p95Px)}, max ${round(still.maxPx)}, max per-coord ${round(still.maxPerCoordinatePx)}, ` +
          `within ${still.tolerancePx} px ${round(still.withinTolerance * 100)} %`,
      );
      const video = await evalVideo(page, urls, asl, model);
      log(
        `landmarks ${model} video: ${video.framesWithHand}/${video.frames} frames with a hand, mean ${round(video.meanPx)} px, ` +
          `p95 ${round(video.p95Px)}, max ${round(video.maxPx)}, within ${video.tolerancePx} px ${round(video.withinTolerance * 100, 2)} %, ` +
          `frames passing ${video.framesPassing}/${video.frames}, detect median ${round(video.detectMsMedian)} ms`,
      );
      landmarks[model] = { still, video };
    }

    // Speed (tests/eval/pixel/speed.ts): per backend, the lane-rate figure in analysisSpeed, the
    // every-frame figure beside it, and the hand model's cost per input type in the detail.
    const speed = want('speed')
      ? await runSpeedPart(page, urls, { bottle, asl }, annotations, {
          log,
          skipGpu: opts.skipGpu,
          gpuBudgetMs: opts.gpuBudgetMs,
        })
      : { analysisSpeed: {}, analysisSpeedEveryFrame: {}, analysisSpeedDetail: {} };

    // Perception only: with recording on, the worker's second MediaPipe task (hands, after the
    // face detector) fails to load, "ModuleFactory not set" (reported to the integrator).
    const bottleVideo = want('bottle')
      ? await runBottleVideo(page, urls, bottle, annotations, log, { record: false, pace: 'media' })
      : undefined;
    const bottleVideoRealtime = want('bottle')
      ? await runBottleVideo(page, urls, bottle, annotations, log, { record: false, pace: 'realtime' })
      : undefined;
    const bottleVideoRecording =
      want('bottle') && opts.withRecording
        ? await runBottleVideo(page, urls, bottle, annotations, log, { record: true, pace: 'media' })
        : undefined;
    return {
      ...speed,
      landmarks,
      bottleVideo,
      bottleVideoRealtime,
      ...(bottleVideoRecording ? { bottleVideoRecording } : {}),
      consoleErrors,
      machine: `${(await browser.version()) || 'chromium'}; media ${MEDIA_DIR}`,
    };
  } finally {
    await browser?.close();
    await server.close();
  }
}
