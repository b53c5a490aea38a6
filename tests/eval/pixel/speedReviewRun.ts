/**
 * CLI: `node --import tsx tests/eval/pixel/speedReviewRun.ts [--profiles a,b] [--repeats N] [--json FILE]`
 * runs only the review profiles of the speed evaluation (speedReview.ts) and prints their table.
 * Needs a kiosk built into KIOSK_OUT_DIR (or dist), Debian's chromium and ffmpeg, ../shared/media.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright';
import type { ReviewProfileName } from '../../../src/review/reviewProfiles.ts';
import { loadAnnotations } from './annotations.ts';
import { CHROMIUM_PATH, EVAL_CHROMIUM_ARGS, whySkip } from './index.ts';
import { openHarness } from './landmarkEval.ts';
import { FRAMES_DIR, MEDIA_DIR, ROOT } from './media.ts';
import { startEvalServer } from './staticServer.ts';
import { runReviewProfiles } from './speedReview.ts';

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const distDir = path.resolve(ROOT, process.env.KIOSK_OUT_DIR ?? 'dist');
const skip = whySkip(distDir);
if (skip) {
  console.log(`SKIP review speed: ${skip}`);
  process.exit(0);
}
const server = await startEvalServer(distDir, MEDIA_DIR, FRAMES_DIR);
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: EVAL_CHROMIUM_ARGS });
try {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await openHarness(page, server.origin);
  const results = await runReviewProfiles(page, server.origin, loadAnnotations(), {
    profiles: arg('--profiles')?.split(',') as ReviewProfileName[] | undefined,
    repeats: Number(arg('--repeats') ?? 3),
    log: (l) => console.log(l),
    gpuCanvas: args.includes('--gpu-canvas'),
  });
  const sc = (r: (typeof results)[number], s: string) => {
    const x = r.scenarios.find((y) => y.scenario === s);
    return x ? `${x.detected.length}/${x.planted}` : '-';
  };
  console.table(
    results.map((r) => ({
      profile: r.profile,
      'speed (clip s / wall s)': `${r.speed}x`,
      'wall s': r.wallS.join(' / '),
      'hand runs': r.handRuns,
      'hands per lift (median/min)': `${r.liftHandsMedian}/${r.liftHandsMin}`,
      planted: sc(r, 'planted'),
      noneScanned: sc(r, 'noneScanned'),
      'false alarms': r.scenarios.reduce((s, x) => s + x.falseAlarms.length, 0),
      unattributed: r.scenarios.reduce((s, x) => s + x.unattributed.length, 0),
    })),
  );
  console.log(
    `decoding included; load average now ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(', ')}`,
  );
  if (errors.length) console.log(`console errors: ${errors.join(' | ')}`);
  const json = arg('--json');
  if (json) fs.writeFileSync(json, JSON.stringify(results, null, 2));
} finally {
  await browser.close();
  await server.close();
}
