/**
 * The annotated bottle clip through the app's worker in Chromium, then through the fusion engine
 * with each scripted POS scenario (bottleScore.ts).
 */
import type { Page } from 'playwright';
import type { PerceptionEvent } from '../../../src/core/perception/events.ts';
import type { BottleAnnotations } from './annotations.ts';
import { recorderToMedia, scoreAll, toPosClock, type ScenarioScore } from './bottleScore.ts';
import type { PixelEvalHarness, WorkerRun } from './harness/pixelEvalPage.ts';
import type { Urls } from './landmarkEval.ts';
import type { ExtractedFrames } from './media.ts';

/** Any fixed POS time for media 0 (the engine only sees differences). */
export const POS_T0_MS = Date.UTC(2026, 10, 22, 8, 0, 0);

export interface BottleVideoResult {
  /** Whether the worker also recorded (face blur + encoder), or analysed only. */
  record: boolean;
  pace: 'media' | 'realtime';
  handModelState: string;
  framesPushed: number;
  wallS: number;
  framesAnalysed: number;
  framesGated: number;
  framesWithHands: number;
  droppedByHost: { rate: number; busy: number };
  handsMsP50: number;
  /** Perception events by type. */
  eventCounts: Record<string, number>;
  /** Every event in media seconds, for reading against the annotation. */
  events: { type: string; startS: number; endS: number; detail: string }[];
  scenarios: ScenarioScore[];
  workerErrors: number;
  lastError: string | null;
}

function detail(e: PerceptionEvent): string {
  const { v, atMs, startMs, endMs, confidence, type, ...rest } = e;
  void v;
  void atMs;
  void startMs;
  void endMs;
  void type;
  return `${JSON.stringify(rest)} conf ${confidence.toFixed(2)}`;
}

export async function runBottleVideo(
  page: Page,
  urls: Urls,
  frames: ExtractedFrames,
  a: BottleAnnotations,
  log: (line: string) => void,
  opts: { record: boolean; pace: 'media' | 'realtime' },
): Promise<BottleVideoResult> {
  const { record, pace } = opts;
  if (frames.names.length !== a.frames)
    throw new Error(`ffmpeg gave ${frames.names.length} frames, the annotation says ${a.frames}`);
  const fps = a.frames / a.durationS;
  const run: WorkerRun = await page.evaluate(
    (o) => (window as unknown as { pixelEval: PixelEvalHarness }).pixelEval.workerRun(o),
    { urls: frames.names.map((n) => urls.frame(frames, n)), fps, zones: a.zones, tailMs: 3000, record, pace },
  );
  const m = run.metrics;
  const events = [...run.events].sort((x, y) => x.startMs - y.startMs);
  const counts: Record<string, number> = {};
  for (const e of events) counts[e.type] = (counts[e.type] ?? 0) + 1;
  const toMedia = recorderToMedia(run.stampsMs, fps);
  const media = (ms: number) => Math.round(toMedia(ms) / 100) / 10;
  const scenarios = scoreAll(a, toPosClock(events, toMedia, POS_T0_MS), POS_T0_MS);
  log(
    `bottle clip through the worker (${pace} pace, ${record ? 'recording + perception' : 'perception only'}, hand model ${m.state}` +
      `${m.lastError ? `, last error: ${m.lastError}` : ''}): ${run.framesPushed} frames pushed in ${(run.wallMs / 1000).toFixed(1)} s, ` +
      `hand model on ${m.framesAnalysed} (gated ${m.framesGated}, host dropped ${m.dropped.rate} over rate + ${m.dropped.busy} busy), ` +
      `hands on ${m.framesWithHands}; events ${JSON.stringify(counts)}`,
  );
  for (const e of events) log(`  ${media(e.startMs)}-${media(e.endMs)} s ${e.type} ${detail(e)}`);
  for (const s of scenarios)
    log(
      `  scenario ${s.scenario}: planted ${s.planted}, detected ${s.detected.join(',') || '-'} ` +
        `(recall ${s.recall === null ? 'n/a' : `${Math.round(s.recall * 100)} %`}), false alarms on honest moves ` +
        `${s.falseAlarms.length}, unattributed ${s.unattributed.length}`,
    );
  return {
    record,
    pace,
    handModelState: m.state,
    framesPushed: run.framesPushed,
    wallS: run.wallMs / 1000,
    framesAnalysed: m.framesAnalysed,
    framesGated: m.framesGated,
    framesWithHands: m.framesWithHands,
    droppedByHost: m.dropped,
    handsMsP50: m.handsMs.p50,
    eventCounts: counts,
    events: events.map((e) => ({
      type: e.type,
      startS: media(e.startMs),
      endS: media(e.endMs),
      detail: detail(e),
    })),
    scenarios,
    workerErrors: m.errors,
    lastError: m.lastError,
  };
}
