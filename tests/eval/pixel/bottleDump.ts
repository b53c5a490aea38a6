/**
 * CLI for tuning the tracker offline: runs the bottle clip through the app's worker once (media
 * pace, perception only) and saves every FrameObservation the worker's tracker received, so the
 * tracker can be replayed in Node in a second (bottleReplay.ts) instead of 2.5 min in Chromium.
 *
 *   KIOSK_OUT_DIR=.tmp/dist-x node --import tsx tests/eval/pixel/bottleDump.ts OUT.jsonl
 *
 * Needs a kiosk built with VITE_TRACKER_DUMP=1 (the tracker then logs each frame to the
 * console with the OBS_PREFIX); a normal build logs nothing and this reports no frames.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright';
import { loadAnnotations } from './annotations.ts';
import { runBottleVideo } from './bottleRun.ts';
import { CHROMIUM_PATH, EVAL_CHROMIUM_ARGS, pixelUrls, whySkip } from './index.ts';
import { openHarness } from './landmarkEval.ts';
import { FRAMES_DIR, MEDIA, MEDIA_DIR, ROOT, extractFrames } from './media.ts';
import { startEvalServer } from './staticServer.ts';

export const OBS_PREFIX = 'TRACKER_OBS ';

const outFile = process.argv[2];
if (!outFile) throw new Error('usage: bottleDump.ts OUT.jsonl');
const distDir = path.resolve(ROOT, process.env.KIOSK_OUT_DIR ?? 'dist');
const skip = whySkip(distDir);
if (skip) {
  console.log(`SKIP ${skip}`);
  process.exit(0);
}
const frames = extractFrames(MEDIA.bottleVideo, 'bottle', 'jpg');
const annotations = loadAnnotations();
const server = await startEvalServer(distDir, MEDIA_DIR, FRAMES_DIR);
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: EVAL_CHROMIUM_ARGS });
const lines: string[] = [];
try {
  const page = await browser.newPage();
  page.on('console', (m) => {
    const text = m.text();
    if (text.startsWith(OBS_PREFIX)) lines.push(text.slice(OBS_PREFIX.length));
  });
  await openHarness(page, server.origin);
  await runBottleVideo(page, pixelUrls(server.origin), frames, annotations, (l) => console.log(l), {
    record: false,
    pace: 'media',
  });
  // Media pace: frame i is stamped t0 + i / fps, so media time is tMs minus the first frame's.
  const meta = { video: annotations.video, fps: annotations.frames / annotations.durationS };
  fs.writeFileSync(outFile, [JSON.stringify(meta), ...lines].join('\n') + '\n');
  console.log(`${lines.length} observations written to ${outFile}`);
} finally {
  await browser.close();
  await server.close();
}
