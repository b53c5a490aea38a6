/**
 * Review profiles on a stored clip (Node side): the bottle clip re-encoded the way a lane stores
 * it (VP8, 640x360, 12 fps, 400 kbit/s, a keyframe a second: DEFAULT_RECORDER_CONFIG), decoded
 * with WebCodecs and analysed per profile (src/review/). Speed = clip length / wall time from the
 * first chunk decoded to the last frame analysed, DECODING INCLUDED; reading the file and loading
 * the model (a warm reviewing worker) are not. Each profile's perception cost is measured on the
 * same run: hand-model runs per lift-out and the bottle scenarios through the fusion engine.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright';
import { DEFAULT_RECORDER_CONFIG } from '../../../src/recording/config.ts';
import { REVIEW_PROFILES, type ReviewProfileName } from '../../../src/review/reviewProfiles.ts';
import type { BottleAnnotations } from './annotations.ts';
import type { ScenarioScore } from './bottleScore.ts';
import { POS_T0_MS } from './bottleRun.ts';
import type { PixelEvalHarness, ReviewSpeedRun } from './harness/pixelEvalPage.ts';
import { FRAMES_DIR, HAND_MODELS, MEDIA, MEDIA_DIR } from './media.ts';
import { PIXEL_PREFIX } from './staticServer.ts';
import { handsPerMove, liftCoverage, scoreReviewEvents, type MoveCoverage } from './speedReviewScore.ts';

/** Each later part of a split clip re-analyses this much before its seam (background, tracks). */
export const SEAM_WARMUP_MS = 3000;

/** The bottle clip as a lane would store it, as IVF for WebCodecs (cached beside the frames). */
export function storedClip(): { file: string; rel: string } {
  const src = path.join(MEDIA_DIR, MEDIA.bottleVideo);
  // REVIEW_CLIP_BITRATE (bit/s) re-encodes at another rate, to tell the encode's cost from a profile's.
  const bitrate = Number(process.env.REVIEW_CLIP_BITRATE ?? DEFAULT_RECORDER_CONFIG.bitrate);
  if (!(bitrate > 0)) throw new Error(`REVIEW_CLIP_BITRATE must be a positive number of bit/s`);
  const rel = `review/bottle-vp8-12fps-${bitrate}.ivf`;
  const file = path.join(FRAMES_DIR, rel);
  if (!fs.existsSync(file) || fs.statSync(file).mtimeMs < fs.statSync(src).mtimeMs) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const c = DEFAULT_RECORDER_CONFIG;
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-y', '-i', src, '-r', String(c.fps), '-s', `${c.width}x${c.height}`],
      ...[
        '-c:v',
        'libvpx',
        '-b:v',
        String(c.bitrate),
        '-g',
        String(Math.round((c.keyframeIntervalMs / 1000) * c.fps)),
      ],
      ...['-f', 'ivf', file],
    ]);
  }
  return { file, rel };
}

export interface ReviewProfileResult {
  profile: ReviewProfileName;
  workers: number;
  decoding: 'included';
  clipS: number;
  /** Wall seconds per repeat, and their median. */
  wallS: number[];
  speed: number;
  handRuns: number;
  framesKept: number;
  handsMsP50: number;
  /** Median over repeats of the seconds spent outside the hands task (decoding, waiting). */
  decodeS: number;
  /** Hand-model runs by the gate's reason. */
  runsByMode: Record<string, number>;
  liftHandsMedian: number;
  liftHandsMin: number;
  moves: MoveCoverage[];
  scenarios: ScenarioScore[];
  /** Whether every repeat gave the same events (the pipeline is deterministic given the clip). */
  eventsStable: boolean;
  errors: number;
  loadAvg: number[];
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length / 2;
  return s.length % 2 ? s[Math.floor(m)]! : (s[m - 1]! + s[m]!) / 2;
};
const r = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

export async function runReviewProfiles(
  page: Page,
  origin: string,
  a: BottleAnnotations,
  opts: {
    profiles?: readonly ReviewProfileName[];
    repeats?: number;
    log: (line: string) => void;
    /** GPU-backed frame canvas like the live host's (to show what the CPU-backed one saves). */
    gpuCanvas?: boolean;
  },
): Promise<ReviewProfileResult[]> {
  const clip = storedClip();
  const clipUrl = `${origin}${PIXEL_PREFIX}frames/${clip.rel}`;
  const durationMs = a.durationS * 1000;
  const out: ReviewProfileResult[] = [];
  for (const name of opts.profiles ?? (Object.keys(REVIEW_PROFILES) as ReviewProfileName[])) {
    const runs: ReviewSpeedRun[] = [];
    const loadAvg: number[] = [];
    for (let i = 0; i < (opts.repeats ?? 3); i++) {
      loadAvg.push(os.loadavg()[0]!);
      runs.push(
        await page.evaluate(
          (req) => (window as unknown as { pixelEval: PixelEvalHarness }).pixelEval.reviewSpeed(req),
          {
            profile: name,
            clipUrl,
            durationMs,
            zones: a.zones,
            modelFile: HAND_MODELS.lite,
            warmupMs: SEAM_WARMUP_MS,
          },
        ),
      );
    }
    const first = runs[0]!;
    const events = first.parts.flatMap((p) => p.events);
    const handRuns = first.parts.flatMap((p) => p.handRuns);
    const key = (x: ReviewSpeedRun) =>
      JSON.stringify(x.parts.flatMap((p) => p.events.map((e) => [e.type, e.startMs])));
    const moves = handsPerMove(a, handRuns);
    const lift = liftCoverage(moves);
    const wallS = runs.map((x) => x.wallMs / 1000);
    const res: ReviewProfileResult = {
      profile: name,
      workers: first.parts.length,
      decoding: 'included',
      clipS: a.durationS,
      wallS: wallS.map((x) => r(x, 3)),
      speed: r(a.durationS / median(wallS)),
      handRuns: handRuns.length,
      framesKept: first.parts.reduce((s, p) => s + p.framesKept, 0),
      handsMsP50: r(median(first.parts.map((p) => p.handsMsP50)), 1),
      decodeS: r(
        median(runs.map((x) => x.wallMs / 1000 - Math.max(...x.parts.map((p) => p.processMs / 1000)))),
        2,
      ),
      runsByMode: handRuns.reduce<Record<string, number>>(
        (m, x) => ({ ...m, [x.mode]: (m[x.mode] ?? 0) + 1 }),
        {},
      ),
      liftHandsMedian: lift.median,
      liftHandsMin: lift.min,
      moves,
      scenarios: scoreReviewEvents(a, events, POS_T0_MS),
      eventsStable: runs.every((x) => key(x) === key(first)),
      errors: first.parts.reduce((s, p) => s + p.errors, 0),
      loadAvg: loadAvg.map((x) => r(x)),
    };
    out.push(res);
    const sc = (s: string) => res.scenarios.find((x) => x.scenario === s);
    opts.log(
      `review ${name} (${res.workers} worker${res.workers > 1 ? 's' : ''}, decoding included): ${res.clipS} s of clip in ` +
        `${res.wallS.join(' / ')} s = ${res.speed}x (median); hand model ${res.handRuns} runs (p50 ${res.handsMsP50} ms, zones p50 ${first.parts[0]?.zonesMsP50.toFixed(2)} ms) on ` +
        `${res.framesKept} kept frames ${JSON.stringify(res.runsByMode)}, outside the task ${res.decodeS} s; hands per lift-out median ${lift.median}, min ${lift.min}; planted ` +
        `${sc('planted')?.detected.length}/${sc('planted')?.planted}, noneScanned ${sc('noneScanned')?.detected.length}/` +
        `${sc('noneScanned')?.planted}, false alarms ${res.scenarios.map((s) => s.falseAlarms.length).join('/')}` +
        `${res.eventsStable ? '' : ' [events differ between repeats]'}; load avg ${res.loadAvg.join(', ')}`,
    );
  }
  return out;
}
